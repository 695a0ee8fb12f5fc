"""The 全庁照会 page (issue 12): an inquiry made from the office's own form, distributed, collected and merged
from the window, each inquiry with its own status beside the DX round."""
from __future__ import annotations

import datetime as dt

import openpyxl
from PySide6.QtCore import Qt

from dxdesk import labels as L
from dxdesk.sample.inquiry_forms import FORMS
from inquiry_support import sections_book
from ui.main_window import INQUIRIES
from ui.models import StatusModel


def test_an_inquiry_from_the_office_form_through_the_page(sync_window, sync_driver, qtbot, tmp_path, opened, shown, databases):
    w = sync_window
    sync_driver.run(lambda: w.open_workspace(tmp_path / "ws", create=True, database=databases()))
    page = w.inquiries_page
    assert not page.buttons["distribute"].isEnabled() and page.new_button.isEnabled()
    form = FORMS["システム棚卸"](tmp_path / "システム棚卸.xlsx")
    outcome = sync_driver.run(lambda: w.new_inquiry(form, "システム棚卸", dt.date(2025, 6, 30),
                                                    sections_book(tmp_path / "課一覧.xlsx")))
    assert "全庁照会 Q1「システム棚卸」を作成しました" in outcome.message
    assert page.choice.currentData() == "Q1" and "T1 表（システム棚卸）7 項目" in page.areas.text()
    w.show_page(INQUIRIES)
    mapping = tmp_path / "ws" / "out" / "Q1" / "対応表_Q1.xlsx"
    book = openpyxl.load_workbook(mapping)
    book["入力欄"]["L5"] = None  # 内線 is not required
    book.save(mapping)
    sync_driver.run(lambda: w.apply_inquiry_mapping("Q1", mapping))
    qtbot.mouseClick(page.buttons["distribute"], Qt.MouseButton.LeftButton)
    assert page.model.column_values(StatusModel.COL_STATUS) == [L.STATUS_NOT_RETURNED] * 6
    copy = next((tmp_path / "ws" / "out" / "Q1" / "配布").glob("*_A01_*"))
    book = openpyxl.load_workbook(copy)
    sheet = book["システム棚卸"]
    for ref, value in {"B4": "山田", "B8": "該当なし"}.items():
        sheet[ref] = value
    (tmp_path / "returns").mkdir()
    book.save(tmp_path / "returns" / copy.name)
    sync_driver.run(lambda: w.collect_inquiry("Q1", [tmp_path / "returns"]))
    assert page.model.column_values(StatusModel.COL_STATUS)[0] == L.STATUS_ACCEPTED
    assert "受理 1" in page.choice.currentText() and "未提出 5" in page.choice.currentText()
    codes = page.findings.column_values(page.findings.COL_CODE)
    assert sorted(codes) == ["Q1"] + ["R2"] * 5  # 該当なし, the 5 overdue sections; 内線 left blank is no V1
    qtbot.mouseClick(page.buttons["merge"], Qt.MouseButton.LeftButton)
    assert (tmp_path / "ws" / "out" / "Q1" / "集約" / "集約_Q1.xlsx").is_file()
    qtbot.mouseClick(page.buttons["folder"], Qt.MouseButton.LeftButton)
    assert opened[-1].endswith("out/Q1") and not shown.crashes


def test_a_section_is_accepted_and_an_error_waived_from_the_page(sync_window, sync_driver, qtbot, tmp_path,
                                                                  monkeypatch, databases):
    from PySide6.QtWidgets import QInputDialog
    w = sync_window
    sync_driver.run(lambda: w.open_workspace(tmp_path / "ws", create=True, database=databases()))
    form = FORMS["システム棚卸"](tmp_path / "システム棚卸.xlsx")
    sync_driver.run(lambda: w.new_inquiry(form, "システム棚卸", dt.date(2099, 6, 30), sections_book(tmp_path / "課.xlsx")))
    sync_driver.run(lambda: w.distribute_inquiry("Q1"))
    copy = next((tmp_path / "ws" / "out" / "Q1" / "配布").glob("*_B01_*"))
    book = openpyxl.load_workbook(copy)
    for ref, value in {"B4": "鈴木", "F4": "3", "B8": "予算編成", "C8": "財政課", "D8": 2020, "E8": 300, "F8": 100,
                       "G8": "メインフレーム"}.items():
        book["システム棚卸"][ref] = value
    book.save(tmp_path / "r.xlsx")
    sync_driver.run(lambda: w.collect_inquiry("Q1", [tmp_path / "r.xlsx"]))
    page = w.inquiries_page
    w.show_page(INQUIRIES)
    assert page.findings.column_values(page.findings.COL_CODE) == ["V5"]
    page.findings_table.selectRow(0)
    monkeypatch.setattr(QInputDialog, "getMultiLineText", staticmethod(lambda *a, **k: ("課に確認済み", True)))
    qtbot.mouseClick(page.waive_button, Qt.MouseButton.LeftButton)
    statuses = dict(zip(page.model.column_values(StatusModel.COL_CODE), page.model.column_values(StatusModel.COL_STATUS)))
    assert statuses["B01"] == L.STATUS_ACCEPTED and "課に確認済み" in page.findings.rows[0].waiver
    empty = next((tmp_path / "ws" / "out" / "Q1" / "配布").glob("*_A01_*"))
    book = openpyxl.load_workbook(empty)
    book["システム棚卸"]["B4"], book["システム棚卸"]["F4"] = "山田", "1"  # the table left empty: Q4, to review
    book.save(tmp_path / "a.xlsx")
    sync_driver.run(lambda: w.collect_inquiry("Q1", [tmp_path / "a.xlsx"]))
    assert page.model.column_values(StatusModel.COL_STATUS)[0] == L.STATUS_RETURNED
    page.table.selectRow(0)
    qtbot.mouseClick(page.accept_button, Qt.MouseButton.LeftButton)
    assert page.model.column_values(StatusModel.COL_STATUS)[0] == L.STATUS_ACCEPTED


