"""A workspace folder: dxdesk.sqlite, archive/ (returned originals), out/ (outputs), and a lock file."""
from __future__ import annotations

import datetime as dt
import getpass
import json
import os
import socket
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from dxdesk import settings
from dxdesk.errors import WorkspaceError
from dxdesk.store import db

DB_NAME = "dxdesk.sqlite"
LOCK_NAME = "dxdesk.lock"


def now_iso() -> str:
    return dt.datetime.now().isoformat(timespec="seconds")


def _whoami() -> dict:
    try:
        user = getpass.getuser()
    except Exception:
        user = "不明"
    return {"user": user, "host": socket.gethostname(), "pid": os.getpid(), "since": now_iso()}


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True
    return True


@dataclass
class Workspace:
    root: Path
    conn: sqlite3.Connection
    readonly: bool = False
    readonly_reason: str = ""
    _owns_lock: bool = field(default=False, repr=False)

    @property
    def archive_dir(self) -> Path:
        return self.root / "archive"

    @property
    def out_dir(self) -> Path:
        return self.root / "out"

    def setting(self, key: str) -> str:
        """An office setting (dxdesk/settings.py), or its default."""
        default = settings.spec(key).default
        row = self.conn.execute("SELECT value FROM meta WHERE key = ?", (f"setting.{key}",)).fetchone()
        return row[0] if row else default

    def set_setting(self, key: str, value: str) -> None:
        value = settings.check_value(key, value)
        self.require_writable()
        with self.conn:
            self.conn.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (f"setting.{key}", value))

    @property
    def office_contact(self) -> str:
        return settings.contact_line(self.setting)

    def require_writable(self) -> None:
        if self.readonly:
            raise WorkspaceError(f"読み取り専用で開いています: {self.readonly_reason}")

    def close(self) -> None:
        self.conn.close()
        if self._owns_lock:
            (self.root / LOCK_NAME).unlink(missing_ok=True)
            self._owns_lock = False

    def __enter__(self) -> "Workspace":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def is_workspace(path: Path) -> bool:
    return (Path(path) / DB_NAME).is_file()


def init_workspace(path: str | Path) -> Workspace:
    """Create the folder layout and the database; opening an existing workspace is fine."""
    root = Path(path).resolve()
    root.mkdir(parents=True, exist_ok=True)
    for sub in ("archive", "out"):
        (root / sub).mkdir(exist_ok=True)
    conn = db.connect(root / DB_NAME)
    with conn:
        conn.execute("INSERT OR IGNORE INTO meta VALUES ('created_at', ?)", (now_iso(),))
    conn.close()
    return open_workspace(root)


def open_workspace(path: str | Path, readonly: bool = False) -> Workspace:
    """Open a workspace; if another user holds its lock, open it read-only and say who and since when."""
    root = Path(path).resolve()
    if not is_workspace(root):
        raise WorkspaceError(
            f"{root} はワークスペースではありません。`dxdesk init {root}` で作成してください。")
    reason = "指定により読み取り専用" if readonly else ""
    owns = False
    if not readonly:
        holder = _read_lock(root)
        if holder and not _stale(holder):
            readonly = True
            reason = (f"{holder.get('user')}さん（{holder.get('host')}）が {holder.get('since')} から"
                      "このワークスペースを使用中のため、読み取り専用で開きました。")
        else:
            _write_lock(root)
            owns = True
    conn = db.connect(root / DB_NAME, readonly=readonly)
    return Workspace(root, conn, readonly, reason, owns)


def _read_lock(root: Path) -> dict | None:
    try:
        return json.loads((root / LOCK_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _stale(holder: dict) -> bool:
    """Our own lock, or a lock left by a process that no longer runs on this machine."""
    me = _whoami()
    if holder.get("host") != me["host"]:
        return False
    return holder.get("pid") == me["pid"] or not _pid_alive(int(holder.get("pid", 0)))


def _write_lock(root: Path) -> None:
    (root / LOCK_NAME).write_text(json.dumps(_whoami(), ensure_ascii=False), encoding="utf-8")
