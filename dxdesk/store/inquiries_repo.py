"""全庁照会 in the workspace database: the inquiry, its mapping versions, the sections it was sent to.
Returns are ordinary submissions (round_id = inquiry_id), kept with rounds_repo; SQL kept portable."""
from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass

from dxdesk.inquiry.model import Mapping
from dxdesk.plan.model import Section

ID_PREFIX = "Q"


@dataclass(frozen=True)
class Inquiry:
    inquiry_id: str
    name: str
    deadline: str
    template_sha256: str
    template_name: str
    template_path: str   # the archived original, relative to the workspace
    version: str         # the current mapping's version
    created_at: str
    mapping: Mapping

    @property
    def round_id(self) -> str:
        return self.inquiry_id


def _inquiry(conn: sqlite3.Connection, row) -> Inquiry:
    mapping = mapping_of(conn, row["inquiry_id"], row["version"])
    return Inquiry(row["inquiry_id"], row["name"], row["deadline"], row["template_sha256"], row["template_name"],
                   row["template_path"], row["version"], row["created_at"], mapping)


def mapping_of(conn: sqlite3.Connection, inquiry_id: str, version: str) -> Mapping | None:
    row = conn.execute("SELECT mapping FROM inquiry_mappings WHERE inquiry_id = ? AND version = ?",
                       (inquiry_id, version)).fetchone()
    return Mapping.from_json(row[0]) if row else None


def mappings(conn: sqlite3.Connection, inquiry_id: str) -> dict[str, Mapping]:
    """Every mapping the inquiry had (a return from an older copy is read with the one it went out with)."""
    return {r[0]: Mapping.from_json(r[1]) for r in conn.execute(
        "SELECT version, mapping FROM inquiry_mappings WHERE inquiry_id = ? ORDER BY created_at", (inquiry_id,))}


def next_id(conn: sqlite3.Connection) -> str:
    numbers = [int(r[0][len(ID_PREFIX):]) for r in conn.execute("SELECT inquiry_id FROM inquiries")
               if r[0][len(ID_PREFIX):].isdigit()]
    return f"{ID_PREFIX}{max(numbers, default=0) + 1}"


def create(conn: sqlite3.Connection, name: str, deadline: str, sha: str, template_name: str, template_path: str,
           mapping: Mapping, when: str) -> Inquiry:
    conn.lock("inquiries")  # a shared workspace: two PCs making an inquiry at once get two numbers
    inquiry_id = next_id(conn)
    conn.execute("INSERT INTO inquiries (inquiry_id, name, deadline, template_sha256, template_name, template_path, "
                 "version, created_at) VALUES (?,?,?,?,?,?,?,?)",
                 (inquiry_id, name, deadline, sha, template_name, template_path, mapping.version, when))
    add_mapping(conn, inquiry_id, mapping, when)
    return get(conn, inquiry_id)


def add_mapping(conn: sqlite3.Connection, inquiry_id: str, mapping: Mapping, when: str) -> None:
    conn.execute("INSERT INTO inquiry_mappings (inquiry_id, version, mapping, created_at) VALUES (?,?,?,?) "
                 "ON CONFLICT (inquiry_id, version) DO NOTHING", (inquiry_id, mapping.version, mapping.to_json(), when))
    conn.execute("UPDATE inquiries SET version = ? WHERE inquiry_id = ?", (mapping.version, inquiry_id))


def get(conn: sqlite3.Connection, inquiry_id: str) -> Inquiry | None:
    row = conn.execute("SELECT * FROM inquiries WHERE inquiry_id = ?", (inquiry_id,)).fetchone()
    return _inquiry(conn, row) if row else None


def list_all(conn: sqlite3.Connection) -> list[Inquiry]:
    rows = conn.execute("SELECT * FROM inquiries ORDER BY created_at, inquiry_id").fetchall()
    return [_inquiry(conn, r) for r in rows]


def set_sections(conn: sqlite3.Connection, inquiry_id: str, sections: list[Section],
                 prefill: dict[str, list[dict[str, str]]]) -> None:
    conn.execute("DELETE FROM inquiry_sections WHERE inquiry_id = ?", (inquiry_id,))
    conn.executemany("INSERT INTO inquiry_sections (inquiry_id, section_code, name, dept, person, email, seq, "
                     "prefill_rows) VALUES (?,?,?,?,?,?,?,?)",
                     [(inquiry_id, s.code, s.name, s.dept or "", s.person or "", s.email or "", i,
                       json.dumps(prefill.get(s.code, []), ensure_ascii=False)) for i, s in enumerate(sections)])


def sections(conn: sqlite3.Connection, inquiry_id: str) -> dict[str, Section]:
    return {r["section_code"]: Section(r["section_code"], r["name"], r["dept"], r["person"], r["email"])
            for r in conn.execute("SELECT * FROM inquiry_sections WHERE inquiry_id = ? ORDER BY seq", (inquiry_id,))}


def prefill_rows(conn: sqlite3.Connection, inquiry_id: str) -> dict[str, list[dict[str, str]]]:
    return {r[0]: json.loads(r[1]) for r in conn.execute(
        "SELECT section_code, prefill_rows FROM inquiry_sections WHERE inquiry_id = ?", (inquiry_id,))}
