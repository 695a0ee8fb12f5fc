"""A collection killed in the middle leaves the workspace consistent; running it again gives the same result."""
from __future__ import annotations

import hashlib
import signal
import subprocess
import sys

from dxdesk import jobs
from dxdesk.demo import fill_return
from dxdesk.store.workspace import open_workspace


def _statuses(root):
    with open_workspace(root) as ws:
        round_ = jobs.resolve_round(ws)
        return {s.section.code: (s.status, s.file_name) for s in jobs.statuses(ws, round_)}


def _consistent(root) -> None:
    with open_workspace(root) as ws:
        conn = ws.conn
        if not ws.shared:  # (a PostgreSQL server checks its own pages)
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        for sha, path in conn.execute("SELECT sha256, archived_path FROM files").fetchall():
            assert hashlib.sha256(ws.original(sha, path).read_bytes()).hexdigest() == sha  # from the database if shared
        orphans = conn.execute("SELECT COUNT(*) FROM submission_values v LEFT JOIN submissions s "
                               "USING (submission_id) WHERE s.submission_id IS NULL").fetchone()[0]
        assert orphans == 0
        latest = conn.execute("SELECT section_code, COUNT(*) FROM submissions WHERE superseded_by IS NULL "
                              "AND section_code IS NOT NULL GROUP BY section_code HAVING COUNT(*) > 1").fetchall()
        assert latest == []


DIE = """
import os, sys
import dxdesk.intake.collect as collect
from dxdesk.store import rounds_repo
target, after = sys.argv[1], int(sys.argv[2])
module = collect if target == "_collect_one" else rounds_repo
original, calls = getattr(module, target), [0]
def dying(*args, **kwargs):
    result = original(*args, **kwargs)
    calls[0] += 1
    if calls[0] == after:
        os.kill(os.getpid(), 9)  # SIGKILL: no cleanup, no rollback by Python
    return result
setattr(module, target, dying)
from dxdesk.cli import main
main(sys.argv[3:])
"""


def test_killed_collection_is_consistent_and_rerun_gives_the_same_result(sample_round, tmp_path, sample_actuals):
    ws, round_, forms = sample_round
    plan = jobs.require_plan(ws)
    inbox = tmp_path / "inbox"
    for form in forms:
        fill_return(form, inbox / form.name, plan, sample_actuals, 2023)
    root = ws.root
    ws.close()
    args = ["-q", "-w", str(root), "collect", str(inbox)]
    # killed between two files, and inside a file's transaction (after its values were inserted)
    for target, after in (("_collect_one", 5), ("insert_values", 9)):
        process = subprocess.run([sys.executable, "-c", DIE, target, str(after), *args], capture_output=True)
        assert process.returncode == -signal.SIGKILL
        (root / "dxdesk.lock").unlink(missing_ok=True)  # a killed process leaves its lock behind
        _consistent(root)
    with open_workspace(root) as again:
        collected = len(jobs.rr.all_submissions(again.conn, round_.round_id))
    assert collected == 5 + 8  # the 9th file of the second run died in its transaction: nothing of it stayed
    assert subprocess.run([sys.executable, "-m", "dxdesk.cli", *args], capture_output=True).returncode == 0
    _consistent(root)
    after = _statuses(root)
    assert all(status != "未提出" for status, _ in after.values())
    assert {name for _, name in after.values()} == {f.name for f in forms}
    with open_workspace(root) as done:
        assert len(jobs.rr.all_submissions(done.conn, round_.round_id)) == len(forms)  # nothing twice
