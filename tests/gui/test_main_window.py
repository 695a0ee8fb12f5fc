"""Drive the real window through a round: workspace, plan, round, distribute, collect (drop + folder), consolidate."""
from __future__ import annotations

import datetime as dt
import json
import threading
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QTimer, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication

from dxdesk import jobs
from dxdesk.demo import fill_return
from dxdesk.errors import DxdeskError
from dxdesk.sample import SAMPLE_DIR, read_csv, write_plan_workbook
from dxdesk.store.workspace import LOCK_NAME, init_workspace
from ui import tasks
from ui.models import FindingsModel, StatusModel

pytestmark = pytest.mark.gui


def drop_paths(window, paths: list[Path]) -> QDropEvent:
    """What the window receives when files are dragged from Explorer and let go over it."""
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    centre = QPointF(window.rect().center())
    enter = QDragEnterEvent(centre, Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                            Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(window, enter)
    assert enter.isAccepted()
    drop = QDropEvent(centre, Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                      Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(window, drop)
    return drop


def status_by_code(window) -> dict[str, str]:
    model = window.collect_page.model
    return dict(zip(model.column_values(StatusModel.COL_CODE), model.column_values(StatusModel.COL_STATUS)))


def test_round_from_workspace_to_consolidated_workbook(window, driver, tmp_path, shown, databases):
    plan_path = write_plan_workbook(SAMPLE_DIR, tmp_path / "計画マスタ.xlsx")
    driver.run(lambda: window.open_workspace(tmp_path / "ws", create=True, database=databases()))
    assert not window.actions_by_key["round"].isEnabled()      # no plan yet
    driver.run(lambda: window.import_plan(plan_path))
    assert "佐世保市" in window.state_bar.where.text()
    driver.run(lambda: window.create_round(2023, dt.date(2024, 5, 17)))
    assert window.round_id == "FY2023-1"
    distributed = driver.run(window.distribute).result
    assert len(distributed.files) == 19
    assert window.collect_page.model.rowCount() == 19

    plan = jobs.require_plan(window.ws)
    actuals = {row["指標ID"]: row for row in read_csv(SAMPLE_DIR / "今年度実績.csv")}
    inbox = tmp_path / "回収"
    forms = sorted(distributed.files)[:3]
    for form, fault in zip(forms, ("", "wrong_grade", "")):
        fill_return(form, inbox / form.name, plan, actuals, 2023, fault)

    dropped = inbox / forms[0].name
    ended = len(driver.ended)
    assert drop_paths(window, [dropped]).isAccepted()
    driver.qtbot.waitUntil(lambda: len(driver.ended) > ended, timeout=60_000)
    assert driver.ended[-1][1] is True
    assert status_by_code(window)["S01"] == "提出済"  # K7/V6 warnings to review, no error

    dropped.unlink()
    outcome = driver.run(lambda: window.collect([inbox]))
    assert [o.outcome for o in outcome.result.outcomes] == ["取込", "取込"]
    statuses = status_by_code(window)
    assert statuses["S01"] == statuses["S03"] == "提出済"  # warnings (K7, V6, K3) to review
    assert statuses["S02"] == "要修正"
    assert {code for code, status in statuses.items() if status == "未提出"} == {f"S{n:02}" for n in range(4, 20)}
    errors = window.collect_page.model.column_values(StatusModel.COL_ERRORS)
    assert errors[1] >= 1 and errors[0] == errors[2] == 0
    assert window.nav.item(2).text() == "3 回収（3/19）"

    findings = window.findings_page.model
    rows = list(zip(findings.column_values(FindingsModel.COL_CODE), findings.column_values(FindingsModel.COL_SECTION),
                    findings.column_values(FindingsModel.COL_SEVERITY)))
    assert ("K2", "S02 情報政策課", "エラー") in rows

    page = window.findings_page
    page.section_combo.setCurrentIndex(page.section_combo.findData("S02"))
    assert page.proxy.rowCount() == sum(1 for _code, section, _sev in rows if section.startswith("S02"))
    page.severity_combo.setCurrentIndex(page.severity_combo.findData("WARN"))
    # この重要度以上, as `dxdesk findings --severity WARN`
    assert page.proxy.rowCount() == sum(1 for _c, section, sev in rows
                                        if section.startswith("S02") and sev in ("警告", "エラー"))

    rechecked = driver.run(window.check)
    assert "3 件の提出" in rechecked.message
    done = driver.run(window.consolidate).result
    assert done.workbook.is_file() and done.workbook.name == "集約_FY2023-1.xlsx"
    assert shown.messages == [] and shown.crashes == []


def test_dxdesk_error_in_a_job_is_a_message_and_the_window_stays_responsive(window, driver, tmp_path, shown,
                                                                            monkeypatch, databases):
    driver.run(lambda: window.open_workspace(tmp_path / "ws", create=True, database=databases()))
    release = threading.Event()
    seen = {}

    def slow_failing_import(ws, path, progress):
        seen["thread"] = threading.current_thread()
        progress.status("計画マスタを読み込み中")
        assert release.wait(10)
        raise DxdeskError(f"{path.name}: 施策を1件も取り込めませんでした。")

    monkeypatch.setattr(tasks, "import_plan", slow_failing_import)
    ticks = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start(10)
    assert window.import_plan(tmp_path / "壊れた計画.xlsx")
    driver.qtbot.waitUntil(lambda: "thread" in seen)
    driver.qtbot.wait(200)                      # the GUI thread keeps turning while the job waits
    assert len(ticks) >= 5
    assert window.runner.busy and not window.actions_by_key["open"].isEnabled()
    assert window.progress_bar.isVisible() and window.status_text.text() == "計画マスタを読み込み中"
    assert window.import_plan(tmp_path / "二つ目.xlsx") is False     # one job at a time
    release.set()
    driver.qtbot.waitUntil(lambda: not window.runner.busy)
    timer.stop()

    assert seen["thread"] is not threading.main_thread()
    assert shown.messages == [("warning", "計画マスタ取込 — dxdesk", "壊れた計画.xlsx: 施策を1件も取り込めませんでした。")]
    assert shown.crashes == []
    assert window.actions_by_key["plan"].isEnabled()


def test_unexpected_error_in_a_job_reaches_the_crash_dialog(window, driver, tmp_path, shown, monkeypatch, databases):
    driver.run(lambda: window.open_workspace(tmp_path / "ws", create=True, database=databases()))
    monkeypatch.setattr(tasks, "import_plan", lambda ws, path, progress: {}["no such key"])
    driver.run(lambda: window.import_plan(tmp_path / "x.xlsx"), ok=False)
    assert len(shown.crashes) == 1
    summary, details = shown.crashes[0]
    assert "KeyError" in summary and "Traceback" in details
    assert shown.messages == []


def test_readonly_workspace_shows_why_and_disables_writing(window, driver, tmp_path):
    init_workspace(tmp_path / "ws").close()
    holder = {"user": "tanaka", "host": "other-pc", "pid": 1, "since": "2024-05-20T09:00:00"}
    (tmp_path / "ws" / LOCK_NAME).write_text(json.dumps(holder), encoding="utf-8")
    driver.run(lambda: window.open_workspace(tmp_path / "ws"))
    assert window.ws.readonly
    assert window.readonly_banner.isVisible() and "tanakaさん" in window.readonly_banner.text()
    assert not window.actions_by_key["plan"].isEnabled()
    assert window.actions_by_key["out"].isEnabled() and window.actions_by_key["open"].isEnabled()


def test_cancel_stops_a_running_job(window, driver, tmp_path, monkeypatch, databases):
    driver.run(lambda: window.open_workspace(tmp_path / "ws", create=True, database=databases()))
    started = threading.Event()

    def endless(ws, path, progress):
        started.set()
        while not progress.cancelled():
            threading.Event().wait(0.01)
        from dxdesk.progress import Cancelled
        raise Cancelled()

    monkeypatch.setattr(tasks, "import_plan", endless)
    assert window.import_plan(tmp_path / "x.xlsx")
    driver.qtbot.waitUntil(started.is_set)
    window.cancel_button.click()
    driver.qtbot.waitUntil(lambda: not window.runner.busy)
    assert window.status_text.text() == "計画マスタ取込を中止しました。"


def test_opening_a_folder_that_is_no_workspace_says_so(window, driver, tmp_path, shown):
    driver.run(lambda: window.open_workspace(tmp_path), ok=False)
    assert shown.messages and "ワークスペースではありません" in shown.messages[0][2]
    assert window.ws is None and not window.actions_by_key["plan"].isEnabled()
