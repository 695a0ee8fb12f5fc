"""The consolidated dataset: one record per KPI and year, from the latest submissions and the history."""
from __future__ import annotations

import sqlite3
from dataclasses import dataclass, replace

from dxdesk import labels as L
from dxdesk.forms.definition import BUDGET_TOTAL, KEY_SEP
from dxdesk.plan.model import Kpi, Measure, Plan, Section
from dxdesk.rules.kpi import Judgement, city_mark, judge
from dxdesk.rules.scales import scale
from dxdesk.store import rounds_repo as rr
from dxdesk.intake.status import section_statuses
from dxdesk.rules.findings import Finding, group_by, severity_counts
from dxdesk.store.findings_repo import current_findings


@dataclass(frozen=True)
class KpiRecord:
    fy: int
    kpi: Kpi
    measure: Measure
    section: Section
    actual: float | None
    self_grade: str
    schedule: str
    result: str
    cause: str
    judgement: Judgement
    source_file: str = ""
    source_cell: str = ""
    received_at: str = ""
    scale_key: str = "AD2"
    previous: float | None = None  # 前年度実績 (see outputs.previous)
    status: str = ""  # 提出状況 of the section's return (未提出 / 提出済 / 要修正 / 受理), or 過年度実績
    check: str = ""   # 点検結果 of the row: エラー / 警告 / 情報 / 免除 / 問題なし ('' when nothing was returned)
    level: str = ""   # 所属階層: the level the KPI hangs on (課題, プロジェクト, 施策 …)
    plan_schedule: str = ""  # the plan's 工程 marks, this year → next (○→⇒（翌年度も継続）)
    mark: str = ""    # the city's challenge mark the 進捗状況 was typed with (○ / △)

    @property
    def schedule_shown(self) -> str:
        """進捗状況 with the city's mark: 「△ 遅れ」."""
        return f"{self.mark} {self.schedule}" if self.mark and self.schedule else self.schedule

    @property
    def accepted(self) -> bool:
        """Whether the value may be published: the section's return is accepted, or it is a past year's actual."""
        return self.status in (L.STATUS_ACCEPTED, L.STATUS_HISTORY)

    @property
    def relisted(self) -> bool:
        return bool(self.kpi.relisted_of)

    @property
    def shown_grade(self) -> str:
        """The computed grade on the city's scale (◎○△× …); 対象外 and blanks as they are."""
        grade = self.judgement.grade or ""
        return scale(self.scale_key).shown.get(grade, grade)

    @property
    def consistent(self) -> bool | None:
        """Whether the self-grade agrees with the computed one (None when they cannot be compared)."""
        s = scale(self.scale_key)
        if self.self_grade not in s.grades or self.judgement.grade not in ("A", "B", "C", "D"):
            return None
        return s.consistent(self.self_grade, self.judgement.grade)


def _record(plan: Plan, kpi: Kpi, fy: int, actual: float | None, self_grade: str = "", schedule: str = "",
            result: str = "", cause: str = "", source: tuple[str, str, str] = ("", "", ""),
            scale_key: str = "AD2") -> KpiRecord:
    measure = plan.measures[kpi.measure_id]
    judged = judge(measure.stage, kpi, actual, fy, plan.year_target(kpi.kpi_id, fy), schedule)
    return KpiRecord(fy, kpi, measure, plan.sections[measure.owner], actual, self_grade, schedule, result, cause,
                     judged, *source, scale_key=scale_key, level=plan.level_of(measure),
                     plan_schedule=plan.schedule_text(kpi.kpi_id, fy))


def _with_parts(plan: Plan, kpi: Kpi, values: dict, result: str) -> str:
    """取組結果 with the parts the co-owners added (共同担当の入力 = 分担), each under its section's name."""
    measure = plan.measures[kpi.measure_id]
    if measure.co_input != "分担":
        return result
    parts = [result] if result else []
    for code in measure.section_codes[1:]:
        part = values.get(code, {}).get(kpi.kpi_id, {}).get("result")
        if part is not None and part.raw:
            parts.append(f"【{plan.sections[code].name}】{part.raw}")
    return "／".join(parts)


