"""A whole round through the window's pages, as an office member clicks it: workspace, plan (preview and
import findings), round, distribute, collect (board, history, original), findings (filter, detail, waive,
accept, re-check), settings, outputs (each one click, print), help. Jobs run inline (FakeThreadPool)."""
from __future__ import annotations

import datetime as dt
import os
import time

import openpyxl
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QInputDialog

from dxdesk import jobs
from dxdesk.demo import fill_return
from dxdesk.sample import SAMPLE_DIR, read_csv, write_plan_workbook
from ui import prefs
from ui.dialogs import NewWorkspaceDialog
from ui.main_window import COLLECT, FINDINGS, OUTPUTS, PLAN
from ui.models import FindingsModel, StatusModel

pytestmark = pytest.mark.gui


def click(button) -> None:
    assert button.isEnabled(), f"{button.text()} is disabled"
    button.click()


def page_button(page, key_text: str):
    from PySide6.QtWidgets import QAbstractButton
    found = [b for b in page.findChildren(QAbstractButton) if b.text().startswith(key_text)]
    assert found, f"no button {key_text} on {type(page).__name__}"
    return found[0]


@pytest.fixture
def plan_workbook(tmp_path):
    return write_plan_workbook(SAMPLE_DIR, tmp_path / "計画マスタ.xlsx")


