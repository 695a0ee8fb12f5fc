"""Waivers: an ERR accepted for one submission, with who, when and why.

A waiver belongs to a cell of a submission. A re-submission keeps it only if that cell — and the other
inputs of its row, which the finding was judged on (a K2 depends on the actual as much as on the
grade) — still hold the same values; otherwise it has to be checked, and waived, again."""
from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, replace

from dxdesk.outputs.numfmt import timestamp
from dxdesk.rules.findings import Finding


@dataclass(frozen=True)
class Waiver:
    submission_id: int
    code: str
    sheet: str
    cell: str
    row_key: str
    raw_value: str
    who: str
    at: str
    why: str

    @property
    def text(self) -> str:
        return f"免除: {self.who}（{timestamp(self.at)}）{self.why}"


def _row_values(conn: sqlite3.Connection, submission_id: int, sheet: str, cell: str, row_key: str) -> str | None:
    """The values the finding was judged on: its row's inputs (or the one cell), as comparable text."""
    if row_key:
        rows = conn.execute("SELECT field, raw FROM submission_values WHERE submission_id = ? AND sheet = ? "
                            "AND row_key = ? ORDER BY field", (submission_id, sheet, row_key)).fetchall()
    else:
        rows = conn.execute("SELECT field, raw FROM submission_values WHERE submission_id = ? AND sheet = ? "
                            "AND cell = ?", (submission_id, sheet, cell)).fetchall()
    return json.dumps([list(r) for r in rows], ensure_ascii=False) if rows else None


def add_waiver(conn: sqlite3.Connection, submission_id: int, finding: Finding, who: str, why: str,
               when: str) -> Waiver:
    raw = _row_values(conn, submission_id, finding.sheet, finding.cell, finding.row_key) or ""
    with conn:
        conn.execute("INSERT INTO waivers (submission_id, code, sheet, cell, row_key, raw_value, who, at, why) "
                     "VALUES (?,?,?,?,?,?,?,?,?)",
                     (submission_id, finding.code, finding.sheet, finding.cell, finding.row_key, raw, who, when, why))
    return Waiver(submission_id, finding.code, finding.sheet, finding.cell, finding.row_key, raw, who, when, why)


def waivers_of(conn: sqlite3.Connection, submission_id: int) -> dict[tuple[str, str, str], Waiver]:
    rows = conn.execute("SELECT submission_id, code, sheet, cell, row_key, raw_value, who, at, why FROM waivers "
                        "WHERE submission_id = ?", (submission_id,))
    return {(r[1], r[2], r[3]): Waiver(*r) for r in rows}


def carry_over(conn: sqlite3.Connection, old_id: int, new_id: int) -> int:
    """Copy the waivers whose cell is unchanged in the re-submission (inside the caller's transaction)."""
    carried = 0
    for waiver in waivers_of(conn, old_id).values():
        now = _row_values(conn, new_id, waiver.sheet, waiver.cell, waiver.row_key)
        if waiver.cell and waiver.raw_value and now == waiver.raw_value:
            conn.execute("INSERT INTO waivers (submission_id, code, sheet, cell, row_key, raw_value, who, at, why, "
                         "carried_from) VALUES (?,?,?,?,?,?,?,?,?,?)",
                         (new_id, waiver.code, waiver.sheet, waiver.cell, waiver.row_key, waiver.raw_value,
                          waiver.who, waiver.at, waiver.why, old_id))
            carried += 1
    return carried


def annotate(findings: list[Finding], waivers: dict[tuple[str, str, str], Waiver]) -> list[Finding]:
    """Findings with their waiver text filled in where one applies."""
    return [replace(f, waiver=waivers[(f.code, f.sheet, f.cell)].text)
            if f.severity == "ERR" and (f.code, f.sheet, f.cell) in waivers else f for f in findings]
