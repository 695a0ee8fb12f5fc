"""The workspace lock: one writer at a time, also when two dxdesk start at the same instant, and on Windows.

The lock file is created exclusively (O_CREAT | O_EXCL): of two processes that start together exactly one
creates it, the other opens the workspace read-only and is told who holds it. A lock left behind by a process
that no longer runs on this PC (a crash, a power cut) is taken over, under a second exclusive file so that two
processes never both take it over.
"""
from __future__ import annotations

import datetime as dt
import getpass
import json
import os
import socket
import sys
import time
from pathlib import Path

LOCK_NAME = "dxdesk.lock"
TAKEOVER_NAME = "dxdesk.lock.takeover"
TAKEOVER_STALE_SECONDS = 30  # a takeover takes milliseconds; a guard this old was left by a killed process
WRITING_GRACE_SECONDS = 2.0  # a lock file just created exclusively may still be empty for a moment

# Windows (kernel32): OpenProcess access right, errors and the exit code of a running process
PROCESS_QUERY_LIMITED_INFORMATION = 0x1000
ERROR_ACCESS_DENIED = 5
STILL_ACTIVE = 259


def whoami() -> dict:
    try:
        user = getpass.getuser()
    except Exception:  # no user name in the environment (a service account): still lock
        user = "不明"
    return {"user": user, "host": socket.gethostname(), "pid": os.getpid(),
            "since": dt.datetime.now().isoformat(timespec="seconds")}


def acquire(root: Path) -> dict | None:
    """Take the lock of the workspace at `root`: None when taken, else the holder's record (user, host, pid,
    since). PermissionError and other OSErrors (a read-only folder) reach the caller."""
    for _ in range(3):
        if _create(root / LOCK_NAME):
            return None
        holder = read(root)
        if holder is not None and not stale(holder):
            return holder
        if holder is None and not _old(root / LOCK_NAME, WRITING_GRACE_SECONDS):
            time.sleep(0.1)  # the other process is writing its record: look again
            continue
        _take_over(root, holder)
    return read(root) or {"user": "不明", "host": "不明", "since": "不明"}


def release(root: Path) -> None:
    """Remove the lock if it is still ours (never a lock another process took over)."""
    holder = read(root)
    me = whoami()
    if holder is not None and (holder.get("host"), holder.get("pid")) == (me["host"], me["pid"]):
        (root / LOCK_NAME).unlink(missing_ok=True)


def read(root: Path) -> dict | None:
    try:
        holder = json.loads((root / LOCK_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return holder if isinstance(holder, dict) else None


def stale(holder: dict) -> bool:
    """Our own lock, or a lock left by a process that no longer runs on this PC (another PC's lock is never
    taken over: its process cannot be checked from here)."""
    me = whoami()
    if holder.get("host") != me["host"]:
        return False
    try:
        pid = int(holder.get("pid", 0))
    except (TypeError, ValueError):
        return True
    return pid == me["pid"] or not pid_alive(pid)


def pid_alive(pid: int) -> bool:
    """Whether a process with this id runs on this PC. On Windows os.kill(pid, 0) would send CTRL_C_EVENT
    (signal 0) to a process group instead of testing it, so there it asks OpenProcess."""
    if pid <= 0:
        return False
    if sys.platform == "win32":
        return _pid_alive_windows(pid, *_windows_api())
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # PermissionError: it runs, under another user
        return True
    return True


def _windows_api():
    import ctypes
    from ctypes import wintypes

    kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)
    kernel32.OpenProcess.argtypes = [wintypes.DWORD, wintypes.BOOL, wintypes.DWORD]
    kernel32.OpenProcess.restype = wintypes.HANDLE
    kernel32.GetExitCodeProcess.argtypes = [wintypes.HANDLE, ctypes.POINTER(wintypes.DWORD)]
    kernel32.GetExitCodeProcess.restype = wintypes.BOOL
    kernel32.CloseHandle.argtypes = [wintypes.HANDLE]
    return kernel32, ctypes.get_last_error


def _pid_alive_windows(pid: int, kernel32, last_error) -> bool:
    import ctypes
    from ctypes import wintypes

    handle = kernel32.OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION, False, pid)
    if not handle:
        return last_error() == ERROR_ACCESS_DENIED  # it runs, under another user; else no such process
    try:
        code = wintypes.DWORD()
        if not kernel32.GetExitCodeProcess(handle, ctypes.byref(code)):
            return True
        return code.value == STILL_ACTIVE  # an exited process whose handle someone still holds is not alive
    finally:
        kernel32.CloseHandle(handle)


def _create(path: Path) -> bool:
    try:
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
    except FileExistsError:
        return False
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(json.dumps(whoami(), ensure_ascii=False))
        handle.flush()
        os.fsync(handle.fileno())
    return True


def _old(path: Path, seconds: float) -> bool:
    try:
        return time.time() - path.stat().st_mtime > seconds
    except OSError:
        return True


def _take_over(root: Path, holder: dict | None) -> None:
    """Remove a stale lock, under the takeover guard: only the process that creates the guard removes it, and
    only if the lock is still the stale one it looked at."""
    guard = root / TAKEOVER_NAME
    try:
        fd = os.open(guard, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
    except FileExistsError:
        if _old(guard, TAKEOVER_STALE_SECONDS):
            guard.unlink(missing_ok=True)
        else:
            time.sleep(0.1)
        return
    try:
        if read(root) == holder:
            (root / LOCK_NAME).unlink(missing_ok=True)
    finally:
        os.close(fd)
        guard.unlink(missing_ok=True)
