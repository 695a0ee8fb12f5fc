"""A newcomer's mistyped or unsafe database addresses for `dxdesk init --database` (issue 13): each ends in a
Japanese message and rc 1, never a traceback, and a password is never kept in the workspace folder — whether it
stands before the @ or in the query string (libpq reads ?password= too)."""
from __future__ import annotations

import subprocess
import sys

import pytest

from dxdesk.errors import WorkspaceError
from dxdesk.store import pgstore


def dxdesk(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "dxdesk.cli", *args], capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("url", [
    "postgresql://staff@dbserver/dxdesk?password=Kasumi2025",
    "postgresql://staff@dbserver/dxdesk?sslmode=require&PASSWORD=Kasumi2025",
    "postgres://staff@dbserver:5432/dxdesk?sslpassword=Kasumi2025",
])
def test_a_password_in_the_query_string_is_refused_and_not_shown(url):
    with pytest.raises(WorkspaceError, match="パスワードが含まれています") as refused:
        pgstore.check_url(url)
    assert "Kasumi2025" not in str(refused.value)


@pytest.mark.parametrize("url", ["postgresql://staff@[::1:5432/dxdesk", "postgresql://staff@[dbserver]/dxdesk",
                                 "postgresql://staff@dbserver:５４３２/dxdesk", "postgresql://staff@dbserver:port/dxdesk"])
def test_an_address_python_cannot_split_is_a_japanese_message(url, tmp_path):
    with pytest.raises(WorkspaceError, match="postgresql://ユーザー名@サーバー/データベース名"):
        pgstore.check_url(url)
    done = dxdesk("init", str(tmp_path / "ws"), "--database", url)
    assert done.returncode == 1 and "Traceback" not in done.stderr and "エラー:" in done.stderr, done.stderr


def test_an_init_that_could_not_connect_leaves_no_empty_workspace_folder_behind(tmp_path, capsys):
    from dxdesk.cli import main
    folder = tmp_path / "DX共有"
    assert main(["init", str(folder), "--database", "postgresql://staff@127.0.0.1:1/dxdesk"]) == 1  # nothing listens
    assert "接続できません" in capsys.readouterr().err
    assert not folder.exists()  # a newcomer who mistyped the port finds no half-made workspace to wonder about
    (tmp_path / "既存").mkdir()
    (tmp_path / "既存" / "メモ.txt").write_text("職員のメモ", encoding="utf-8")
    assert main(["init", str(tmp_path / "既存"), "--database", "postgresql://staff@127.0.0.1:1/dxdesk"]) == 1
    assert sorted(p.name for p in (tmp_path / "既存").iterdir()) == ["メモ.txt"]  # what was there is left as it was
