"""A shared workspace: several staff, each with a folder pointing at one PostgreSQL database (a real server,
tests/pg_server.py). No lock file; every operation a transaction; the originals in the database, verified
when read back; who did what in `dxdesk log`; a server that cannot be reached or a connection that drops is
a Japanese message, nothing half-written, and a run again completes."""
from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
import time
from pathlib import Path

import psycopg
import pytest

from dxdesk import jobs
from dxdesk.cli import main
from dxdesk.store.workspace import DATABASE_FILE, LOCK_NAME, init_workspace, open_workspace
from test_batching import returns_folder


def run(*args: str) -> subprocess.CompletedProcess:
    """`dxdesk -q …` in this process (what several PCs do at once runs in processes of their own, below)."""
    import io
    from contextlib import redirect_stderr, redirect_stdout
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main(["-q", *args])
    return subprocess.CompletedProcess(args, code, out.getvalue(), err.getvalue())


@pytest.fixture
def shared_round(tmp_path, pg_database, sample_plan_path, sample_actuals):
    """One database, two staff folders (A set it up: plan, round, forms); the returns in an inbox."""
    a = init_workspace(tmp_path / "A", database=pg_database)
    jobs.import_plan(a, sample_plan_path)
    round_ = jobs.new_round(a, 2023, dt.date(2024, 5, 17))
    forms = jobs.distribute(a, round_).files
    files = returns_folder(forms, jobs.require_plan(a), sample_actuals, tmp_path / "inbox")
    a.close()
    init_workspace(tmp_path / "B", database=pg_database).close()
    return tmp_path / "A", tmp_path / "B", pg_database, files


def counts(url: str) -> dict[str, int]:
    with psycopg.connect(url) as conn:
        found = {t: conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]
                 for t in ("submissions", "files", "originals", "submission_values", "findings")}
        found["returns kept"] = conn.execute("SELECT COUNT(*) FROM originals o JOIN files f "
                                             "ON f.sha256 = o.sha256").fetchone()[0]
        return found


def test_init_with_a_database_makes_a_folder_pointing_at_it_and_keeps_no_password(tmp_path, pg_database):
    done = run("init", str(tmp_path / "ws"), "--database", pg_database)
    assert done.returncode == 0, done.stderr
    assert "共有ワークスペースを作成しました" in done.stdout and "127.0.0.1" in done.stdout
    assert json.loads((tmp_path / "ws" / DATABASE_FILE).read_text(encoding="utf-8")) == {"database": pg_database}
    assert not (tmp_path / "ws" / "dxdesk.sqlite").exists()
    with open_workspace(tmp_path / "ws") as ws, open_workspace(tmp_path / "ws") as again:
        assert ws.shared and not ws.readonly and not again.readonly  # no lock: both write
        assert not (tmp_path / "ws" / LOCK_NAME).exists()
    with_password = pg_database.replace("postgres@", "postgres:himitsu123@")
    done = run("init", str(tmp_path / "other"), "--database", with_password)
    assert done.returncode == 1
    assert "パスワードが含まれています" in done.stderr and "pgpass" in done.stderr
    assert "himitsu123" not in done.stdout + done.stderr
    assert not (tmp_path / "other" / DATABASE_FILE).exists()


def test_an_unreachable_server_is_a_japanese_message_naming_host_and_database(tmp_path):
    import socket
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    done = run("init", str(tmp_path / "ws"), "--database", f"postgresql://dxstaff@127.0.0.1:{port}/dxdesk_office")
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "データベース dxstaff@127.0.0.1:" in done.stderr and "/dxdesk_office に接続できません" in done.stderr
    assert "サーバーに接続できません" in done.stderr
    assert not (tmp_path / "ws" / DATABASE_FILE).exists()


