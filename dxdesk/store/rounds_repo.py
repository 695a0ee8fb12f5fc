"""Rounds, distributed forms, archived files and submissions in the workspace database."""
from __future__ import annotations

import sqlite3
from dataclasses import dataclass, replace

from dxdesk import labels as L
from dxdesk.intake.parse import Value
from dxdesk.store.sql import PUT_META


@dataclass(frozen=True)
class Round:
    round_id: str
    fy: int
    deadline: str
    form_kind: str
    template_version: str
    title: str
    created_at: str
    grade_scale: str = "AD2"
    plan_edition: int | None = None  # the plan edition the forms were distributed with


@dataclass(frozen=True)
class Submission:
    submission_id: int
    round_id: str
    section_code: str | None
    sha256: str
    file_name: str
    source_path: str
    received_at: str
    superseded_by: int | None
    rulebook_version: str | None = None
    checked_at: str | None = None
    saved_at: str = ""
    file_mtime: str = ""

    @property
    def order(self) -> tuple[str, str, str, str]:
        """Latest wins by this key: the workbook's saved time, the file's, then name and content."""
        return (self.saved_at, self.file_mtime, self.file_name, self.sha256)


def create_round(conn: sqlite3.Connection, fy: int, deadline: str, form_kind: str, version: str,
                 title: str, when: str, grade_scale: str = "AD2", plan_edition: int | None = None) -> Round:
    with conn:
        conn.lock("rounds")  # two PCs creating a round of the same year get FY…-1 and FY…-2
        count = conn.execute("SELECT COUNT(*) FROM rounds WHERE fy = ?", (fy,)).fetchone()[0]
        round_id = f"FY{fy}-{count + 1}"
        conn.execute("INSERT INTO rounds (round_id, fy, deadline, form_kind, template_version, title, created_at, "
                     "grade_scale, plan_edition) VALUES (?,?,?,?,?,?,?,?,?)",
                     (round_id, fy, deadline, form_kind, version, title, when, grade_scale, plan_edition))
    return get_round(conn, round_id)


def get_round(conn: sqlite3.Connection, round_id: str) -> Round | None:
    row = conn.execute("SELECT * FROM rounds WHERE round_id = ?", (round_id,)).fetchone()
    return Round(**dict(row)) if row else None


def list_rounds(conn: sqlite3.Connection) -> list[Round]:
    return [Round(**dict(r)) for r in conn.execute("SELECT * FROM rounds ORDER BY created_at, round_id")]


def latest_round(conn: sqlite3.Connection) -> Round | None:
    row = conn.execute("SELECT * FROM rounds ORDER BY created_at DESC, round_id DESC LIMIT 1").fetchone()
    return Round(**dict(row)) if row else None


def rounds_of_year(conn: sqlite3.Connection, fy: int) -> list[Round]:
    return [Round(**dict(r)) for r in conn.execute("SELECT * FROM rounds WHERE fy = ? ORDER BY round_id", (fy,))]


def current_round_id(conn: sqlite3.Connection) -> str | None:
    """The round chosen with `dxdesk round use` (or the last one created), None if none was chosen."""
    row = conn.execute("SELECT value FROM meta WHERE key = 'current_round'").fetchone()
    return row[0] if row else None


def set_current_round(conn: sqlite3.Connection, round_id: str) -> None:
    with conn:
        conn.execute(PUT_META, ("current_round", round_id))


def record_distribution(conn: sqlite3.Connection, round_id: str, section_code: str, file_name: str,
                        when: str, form_sha256: str | None = None) -> None:
    with conn:
        conn.execute("""INSERT INTO round_sections (round_id, section_code, file_name, distributed_at, form_sha256)
                        VALUES (?,?,?,?,?) ON CONFLICT (round_id, section_code)
                        DO UPDATE SET file_name = excluded.file_name, distributed_at = excluded.distributed_at,
                        form_sha256 = excluded.form_sha256""",
                     (round_id, section_code, file_name, when, form_sha256))