def test_a_whole_round_from_the_pages(sync_window, sync_driver, tmp_path, plan_workbook, shown, opened,
                                      monkeypatch):
    w = sync_window
    ws_dir = tmp_path / "照会ワークスペース"
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", staticmethod(lambda *a, **k: str(ws_dir)))
    monkeypatch.setattr(NewWorkspaceDialog, "exec", lambda self: (self._browse(), True)[1])  # 参照… → the folder
    w.actions_by_key["new"].trigger()
    assert w.ws is not None and w.ws.root == ws_dir.resolve()
    assert prefs.recent_workspaces() == [str(ws_dir.resolve())]

    # 1 計画: import with a preview of measures and KPIs, and the import's findings
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (str(plan_workbook), "")))
    click(page_button(w.plan_page, "計画マスタを取り込む"))
    assert w.plan_page.measures.rowCount() == len(w.snapshot.plan.measures) > 0
    assert w.plan_page.kpis.rowCount() == len(w.snapshot.plan.kpis) > 0
    assert w.plan_page.tabs.tabText(0).startswith("施策（")
    assert "佐世保市" in w.plan_page.summary.text()
    sync_driver.run(lambda: w.create_round(2023, dt.date(2024, 5, 17)))
    assert "FY2023-1" in w.state_bar.rounds.currentText()
    assert "締切 2024年5月17日" in w.state_bar.counts.text()

    # 2 配布
    w.show_page(1)
    click(page_button(w.distribute_page, "様式を作成"))
    assert w.distribute_page.model.rowCount() == 19
    assert "（未作成）" not in w.distribute_page.model.column_values(3 + 1)
    click(page_button(w.distribute_page, "配布フォルダを開く"))
    assert opened[-1].endswith("FY2023-1/配布")
    forms = sorted(p for p in (ws_dir / "out" / "FY2023-1" / "配布").iterdir())

    # 3 回収: a folder, then the same folder read again after a re-submission
    plan = jobs.require_plan(w.ws)
    actuals = {row["指標ID"]: row for row in read_csv(SAMPLE_DIR / "今年度実績.csv")}
    inbox = tmp_path / "回収"
    for form, fault in zip(forms[:3], ("", "wrong_grade", "")):
        fill_return(form, inbox / form.name, plan, actuals, 2023, fault)
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", staticmethod(lambda *a, **k: str(inbox)))
    click(page_button(w.collect_page, "フォルダから取り込む"))
    assert w.pages.currentIndex() == COLLECT
    assert w.collect_page.board.count("未提出") == 16 and w.collect_page.board.count("要修正") == 1
    assert "提出 3/19" in w.state_bar.counts.text() and "要修正 1" in w.state_bar.counts.text()
    fill_return(forms[0], inbox / forms[0].name, plan, actuals, 2023, "zenkaku")   # S01 sends a corrected copy
    later = time.time() + 5  # saved seconds after the first copy, as a real correction is (ties are by second)
    os.utime(inbox / forms[0].name, (later, later))
    click(page_button(w.collect_page, "同じフォルダを読み直す"))
    w.collect_page.select_section("S01")
    history = w.collect_page.history
    assert history.column_values(history.COL_STATE) == ["最新", "差し替え済み"]
    click(w.collect_page.open_button)
    assert opened[-1].endswith(".xlsx") and "/archive/" in opened[-1]
    statuses = dict(zip(w.collect_page.model.column_values(StatusModel.COL_CODE),
                        w.collect_page.model.column_values(StatusModel.COL_STATUS)))
    assert statuses["S02"] == "要修正"

    # 4 点検: filter by rule, read the whole message, waive the K2 error with a reason, accept a section
    w.show_page(FINDINGS)
    page = w.findings_page
    page.rule_combo.setCurrentIndex(page.rule_combo.findData("K2"))
    assert page.proxy.rowCount() >= 1
    assert {page.proxy.index(r, FindingsModel.COL_CODE).data() for r in range(page.proxy.rowCount())} == {"K2"}
    assert page.select_first("K2", "S02")
    k2 = page.selected()
    assert k2.message in page.detail.toPlainText() and k2.hint[:20] in page.detail.toPlainText()
    click(page.open_button)
    assert "/archive/" in opened[-1]
    from PySide6.QtGui import QGuiApplication
    assert QGuiApplication.clipboard().text() == f"{k2.sheet}!{k2.cell}"
    monkeypatch.setattr(QInputDialog, "getMultiLineText",
                        staticmethod(lambda *a, **k: ("課に確認し、自己評価 A は正しいと回答あり", True)))
    k2_errors = sum(1 for f in w.snapshot.findings if f.section == "S02" and f.blocking)
    click(page.waive_button)
    assert sum(1 for f in w.snapshot.findings if f.section == "S02" and f.blocking) == k2_errors - 1
    assert any("課に確認し" in f.waiver for f in w.snapshot.findings)
    page.rule_combo.setCurrentIndex(0)
    page.section_combo.setCurrentIndex(page.section_combo.findData("S03"))
    page.table.selectRow(0)
    assert page.accept_button.text() == "S03 を受理(&A)"
    click(page.accept_button)
    assert dict((s.section.code, s.status) for s in w.snapshot.statuses)["S03"] == "受理"
    click(page_button(page, "再点検"))
    assert "件の提出を現在の規則集で点検し直しました" in w.status_text.text()

    # 設定: built from dxdesk/settings.py; the office's contact goes on the next forms
    from ui.settings_dialog import SettingsDialog

    def fill_settings(dialog):
        dialog.set_value("office_name", "佐世保市 DX推進課")
        dialog.set_value("office_extension", "2345")
        dialog.set_value("office_mail", "dx@city.sasebo.lg.jp")
        return True
    monkeypatch.setattr(SettingsDialog, "exec", fill_settings)
    w.actions_by_key["settings"].trigger()
    assert w.ws.setting("office_extension") == "2345" and w.ws.setting("sheet_password") == "dxdesk"
    click(page_button(w.distribute_page, "様式を作成"))
    cover = openpyxl.load_workbook(forms[0], read_only=True).worksheets[0]
    text = " ".join(str(c) for row in cover.iter_rows(values_only=True) for c in row if c)
    assert "内線 2345" in text and "dx@city.sasebo.lg.jp" in text

    # 5 集約・出力: each one click; the list shows what was made; print to PDF
    w.show_page(OUTPUTS)
    for label in ("集約ブックを作成", "本部会議資料を作成", "差戻しブックを作成", "催促文を作成", "全年度の CSV を書き出す"):
        click(page_button(w.outputs_page, label))     # 公表資料・監査資料: the same job, minutes of PDF (below)
    names = w.outputs_page.model.column_values(0)
    assert {"集約/集約_FY2023-1.xlsx", "集約/opendata_FY2023-1.csv", "催促文.txt", "集約/hq.xlsx", "集約/hq.pdf"} <= set(names), names
    assert any(n.startswith("集約/差戻し/") and "_S02_" in n for n in names), " | ".join(sorted(names))
    assert (ws_dir / "out" / "opendata_all.csv").is_file()
    w.outputs_page.table.selectRow(names.index("催促文.txt"))
    w.outputs_page._open()
    assert opened[-1].endswith("催促文.txt")
    from PySide6.QtPrintSupport import QPrinter
    from ui.printing import a4_printer, report_document
    printer = a4_printer(QPrinter.PrinterMode.ScreenResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "回収状況.pdf"))
    report_document(w.snapshot).print_(printer)
    assert (tmp_path / "回収状況.pdf").read_bytes().startswith(b"%PDF")
    assert shown.messages == [] and shown.crashes == []


