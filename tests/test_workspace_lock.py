"""The workspace lock holds under a race and on Windows; a read-only folder and a network share get a
Japanese message instead of a traceback."""
from __future__ import annotations

import ctypes
import json
import multiprocessing
import os
import socket
import subprocess
import sys
import time

import pytest

from dxdesk.cli import main
from dxdesk.store import lock, netpath
from dxdesk.store.workspace import LOCK_NAME, init_workspace, open_workspace

CONTENDERS = 6

pytestmark = pytest.mark.sqlite_only("the lock file, WAL and the database file are the SQLite workspace's; a shared workspace has no lock file (its concurrency: tests/test_shared_workspace.py)")


def _slow_hostname(seconds: float = 0.2) -> None:
    """Writing the lock record takes a while (a busy disk, a share): between looking for a lock and writing
    one there is time for the other process to look too — the window an exclusive create closes."""
    real = socket.gethostname

    def slow():
        time.sleep(seconds)
        return real()

    socket.gethostname = slow


def _contend(root, start, opened, results):
    _slow_hostname()
    start.wait()
    ws = open_workspace(root)
    results.put(not ws.readonly)
    opened.wait()  # hold the workspace until every process has opened it
    ws.close()


def test_processes_opening_at_the_same_instant_get_one_writer(tmp_path):
    init_workspace(tmp_path / "ws").close()
    context = multiprocessing.get_context("fork")
    for _trial in range(3):
        start, opened, results = context.Barrier(CONTENDERS), context.Barrier(CONTENDERS), context.Queue()
        workers = [context.Process(target=_contend, args=(tmp_path / "ws", start, opened, results))
                   for _ in range(CONTENDERS)]
        for worker in workers:
            worker.start()
        writers = [results.get(timeout=60) for _ in workers]
        for worker in workers:
            worker.join(60)
        assert sum(writers) == 1
        assert not (tmp_path / "ws" / LOCK_NAME).exists()  # the writer removed its lock when it closed


GO = """
import os, socket, sys, time
from dxdesk.cli import main
real = socket.gethostname
socket.gethostname = lambda: time.sleep(0.2) or real()  # a slow lock write: see _slow_hostname
go = sys.argv[1]
open(go + f".ready-{os.getpid()}", "w").close()
while not os.path.exists(go):
    time.sleep(0.001)
sys.exit(main(sys.argv[2:]))
"""


def test_two_collects_started_together_one_writes_the_other_says_who(sample_round, tmp_path, sample_actuals):
    from dxdesk import jobs
    from dxdesk.demo import fill_return

    ws, round_, forms = sample_round
    for form in forms[:6]:
        fill_return(form, tmp_path / "inbox" / form.name, jobs.require_plan(ws), sample_actuals, 2023)
    root = ws.root
    ws.close()
    go = tmp_path / "go"
    args = ["-w", str(root), "collect", str(tmp_path / "inbox")]
    runs = [subprocess.Popen([sys.executable, "-c", GO, str(go), *args], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True) for _ in range(2)]
    deadline = time.monotonic() + 120
    while len(list(tmp_path.glob("go.ready-*"))) < 2 and time.monotonic() < deadline:
        time.sleep(0.05)  # both have imported dxdesk and wait for the signal
    go.touch()
    done = sorted((run.wait(120), run.stdout.read(), run.stderr.read()) for run in runs)
    (ok, out, _), (refused, note, error) = done
    assert (ok, refused) == (0, 1), (out, note, error, done[0][2])
    assert "使用中のため、読み取り専用で開きました" in note
    assert "読み取り専用で開いています" in error and "Traceback" not in error
    with open_workspace(root) as again:
        assert len(jobs.rr.all_submissions(again.conn, round_.round_id)) == 6


def _lock_of(root, **fields) -> None:
    record = {"user": "山田", "host": socket.gethostname(), "pid": 0, "since": "2025-05-16T09:00:00"}
    (root / LOCK_NAME).write_text(json.dumps({**record, **fields}, ensure_ascii=False), encoding="utf-8")


