"""The third tier of error: log the unexpected, and show it in a dialog with copyable details."""
from __future__ import annotations

import logging
import sys
import traceback
from logging.handlers import RotatingFileHandler
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QCoreApplication, QThread
from PySide6.QtWidgets import QWidget

from ui import prefs
from ui.dialogs import ExceptionDialog

log = logging.getLogger("dxdesk.ui")
_state = {"log_path": None, "showing": False}


LOG_BYTES = 1_000_000
LOG_BACKUPS = 5


def setup_logging(folder: Path | None = None) -> Path | None:
    """Log to <user log dir>/dxdesk.log, rotated (5 × 1 MB) — or, in portable mode, to logs/ beside the
    executable (ui/prefs.py); a log that cannot be written is not worth failing for."""
    try:
        folder = folder or prefs.log_dir()
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / "dxdesk.log"
        handler = RotatingFileHandler(path, maxBytes=LOG_BYTES, backupCount=LOG_BACKUPS, encoding="utf-8")
    except OSError:
        return None
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger("dxdesk")
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    _state["log_path"] = path
    return path


def log_path() -> Path | None:
    return _state["log_path"]


def show_exception(summary: str, details: str, parent: QWidget | None = None) -> None:
    """Log it; on the GUI thread also show the dialog (one at a time, never nested)."""
    log.error("%s\n%s", summary, details)
    app = QCoreApplication.instance()
    if app is None or QThread.currentThread() is not app.thread() or _state["showing"]:
        return
    _state["showing"] = True
    try:
        ExceptionDialog(summary, details, log_path(), parent).exec()
    finally:
        _state["showing"] = False


def excepthook(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
    if issubclass(kind, KeyboardInterrupt):
        sys.__excepthook__(kind, exc, tb)
        return
    details = "".join(traceback.format_exception(kind, exc, tb))
    sys.__stderr__ and sys.__stderr__.write(details)
    show_exception(f"{kind.__name__}: {exc}", details)


def install_excepthook() -> None:
    sys.excepthook = excepthook
