"""Run one plain job function at a time on a QThreadPool; results come back to the GUI thread as signals.

Picard's rule: a worker never touches a widget. It only emits signals, and Qt queues them to the
receivers, which live in the GUI thread.
"""
from __future__ import annotations

import threading
import traceback
from typing import Any, Callable

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from dxdesk.progress import Cancelled


class JobSignals(QObject):
    """Created in the GUI thread, emitted from the worker: Qt queues each emission to the GUI thread."""

    status = Signal(str)
    fraction = Signal(float)
    finished = Signal(object)
    failed = Signal(object, str)   # the exception, its formatted traceback
    cancelled = Signal()


class SignalProgress:
    """The dxdesk Progress protocol, reporting through signals; cancellation through a thread-safe flag."""

    def __init__(self, signals: JobSignals) -> None:
        self._signals = signals
        self._cancel = threading.Event()

    def status(self, text: str) -> None:
        self._signals.status.emit(text)

    def fraction(self, value: float) -> None:
        self._signals.fraction.emit(float(value))

    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def cancel(self) -> None:
        self._cancel.set()


class Job(QRunnable):
    """Call fn(*args, progress=…) on a pool thread and report how it ended."""

    def __init__(self, fn: Callable[..., Any], *args: Any) -> None:
        super().__init__()
        self.setAutoDelete(False)   # the runner keeps the Python object alive until it has ended
        self.fn = fn
        self.args = args
        self.signals = JobSignals()
        self.progress = SignalProgress(self.signals)

    def run(self) -> None:
        try:
            result = self.fn(*self.args, progress=self.progress)
        except Cancelled:
            self.signals.cancelled.emit()
        except BaseException as exc:  # noqa: BLE001 — every failure is reported, none kills the pool thread
            self.signals.failed.emit(exc, "".join(traceback.format_exception(exc)))
        else:
            self.signals.finished.emit(result)


class JobRunner(QObject):
    """Starts one job at a time and relays its signals; the window listens to this object only."""

    busy_changed = Signal(bool)
    status = Signal(str)
    fraction = Signal(float)
    finished = Signal(str, object)          # job name, result
    failed = Signal(str, object, str)       # job name, exception, traceback text
    cancelled = Signal(str)

    def __init__(self, parent: QObject | None = None, pool: QThreadPool | None = None) -> None:
        super().__init__(parent)
        self.pool = pool or QThreadPool(self)
        self.pool.setMaxThreadCount(1)
        self.job: Job | None = None
        self.name = ""
        self._ended: Job | None = None   # kept until the next start, so its thread has surely returned

    @property
    def busy(self) -> bool:
        return self.job is not None

    def start(self, name: str, fn: Callable[..., Any], *args: Any) -> Job:
        """Run fn(*args, progress=…) off the GUI thread; refuse if a job is already running."""
        if self.job is not None:
            raise RuntimeError(f"ジョブ「{self.name}」の実行中です。")
        job = Job(fn, *args)
        job.signals.status.connect(self.status)
        job.signals.fraction.connect(self.fraction)
        job.signals.finished.connect(lambda result: self._end(lambda: self.finished.emit(name, result)))
        job.signals.failed.connect(lambda exc, tb: self._end(lambda: self.failed.emit(name, exc, tb)))
        job.signals.cancelled.connect(lambda: self._end(lambda: self.cancelled.emit(name)))
        self.job, self.name = job, name
        self.busy_changed.emit(True)
        self.pool.start(job)
        return job

    def cancel(self) -> None:
        if self.job is not None:
            self.job.progress.cancel()

    def wait(self, msecs: int = -1) -> bool:
        """Block until the pool is idle (closing the window, tests)."""
        return self.pool.waitForDone(msecs)

    def _end(self, report: Callable[[], None]) -> None:
        self._ended, self.job, self.name = self.job, None, ""
        self.busy_changed.emit(False)
        report()
