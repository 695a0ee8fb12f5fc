"""Benchmark: `dxdesk pack audit` on a collected round (e.g. the one `round_400.py --keep DIR` leaves in DIR/ws).

    .venv/bin/python benchmarks/pack_audit.py DIR/ws

Prints wall-clock and CPU time (process time) for the round dataset, the workbook and the PDF, and the pages;
CPU time is the figure to compare on a shared, loaded machine."""
from __future__ import annotations

import os
import platform
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[1]))
from dxdesk import jobs  # noqa: E402
from dxdesk.outputs.pack_pdf import write_pack_pdf  # noqa: E402
from dxdesk.outputs.packs import write_pack_xlsx  # noqa: E402
from dxdesk.store.workspace import open_workspace  # noqa: E402


def timed(label: str, func):
    wall, cpu = time.perf_counter(), time.process_time()
    value = func()
    print(f"{label:<28} wall {time.perf_counter() - wall:8.2f} s   cpu {time.process_time() - cpu:8.2f} s", flush=True)
    return value


def main() -> None:
    with open_workspace(Path(sys.argv[1])) as ws:
        round_ = jobs.resolve_round(ws)
        data = timed("round dataset", lambda: jobs.round_data(ws, round_))
        print(f"{len(data.plan.sections)} sections, {len(data.plan.measures)} measures, {len(data.records)} KPI rows")
        out = Path(sys.argv[2]) if len(sys.argv) > 2 else ws.out_dir / "bench"
        timed("audit.xlsx", lambda: write_pack_xlsx(out / "audit.xlsx", data, "audit"))
        pdf = timed("audit.pdf", lambda: write_pack_pdf(out / "audit.pdf", data, "audit"))
        pages = pdf.read_bytes().count(b"/Type /Page\n") or pdf.read_bytes().count(b"/Type /Page")
        print(f"audit.pdf: about {pages} pages, {pdf.stat().st_size / 1e6:.1f} MB")
    print(f"machine: {platform.platform()}, {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}, "
          f"Python {platform.python_version()}")


if __name__ == "__main__":
    main()
