"""Findings in the workspace: stored per submission (or for the plan / the round), read back as records."""
from __future__ import annotations

import sqlite3
from typing import Iterable

from dxdesk.rules.findings import FIELD_NAMES, Finding

_COLUMNS = ", ".join(FIELD_NAMES)


def insert_findings(conn: sqlite3.Connection, findings: Iterable[Finding], scope: str,
                    round_id: str | None = None, submission_id: int | None = None) -> None:
    conn.executemany(
        f"INSERT INTO findings (scope, round_id, submission_id, {_COLUMNS}) "
        f"VALUES (?, ?, ?, {', '.join('?' * len(FIELD_NAMES))})",
        [(scope, round_id, submission_id, *(getattr(f, n) for n in FIELD_NAMES)) for f in findings])


def _records(rows) -> list[Finding]:
    return [Finding(**{n: row[n] or "" for n in FIELD_NAMES}) for row in rows]


def plan_findings(conn: sqlite3.Connection) -> list[Finding]:
    return _records(conn.execute(f"SELECT {_COLUMNS} FROM findings WHERE scope = 'plan' ORDER BY finding_id"))


def current_findings(conn: sqlite3.Connection, round_id: str) -> list[Finding]:
    """Findings of the latest submission of each section, plus unidentified files and round-level ones."""
    rows = conn.execute(
        f"""SELECT {_COLUMNS} FROM findings f
            LEFT JOIN submissions s ON s.submission_id = f.submission_id
            WHERE f.round_id = ? AND f.scope IN ('submission', 'round')
              AND (f.submission_id IS NULL OR s.superseded_by IS NULL)
            ORDER BY f.finding_id""", (round_id,))
    return _records(rows)


def submission_findings(conn: sqlite3.Connection, submission_id: int) -> list[Finding]:
    return _records(conn.execute(
        f"SELECT {_COLUMNS} FROM findings WHERE submission_id = ? ORDER BY finding_id", (submission_id,)))