def test_the_output_folder_button_makes_the_folder_that_does_not_exist_yet(sync_window, sync_driver, tmp_path,
                                                                            plan_workbook, opened, shown, databases):
    """Issue #8 item 4: it used to do nothing when out/<round> had not been written yet."""
    w = sync_window
    sync_driver.run(lambda: w.open_workspace(tmp_path / "ws", create=True, database=databases()))
    sync_driver.run(lambda: w.import_plan(plan_workbook))
    sync_driver.run(lambda: w.create_round(2023, dt.date(2024, 5, 17)))
    import shutil
    shutil.rmtree(tmp_path / "ws" / "out")
    w.actions_by_key["out"].trigger()
    assert (tmp_path / "ws" / "out" / "FY2023-1").is_dir()
    assert opened == [str((tmp_path / "ws" / "out" / "FY2023-1").resolve())]
    assert shown.messages == []


def test_a_failed_open_is_a_message_naming_the_folder(sync_window, sync_driver, tmp_path, monkeypatch, shown, databases):
    from PySide6.QtGui import QDesktopServices
    w = sync_window
    sync_driver.run(lambda: w.open_workspace(tmp_path / "ws", create=True, database=databases()))
    monkeypatch.setattr(QDesktopServices, "openUrl", staticmethod(lambda url: False))
    assert w.open_output_folder() is False
    assert shown.messages and str(tmp_path / "ws" / "out") in shown.messages[0][2]


def test_rounds_can_be_switched_from_the_state_bar(sync_window, sync_driver, tmp_path, plan_workbook, databases):
    w = sync_window
    sync_driver.run(lambda: w.open_workspace(tmp_path / "ws", create=True, database=databases()))
    sync_driver.run(lambda: w.import_plan(plan_workbook))
    sync_driver.run(lambda: w.create_round(2023, dt.date(2024, 5, 17)))
    sync_driver.run(lambda: w.create_round(2024, dt.date(2025, 5, 16)))
    sync_driver.run(lambda: w.choose_round("FY2024-1"))
    assert w.round_id == "FY2024-1" and w.state_bar.rounds.count() == 2
    w.state_bar.rounds.setCurrentIndex(w.state_bar.rounds.findData("FY2023-1"))
    w.state_bar.rounds.activated.emit(w.state_bar.rounds.currentIndex())
    assert w.round_id == "FY2023-1" and "2024年5月17日" in w.state_bar.counts.text()
    assert jobs.current_round_id(w.ws) == "FY2023-1"          # the CLI's `round use` sees the same choice


