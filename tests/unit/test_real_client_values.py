"""What real spreadsheet clients store, told apart without a spreadsheet: number formats that change what
a number means, placeholders typed into text, file names, summaries of file-level errors."""
import pytest

from dxdesk.intake.cellscan import classify_format
from dxdesk.intake.parse import excel_date
from dxdesk.normalize import placeholder_meaning
from dxdesk.rules.findings import make, summarise


@pytest.mark.parametrize("code, kind, divisor", [
    ("#,##0,", "scaled", 1000), ("[$-409]#,##0,", "scaled", 1000), ('#,##0,"千円"', "scaled", 1000),
    ("#,##0,,", "scaled", 1_000_000), ("#,##0.0,;[Red]-#,##0.0,", "scaled", 1000),
    ("#,##0", "", 1), ("#,##0.0##", "", 1), ("General", "", 1), ('0"件"', "", 1), ("0.00E+00", "", 1),
    ("0.0%", "percent", 1), ('0"%"', "", 1),
    ("yyyy/m/d", "date", 1), ("m/d", "date", 1), ("[$-411]ggge\"年\"m\"月\"d\"日\"", "date", 1), ("h:mm", "date", 1),
])
def test_number_formats_that_change_what_a_number_means(code, kind, divisor):
    assert classify_format(code) == (kind, divisor)


def test_excel_date_serials():
    assert str(excel_date(46085)) == "2026-03-04" and str(excel_date(45382)) == "2024-03-31"
    assert excel_date(0) is None and excel_date(3e6) is None


@pytest.mark.parametrize("text", ["〃", "〃〃", " 〃 ", "”", "″", "同上", "同上。", "上に同じ", "々", "（同上）"])
def test_ditto_marks_are_placeholders(text):
    assert placeholder_meaning(text)


@pytest.mark.parametrize("text", ["同上の理由により延期した。", "特になし", "-", "A", "〃の記号は使わない"])
def test_real_text_is_not_a_placeholder(text):
    assert placeholder_meaning(text) is None


def test_file_level_errors_are_not_counted_as_zero_sections():
    found = [make("R3", file="a.ods", reason="x"), make("R3", file="b.xlsx", reason="y"),
             make("S6", file="c.xlsx", section="S01")]
    by_code = {c.code: c for c in summarise(found)}
    assert by_code["R3"].where == "課不明のファイル 2 件"
    assert by_code["S6"].where == "1 課"


def test_every_finding_code_is_defined_once():
    """Two engineers once gave different rules the same code (M6): the catalogue kept one wording, the
    registry one rule, and messages named the wrong thing."""
    from dxdesk.rules import catalogue
    from dxdesk.rules.library import RULES
    codes = [spec.code for spec in catalogue._SPECS]
    assert sorted(c for c in set(codes) if codes.count(c) > 1) == []
    assert all(rule.code in catalogue.CATALOGUE for rule in RULES)


def test_excel_date_in_a_number_cell_is_refused_as_a_date(sample_round, tmp_path):
    """Excel (ja-JP) turns 「3/4」 typed into 実績値 into 3月4日 with a date format: V8 at the cell, not a number."""
    import datetime as dt

    import openpyxl

    from dxdesk import jobs
    from dxdesk.forms.definition import PROGRESS_SHEET
    from dxdesk.intake.collect import Checker, read_and_check

    ws, round_, forms = sample_round
    form = next(f for f in forms if "_S01_" in f.name)
    book = openpyxl.load_workbook(form)
    cell = book[PROGRESS_SHEET.name]["O5"]
    cell.value, cell.number_format = dt.datetime(2026, 3, 4), "m月d日"
    book.save(tmp_path / form.name)
    checker = Checker.for_round(ws, jobs.require_plan(ws), round_)
    findings, values, _ = read_and_check(checker, form.name, tmp_path / form.name)
    assert [(f.code, f.cell) for f in findings if f.cell == "O5"] == [("V8", "O5")]
    assert "2026/03/04" in next(f.message for f in findings if f.code == "V8")
    assert values["progress"]["K027"]["actual"].num is None


