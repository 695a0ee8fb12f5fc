"""The workspace database: SQLite (embedded, the default) or PostgreSQL (shared by several staff), one schema
versioned with forward migrations from day one.

The migrations are written once, with SQLite's type words; sql.schema_sql maps them for PostgreSQL. SQLite
keeps its version in PRAGMA user_version, PostgreSQL in the table dxdesk_schema."""
from __future__ import annotations

import sqlite3
from pathlib import Path
from urllib.parse import quote

from dxdesk.errors import WorkspaceError
from dxdesk.store import pgstore
from dxdesk.store.sql import POSTGRESQL, SQLITE, PgConnection, SqliteConnection, schema_sql

MIGRATIONS: list[str] = [
    # 1: plan master, rounds, files, submissions, values, findings
    """
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    CREATE TABLE sections (code TEXT PRIMARY KEY, name TEXT NOT NULL, dept TEXT, person TEXT, email TEXT,
                           seq INTEGER NOT NULL);
    CREATE TABLE measures (measure_id TEXT PRIMARY KEY, name TEXT NOT NULL, levels TEXT NOT NULL,
                           section_codes TEXT NOT NULL, stage TEXT NOT NULL, summary TEXT, project TEXT,
                           seq INTEGER NOT NULL);
    CREATE TABLE kpis (kpi_id TEXT PRIMARY KEY, measure_id TEXT NOT NULL, name TEXT NOT NULL, kind TEXT,
                       unit TEXT, direction TEXT, basis TEXT, baseline REAL, baseline_text TEXT,
                       baseline_fy INTEGER, target REAL, target_text TEXT, target_fy INTEGER,
                       comparator TEXT, relisted_of TEXT, rationale TEXT, seq INTEGER NOT NULL);
    CREATE TABLE year_targets (kpi_id TEXT NOT NULL, fy INTEGER NOT NULL, target REAL NOT NULL,
                               PRIMARY KEY (kpi_id, fy));
    CREATE TABLE history (kpi_id TEXT NOT NULL, fy INTEGER NOT NULL, value REAL, self_grade TEXT,
                          note TEXT, source TEXT, PRIMARY KEY (kpi_id, fy));
    CREATE TABLE budgets (measure_id TEXT NOT NULL, fy INTEGER NOT NULL, budget REAL, settlement REAL,
                          PRIMARY KEY (measure_id, fy));
    CREATE TABLE rounds (round_id TEXT PRIMARY KEY, fy INTEGER NOT NULL, deadline TEXT NOT NULL,
                         form_kind TEXT NOT NULL, template_version TEXT NOT NULL, title TEXT,
                         created_at TEXT NOT NULL);
    CREATE TABLE round_sections (round_id TEXT NOT NULL, section_code TEXT NOT NULL, file_name TEXT,
                                 distributed_at TEXT, accepted_at TEXT, accepted_by TEXT,
                                 PRIMARY KEY (round_id, section_code));
    CREATE TABLE files (sha256 TEXT PRIMARY KEY, size INTEGER NOT NULL, archived_path TEXT NOT NULL,
                        first_name TEXT NOT NULL, first_seen TEXT NOT NULL);
    CREATE TABLE submissions (submission_id INTEGER PRIMARY KEY, round_id TEXT NOT NULL,
                              section_code TEXT, sha256 TEXT NOT NULL, file_name TEXT NOT NULL,
                              source_path TEXT, received_at TEXT NOT NULL,
                              superseded_by INTEGER, UNIQUE (round_id, sha256));
    CREATE TABLE submission_values (submission_id INTEGER NOT NULL, sheet_key TEXT NOT NULL,
                                    row_key TEXT NOT NULL, field TEXT NOT NULL, raw TEXT, num REAL,
                                    text TEXT, sheet TEXT, cell TEXT,
                                    PRIMARY KEY (submission_id, sheet_key, row_key, field));
    CREATE TABLE findings (finding_id INTEGER PRIMARY KEY, scope TEXT NOT NULL, round_id TEXT,
                           submission_id INTEGER, code TEXT NOT NULL, severity TEXT NOT NULL,
                           message TEXT NOT NULL, hint TEXT, section TEXT, file TEXT, sheet TEXT,
                           cell TEXT, value TEXT, expected TEXT, row_key TEXT, field TEXT);
    CREATE INDEX findings_by_submission ON findings (submission_id);
    CREATE INDEX submissions_by_section ON submissions (round_id, section_code);
    """,
    # 2: the rule book's versions, and which one each check ran with
    """
    CREATE TABLE rulebooks (version TEXT PRIMARY KEY, json TEXT NOT NULL, created_at TEXT NOT NULL);
    ALTER TABLE submissions ADD COLUMN rulebook_version TEXT;
    ALTER TABLE submissions ADD COLUMN checked_at TEXT;
    """,
    # 3: waivers of an ERR for one submission (who, when, why), with the row's values they were given for
    """
    CREATE TABLE waivers (waiver_id INTEGER PRIMARY KEY, submission_id INTEGER NOT NULL, code TEXT NOT NULL,
                          sheet TEXT NOT NULL, cell TEXT NOT NULL, row_key TEXT, raw_value TEXT, who TEXT NOT NULL,
                          at TEXT NOT NULL, why TEXT NOT NULL, carried_from INTEGER);
    CREATE INDEX waivers_by_submission ON waivers (submission_id);
    """,
    # 4: composite and multi-part KPIs (算出区分, 構成指標ID)
    """
    ALTER TABLE kpis ADD COLUMN formula TEXT;
    ALTER TABLE kpis ADD COLUMN parts TEXT;
    """,
    # 5: the grade scale a round's forms were distributed with
    """
    ALTER TABLE rounds ADD COLUMN grade_scale TEXT NOT NULL DEFAULT 'AD2';
    """,
    # 6: a budget shared by several measures (共有予算ID)
    """
    ALTER TABLE budgets ADD COLUMN shared_id TEXT NOT NULL DEFAULT '';
    """,
    # 7: milestones (roadmap entries) and systems (様式②) of the plan master
    """
    CREATE TABLE milestones (milestone_id TEXT PRIMARY KEY, measure_id TEXT NOT NULL, content TEXT NOT NULL,
                             fy INTEGER, period TEXT, due_month INTEGER, status TEXT, note TEXT,
                             seq INTEGER NOT NULL);
    CREATE TABLE systems (system_id TEXT PRIMARY KEY, json TEXT NOT NULL, seq INTEGER NOT NULL);
    """,
    # 8: a number read but held back by an error on its cell (V4), counted once the error is waived
    """
    ALTER TABLE submission_values ADD COLUMN held REAL;
    """,
    # 9: when each returned workbook was saved (its own saved time, then the file's), which decides "latest"
    """
    ALTER TABLE submissions ADD COLUMN saved_at TEXT NOT NULL DEFAULT '';
    ALTER TABLE submissions ADD COLUMN file_mtime TEXT NOT NULL DEFAULT '';
    UPDATE submissions SET saved_at = received_at, file_mtime = received_at;
    """,
    # 10: the KPI a measure's cost per unit (M5) is computed against (施策 sheet, 単価指標ID)
    """
    ALTER TABLE measures ADD COLUMN unit_cost_kpi TEXT NOT NULL DEFAULT '';
    """,
    # 11: editions of the plan master (策定 / 改定), each imported file archived; the edition a round went out with
    """
    CREATE TABLE plan_editions (edition INTEGER PRIMARY KEY, label TEXT NOT NULL, sha256 TEXT NOT NULL,
                                file_name TEXT NOT NULL, archived_path TEXT NOT NULL, imported_at TEXT NOT NULL);
    ALTER TABLE rounds ADD COLUMN plan_edition INTEGER;
    ALTER TABLE measures ADD COLUMN co_input TEXT NOT NULL DEFAULT '参照';
    """,
    # 12: 全庁照会 (inquiries from the office's own forms): the form, its mapping versions, the sections asked;
    # their returns are submissions (round_id = inquiry_id) with the round's values, findings and waivers
    """
    CREATE TABLE inquiries (inquiry_id TEXT PRIMARY KEY, name TEXT NOT NULL, deadline TEXT NOT NULL,
                            template_sha256 TEXT NOT NULL, template_name TEXT NOT NULL, template_path TEXT NOT NULL,
                            version TEXT NOT NULL, created_at TEXT NOT NULL);
    CREATE TABLE inquiry_mappings (inquiry_id TEXT NOT NULL, version TEXT NOT NULL, mapping TEXT NOT NULL,
                                   created_at TEXT NOT NULL, PRIMARY KEY (inquiry_id, version));
    CREATE TABLE inquiry_sections (inquiry_id TEXT NOT NULL, section_code TEXT NOT NULL, name TEXT NOT NULL,
                                   dept TEXT NOT NULL, person TEXT NOT NULL, email TEXT NOT NULL,
                                   seq INTEGER NOT NULL, prefill_rows TEXT NOT NULL,
                                   PRIMARY KEY (inquiry_id, section_code));
    """,
    # 13: a shared workspace's originals (content-addressed, in the database), and who did what when
    """
    CREATE TABLE originals (sha256 TEXT PRIMARY KEY, data BLOB NOT NULL);
    CREATE TABLE activity (activity_id INTEGER PRIMARY KEY, at TEXT NOT NULL, who TEXT NOT NULL,
                           host TEXT NOT NULL, what TEXT NOT NULL);
    """,
    # 14: the SHA-256 of each distributed form (a shared workspace keeps the form with the originals, so a
    # reminder made on another PC can attach it)
    """
    ALTER TABLE round_sections ADD COLUMN form_sha256 TEXT;
    """,
]
SCHEMA_VERSION = len(MIGRATIONS)


