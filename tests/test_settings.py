"""The office's settings: one definition, secrets never printed, used on every form."""
from __future__ import annotations

import pytest

from dxdesk import cli, settings
from dxdesk.store.workspace import init_workspace


def test_settings_round_trip_and_secrets_masked(tmp_path, capsys, init_args):
    ws_dir = tmp_path / "ws"
    assert cli.main(init_args(ws_dir)) == 0
    assert cli.main(["-w", str(ws_dir), "settings", "office_extension", "4321"]) == 0
    assert cli.main(["-w", str(ws_dir), "settings", "sheet_password", "himitsu-123"]) == 0
    assert cli.main(["-w", str(ws_dir), "settings", "collection_passwords", "pw-one"]) == 0
    assert cli.main(["-w", str(ws_dir), "settings", "collection_passwords", "pw-two", "--add"]) == 0
    capsys.readouterr()
    assert cli.main(["-w", str(ws_dir), "settings"]) == 0
    out = capsys.readouterr().out
    assert "4321" in out and "himitsu" not in out and "pw-one" not in out and "設定済み 2 件" in out
    with init_workspace(ws_dir) as ws:
        assert ws.setting("collection_passwords").splitlines() == ["pw-one", "pw-two"]
        assert ws.office_contact == "内線 4321 / dx@example.lg.jp"


def test_unknown_setting_and_bad_choice_are_refused(tmp_path, capsys, new_workspace):
    with new_workspace(tmp_path / "ws") as ws:
        with pytest.raises(settings.SettingError, match="office_name"):
            ws.set_setting("office_nam", "x")
        with pytest.raises(settings.SettingError, match="△"):
            ws.set_setting("negative_style", "minus")
    assert cli.main(["-w", str(tmp_path / "ws"), "settings", "bogus", "1"]) == 1
    assert "設定「bogus」はありません" in capsys.readouterr().err
