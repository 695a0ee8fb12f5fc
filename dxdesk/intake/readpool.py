"""Read returned workbooks in worker processes, so that a reader that dies cannot take dxdesk down.

python-calamine is native code: a crafted file can make it ask for hundreds of GB and abort the whole
process (SIGABRT), which no `except` catches. Each return is sniffed and read in a small pool of spawned
processes (spawn everywhere: Windows has nothing else, and a forked Qt process is unsafe). A worker that
dies or hangs costs one file — it becomes an R3 finding naming the file — and the next file goes on in a
fresh worker. Archiving and the database stay in the calling process. The frozen app calls
`multiprocessing.freeze_support()` in its entry points (build/launch_*.py); a script that collects must keep
its work under `if __name__ == "__main__":`, as any program using spawned processes (a reader re-imports it).
"""
from __future__ import annotations

import atexit
import io
import logging
import multiprocessing
import os
import signal
import threading
import time
import traceback
from collections import deque
from dataclasses import dataclass, field, replace
from multiprocessing.connection import wait
from pathlib import Path
from typing import Callable, Iterable, Iterator

from dxdesk.errors import InputFileError
from dxdesk.intake.decrypt import unlock
from dxdesk.intake.reader import Workbook, read_workbook
from dxdesk.intake.saved import workbook_saved_at
from dxdesk.intake.sniff import Sniffed, sniff

log = logging.getLogger(__name__)

READ_TIMEOUT = 300.0           # seconds for one file; a real return takes milliseconds, a 50 MB sheet seconds
MEMORY_LIMIT = 4 << 30         # address space of a worker (POSIX): a runaway allocation fails fast there
WORKERS = max(1, min(4, os.cpu_count() or 1))
RESEND_HINT = "Excel で開いて保存し直したファイルを提出するよう、担当課に依頼してください（開けなければ元のファイルを送り直してもらってください）。"


@dataclass(frozen=True)
class Read:
    """What a worker found in one file: its kind (sniffed), the workbook read, or why it could not be read."""

    sniffed: Sniffed
    book: Workbook | None = None
    error: str = ""   # Japanese reason the workbook could not be read (R3)
    saved_at: str | None = None  # the workbook's own saved time (intake/saved.py), '' none; None: not read (died)


RowKeys = dict[tuple[str, str], dict[str, tuple[str, ...]]]  # (form kind, section) → sheet key → row keys


@dataclass(frozen=True)
class ReadContext:
    """What a reader needs besides the file: the plan's row keys (for a return whose stamp sheet was deleted)
    and the office's collection passwords (an encrypted return is opened in memory, in the reader)."""

    keys: RowKeys = field(default_factory=dict)
    passwords: tuple[str, ...] = field(default=(), repr=False)  # never shown or logged
    # another kind of return (全庁照会): a picklable reader(path, data, sniffed) → Read, run after the same sniff
    # and decryption, in the same worker processes
    reader: Callable[[Path, bytes | None, Sniffed], "Read"] | None = None


def read_return(path: Path, context: ReadContext | None = None) -> Read:
    """Sniff, decrypt and read one archived return (runs in a reader process). Every failure is a Read, never
    an exception: python-calamine's Rust panics (pyo3 PanicException) derive from BaseException."""
    context = context or ReadContext()
    saved = workbook_saved_at(path)  # read here with the file, so the collecting process need not open it again
    sniffed, data = sniff(path), None
    if sniffed.encrypted:
        unlocked = unlock(path, context.passwords)
        if unlocked.data is None:
            return Read(Sniffed(False, "R3", unlocked.reason, unlocked.hint), saved_at=saved)
        sniffed, data = sniff(unlocked.data), unlocked.data
        saved = saved or workbook_saved_at(io.BytesIO(data))  # an encrypted return's saved time is inside it
    return replace(_read(path, data, sniffed, context), saved_at=saved)


def _read(path: Path, data: bytes | None, sniffed: Sniffed, context: ReadContext) -> Read:
    if not sniffed.ok:
        return Read(sniffed)
    keys = context.keys
    try:
        if context.reader is not None:
            return context.reader(path, data, sniffed)
        return Read(sniffed, read_workbook(path, (lambda s: keys.get((s.form_kind, s.section_code), {}))
                                           if keys else None, data))
    except InputFileError as exc:
        return Read(sniffed, error=str(exc))
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as exc:  # noqa: BLE001 — a broken file must never stop the collection
        log.warning("reading %s failed:\n%s", path, traceback.format_exc())
        return Read(sniffed, error=f"ファイルを読み込めません（{exc.__class__.__name__}）。ファイルが壊れている可能性があります")


def died(how: str) -> Read:
    return Read(Sniffed(False, "R3", f"ファイルを読み取る処理が異常終了しました（{how}）。ファイルが壊れているか、"
                                     "想定外の内容です。ほかのファイルの取り込みは続けました。", RESEND_HINT))


def _exit_text(code: int | None) -> str:
    if code is not None and code < 0:
        try:
            return f"シグナル {signal.Signals(-code).name}"
        except ValueError:
            return f"シグナル {-code}"
    return f"終了コード {code:#x}" if code and code > 255 else f"終了コード {code}"


