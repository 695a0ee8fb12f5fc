"""Co-owned measures (several 担当課): every co-owner gets a form; the 主担当 enters the values; the others see
them (共同担当の入力 = 参照, the default) or add their part of 取組結果 (分担). Sasebo G01-2 is S06's with S01."""
from __future__ import annotations

import datetime as dt

import openpyxl
import pytest

from dxdesk import jobs
from dxdesk.demo import fill_return, fill_values
from dxdesk.forms.definition import PROGRESS_SHEET
from dxdesk.outputs.dataset import round_records
from dxdesk.sample import SAMPLE_DIR, write_plan_workbook

COL = {f.key: PROGRESS_SHEET.column(f.key) + 1 for f in PROGRESS_SHEET.fields}
G01_2 = ("K029", "K030", "K116", "K117", "K118")


def plan_with_co_owner(tmp_path, mode: str | None):
    """The sample plan with S99 窓口サービス課, which only co-owns G01-2 (like 5 of Akita's 42 sections)."""
    path = write_plan_workbook(SAMPLE_DIR, tmp_path / "plan.xlsx")
    wb = openpyxl.load_workbook(path)
    wb["課所室"].append(["S99", "市民生活部", "窓口サービス課", "", ""])
    sheet = wb["施策"]
    header = [c.value for c in sheet[1]]
    if mode:
        sheet.cell(1, len(header) + 1).value = "共同担当の入力"
    for row in sheet.iter_rows(min_row=2):
        if row[0].value == "G01-2":
            row[header.index("担当課コード")].value = "S06、S01、S99"
            if mode:
                sheet.cell(row[0].row, len(header) + 1).value = mode
    wb.save(path)
    return path


def round_for(ws, tmp_path, mode):
    imported = jobs.import_plan(ws, plan_with_co_owner(tmp_path, mode))
    assert imported.findings == [] and imported.plan.measures["G01-2"].co_input == (mode or "参照")
    round_ = jobs.new_round(ws, 2023, dt.date(2024, 5, 17))
    return round_, jobs.distribute(ws, round_).files


def rows_of(form):
    sheet = openpyxl.load_workbook(form)[PROGRESS_SHEET.name]
    return sheet, {sheet.cell(r, COL["kpi_id"]).value: r for r in range(PROGRESS_SHEET.header_row + 1, sheet.max_row + 1)}


def test_every_co_owner_gets_a_form_and_sees_the_values(workspace, tmp_path, sample_actuals):
    round_, forms = round_for(workspace, tmp_path, None)
    s99 = next(f for f in forms if "_S99_" in f.name)
    sheet, rows = rows_of(s99)
    assert list(rows) == list(G01_2)
    for r in rows.values():
        assert all(sheet.cell(r, COL[k]).protection.locked for k in ("actual", "self_grade", "result", "cause"))
        assert "主担当の窓口" not in sheet.cell(r, COL["result"]).value and "S06" in sheet.cell(r, COL["result"]).value
    statuses = {s.section.code for s in jobs.statuses(workspace, round_)}
    assert "S99" not in statuses and "S06" in statuses  # nothing to enter: not chased for a return
    _, s01_rows = rows_of(next(f for f in forms if "_S01_" in f.name))
    assert set(G01_2) <= set(s01_rows)  # S01 co-owns it beside its own measures

    plan = jobs.round_plan(workspace, round_)
    for code in ("S06", "S01"):
        form = next(f for f in forms if f"_{code}_" in f.name)
        fill_return(form, tmp_path / "in" / form.name, plan, sample_actuals, 2023)
    jobs.run_collection(workspace, round_, jobs.prepare_collection(workspace, round_, [tmp_path / "in"]))
    found = jobs.round_findings(workspace, round_)
    assert not [f for f in found if f.section == "S01" and f.row_key in G01_2]
    records = {r.kpi.kpi_id: r for r in round_records(workspace.conn, plan, round_)}
    assert records["K029"].source_file == next(f for f in forms if "_S06_" in f.name).name  # the 主担当's return


def test_co_owners_add_their_part_when_the_office_chooses_it(workspace, tmp_path, sample_actuals):
    round_, forms = round_for(workspace, tmp_path, "分担")
    s99 = next(f for f in forms if "_S99_" in f.name)
    sheet, rows = rows_of(s99)
    assert sheet.cell(rows["K029"], COL["result"]).protection.locked is False
    assert sheet.cell(rows["K029"], COL["actual"]).protection.locked
    assert "S99" in {s.section.code for s in jobs.statuses(workspace, round_)}
    plan = jobs.round_plan(workspace, round_)
    s06 = next(f for f in forms if "_S06_" in f.name)
    fill_return(s06, tmp_path / "in" / s06.name, plan, sample_actuals, 2023)
    fill_values(s99, tmp_path / "in" / s99.name, {"K029": {"result": "窓口で申請書作成支援を案内した（120件）。"}})
    jobs.run_collection(workspace, round_, jobs.prepare_collection(workspace, round_, [tmp_path / "in"]))
    assert not [f for f in jobs.round_findings(workspace, round_) if f.section == "S99" and f.severity == "ERR"]
    records = {r.kpi.kpi_id: r for r in round_records(workspace.conn, plan, round_)}
    assert records["K029"].result.endswith("／【窓口サービス課】窓口で申請書作成支援を案内した（120件）。")
    assert records["K029"].self_grade == sample_actuals["K029"]["自己評価"]  # the 主担当's values


def test_a_value_forced_into_a_co_owned_row_is_an_s4_and_not_read(workspace, tmp_path, sample_actuals):
    """S99 removed the protection and typed K029's actual and a grade into its read-only row (the 主担当 S06
    enters them): S4 at each cell, quoting what was typed; the 主担当's values stand."""
    round_, forms = round_for(workspace, tmp_path, "分担")
    plan = jobs.round_plan(workspace, round_)
    s06, s99 = (next(f for f in forms if f"_{code}_" in f.name) for code in ("S06", "S99"))
    fill_return(s06, tmp_path / "in" / s06.name, plan, sample_actuals, 2023)
    book = openpyxl.load_workbook(s99)
    sheet = book[PROGRESS_SHEET.name]
    row = {sheet.cell(r, COL["kpi_id"]).value: r for r in range(PROGRESS_SHEET.header_row + 1, sheet.max_row + 1)}["K029"]
    sheet.cell(row, COL["actual"]).value = 777
    sheet.cell(row, COL["self_grade"]).value = "A"
    sheet.cell(row, COL["result"]).value = "窓口で案内した。"  # its part (分担): an input, no finding
    book.save(tmp_path / "in" / s99.name)
    jobs.run_collection(workspace, round_, jobs.prepare_collection(workspace, round_, [tmp_path / "in"]))
    s4 = [f for f in jobs.round_findings(workspace, round_) if f.code == "S4"]
    assert sorted((f.section, f.row_key, f.field) for f in s4) == [("S99", "K029", "actual"), ("S99", "K029", "self_grade")]
    assert "777" in next(f.message for f in s4 if f.field == "actual")
    records = {r.kpi.kpi_id: r for r in round_records(workspace.conn, plan, round_)}
    assert records["K029"].source_file == s06.name and records["K029"].actual != 777
    assert records["K029"].self_grade == sample_actuals["K029"]["自己評価"]


def test_unknown_co_input_is_a_plan_finding(workspace, tmp_path):
    imported = jobs.import_plan(workspace, plan_with_co_owner(tmp_path, "全員"))
    assert [(f.code, f.value) for f in imported.findings if f.code == "P3"] == [("P3", "全員")]
