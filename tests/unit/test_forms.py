"""The distributed form: stamp twice, protection, dropdowns, defined names, live self-check."""
import zipfile

import openpyxl

from dxdesk.forms.builder import safe_filename
from dxdesk.forms.definition import PROGRESS_SHEET
from dxdesk.forms.stamp import read_custom_properties
from dxdesk.intake.reader import read_workbook


def test_one_form_per_reporting_section_with_a_windows_safe_name(sample_round):
    ws, round_, files = sample_round
    assert len(files) == 19
    assert files[0].name == "令和5年度DX進捗報告_S01_DX推進課_FY2023-1.xlsx"
    assert safe_filename('企画/調整:課*?"<>|') == "企画_調整_課______"


def test_stamp_in_custom_properties_and_very_hidden_sheet(sample_round):
    ws, round_, files = sample_round
    props = read_custom_properties(files[0])
    assert (props["round_id"], props["section_code"], props["template_version"]) == ("FY2023-1", "S01", "progress-2")
    book = read_workbook(files[0])
    assert book.stamp.row_keys["progress"][:2] == ("K027", "K028")
    with zipfile.ZipFile(files[0]) as z:
        assert 'state="veryHidden"' in z.read("xl/workbook.xml").decode()


def test_protection_inputs_unlocked_validation_and_names(sample_round):
    ws, round_, files = sample_round
    wb = openpyxl.load_workbook(files[0])
    sheet = wb[PROGRESS_SHEET.name]
    assert sheet.protection.sheet
    first = PROGRESS_SHEET.header_row + 1
    col = {f.key: PROGRESS_SHEET.column(f.key) + 1 for f in PROGRESS_SHEET.fields}
    assert sheet.cell(first, col["actual"]).protection.locked is False
    assert sheet.cell(first, col["kpi_name"]).protection.locked is True
    lists = [dv.formula1 for dv in sheet.data_validations.dataValidation if dv.type == "list"]
    assert '"A,B,C,D,評価未実施"' in lists and '"完了,予定どおり,遅れ,未着手"' in lists
    assert "DX_progress_actual" in wb.defined_names
    formula = sheet.cell(first, col["computed_grade"]).value
    assert formula.startswith("=IF(") and "減少" in formula
    assert not any(name.endswith(".bin") for name in zipfile.ZipFile(files[0]).namelist())  # no macros


def test_form_pre_filled_with_plan_and_last_year(sample_round):
    ws, round_, files = sample_round
    sheet = openpyxl.load_workbook(files[0])[PROGRESS_SHEET.name]
    col = {f.key: PROGRESS_SHEET.column(f.key) + 1 for f in PROGRESS_SHEET.fields}
    r = PROGRESS_SHEET.header_row + 1
    row = {k: sheet.cell(r, c).value for k, c in col.items() if k in ("kpi_id", "baseline", "target", "year_target", "last_actual")}
    assert row == {"kpi_id": "K027", "baseline": 134, "target": 1100, "year_target": 1020, "last_actual": 521}
