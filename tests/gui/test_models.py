"""The table models on their own: colours of 状況 and 重要度, and the findings filter."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from dxdesk.intake.status import SectionStatus
from dxdesk.plan.model import Section
from dxdesk.rules.findings import make
from ui.models import STATUS_COLOURS, FindingsFilter, FindingsModel, StatusModel

pytestmark = pytest.mark.gui


def test_status_cell_is_coloured_by_status(qtbot):
    model = StatusModel()
    rows = [SectionStatus(Section(f"S0{i}", f"課{i}", "部"), status) for i, status in enumerate(STATUS_COLOURS)]
    model.set_rows(rows)
    for row, status in enumerate(STATUS_COLOURS):
        index = model.index(row, StatusModel.COL_STATUS)
        assert model.data(index) == status
        assert model.data(index, Qt.ItemDataRole.BackgroundRole).color().name().upper() == STATUS_COLOURS[status][0]
    assert model.data(model.index(0, StatusModel.COL_NAME), Qt.ItemDataRole.BackgroundRole) is None


def test_findings_filter_by_section_and_severity(qtbot):
    model = FindingsModel()
    model.set_rows([make("K2", section="S01"), make("R2", section="S02"), make("R1", section="S01")],
                   {"S01": "DX推進課", "S02": "情報政策課"})
    proxy = FindingsFilter()
    proxy.setSourceModel(model)
    assert proxy.rowCount() == 3
    proxy.set_filter(section="S01")
    assert proxy.rowCount() == 2
    proxy.set_filter(severity="ERR")
    assert proxy.rowCount() == 1
    assert proxy.data(proxy.index(0, FindingsModel.COL_SECTION)) == "S01 DX推進課"
    proxy.set_filter(section="", severity="")
    assert proxy.rowCount() == 3


def test_findings_message_column_leaves_out_the_location_shown_in_other_columns(qtbot):
    finding = make("R1", file="返送.xlsx", section="S05", section_name="職員課", value="前回.xlsx")
    model = FindingsModel()
    model.set_rows([finding])
    shown = model.data(model.index(0, FindingsModel.COL_MESSAGE))
    assert shown.startswith("職員課の再提出です")
    assert model.data(model.index(0, FindingsModel.COL_MESSAGE), Qt.ItemDataRole.ToolTipRole).startswith("返送.xlsx: ")
