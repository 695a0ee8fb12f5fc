"""The build's pieces that run without building: the Windows version resource comes from the one version
constant, and portable mode is decided by a dxdesk.ini beside the executable (never otherwise written there)."""
from __future__ import annotations

import runpy
import sys
from pathlib import Path

import pytest

import dxdesk

ROOT = Path(__file__).parents[1]
sys.path.insert(0, str(ROOT / "build"))
import version_info  # noqa: E402


class _Recorded:
    def __init__(self, *args, **kwargs):
        self.args, self.kwargs = args, kwargs


def parse_resource(text: str) -> _Recorded:
    """PyInstaller eval()s the text with these names in scope; record what each call was given."""
    names = ("VSVersionInfo", "FixedFileInfo", "StringFileInfo", "StringTable", "StringStruct", "VarFileInfo",
             "VarStruct")
    return eval(text, {n: type(n, (_Recorded,), {}) for n in names})


def test_version_resource_is_made_from_the_version_constant(tmp_path):
    assert version_info.read_version() == dxdesk.__version__
    path = version_info.write_version_file(tmp_path, "dxdesk", "dxdesk DX計画 進捗照会")
    info = parse_resource(path.read_text(encoding="utf-8"))
    fixed = info.kwargs["ffi"].kwargs
    assert fixed["filevers"] == fixed["prodvers"] == version_info.version_tuple(dxdesk.__version__)
    table = info.kwargs["kids"][0].args[0][0]
    strings = dict(s.args for s in table.args[1])
    assert strings["FileVersion"] == strings["ProductVersion"] == dxdesk.__version__
    assert strings["OriginalFilename"] == "dxdesk.exe" and strings["FileDescription"] == "dxdesk DX計画 進捗照会"


@pytest.mark.parametrize("version, expected", [("0.1.0", (0, 1, 0, 0)), ("1.2.3rc1", (1, 2, 3, 0)),
                                               ("2025.5", (2025, 5, 0, 0)), ("1.2.3.4.5", (1, 2, 3, 4))])
def test_version_tuple(version, expected):
    assert version_info.version_tuple(version) == expected


@pytest.fixture
def frozen_exe(tmp_path, monkeypatch):
    folder = tmp_path / "dxdesk-0.1.0"
    folder.mkdir()
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", str(folder / "dxdesk.exe"))
    monkeypatch.delenv("DXDESK_HOME", raising=False)
    return folder


def test_portable_mode_with_a_dxdesk_ini_beside_the_exe(frozen_exe):
    (frozen_exe / "dxdesk.ini").write_text("", encoding="utf-8")
    runpy.run_path(str(ROOT / "build" / "rthook_portable.py"))
    from ui import prefs
    assert prefs.settings_path() == frozen_exe / "dxdesk.ini"
    assert prefs.log_dir() == frozen_exe / "logs"


def test_without_dxdesk_ini_nothing_goes_beside_the_exe(frozen_exe, monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    runpy.run_path(str(ROOT / "build" / "rthook_portable.py"))
    from ui import prefs
    assert "DXDESK_HOME" not in __import__("os").environ
    assert frozen_exe not in prefs.settings_path().parents and frozen_exe not in prefs.log_dir().parents
