"""Benchmark: a realistic round of 400 section returns (~1,000 KPI rows, 3 sheets + cover each).

    .venv/bin/python benchmarks/round_400.py [--sections 400] [--keep DIR]

Times distribute, collect + check, consolidate and `pack audit` (one record sheet and page per measure); compares collect + check with (a) the bare time
python-calamine needs to read the same files (the floor) and (b) a naive pandas.read_excel(openpyxl)
loop (what an office would script). Prints peak memory (max RSS) and the machine."""
from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import os
import platform
import resource
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd
from python_calamine import CalamineWorkbook

sys.path.insert(0, str(Path(__file__).parents[1]))
from dxdesk import jobs  # noqa: E402
from dxdesk.demo import fill_return  # noqa: E402
from dxdesk.intake import readpool  # noqa: E402
from dxdesk.intake.readpool import ReaderPool, read_return  # noqa: E402
from dxdesk.outputs.pack_pdf import write_pack_pdf  # noqa: E402
from dxdesk.outputs.packs import write_pack_xlsx  # noqa: E402
from dxdesk.plan.importer import import_plan  # noqa: E402
from dxdesk.plan.model import Plan, Section  # noqa: E402
from dxdesk.sample import SAMPLE_DIR, read_csv, write_plan_workbook  # noqa: E402
from dxdesk.store.plan_repo import save_plan  # noqa: E402
from dxdesk.store.workspace import init_workspace, now_iso  # noqa: E402


def big_plan(sample: Plan, sections: int) -> tuple[Plan, dict[str, dict]]:
    """400 sections, each owning one measure copied from the sample (≈2.5 KPIs each), real figures."""
    actuals = {r["指標ID"]: r for r in read_csv(SAMPLE_DIR / "今年度実績.csv")}
    plan = Plan(name="ベンチマーク計画", level_names=sample.level_names)
    measures = [m for m in sample.measures.values() if any(k.measure_id == m.measure_id for k in sample.kpis.values())]
    filled: dict[str, dict] = {}
    for n in range(sections):
        code = f"B{n + 1:03d}"
        plan.sections[code] = Section(code, f"第{n + 1}課", "ベンチ部")
        source = measures[n % len(measures)]
        measure = dataclasses.replace(source, measure_id=f"{source.measure_id}-{code}", section_codes=(code,))
        plan.measures[measure.measure_id] = measure
        for kpi in [k for k in sample.kpis.values() if k.measure_id == source.measure_id][:3]:
            new = dataclasses.replace(kpi, kpi_id=f"{kpi.kpi_id}-{code}", measure_id=measure.measure_id, relisted_of="")
            plan.kpis[new.kpi_id] = new
            for (kid, fy), value in sample.year_targets.items():
                if kid == kpi.kpi_id:
                    plan.year_targets[(new.kpi_id, fy)] = value
            filled[new.kpi_id] = actuals.get(kpi.kpi_id, {})
    return plan, filled


def timed(label: str, func, results: dict, repeat: int = 1, reset=None):
    """Median of `repeat` runs (`reset` restores the state before each run)."""
    times, value = [], None
    for _ in range(repeat):
        if reset:
            reset()
        start = time.perf_counter()
        value = func()
        times.append(time.perf_counter() - start)
    results[label] = statistics.median(times)
    spread = f"  (runs: {', '.join(f'{t:.2f}' for t in times)})" if repeat > 1 else ""
    print(f"{label:<32} {results[label]:8.2f} s{spread}", flush=True)
    return value


