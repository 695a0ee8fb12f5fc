"""Benchmark: a 全庁照会 of 130 sections, each returning a 50-row table (システム棚卸 with 50 input rows):
collect (archive, stamp, read, check, store) and merge, beside a bare python-calamine read of the same files.

    .venv/bin/python benchmarks/inquiry_130.py [--sections 130] [--rows 50] [--keep DIR]

Prints wall-clock and CPU time (process time); CPU time is the figure to compare on a shared, loaded machine."""
from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

import openpyxl
from python_calamine import CalamineWorkbook

sys.path.insert(0, str(Path(__file__).parents[1]))
from dxdesk.inquiry import jobs as ij  # noqa: E402
from dxdesk.sample.inquiry_forms import SYSTEM_CONFIGS, system_inventory  # noqa: E402
from dxdesk.store.workspace import init_workspace  # noqa: E402


def timed(label: str, func):
    wall, cpu = time.perf_counter(), time.process_time()
    value = func()
    print(f"{label:<34} wall {time.perf_counter() - wall:8.2f} s   cpu {time.process_time() - cpu:8.2f} s", flush=True)
    return value


def sections_book(path: Path, count: int) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["課コード", "課名", "部局"])
    for i in range(count):
        ws.append([f"S{i + 1:03d}", f"第{i + 1}課", f"第{i // 8 + 1}部"])
    wb.save(path)
    return path


def fill(copy: Path, out: Path, rows: int, index: int) -> Path:
    """A section's return: every row of the table filled, numbers typed the Japanese way in every third row."""
    wb = openpyxl.load_workbook(copy)
    ws = wb["システム棚卸"]
    ws["B4"], ws["F4"] = f"担当{index}", str(1000 + index)
    for r in range(8, 8 + rows):
        n = r - 7
        ws[f"B{r}"], ws[f"C{r}"], ws[f"D{r}"] = f"システム{index}-{n}", f"第{index}課", 2015 + n % 10
        ws[f"E{r}"] = f"{100 * n:,}" if n % 3 == 0 else 100 * n
        ws[f"F{r}"], ws[f"G{r}"] = 10 * n, SYSTEM_CONFIGS[n % len(SYSTEM_CONFIGS)]
    wb.save(out)
    return out


def bare_calamine(paths: list[Path]) -> int:
    cells = 0
    for path in paths:
        book = CalamineWorkbook.from_path(str(path))
        for name in book.sheet_names:
            cells += sum(len(row) for row in book.get_sheet_by_name(name).to_python())
    return cells


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sections", type=int, default=130)
    parser.add_argument("--rows", type=int, default=50)
    parser.add_argument("--keep", help="keep the workspace and returns in this folder")
    args = parser.parse_args()
    root = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="inquiry130-"))
    root.mkdir(parents=True, exist_ok=True)
    ws = init_workspace(root / "ws")
    template = system_inventory(root / "システム棚卸.xlsx", rows=args.rows)
    made = timed("inquiry new (analyse, mapping)", lambda: ij.new_inquiry(
        ws, template, "システム棚卸", dt.date(2025, 6, 30), sections_book(root / "課一覧.xlsx", args.sections)))
    inquiry = made.inquiry
    copies = timed(f"distribute ({args.sections} copies)", lambda: ij.distribute(ws, inquiry).files)
    returns = root / "returns"
    returns.mkdir(exist_ok=True)
    files = timed("fill the returns (openpyxl, not dxdesk)",
                  lambda: [fill(c, returns / c.name, args.rows, i) for i, c in enumerate(copies, start=1)])
    cells = timed("bare python-calamine read", lambda: bare_calamine(files))
    result = timed("collect (archive, read, check, store)",
                   lambda: ij.collect(ws, inquiry, ij.prepare_collection(inquiry, [returns])))
    out = timed("merge (workbook, CSV, JSON)", lambda: ij.merge(ws, inquiry))
    outcomes = {}
    for o in result.outcomes:
        outcomes[o.outcome] = outcomes.get(o.outcome, 0) + 1
    rows = ws.conn.execute("SELECT COUNT(*) FROM submission_values").fetchone()[0]
    print(f"{len(files)} returns × {args.rows} rows: {outcomes}, {rows} values stored, {cells} cells read bare; "
          f"merged: {out['workbook'].stat().st_size / 1e6:.1f} MB")
    print(f"machine: {platform.platform()}, {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}, "
          f"Python {platform.python_version()}")


if __name__ == "__main__":
    main()
