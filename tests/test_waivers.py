"""An ERR can be waived for one submission (who, when, why); a re-submission that changes the cell loses it."""
import openpyxl
import pytest

from dxdesk import jobs
from dxdesk.demo import fill_return, fill_values
from dxdesk.errors import DxdeskError


def status_of(ws, round_, code):
    return {s.section.code: s.status for s in jobs.statuses(ws, round_)}[code]


def test_waiver_is_kept_shown_and_not_carried_over_a_changed_cell(sample_round, tmp_path, sample_actuals):
    ws, round_, forms = sample_round
    form = fill_return(next(f for f in forms if "_S01_" in f.name), tmp_path / "clean.xlsx",
                       jobs.require_plan(ws), sample_actuals, 2023) or tmp_path / "clean.xlsx"
    values = {"K027": {"actual": 1021, "self_grade": "A"}, "K126": {"actual": 10, "self_grade": "A"}}
    first = fill_values(form, tmp_path / "1.xlsx", values)
    jobs.run_collection(ws, round_, jobs.prepare_collection(ws, round_, [first]))
    assert status_of(ws, round_, "S01") == "要修正"
    with pytest.raises(DxdeskError):
        jobs.waive(ws, round_, "S01", "K2", "Q99", "yamada", "理由")
    waived = jobs.waive(ws, round_, "S01", "K2", "進捗報告!Q20", "yamada", "本部会議で A 評価を了承済み")
    assert waived.waiver.startswith("免除: yamada") and "本部会議" in waived.waiver
    assert status_of(ws, round_, "S01") != "要修正"
    book = jobs.consolidate(ws, round_).workbook
    sheet = openpyxl.load_workbook(book, read_only=True)["指摘一覧"]
    texts = [row for row in sheet.iter_rows(values_only=True) if row[1] == "K2"]
    assert texts and "本部会議" in texts[0][-1]
    from dxdesk.rules.findings import summarise
    assert [(c.code, c.label) for c in summarise(jobs.round_findings(ws, round_)) if c.code == "K2"] == [
        ("K2", "エラー（免除）")]

    # the same row again (another row changed): the waiver carries over
    second = fill_values(form, tmp_path / "2.xlsx", {**values, "K027": {"result": "追記"}})
    jobs.run_collection(ws, round_, jobs.prepare_collection(ws, round_, [second]))
    k2 = [f for f in jobs.round_findings(ws, round_) if f.code == "K2"]
    assert len(k2) == 1 and k2[0].waiver

    # the row the finding was judged on changed (the actual): the waiver does not carry over
    third = fill_values(form, tmp_path / "3.xlsx", {**values, "K126": {"actual": 8, "self_grade": "A"}})
    jobs.run_collection(ws, round_, jobs.prepare_collection(ws, round_, [third]))
    k2 = [f for f in jobs.round_findings(ws, round_) if f.code == "K2"]
    assert len(k2) == 1 and not k2[0].waiver
    assert status_of(ws, round_, "S01") == "要修正"


def _v4_return(sample_round, tmp_path, sample_actuals):
    """S03 returns K034 (a % KPI, targets 25–45) as a bare 0.33: V4, which the section confirms as 33%."""
    ws, round_, forms = sample_round
    plan = jobs.require_plan(ws)
    clean = tmp_path / "clean.xlsx"
    fill_return(next(f for f in forms if "_S03_" in f.name), clean, plan, sample_actuals, 2023)
    path = fill_values(clean, tmp_path / "v4.xlsx", {"K034": {"actual": 0.33}})
    jobs.run_collection(ws, round_, jobs.prepare_collection(ws, round_, [path]))
    v4 = next(f for f in jobs.round_findings(ws, round_) if f.code == "V4")
    return ws, round_, v4


def test_a_waived_V4_keeps_the_value_that_was_read(sample_round, tmp_path, sample_actuals):
    from dxdesk.outputs.dataset import round_records
    ws, round_, v4 = _v4_return(sample_round, tmp_path, sample_actuals)
    k034 = lambda: next(r for r in round_records(ws.conn, jobs.require_plan(ws), round_) if r.kpi.kpi_id == "K034")
    assert k034().actual is None  # held back while the error stands
    jobs.waive(ws, round_, "S03", "V4", f"{v4.sheet}!{v4.cell}", "yamada", "課に確認: 33% の意味")
    record = k034()
    assert record.actual == 33 and record.judgement.grade == "A"  # 令和5年度目標 25%


def test_waiving_the_same_error_twice_is_refused_and_keeps_the_first_reason(sample_round, tmp_path,
                                                                            sample_actuals):
    ws, round_, v4 = _v4_return(sample_round, tmp_path, sample_actuals)
    jobs.waive(ws, round_, "S03", "V4", v4.cell, "yamada", "課に確認: 33% の意味")
    with pytest.raises(DxdeskError, match="既に免除"):
        jobs.waive(ws, round_, "S03", "V4", v4.cell, "sato", "別の理由")
    found = next(f for f in jobs.round_findings(ws, round_) if f.code == "V4")
    assert "33% の意味" in found.waiver and "別の理由" not in found.waiver


def test_waived_errors_are_counted_once_the_same_way_everywhere(sample_round, tmp_path, sample_actuals):
    from dxdesk.rules.findings import severity_counts
    ws, round_, v4 = _v4_return(sample_round, tmp_path, sample_actuals)
    jobs.waive(ws, round_, "S03", "V4", v4.cell, "yamada", "課に確認: 33% の意味")
    found = [f for f in jobs.round_findings(ws, round_) if f.section == "S03"]
    status = next(s for s in jobs.statuses(ws, round_) if s.section.code == "S03")
    counts = severity_counts(found)
    assert counts["ERR"] == status.errors == 0 and counts["WAIVED"] == 1