def _cpu_since(before) -> float:
    """CPU seconds (user + system) of this process and its ended children since `before` (os.times()): unlike
    wall time, hardly changed by other work on a shared machine."""
    now = os.times()
    return sum(getattr(now, f) - getattr(before, f) for f in ("user", "system", "children_user", "children_system"))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sections", type=int, default=400)
    parser.add_argument("--keep")
    args = parser.parse_args()
    root = Path(args.keep or tempfile.mkdtemp(prefix="dxdesk-bench-"))
    shutil.rmtree(root, ignore_errors=True)
    sample, _ = import_plan(write_plan_workbook(SAMPLE_DIR, root / "sample.xlsx"))
    plan, actuals = big_plan(sample, args.sections)
    ws = init_workspace(root / "ws")
    save_plan(ws.conn, plan, [], "benchmark", now_iso())
    round_ = jobs.new_round(ws, 2023, dt.date(2024, 5, 17))
    results: dict[str, float] = {}
    print(f"dxdesk benchmark: {len(plan.sections)} sections, {len(plan.kpis)} KPI rows")
    forms = timed("distribute", lambda: jobs.distribute(ws, round_).files, results)
    inbox = root / "inbox"
    start = time.perf_counter()
    for form in forms:  # the sections' work, not measured against dxdesk
        fill_return(form, inbox / form.name, plan, {k: {**v, "指標ID": k} for k, v in actuals.items()}, 2023)
    print(f"{'(fill returns with openpyxl)':<32} {time.perf_counter() - start:8.2f} s")
    files = sorted(inbox.iterdir())

    def calamine_floor():
        for path in files:
            book = CalamineWorkbook.from_path(str(path))
            for name in book.sheet_names:
                book.get_sheet_by_name(name).to_python(skip_empty_area=False)
            book.close()

    timed("calamine bare read (floor)", calamine_floor, results, repeat=3)
    job = jobs.prepare_collection(ws, round_, [inbox])

    def forget_collection():
        with ws.conn:
            for table in ("findings", "waivers", "submission_values", "submissions", "files"):
                ws.conn.execute(f"DELETE FROM {table}")
        shutil.rmtree(ws.archive_dir, ignore_errors=True)

    fresh = ReaderPool(size=1)
    timed("reader start-up (spawn, 1 file)", lambda: list(fresh.read(files[:1])), results)
    fresh.close()
    cpu = os.times()
    timed("sniff + read, in this process", lambda: [read_return(p) for p in files], results)
    print(f"{'  (CPU time of that)':<32} {_cpu_since(cpu):8.2f} s")
    for size in (1, 2):  # the returns are read in reader processes; checking and SQLite stay in this one
        readpool._pool = ReaderPool(size=size)
        cpu = os.times()
        timed(f"collect + check ({size} reader{'s' if size > 1 else ''})", lambda: jobs.run_collection(ws, round_, job),
              results, repeat=3, reset=forget_collection)
        readpool._pool.close()  # (a reader's CPU time is counted once it has ended)
        print(f"{'  (CPU time a run, all processes)':<32} {_cpu_since(cpu) / 3:8.2f} s")
    results["collect + check"] = results["collect + check (2 readers)"]
    timed("consolidate", lambda: jobs.consolidate(ws, round_), results, repeat=3)
    data = timed("round dataset (jobs.round_data)", lambda: jobs.round_data(ws, round_), results)
    timed("pack audit: xlsx", lambda: write_pack_xlsx(root / "audit.xlsx", data, "audit"), results)
    timed("pack audit: pdf", lambda: write_pack_pdf(root / "audit.pdf", data, "audit"), results)
    timed("pack audit (dxdesk pack audit)", lambda: jobs.make_pack(ws, round_, "audit"), results)
    timed("naive pandas+openpyxl loop", lambda: [pd.read_excel(p, sheet_name=None, engine="openpyxl") for p in files],
          results, repeat=3)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    reader_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    whole = results["distribute"] + results["collect + check"] + results["consolidate"]
    ratio_floor = results["collect + check"] / results["calamine bare read (floor)"]
    ratio_naive = results["naive pandas+openpyxl loop"] / results["collect + check"]
    print(f"{'whole round (dist+collect+cons)':<32} {whole:8.2f} s   target < 60 s: {'met' if whole < 60 else 'NOT met'}")
    print(f"collect+check / calamine floor   {ratio_floor:8.2f} ×   target ≤ 2×: {'met' if ratio_floor <= 2 else 'NOT met'}")
    print(f"naive loop / collect+check       {ratio_naive:8.2f} ×   target ≥ 5×: {'met' if ratio_naive >= 5 else 'NOT met'}")
    print(f"peak memory (max RSS)            {peak_mb:8.0f} MB  target < 500 MB: {'met' if peak_mb < 500 else 'NOT met'}")
    print(f"peak memory of a reader process  {reader_mb:8.0f} MB")
    print(f"machine: {platform.platform()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    ws.close()
    if not args.keep:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
