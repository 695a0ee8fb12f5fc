"""The PyInstaller folder build works: the console executable runs the whole demo round from the frozen
bundle (the rule library is discovered at run time, which a frozen app must still find). Linux build here;
the Windows build uses the same spec on Windows."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1]
pytestmark = pytest.mark.skipif(shutil.which("pyinstaller", path=str(Path(sys.executable).parent)) is None,
                                reason="PyInstaller がありません（./scripts/setup.sh が入れます）")


def test_frozen_console_build_runs_the_demo(tmp_path):
    pyinstaller = Path(sys.executable).parent / "pyinstaller"
    subprocess.run([str(pyinstaller), "--noconfirm", "--log-level", "WARN", "--distpath", str(tmp_path / "dist"),
                    "--workpath", str(tmp_path / "work"), str(ROOT / "build" / "dxdesk.spec")],
                   check=True, capture_output=True, timeout=900, cwd=tmp_path)
    folder = next((tmp_path / "dist").iterdir())
    result = subprocess.run([str(folder / "dxdesk-cli"), "-q", "demo", "--out", str(tmp_path / "demo")],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "集約ブック" in result.stdout
    assert list((tmp_path / "demo").rglob("集約_FY2023-1.xlsx"))
