"""Start-up of the frozen build: `python benchmarks/startup.py [FOLDER]` prints the window's time to its first
shown window, the CLI's start-up time and the folder's size. FOLDER is a built dxdesk-<version> folder (the
dist/ output of `pyinstaller build/dxdesk.spec`); without it the script builds one into a temporary folder.

The window runs offscreen (`dxdesk --startup-check FILE` writes the seconds from its start to the first shown
window, then quits); the wall time of the whole process is printed beside it. Medians of five runs after one
warm-up run (the first start after a build or a reboot reads everything from disk and is slower).
"""
from __future__ import annotations

import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

RUNS = 5
EXE = ".exe" if os.name == "nt" else ""


def build(into: Path) -> Path:
    root = Path(__file__).resolve().parents[1]
    pyinstaller = Path(sys.executable).parent / ("pyinstaller" + EXE)
    subprocess.run([str(pyinstaller), "--noconfirm", "--log-level", "WARN", "--distpath", str(into / "dist"),
                    "--workpath", str(into / "work"), str(root / "build" / "dxdesk.spec")], check=True)
    return next((into / "dist").iterdir())


def folder_size(folder: Path) -> tuple[int, int]:
    """Bytes and files, each file once (the Linux build links some libraries by symlink)."""
    files = [p for p in folder.rglob("*") if p.is_file() and not p.is_symlink()]
    return sum(p.stat().st_size for p in files), len(files)


def timed(command: list[str], env: dict) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, env=env, capture_output=True, timeout=120)
    return time.perf_counter() - start


def window_start(folder: Path, env: dict) -> tuple[float, float]:
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "startup.txt"
        wall = timed([str(folder / ("dxdesk" + EXE)), "--startup-check", str(report)], env)
        return float(report.read_text(encoding="utf-8").split()[0]), wall


def main(folder: Path) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen")}
    cli = [str(folder / ("dxdesk-cli" + EXE)), "--version"]
    window_start(folder, env), timed(cli, env)          # warm-up
    windows = [window_start(folder, env) for _ in range(RUNS)]
    clis = [timed(cli, env) for _ in range(RUNS)]
    size, count = folder_size(folder)
    print(f"dxdesk frozen start-up: {folder.name}")
    print(f"window: first window shown      {statistics.median(w[0] for w in windows):6.2f} s  (in-app, median of {RUNS})")
    print(f"window: whole process to quit   {statistics.median(w[1] for w in windows):6.2f} s")
    print(f"cli: dxdesk-cli --version       {statistics.median(clis):6.2f} s")
    print(f"folder size                     {size / 1e6:6.1f} MB  ({count} files)")
    print(f"machine: {platform.platform()}, {os.cpu_count()} cores, Python {platform.python_version()}")


if __name__ == "__main__":
    if len(sys.argv) > 1:
        main(Path(sys.argv[1]))
    else:
        with tempfile.TemporaryDirectory() as tmp:
            main(build(Path(tmp)))
