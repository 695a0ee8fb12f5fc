"""M5 (cost per unit) only against the KPI the plan master names for the measure (施策 sheet, 単価指標ID), or not
at all — never the cost per cruise passenger of the online-procedures measure (issue 8 item 14)."""
from __future__ import annotations

import datetime as dt

import openpyxl

from dxdesk import jobs
from dxdesk.demo import fill_return


def _round_with(workspace, plan_path, tmp_path, sample_actuals):
    imported = jobs.import_plan(workspace, plan_path)
    round_ = jobs.new_round(workspace, 2023, dt.date(2024, 5, 17))
    inbox = tmp_path / "inbox"
    plan = jobs.require_plan(workspace)
    for form in jobs.distribute(workspace, round_).files:
        fill_return(form, inbox / form.name, plan, sample_actuals, 2023)
    jobs.run_collection(workspace, round_, jobs.prepare_collection(workspace, round_, [inbox]))
    return imported, [f for f in jobs.round_findings(workspace, round_) if f.code == "M5"]


def test_no_M5_unless_the_plan_names_the_kpi(workspace, sample_plan_path, tmp_path, sample_actuals):
    _, m5 = _round_with(workspace, sample_plan_path, tmp_path, sample_actuals)
    assert m5 == []


def test_M5_only_for_the_named_kpi(workspace, sample_plan_path, tmp_path, sample_actuals):
    path = tmp_path / "plan.xlsx"
    wb = openpyxl.load_workbook(sample_plan_path)
    sheet = wb["施策"]
    col = sheet.max_column + 1
    sheet.cell(1, col).value = "単価指標ID"
    ids = [c.value for c in sheet["A"]]
    sheet.cell(ids.index("G01-1") + 1, col).value = "K027"   # オンライン対応手続き数 of G01-1
    sheet.cell(ids.index("G01-3") + 1, col).value = "K999"   # no such KPI: a finding, no M5
    wb.save(path)
    imported, m5 = _round_with(workspace, path, tmp_path, sample_actuals)
    assert [f.row_key.split("|")[0] for f in m5] == ["G01-1"] and "K027" in m5[0].message
    assert any(f.code == "P3" and f.value == "K999" for f in imported.findings)
    assert jobs.require_plan(workspace).measures["G01-1"].unit_cost_kpi == "K027"