def test_two_staff_collecting_the_same_files_at_once_both_succeed_and_each_is_stored_once(shared_round, tmp_path):
    a, b, url, files = shared_round
    procs = [subprocess.Popen([sys.executable, "-m", "dxdesk.cli", "-q", "-w", str(folder), "collect",
                               str(tmp_path / "inbox")], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for folder in (a, b)]
    outs = [p.communicate(timeout=300) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outs
    stored = counts(url)
    assert stored["submissions"] == len(files) == stored["files"] == stored["returns kept"]
    status_a, status_b = run("-w", str(a), "status"), run("-w", str(b), "status")
    assert status_a.stdout == status_b.stdout and "未提出" not in status_a.stdout
    log = run("-w", str(a), "log").stdout
    assert log.count("回収: FY2023-1") == 2 and "照会を作成: FY2023-1" in log and "計画マスタを取り込み" in log


def test_originals_come_back_from_the_database_and_their_hash_is_verified(shared_round, tmp_path):
    a, b, url, files = shared_round
    assert run("-w", str(a), "collect", str(tmp_path / "inbox")).returncode == 0
    assert not list((b / "archive").rglob("*.xlsx"))  # B never saw the files: a re-check reads them from the DB
    done = run("-w", str(b), "check")
    assert done.returncode == 0, done.stderr
    assert len(list((b / "archive").rglob("*.xlsx"))) == len(files) - 2  # the latest of each section
    for copy in (b / "archive").rglob("*.xlsx"):
        copy.chmod(0o644)
        copy.unlink()
    with psycopg.connect(url) as conn:  # the original of one latest return damaged in the database
        conn.execute("UPDATE originals SET data = substring(data from 1 for 100) WHERE sha256 = "
                     "(SELECT min(sha256) FROM submissions WHERE superseded_by IS NULL AND section_code IS NOT NULL)")
    done = run("-w", str(b), "check")
    assert done.returncode == 1 and "壊れています（SHA-256 が一致しません）" in done.stderr


DROP_MIDWAY = """
import sys, psycopg
from dxdesk.store import rounds_repo
from dxdesk.cli import main
admin_url, after = sys.argv[1], int(sys.argv[2])
original, calls = rounds_repo.insert_values, [0]
def dropping(conn, *args, **kwargs):
    original(conn, *args, **kwargs)
    calls[0] += 1
    if calls[0] == after:  # inside the file's transaction, before its commit: the server ends this session
        pid = conn.raw.info.backend_pid
        with psycopg.connect(admin_url, autocommit=True) as admin:
            admin.execute("SELECT pg_terminate_backend(%s)", (pid,))
rounds_repo.insert_values = dropping
sys.exit(main(sys.argv[3:]))
"""


def test_a_connection_dropped_mid_collection_leaves_nothing_half_written_and_a_rerun_completes(
        shared_round, tmp_path, pg_server):
    a, b, url, files = shared_round
    done = subprocess.run([sys.executable, "-c", DROP_MIDWAY, pg_server.url(), "3", "-q", "-w", str(a), "collect",
                           str(tmp_path / "inbox")], capture_output=True, text=True, timeout=300)
    assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr
    assert "との接続が切れました" in done.stderr and "途中までの記録は残していません" in done.stderr
    stored = counts(url)  # the two files before were committed whole; the third left nothing
    assert stored["submissions"] == 2 == stored["files"] == stored["returns kept"]
    with psycopg.connect(url) as conn:
        orphans = conn.execute("SELECT COUNT(*) FROM submission_values v WHERE NOT EXISTS "
                               "(SELECT 1 FROM submissions s WHERE s.submission_id = v.submission_id)").fetchone()[0]
    assert orphans == 0
    again = run("-w", str(a), "collect", str(tmp_path / "inbox"))
    assert again.returncode == 0, again.stderr
    assert counts(url)["submissions"] == len(files)
    assert "未提出" not in run("-w", str(b), "status").stdout


def test_log_shows_who_did_what_when(workspace, sample_plan_path, capsys):
    jobs.import_plan(workspace, sample_plan_path)
    jobs.new_round(workspace, 2023, dt.date(2024, 5, 17))
    workspace.set_setting("office_name", "DX推進課")
    workspace.close()
    assert main(["-w", str(workspace.root), "log"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split("  ")[-1] for line in lines] == [
        "設定を変更: office_name", "照会を作成: FY2023-1（令和5年度 進捗状況報告、期限 2024-05-17）",
        "計画マスタを取り込み: 計画マスタ_サンプル.xlsx（第1版（策定））"]
    assert all(line.startswith("令和") for line in lines)


def workbook_values(path: Path) -> dict[str, list[tuple]]:
    """Every sheet's cells as written (values and formulas), the time of writing masked."""
    import re

    import openpyxl
    stamp = re.compile(r"(令和|平成)\d+年\d+月\d+日 \d+:\d+|\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d)?")
    wb = openpyxl.load_workbook(path)
    return {ws.title: [tuple(stamp.sub("<時刻>", v) if isinstance(v, str) else v for v in row)
                       for row in ws.iter_rows(values_only=True)] for ws in wb.worksheets}


def test_migrate_moves_a_sqlite_workspace_with_history_and_originals_and_the_outputs_are_the_same(
        tmp_path, pg_database, sample_plan_path, sample_actuals):
    ws = init_workspace(tmp_path / "solo")
    jobs.import_plan(ws, sample_plan_path)
    round_ = jobs.new_round(ws, 2023, dt.date(2024, 5, 17))
    forms = jobs.distribute(ws, round_).files
    files = returns_folder(forms, jobs.require_plan(ws), sample_actuals, tmp_path / "inbox")
    jobs.run_collection(ws, round_, jobs.prepare_collection(ws, round_, [tmp_path / "inbox"]))
    err = next(f for f in jobs.round_findings(ws, round_) if f.severity == "ERR" and f.section)
    jobs.waive(ws, round_, err.section, err.code, f"{err.sheet}!{err.cell}", "山田", "電話で確認済み")
    before = jobs.consolidate(ws, round_).workbook
    ws.close()
    solo = str(tmp_path / "solo")
    outputs = {cmd: run("-w", solo, cmd).stdout for cmd in ("status", "findings", "log")}

    done = run("-w", solo, "workspace", "migrate", "--to", pg_database, "--folder", str(tmp_path / "shared"))
    assert done.returncode == 0, done.stderr
    assert "へ移しました（原本 22 件" in done.stdout  # 21 returns and the plan master
    shared = str(tmp_path / "shared")
    assert run("-w", shared, "status").stdout == outputs["status"]
    assert run("-w", shared, "findings").stdout == outputs["findings"]  # the waiver came along
    log = run("-w", shared, "log").stdout
    assert log.endswith(outputs["log"]) and "1人用のワークスペース" in log.splitlines()[0]
    with open_workspace(tmp_path / "shared") as moved:
        assert moved.shared
        for copy in (tmp_path / "shared" / "archive").rglob("*.xlsx"):  # the originals are in the database
            copy.chmod(0o644)
            copy.unlink()
        assert jobs.check(moved, jobs.resolve_round(moved)) == len(forms)  # new findings numbered after the copied
        after = jobs.consolidate(moved, jobs.resolve_round(moved)).workbook
        counts_after = counts(moved.database)
        assert jobs.new_round(moved, 2024, dt.date(2025, 5, 16)).round_id == "FY2024-1"
    assert workbook_values(after) == workbook_values(before)
    assert counts_after["submissions"] == len(files) and counts_after["originals"] == 22
    again = run("-w", solo, "workspace", "migrate", "--to", pg_database, "--folder", str(tmp_path / "again"))
    assert again.returncode == 1 and "既にワークスペースがあります" in again.stderr


def test_four_collectors_and_a_consolidator_on_the_400_return_round_end_as_one_sequential_run(
        tmp_path, pg_database, sample_plan_path):
    """The load test of the issue: the 400-section round of benchmarks/round_400.py (real Sasebo figures), with
    two sections that sent a second, later version; 4 processes collect overlapping folders at once while this
    one consolidates again and again. Bounded: a deadlock ends in PostgreSQL's deadlock error or in the
    timeout, either a failure. benchmarks/pg_vs_sqlite.py --load runs the same and prints the times."""
    sys.path.insert(0, str(Path(__file__).parents[1] / "benchmarks"))
    from pg_load import LOAD_SECTIONS, big_round_returns, overlapping_folders, run_load, sequential_reference, \
        submission_counts
    from test_batching import snapshot

    with init_workspace(tmp_path / "lead", database=pg_database) as ws:
        setup, files = big_round_returns(ws, sample_plan_path, tmp_path / "inbox", LOAD_SECTIONS)
    assert len(files) == LOAD_SECTIONS + 2
    folders = overlapping_folders(files, tmp_path)
    assert sum(len(list(f.iterdir())) for f in folders) > len(files)  # some files are in two folders
    run = run_load(pg_database, tmp_path, folders, timeout=900)
    assert run.collect_codes == [0, 0, 0, 0] and not run.errors, run.errors
    assert run.consolidations >= 1
    assert submission_counts(tmp_path / "lead") == (len(files), len(files), 0)  # none lost, none twice
    reference = sequential_reference(tmp_path / "reference", setup, folders)
    expected = snapshot(reference)
    assert snapshot(tmp_path / "lead") == expected  # the same lines in the same order
    status = {row[0]: row for row in expected[0][2:-1]}
    assert len(status) == LOAD_SECTIONS and status["B002"][2] == "要修正" and status["B001"][2] != "要修正"


def test_the_it_sections_setup_works_staff_log_in_with_pgpass_and_no_password_is_kept(tmp_path, pg_server,
                                                                                     sample_plan_path):
    """docs/shared-workspace.md §2–§5 as written: a group owning the database, two staff logging in with a
    password (scram-sha-256 in pg_hba.conf) that only their pgpass file holds."""
    port, secret = pg_server.port, "Sh4red-pw!"
    with pg_server.admin() as admin:
        admin.execute("CREATE ROLE dx_staff NOLOGIN")
        for user in ("dx_yamada", "dx_suzuki"):
            admin.execute(f"CREATE ROLE {user} LOGIN PASSWORD '{secret}' IN ROLE dx_staff")
            admin.execute(f"ALTER ROLE {user} SET role TO dx_staff")
        admin.execute("CREATE DATABASE dxoffice OWNER dx_staff ENCODING 'UTF8' TEMPLATE template0")
    with psycopg.connect(pg_server.url("dxoffice"), autocommit=True) as admin:
        admin.execute("ALTER SCHEMA public OWNER TO dx_staff")
        admin.execute("REVOKE ALL ON DATABASE dxoffice FROM PUBLIC")
        admin.execute("GRANT CONNECT, TEMPORARY ON DATABASE dxoffice TO dx_staff")
    hba = pg_server.data / "pg_hba.conf"
    hba.write_text(f"host dxoffice +dx_staff 127.0.0.1/32 scram-sha-256\n{hba.read_text()}")
    with pg_server.admin() as admin:
        admin.execute("SELECT pg_reload_conf()")
    import os
    env = {**os.environ, "PGPASSFILE": str(tmp_path / "none")}

    def as_staff(*args, pgpass=None):
        return subprocess.run([sys.executable, "-m", "dxdesk.cli", "-q", *args], capture_output=True, text=True,
                              timeout=300, env={**env, "PGPASSFILE": str(pgpass)} if pgpass else env)

    url = f"postgresql://dx_yamada@127.0.0.1:{port}/dxoffice"
    refused = as_staff("init", str(tmp_path / "yamada"), "--database", url)
    assert refused.returncode == 1 and "ログインできません" in refused.stderr and "pgpass" in refused.stderr
    pgpass = tmp_path / "pgpass.conf"
    pgpass.write_text(f"127.0.0.1:{port}:dxoffice:dx_yamada:{secret}\n127.0.0.1:{port}:dxoffice:dx_suzuki:{secret}\n")
    pgpass.chmod(0o600)
    made = as_staff("init", str(tmp_path / "yamada"), "--database", url, pgpass=pgpass)
    assert made.returncode == 0, made.stderr
    assert as_staff("-w", str(tmp_path / "yamada"), "plan", "import", str(sample_plan_path), pgpass=pgpass).returncode == 0
    joined = as_staff("init", str(tmp_path / "suzuki"), "--database", url.replace("yamada", "suzuki"), pgpass=pgpass)
    assert joined.returncode == 0, joined.stderr
    made_round = as_staff("-w", str(tmp_path / "suzuki"), "round", "new", "--fy", "2023", "--deadline", "2024-05-17",
                          pgpass=pgpass)
    assert made_round.returncode == 0, made_round.stderr  # suzuki writes to the tables yamada's dxdesk created
    log = as_staff("-w", str(tmp_path / "yamada"), "log", pgpass=pgpass)
    assert "照会を作成: FY2023-1" in log.stdout and "計画マスタを取り込み" in log.stdout
    for done in (refused, made, joined, made_round, log):
        assert secret not in done.stdout + done.stderr
    for folder in ("yamada", "suzuki"):
        for path in (tmp_path / folder).rglob("*"):
            if path.is_file():
                assert secret.encode() not in path.read_bytes(), path


RECHECK_HELD = """
import sys, time
from pathlib import Path
from dxdesk.store import rounds_repo
from dxdesk.cli import main
ready, go = Path(sys.argv[1]), Path(sys.argv[2])
original = rounds_repo.replace_check
def held(conn, submission_id, *args, **kwargs):
    original(conn, submission_id, *args, **kwargs)
    if not ready.exists():  # the first section's re-check, inside its transaction, waits for the waiver
        ready.touch()
        while not go.exists():
            time.sleep(0.05)
rounds_repo.replace_check = held
sys.exit(main(sys.argv[3:]))
"""


def test_a_waiver_made_while_someone_else_rechecks_is_kept(shared_round, tmp_path):
    a, b, url, files = shared_round
    assert run("-w", str(a), "collect", str(tmp_path / "inbox")).returncode == 0
    with open_workspace(a) as ws:
        round_ = jobs.resolve_round(ws)
        errors = [f for f in jobs.round_findings(ws, round_) if f.severity == "ERR" and f.section and f.cell]
        first = sorted({f.section for f in errors})[0]
    ready, go = tmp_path / "ready", tmp_path / "go"
    recheck = subprocess.Popen([sys.executable, "-c", RECHECK_HELD, str(ready), str(go), "-q", "-w", str(b), "check"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        for _ in range(600):
            if ready.exists() or recheck.poll() is not None:
                break
            time.sleep(0.1)
        assert ready.exists(), recheck.communicate()
        err = next(f for f in errors if f.section == first)
        with open_workspace(a) as ws:  # while B's re-check holds its transaction open
            jobs.waive(ws, jobs.resolve_round(ws), err.section, err.code, f"{err.sheet}!{err.cell}", "鈴木", "確認済み")
    finally:
        go.touch()
    out, err_text = recheck.communicate(timeout=300)
    assert recheck.returncode == 0, err_text
    with open_workspace(b) as ws:
        found = [f for f in jobs.round_findings(ws, jobs.resolve_round(ws))
                 if (f.section, f.code, f.sheet, f.cell) == (err.section, err.code, err.sheet, err.cell)]
        assert found and all("免除: 鈴木" in f.waiver for f in found)
    assert "免除: FY2023-1" in run("-w", str(b), "log").stdout


def test_an_inquiry_made_on_one_pc_is_distributed_collected_and_merged_from_another(tmp_path, pg_database):
    """全庁照会 in a shared workspace: B's PC never saw the office's form; it comes from the database."""
    from dxdesk import labels as L
    from dxdesk.inquiry import jobs as ij
    from dxdesk.store import inquiries_repo
    from inquiry_support import new_inquiry
    from test_inquiry import AFTER, GOOD_SYSTEM, fill

    a = init_workspace(tmp_path / "A", database=pg_database)
    _, inquiry, template = new_inquiry(tmp_path, "システム棚卸", a)
    a.close()
    template.unlink()
    with init_workspace(tmp_path / "B", database=pg_database) as b:
        assert not list((tmp_path / "B" / "archive").rglob("*.xlsx"))
        inquiry = inquiries_repo.get(b.conn, inquiry.inquiry_id)
        copies = ij.distribute(b, inquiry).files
        returned = fill(copies[0], tmp_path / "r.xlsx", GOOD_SYSTEM)
        outcome = ij.collect(b, inquiry, ij.prepare_collection(inquiry, [returned])).outcomes
        again = ij.collect(b, inquiry, ij.prepare_collection(inquiry, [returned])).outcomes
        assert [o.outcome for o in outcome + again] == ["取込", "取込済み"]
    with open_workspace(tmp_path / "A") as a:
        assert {s.section.code: s.status for s in ij.statuses(a, inquiry)}["A01"] == L.STATUS_ACCEPTED
        out = ij.merge(a, inquiry, AFTER)
        assert out["workbook"].is_file()
    assert counts(pg_database)["originals"] == 2  # the office's form and the one return
    log = run("-w", str(tmp_path / "A"), "log").stdout
    for what in ("全庁照会を作成: Q1", "全庁照会の様式を配布: Q1", "回収: Q1（取込 1件）", "回収: Q1（取込済み 1件）"):
        assert what in log


def test_a_connection_the_server_dropped_is_made_again(tmp_path, pg_database, pg_server, sample_plan_path):
    with init_workspace(tmp_path / "ws", database=pg_database) as ws:
        jobs.import_plan(ws, sample_plan_path)

        def drop():
            with pg_server.admin() as admin:
                admin.execute("SELECT pg_terminate_backend(%s)", (ws.conn.raw.info.backend_pid,))

        drop()
        assert ws.setting("office_name") is not None  # a read: made again, once, at once
        drop()
        round_ = jobs.new_round(ws, 2023, dt.date(2024, 5, 17))  # its reads come first: made again there
        assert round_.round_id == "FY2023-1"
        drop()
        with pytest.raises(psycopg.OperationalError):  # inside a transaction nothing is repeated blindly:
            with ws.conn:                               # the operation fails (the CLI and the window say so)
                ws.conn.execute("UPDATE meta SET value = 'x' WHERE key = 'nothing'")
        assert jobs.resolve_round(ws).round_id == "FY2023-1"  # and the next one works


def test_each_member_of_staff_chooses_their_own_round(shared_round):
    a, b, url, files = shared_round
    assert run("-w", str(a), "round", "new", "--fy", "2023", "--deadline", "2024-06-17", "--again").returncode == 0
    assert "FY2023-2" in run("-w", str(a), "status").stdout.splitlines()[0]
    assert run("-w", str(b), "round", "use", "FY2023-1").returncode == 0
    assert "FY2023-1" in run("-w", str(b), "status").stdout.splitlines()[0]
    assert "FY2023-2" in run("-w", str(a), "status").stdout.splitlines()[0]  # A's choice is A's


def test_the_bad_input_corpus_gives_the_same_outcomes_and_findings_on_both_backends(
        tmp_path, pg_database, sample_plan_path, sample_actuals):
    """Every odd file of tests/corpus (encodings, broken zips, odd cells, Japanese text) stored in PostgreSQL
    reads back as it does from SQLite."""
    sys.path.insert(0, str(Path(__file__).parent / "corpus"))
    from dxdesk.demo import fill_return
    from dxdesk.store.findings_repo import submission_findings
    from make_corpus import make_corpus

    seen = {}
    for name, database in (("sqlite", None), ("postgresql", pg_database)):
        with init_workspace(tmp_path / name, database=database) as ws:
            jobs.import_plan(ws, sample_plan_path)
            round_ = jobs.new_round(ws, 2023, dt.date(2024, 5, 17))
            form = jobs.distribute(ws, round_).files[0]
            if name == "sqlite":
                fill_return(form, tmp_path / "good.xlsx", jobs.require_plan(ws), sample_actuals, 2023)
                make_corpus(tmp_path / "good.xlsx", tmp_path / "inbox")
            result = jobs.run_collection(ws, round_, jobs.prepare_collection(ws, round_, [tmp_path / "inbox"]))
            subs = jobs.rr.all_submissions(ws.conn, round_.round_id)
            seen[name] = (sorted((o.path.name, o.outcome, o.section_code, o.errors, o.warnings, o.message)
                                 for o in result.outcomes),
                          sorted((s.file_name, f.code, f.cell, f.message) for s in subs
                                 for f in submission_findings(ws.conn, s.submission_id)),
                          sorted((s.file_name, repr(jobs.rr.load_values(ws.conn, s.submission_id))) for s in subs),
                          jobs.round_findings(ws, round_, dt.date(2024, 6, 1)))
    assert len(seen["sqlite"][0]) > 30
    for got, want in zip(seen["postgresql"], seen["sqlite"]):  # (values in the same order too: they were not)
        assert [x for x in got if x not in want] == [x for x in want if x not in got] and got == want


def test_a_reminder_made_on_another_pc_attaches_the_distributed_form(tmp_path, pg_database, sample_plan_path):
    from email import policy
    from email.parser import BytesParser

    with init_workspace(tmp_path / "A", database=pg_database) as a:
        jobs.import_plan(a, sample_plan_path)
        round_ = jobs.new_round(a, 2023, dt.date(2024, 5, 17))
        forms = jobs.distribute(a, round_).files
    with init_workspace(tmp_path / "B", database=pg_database) as b:  # B never distributed anything
        path, found = jobs.remind(b, jobs.resolve_round(b), today=dt.date(2024, 5, 24))
    drafts = {d.name.split("_")[0]: BytesParser(policy=policy.default).parsebytes(d.read_bytes())
              for d in (path.parent / "催促メール").glob("*.eml")}
    assert len(drafts) == len(found) == len(forms)
    s02 = next(f for f in forms if "_S02_" in f.name)
    sent = next(drafts["S02"].iter_attachments())
    assert sent.get_filename() == s02.name and sent.get_content() == s02.read_bytes()


def test_a_shared_folder_tidies_only_leftovers_no_running_dxdesk_can_be_writing(tmp_path, pg_database):
    import os
    init_workspace(tmp_path / "ws", database=pg_database).close()
    root = tmp_path / "ws"
    old, fresh = root / "out" / "FY2023-1" / ".~dxdesk-k2j3.xlsx", root / "out" / "FY2023-1" / ".~dxdesk-now.xlsx"
    aside = root / "out" / "FY2023-1" / ".~dxdesk-old-set1"
    part = root / "archive" / ".part-abc123"
    for path in (old, fresh, part):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"half")
    aside.mkdir()
    (aside / "集約_FY2023-1.xlsx").write_bytes(b"whole")
    day_ago = time.time() - 24 * 3600
    for path in (old, part, aside):
        os.utime(path, (day_ago, day_ago))
    with open_workspace(root):
        pass
    assert not old.exists() and not part.exists() and fresh.exists()  # the fresh one may be another dxdesk's
    assert (root / "out" / "FY2023-1" / "集約" / "集約_FY2023-1.xlsx").read_bytes() == b"whole"


def test_a_shared_folder_tidies_at_once_what_an_ended_dxdesk_of_this_pc_was_writing(tmp_path, pg_database):
    """A killed consolidation on this PC leaves a fresh temporary file: its name says which process wrote it,
    so the next start removes it at once when that process has ended, and leaves a live one's (or another
    PC's) for the age rule."""
    import os

    from dxdesk.store.leftovers import ARCHIVE_PART, TEMP_PREFIX, writer_prefix
    init_workspace(tmp_path / "ws", database=pg_database).close()
    root = tmp_path / "ws"
    ended = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    dead = writer_prefix(TEMP_PREFIX).replace(f"@{os.getpid()}@", f"@{int(ended.stdout)}@")
    folder = root / "out" / "FY2023-1"
    folder.mkdir(parents=True)
    killed = folder / f"{dead}k2j3.xlsx"
    killed_part = root / "archive" / (ARCHIVE_PART + dead[len(TEMP_PREFIX):] + "abc")
    mine = folder / f"{writer_prefix(TEMP_PREFIX)}now.xlsx"
    other_pc = folder / f"{TEMP_PREFIX}@OTHERPC@{int(ended.stdout)}@x.xlsx"
    for path in (killed, killed_part, mine, other_pc):
        path.write_bytes(b"half")
    with open_workspace(root):
        pass
    assert not killed.exists() and not killed_part.exists()
    assert mine.exists() and other_pc.exists()
