"""The whole round: plan import → distribute → fill as a section would → collect → consolidate."""
from __future__ import annotations

import hashlib
import shutil

import openpyxl
import pytest

from dxdesk import jobs
from dxdesk.demo import fill_return, fill_values
from dxdesk.rules.findings import flatten


def sha(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


fill = fill_values


def consolidated_rows(path) -> dict[str, dict[str, object]]:
    ws = openpyxl.load_workbook(path, read_only=True)["施策・指標一覧"]
    rows = list(ws.iter_rows(values_only=True))
    header = list(rows[3])
    return {r[header.index("指標ID")]: dict(zip(header, r)) for r in rows[4:] if r[0] is not None}


def test_round_end_to_end(sample_round, tmp_path, sample_actuals):
    ws, round_, forms = sample_round
    plan = jobs.require_plan(ws)
    by_section = {f.name.split("_")[1]: f for f in forms}
    inbox = tmp_path / "回収"
    inbox.mkdir()
    # DX推進課 (S01) types its own figures; two other sections are filled from the real FY2023 actuals
    fill(by_section["S01"], inbox / by_section["S01"].name, {
        "K027": {"actual": 1021, "self_grade": "A", "result": "手続のオンライン化を進めた。"},
        "K028": {"actual": "６．８", "self_grade": "D", "cause": "周知不足。窓口で案内を強化する。"},
        "K126": {"actual": 10, "self_grade": "A"},  # computed: B (0 → 10 < 29 this year) → K2
    })
    for code in ("S07", "S08"):
        fill_return(by_section[code], inbox / by_section[code].name, plan, sample_actuals, 2023)
    before = {p.name: sha(p) for p in inbox.iterdir()}

    result = jobs.run_collection(ws, round_, jobs.prepare_collection(ws, round_, [inbox]))
    assert [o.outcome for o in result.outcomes] == ["取込"] * 3

    done = jobs.consolidate(ws, round_)
    rows = consolidated_rows(done.workbook)
    assert rows["K027"]["実績値"] == 1021 and rows["K027"]["算定評価"] == "A"
    assert rows["K027"]["判定基準"] == "令和5年度目標"
    assert rows["K028"]["実績値"] == pytest.approx(6.8) and rows["K028"]["算定評価"] == "D"
    assert rows["K126"]["算定評価"] == "B" and rows["K126"]["自己評価"] == "A" and rows["K126"]["一致"] == "×"
    assert rows["K027"]["出典ファイル"] == by_section["S01"].name and rows["K027"]["出典セル"] == "進捗報告!O5"
    for kpi in plan.kpis_of_section("S07"):
        expected = sample_actuals[kpi.kpi_id]["実績値"]
        assert rows[kpi.kpi_id]["実績値"] == (pytest.approx(float(expected)) if expected else None)
    findings = jobs.round_findings(ws, round_)
    assert ["K2", "進捗報告", "Q20"] in flatten(findings, ["code", "sheet", "cell"])
    assert ["N1", "進捗報告", "O6"] in flatten(findings, ["code", "sheet", "cell"])
    statuses = {s.section.code: s.status for s in jobs.statuses(ws, round_)}
    assert statuses["S01"] == "要修正" and statuses["S07"] == "受理" and statuses["S02"] == "未提出"
    # the originals are untouched, and the archive holds byte-identical copies
    assert {p.name: sha(p) for p in inbox.iterdir()} == before
    archived = {sha(p) for p in ws.archive_dir.rglob("*.xlsx")}
    assert set(before.values()) == archived


def test_resubmission_latest_wins_and_history_is_kept(sample_round, tmp_path):
    ws, round_, forms = sample_round
    form = next(f for f in forms if "_S01_" in f.name)
    first = fill(form, tmp_path / "first.xlsx", {"K027": {"actual": 900, "self_grade": "B"}})
    second = fill(form, tmp_path / "second.xlsx", {"K027": {"actual": 1021, "self_grade": "A"}})
    jobs.run_collection(ws, round_, jobs.prepare_collection(ws, round_, [first]))
    again = jobs.run_collection(ws, round_, jobs.prepare_collection(ws, round_, [first]))
    assert again.outcomes[0].outcome == "取込済み"
    jobs.run_collection(ws, round_, jobs.prepare_collection(ws, round_, [second]))
    rows = consolidated_rows(jobs.consolidate(ws, round_).workbook)
    assert rows["K027"]["実績値"] == 1021  # latest wins, never summed
    subs = jobs.rr.all_submissions(ws.conn, round_.round_id)
    assert [s.superseded_by is None for s in subs] == [False, True]
    assert ["R1", ""] in flatten(jobs.round_findings(ws, round_), ["code", "cell"])


def test_wrong_files_get_their_own_message(sample_round, tmp_path):
    ws, round_, forms = sample_round
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "~$lock.xlsx").write_bytes(b"x")
    (inbox / "Thumbs.db").write_bytes(b"x")
    (inbox / "empty.xlsx").write_bytes(b"")
    (inbox / "renamed.xlsx").write_text("課,実績\nDX,1\n", encoding="utf-8")
    (inbox / "old.xls").write_bytes(b"\xd0\xcf\x11\xe0" + b"\0" * 100)
    openpyxl.Workbook().save(inbox / "other.xlsx")
    other_round = jobs.new_round(ws, 2024, round_.deadline and __import__("datetime").date(2025, 5, 16))
    jobs.distribute(ws, other_round, tmp_path / "next")
    shutil.copy(next((tmp_path / "next").iterdir()), inbox / "next_round.xlsx")
    result = jobs.run_collection(ws, round_, jobs.prepare_collection(ws, round_, [inbox]))
    assert sorted(p.name for p, _ in result.skipped) == ["Thumbs.db", "~$lock.xlsx"]
    found = {f.file: f.code for f in jobs.round_findings(ws, round_) if f.file}
    assert found == {"empty.xlsx": "R3", "renamed.xlsx": "S1", "old.xls": "R3", "other.xlsx": "S1",
                     "next_round.xlsx": "S2"}


def test_sections_are_listed_in_the_plan_order_whatever_the_database_updated_last(sample_round):
    """PostgreSQL returns rows without ORDER BY in no fixed order: an UPDATE (an acceptance, a re-distribution)
    moves the row. The 400-return load test showed B001 and B002 listed last after their acceptance was
    cleared; every listing of sections follows the plan."""
    from dxdesk.overview import distributed_forms
    ws, round_, _ = sample_round
    plan = jobs.require_plan(ws)
    expected = [s.code for s in plan.reporting_sections() if s.code in plan.entering_sections()]
    if ws.shared:  # as the planner does on a round of 400 sections: the table read in its stored order
        for setting in ("enable_indexscan", "enable_bitmapscan", "enable_indexonlyscan"):
            ws.conn.execute(f"SET {setting} = off")
    with ws.conn:
        for code in expected[:3]:
            ws.conn.execute("UPDATE round_sections SET accepted_at = NULL WHERE round_id = ? AND section_code = ?",
                            (round_.round_id, code))
    assert [s.section.code for s in jobs.statuses(ws, round_)] == expected
    assert [f.section.code for f in distributed_forms(ws, plan, round_)] == expected
