"""A workspace folder: dxdesk.sqlite, archive/ (returned originals), out/ (outputs), and a lock file."""
from __future__ import annotations

import datetime as dt
import errno
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from dxdesk import settings
from dxdesk.errors import WorkspaceError
from dxdesk.store import db, leftovers, lock, netpath
from dxdesk.store.rulebook_repo import current_rulebook

DB_NAME = "dxdesk.sqlite"
LOCK_NAME = lock.LOCK_NAME


def now_iso() -> str:
    return dt.datetime.now().isoformat(timespec="seconds")


@dataclass
class Workspace:
    root: Path
    conn: sqlite3.Connection
    readonly: bool = False
    readonly_reason: str = ""
    notes: list[str] = field(default_factory=list)  # what the user should know about how it was opened
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
            lock.release(self.root)
            self._owns_lock = False

    def __enter__(self) -> "Workspace":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def is_workspace(path: Path) -> bool:
    return (Path(path) / DB_NAME).is_file()


def init_workspace(path: str | Path) -> Workspace:
    """Create the folder layout and the database; an existing workspace is opened as it is."""
    root = Path(path).resolve()
    if is_workspace(root):
        return open_workspace(root)
    try:
        root.mkdir(parents=True, exist_ok=True)
        for sub in ("archive", "out"):
            (root / sub).mkdir(exist_ok=True)
        conn = db.connect(root / DB_NAME, network=bool(netpath.network_share(root)))
        with conn:
            conn.execute("INSERT OR IGNORE INTO meta VALUES ('created_at', ?)", (now_iso(),))
        conn.close()
    except (OSError, sqlite3.Error) as exc:
        reason = "書き込み権限がありません" if isinstance(exc, PermissionError) else str(exc)
        raise WorkspaceError(f"{root} にワークスペースを作れません（{reason}）。書き込めるフォルダを指定してください。") from exc
    return open_workspace(root)


def open_workspace(path: str | Path, readonly: bool = False) -> Workspace:
    """Open a workspace; if another user holds its lock, open it read-only and say who and since when; if the
    folder cannot be written (no permission, a read-only disk), open it read-only and say so."""
    root = Path(path).resolve()
    if not is_workspace(root):
        raise WorkspaceError(
            f"{root} はワークスペースではありません。`dxdesk init {root}` で作成してください。")
    reason, owns, unwritable = ("指定により読み取り専用" if readonly else ""), False, False
    if not readonly:
        try:
            holder = lock.acquire(root)
        except OSError as exc:
            if not isinstance(exc, PermissionError) and exc.errno not in (errno.EROFS, errno.EACCES, errno.EPERM):
                raise WorkspaceError(f"{root}: ワークスペースのロックファイルを作れません（{exc}）。") from exc
            holder, unwritable = None, True
            reason = (f"このフォルダ（{root}）に書き込む権限がないため、読み取り専用で開きました。"
                      "取り込みや設定の変更をするには、書き込めるフォルダにワークスペースをコピーするか、"
                      "フォルダの管理者に書き込み権限を依頼してください。")
        if holder is not None:
            reason = (f"{holder.get('user')}さん（{holder.get('host')}）が {holder.get('since')} から"
                      "このワークスペースを使用中のため、読み取り専用で開きました。")
        readonly, owns = bool(reason), not reason
    share = netpath.network_share(root)
    try:
        conn = db.connect(root / DB_NAME, readonly=readonly, network=bool(share), immutable=unwritable)
    except BaseException:
        if owns:
            lock.release(root)
        raise
    if owns:
        leftovers.tidy(root)  # what a killed dxdesk left: temporary outputs, half-copied originals
    notes = [f"ワークスペースが{share}にあります。共有フォルダでは WAL 方式が使えないため、"
             "データベースを通常のジャーナル方式で開きました。書き込めるのは同時に1人です。"
             "速さと安全のため、できればこのPCのフォルダに置いてください。"] if share else []
    current_rulebook(conn)  # registers the office's own grade scales for the forms, rules and outputs
    return Workspace(root, conn, readonly, reason, notes, owns)
