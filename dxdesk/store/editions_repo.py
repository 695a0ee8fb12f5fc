"""Editions of the plan master (策定 → 改定): every imported file is archived and numbered, never replaced,
so a round is always read against the edition it was distributed with."""
from __future__ import annotations

import dataclasses
import hashlib
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from dxdesk.plan.model import Plan


@dataclass(frozen=True)
class Edition:
    edition: int
    label: str
    sha256: str
    file_name: str
    archived_path: str
    imported_at: str

    @property
    def title(self) -> str:
        return f"第{self.edition}版（{self.label}）"


def fingerprint(plan: Plan) -> str:
    """What makes an edition: the plan's content without its history of actuals (a workbook saved again, or
    with this year's actuals added, is the same edition)."""
    return hashlib.sha256(repr(dataclasses.replace(plan, history=[])).encode("utf-8")).hexdigest()


def add_edition(conn: sqlite3.Connection, label: str, sha256: str, file_name: str, archived: str,
                when: str) -> Edition:
    """A new edition, unless the plan is the latest edition again (`sha256` is its fingerprint)."""
    latest = latest_edition(conn)
    if latest and latest.sha256 == sha256:
        return latest
    number = (latest.edition if latest else 0) + 1
    label = label or ("策定" if number == 1 else "改定")
    with conn:
        conn.execute("INSERT INTO plan_editions VALUES (?,?,?,?,?,?)", (number, label, sha256, file_name, archived, when))
    return get_edition(conn, number)


def get_edition(conn: sqlite3.Connection, number: int) -> Edition | None:
    row = conn.execute("SELECT * FROM plan_editions WHERE edition = ?", (number,)).fetchone()
    return Edition(**dict(row)) if row else None


def latest_edition(conn: sqlite3.Connection) -> Edition | None:
    row = conn.execute("SELECT * FROM plan_editions ORDER BY edition DESC LIMIT 1").fetchone()
    return Edition(**dict(row)) if row else None


def list_editions(conn: sqlite3.Connection) -> list[Edition]:
    return [Edition(**dict(r)) for r in conn.execute("SELECT * FROM plan_editions ORDER BY edition")]


def archived_file(root: Path, edition: Edition) -> Path:
    return root / edition.archived_path
