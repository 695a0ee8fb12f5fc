"""Screenshot each page of the window on the demo round at 1366×768:
`python tools/screenshot_gui.py [OUT_DIR] [--scale 1.5]` (default OUT_DIR docs/images).

Runs offscreen (no display needed; `xvfb-run python tools/screenshot_gui.py` works too) with the Japanese
font scripts/setup.sh installs, so a person can look at every page without a Windows PC.
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SIZE = (1366, 768)
PAGES = (("page_plan.png", 0), ("page_distribute.png", 1), ("page_collect.png", 2), ("page_findings.png", 3),
         ("page_outputs.png", 4))


def wait_for(window, timeout_ms: int = 60_000) -> None:
    from PySide6.QtCore import QEventLoop, QTimer
    loop = QEventLoop()
    window.job_finished.connect(loop.quit)
    window.job_failed.connect(loop.quit)
    QTimer.singleShot(timeout_ms, loop.quit)
    loop.exec()


def prepare(window, page: int) -> None:
    """What a person would have selected on that page, so the shot shows the panes filled."""
    if page == 2:
        window.collect_page.select_section(next((s.section.code for s in window.snapshot.statuses
                                                 if s.submissions > 1), window.snapshot.statuses[0].section.code))
    if page == 3:
        findings = window.findings_page
        findings.select_first("K2") or findings.table.selectRow(0)


def main(out_dir: Path, scale: float = 1.0, suffix: str = "") -> list[Path]:
    if scale != 1.0:
        os.environ["QT_SCALE_FACTOR"] = str(scale)
    os.environ.setdefault("DXDESK_HOME", tempfile.mkdtemp(prefix="dxdesk-shots-"))
    from ui.app import apply_japanese_font, make_app
    app = make_app()
    print(f"font: {apply_japanese_font(app) or '(no Japanese font found)'}")
    from dxdesk.demo import run_demo
    from ui.main_window import MainWindow
    with tempfile.TemporaryDirectory() as tmp:
        demo = run_demo(Path(tmp) / "demo")
        window = MainWindow()
        window.resize(round(SIZE[0] / scale), round(SIZE[1] / scale))
        window.show()
        window.open_workspace(demo.root / "workspace")
        wait_for(window)
        out_dir.mkdir(parents=True, exist_ok=True)
        shots = []
        for name, page in PAGES:
            window.show_page(page)
            prepare(window, page)
            app.processEvents()
            path = out_dir / name.replace(".png", f"{suffix}.png")
            window.grab().save(str(path))
            shots.append(path)
        window.close()
    return shots


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("out_dir", nargs="?", default=str(ROOT / "docs" / "images"))
    parser.add_argument("--scale", type=float, default=1.0, help="画面の拡大率（1.5 = 150 %%）")
    args = parser.parse_args()
    suffix = "" if args.scale == 1.0 else f"_{round(args.scale * 100)}"
    for shot in main(Path(args.out_dir), args.scale, suffix):
        print(shot)
