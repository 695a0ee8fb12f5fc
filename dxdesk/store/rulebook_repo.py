"""The rule book in the workspace: every version kept; one is current."""
from __future__ import annotations

import sqlite3

from dxdesk.rules.book import RuleBook, default_rulebook, from_json
from dxdesk.rules.scales import register
from dxdesk.store.sql import PUT_META

ADD_RULEBOOK = "INSERT INTO rulebooks VALUES (?, ?, ?) ON CONFLICT DO NOTHING"


def current_rulebook(conn: sqlite3.Connection) -> RuleBook:
    row = conn.execute("SELECT r.json FROM meta m JOIN rulebooks r ON r.version = m.value "
                       "WHERE m.key = 'rulebook.current'").fetchone()
    if row:
        return from_json(row[0])
    scale = conn.execute("SELECT value FROM meta WHERE key = 'plan.grade_scale'").fetchone()
    register(())  # no office scales in this workspace (another one may have been open before)
    return default_rulebook(scale[0] if scale else "AD2")


def save_rulebook(conn: sqlite3.Connection, book: RuleBook, when: str) -> str:
    """Keep this version and make it current (its own scales registered); returns its version id."""
    register(book.scales)
    with conn:
        conn.execute(ADD_RULEBOOK, (book.version, book.as_json(), when))
        conn.execute(PUT_META, ("rulebook.current", book.version))
    return book.version


def rulebook_version(conn: sqlite3.Connection, book: RuleBook, when: str) -> str:
    """The version id of `book`, stored so a check can always say which rules it ran with."""
    conn.execute(ADD_RULEBOOK, (book.version, book.as_json(), when))
    return book.version
