"""How the window behaves around the work: Qt's own texts in Japanese, Qt's own file dialog where the native
one is not available, logs that rotate, a portable home for the window's preferences."""
from __future__ import annotations

import logging
import sys

import pytest
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QFileDialog

from ui import crash, prefs
from ui.app import install_japanese_translation

pytestmark = pytest.mark.gui


def test_standard_buttons_are_in_japanese(qtbot):
    assert install_japanese_translation(QApplication.instance()) is not None
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
                           | QDialogButtonBox.StandardButton.Save)
    assert {b.text() for b in box.buttons()} == {"OK", "キャンセル", "保存"}


def test_qt_file_dialog_where_the_native_one_is_not_available(monkeypatch):
    from ui.main_window import dialog_options
    monkeypatch.setattr(sys, "platform", "linux")
    assert dialog_options() & QFileDialog.Option.DontUseNativeDialog
    monkeypatch.setattr(sys, "platform", "win32")
    assert not dialog_options() & QFileDialog.Option.DontUseNativeDialog


def test_logs_rotate_in_the_log_folder(tmp_path, monkeypatch):
    monkeypatch.setattr(crash, "LOG_BYTES", 2_000)
    root = logging.getLogger("dxdesk")
    before = list(root.handlers)
    path = crash.setup_logging(tmp_path / "logs")
    try:
        for n in range(200):
            logging.getLogger("dxdesk.test").info("行 %d: 取り込みました", n)
    finally:
        for handler in root.handlers[len(before):]:
            handler.close()
            root.removeHandler(handler)
    names = sorted(p.name for p in (tmp_path / "logs").iterdir())
    assert path == tmp_path / "logs" / "dxdesk.log"
    assert names == ["dxdesk.log"] + [f"dxdesk.log.{n}" for n in range(1, crash.LOG_BACKUPS + 1)]


def test_recent_workspaces_are_kept_in_the_portable_ini(own_preferences, tmp_path):
    for name in ("a", "b", "a"):
        prefs.remember_workspace(tmp_path / name)
    assert prefs.recent_workspaces() == [str(tmp_path / "a"), str(tmp_path / "b")]
    assert (own_preferences / "dxdesk.ini").is_file()
