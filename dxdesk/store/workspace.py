"""A workspace folder: dxdesk.sqlite, archive/ (returned originals), out/ (outputs), and a lock file.

A shared workspace (several staff at once) keeps its store in a PostgreSQL database instead: its folder holds
dxdesk-database.json (the database's address, never a password), out/, and archive/ as a local copy of the
originals, which are kept in the database itself (content-addressed by SHA-256, the hash verified when read
back). It has no lock file: every operation is one transaction."""
from __future__ import annotations

import contextlib
import datetime as dt
import errno
import hashlib
import json
import os
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from dxdesk import settings
from dxdesk.errors import WorkspaceError
from dxdesk.store import db, leftovers, lock, netpath, pgstore, rounds_repo
from dxdesk.store.rulebook_repo import current_rulebook
from dxdesk.store.sql import PUT_META

DB_NAME = "dxdesk.sqlite"
DATABASE_FILE = "dxdesk-database.json"  # a shared workspace's settings: where its PostgreSQL store is
CHOSEN_ROUND_FILE = "dxdesk-round.txt"  # …and the round this member of staff works on (`dxdesk round use`)
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
    database: str = ""  # a shared workspace's PostgreSQL address (no password); "" for SQLite
    plan_cache: dict = field(default_factory=dict, repr=False, compare=False)  # older plan editions, read once

    @property
    def shared(self) -> bool:
        return bool(self.database)

    @property
    def where(self) -> str:
        """The store, for messages: the folder, or the database as user@host/db."""
        return pgstore.describe(self.database) if self.database else str(self.root)

    def keep_original(self, sha256: str, archived: Path) -> None:
        """In a shared workspace, the original joins the database (inside the caller's transaction; a file
        collected by two people is stored once). A SQLite workspace keeps it in archive/ only."""
        if not self.shared:
            return
        if self.conn.execute("SELECT 1 FROM originals WHERE sha256 = ?", (sha256,)).fetchone():
            return
        self.conn.execute("INSERT INTO originals (sha256, data) VALUES (?, ?) ON CONFLICT DO NOTHING",
                          (sha256, archived.read_bytes()))

    def original(self, sha256: str, archived_path: str) -> Path:
        """The archived original, as a local file. In a shared workspace it comes from the database when this
        PC has no verified copy, and its SHA-256 is checked before it is used."""
        path = self.root / archived_path
        if not self.shared:
            return path
        if path.is_file() and _sha256(path.read_bytes()) == sha256:
            return path
        row = self.conn.execute("SELECT data FROM originals WHERE sha256 = ?", (sha256,)).fetchone()
        if row is None:
            raise WorkspaceError(f"原本（{Path(archived_path).name}）がデータベース {self.where} にありません。")
        data = bytes(row[0])
        if _sha256(data) != sha256:
            raise WorkspaceError(f"データベース {self.where} の原本（{Path(archived_path).name}）が壊れています"
                                 "（SHA-256 が一致しません）。サーバーの管理者に連絡してください。")
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".part-{os.getpid()}-{path.name}")
        tmp.write_bytes(data)
        os.replace(tmp, path)
        return path

    def chosen_round(self) -> str | None:
        """The round chosen with `dxdesk round use` (or the last one created here). Each member of staff of a
        shared workspace chooses their own: it is kept in their folder, not in the shared database."""
        if not self.shared:
            return rounds_repo.current_round_id(self.conn)
        try:
            return (self.root / CHOSEN_ROUND_FILE).read_text(encoding="utf-8").strip() or None
        except OSError:
            return None

    def choose_round(self, round_id: str) -> None:
        if not self.shared:
            rounds_repo.set_current_round(self.conn, round_id)
            return
        tmp = self.root / f".{CHOSEN_ROUND_FILE}.part"
        tmp.write_text(round_id, encoding="utf-8")
        os.replace(tmp, self.root / CHOSEN_ROUND_FILE)

    def keep_form(self, path: Path) -> str | None:
        """A distributed form of a shared workspace joins the originals (its SHA-256, for round_sections), so
        that any PC can attach it to a reminder; None for a SQLite workspace (the form stays in out/)."""
        if not self.shared:
            return None
        sha = _sha256(path.read_bytes())
        with self.conn:
            self.keep_original(sha, path)
        return sha

    def distributed_form(self, path: Path, sha256: str | None) -> Path:
        """The distributed form at `path` (in out/); on another PC of a shared workspace, from the database."""
        if path.is_file() or not (self.shared and sha256):
            return path
        try:
            return self.original(sha256, str(path.relative_to(self.root)))
        except (WorkspaceError, ValueError):
            return path

    def record(self, what: str) -> None:
        """One line of the activity log: who (the OS user), on which PC, when, what."""
        if self.readonly:
            return
        me = lock.whoami()
        with self.conn:
            self.conn.execute("INSERT INTO activity (at, who, host, what) VALUES (?, ?, ?, ?)",
                              (now_iso(), me["user"], me["host"], what))

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
            self.conn.execute(PUT_META, (f"setting.{key}", value))
        self.record(f"設定を変更: {key}")  # the key only: a value may be a password

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


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def is_workspace(path: Path) -> bool:
    return (Path(path) / DB_NAME).is_file() or (Path(path) / DATABASE_FILE).is_file()