def test_collecting_a_folder_with_no_workbook_into_an_inquiry_says_so(sync_window, sync_driver, tmp_path, shown, databases):
    w = sync_window
    sync_driver.run(lambda: w.open_workspace(tmp_path / "ws", create=True, database=databases()))
    form = FORMS["システム棚卸"](tmp_path / "システム棚卸.xlsx")
    sync_driver.run(lambda: w.new_inquiry(form, "システム棚卸", dt.date(2025, 6, 30),
                                          sections_book(tmp_path / "課一覧.xlsx")))
    (tmp_path / "returns").mkdir()
    message = sync_driver.run(lambda: w.collect_inquiry("Q1", [tmp_path / "returns"]), ok=False)
    assert f"{tmp_path / 'returns'} に取り込める様式" in message and shown.messages[-1][0] == "warning"
    assert not shown.crashes


def test_reminders_and_a_recheck_from_the_inquiry_page(sync_window, sync_driver, qtbot, tmp_path, shown, databases):
    import email

    from ui.main_window import ACTIONS
    w = sync_window
    sync_driver.run(lambda: w.open_workspace(tmp_path / "ws", create=True, database=databases()))
    form = FORMS["システム棚卸"](tmp_path / "システム棚卸.xlsx")
    sync_driver.run(lambda: w.new_inquiry(form, "システム棚卸", dt.date(2025, 6, 30), sections_book(tmp_path / "課.xlsx")))
    sync_driver.run(lambda: w.distribute_inquiry("Q1"))
    page = w.inquiries_page
    w.show_page(INQUIRIES)
    # the same labels as the round's 再点検 and 催促 (one source: the window's actions)
    assert page.buttons["check"].text() == ACTIONS["check"][0] and page.buttons["remind"].text() == ACTIONS["remind"][0]
    copy = next((tmp_path / "ws" / "out" / "Q1" / "配布").glob("*_A01_*"))
    book = openpyxl.load_workbook(copy)
    for ref, value in {"B4": "山田", "B8": "財務会計システム", "C8": "財政課", "D8": "R3", "E8": 1200, "F8": 800,
                       "G8": "クラウド"}.items():  # 内線 (F4) left blank: V1 while it is required
        book["システム棚卸"][ref] = value
    book.save(tmp_path / "a.xlsx")
    sync_driver.run(lambda: w.collect_inquiry("Q1", [tmp_path / "a.xlsx"]))
    assert "V1" in page.findings.column_values(page.findings.COL_CODE)
    mapping = tmp_path / "ws" / "out" / "Q1" / "対応表_Q1.xlsx"
    book = openpyxl.load_workbook(mapping)
    book["入力欄"]["L5"] = None  # 内線 is not required after all
    book.save(mapping)
    sync_driver.run(lambda: w.apply_inquiry_mapping("Q1", mapping))
    assert "V1" in page.findings.column_values(page.findings.COL_CODE)  # not checked again yet
    before = len(sync_driver.ended)
    qtbot.mouseClick(page.buttons["check"], Qt.MouseButton.LeftButton)
    name, ok, outcome = sync_driver.ended[before]
    assert ok and "Q1: 1 件の提出を対応表（版 " in outcome.message
    assert "V1" not in page.findings.column_values(page.findings.COL_CODE)
    assert page.model.column_values(StatusModel.COL_STATUS)[0] == L.STATUS_RETURNED  # no longer 要修正
    qtbot.mouseClick(page.buttons["remind"], Qt.MouseButton.LeftButton)
    name, ok, outcome = sync_driver.ended[-1]
    drafts = tmp_path / "ws" / "out" / "Q1" / "催促メール"
    assert ok and f"Q1: 催促文 5 件を書き出しました" in outcome.message and str(drafts) in outcome.message
    emls = sorted(drafts.glob("*.eml"))
    assert len(emls) == 5 and not any("A01" in p.name for p in emls)
    attached = [part.get_filename() for part in email.message_from_bytes(emls[0].read_bytes()).walk()
                if part.get_filename()]
    assert attached and attached[0].endswith(".xlsx")
    page.grab().save(str(tmp_path.parent / "inquiry_page.png"))
    assert not shown.crashes and not shown.messages