def _serve(conn) -> None:
    """Worker loop: receive (path, context or None when unchanged), send back its Read; None or a closed pipe
    ends it."""
    _limit_memory()
    _quiet_stderr()
    keys = None  # the ReadContext of the current read
    while True:
        try:
            task = conn.recv()
        except (EOFError, OSError):
            return
        if task is None:
            return
        path, new_keys = task
        keys = keys if new_keys is None else new_keys
        result = read_return(path, keys)
        try:
            conn.send(result)
        except Exception as exc:  # a value that cannot be pickled: say so rather than die
            conn.send(Read(result.sniffed, error=f"読み取った値を受け渡せません（{exc.__class__.__name__}）",
                           saved_at=result.saved_at))


def _quiet_stderr() -> None:
    """A dying reader's Rust panic text and backtrace are not for the user: the parent logs how it ended."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 2)
        os.close(devnull)
    except OSError:
        pass


def _limit_memory() -> None:
    try:
        import resource
        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        if hard == resource.RLIM_INFINITY or hard > MEMORY_LIMIT:
            resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, hard))
    except (ImportError, ValueError, OSError):  # Windows has no rlimit; the timeout still holds there
        pass


class _Worker:
    def __init__(self, context) -> None:
        self.conn, child = context.Pipe()
        self.process = context.Process(target=_serve, args=(child,), daemon=True, name="dxdesk-reader")
        self.process.start()
        child.close()
        self.task: tuple[int, Path] | None = None
        self.started = 0.0
        self.keys: object = None  # the ReadContext this worker holds (sent once per read)

    def give(self, index: int, path: Path, keys: object) -> None:
        self.task, self.started = (index, path), time.monotonic()
        self.conn.send((path, None if keys is self.keys else keys))
        self.keys = keys

    def stop(self, kill: bool = False) -> None:
        if kill and self.process.is_alive():
            self.process.kill()
        else:
            try:
                self.conn.send(None)
            except OSError:
                pass
        self.process.join(timeout=5)
        if self.process.is_alive():
            self.process.kill()
            self.process.join(timeout=5)
        self.conn.close()


class ReaderPool:
    """A few reader processes, started when first needed and kept for the next collection."""

    def __init__(self, size: int = WORKERS, timeout: float = READ_TIMEOUT) -> None:
        self.size, self.timeout = size, timeout
        self._context = multiprocessing.get_context("spawn")
        self._idle: list[_Worker] = []
        self._lock = threading.Lock()

    def read(self, paths: Iterable[Path | None], context: ReadContext | None = None) -> Iterator[Read | None]:
        """Read each path in a worker, results in the order given (None for None). Paths are drawn a few
        ahead of the result being consumed, so the caller can archive each file just before it is read."""
        keys = context or ReadContext()
        paths = iter(paths)
        results: dict[int, Read | None] = {}
        busy: list[_Worker] = []
        waiting: deque[tuple[int, Path]] = deque()
        drawn = done = 0
        exhausted = False
        try:
            while True:
                while not exhausted and drawn - done < 2 * self.size + 2:
                    try:
                        path = next(paths)
                    except StopIteration:
                        exhausted = True
                        break
                    if path is None:
                        results[drawn] = None
                    else:
                        waiting.append((drawn, path))
                    drawn += 1
                while waiting and len(busy) < self.size:
                    worker = self._take()
                    worker.give(*waiting.popleft(), keys)
                    busy.append(worker)
                while done in results:
                    yield results.pop(done)
                    done += 1
                if exhausted and done == drawn:
                    return
                if busy and done not in results:
                    self._collect(busy, results)
        finally:
            for worker in busy:  # abandoned (cancelled) mid-way: their answers would come too late
                worker.stop(kill=True)

    def _collect(self, busy: list[_Worker], results: dict[int, Read | None]) -> None:
        """Wait for any busy worker to answer, die or run out of time."""
        now = time.monotonic()
        deadline = min(w.started for w in busy) + self.timeout
        ready = wait([w.conn for w in busy] + [w.process.sentinel for w in busy], timeout=max(0.0, deadline - now))
        for worker in list(busy):
            index, path = worker.task
            answer = None
            if worker.conn in ready:
                try:
                    answer = worker.conn.recv()
                except (EOFError, OSError):
                    answer = None
            if answer is not None:
                results[index] = answer
                busy.remove(worker)
                with self._lock:
                    self._idle.append(worker)
            elif worker.process.sentinel in ready or worker.conn in ready:
                worker.process.join(timeout=5)
                log.info("reader died on %s (exit %s)", path, worker.process.exitcode)
                results[index] = died(_exit_text(worker.process.exitcode))
                busy.remove(worker)
                worker.stop(kill=True)
            elif time.monotonic() - worker.started >= self.timeout:
                log.info("reader timed out on %s", path)
                results[index] = died(f"{int(self.timeout)} 秒たっても終わりません")
                busy.remove(worker)
                worker.stop(kill=True)

    def _take(self) -> _Worker:
        with self._lock:
            if self._idle:
                return self._idle.pop()
        return _Worker(self._context)

    def close(self) -> None:
        with self._lock:
            while self._idle:
                self._idle.pop().stop()


_pool: ReaderPool | None = None
_pool_lock = threading.Lock()


def reader_pool() -> ReaderPool:
    """The process-wide pool (its workers start on the first read and stop when dxdesk exits)."""
    global _pool
    with _pool_lock:
        if _pool is None:
            _pool = ReaderPool()
            atexit.register(_pool.close)
        return _pool


def read_returns(paths: Iterable[Path | None], context: ReadContext | None = None) -> Iterator[Read | None]:
    return reader_pool().read(paths, context)
