"""Status and findings are a function of the files received, not of how they were batched: one collection of
the whole folder, one file per collection, and collections killed at random points then run again all end
in the same `dxdesk status` and `dxdesk findings`. "Latest" is the workbook's own saved time."""
from __future__ import annotations

import io
import os
import random
import re
import signal
import subprocess
import sys
import zipfile
from contextlib import redirect_stdout
from pathlib import Path

from dxdesk import jobs
from dxdesk.cli import main
from dxdesk.demo import fill_return
from dxdesk.intake.saved import workbook_saved_at
from dxdesk.store.workspace import open_workspace


def set_saved_time(path: Path, saved: str, mtime: float) -> None:
    """Rewrite the workbook's docProps/core.xml dcterms:modified (as Excel does on save) and the file's mtime."""
    with zipfile.ZipFile(path) as source:
        parts = [(info, source.read(info)) for info in source.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for info, data in parts:
            if info.filename == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>" + saved.encode(), data)
            target.writestr(info, data)
    os.utime(path, (mtime, mtime))


def returns_folder(forms, plan, actuals, inbox: Path, first: str = "S01", second: str = "S02") -> list[Path]:
    """Every section's return, plus two sections that sent a second version:
    `first` (S01): the corrected copy 「(2)」 (sorts before the original by name, saved later; its file time says
    earlier); `second` (S02): a later version that brought an error in."""
    by_section = {f.name.split("_")[1]: f for f in forms}
    for form in forms:
        fill_return(form, inbox / form.name, plan, actuals, 2023)
    s01, s02 = inbox / by_section[first].name, inbox / by_section[second].name
    fill_return(by_section[first], s01, plan, actuals, 2023, fault="wrong_grade")
    fixed = s01.with_name(s01.stem + "(2).xlsx")
    fill_return(by_section[first], fixed, plan, actuals, 2023)
    later = s02.with_name("再提出_" + s02.name)
    fill_return(by_section[second], later, plan, actuals, 2023, fault="wrong_grade")
    set_saved_time(s01, "2024-05-10T09:00:00Z", 1_715_400_000)
    set_saved_time(fixed, "2024-05-13T09:00:00Z", 1_715_300_000)  # copied later, but saved earlier by mtime
    set_saved_time(s02, "2024-05-10T09:00:00Z", 1_715_300_000)
    set_saved_time(later, "2024-05-14T09:00:00Z", 1_715_300_000)
    return sorted(inbox.iterdir())


def cli(*args: str) -> str:
    out = io.StringIO()
    with redirect_stdout(out):
        assert main(["-q", *args]) == 0
    return out.getvalue()


def snapshot(root: Path) -> tuple[list[list[str]], str]:
    """`dxdesk status` without its 受付日時 column (when each file happened to be read), and `dxdesk findings`."""
    status = [line.split("\t") for line in cli("-w", str(root), "status").splitlines()]
    status = [row[:4] + row[5:] if len(row) > 5 else row for row in status]
    return status, cli("-w", str(root), "findings")


DIE = """
import os, random, sys
import dxdesk.intake.collect as collect
from dxdesk.store import rounds_repo
target, after = sys.argv[1], int(sys.argv[2])
module = rounds_repo if target in ("insert_values", "settle_section") else collect
if not hasattr(module, target):
    module, target = collect, "_collect_one"
original, calls = getattr(module, target), [0]
def dying(*args, **kwargs):
    result = original(*args, **kwargs)
    calls[0] += 1
    if calls[0] == after:
        os.kill(os.getpid(), 9)  # SIGKILL: no cleanup, no rollback by Python, the lock file left behind
    return result
setattr(module, target, dying)
from dxdesk.cli import main
sys.exit(main(sys.argv[3:]))
"""
TARGETS = ("_collect_one", "insert_values", "settle_section", "insert_findings")


def test_status_and_findings_do_not_depend_on_how_files_were_batched(sample_round, tmp_path, sample_actuals,
                                                                     copy_workspace):
    ws, round_, forms = sample_round
    files = returns_folder(forms, jobs.require_plan(ws), sample_actuals, tmp_path / "inbox")
    assert workbook_saved_at(files[0]) and len(files) == len(forms) + 2
    ws.close()
    roots = {name: tmp_path / name for name in ("one_go", "file_by_file", "killed")}
    for root in roots.values():
        copy_workspace(ws.root, root)

    cli("-w", str(roots["one_go"]), "collect", str(tmp_path / "inbox"))
    for path in random.Random(14).sample(files, len(files)):  # one file at a time, in a shuffled order
        cli("-w", str(roots["file_by_file"]), "collect", str(path))
    rng, kills = random.Random(4), 0
    args = ["-q", "-w", str(roots["killed"]), "collect", str(tmp_path / "inbox")]
    while True:  # killed at random points, run again until a run completes
        target, after = rng.choice(TARGETS), rng.randint(1, 6)
        done = subprocess.run([sys.executable, "-c", DIE, target, str(after), *args], capture_output=True)
        if done.returncode != -signal.SIGKILL:
            assert done.returncode == 0, done.stderr.decode()
            break
        kills += 1
    assert kills >= 3

    expected = snapshot(roots["one_go"])
    status = {row[0]: row for row in expected[0][2:-1]}
    s01 = next(f for f in forms if "_S01_" in f.name)
    assert status["S01"][3] == s01.stem + "(2).xlsx" and status["S01"][2] != "要修正"  # the older one has an error
    assert status["S02"][2] == "要修正" and status["S02"][3].startswith("再提出_")
    assert "R1" in expected[1] and "S3" not in expected[1]
    assert snapshot(roots["file_by_file"]) == expected
    assert snapshot(roots["killed"]) == expected
    with open_workspace(roots["killed"], readonly=True) as done:
        assert len(jobs.rr.all_submissions(done.conn, round_.round_id)) == len(files)
