"""Moving up: a SQLite workspace copied, with its whole history and its archived originals, into a PostgreSQL
database that becomes a shared workspace. One transaction: the database ends with all of it or none of it.
The SQLite workspace is left as it was."""
from __future__ import annotations

import hashlib
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

from dxdesk.errors import WorkspaceError
from dxdesk.progress import NullProgress, Progress
from dxdesk.store import db, pgstore
from dxdesk.store.workspace import Workspace, init_workspace

SHA_NAME = re.compile(r"^[0-9a-f]{64}$")
BATCH = 2000
ARCHIVES = ("archive", "plans")  # where a workspace keeps originals under their SHA-256 (returns, plan editions)


@dataclass
class MoveResult:
    folder: Path
    rows: dict[str, int]
    originals: int


def _tables(conn) -> list[str]:
    """The source's tables in the order they were created (the migrations' order)."""
    return [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' "
                                       "AND name NOT LIKE 'sqlite_%' ORDER BY rowid")]


def _originals(root: Path) -> dict[str, Path]:
    found: dict[str, Path] = {}
    for sub in ARCHIVES:
        folder = root / sub
        for path in sorted(folder.rglob("*")) if folder.is_dir() else []:
            if path.is_file() and SHA_NAME.match(path.stem):
                found.setdefault(path.stem, path)
    return found


def move_up(source: Workspace, url: str, folder: Path, progress: Progress | None = None) -> MoveResult:
    """Copy `source` (SQLite, opened as its writer) into the empty database at `url`, and make `folder` a
    shared workspace pointing at it (with a copy of the source's outputs)."""
    progress = progress or NullProgress()
    url = pgstore.check_url(url)
    if source.shared:
        raise WorkspaceError(f"{source.root} は既にデータベース（{source.where}）を使う共有ワークスペースです。")
    source.require_writable()  # nobody else may write to it while it is copied
    folder = Path(folder).resolve()
    if folder.exists() and any(folder.iterdir()):
        raise WorkspaceError(f"{folder} は空のフォルダではありません。移行先には新しいフォルダを指定してください。")
    originals = _originals(source.root)
    for sha, path in originals.items():  # every original proven before anything is written
        if hashlib.sha256(path.read_bytes()).hexdigest() != sha:
            raise WorkspaceError(f"原本 {path} の内容が SHA-256 と一致しません（壊れています）。移行を中止しました。")
    target = db.connect_database(url)
    rows: dict[str, int] = {}
    try:
        if target.execute("SELECT COUNT(*) FROM meta").fetchone()[0]:
            raise WorkspaceError(f"データベース {target.where} には既にワークスペースがあります。"
                                 "移行先には空のデータベースを指定してください。")
        tables = [t for t in _tables(source.conn) if t not in ("originals",)]
        with target:
            for index, table in enumerate(tables):
                progress.status(f"移行中: {table}")
                cursor = source.conn.execute(f"SELECT * FROM {table}")
                columns = [c[0] for c in cursor.description]
                insert = (f"INSERT INTO {table} ({', '.join(columns)}) "
                          f"VALUES ({', '.join('?' * len(columns))})")
                rows[table] = 0
                while batch := cursor.fetchmany(BATCH):
                    try:
                        target.executemany(insert, batch)
                    except Exception as exc:
                        if pgstore.connection_lost(exc):
                            raise
                        raise WorkspaceError(f"表 {table} を移せません（{exc.__class__.__name__}: {exc}）。"
                                             "データベースには何も書き込んでいません。") from None
                    rows[table] += len(batch)
                progress.fraction(0.6 * (index + 1) / len(tables))
            for index, (sha, path) in enumerate(originals.items()):
                target.execute("INSERT INTO originals (sha256, data) VALUES (?, ?)", (sha, path.read_bytes()))
                progress.fraction(0.6 + 0.35 * (index + 1) / max(1, len(originals)))
            for table, column in target.execute(
                    "SELECT table_name, column_name FROM information_schema.columns "
                    "WHERE table_schema = current_schema() AND is_identity = 'YES'").fetchall():
                target.execute(f"SELECT setval(pg_get_serial_sequence('{table}', '{column}'), "
                               f"COALESCE((SELECT MAX({column}) FROM {table}), 0) + 1, false)")
    finally:
        target.close()
    ws = init_workspace(folder, database=url)
    try:
        if (source.root / "out").is_dir():
            shutil.copytree(source.root / "out", folder / "out", dirs_exist_ok=True)
        for sub in ARCHIVES:  # the local copies too (they would be fetched and verified otherwise)
            if (source.root / sub).is_dir():
                shutil.copytree(source.root / sub, folder / sub, dirs_exist_ok=True)
        ws.record(f"1人用のワークスペース {source.root} から移行（原本 {len(originals)} 件）")
    finally:
        ws.close()
    progress.fraction(1.0)
    return MoveResult(folder, rows, len(originals))


def default_folder(root: Path) -> Path:
    return root.with_name(root.name + "_共有")

