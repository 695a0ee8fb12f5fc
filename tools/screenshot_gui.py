"""Screenshot the window on the demo round, offscreen: `python tools/screenshot_gui.py [OUT_DIR]`.

Writes window_status.png (提出状況) and window_findings.png (指摘) so a person can look at the window
without a display.
"""
from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QEventLoop, QTimer  # noqa: E402

from dxdesk.demo import run_demo  # noqa: E402
from ui.app import apply_japanese_font, make_app  # noqa: E402


def wait_for(window, timeout_ms: int = 60_000) -> None:
    loop = QEventLoop()
    window.job_finished.connect(loop.quit)
    window.job_failed.connect(loop.quit)
    QTimer.singleShot(timeout_ms, loop.quit)
    loop.exec()


def main(out_dir: Path) -> list[Path]:
    app = make_app()
    print(f"font: {apply_japanese_font(app) or '(no Japanese font found)'}")
    from ui.main_window import MainWindow
    with tempfile.TemporaryDirectory() as tmp:
        demo = run_demo(Path(tmp) / "demo")
        window = MainWindow()
        window.resize(1280, 760)
        window.show()
        window.open_workspace(demo.root / "workspace")
        wait_for(window)
        out_dir.mkdir(parents=True, exist_ok=True)
        shots = []
        for index, name in ((0, "window_status.png"), (1, "window_findings.png")):
            window.tabs.setCurrentIndex(index)
            app.processEvents()
            path = out_dir / name
            window.grab().save(str(path))
            shots.append(path)
        window.close()
    return shots


if __name__ == "__main__":
    for shot in main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path("screenshots")):
        print(shot)