def connect(path: Path, readonly: bool = False, network: bool = False, immutable: bool = False) -> sqlite3.Connection:
    """Open (and migrate, unless read-only) the workspace database.

    On a network share (network=True) WAL does not work (its index is shared memory that the PCs on either
    side of a share cannot see), so the database uses a rollback journal there. immutable=True: the folder
    cannot be written (see _open_readonly)."""
    if readonly:
        conn = _open_readonly(path, immutable)
    else:
        conn = sqlite3.connect(path, check_same_thread=False, factory=SqliteConnection)  # one job at a time
        if network:
            conn.execute("PRAGMA journal_mode=DELETE")
            conn.execute("PRAGMA synchronous=FULL")  # a rollback journal is safe with FULL only
        else:
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")  # WAL + NORMAL: safe against a crash of dxdesk itself
    conn.row_factory = sqlite3.Row
    conn.execute("PRAGMA foreign_keys=ON")
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if version > SCHEMA_VERSION:
        conn.close()
        raise WorkspaceError(
            f"このワークスペース（{path.parent}）は新しい版の dxdesk で作られています"
            f"（形式 {version} > {SCHEMA_VERSION}）。dxdesk を更新してください。")
    if version < SCHEMA_VERSION:
        if readonly:
            conn.close()
            raise WorkspaceError(f"{path.parent}: 読み取り専用のため、ワークスペースの形式を更新できません。")
        migrate(conn, version)
    return conn


