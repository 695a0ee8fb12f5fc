"""Plan master in the workspace: replaced as a whole on import, history kept and merged."""
from __future__ import annotations

import json
import sqlite3

from dxdesk.plan import model as m
from dxdesk.rules.findings import Finding
from dxdesk.store.findings_repo import insert_findings
from dxdesk.store.schedule_repo import load_schedule, save_schedule
from dxdesk.store.sql import PUT_META


def save_plan(conn: sqlite3.Connection, plan: m.Plan, findings: list[Finding], source: str, when: str) -> None:
    """Replace the plan master in one transaction; imported history rows replace the same (KPI, year)."""
    with conn:
        for table in ("sections", "measures", "kpis", "year_targets", "budgets"):
            conn.execute(f"DELETE FROM {table}")
        conn.execute("DELETE FROM history WHERE source = '計画マスタ'")
        conn.execute("DELETE FROM findings WHERE scope = 'plan'")
        meta = {"plan.name": plan.name, "plan.levels": json.dumps(list(plan.level_names), ensure_ascii=False),
                "plan.grade_scale": plan.grade_scale, "plan.period": plan.period,
                "plan.edition": plan.edition, "plan.leaf_level": plan.leaf_level,
                # kept beside the plan (no schema change): the level of each row that is not a leaf, 工程 marks
                "plan.node_levels": json.dumps({x.measure_id: x.level for x in plan.measures.values() if x.level},
                                               ensure_ascii=False),
                "plan.marks": json.dumps([[k, fy, v] for (k, fy), v in plan.marks.items()], ensure_ascii=False),
                "plan.source": source, "plan.imported_at": when}
        conn.executemany(PUT_META, meta.items())
        conn.executemany("INSERT INTO sections VALUES (?,?,?,?,?,?)",
                         [(s.code, s.name, s.dept, s.person, s.email, i) for i, s in enumerate(plan.sections.values())])
        conn.executemany("INSERT INTO measures (measure_id, name, levels, section_codes, stage, summary, project, "
                         "seq, unit_cost_kpi, co_input) VALUES (?,?,?,?,?,?,?,?,?,?)", [
            (x.measure_id, x.name, json.dumps(list(x.levels), ensure_ascii=False),
             json.dumps(list(x.section_codes)), x.stage, x.summary, x.project, i, x.unit_cost_kpi, x.co_input)
            for i, x in enumerate(plan.measures.values())])
        conn.executemany(
            "INSERT INTO kpis (kpi_id, measure_id, name, kind, unit, direction, basis, baseline, baseline_text, "
            "baseline_fy, target, target_text, target_fy, comparator, relisted_of, rationale, seq, formula, parts) "
            "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", [
                (k.kpi_id, k.measure_id, k.name, k.kind, k.unit, k.direction, k.basis, k.baseline, k.baseline_text,
                 k.baseline_fy, k.target, k.target_text, k.target_fy, k.comparator, k.relisted_of, k.rationale, i,
                 k.formula, json.dumps(list(k.parts))) for i, k in enumerate(plan.kpis.values())])
        conn.executemany("INSERT INTO year_targets VALUES (?,?,?)",
                         [(k, fy, v) for (k, fy), v in plan.year_targets.items()])
        conn.executemany("INSERT INTO history VALUES (?,?,?,?,?,?) ON CONFLICT (kpi_id, fy) DO UPDATE SET "
                         "value = excluded.value, self_grade = excluded.self_grade, note = excluded.note, "
                         "source = excluded.source",
                         [(h.kpi_id, h.fy, h.value, h.self_grade, h.note, h.source) for h in plan.history])
        conn.executemany("INSERT INTO budgets (measure_id, fy, budget, settlement, shared_id) VALUES (?,?,?,?,?)",
                         [(b.measure_id, b.fy, b.budget, b.settlement, b.shared_id) for b in plan.budgets])
        save_schedule(conn, plan)
        insert_findings(conn, findings, scope="plan")


def has_plan(conn: sqlite3.Connection) -> bool:
    return conn.execute("SELECT 1 FROM measures LIMIT 1").fetchone() is not None


def load_plan(conn: sqlite3.Connection) -> m.Plan:
    meta = dict(conn.execute("SELECT key, value FROM meta WHERE key LIKE 'plan.%'").fetchall())
    plan = m.Plan(name=meta.get("plan.name", "DX推進計画"),
                  level_names=tuple(json.loads(meta.get("plan.levels", "[]"))),
                  grade_scale=meta.get("plan.grade_scale", "AD2"), period=meta.get("plan.period", ""),
                  edition=meta.get("plan.edition", ""), leaf_level=meta.get("plan.leaf_level") or m.LEAF_LEVEL)
    node_levels = json.loads(meta.get("plan.node_levels") or "{}")
    plan.marks = {(k, fy): v for k, fy, v in json.loads(meta.get("plan.marks") or "[]")}
    for r in conn.execute("SELECT * FROM sections ORDER BY seq"):
        plan.sections[r["code"]] = m.Section(r["code"], r["name"], r["dept"] or "", r["person"] or "", r["email"] or "")
    for r in conn.execute("SELECT * FROM measures ORDER BY seq"):
        plan.measures[r["measure_id"]] = m.Measure(
            r["measure_id"], r["name"], tuple(json.loads(r["levels"])), tuple(json.loads(r["section_codes"])),
            r["stage"], r["summary"] or "", r["project"] or "", unit_cost_kpi=r["unit_cost_kpi"] or "",
            co_input=r["co_input"] or "参照", level=node_levels.get(r["measure_id"], ""))
    for r in conn.execute("SELECT * FROM kpis ORDER BY seq"):
        plan.kpis[r["kpi_id"]] = m.Kpi(
            r["kpi_id"], r["measure_id"], r["name"], r["kind"], r["unit"], r["direction"], r["basis"],
            r["baseline"], r["baseline_text"] or "", r["baseline_fy"], r["target"], r["target_text"] or "",
            r["target_fy"], r["comparator"] or "", r["relisted_of"] or "", r["rationale"] or "",
            r["formula"] or "", tuple(json.loads(r["parts"] or "[]")))
    plan.year_targets = {(r[0], r[1]): r[2] for r in conn.execute("SELECT kpi_id, fy, target FROM year_targets ORDER BY kpi_id, fy")}
    plan.history = [m.HistoryActual(r["kpi_id"], r["fy"], r["value"], r["self_grade"] or "", r["note"] or "",
                                    r["source"] or "") for r in conn.execute("SELECT * FROM history ORDER BY fy, kpi_id")]
    plan.budgets = [m.Budget(r["measure_id"], r["fy"], r["budget"], r["settlement"], r["shared_id"] or "")
                    for r in conn.execute("SELECT * FROM budgets ORDER BY fy, measure_id")]
    load_schedule(conn, plan)
    return plan
