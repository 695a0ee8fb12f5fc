"""The shared workspace under load: four processes collect overlapping folders of returns into one PostgreSQL
database while this process consolidates again and again; used by tests/test_shared_workspace.py and
benchmarks/pg_vs_sqlite.py --load, both on the 400-return round of benchmarks/round_400.py."""
from __future__ import annotations

import datetime as dt
import random
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from dxdesk import jobs
from dxdesk.plan.importer import import_plan
from dxdesk.store.plan_repo import save_plan
from dxdesk.store.workspace import init_workspace, now_iso, open_workspace

LOAD_SECTIONS = 400
DEADLINE = dt.date(2024, 5, 17)


def big_round_returns(ws, sample_plan: Path, inbox: Path, sections: int = LOAD_SECTIONS):
    """In `ws`: the benchmark's plan of `sections` sections (benchmarks/round_400.py: the sample's measures
    copied, real figures) and its round, distributed; every section's return filled in `inbox`, and two
    sections that sent a second version saved later: B001 corrected a wrong grade, B002 brought one in.
    Returns (setup, files): setup(ws) makes the same plan and round in another workspace (the stamps match)."""
    from round_400 import big_plan  # benchmarks/ on sys.path
    from test_batching import returns_folder
    plan, actuals = big_plan(import_plan(sample_plan)[0], sections)
    filled = {k: {**v, "指標ID": k} for k, v in actuals.items()}

    def setup(target):
        save_plan(target.conn, plan, [], "負荷試験", now_iso())
        return jobs.new_round(target, 2023, DEADLINE)
    round_ = setup(ws)
    files = returns_folder(jobs.distribute(ws, round_).files, plan, filled, inbox, first="B001", second="B002")
    return setup, files


def overlapping_folders(files: list[Path], root: Path, parts: int = 4, seed: int = 7) -> list[Path]:
    """`parts` folders: each gets its share of the files and half of the next one's (so every file of the
    overlap is collected by two processes at about the same time), in a shuffled order."""
    order = random.Random(seed).sample(files, len(files))
    shares = [order[i::parts] for i in range(parts)]
    folders = []
    for i in range(parts):
        folder = root / f"inbox{i + 1}"
        folder.mkdir(parents=True)
        nxt = shares[(i + 1) % parts]
        for path in shares[i] + nxt[: len(nxt) // 2]:
            shutil.copy2(path, folder / path.name)
        folders.append(folder)
    return folders


@dataclass
class LoadRun:
    seconds: float
    collect_codes: list[int]
    consolidations: int
    errors: list[str]


def run_load(url: str, root: Path, folders: list[Path], timeout: float = 600) -> LoadRun:
    """One staff folder per collector (all joined to `url`), started together; this process consolidates
    in its own folder until they have all finished. A deadlock would end in PostgreSQL's deadlock error
    (a collector's rc ≠ 0) or in the timeout."""
    staff = []
    for i, _ in enumerate(folders):
        init_workspace(root / f"staff{i + 1}", database=url).close()
        staff.append(root / f"staff{i + 1}")
    start = time.perf_counter()
    procs = [subprocess.Popen([sys.executable, "-m", "dxdesk.cli", "-q", "-w", str(ws), "collect", str(folder)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for ws, folder in zip(staff, folders)]
    consolidations, errors = 0, []
    with init_workspace(root / "consolidator", database=url) as ws:
        round_ = jobs.resolve_round(ws)
        while any(p.poll() is None for p in procs):
            if time.perf_counter() - start > timeout:
                for p in procs:
                    p.kill()
                errors.append(f"timeout after {timeout} s")
                break
            jobs.consolidate(ws, round_)
            consolidations += 1
    outs = [p.communicate() for p in procs]
    errors += [err for (_, err), p in zip(outs, procs) if p.returncode]
    return LoadRun(time.perf_counter() - start, [p.returncode for p in procs], consolidations, errors)


def sequential_reference(root: Path, plan_setup, folders: list[Path]) -> Path:
    """The same round in a SQLite workspace, the folders collected one after another."""
    with init_workspace(root) as ws:
        round_ = plan_setup(ws)
        for folder in folders:
            jobs.run_collection(ws, round_, jobs.prepare_collection(ws, round_, [folder]))
    return root


def submission_counts(folder: Path) -> tuple[int, int, int]:
    """(submissions, distinct files, sections with more than one latest) of the current round."""
    with open_workspace(folder, readonly=True) as ws:
        round_ = jobs.resolve_round(ws)
        subs = jobs.rr.all_submissions(ws.conn, round_.round_id)
        latest: dict[str, int] = {}
        for s in subs:
            if s.section_code and s.superseded_by is None:
                latest[s.section_code] = latest.get(s.section_code, 0) + 1
        return len(subs), len({s.sha256 for s in subs}), sum(n > 1 for n in latest.values())