def round_records(conn: sqlite3.Connection, plan: Plan, round_: rr.Round) -> list[KpiRecord]:
    """Every KPI of the plan for the round's year, with the latest submission's values where returned."""
    latest = rr.latest_submissions(conn, round_.round_id)
    values = rr.latest_values(conn, round_.round_id, "progress")
    found = current_findings(conn, round_.round_id)
    waived = {(f.section, f.sheet, f.cell) for f in found if f.waiver}
    status = {s.section.code: s.status for s in section_statuses(conn, plan, round_, found)}
    by_row = group_by([f for f in found if f.row_key], "row_key")
    records = []
    for kpi in plan.kpis.values():
        entered = plan.kpis.get(kpi.relisted_of) or kpi  # a 再掲 row shows its home's values (entered once)
        owner = plan.measures[entered.measure_id].owner
        row = values.get(owner, {}).get(entered.kpi_id)
        if row is None:
            records.append(replace(_record(plan, kpi, round_.fy, None, scale_key=round_.grade_scale),
                                   status=status.get(owner, L.STATUS_NOT_RETURNED)))
            continue
        sub = latest[owner]
        actual = row.get("actual")
        record = _record(
            plan, kpi, round_.fy, actual.number((owner, actual.sheet, actual.cell) in waived) if actual else None,
            row["self_grade"].text if "self_grade" in row else "", row["schedule"].text if "schedule" in row else "",
            _with_parts(plan, entered, values, row["result"].raw if "result" in row else ""),
            row["cause"].raw if "cause" in row else "",
            (sub.file_name, f"{actual.sheet}!{actual.cell}" if actual else "", sub.received_at),
            round_.grade_scale)
        checks = [f for f in by_row.get(kpi.kpi_id, []) if f.section == owner]
        records.append(replace(record, status=status.get(owner, ""), check=check_result(checks),
                               mark=city_mark(row["schedule"].raw) if "schedule" in row else ""))
    return records


def check_result(findings: list[Finding]) -> str:
    """The row's 点検結果 in one word, the worst first: エラー / 警告 / 情報 / 免除 / 問題なし."""
    counts = severity_counts(findings)
    for key, word in (("ERR", "エラー"), ("WARN", "警告"), ("INFO", "情報"), ("WAIVED", "免除")):
        if counts[key]:
            return word
    return "問題なし"


def all_records(conn: sqlite3.Connection, plan: Plan) -> list[KpiRecord]:
    """History from the plan master and every round; a round's values replace the history for its year."""
    by_key: dict[tuple[str, int], KpiRecord] = {}
    for item in plan.history:
        if item.kpi_id in plan.kpis:
            by_key[(item.kpi_id, item.fy)] = replace(
                _record(plan, plan.kpis[item.kpi_id], item.fy, item.value, item.self_grade, result=item.note,
                        source=(item.source, "", ""), scale_key=plan.grade_scale), status=L.STATUS_HISTORY)
    for round_ in rr.list_rounds(conn):
        for record in round_records(conn, plan, round_):
            if record.source_file or (record.kpi.kpi_id, record.fy) not in by_key:
                by_key[(record.kpi.kpi_id, record.fy)] = record
    order = {k: i for i, k in enumerate(plan.kpis)}
    return sorted(by_key.values(), key=lambda r: (r.fy, order[r.kpi.kpi_id]))


@dataclass(frozen=True)
class BudgetRecord:
    measure: Measure
    section: Section
    budget: float | None
    supplementary: float | None
    settlement: float | None
    note: str
    shared_id: str = ""
    counted: bool = True  # False for the second and later measures of a shared budget

    @property
    def execution_rate(self) -> float | None:
        return self.settlement / self.budget if self.budget and self.settlement is not None else None


def budget_records(conn: sqlite3.Connection, plan: Plan, round_: rr.Round) -> list[BudgetRecord]:
    """Each measure's 事業費計 for the round's year: from the latest return, else the plan's budget.
    A shared budget (共有予算ID) is counted once, under the first of its measures (Plan.shared_budget_holder)
    that carries an amount."""
    values = rr.latest_values(conn, round_.round_id, "budget")

    def total_row(measure_id: str) -> dict:
        owner = plan.measures[measure_id].owner
        return values.get(owner, {}).get(f"{measure_id}{KEY_SEP}{BUDGET_TOTAL}", {})

    def amount(measure_id: str) -> float | None:
        row, planned = total_row(measure_id), plan.budget(measure_id, round_.fy)
        return row["budget"].num if row and "budget" in row else (None if row else planned and planned.budget)

    records = []
    for measure in plan.measures.values():
        row = total_row(measure.measure_id)
        planned = plan.budget(measure.measure_id, round_.fy)
        num = {key: value.num for key, value in row.items()}
        budget = amount(measure.measure_id)
        shared = planned.shared_id if planned else ""
        holder = plan.shared_budget_holder(measure.measure_id, round_.fy, carries=amount) if shared else None
        counted = not (shared and budget and holder != measure.measure_id)
        records.append(BudgetRecord(measure, plan.sections[measure.owner], budget, num.get("supplementary"),
                                    num.get("settlement"), row["budget_note"].raw if "budget_note" in row else "",
                                    shared, counted))
    return records
