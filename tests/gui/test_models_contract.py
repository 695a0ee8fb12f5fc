"""Every table model of the window passes Qt's model tester (pytest-qt's qtmodeltester), filled with real data."""
from __future__ import annotations

import datetime as dt

import pytest

from dxdesk import overview
from dxdesk.demo import run_demo
from ui import tasks
from ui.models import (DistributionModel, FindingsFilter, FindingsModel, HistoryModel, KpisModel, MeasuresModel,
                       MilestonesModel, OutputsModel, ReportedMilestonesModel, ReportedSystemsModel, StatusModel,
                       SystemsModel)

pytestmark = pytest.mark.gui


@pytest.fixture(scope="module")
def demo_snapshot(tmp_path_factory):
    demo = run_demo(tmp_path_factory.mktemp("demo") / "demo")
    from dxdesk.store.workspace import open_workspace
    ws = open_workspace(demo.root / "workspace")
    yield tasks.snapshot(ws)
    ws.close()


def test_status_model(qtmodeltester, demo_snapshot):
    model = StatusModel()
    model.set_rows(demo_snapshot.statuses)
    qtmodeltester.check(model, force_py=True)


def test_findings_model_and_its_filter(qtmodeltester, demo_snapshot):
    model = FindingsModel()
    model.set_rows(demo_snapshot.findings, demo_snapshot.section_names)
    qtmodeltester.check(model, force_py=True)
    proxy = FindingsFilter()
    proxy.setSourceModel(model)
    proxy.set_filter(severity="WARN", rule=demo_snapshot.findings[0].code)
    qtmodeltester.check(proxy, force_py=True)


def test_plan_models(qtmodeltester, demo_snapshot):
    measures, kpis = MeasuresModel(), KpisModel()
    measures.set_plan(demo_snapshot.plan)
    kpis.set_plan(demo_snapshot.plan)
    assert measures.rowCount() and kpis.rowCount()
    qtmodeltester.check(measures, force_py=True)
    qtmodeltester.check(kpis, force_py=True)


def test_milestone_and_system_models(qtmodeltester, demo_snapshot):
    milestones, systems = MilestonesModel(), SystemsModel()
    milestones.set_plan(demo_snapshot.plan)
    systems.set_plan(demo_snapshot.plan)
    assert milestones.rowCount() and systems.rowCount()
    qtmodeltester.check(milestones, force_py=True)
    qtmodeltester.check(systems, force_py=True)
    for model, rows in ((ReportedMilestonesModel(), demo_snapshot.schedule.milestones),
                        (ReportedSystemsModel(), demo_snapshot.schedule.systems)):
        assert rows, type(model).__name__
        model.set_rows(rows)
        qtmodeltester.check(model, force_py=True)


def test_distribution_history_and_outputs_models(qtmodeltester, demo_snapshot):
    for model, rows in ((DistributionModel(), demo_snapshot.forms),
                        (HistoryModel(), [e for entries in demo_snapshot.histories.values() for e in entries]),
                        (OutputsModel(), demo_snapshot.outputs)):
        assert rows, type(model).__name__
        model.set_rows(rows)
        qtmodeltester.check(model, force_py=True)


def test_empty_models_pass_too(qtmodeltester):
    for model in (StatusModel(), FindingsModel(), MeasuresModel(), KpisModel(), DistributionModel(), HistoryModel(),
                  OutputsModel(), MilestonesModel(), SystemsModel(), ReportedMilestonesModel(), ReportedSystemsModel()):
        qtmodeltester.check(model, force_py=True)


def test_round_state_counts_working_days(demo_snapshot):
    round_ = demo_snapshot.round
    before = overview.round_state(demo_snapshot.statuses, round_, dt.date(2024, 5, 2))   # Thu before Golden Week
    assert before.days_left == 9 and before.days_late == 0     # 15 days on: 4 weekend days, 5/3 and 5/6 holidays
    after = overview.round_state(demo_snapshot.statuses, round_, dt.date(2024, 5, 21))
    assert after.days_late == 2 and after.deadline_text == "締切を 2 営業日過ぎています"
    assert after.returned + after.missing == after.sections == len(demo_snapshot.statuses)
