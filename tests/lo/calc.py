"""The pytest side of the LibreOffice drivers in this folder: whether Calc can be driven here (LibreOffice and
the system python3's uno), the marks of a test that needs it, and a form filled and saved by Calc."""
from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

SYSTEM_PYTHON = "/usr/bin/python3"
DRIVERS = Path(__file__).parent
HAS_UNO = bool(shutil.which("soffice")) and subprocess.run([SYSTEM_PYTHON, "-c", "import uno"],
                                                           capture_output=True).returncode == 0
NO_UNO = "LibreOffice と python3-uno がありません（./scripts/setup.sh が入れます）"
NEEDS_CALC = [pytest.mark.libreoffice, pytest.mark.skipif(not HAS_UNO, reason=NO_UNO)]


def run_driver(driver: str, job: dict, job_path: Path, timeout: int = 240) -> None:
    """Write the job and run the driver (fill_with_calc.py, type_with_calc.py) on it under the system python3."""
    job_path.write_text(json.dumps(job, ensure_ascii=False), encoding="utf-8")
    subprocess.run([SYSTEM_PYTHON, str(DRIVERS / driver), str(job_path)], check=True, timeout=timeout)


def fill_with_calc(form: Path, folder: Path, fills: list[dict]) -> Path:
    """The form filled in Calc ({"sheet", "key_column", "values": {row key: {column: value}}} per sheet),
    recalculated and saved as .xlsx under the same name in the folder."""
    out = folder / form.name
    run_driver("fill_with_calc.py", {"form": str(form), "out": str(out), "profile": str(folder / "lo-profile"),
                                     "fills": fills}, folder / "job.json")
    return out
