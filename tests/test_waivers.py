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
    values = {"K027": {"actual": 1021, "self_grade": "A"}, "K112": {"actual": 900, "self_grade": "A"}}
    first = fill_values(form, tmp_path / "1.xlsx", values)
    jobs.run_collection(ws, round_, jobs.prepare_collection(ws, round_, [first]))
    assert status_of(ws, round_, "S01") == "要修正"
    with pytest.raises(DxdeskError):
        jobs.waive(ws, round_, "S01", "K2", "Q99", "yamada", "理由")
    waived = jobs.waive(ws, round_, "S01", "K2", "進捗報告!Q11", "yamada", "本部会議で A 評価を了承済み")
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
    third = fill_values(form, tmp_path / "3.xlsx", {**values, "K112": {"actual": 800, "self_grade": "A"}})
    jobs.run_collection(ws, round_, jobs.prepare_collection(ws, round_, [third]))
    k2 = [f for f in jobs.round_findings(ws, round_) if f.code == "K2"]
    assert len(k2) == 1 and not k2[0].waiver
    assert status_of(ws, round_, "S01") == "要修正"
