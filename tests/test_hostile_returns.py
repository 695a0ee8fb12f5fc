"""Returns a section changed in ways the fuzz does not aim at (issue 12): a table column deleted must not be read
from its neighbour's column — a silent wrong value is the worst outcome a return can have."""
from __future__ import annotations

import openpyxl
import pytest

from dxdesk.inquiry import jobs as ij
from dxdesk.store import rounds_repo as rr
from inquiry_support import new_inquiry

TYPED = {"B4": "山田", "F4": "1234", "B8": "財務会計システム", "C8": "財政課", "D8": "R3", "E8": 1200, "F8": 800,
         "G8": "クラウド", "B9": "文書管理システム", "C9": "総務課", "D9": 2019, "E9": 1020, "F9": 0, "G9": "クラウド"}


def test_a_deleted_column_is_said_missing_not_read_from_the_column_beside_it(tmp_path, workspace):
    ws, inquiry, _ = new_inquiry(tmp_path, "システム棚卸", workspace)
    copy = ij.distribute(ws, inquiry).files[0]
    wb = openpyxl.load_workbook(copy)
    sheet = wb.worksheets[0]
    for ref, value in TYPED.items():
        sheet[ref] = value
    sheet.delete_cols(3)  # 所管課 (C) taken out: システム名 stays in B, 導入年度 … move one to the left
    wb.save(tmp_path / "r.xlsx")
    ij.collect(ws, inquiry, ij.prepare_collection(inquiry, [tmp_path / "r.xlsx"]))
    row = rr.latest_values(ws.conn, inquiry.inquiry_id, "T1")["A01"]["1"]
    assert row["システム名"].text == "財務会計システム" and row["導入年度"].num == 2021 and row["運用経費・金額（千円）"].num == 1200
    assert row["所管課"].text != "財務会計システム"  # not システム名's value read a second time
    errors = [f for f in ij.findings(ws, inquiry) if f.section == "A01" and f.severity == "ERR"]
    assert any(f.code == "Q5" and "所管課" in f.message for f in errors), [f.message for f in errors]


def test_a_deleted_column_is_said_once_not_also_as_a_blank_cell_beside_it(tmp_path, workspace):
    ws, inquiry, _ = new_inquiry(tmp_path, "システム棚卸", workspace)
    copy = ij.distribute(ws, inquiry).files[0]
    wb = openpyxl.load_workbook(copy)
    sheet = wb.worksheets[0]
    for ref, value in TYPED.items():
        sheet[ref] = value
    sheet.delete_cols(3)  # 所管課 (C) taken out: C now holds 導入年度, which is filled
    wb.save(tmp_path / "r.xlsx")
    ij.collect(ws, inquiry, ij.prepare_collection(inquiry, [tmp_path / "r.xlsx"]))
    errors = [f for f in ij.findings(ws, inquiry) if f.section == "A01" and f.severity == "ERR"]
    assert [f.code for f in errors] == ["Q5"], [(f.code, f.cell, f.message) for f in errors]


@pytest.mark.parametrize("column, name", [(3, "所管課"), (7, "構成")])
def test_a_deleted_column_is_not_also_said_as_the_table_or_other_columns_moved(tmp_path, column, name, workspace):
    """Deleting 所管課 moved the columns right of it, not the table (システム名 stays in B), and deleting 構成 did
    not move 備考 from where a deletion puts it: only the Q5 is said, no S5 「表の位置が -1 列ずれています」."""
    ws, inquiry, _ = new_inquiry(tmp_path, "システム棚卸", workspace)
    copy = ij.distribute(ws, inquiry).files[0]
    wb = openpyxl.load_workbook(copy)
    sheet = wb.worksheets[0]
    for ref, value in TYPED.items():
        sheet[ref] = value
    sheet.delete_cols(column)
    wb.save(tmp_path / "r.xlsx")
    ij.collect(ws, inquiry, ij.prepare_collection(inquiry, [tmp_path / "r.xlsx"]))
    said = [f for f in ij.findings(ws, inquiry) if f.section == "A01" and f.severity in ("ERR", "WARN")]
    assert [(f.code, name in f.message) for f in said] == [("Q5", True)], [f.message for f in said]


def test_a_deleted_column_beside_a_column_that_is_not_read_is_said_missing(tmp_path, workspace):
    """5レス: 実績・今年度 (E) taken out, so 増減 (F, a formula, not read) comes to E. No field's heading stands on
    E, but 取組状況 right of it moved one to the left while 実績・前年度 left of it did not: a column between them
    was deleted, and 実績・今年度's heading is gone — Q5, not 増減's values read as this year's actuals."""
    ws, inquiry, _ = new_inquiry(tmp_path, "5レス", workspace)
    copy = ij.distribute(ws, inquiry).files[0]
    wb = openpyxl.load_workbook(copy)
    sheet = wb.worksheets[0]
    sheet["B4"], sheet["F4"] = "山田", "2025/6/1"
    for r in range(8, 14):  # the six 指標 rows
        sheet[f"D{r}"], sheet[f"E{r}"], sheet[f"G{r}"] = 100, 130, "実施中"
        sheet[f"F{r}"] = 30  # 増減 as Excel saves it: =E−D's value (openpyxl writes no cached results)
    sheet.delete_cols(5)
    wb.save(tmp_path / "r.xlsx")
    ij.collect(ws, inquiry, ij.prepare_collection(inquiry, [tmp_path / "r.xlsx"]))
    rows = rr.latest_values(ws.conn, inquiry.inquiry_id, "T1")["A01"]
    assert {row["実績・前年度（R5）"].num for row in rows.values()} == {100}
    assert {row["取組状況"].text for row in rows.values()} == {"実施中"}
    assert {row["実績・今年度（R6）"].text for row in rows.values()} == {""}  # not 増減's 30
    said = [f for f in ij.findings(ws, inquiry) if f.section == "A01" and f.severity == "ERR"]
    assert any(f.code == "Q5" and "実績・今年度（R6）" in f.message for f in said), [f.message for f in said]


def test_the_first_column_of_a_table_deleted_is_said_missing_not_read_from_the_no_column(tmp_path, workspace):
    """システム名 (B) taken out: every column right of it moved one to the left and none left of it is a field, so
    B's heading being nowhere is its deletion — not a table moved left, whose システム名 would be read from A (No.)."""
    ws, inquiry, _ = new_inquiry(tmp_path, "システム棚卸", workspace)
    copy = ij.distribute(ws, inquiry).files[0]
    wb = openpyxl.load_workbook(copy)
    sheet = wb.worksheets[0]
    for ref, value in TYPED.items():
        sheet[ref] = value
    for r in (8, 9):
        sheet[f"A{r}"] = r - 7  # No. as Excel saves it: =ROW()-7's value (openpyxl writes no cached results)
    sheet.delete_cols(2)
    wb.save(tmp_path / "r.xlsx")
    ij.collect(ws, inquiry, ij.prepare_collection(inquiry, [tmp_path / "r.xlsx"]))
    rows = rr.latest_values(ws.conn, inquiry.inquiry_id, "T1")["A01"]
    assert [(row["システム名"].text, row["所管課"].text) for row in rows.values()] == [("", "財政課"), ("", "総務課")]
    said = [f for f in ij.findings(ws, inquiry) if f.section == "A01" and f.code in ("Q5", "S5")]
    assert [(f.code, "システム名" in f.message) for f in said] == [("Q5", True)], [f.message for f in said]
    assert "列の削除" in said[0].message  # what happened to it, not only 「シートの削除」
