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
