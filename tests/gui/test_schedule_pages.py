"""The window shows the plan's milestones (工程) and systems (様式②) — the Shizuoka plan — on the 計画 page, and
on the 回収 page, for the section chosen, the milestone statuses and system figures it returned."""
from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from dxdesk import jobs
from dxdesk.demo import fill_return
from dxdesk.sample import write_plan_workbook
from ui.main_window import COLLECT
from ui.models import MilestonesModel, ReportedMilestonesModel, ReportedSystemsModel, SystemsModel

pytestmark = pytest.mark.gui

SHIZUOKA = Path(__file__).parents[1] / "fixtures" / "plans" / "shizuoka"
FY = 2024


def shot(widget, name: str) -> None:
    """DXDESK_SCREENSHOTS=folder: save what the page looks like (to check the layout by eye)."""
    folder = os.environ.get("DXDESK_SCREENSHOTS")
    if folder:
        widget.grab().save(str(Path(folder) / name))


def visible_tabs(tabs) -> list[str]:
    return [tabs.tabText(i) for i in range(tabs.count()) if tabs.isTabVisible(i)]


@pytest.fixture
def opened_plan(sync_window, sync_driver, tmp_path, databases):
    w = sync_window
    sync_driver.run(lambda: w.open_workspace(tmp_path / "ws", create=True, database=databases()))
    sync_driver.run(lambda: w.import_plan(write_plan_workbook(SHIZUOKA, tmp_path / "計画マスタ.xlsx")))
    return w


def test_the_plan_page_lists_the_milestones_and_systems(opened_plan):
    w = opened_plan
    page, plan = w.plan_page, w.snapshot.plan
    assert visible_tabs(page.tabs)[2:4] == [f"工程（{len(plan.milestones)}）", f"システム（{len(plan.systems)}）"]
    milestones = page.milestones
    rows = dict(zip(milestones.column_values(MilestonesModel.COL_ID), range(milestones.rowCount())))
    r = rows["3-1-1-R6"]
    assert [milestones.display(milestones.rows[r], c) for c in (MilestonesModel.COL_MEASURE,
            MilestonesModel.COL_CONTENT, MilestonesModel.COL_FY)] == ["3-1-1", "ビジョンの策定", "R6(2024)"]
    assert milestones.display(milestones.rows[r], MilestonesModel.COL_OWNER) == plan.sections["S08"].name
    systems = page.systems
    s01 = systems.rows[systems.column_values(SystemsModel.COL_ID).index("S01")]
    assert systems.display(s01, SystemsModel.COL_NAME) == "電子申請システム"
    assert systems.display(s01, SystemsModel.COL_SECTION) == plan.sections["S01"].name
    assert systems.display(s01, SystemsModel.COL_INTRO_COST) == "13,365"
    assert systems.display(s01, SystemsModel.COL_OPEX) == "3,888（R8）"
    assert systems.headerData(SystemsModel.COL_OPEX, Qt.Orientation.Horizontal) == "運用経費（計画・千円/年）"
    page.tabs.setCurrentWidget(page.milestones_view)
    shot(w, "plan_milestones.png")
    page.tabs.setCurrentWidget(page.systems_view)
    shot(w, "plan_systems.png")


def test_the_collect_page_shows_what_a_section_reported(opened_plan, sync_driver, tmp_path):
    w = opened_plan
    sync_driver.run(lambda: w.create_round(FY, dt.date(FY + 1, 5, 16)))
    forms = sync_driver.run(w.distribute).result.files
    plan = jobs.require_plan(w.ws)
    reports = {"3-1-1-R6": {"状況": "延期", "遅延理由": "地元協議に時間を要した。R7上期に策定する。"},
               "S01": {"運用経費": "4120", "利用実績": "412000"}}
    inbox = tmp_path / "回収"
    for form in forms:
        fill_return(form, inbox / form.name, plan, {}, FY, reports=reports)
    sync_driver.run(lambda: w.collect([inbox]))
    assert w.pages.currentIndex() == COLLECT
    page = w.collect_page

    page.select_section("S08")
    milestones = page.milestones
    assert milestones.rowCount() == len([m for m in plan.milestones if plan.measures[m.measure_id].owner == "S08"])
    row = next(m for m in milestones.rows if m.milestone.milestone_id == "3-1-1-R6")
    assert milestones.display(row, ReportedMilestonesModel.COL_STATUS) == "遅 延期"
    assert "地元協議" in milestones.display(row, ReportedMilestonesModel.COL_REASON)
    assert milestones.colours(row, ReportedMilestonesModel.COL_STATUS) == ("#F8CBAD", "#C00000")
    assert "遅れ 1" in page.detail.tabText(page.detail.indexOf(page.milestones_view))
    page.detail.setCurrentWidget(page.milestones_view)
    shot(w, "collect_milestones.png")

    page.select_section("S01")
    systems = page.systems
    assert systems.rowCount() == len(plan.systems_of_section("S01"))
    s01 = next(s for s in systems.rows if s.system.system_id == "S01")
    assert systems.display(s01, ReportedSystemsModel.COL_OPEX) == "4,120"
    assert systems.display(s01, ReportedSystemsModel.COL_USAGE) == "412,000 件"
    assert systems.display(s01, ReportedSystemsModel.COL_PER_USE) == "0.01"
    assert all(m.section.code == "S01" for m in milestones.rows)   # the milestones follow the chosen section
    page.detail.setCurrentWidget(page.systems_view)
    shot(w, "collect_systems.png")


def test_a_plan_without_milestones_or_systems_shows_no_empty_tabs(qtbot, tmp_path):
    from types import SimpleNamespace

    from PySide6.QtGui import QAction

    from dxdesk.plan.importer import import_plan
    from ui.pages.collect import CollectPage
    from ui.pages.plan import PlanPage
    plan, _ = import_plan(write_plan_workbook(SHIZUOKA.parent / "sasebo_levels", tmp_path / "plan.xlsx"))
    assert not plan.milestones and not plan.systems
    page = PlanPage({"plan": QAction("計画マスタを取り込む"), "round": QAction("照会を作成")})
    qtbot.addWidget(page)
    page.present(SimpleNamespace(plan=plan, plan_findings=[], plan_changes=None))
    assert [t.split("（")[0] for t in visible_tabs(page.tabs)] == ["施策", "指標", "取込の指摘", "変更点"]
    collect = CollectPage({key: QAction(key) for key in ("collect_dir", "collect_files", "reload")})
    qtbot.addWidget(collect)
    collect.present(SimpleNamespace(statuses=[], histories={}, schedule=None))
    assert visible_tabs(collect.detail) == ["提出の履歴"]