def _dead_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def test_stale_lock_on_posix_is_taken_over_and_a_live_one_is_not(workspace):
    root = workspace.root
    workspace.close()
    _lock_of(root, pid=_dead_pid())
    with open_workspace(root) as ws:
        assert not ws.readonly  # its process is gone: taken over
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        _lock_of(root, pid=sleeper.pid)
        with open_workspace(root) as ws:
            assert ws.readonly and "山田さん" in ws.readonly_reason
    finally:
        sleeper.kill()
        sleeper.wait()
    _lock_of(root, pid=os.getpid(), host="other-pc")  # another PC's process cannot be checked: never taken
    with open_workspace(root) as ws:
        assert ws.readonly and "other-pc" in ws.readonly_reason


class FakeKernel32:
    """kernel32 as Windows answers: OpenProcess gives a handle, or 0 with the last error set."""

    def __init__(self, handle: int, error: int = 0, exit_code: int = lock.STILL_ACTIVE) -> None:
        self.handle, self.error, self.exit_code, self.closed = handle, error, exit_code, []

    def OpenProcess(self, access, inherit, pid):  # noqa: N802 (the Win32 name)
        assert access == lock.PROCESS_QUERY_LIMITED_INFORMATION and not inherit
        return self.handle

    def GetExitCodeProcess(self, handle, code):  # noqa: N802
        code._obj.value = self.exit_code  # code is byref(DWORD)
        return 1

    def CloseHandle(self, handle):  # noqa: N802
        self.closed.append(handle)


@pytest.mark.parametrize("kernel, taken_over", [
    (FakeKernel32(0, error=87), True),                          # ERROR_INVALID_PARAMETER: no such process
    (FakeKernel32(0, error=lock.ERROR_ACCESS_DENIED), False),   # runs under another user
    (FakeKernel32(44, exit_code=lock.STILL_ACTIVE), False),     # runs
    (FakeKernel32(44, exit_code=0), True),                      # exited; someone still holds a handle
])
def test_stale_lock_on_windows_asks_openprocess_never_os_kill(workspace, monkeypatch, kernel, taken_over):
    root = workspace.root
    workspace.close()
    _lock_of(root, pid=4242)

    def no_kill(*args):
        raise AssertionError("os.kill(pid, 0) sends CTRL_C_EVENT on Windows")

    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setattr(os, "kill", no_kill)
    monkeypatch.setattr(lock, "_windows_api", lambda: (kernel, lambda: kernel.error))
    with open_workspace(root) as ws:
        assert ws.readonly != taken_over
    assert kernel.closed == ([44] if kernel.handle else [])


def test_unreadable_or_garbage_lock_left_by_a_crash_is_taken_over(workspace):
    root = workspace.root
    workspace.close()
    (root / LOCK_NAME).write_text("{", encoding="utf-8")
    old = time.time() - 60
    os.utime(root / LOCK_NAME, (old, old))
    with open_workspace(root) as ws:
        assert not ws.readonly


def _forbid_lock(monkeypatch):
    def denied(path):
        raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr(lock, "_create", denied)


def test_workspace_in_a_folder_without_write_permission_opens_read_only_and_says_why(
        sample_round, monkeypatch, capsys):
    ws, _, _ = sample_round
    root = ws.root
    ws.close()
    _forbid_lock(monkeypatch)  # as root (CI), chmod does not stop writes: the lock creation is refused instead
    assert main(["-w", str(root), "status"]) == 0
    out = capsys.readouterr().out
    assert "書き込む権限がないため、読み取り専用で開きました" in out and "S01" in out
    assert main(["-w", str(root), "collect", str(root)]) == 1
    captured = capsys.readouterr()
    assert "読み取り専用で開いています" in captured.err and "Traceback" not in captured.err


def _chmod_stops_writes(folder) -> bool:
    probe = folder / "probe"
    probe.mkdir()
    probe.chmod(0o555)
    try:
        (probe / "x").touch()
    except PermissionError:
        return True
    finally:
        probe.chmod(0o755)
    return False  # root (CI) with CAP_DAC_OVERRIDE writes whatever the mode


