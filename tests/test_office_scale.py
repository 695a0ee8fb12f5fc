"""The office's own grade scale, defined in the rule book (評価尺度定義: letters, meanings, the computed grade
each stands for, which need a cause), is used by the forms, the rules and the outputs; an unknown 評価尺度
in the plan master is a finding, not a silent fall-back to A〜D."""
from __future__ import annotations

import datetime as dt

import openpyxl
import pytest

from dxdesk import jobs
from dxdesk.demo import fill_return, fill_values
from dxdesk.forms.definition import PROGRESS_SHEET
from dxdesk.rules.scales import SCALES, define_scale, scale
from dxdesk.sample import SAMPLE_DIR, write_plan_workbook
from dxdesk.store.workspace import open_workspace

# 達成 (A), 前進 (B), 停滞 (C and D, needs a cause), 中止 chosen by hand
OFFICE = [("OFFICE3", "達成・前進・停滞", "達成", "目標を達成", "A", ""),
          ("OFFICE3", "", "前進", "基準値より前進", "B", ""),
          ("OFFICE3", "", "停滞", "横ばい・後退", "C・D", "必須"),
          ("OFFICE3", "", "中止", "事業を中止", "", "必須")]


def define_in_rulebook(ws, tmp_path, rows, selected="OFFICE3"):
    path = jobs.export_rules(ws, tmp_path / "規則集.xlsx")
    wb = openpyxl.load_workbook(path)
    sheet = wb["評価尺度定義"]
    for row in rows:
        sheet.append(list(row))
    choice = wb["評価尺度"]
    choice.cell(2, 2).value = selected
    wb.save(path)
    return jobs.import_rules(ws, path)


def plan_with_scale(tmp_path, value):
    path = write_plan_workbook(SAMPLE_DIR, tmp_path / "plan.xlsx")
    wb = openpyxl.load_workbook(path)
    sheet = wb["計画"]
    row = next(r for r in range(1, sheet.max_row + 1) if sheet.cell(r, 1).value == "評価尺度")
    sheet.cell(row, 2).value = value
    wb.save(path)
    return path


def test_define_scale_maps_letters_onto_the_computed_grade():
    office = define_scale("OFFICE3", "達成・前進・停滞",
                          [(l, m, tuple(c.split("・")) if c else (), bool(n)) for _, _, l, m, c, n in OFFICE])
    assert office.grades == ("達成", "前進", "停滞") and office.special == ("中止", "評価未実施")
    assert office.shown == {"A": "達成", "B": "前進", "C": "停滞", "D": "停滞"}
    assert office.consistent("停滞", "D") and not office.consistent("前進", "A")
    assert office.bad == ("停滞", "中止") and office.meanings["前進"] == "基準値より前進"


def test_office_scale_from_the_rulebook_reaches_forms_rules_and_outputs(workspace, tmp_path, sample_actuals):
    ws = workspace
    book, findings = define_in_rulebook(ws, tmp_path, OFFICE)
    assert findings == [] and book.grade_scale == "OFFICE3" and [s.key for s in book.scales] == ["OFFICE3"]
    imported = jobs.import_plan(ws, plan_with_scale(tmp_path, "OFFICE3"))
    assert [f for f in imported.findings if f.code == "P3"] == []
    round_ = jobs.new_round(ws, 2023, dt.date(2024, 5, 17))
    assert round_.grade_scale == "OFFICE3"
    forms = jobs.distribute(ws, round_).files
    form = next(f for f in forms if "_S01_" in f.name)
    sheet = openpyxl.load_workbook(form)[PROGRESS_SHEET.name]
    lists = [dv.formula1 for dv in sheet.data_validations.dataValidation if dv.type == "list"]
    assert '"達成,前進,停滞,中止,評価未実施"' in lists
    helps = [dv.prompt for dv in sheet.data_validations.dataValidation if dv.promptTitle == "未達理由・今後の対応"]
    assert helps and "停滞・中止" in helps[0] and "C・D" not in helps[0]
    cover = openpyxl.load_workbook(form)["表紙"]
    assert any("停滞・中止 のとき" in str(c.value) for row in cover.iter_rows() for c in row)

    filled = tmp_path / "in" / form.name
    fill_return(form, filled, jobs.require_plan(ws), sample_actuals, 2023, scale_key="OFFICE3")
    fill_values(filled, filled, {"K027": {"self_grade": "前進"}})  # 1,021 ≥ 1,020: computed 達成
    jobs.run_collection(ws, round_, jobs.prepare_collection(ws, round_, [filled]))
    found = jobs.round_findings(ws, round_)
    assert [(f.row_key, f.value, f.expected) for f in found if f.code == "K2"] == [("K027", "前進", "達成")]
    assert not [f for f in found if f.code == "V5"]
    done = jobs.consolidate(ws, round_)
    kpis = list(openpyxl.load_workbook(done.workbook, read_only=True)["施策・指標一覧"].iter_rows(values_only=True))
    header = kpis[3]
    k028 = next(r for r in kpis[4:] if r[header.index("指標ID")] == "K028")  # 6.8% from 18%: D, shown 停滞
    assert k028[header.index("算定評価")] == "停滞"

    ws.close()  # a new process (CLI) finds the office's scale again from the workspace
    SCALES_BEFORE = dict(SCALES)
    again = open_workspace(ws.root)
    assert scale("OFFICE3").grades == ("達成", "前進", "停滞") and SCALES == SCALES_BEFORE
    again.close()


def test_a_scale_that_leaves_a_computed_grade_unmapped_is_refused(workspace, tmp_path):
    broken = [r for r in OFFICE if r[4] != "C・D"]  # nothing stands for C or D
    book, findings = define_in_rulebook(workspace, tmp_path, broken)
    assert [f.code for f in findings] == ["B1", "B1"]  # the definition, then the choice of an unknown scale
    assert "C・D がありません" in findings[0].message and book.grade_scale == "AD2" and book.scales == ()


@pytest.mark.parametrize("typed, key", [("MARU", "MARU"), ("◎○△×", "MARU"), ("A〜D", "AD2"), ("S/A/B/C", "SABC")])
def test_plan_master_names_a_scale_by_key_title_or_grades(workspace, tmp_path, typed, key):
    imported = jobs.import_plan(workspace, plan_with_scale(tmp_path, typed))
    assert imported.plan.grade_scale == key and [f for f in imported.findings if f.code == "P3"] == []


def test_unknown_scale_in_the_plan_master_is_a_finding(workspace, tmp_path):
    imported = jobs.import_plan(workspace, plan_with_scale(tmp_path, "5段階"))
    p3 = [f for f in imported.findings if f.code == "P3"]
    assert [(f.sheet, f.value) for f in p3] == [("計画", "5段階")]
    assert "評価尺度定義" in p3[0].hint and imported.plan.grade_scale == "AD2"
