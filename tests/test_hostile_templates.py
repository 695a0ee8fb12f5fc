"""`dxdesk inquiry new` on office templates a newcomer may hand it (issue 12): data validation whose list or
bounds dxdesk cannot work out, a list over a whole sheet, and files that are no .xlsx. Each gives a Japanese
message or a note naming the sheet and cell — never a hang, a traceback or a check that rejects every reply."""
from __future__ import annotations

import openpyxl
import pytest
from openpyxl.styles import Border, Side
from openpyxl.worksheet.datavalidation import DataValidation

from dxdesk.errors import InputFileError
from dxdesk.inquiry.analyse import analyse

BOX = Border(*(Side(style="thin"),) * 4)


def form(path, validations: dict[str, dict]):
    """Labels in A, bordered inputs in B, one validation per input cell."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "照会"
    for row, (label, kw) in enumerate(validations.items(), start=1):
        ws.cell(row, 1, label)
        ws.cell(row, 2).border = BOX
        dv = DataValidation(**kw)
        dv.add(f"B{row}")
        ws.add_data_validation(dv)
    ws["D1"], ws["D2"] = "はい", "いいえ"
    wb.save(path)
    return path


def fields(path):
    return {f.name: f for a in analyse(path).mapping.areas for f in a.fields}


def test_a_list_whose_choices_cannot_be_worked_out_is_no_list_that_rejects_every_reply(tmp_path):
    path = form(tmp_path / "様式.xlsx", {"区分": {"type": "list", "formula1": "=INDIRECT($A$1)"},
                                         "分類": {"type": "list", "formula1": "=OFFSET($D$1,0,0,2,1)"},
                                         "種別": {"type": "list", "formula1": "=ない名前"},
                                         "回答": {"type": "list", "formula1": "=$D$1:$D$2"}})
    found = fields(path)
    assert {name: f.kind for name, f in found.items()} == {"区分": "文字", "分類": "文字", "種別": "文字", "回答": "選択"}
    assert found["回答"].choices == ("はい", "いいえ")
    notes = " ".join(analyse(path).notes)
    for cell, formula in (("B1", "INDIRECT($A$1)"), ("B2", "OFFSET($D$1,0,0,2,1)"), ("B3", "ない名前")):
        assert f"シート「照会」のセル {cell}" in notes and formula in notes
    assert "対応表" in notes


def test_a_list_over_the_whole_sheet_reads_the_cells_that_hold_something(tmp_path):
    path = form(tmp_path / "様式.xlsx", {"回答": {"type": "list", "formula1": "=$A$1:$XFD$1048576"}})
    assert set(fields(path)["回答"].choices) == {"回答", "はい", "いいえ"}


def test_bounds_that_are_no_finite_number_are_not_checked(tmp_path):
    path = form(tmp_path / "様式.xlsx", {"台数": {"type": "whole", "operator": "between", "formula1": "1e999",
                                                  "formula2": "-1e999"},
                                         "件数": {"type": "decimal", "operator": "greaterThan", "formula1": "NaN"}})
    found = fields(path)
    assert [(found[n].minimum, found[n].maximum) for n in ("台数", "件数")] == [(None, None), (None, None)]


def _ods(path):
    import zipfile
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("content.xml", "<office:document-content/>")
    return path


@pytest.mark.parametrize("name, make, told", [
    ("空.xlsx", lambda p: p.write_bytes(b""), "0 バイト"),
    ("CSV.xlsx", lambda p: p.write_text("課コード,課名\nA01,総務課\n", encoding="utf-8"), "CSV"),
    ("旧形式.xlsx", lambda p: p.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600)), ".xls"),
    ("Calc.xlsx", _ods, ".ods"),
    ("途中まで.xlsx", lambda p: p.write_bytes(b"PK\x03\x04" + bytes(40)), "途中で切れて"),
])
def test_a_template_that_is_no_xlsx_is_told_what_it_is_and_what_to_do(tmp_path, capsys, name, make, told, init_args):
    from dxdesk.cli import main
    path = tmp_path / name
    make(path)
    with pytest.raises(InputFileError) as refused:
        analyse(path)
    message = str(refused.value)
    assert message.startswith(f"{name}: ") and told in message and "「Excel ブック（.xlsx）」として保存" in message
    assert not any(word in message for word in ("Error", "Exception", "BadZipFile", "KeyError")), message
    assert main(init_args(tmp_path / "ws")) == 0
    assert main(["-w", str(tmp_path / "ws"), "inquiry", "new", str(path), "--name", "照会", "--deadline", "2025/6/30"]) == 1
    assert told in capsys.readouterr().err


@pytest.mark.parametrize("typed", [1e300, -1e300, 1e16, "１０００００００００００００００００"])
def test_a_number_past_what_excel_holds_is_an_error_said_in_a_short_message(typed):
    from dxdesk.inquiry.check import check_value
    from dxdesk.inquiry.model import Field
    from dxdesk.inquiry.read import Cell
    value, found = check_value(Field("運用経費（千円）", "E", "数値", unit="千円"), Cell(typed, "棚卸", "E8"),
                               {"file": "r.xlsx", "section": "A01", "row_label": "表 1行目", "row_key": "1"}, True)
    assert [(f.code, f.severity) for f in found] == [("V6", "ERR")] and value.num is None  # not merged as a figure
    assert "15 桁" in found[0].message and len(found[0].message) < 200, found[0].message


def test_fifteen_digits_are_still_a_number():
    from dxdesk.inquiry.check import check_value
    from dxdesk.inquiry.model import Field
    from dxdesk.inquiry.read import Cell
    value, found = check_value(Field("金額", "E", "数値"), Cell(999_999_999_999_999, "棚卸", "E8"),
                               {"file": "r.xlsx", "section": "A01", "row_label": "", "row_key": ""}, True)
    assert found == [] and value.num == 999_999_999_999_999


def test_what_the_analysis_does_not_read_is_said_hidden_sheets_and_cells_past_the_scan(tmp_path):
    from dxdesk.inquiry.analyse import MAX_SCAN_COLS, MAX_SCAN_ROWS
    wb = openpyxl.Workbook()
    shown = wb.active
    shown.title = "回答"
    shown["A1"], shown["B1"].border = "回答者", BOX
    shown.cell(MAX_SCAN_ROWS + 5, 1, "注記")
    shown.cell(1, MAX_SCAN_COLS + 5, "メモ")
    hidden = wb.create_sheet("内訳")
    hidden["A1"], hidden["B1"].border = "台数", BOX
    hidden.sheet_state = "hidden"
    wb.save(tmp_path / "様式.xlsx")
    analysis = analyse(tmp_path / "様式.xlsx")
    assert [f.name for a in analysis.mapping.areas for f in a.fields] == ["回答者"]
    notes = " ".join(analysis.notes)
    assert "非表示のシート「内訳」は読みません" in notes
    assert f"シート「回答」の {MAX_SCAN_ROWS + 1} 行目より下" in notes and "列より右" in notes


def test_a_text_length_validation_is_a_check_naming_the_limit(tmp_path):
    from dxdesk.inquiry.check import check_value
    from dxdesk.inquiry.read import Cell
    path = form(tmp_path / "様式.xlsx", {"概要": {"type": "textLength", "operator": "lessThanOrEqual", "formula1": "10"},
                                         "郵便番号": {"type": "textLength", "operator": "between", "formula1": "7",
                                                      "formula2": "8"}})
    found = fields(path)
    assert [(found[n].kind, found[n].minimum, found[n].maximum) for n in ("概要", "郵便番号")] == [
        ("文字", None, 10), ("文字", 7, 8)]
    where = {"file": "r.xlsx", "section": "A01", "row_label": "", "row_key": ""}
    value, told = check_value(found["概要"], Cell("庁内システムの標準化と移行の計画", "照会", "B1"), where, True)
    assert [(f.code, f.severity, f.cell) for f in told] == [("V6", "ERR", "B1")]
    assert "文字数" in told[0].message and "10 文字以内" in told[0].message and "16 文字" in told[0].message
    assert value.text == "庁内システムの標準化と移行の計画"  # kept as typed
    assert "取組結果" not in told[0].hint and "入力規則に合う値に直して" in told[0].hint  # no DX-round wording
    _, told = check_value(found["郵便番号"], Cell("123", "照会", "B2"), where, True)
    assert [f.code for f in told] == ["V6"] and "7〜8 文字" in told[0].message and "3 文字" in told[0].message
    assert check_value(found["郵便番号"], Cell("9800811", "照会", "B2"), where, True)[1] == []
    assert check_value(found["概要"], Cell("短い回答", "照会", "B1"), where, True)[1] == []


def test_a_custom_validation_formula_is_said_to_be_unchecked_naming_its_sheet_and_cells(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "回答"
    for row, label in enumerate(("課名", "職員数", "うち正規"), start=1):
        ws.cell(row, 1, label)
        ws.cell(row, 2).border = BOX
    dv = DataValidation(type="custom", formula1="=B3<=B2")  # ユーザー設定: うち正規 is at most 職員数
    dv.add("B2:B3")
    dv.add("D5")
    ws.add_data_validation(dv)
    wb.save(tmp_path / "様式.xlsx")
    analysis = analyse(tmp_path / "様式.xlsx")
    notes = " ".join(analysis.notes)
    assert "シート「回答」のセル B2:B3・D5" in notes and "ユーザー設定" in notes and "B3<=B2" in notes, notes
    assert "点検しません" in notes
    assert [f.name for a in analysis.mapping.areas for f in a.fields] == ["課名", "職員数", "うち正規"]  # still read
