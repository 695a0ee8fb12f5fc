"""Findings in the workspace: stored per submission (or for the plan / the round), read back as records."""
from __future__ import annotations

import sqlite3
from typing import Iterable

from dxdesk.rules.findings import FIELD_NAMES, Finding
from dxdesk.store.waivers_repo import annotate, waivers_of

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
    """Findings of the latest submission of each section (with their waivers), plus unidentified files."""
    ids = [r[0] for r in conn.execute(
        "SELECT submission_id FROM submissions WHERE round_id = ? AND superseded_by IS NULL "
        "ORDER BY submission_id", (round_id,))]
    found: list[Finding] = []
    for submission_id in ids:
        found += submission_findings(conn, submission_id)
    found += _records(conn.execute(
        f"SELECT {_COLUMNS} FROM findings WHERE round_id = ? AND scope = 'round' ORDER BY finding_id", (round_id,)))
    return found


def submission_findings(conn: sqlite3.Connection, submission_id: int) -> list[Finding]:
    """One submission's findings, each ERR annotated with its waiver if it has one."""
    found = _records(conn.execute(
        f"SELECT {', '.join('f.' + n for n in FIELD_NAMES)} FROM findings f WHERE submission_id = ? "
        "ORDER BY finding_id", (submission_id,)))
    return annotate(found, waivers_of(conn, submission_id))
