"""Outputs are safe: text that looks like a formula stays text; a locked output gives a message."""
import csv
import os

import openpyxl
import pytest

from dxdesk import jobs
from dxdesk.cli import main
from dxdesk.demo import fill_return
from dxdesk.errors import OutputLockedError
from dxdesk.outputs.xlsx_out import sheet_name


def test_formula_like_text_stays_text_in_every_output(sample_round, tmp_path, sample_actuals):
    ws, round_, forms = sample_round
    form = fill_return(forms[0], tmp_path / "r.xlsx", jobs.require_plan(ws), sample_actuals, 2023) or tmp_path / "r.xlsx"
    wb = openpyxl.load_workbook(form)
    sheet = wb["進捗報告"]
    for ref, text in (("R5", '=HYPERLINK("http://example.invalid","x")'), ("R6", "+81 電話で周知"),
                      ("S6", "@担当へ確認")):
        sheet[ref].value = text
        sheet[ref].data_type = "s"  # typed as text (with a leading ' in Excel)
    wb.save(form)
    jobs.run_collection(ws, round_, jobs.prepare_collection(ws, round_, [form]))
    done = jobs.consolidate(ws, round_)
    sheet = openpyxl.load_workbook(done.workbook)["施策・指標一覧"]
    texts = [c for row in sheet.iter_rows() for c in row if isinstance(c.value, str) and "HYPERLINK" in c.value]
    assert texts and all(c.data_type == "s" for c in texts)
    with open(done.csv, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0][:3] == ["年度", "施策ID", "施策名"]
    assert not any(v.startswith(("=", "+", "@")) for row in rows[1:] for v in row)


def test_sheet_names_are_cleaned():
    assert sheet_name("企画[調整]:課/係*?") == "企画_調整__課_係__"
    assert len(sheet_name("あ" * 40)) == 31


def test_output_open_in_excel_gives_a_message_not_a_traceback(sample_round, monkeypatch, capsys):
    ws, round_, _ = sample_round

    def locked(src, dst):
        raise PermissionError(13, "used by another process")

    monkeypatch.setattr(os, "replace", locked)
    with pytest.raises(OutputLockedError, match="Excel などで開いている場合は閉じて"):
        jobs.consolidate(ws, round_)
    root = ws.root
    ws.close()
    assert main(["-w", str(root), "consolidate"]) == 1
    assert "集約_FY2023-1.xlsx を上書きできません" in capsys.readouterr().err
