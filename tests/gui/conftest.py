"""GUI tests: the real window, offscreen; message boxes and the crash dialog are recorded, never shown."""
from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from dataclasses import dataclass, field  # noqa: E402
from typing import Callable  # noqa: E402

import pytest  # noqa: E402
from PySide6.QtWidgets import QMessageBox  # noqa: E402

from ui import crash  # noqa: E402


@dataclass
class Shown:
    """What would have popped up: (kind, title, text) per message box, (summary, details) per crash."""

    messages: list[tuple[str, str, str]] = field(default_factory=list)
    crashes: list[tuple[str, str]] = field(default_factory=list)


class FakeThreadPool:
    """Picard's test pool: a job runs inline on start(), so a test sees its result as soon as it is started."""

    def setMaxThreadCount(self, count: int) -> None:
        pass

    def start(self, runnable) -> None:
        runnable.run()

    def waitForDone(self, msecs: int = -1) -> bool:
        return True


@pytest.fixture(autouse=True)
def own_preferences(tmp_path_factory, monkeypatch):
    """The window's preferences and logs go to a fresh folder, never to the tester's profile."""
    home = tmp_path_factory.mktemp("dxdesk-home")
    monkeypatch.setenv("DXDESK_HOME", str(home))
    return home


@pytest.fixture(autouse=True)
def opened(monkeypatch) -> list[str]:
    """Files and folders the window asked the desktop to open (nothing is really opened)."""
    from PySide6.QtGui import QDesktopServices
    record: list[str] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", staticmethod(lambda url: record.append(url.toLocalFile()) or True))
    return record


@pytest.fixture(autouse=True)
def shown(monkeypatch) -> Shown:
    record = Shown()

    def fake(kind: str) -> Callable:
        def show(parent, title, text, *args, **kwargs):
            record.messages.append((kind, title, text))
            return QMessageBox.StandardButton.Ok
        return show

    for kind in ("information", "warning", "critical", "question"):
        monkeypatch.setattr(QMessageBox, kind, staticmethod(fake(kind)))
    monkeypatch.setattr(crash, "show_exception",
                        lambda summary, details, parent=None: record.crashes.append((summary, details)))
    return record


class Driver:
    """Start a window job and wait until it has ended, whichever way."""

    def __init__(self, qtbot, window) -> None:
        self.qtbot, self.window = qtbot, window
        self.ended: list[tuple[str, bool, object]] = []
        window.job_finished.connect(lambda name, outcome: self.ended.append((name, True, outcome)))
        window.job_failed.connect(lambda name, message: self.ended.append((name, False, message)))

    def run(self, start: Callable[[], bool], timeout: int = 60_000, ok: bool = True):
        before = len(self.ended)
        assert start() is True, "the window refused to start the job"
        self.qtbot.waitUntil(lambda: len(self.ended) > before, timeout=timeout)
        name, succeeded, payload = self.ended[-1]
        assert succeeded is ok, f"{name}: {payload}"
        return payload


@pytest.fixture
def window(qtbot):
    from ui.main_window import MainWindow
    win = MainWindow()
    qtbot.addWidget(win)
    win.show()
    yield win
    win.close()


@pytest.fixture
def driver(qtbot, window) -> Driver:
    return Driver(qtbot, window)


@pytest.fixture
def sync_window(qtbot):
    """The real window whose jobs run inline (FakeThreadPool): deterministic and fast."""
    from ui.main_window import MainWindow
    win = MainWindow(pool=FakeThreadPool())
    qtbot.addWidget(win)
    win.resize(1366, 768)
    win.show()
    yield win
    win.close()


@pytest.fixture
def sync_driver(qtbot, sync_window) -> Driver:
    return Driver(qtbot, sync_window)
