"""dxdesk/ (domain and I/O) never imports PySide6: checked by importing every module in a fresh process."""
import pkgutil
import re
import subprocess
import sys
from pathlib import Path

import dxdesk

ROOT = Path(dxdesk.__file__).parent


def test_no_module_of_dxdesk_imports_pyside6():
    modules = [m.name for m in pkgutil.walk_packages([str(ROOT)], prefix="dxdesk.")]
    code = ("import importlib, sys\n"
            f"for name in {modules!r}:\n    importlib.import_module(name)\n"
            "bad = [m for m in sys.modules if m.split('.')[0] in ('PySide6', 'shiboken6', 'ui')]\n"
            "print(bad); sys.exit(1 if bad else 0)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert len(modules) > 20


def test_no_source_line_imports_pyside6():
    pattern = re.compile(r"^\s*(from|import)\s+(PySide6|shiboken6)", re.MULTILINE)
    offenders = [str(p) for p in ROOT.rglob("*.py") if pattern.search(p.read_text(encoding="utf-8"))]
    assert offenders == []