def database_of(root: Path) -> str:
    """The PostgreSQL address a shared workspace folder points at, "" for a SQLite workspace."""
    try:
        return json.loads((Path(root) / DATABASE_FILE).read_text(encoding="utf-8"))["database"]
    except FileNotFoundError:
        return ""
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise WorkspaceError(f"{Path(root) / DATABASE_FILE} が読めません（{exc.__class__.__name__}）。"
                             "`dxdesk init フォルダ --database postgresql://…` で作り直してください。") from None


def init_workspace(path: str | Path, database: str | None = None) -> Workspace:
    """Create the folder layout and the database; an existing workspace is opened as it is. With `database`
    (postgresql://user@host/db) the store is that database: a new one is set up, one that already holds a
    workspace is joined (each member of staff makes a folder pointing at the same database)."""
    root = Path(path).resolve()
    if database:
        return _init_shared(root, pgstore.check_url(database))
    if is_workspace(root):
        return open_workspace(root)
    try:
        root.mkdir(parents=True, exist_ok=True)
        for sub in ("archive", "out"):
            (root / sub).mkdir(exist_ok=True)
        conn = db.connect(root / DB_NAME, network=bool(netpath.network_share(root)))
        with conn:
            conn.execute("INSERT INTO meta VALUES ('created_at', ?) ON CONFLICT DO NOTHING", (now_iso(),))
        conn.close()
    except (OSError, sqlite3.Error) as exc:
        reason = "書き込み権限がありません" if isinstance(exc, PermissionError) else str(exc)
        raise WorkspaceError(f"{root} にワークスペースを作れません（{reason}）。書き込めるフォルダを指定してください。") from exc
    return open_workspace(root)


def _init_shared(root: Path, url: str) -> Workspace:
    if (root / DB_NAME).is_file():
        raise WorkspaceError(f"{root} は SQLite のワークスペースです。データベースへ移すには "
                             f"`dxdesk workspace migrate -w {root} --to {url}` を使ってください。")
    known = database_of(root)
    if known and known != url:
        raise WorkspaceError(f"{root} は別のデータベース（{pgstore.describe(known)}）を使うワークスペースです。")
    made = [root / sub for sub in ("", "archive", "out") if not (root / sub).exists()]  # removed if the connect fails
    try:
        for sub in ("", "archive", "out"):
            (root / sub).mkdir(parents=True, exist_ok=True)
        if not known:
            tmp = root / f".{DATABASE_FILE}.part"
            tmp.write_text(json.dumps({"database": url}, ensure_ascii=False, indent=1), encoding="utf-8")
            os.replace(tmp, root / DATABASE_FILE)
    except OSError as exc:
        raise WorkspaceError(f"{root} にワークスペースを作れません（{exc}）。書き込めるフォルダを指定してください。") from exc
    try:
        conn = db.connect_database(url)
    except BaseException:
        if not known:
            (root / DATABASE_FILE).unlink(missing_ok=True)
        for folder in reversed(made):  # no empty workspace folder left behind by an address that did not work
            with contextlib.suppress(OSError):
                folder.rmdir()
        raise
    with conn:
        conn.execute("INSERT INTO meta VALUES ('created_at', ?) ON CONFLICT DO NOTHING", (now_iso(),))
    conn.close()
    return open_workspace(root)


SHARED_LEFTOVER_AGE = 6 * 3600  # seconds: a temporary output this old in a shared workspace's folder is a leftover


def _open_shared(root: Path, url: str, readonly: bool) -> Workspace:
    conn = db.connect_database(url, readonly=readonly)
    if not readonly:
        leftovers.tidy(root, min_age=SHARED_LEFTOVER_AGE)  # no lock: only what no running dxdesk can be writing
    current_rulebook(conn)
    reason = "指定により読み取り専用" if readonly else ""
    return Workspace(root, conn, readonly, reason, [], False, database=url)


def open_workspace(path: str | Path, readonly: bool = False) -> Workspace:
    """Open a workspace; if another user holds its lock, open it read-only and say who and since when; if the
    folder cannot be written (no permission, a read-only disk), open it read-only and say so. A shared
    (PostgreSQL) workspace has no lock: everyone writes, one transaction per operation."""
    root = Path(path).resolve()
    if not is_workspace(root):
        raise WorkspaceError(
            f"{root} はワークスペースではありません。`dxdesk init {root}` で作成してください。")
    url = database_of(root)
    if url:
        return _open_shared(root, url, readonly)
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
