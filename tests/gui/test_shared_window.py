"""The window with a shared (PostgreSQL) workspace: made from the new-workspace dialog, its 操作履歴 shown."""
from __future__ import annotations

import datetime as dt

import pytest

from dxdesk.sample import SAMPLE_DIR, write_plan_workbook
from dxdesk.store.workspace import DATABASE_FILE
from ui.dialogs import NewWorkspaceDialog

pytestmark = pytest.mark.gui


def test_a_shared_workspace_from_the_dialog_and_its_activity_log(sync_window, sync_driver, tmp_path, pg_database,
                                                                  shown, monkeypatch):
    w = sync_window

    def fill_in(dialog):
        dialog.folder_edit.setText(str(tmp_path / "共有"))
        assert not dialog.database_edit.isEnabled()
        dialog.shared_check.setChecked(True)
        assert dialog.database_edit.isEnabled()
        dialog.database_edit.setText(pg_database)
        return True

    monkeypatch.setattr(NewWorkspaceDialog, "exec", fill_in)
    w.actions_by_key["new"].trigger()
    assert w.ws is not None and w.ws.shared and (tmp_path / "共有" / DATABASE_FILE).is_file()
    assert w.windowTitle().endswith("— 共有（共有: " + w.ws.where + "）")
    sync_driver.run(lambda: w.import_plan(write_plan_workbook(SAMPLE_DIR, tmp_path / "計画マスタ.xlsx")))
    sync_driver.run(lambda: w.create_round(2023, dt.date(2024, 5, 17)))
    dialog = w.show_activity()
    assert dialog.windowTitle().startswith("操作履歴 — postgres@127.0.0.1:")
    table = dialog.table
    assert [table.horizontalHeaderItem(c).text() for c in range(4)] == ["日時", "だれが", "PC", "操作"]
    assert table.rowCount() == 2
    assert table.item(0, 3).text().startswith("照会を作成: FY2023-1")
    assert table.item(1, 3).text().startswith("計画マスタを取り込み")
    assert table.item(0, 0).text().startswith("令和")
    dialog.close()
