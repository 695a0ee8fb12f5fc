"""Broken plan masters and rule books give a Japanese message, never a traceback (regressions)."""
import zipfile

import openpyxl
import pytest

from dxdesk.errors import InputFileError
from dxdesk.plan.importer import import_plan
from dxdesk.rules.book import default_rulebook
from dxdesk.rules.book_io import export_rulebook, import_rulebook
from dxdesk.rules.findings import flatten


def _truncate_sheet(source, target, sheet_xml):
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(target, "w") as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            dst.writestr(info, data[: len(data) // 2] if info.filename == sheet_xml else data)
    return target


def test_plan_master_with_a_truncated_sheet_is_a_message(sample_plan_path, tmp_path):
    broken = _truncate_sheet(sample_plan_path, tmp_path / "broken.xlsx", "xl/worksheets/sheet4.xml")
    with pytest.raises(InputFileError, match="broken.xlsx"):
        import_plan(broken)


def test_rule_book_with_a_truncated_sheet_is_a_message(tmp_path):
    path = export_rulebook(tmp_path / "規則集.xlsx", default_rulebook())
    broken = _truncate_sheet(path, tmp_path / "broken.xlsx", "xl/worksheets/sheet1.xml")
    with pytest.raises(InputFileError, match="broken.xlsx"):
        import_rulebook(broken, default_rulebook())


def test_rule_book_without_a_column_is_a_finding(tmp_path):
    path = export_rulebook(tmp_path / "規則集.xlsx", default_rulebook())
    wb = openpyxl.load_workbook(path)
    wb["規則"].delete_cols(4)  # 重要度
    wb["閾値"].delete_cols(2)  # 設定
    wb.save(path)
    book, findings = import_rulebook(path, default_rulebook())
    assert flatten(findings, ["code", "sheet", "expected"]) == [["B1", "規則", "重要度"], ["B1", "閾値", "設定"]]
    assert book.version == default_rulebook().version
