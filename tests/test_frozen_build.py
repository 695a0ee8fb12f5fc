"""The PyInstaller folder build works: the console executable runs the whole demo round from the frozen
bundle (the rule library is discovered at run time, which a frozen app must still find); the window starts
offscreen, shows itself and quits; portable mode keeps logs beside the executable only with a dxdesk.ini.
Linux build here; the Windows build uses the same spec on Windows (.github/workflows/windows.yml)."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1]
pytestmark = pytest.mark.skipif(shutil.which("pyinstaller", path=str(Path(sys.executable).parent)) is None,
                                reason="PyInstaller がありません（./scripts/setup.sh が入れます）")


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    work = tmp_path_factory.mktemp("frozen")
    pyinstaller = Path(sys.executable).parent / "pyinstaller"
    subprocess.run([str(pyinstaller), "--noconfirm", "--log-level", "WARN", "--distpath", str(work / "dist"),
                    "--workpath", str(work / "work"), str(ROOT / "build" / "dxdesk.spec")],
                   check=True, capture_output=True, timeout=1500, cwd=work)
    return next((work / "dist").iterdir())


def test_frozen_console_build_runs_the_demo(folder, tmp_path):
    result = subprocess.run([str(folder / "dxdesk-cli"), "-q", "demo", "--out", str(tmp_path / "demo")],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "集約ブック" in result.stdout
    assert list((tmp_path / "demo").rglob("集約_FY2023-1.xlsx"))


def _start_window(folder: Path, tmp_path: Path) -> tuple[subprocess.CompletedProcess, Path]:
    report = tmp_path / "startup.txt"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "HOME": str(tmp_path / "home"),
           "XDG_CONFIG_HOME": str(tmp_path / "config"), "XDG_STATE_HOME": str(tmp_path / "state")}
    env.pop("DXDESK_HOME", None)
    result = subprocess.run([str(folder / "dxdesk"), "--startup-check", str(report)], capture_output=True, text=True,
                            timeout=120, env=env)
    return result, report


def test_frozen_window_starts_offscreen_and_quits_writing_nothing_beside_itself(folder, tmp_path):
    before = sorted(p.name for p in folder.iterdir())
    result, report = _start_window(folder, tmp_path)
    assert result.returncode == 0, result.stderr[-2000:]
    seconds, title, cancel, _font = report.read_text(encoding="utf-8").splitlines()
    assert float(seconds) > 0 and title.startswith("dxdesk")
    assert cancel == "キャンセル"                                   # qtbase_ja.qm shipped and loaded
    assert sorted(p.name for p in folder.iterdir()) == before
    assert list((tmp_path / "state").rglob("dxdesk.log"))          # the log went to the user's folder


def test_frozen_window_in_portable_mode_logs_beside_itself(folder, tmp_path):
    ini = folder / "dxdesk.ini"
    ini.write_text("", encoding="utf-8")
    try:
        result, _report = _start_window(folder, tmp_path)
        assert result.returncode == 0, result.stderr[-2000:]
        assert (folder / "logs" / "dxdesk.log").is_file()
        assert not list((tmp_path / "state").rglob("dxdesk.log"))
    finally:
        ini.unlink()
        shutil.rmtree(folder / "logs", ignore_errors=True)


def test_frozen_folder_ships_the_japanese_translation_and_the_manual_not_unused_qt(folder):
    internal = folder / "_internal"
    assert (internal / "translations" / "qtbase_ja.qm").is_file()
    assert (internal / "docs" / "manual.md").is_file()
    assert not list(internal.rglob("qtbase_de.qm"))
    assert not list(internal.rglob("*QtNetwork*"))  # numpy stays: matplotlib draws the PDF packs with it


def test_frozen_console_opens_an_encrypted_return_with_the_collection_password(folder, tmp_path):
    """msoffcrypto (its format module is chosen per file at run time) is bundled and decrypts."""
    import msoffcrypto

    cli = [str(folder / "dxdesk-cli"), "-q"]
    assert subprocess.run([*cli, "demo", "--out", str(tmp_path / "demo")], capture_output=True,
                          timeout=300).returncode == 0
    plain = next((tmp_path / "demo" / "回収").iterdir())
    locked = tmp_path / "locked" / plain.name.replace(".xlsx", "_暗号化.xlsx")
    locked.parent.mkdir()
    with open(plain, "rb") as source, open(locked, "wb") as out:
        msoffcrypto.OfficeFile(source).encrypt("frozen-pw", out)
    cli += ["-w", str(tmp_path / "demo" / "workspace")]
    assert subprocess.run([*cli, "settings", "collection_passwords", "frozen-pw", "--add"],
                          capture_output=True, timeout=120).returncode == 0
    collected = subprocess.run([*cli, "collect", str(locked)], capture_output=True, text=True, timeout=300)
    assert collected.returncode == 0, collected.stderr[-2000:]
    assert "再提出" in collected.stdout and "パスワード" not in collected.stdout, collected.stdout


def test_frozen_console_makes_a_shared_workspace_on_postgresql(folder, tmp_path, pg_database):
    """psycopg and its C implementation with libpq (psycopg_binary, loaded by name at run time) are bundled:
    the frozen console creates a shared workspace on a real server and reads its activity log."""
    cli = [str(folder / "dxdesk-cli"), "-q"]
    env = {**os.environ, "PSYCOPG_IMPL": "binary"}  # the bundled wheel's libpq, not this machine's
    made = subprocess.run([*cli, "init", str(tmp_path / "shared"), "--database", pg_database], capture_output=True,
                          text=True, timeout=120, env=env)
    assert made.returncode == 0, made.stderr[-2000:]
    assert "共有ワークスペースを作成しました" in made.stdout
    probe = subprocess.run([*cli, "-w", str(tmp_path / "shared"), "settings", "office_name", "DX推進課"],
                           capture_output=True, text=True, timeout=120, env=env)
    assert probe.returncode == 0, probe.stderr[-2000:]
    log = subprocess.run([*cli, "-w", str(tmp_path / "shared"), "log"], capture_output=True, text=True, timeout=120,
                         env=env)
    assert "設定を変更: office_name" in log.stdout