def round_sections(conn: sqlite3.Connection, round_id: str) -> list[sqlite3.Row]:
    """By section code; a listing puts them in the plan's order (plan.model.in_section_order). PostgreSQL returns rows
    without ORDER BY in no fixed order (an UPDATE moves a row), so every query that lists says its order."""
    return conn.execute("SELECT * FROM round_sections WHERE round_id = ? ORDER BY section_code",
                        (round_id,)).fetchall()


def record_file(conn: sqlite3.Connection, sha256: str, size: int, archived: str, name: str, when: str) -> None:
    conn.execute("INSERT INTO files VALUES (?,?,?,?,?) ON CONFLICT DO NOTHING", (sha256, size, archived, name, when))


def find_submission(conn: sqlite3.Connection, round_id: str, sha256: str) -> Submission | None:
    row = conn.execute("SELECT * FROM submissions WHERE round_id = ? AND sha256 = ?", (round_id, sha256)).fetchone()
    return Submission(**dict(row)) if row else None


def latest_submission(conn: sqlite3.Connection, round_id: str, section_code: str) -> Submission | None:
    row = conn.execute("""SELECT * FROM submissions WHERE round_id = ? AND section_code = ?
                          AND superseded_by IS NULL ORDER BY submission_id DESC LIMIT 1""",
                       (round_id, section_code)).fetchone()
    return Submission(**dict(row)) if row else None


def latest_submissions(conn: sqlite3.Connection, round_id: str) -> dict[str, Submission]:
    rows = conn.execute("""SELECT * FROM submissions WHERE round_id = ? AND section_code IS NOT NULL
                           AND superseded_by IS NULL ORDER BY submission_id""", (round_id,))
    return {r["section_code"]: Submission(**dict(r)) for r in rows}


def all_submissions(conn: sqlite3.Connection, round_id: str) -> list[Submission]:
    rows = conn.execute("SELECT * FROM submissions WHERE round_id = ? ORDER BY submission_id", (round_id,))
    return [Submission(**dict(r)) for r in rows]


def insert_submission(conn: sqlite3.Connection, round_id: str, section_code: str | None, sha256: str,
                      file_name: str, source_path: str, when: str, rulebook_version: str,
                      saved_at: str = "", file_mtime: str = "") -> int:
    """Insert a submission (which of the section's files is latest: settle_section)."""
    cursor = conn.execute(
        "INSERT INTO submissions (round_id, section_code, sha256, file_name, source_path, received_at, "
        "rulebook_version, checked_at, saved_at, file_mtime) VALUES (?,?,?,?,?,?,?,?,?,?) RETURNING submission_id",
        (round_id, section_code, sha256, file_name, source_path, when, rulebook_version, when,
         saved_at or when, file_mtime or when))
    return cursor.fetchone()[0]


def settle_section(conn: sqlite3.Connection, round_id: str, section_code: str) -> tuple[list[Submission], int | None]:
    """Latest wins over every submission of the section in the round, ordered by Submission.order (the
    workbook's own saved time first), never by the order or batch they were collected in; the others are
    superseded (kept in history). Returns the submissions oldest first and the id that was latest before;
    a change of latest clears the section's acceptance."""
    subs = sorted((Submission(**dict(r)) for r in conn.execute(
        "SELECT * FROM submissions WHERE round_id = ? AND section_code = ?", (round_id, section_code))),
        key=lambda s: s.order)
    before = next((s.submission_id for s in subs if s.superseded_by is None), None)
    latest = subs[-1].submission_id
    conn.execute("UPDATE submissions SET superseded_by = CASE WHEN submission_id = ? THEN NULL ELSE ? END "
                 "WHERE round_id = ? AND section_code = ?", (latest, latest, round_id, section_code))
    if before != latest:
        conn.execute("UPDATE round_sections SET accepted_at = NULL, accepted_by = NULL "
                     "WHERE round_id = ? AND section_code = ?", (round_id, section_code))
    return [replace(s, superseded_by=None if s.submission_id == latest else latest) for s in subs], before


