"""Send-back workbooks (差戻し): the section's form with its values, marked and commented cells, an エラー一覧
sheet first, the same stamp — and the round trip: corrected in LibreOffice Calc, read back as a re-submission."""
from __future__ import annotations

import openpyxl
import pytest

from dxdesk import jobs
from dxdesk.demo import fill_return, fill_values
from dxdesk.forms.definition import PROGRESS_SHEET, SENDBACK_SHEET_NAME
from dxdesk.forms.stamp import read_custom_properties
from print_size import print_sizes
from lo.calc import HAS_UNO, NO_UNO, fill_with_calc

COL = {f.key: PROGRESS_SHEET.column(f.key) for f in PROGRESS_SHEET.fields}


@pytest.fixture
def faulty_return(sample_round, tmp_path, sample_actuals):
    """S01 returned with a self-grade that disagrees with the numbers (K2 on K126)."""
    ws, round_, forms = sample_round
    form = next(f for f in forms if "_S01_" in f.name)
    target = tmp_path / "inbox" / form.name
    fill_return(form, target, jobs.require_plan(ws), sample_actuals, 2023)
    fill_values(target, target, {"K126": {"actual": 10, "self_grade": "A"}})
    jobs.run_collection(ws, round_, jobs.prepare_collection(ws, round_, [target]))
    return ws, round_, form


def test_sendback_carries_values_marks_and_the_stamp(faulty_return):
    ws, round_, form = faulty_return
    result = jobs.sendback(ws, round_)
    assert "S01" in result.files
    path = result.files["S01"]
    book = openpyxl.load_workbook(path)
    assert book.sheetnames[0] == SENDBACK_SHEET_NAME
    errors = [r for r in book[SENDBACK_SHEET_NAME].iter_rows(min_row=5, values_only=True) if r[0]]
    k2 = next(r for r in errors if r[4].startswith("K2"))
    assert k2[:4] == ("エラー", "進捗報告", "Q20", "A") and k2[6]
    sheet = book[PROGRESS_SHEET.name]
    assert sheet["O20"].value == 10 and sheet["A20"].value == "K126"
    assert sheet["Q20"].value == "A" and sheet["Q20"].fill.fgColor.rgb.endswith("F8CBAD")
    comment = sheet["Q20"].comment.text
    assert "K2" in comment and "→" in comment
    assert sheet["Q20"].protection.locked is False  # they can still type the correction
    sizes = print_sizes(path)  # the send-back prints legibly too
    assert all(s.effective >= 8 for s in sizes), [(s.sheet, s.effective) for s in sizes]
    stamp = read_custom_properties(path)
    original = read_custom_properties(form)
    assert (stamp["round_id"], stamp["section_code"], stamp["template_version"]) == \
        (original["round_id"], original["section_code"], original["template_version"])


def test_sendback_returned_unchanged_is_a_resubmission_with_the_same_findings(faulty_return):
    ws, round_, _form = faulty_return
    path = jobs.sendback(ws, round_).files["S01"]
    result = jobs.run_collection(ws, round_, jobs.prepare_collection(ws, round_, [path]))
    assert [(o.outcome, o.section_code) for o in result.outcomes] == [("再提出", "S01")]
    codes = {f.code for f in jobs.round_findings(ws, round_) if f.section == "S01"}
    assert "K2" in codes and "S7" not in codes  # the エラー一覧 sheet is part of the form


@pytest.mark.libreoffice
@pytest.mark.skipif(not HAS_UNO, reason=NO_UNO)
def test_sendback_corrected_in_calc_is_read_as_a_resubmission(faulty_return, tmp_path):
    ws, round_, _form = faulty_return
    path = jobs.sendback(ws, round_).files["S01"]
    corrected = fill_with_calc(path, tmp_path, [{"sheet": PROGRESS_SHEET.name, "key_column": 0,
                                                 "values": {"K126": {COL["self_grade"]: "B"}}}])
    result = jobs.run_collection(ws, round_, jobs.prepare_collection(ws, round_, [corrected]))
    assert [(o.outcome, o.section_code) for o in result.outcomes] == [("再提出", "S01")]
    found = [f for f in jobs.round_findings(ws, round_) if f.section == "S01"]
    assert not [f for f in found if f.code == "K2"]
    assert not [f for f in found if f.code.startswith("S")], [(f.code, f.message) for f in found]
    status = next(s for s in jobs.statuses(ws, round_) if s.section.code == "S01")
    assert status.status != "要修正" and status.submissions == 2


def test_sendback_marks_the_cells_of_milestone_sheets_and_system_cards(sample_round, tmp_path, sample_actuals):
    """Findings on a 工程 sheet (X01-1-2 延期 with no reason) and on a 様式② card (運用経費 「千円くらい」: V2)
    are highlighted with their comment in the send-back workbook, like the progress sheet's rows."""
    ws, round_, forms = sample_round
    form = next(f for f in forms if "_S01_" in f.name)
    target = tmp_path / "inbox" / form.name
    fill_return(form, target, jobs.require_plan(ws), sample_actuals, 2023)
    book = openpyxl.load_workbook(target)
    book["工程_X01-1"]["H8"].value = "延期"
    book["様式②_SYS01"]["C15"].value = "千円くらい"
    book.save(target)
    jobs.run_collection(ws, round_, jobs.prepare_collection(ws, round_, [target]))
    found = {(f.sheet, f.cell): f.code for f in jobs.round_findings(ws, round_) if f.section == "S01"}
    assert found[("様式②_SYS01", "C15")] == "V2" and ("工程_X01-1", "J8") in found, found
    sent = openpyxl.load_workbook(jobs.sendback(ws, round_).files["S01"])
    for sheet, ref in (("様式②_SYS01", "C15"), ("工程_X01-1", "J8")):
        cell = sent[sheet][ref]
        assert cell.fill.fgColor.rgb.endswith("F8CBAD"), (sheet, ref, cell.fill.fgColor.rgb)
        assert found[(sheet, ref)] in cell.comment.text and cell.protection.locked is False
    assert sent["様式②_SYS01"]["C15"].value == "千円くらい"  # what the section typed, to correct
    assert sent["様式②_SYS01"]["C16"].fill.fgColor.rgb != sent["様式②_SYS01"]["C15"].fill.fgColor.rgb
