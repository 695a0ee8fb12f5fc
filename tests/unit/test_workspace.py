import json
import sqlite3
from pathlib import Path

import pytest

from dxdesk.errors import WorkspaceError
from dxdesk.store import db
from dxdesk.store.workspace import LOCK_NAME, init_workspace, open_workspace


def test_init_creates_layout_and_versioned_schema(tmp_path, new_workspace):
    with new_workspace(tmp_path / "ws") as ws:
        assert (ws.root / "archive").is_dir() and (ws.root / "out").is_dir()
        assert db.schema_version(ws.conn) == db.SCHEMA_VERSION
        assert (ws.root / LOCK_NAME).exists() != ws.shared  # a shared workspace has no lock file
    assert not (tmp_path / "ws" / LOCK_NAME).exists()


def test_workspace_held_by_another_user_opens_read_only(tmp_path):
    init_workspace(tmp_path / "ws").close()
    holder = {"user": "yamada", "host": "dx-pc-02", "pid": 1234, "since": "2025-05-16T17:00:00"}
    (tmp_path / "ws" / LOCK_NAME).write_text(json.dumps(holder), encoding="utf-8")
    with open_workspace(tmp_path / "ws") as ws:
        assert ws.readonly
        assert "yamada" in ws.readonly_reason and "2025-05-16T17:00:00" in ws.readonly_reason
        with pytest.raises(WorkspaceError):
            ws.require_writable()
        with pytest.raises(sqlite3.OperationalError):
            ws.conn.execute("INSERT INTO meta VALUES ('x', 'y')")
    assert (tmp_path / "ws" / LOCK_NAME).exists()  # the other user's lock stays


def test_newer_schema_is_refused(tmp_path, new_workspace):
    with new_workspace(tmp_path / "ws") as ws:
        with ws.conn:
            if ws.shared:
                ws.conn.execute("UPDATE dxdesk_schema SET version = ?", (db.SCHEMA_VERSION + 1,))
            else:
                ws.conn.execute(f"PRAGMA user_version = {db.SCHEMA_VERSION + 1}")
    with pytest.raises(WorkspaceError, match="新しい版"):
        open_workspace(tmp_path / "ws")


def test_not_a_workspace(tmp_path):
    with pytest.raises(WorkspaceError, match="dxdesk init"):
        open_workspace(tmp_path)


def test_liveness_and_drive_type_ask_the_real_system():
    """Runs the branch of this platform for real: on the Windows runner (.github/workflows/windows.yml) that
    is OpenProcess and GetDriveTypeW through ctypes; here, os.kill(pid, 0) and /proc/mounts. (The other
    platform's branch is tested with the system's answers in tests/test_workspace_lock.py.)"""
    import os
    import subprocess
    import sys

    from dxdesk.store import lock, netpath

    assert lock.pid_alive(os.getpid())
    ended = subprocess.Popen([sys.executable, "-c", "pass"])
    ended.wait()
    assert not lock.pid_alive(ended.pid)
    local = Path(os.environ.get("SystemDrive", "C:") + "\\") if sys.platform == "win32" else Path(__file__)
    assert netpath.network_share(local) == ""
