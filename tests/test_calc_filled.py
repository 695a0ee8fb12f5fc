"""Forms opened, filled (typed Japanese text, numbers) and saved by LibreOffice Calc through UNO are read
exactly, and Calc's recalculated self-check agrees with dxdesk's own grade."""
from __future__ import annotations

import pytest
from python_calamine import CalamineWorkbook

from dxdesk import jobs
from dxdesk.forms.definition import PROGRESS_SHEET
from dxdesk.outputs.dataset import round_records
from lo.calc import NEEDS_CALC, fill_with_calc

pytestmark = NEEDS_CALC
COL = {f.key: PROGRESS_SHEET.column(f.key) for f in PROGRESS_SHEET.fields}


def test_form_filled_and_saved_by_calc(sample_round, tmp_path):
    ws, round_, forms = sample_round
    form = next(f for f in forms if "_S01_" in f.name)
    typed = {
        "K027": {COL["actual"]: 1021, COL["self_grade"]: "A", COL["result"]: "電子申請を拡充し、窓口でも案内した。"},
        "K028": {COL["actual"]: 6.8, COL["self_grade"]: "D",
                 COL["cause"]: "周知不足。令和6年度は広報紙・LINEで周知し、申請画面を改善する。"},
        "K126": {COL["actual"]: 10, COL["self_grade"]: "A"},
    }
    saved = fill_with_calc(form, tmp_path, [{"sheet": PROGRESS_SHEET.name, "key_column": 0, "values": typed}])
    # Calc recalculated the live self-check: its computed grade is in the file
    rows = CalamineWorkbook.from_path(str(saved)).get_sheet_by_name(PROGRESS_SHEET.name).to_python(
        skip_empty_area=False)
    by_key = {r[0]: r for r in rows[PROGRESS_SHEET.header_row:]}
    assert [by_key[k][COL["computed_grade"]] for k in ("K027", "K028", "K126")] == ["A", "D", "B"]

    jobs.run_collection(ws, round_, jobs.prepare_collection(ws, round_, [saved]))
    records = {r.kpi.kpi_id: r for r in round_records(ws.conn, jobs.require_plan(ws), round_) if r.source_file}
    assert records["K027"].actual == 1021 and records["K028"].actual == pytest.approx(6.8)
    assert records["K027"].result == "電子申請を拡充し、窓口でも案内した。"
    assert records["K028"].cause.startswith("周知不足。令和6年度は広報紙・LINE")
    assert [records[k].judgement.grade for k in ("K027", "K028", "K126")] == ["A", "D", "B"]
    k2 = [f for f in jobs.round_findings(ws, round_) if f.code == "K2"]
    assert [(f.row_key, f.cell) for f in k2] == [("K126", "Q20")]


def test_live_check_on_another_scale_in_calc(workspace, sample_plan_path, tmp_path):
    """A ◎○△× city: Calc shows the computed grade as ◎/○/△/× and the self-check agrees."""
    import datetime as dt
    import openpyxl
    plan_path = tmp_path / "plan.xlsx"
    wb = openpyxl.load_workbook(sample_plan_path)
    sheet = wb["計画"]
    sheet.cell(next(r for r in range(1, sheet.max_row + 1) if sheet.cell(r, 1).value == "評価尺度"), 2).value = "MARU"
    wb.save(plan_path)
    jobs.import_plan(workspace, plan_path)
    round_ = jobs.new_round(workspace, 2023, dt.date(2024, 5, 17))
    form = next(f for f in jobs.distribute(workspace, round_).files if "_S01_" in f.name)
    typed = {"K027": {COL["actual"]: 1021, COL["self_grade"]: "◎"}, "K028": {COL["actual"]: 6.8, COL["self_grade"]: "○"}}
    saved = fill_with_calc(form, tmp_path, [{"sheet": PROGRESS_SHEET.name, "key_column": 0, "values": typed}])
    rows = CalamineWorkbook.from_path(str(saved)).get_sheet_by_name(PROGRESS_SHEET.name).to_python(
        skip_empty_area=False)
    by_key = {r[0]: r for r in rows[PROGRESS_SHEET.header_row:]}
    assert [by_key[k][COL["computed_grade"]] for k in ("K027", "K028")] == ["◎", "×"]
    assert by_key["K027"][COL["self_check"]] == ""
    assert "自己評価と算定評価が異なる" in by_key["K028"][COL["self_check"]]
