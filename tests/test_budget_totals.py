"""A budget shared by several measures is counted once in every total of the consolidated workbook."""
from __future__ import annotations

import datetime as dt

import openpyxl

from dxdesk import jobs
from dxdesk.demo import fill_return
from dxdesk.forms.definition import BUDGET_SHEET


def test_shared_budget_counted_once(workspace, sample_plan_path, tmp_path, sample_actuals):
    plan_path = tmp_path / "plan.xlsx"
    wb = openpyxl.load_workbook(sample_plan_path)
    sheet = wb["予算"]
    sheet.cell(1, 5).value = "共有予算ID"
    for r in range(2, sheet.max_row + 1):
        if sheet.cell(r, 1).value in ("G01-1", "G01-3") and sheet.cell(r, 2).value == 2023:
            sheet.cell(r, 3).value, sheet.cell(r, 5).value = 30000, "共有1"
    wb.save(plan_path)
    jobs.import_plan(workspace, plan_path)
    round_ = jobs.new_round(workspace, 2023, dt.date(2024, 5, 17))
    form = next(f for f in jobs.distribute(workspace, round_).files if "_S01_" in f.name)
    filled = tmp_path / form.name
    fill_return(form, filled, jobs.require_plan(workspace), sample_actuals, 2023)
    wb = openpyxl.load_workbook(filled)
    ws = wb[BUDGET_SHEET.name]
    col = {f.key: BUDGET_SHEET.column(f.key) + 1 for f in BUDGET_SHEET.fields}
    row = next(r for r in range(5, ws.max_row + 1) if ws.cell(r, 1).value == "G01-3"
               and ws.cell(r, col["budget_item"]).value == "事業費計")
    ws.cell(row, col["budget"]).value = 30000   # the section enters the shared budget a second time
    ws.cell(row, col["settlement"]).value = 27600
    wb.save(filled)
    jobs.run_collection(workspace, round_, jobs.prepare_collection(workspace, round_, [filled]))
    assert "M4" in {f.code for f in jobs.round_findings(workspace, round_)}
    book = openpyxl.load_workbook(jobs.consolidate(workspace, round_).workbook, read_only=True)
    rows = list(book["予算・決算"].iter_rows(values_only=True))
    header = rows[3]
    by_measure = {r[1]: r for r in rows[4:] if r[1]}
    assert by_measure["G01-1"][header.index("合計に算入")] == "○"
    assert by_measure["G01-3"][header.index("合計に算入")] == "×"
    total = next(r for r in rows if r[0] == "合計")
    counted = sum(r[header.index("予算額（千円）")] or 0 for r in by_measure.values() if r[header.index("合計に算入")] == "○")
    assert total[header.index("予算額（千円）")] == counted
    assert counted < sum(r[header.index("予算額（千円）")] or 0 for r in by_measure.values())
