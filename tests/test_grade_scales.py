"""Grade scales are configuration: a city grading ◎○△× gets that list in its forms, a live check on that
scale, and K2 compares on that scale."""
from __future__ import annotations

import datetime as dt

import openpyxl
import pytest

from dxdesk import jobs
from dxdesk.demo import fill_return, fill_values
from dxdesk.forms.definition import PROGRESS_SHEET, form_for
from dxdesk.rules.scales import SCALES
from dxdesk.sample import SAMPLE_DIR, write_plan_workbook


@pytest.fixture
def maru_round(workspace, tmp_path):
    plan_path = write_plan_workbook(SAMPLE_DIR, tmp_path / "plan.xlsx")
    wb = openpyxl.load_workbook(plan_path)
    sheet = wb["計画"]
    row = next(r for r in range(1, sheet.max_row + 1) if sheet.cell(r, 1).value == "評価尺度")
    sheet.cell(row, 2).value = "MARU"
    wb.save(plan_path)
    jobs.import_plan(workspace, plan_path)
    round_ = jobs.new_round(workspace, 2023, dt.date(2024, 5, 17))
    return workspace, round_, jobs.distribute(workspace, round_).files


def test_round_takes_the_plans_scale_and_forms_offer_it(maru_round):
    ws, round_, forms = maru_round
    assert round_.grade_scale == "MARU"
    sheet = openpyxl.load_workbook(forms[0])[PROGRESS_SHEET.name]
    lists = [dv.formula1 for dv in sheet.data_validations.dataValidation if dv.type == "list"]
    assert '"◎,○,△,×,評価未実施"' in lists
    formula = sheet.cell(PROGRESS_SHEET.header_row + 1, PROGRESS_SHEET.column("computed_grade") + 1).value
    assert formula.startswith("=IFERROR(CHOOSE(MATCH(") and '"◎","○","△","×"' in formula


def test_k2_compares_on_the_scale(maru_round, tmp_path, sample_actuals):
    ws, round_, forms = maru_round
    form = next(f for f in forms if "_S01_" in f.name)
    filled = tmp_path / "r.xlsx"
    fill_return(form, filled, jobs.require_plan(ws), sample_actuals, 2023, scale_key="MARU")
    fill_values(filled, filled, {"K126": {"actual": 10, "self_grade": "◎"}})  # computed ○ (B)
    jobs.run_collection(ws, round_, jobs.prepare_collection(ws, round_, [filled]))
    k2 = [f for f in jobs.round_findings(ws, round_) if f.code == "K2"]
    assert [(f.cell, f.value, f.expected) for f in k2] == [("Q20", "◎", "○")]
    assert not [f for f in jobs.round_findings(ws, round_) if f.code == "V5"]


@pytest.mark.parametrize("key, self_grade, computed, ok", [
    ("SABC", "S", "A", True), ("SABC", "A", "A", True), ("SABC", "B", "A", False), ("SABC", "C", "D", True),
    ("FSABCXYZ", "F", "A", True), ("FSABCXYZ", "B", "C", True), ("FSABCXYZ", "C", "D", True),
    ("FSABCXYZ", "A", "B", False), ("MARU", "△", "C", True), ("AD2", "B", "C", False),
])
def test_scale_consistency(key, self_grade, computed, ok):
    assert SCALES[key].consistent(self_grade, computed) is ok


def test_every_scale_builds_a_form():
    for key in SCALES:
        sheet = form_for("progress", key).sheets[0]
        assert sheet.field("self_grade").choices[: len(SCALES[key].grades)] == SCALES[key].grades


def test_outputs_speak_the_citys_scale(maru_round, tmp_path, sample_actuals):
    ws, round_, forms = maru_round
    form = next(f for f in forms if "_S01_" in f.name)
    fill_return(form, tmp_path / form.name, jobs.require_plan(ws), sample_actuals, 2023, scale_key="MARU")
    jobs.run_collection(ws, round_, jobs.prepare_collection(ws, round_, [tmp_path / form.name]))
    jobs.accept_section(ws, round_, "S01", "test")  # the open-data CSV publishes accepted values only
    done = jobs.consolidate(ws, round_)
    book = openpyxl.load_workbook(done.workbook, read_only=True)
    pillar = list(book["分野別集計"].iter_rows(values_only=True))[3]
    assert pillar[1:5] == ("◎", "○", "△", "×")
    kpis = list(book["施策・指標一覧"].iter_rows(values_only=True))
    header = kpis[3]
    k027 = next(r for r in kpis[4:] if r[header.index("指標ID")] == "K027")
    assert (k027[header.index("算定評価")], k027[header.index("自己評価")], k027[header.index("一致")]) == ("◎", "◎", "○")
    import csv
    rows = list(csv.DictReader(open(done.csv, encoding="utf-8-sig")))
    assert next(r for r in rows if r["指標ID"] == "K027")["算定評価"] == "◎"