def _read_s_form(sample_round, tmp_path, section: str, cells: dict[tuple[str, str], object]):
    """The section's distributed form with bare numbers written (no date format: what Calc and Excel store
    when a date is typed into a protected number cell), read and checked."""
    import openpyxl

    from dxdesk import jobs
    from dxdesk.intake.collect import Checker, read_and_check

    ws, round_, forms = sample_round
    form = next(f for f in forms if f"_{section}_" in f.name)
    book = openpyxl.load_workbook(form)
    for (sheet, ref), value in cells.items():
        book[sheet][ref].value = value
    book.save(tmp_path / form.name)
    checker = Checker.for_round(ws, jobs.require_plan(ws), round_)
    return read_and_check(checker, form.name, tmp_path / form.name)


def test_a_date_serial_in_a_budget_cell_is_refused(sample_round, tmp_path):
    """LibreOffice Calc, typing 2024/4/1 or 4-1 into the protected 予算額/決算額 cells, stores the serial 45383
    or 46113 in the cell's own #,##0 format: a date of these years above the measure's planned budget (G01-1:
    20,453 千円) is a V8 at the cell, never a budget; a real amount and the pre-filled 事業費計 are not."""
    from dxdesk.forms.definition import BUDGET_SHEET

    b = BUDGET_SHEET.name
    findings, values, _ = _read_s_form(sample_round, tmp_path, "S01", {
        (b, "G5"): 45383, (b, "E6"): 46113, (b, "E7"): 45383.5, (b, "E8"): 12000, (b, "G9"): 19876})
    at = {(f.code, f.cell) for f in findings if f.sheet == b}
    assert {("V8", "G5"), ("V8", "E6")} <= at
    assert not {c for c in at if c[0] == "V8"} - {("V8", "G5"), ("V8", "E6")}
    v8 = next(f for f in findings if f.code == "V8" and f.cell == "G5")
    assert "2024/04/01" in v8.message and "予算・決算" in v8.message and "20,453" in v8.message
    rows = values["budget"]
    assert rows["G01-1|委託料"]["settlement"].num is None and rows["G01-1|委託料"]["settlement"].held == 45383
    assert rows["G01-1|使用料及び賃借料"]["budget"].num is None
    assert rows["G01-1|その他"]["budget"].num == 12000 and rows["G01-1|事業費計"]["budget"].num == 20453


def test_a_date_serial_in_a_system_running_cost_is_refused_but_not_in_its_usage(sample_round, tmp_path):
    """様式② SYS01: 運用経費 is an amount in 千円 (the plan gives none for FY2023 — 3,888 is for R8), so 45383 is
    refused as 2024/4/1; 利用実績 is a count of anything, read as typed."""
    card = "様式②_SYS01"
    findings, values, _ = _read_s_form(sample_round, tmp_path, "S01", {(card, "C15"): 45383, (card, "C16"): 45383})
    assert [(f.code, f.sheet, f.cell) for f in findings if f.code == "V8"] == [("V8", card, "C15")]
    system = values["system"]["SYS01"]
    assert system["opex_actual"].num is None and system["usage"].num == 45383


def test_a_date_serial_in_a_kpi_actual_without_reference_values_is_refused(sample_round, tmp_path):
    """K143 (S05, 台) has no baseline, no target, no year target and no history: nothing to compare with, so
    a whole number that is a date of these years (2024/4/1 → 45383) is refused with V8; 12 台 is read."""
    from dxdesk.forms.definition import PROGRESS_SHEET

    p = PROGRESS_SHEET.name
    findings, values, _ = _read_s_form(sample_round, tmp_path, "S05", {})
    rows = {key: row["actual"].cell for key, row in values["progress"].items() if "actual" in row}
    k143, k147 = rows["K143"], rows["K147"]
    findings, values, _ = _read_s_form(sample_round, tmp_path, "S05", {(p, k143): 45383, (p, k147): 12})
    assert [(f.code, f.cell) for f in findings if f.code == "V8"] == [("V8", k143)]
    assert "2024/04/01" in next(f.message for f in findings if f.code == "V8")
    assert values["progress"]["K143"]["actual"].num is None and values["progress"]["K147"]["actual"].num == 12
