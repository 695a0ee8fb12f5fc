"""Benchmark: the 400-return round (benchmarks/round_400.py's plan and returns) collected + checked, re-checked
and consolidated on SQLite and on PostgreSQL, side by side; with --load, also the load test at that size:
4 processes collecting overlapping folders at once while a 5th consolidates, compared with the sequential
SQLite run (statuses and findings equal, no submission lost or twice).

    .venv/bin/python benchmarks/pg_vs_sqlite.py [--sections 400] [--load] [--database postgresql://…]

Without --database a temporary server is started on 127.0.0.1 (tests/pg_server.py: Debian's postgresql, run
with fsync off — a real server syncs, so its writes cost more than here; the figure compares the SQL layers).
"""
from __future__ import annotations

import argparse
import os
import platform
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[1]))
sys.path.insert(0, str(Path(__file__).parents[1] / "tests"))
sys.path.insert(0, str(Path(__file__).parent))
from dxdesk import jobs  # noqa: E402
from dxdesk.intake import readpool  # noqa: E402
from dxdesk.intake.readpool import ReaderPool  # noqa: E402
from dxdesk.sample import SAMPLE_DIR, write_plan_workbook  # noqa: E402
from dxdesk.store.workspace import init_workspace  # noqa: E402
from pg_load import big_round_returns  # noqa: E402


def timed(label: str, func, row: dict):
    start = time.perf_counter()
    value = func()
    row[label] = time.perf_counter() - start
    return value


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sections", type=int, default=400)
    parser.add_argument("--database", help="an empty PostgreSQL database to use (else a temporary server)")
    parser.add_argument("--load", action="store_true", help="also the 4+1 process load test at this size")
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="dxdesk-pgbench-"))
    server = None
    if args.database:
        url, fresh = args.database, None
    else:
        from pg_server import PgServer
        server = PgServer().start()
        url, fresh = server.fresh_database(), server.fresh_database
    try:
        rows: dict[str, dict[str, float]] = {"SQLite": {}, "PostgreSQL": {}}
        spaces = {"SQLite": init_workspace(root / "sqlite"), "PostgreSQL": init_workspace(root / "pg", database=url)}
        inbox = root / "inbox"  # the returns of the load test (tests/pg_load.py), the same stamps serve both
        setup, files = big_round_returns(spaces["SQLite"], write_plan_workbook(SAMPLE_DIR, root / "sample.xlsx"),
                                         inbox, args.sections)
        rounds = {"SQLite": jobs.resolve_round(spaces["SQLite"]), "PostgreSQL": setup(spaces["PostgreSQL"])}
        plan = jobs.round_plan(spaces["SQLite"], rounds["SQLite"])
        print(f"dxdesk pg_vs_sqlite: {len(plan.sections)} sections, {len(plan.kpis)} KPI rows, {len(files)} returns "
              "(two sections sent a second version)")
        readpool._pool = ReaderPool(size=2)  # started before either is timed
        list(readpool._pool.read(files[:4]))
        for name, ws in spaces.items():
            round_ = rounds[name]
            job = jobs.prepare_collection(ws, round_, [inbox])
            timed("collect + check", lambda: jobs.run_collection(ws, round_, job), rows[name])
            timed("check again (dxdesk check)", lambda: jobs.check(ws, round_), rows[name])
            timed("consolidate", lambda: jobs.consolidate(ws, round_), rows[name])
        print(f"{'':<30}{'SQLite':>10}{'PostgreSQL':>12}{'ratio':>8}")
        for label in rows["SQLite"]:
            a, b = rows["SQLite"][label], rows["PostgreSQL"][label]
            print(f"{label:<30}{a:>9.2f}s{b:>11.2f}s{b / a:>7.2f}×")
        for ws in spaces.values():
            ws.close()
        if args.load:
            load(root, setup, files, fresh() if fresh else None)
        print(f"machine: {platform.platform()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    finally:
        if server:
            server.stop()
        shutil.rmtree(root, ignore_errors=True)


def load(root: Path, setup, files, url: str | None) -> None:
    from pg_load import overlapping_folders, run_load, submission_counts
    from test_batching import snapshot
    if url is None:
        print("load test: needs a second empty database (run without --database)")
        return
    with init_workspace(root / "lead", database=url) as ws:
        setup(ws)
    folders = overlapping_folders(files, root / "load")
    copies = sum(len(list(f.iterdir())) for f in folders)
    run = run_load(url, root / "load", folders, timeout=1800)
    counts = submission_counts(root / "lead")
    same = snapshot(root / "lead") == snapshot(root / "sqlite")
    print(f"load test: 4 collectors ({copies} files for {len(files)} returns) + 1 consolidator, {run.seconds:.1f} s, "
          f"{run.consolidations} consolidations; collector exit codes {run.collect_codes}")
    print(f"  submissions {counts[0]}, distinct {counts[1]}, sections with two latest {counts[2]}; "
          f"statuses and findings equal to the sequential SQLite run: {'yes' if same else 'NO'}")
    for error in run.errors:
        print("  error:", error.strip().splitlines()[-1])


if __name__ == "__main__":
    main()