def _open_readonly(path: Path, immutable: bool) -> sqlite3.Connection:
    """Read-only; in a folder nobody can write to, a WAL database closed cleanly has no -shm file and SQLite
    cannot make one: then (and only then) it is read as immutable. While someone with write permission works
    in it, its -shm exists and the ordinary read-only open sees their commits."""
    uri = f"file:{quote(str(path))}?mode=ro"
    conn = sqlite3.connect(uri, uri=True, check_same_thread=False, factory=SqliteConnection)
    try:
        conn.execute("PRAGMA user_version").fetchone()
        return conn
    except sqlite3.OperationalError:
        conn.close()
        if not immutable:
            raise
    return sqlite3.connect(uri + "&immutable=1", uri=True, check_same_thread=False, factory=SqliteConnection)


def connect_database(url: str, readonly: bool = False) -> PgConnection:
    """Open (and migrate, unless read-only) the PostgreSQL store at `url`. Several PCs may open it at once:
    the migration runs under an advisory lock, and only by the first."""
    conn = pgstore.connect(url)
    try:
        conn.raw.execute("SELECT pg_advisory_lock(hashtextextended('dxdesk.schema', 0))")
        try:
            conn.executescript("CREATE TABLE IF NOT EXISTS dxdesk_schema (version INTEGER NOT NULL)")
            row = conn.execute("SELECT version FROM dxdesk_schema").fetchone()
            if row is None:
                conn.execute("INSERT INTO dxdesk_schema VALUES (0)")
            version = row[0] if row else 0
            if version > SCHEMA_VERSION:
                raise WorkspaceError(
                    f"データベース {conn.where} は新しい版の dxdesk で作られています"
                    f"（形式 {version} > {SCHEMA_VERSION}）。dxdesk を更新してください。")
            if version < SCHEMA_VERSION:
                if readonly:
                    raise WorkspaceError(f"データベース {conn.where}: 読み取り専用のため、形式を更新できません。")
                migrate(conn, version)
        finally:
            conn.raw.execute("SELECT pg_advisory_unlock(hashtextextended('dxdesk.schema', 0))")
    except BaseException:
        conn.close()
        raise
    return conn


def schema_version(conn) -> int:
    if conn.dialect == SQLITE:
        return conn.execute("PRAGMA user_version").fetchone()[0]
    return conn.execute("SELECT version FROM dxdesk_schema").fetchone()[0]


def migrate(conn, current: int) -> None:
    """Apply every migration after `current`, each in its own transaction."""
    for number, script in enumerate(MIGRATIONS[current:], start=current + 1):
        if conn.dialect == POSTGRESQL:
            with conn:  # PostgreSQL's DDL is transactional too
                conn.executescript(schema_sql(script, POSTGRESQL))
                conn.execute("UPDATE dxdesk_schema SET version = ?", (number,))
            continue
        with conn:
            conn.executescript(f"BEGIN;\n{script}\nPRAGMA user_version = {number};\nCOMMIT;")