def test_the_manual_opens_from_the_help_menu_rendered_inside(sync_window, monkeypatch):
    from ui.help import ManualDialog, manual_path
    seen = {}
    monkeypatch.setattr(ManualDialog, "exec", lambda self: seen.setdefault("text", self.browser.toPlainText()))
    help_menu = next(a.menu() for a in sync_window.menuBar().actions() if a.text() == "ヘルプ(&H)")
    next(a for a in help_menu.actions() if a.text() == "使い方(&M)").trigger()
    assert manual_path().is_file()
    assert "照会" in seen["text"] and "#" not in seen["text"].splitlines()[0]   # rendered, not raw markdown


def test_pages_are_reached_from_the_keyboard(sync_window, qtbot):
    w = sync_window
    w.activateWindow()
    for index in (4, 1, 0):
        qtbot.keyClick(w, str(index + 1), Qt.KeyboardModifier.ControlModifier)
        assert w.pages.currentIndex() == index
    assert w.pages.currentIndex() == PLAN


@pytest.mark.parametrize("width, height", [(1366, 768), (1280, 720)])   # 1366×768, and 1920×1080 at 150 %
def test_the_window_fits_small_and_scaled_screens(sync_window, width, height):
    hint = sync_window.minimumSizeHint()
    assert hint.width() <= width and hint.height() <= height - 40   # the taskbar


def test_a_second_round_of_the_same_year_is_asked_first(sync_window, sync_driver, tmp_path, plan_workbook, shown,
                                                        monkeypatch, databases):
    from PySide6.QtWidgets import QMessageBox
    from ui.dialogs import RoundDialog
    w = sync_window
    sync_driver.run(lambda: w.open_workspace(tmp_path / "ws", create=True, database=databases()))
    sync_driver.run(lambda: w.import_plan(plan_workbook))
    monkeypatch.setattr(RoundDialog, "exec", lambda self: (self.fy_spin.setValue(2023), True)[1])
    w.actions_by_key["round"].trigger()
    assert w.round_id == "FY2023-1" and shown.messages == []
    answers = [QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes]
    monkeypatch.setattr(QMessageBox, "question", staticmethod(lambda *a, **k: answers.pop(0)))
    w.actions_by_key["round"].trigger()
    assert w.round_id == "FY2023-1" and w.state_bar.rounds.count() == 1     # said no: nothing made
    w.actions_by_key["round"].trigger()
    assert w.round_id == "FY2023-2" and w.state_bar.rounds.count() == 2


def test_the_rule_book_is_edited_in_excel_from_the_settings(sync_window, sync_driver, tmp_path, plan_workbook,
                                                            opened, shown, monkeypatch, databases):
    from ui.settings_dialog import SettingsDialog
    w = sync_window
    sync_driver.run(lambda: w.open_workspace(tmp_path / "ws", create=True, database=databases()))
    sync_driver.run(lambda: w.import_plan(plan_workbook))
    target = tmp_path / "規則集.xlsx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(target), "")))
    monkeypatch.setattr(SettingsDialog, "exec", lambda self: self.export_rules.click() or False)
    w.actions_by_key["settings"].trigger()
    assert target.is_file() and opened == [str(target)]              # written, then opened in Excel
    book = openpyxl.load_workbook(target)
    sheet = book["閾値"]
    row = next(r for r in sheet.iter_rows() if r[0].value == "M2")
    value_cell = next(c for c in row if isinstance(c.value, (int, float)))
    value_cell.value = 0.4
    book.save(target)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (str(target), "")))
    monkeypatch.setattr(SettingsDialog, "exec", lambda self: self.import_rules.click() or False)
    w.actions_by_key["settings"].trigger()
    assert "規則集を取り込みました" in w.status_text.text()
    from dxdesk.store.rulebook_repo import current_rulebook
    assert current_rulebook(w.ws.conn).param("M2", "執行率の下限") == 0.4
    assert shown.messages == []