def test_workspace_folder_made_read_only_with_chmod(sample_round, tmp_path, capsys):
    if not _chmod_stops_writes(tmp_path):
        pytest.skip("this user writes whatever the mode (root): the test above refuses the lock instead")
    ws, _, _ = sample_round
    root = ws.root
    ws.close()
    modes = {path: path.stat().st_mode for path in [root, *root.rglob("*")]}
    try:
        for path in modes:
            path.chmod(0o555 if path.is_dir() else 0o444)
        assert main(["-w", str(root), "status"]) == 0
        assert "書き込む権限がないため、読み取り専用で開きました" in capsys.readouterr().out
        assert main(["-w", str(root), "consolidate"]) == 1
        assert "書き込めません" in capsys.readouterr().err
    finally:
        for path, mode in modes.items():
            path.chmod(mode)


def test_workspace_on_a_linux_network_mount_uses_a_rollback_journal(workspace, tmp_path, monkeypatch, capsys):
    root = workspace.root
    workspace.close()
    mounts = tmp_path / "mounts"
    mounts.write_text(f"/dev/sda1 / ext4 rw 0 0\n//fileserver/dx\\040共有 {root.parent} cifs rw 0 0\n",
                      encoding="utf-8")
    monkeypatch.setattr(netpath, "MOUNTS", mounts)
    with open_workspace(root) as ws:
        assert ws.conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
        assert any("//fileserver/dx 共有" in note and "WAL" in note for note in ws.notes)
    assert not (root / "dxdesk.sqlite-wal").exists()
    assert main(["-w", str(root), "round", "list"]) == 0
    assert "共有フォルダ" in capsys.readouterr().out
    monkeypatch.setattr(netpath, "MOUNTS", tmp_path / "none")
    with open_workspace(root) as ws:  # back on a local disk: WAL again
        assert ws.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal" and not ws.notes


@pytest.mark.parametrize("path, drive_type, share", [
    (r"\\fileserver\dx\ワークスペース", None, "共有フォルダ（\\\\fileserver\\dx）"),
    ("//fileserver/dx/ws", None, "共有フォルダ"),
    (r"\\?\UNC\fileserver\dx\ws", None, "共有フォルダ"),
    (r"Z:\DX\ワークスペース", netpath.DRIVE_REMOTE, "ネットワークドライブ（Z:）"),
    (r"C:\DX\ワークスペース", 3, ""),   # DRIVE_FIXED
    (r"\\?\C:\DX", 3, ""),
])
def test_windows_network_paths(path, drive_type, share):
    found = netpath._windows_share(path, lambda root: drive_type)
    assert (share in found) if share else found == ""


def test_windows_mapped_drive_is_asked_with_getdrivetypew(monkeypatch):
    asked = []
    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setattr(netpath, "_get_drive_type", lambda root: asked.append(root) or netpath.DRIVE_REMOTE)
    assert "ネットワークドライブ（Z:）" in netpath.network_share(r"Z:\DX")
    assert asked == ["Z:\\"]


def test_init_where_nothing_can_be_written_is_a_message_and_an_existing_workspace_is_left_as_it_is(
        tmp_path, monkeypatch, capsys):
    from pathlib import Path

    real_mkdir = Path.mkdir

    def refused(self, *args, **kwargs):
        if "読めるだけ" in str(self):
            raise PermissionError(13, "Permission denied", str(self))
        return real_mkdir(self, *args, **kwargs)

    monkeypatch.setattr(Path, "mkdir", refused)
    assert main(["init", str(tmp_path / "読めるだけ" / "ws")]) == 1
    err = capsys.readouterr().err
    assert "ワークスペースを作れません（書き込み権限がありません）" in err and "Traceback" not in err
    init_workspace(tmp_path / "ws").close()
    _forbid_lock(monkeypatch)
    assert main(["init", str(tmp_path / "ws")]) == 0
    assert "既にあります" in capsys.readouterr().out