def insert_values(conn: sqlite3.Connection, submission_id: int, values: dict[str, dict[str, dict[str, Value]]]) -> None:
    conn.executemany("INSERT INTO submission_values (submission_id, sheet_key, row_key, field, raw, num, text, "
                     "sheet, cell, held) VALUES (?,?,?,?,?,?,?,?,?,?)", [
        (submission_id, sheet_key, row_key, field, v.raw, v.num, v.text, v.sheet, v.cell, v.held)
        for sheet_key, rows in values.items() for row_key, row in rows.items() for field, v in row.items()])


def load_values(conn: sqlite3.Connection, submission_id: int) -> dict[str, dict[str, dict[str, Value]]]:
    result: dict[str, dict[str, dict[str, Value]]] = {}
    for r in conn.execute("SELECT * FROM submission_values WHERE submission_id = ? "
                          "ORDER BY sheet_key, row_key, field", (submission_id,)):  # (on either backend)
        result.setdefault(r["sheet_key"], {}).setdefault(r["row_key"], {})[r["field"]] = Value(
            r["raw"] or "", r["num"], r["text"] or "", r["sheet"] or "", r["cell"] or "", r["held"])
    return result


def latest_values(conn: sqlite3.Connection, round_id: str, sheet_key: str) -> dict[str, dict[str, dict[str, Value]]]:
    """section → row key → field → Value, from each section's latest submission, in one query."""
    result: dict[str, dict[str, dict[str, Value]]] = {}
    rows = conn.execute(
        """SELECT s.section_code, v.row_key, v.field, v.raw, v.num, v.text, v.sheet, v.cell, v.held
           FROM submissions s JOIN submission_values v ON v.submission_id = s.submission_id
           WHERE s.round_id = ? AND s.section_code IS NOT NULL AND s.superseded_by IS NULL
             AND v.sheet_key = ?
           ORDER BY s.section_code, s.submission_id, v.row_key, v.field""", (round_id, sheet_key))
    for section, row_key, field, raw, num, text, sheet, cell, held in rows:
        result.setdefault(section, {}).setdefault(row_key, {})[field] = Value(raw or "", num, text or "",
                                                                               sheet or "", cell or "", held)
    return result


def accepted(conn: sqlite3.Connection, round_id: str, section_code: str) -> tuple[str, str] | None:
    """(who, when) the section's latest return was accepted by hand; None when it was not."""
    row = conn.execute("SELECT accepted_by, accepted_at FROM round_sections WHERE round_id = ? AND section_code = ?",
                       (round_id, section_code)).fetchone()
    return (row[0] or "", row[1]) if row and row[1] else None


def accept(conn: sqlite3.Connection, round_id: str, section_code: str, who: str, when: str) -> None:
    with conn:
        conn.execute("UPDATE round_sections SET accepted_at = ?, accepted_by = ? WHERE round_id = ? "
                     "AND section_code = ?", (when, who, round_id, section_code))


def section_status(severities: dict[str, int], accepted: bool) -> str:
    """Of a section that has returned: 要修正 (an ERR) / 受理 (no ERR and no WARN, or accepted by hand) /
    提出済 (WARN to review). A section with no return is 未提出 (see intake/status.py)."""
    if severities.get("ERR"):
        return L.STATUS_NEEDS_FIX
    if accepted or not severities.get("WARN"):
        return L.STATUS_ACCEPTED
    return L.STATUS_RETURNED


def replace_check(conn: sqlite3.Connection, submission_id: int, values, rulebook_version: str, when: str) -> None:
    """After a re-check: the submission's values and check version are replaced (findings by the caller)."""
    conn.execute("DELETE FROM submission_values WHERE submission_id = ?", (submission_id,))
    insert_values(conn, submission_id, values)
    conn.execute("UPDATE submissions SET rulebook_version = ?, checked_at = ? WHERE submission_id = ?",
                 (rulebook_version, when, submission_id))