def test_every_pack_has_its_button():
    from dxdesk import jobs as domain_jobs
    from ui.main_window import ACTIONS
    from ui.pages.outputs import OUTPUTS
    assert {key.removeprefix("pack_") for key in ACTIONS if key.startswith("pack_")} == set(domain_jobs.PACKS)
    assert {key for key, _ in OUTPUTS} >= {f"pack_{p}" for p in domain_jobs.PACKS} | {"sendback", "remind"}


def test_a_re_import_shows_what_changed_from_the_edition_before(sync_window, sync_driver, tmp_path, plan_workbook, databases):
    w = sync_window
    sync_driver.run(lambda: w.open_workspace(tmp_path / "ws", create=True, database=databases()))
    sync_driver.run(lambda: w.import_plan(plan_workbook))
    assert w.plan_page.tabs.tabText(w.plan_page.tabs.indexOf(w.plan_page.changes)) == "変更点"
    revised = openpyxl.load_workbook(plan_workbook)
    sheet = revised["指標"]
    header = [c.value for c in sheet[1]]
    row = next(r for r in sheet.iter_rows(min_row=2) if r[header.index("指標ID")].value == "K027")
    old_name = row[header.index("指標名")].value
    row[header.index("指標名")].value = "電子申請の利用件数（改定）"
    revised.save(tmp_path / "計画マスタ_改定.xlsx")
    sync_driver.run(lambda: w.import_plan(tmp_path / "計画マスタ_改定.xlsx"))
    text = w.plan_page.changes.toPlainText()
    assert "K027" in text and old_name in text and "電子申請の利用件数（改定）" in text
    assert w.plan_page.tabs.tabText(w.plan_page.tabs.indexOf(w.plan_page.changes)).startswith("変更点（")


def test_the_state_bar_and_plan_page_count_each_level_apart(qtbot, tmp_path):
    """A plan whose 施策 sheet has 課題 rows: the window says プロジェクト 3・課題 2, not 施策 5."""
    from pathlib import Path
    from types import SimpleNamespace

    from PySide6.QtGui import QAction

    from dxdesk.plan.importer import import_plan
    from ui.pages.plan import PlanPage
    from ui.statebar import where_html
    levels = Path(__file__).parent.parent / "fixtures" / "plans" / "sasebo_levels"
    plan, _ = import_plan(write_plan_workbook(levels, tmp_path / "plan.xlsx"))
    shown = where_html(SimpleNamespace(workspace=SimpleNamespace(root=tmp_path), plan=plan))
    assert "課 2・プロジェクト 3・課題 2・指標 6）" in shown, shown
    page = PlanPage({"plan": QAction("計画マスタを取り込む"), "round": QAction("照会を作成")})
    qtbot.addWidget(page)
    page.present(SimpleNamespace(plan=plan, plan_findings=[], plan_changes=None))
    assert "課 2・プロジェクト 3・課題 2・指標 6・年度目標 34・実績 4・予算 0 件" in page.summary.text()


def test_a_folder_with_nothing_to_collect_or_gone_is_a_message_naming_it(sync_window, sync_driver, tmp_path,
                                                                          plan_workbook, shown, databases):
    w = sync_window
    sync_driver.run(lambda: w.open_workspace(tmp_path / "ws", create=True, database=databases()))
    sync_driver.run(lambda: w.import_plan(plan_workbook))
    sync_driver.run(lambda: w.create_round(2023, dt.date(2024, 5, 17)))
    inbox = tmp_path / "回収"
    inbox.mkdir()
    (inbox / "メモ.txt").write_text("あとで", encoding="utf-8")
    assert w.collect([inbox]) is False
    kind, _, text = shown.messages[-1]
    assert kind == "information" and f"{inbox} に取り込める様式" in text and "メモ.txt" in text
    inbox.joinpath("メモ.txt").unlink()
    inbox.rmdir()  # the folder of the last collection, moved away: 再読み込み names it
    w.last_collect = [inbox]
    assert w.reload_collection() is False
    assert "指定したフォルダ・ファイルがありません" in shown.messages[-1][2] and str(inbox) in shown.messages[-1][2]
    assert not shown.crashes
