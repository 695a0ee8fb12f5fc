"""A re-listed (再掲) KPI is entered once, at its home: where it is re-listed the row is locked and mirrors the
home's actual, raises no error when left blank, and is counted once (Sasebo: K113 re-lists K027, both S01)."""
from __future__ import annotations

import openpyxl

from dxdesk import jobs
from dxdesk.demo import fill_return
from dxdesk.forms.definition import PROGRESS_SHEET
from dxdesk.outputs.dataset import round_records

COL = {f.key: PROGRESS_SHEET.column(f.key) + 1 for f in PROGRESS_SHEET.fields}


def rows_by_kpi(sheet):
    return {sheet.cell(r, COL["kpi_id"]).value: r for r in range(PROGRESS_SHEET.header_row + 1, sheet.max_row + 1)}


def test_relisted_row_is_read_only_and_mirrors_its_home(sample_round):
    ws, round_, forms = sample_round
    sheet = openpyxl.load_workbook(next(f for f in forms if "_S01_" in f.name))[PROGRESS_SHEET.name]
    rows = rows_by_kpi(sheet)
    home, relisted = rows["K027"], rows["K113"]
    actual = sheet.cell(relisted, COL["actual"])
    assert actual.value == f'=IF(O{home}="","",O{home})' and actual.protection.locked
    assert sheet.cell(home, COL["actual"]).protection.locked is False
    for key in ("schedule", "self_grade", "cause"):
        cell = sheet.cell(relisted, COL[key])
        assert cell.value is None and cell.protection.locked
    assert "K027" in sheet.cell(relisted, COL["result"]).value and "入力不要" in sheet.cell(relisted, COL["result"]).value
    assert sheet.cell(relisted, COL["self_check"]).value is None  # nothing to enter, nothing to warn about
    assert sheet.cell(home, COL["self_check"]).value.startswith("=")


def test_relisted_row_left_blank_raises_nothing_and_is_counted_once(sample_round, sample_actuals, tmp_path):
    ws, round_, forms = sample_round
    form = next(f for f in forms if "_S01_" in f.name)
    plan = jobs.require_plan(ws)
    fill_return(form, tmp_path / form.name, plan, sample_actuals, 2023)
    filled = openpyxl.load_workbook(tmp_path / form.name)[PROGRESS_SHEET.name]
    assert filled.cell(rows_by_kpi(filled)["K113"], COL["self_grade"]).value is None  # the section enters it once
    jobs.run_collection(ws, round_, jobs.prepare_collection(ws, round_, [tmp_path / form.name]))
    found = [f for f in jobs.round_findings(ws, round_) if f.row_key in ("K112", "K113", "K123", "K124")]
    assert {f.severity for f in found} == {"INFO"} and {f.code for f in found} == {"K11"}
    records = {r.kpi.kpi_id: r for r in round_records(ws.conn, plan, round_)}
    assert records["K113"].actual == records["K027"].actual == 1021
    assert records["K113"].self_grade == records["K027"].self_grade == "A"
    assert records["K113"].relisted and not records["K027"].relisted


def test_a_value_forced_into_a_relisted_row_is_an_s4_at_its_cell(sample_round, sample_actuals, tmp_path):
    """A section that removed the protection and typed over the mirrored actual of a re-listed row (K113 shows
    K027's), or into a locked cell of it: S4 at each cell, quoting the value typed, which is not read — K027
    and K113 both stay K027's value, counted once. The untouched mirror (K112) and a typed value equal to its
    home raise nothing."""
    ws, round_, forms = sample_round
    form = next(f for f in forms if "_S01_" in f.name)
    plan = jobs.require_plan(ws)
    fill_return(form, tmp_path / "filled.xlsx", plan, sample_actuals, 2023)
    book = openpyxl.load_workbook(tmp_path / "filled.xlsx")
    sheet = book[PROGRESS_SHEET.name]
    rows = rows_by_kpi(sheet)
    home_actual = sheet.cell(rows["K027"], COL["actual"]).value
    sheet.cell(rows["K113"], COL["actual"]).value = 1500
    sheet.cell(rows["K113"], COL["self_grade"]).value = "B"
    sheet.cell(rows["K123"], COL["actual"]).value = sheet.cell(rows["K036"], COL["actual"]).value  # the same
    book.save(tmp_path / form.name)
    jobs.run_collection(ws, round_, jobs.prepare_collection(ws, round_, [tmp_path / form.name]))
    found = [f for f in jobs.round_findings(ws, round_) if f.code == "S4"]
    actual_ref = f"{openpyxl.utils.get_column_letter(COL['actual'])}{rows['K113']}"
    grade_ref = f"{openpyxl.utils.get_column_letter(COL['self_grade'])}{rows['K113']}"
    assert sorted((f.row_key, f.cell) for f in found) == sorted([("K113", actual_ref), ("K113", grade_ref)])
    message = next(f.message for f in found if f.cell == actual_ref)
    assert "1500" in message and "K027" in message and PROGRESS_SHEET.name in message
    records = {r.kpi.kpi_id: r for r in round_records(ws.conn, plan, round_)}
    assert records["K113"].actual == records["K027"].actual == home_actual
