"""Each rule breaks on a realistic return (a distributed form filled with openpyxl) and stays quiet on
a clean one. Assertions are the flattened (code, sheet, cell) lists, frictionless style."""
from __future__ import annotations

import dataclasses
import datetime as dt

import openpyxl
import pytest

from dxdesk.demo import fill_return, fill_values
from dxdesk.forms.builder import RoundInfo, build_form
from dxdesk.forms.definition import BUDGET_SHEET, PROGRESS_FORM, form_for
from dxdesk.intake.parse import Parser
from dxdesk.intake.reader import read_workbook
from dxdesk.plan.importer import import_plan
from dxdesk.rules.engine import CheckContext, run_rules
from dxdesk.rules.findings import flatten
from dxdesk.rules.library import RULES

FY = 2023
INFO = RoundInfo("FY2023-1", FY, dt.date(2024, 5, 17), "DX推進課", "内線 0000", "pw")


@pytest.fixture(scope="module")
def plan(sample_plan_path):
    return import_plan(sample_plan_path)[0]


@pytest.fixture
def check(plan, tmp_path, sample_actuals):
    """check(owner_of, values, budget=None, plan=None, history=None) → findings of the filled return."""

    def run(owner_of: str, values: dict | None = None, budget: dict | None = None, plan_=None, history=None,
            scale_key: str = "AD2"):
        p = plan_ or plan
        code = p.measures[p.kpis[owner_of].measure_id if owner_of in p.kpis else owner_of].owner
        form_def = form_for("progress", scale_key)
        form = build_form(tmp_path / f"{code}.xlsx", form_def, p, p.sections[code], INFO) and tmp_path / f"{code}.xlsx"
        filled = tmp_path / f"{code}_filled.xlsx"
        fill_return(form, filled, p, sample_actuals, FY, scale_key=scale_key)
        if values:
            fill_values(filled, filled, values)
        if budget:
            _fill_budget(filled, budget)
        book = read_workbook(filled)
        parser = Parser(p, filled.name, code)
        parsed = parser.parse(book, form_def)
        hist = {(h.kpi_id, h.fy): h.value for h in p.history} if history is None else history
        ctx = CheckContext(p, form_def, FY, filled.name, code, parsed, history=hist)
        return parser.findings + run_rules(ctx, RULES)

    return run


def _fill_budget(path, values: dict[str, dict[str, object]]):
    wb = openpyxl.load_workbook(path)
    ws = wb[BUDGET_SHEET.name]
    col = {f.key: BUDGET_SHEET.column(f.key) + 1 for f in BUDGET_SHEET.fields}
    for r in range(BUDGET_SHEET.header_row + 1, ws.max_row + 1):
        row_key = f"{ws.cell(r, col['measure_id']).value}|{ws.cell(r, col['budget_item']).value}"
        for key, value in values.get(row_key, {}).items():
            ws.cell(r, col[key]).value = value
    wb.save(path)


def only(findings, code):
    return flatten([f for f in findings if f.code == code], ["code", "sheet", "cell"])


def with_kpi(plan, kpi_id, **changes):
    return dataclasses.replace(plan, kpis={**plan.kpis, kpi_id: dataclasses.replace(plan.kpis[kpi_id], **changes)})


def with_measure(plan, measure_id, **changes):
    measures = {**plan.measures, measure_id: dataclasses.replace(plan.measures[measure_id], **changes)}
    return dataclasses.replace(plan, measures=measures)


ROW_RULES = ("K1", "K2", "K3", "K4", "K5", "K6", "K11", "L1", "L3", "V1", "V2", "V5", "V6", "M2", "M3", "S8")


@pytest.mark.parametrize("owner", ["K027", "K001", "K006", "K081", "K015"])
def test_a_clean_return_raises_no_row_error(check, owner):
    findings = check(owner)
    assert [f for f in findings if f.severity == "ERR"] == []


def test_V1_self_grade_missing(check):
    assert only(check("K027", {"K027": {"self_grade": None}}), "V1") == [["V1", "進捗報告", "Q5"]]


def test_V2_not_a_number_and_N1_for_zenkaku(check):
    findings = check("K027", {"K027": {"actual": "約千件"}, "K028": {"actual": "６．８"}})
    assert only(findings, "V2") == [["V2", "進捗報告", "O5"]]
    assert only(findings, "N1") == [["N1", "進捗報告", "O6"]]


def test_V3_unit_in_the_cell(check):
    """K027 is counted in 手続: 「1,021件」 is another unit (V3, never converted), 「1,021千円」 too."""
    assert only(check("K027", {"K027": {"actual": "1,021件"}}), "V3") == [["V3", "進捗報告", "O5"]]
    assert only(check("K027", {"K027": {"actual": "1,021千円"}}), "V3") == [["V3", "進捗報告", "O5"]]
    assert only(check("K027", {"K027": {"actual": "6.8人"}, "K028": {"actual": "6.8人"}}), "V3") == [
        ["V3", "進捗報告", "O5"], ["V3", "進捗報告", "O6"]]


@pytest.mark.parametrize("typed", ["1,021手続", "１，０２１手続", "1021 手続"])
def test_N1_the_kpis_own_unit_in_the_cell_is_read(check, typed):
    """「90手続」 for a KPI in 手続 is what people write: read as 1,021 with an INFO, no error."""
    findings = check("K027", {"K027": {"actual": typed}})
    assert only(findings, "N1")[:1] == [["N1", "進捗報告", "O5"]]
    n1 = next(f for f in findings if f.code == "N1" and f.cell == "O5")
    assert (n1.value, n1.expected) == (typed, "1,021")
    assert [f for f in findings if f.row_key == "K027" and f.severity == "ERR"] == []


def test_V5_grade_variants(check):
    findings = check("K027", {"K027": {"self_grade": "Ａ"}, "K028": {"self_grade": "とても良い"}})
    assert only(findings, "V5") == [["V5", "進捗報告", "Q6"]]
    assert ["N1", "進捗報告", "Q5"] in only(findings, "N1")


def test_K1_actual_missing_unless_not_evaluated_with_reason(check):
    assert only(check("K027", {"K027": {"actual": None}}), "K1") == [["K1", "進捗報告", "O5"]]
    assert only(check("K027", {"K027": {"actual": None, "self_grade": "評価未実施", "cause": None}}), "K1") == [
        ["K1", "進捗報告", "S5"]]
    assert only(check("K027", {"K027": {"actual": None, "self_grade": "評価未実施",
                                       "cause": "調査が翌年度になるため"}}), "K1") == []


def test_K2_self_grade_against_the_numbers(check):
    findings = check("K027", {"K126": {"actual": 10, "self_grade": "A"}})
    assert only(findings, "K2") == [["K2", "進捗報告", "Q20"]]
    assert "B" in findings[[f.code for f in findings].index("K2")].message


def test_K3_interim_and_end_targets_far_apart(check):
    # K151 対応システム数: this year's target 0, end target 20, actual 0 → A against the year, C against the end
    assert only(check("K151"), "K3") == [["K3", "進捗報告", "O11"]]
    assert only(check("K027"), "K3") == []  # A vs B: normal for a KPI on track


def test_K4_cause_required_for_c_d_and_worse_than_baseline(check):
    assert only(check("K027", {"K028": {"cause": None}}), "K4") == [["K4", "進捗報告", "S6"]]
    assert only(check("K027"), "K4") == []


def test_K5_cumulative_decrease(check):
    history = {("K135", FY - 1): 5000.0}
    assert only(check("K135", {"K135": {"actual": 4000}}, history=history), "K5") == [["K5", "進捗報告", "O14"]]
    assert only(check("K135", {"K135": {"actual": 6000}}, history=history), "K5") == []


def test_K6_zero_or_flat_for_two_years(check):
    history = {("K027", FY - 1): 0.0}
    assert only(check("K027", {"K027": {"actual": 0}}, history=history), "K6") == [["K6", "進捗報告", "O5"]]
    history = {("K027", FY - 1): 521.0}
    assert only(check("K027", {"K027": {"actual": 521}}, history=history), "K6") == [["K6", "進捗報告", "O5"]]
    assert only(check("K027", {"K027": {"actual": 1021}}, history=history), "K6") == []


def test_K7_output_only_measure(check, plan):
    assert only(check("X01-1"), "K7") == [["K7", "", ""], ["K7", "", ""]]  # X01-1 and X02-1 of S01
    assert only(check("K001"), "K7") == []


def test_K8_maintenance_target_in_expansion(check, plan):
    changed = with_kpi(plan, "K027", baseline=1100.0)
    assert [f.row_key for f in check("K027", plan_=changed) if f.code == "K8"] == ["K027"]
    assert only(check("K027"), "K8") == []


def test_K9_pilot_wording_in_stage_2(check, plan):
    changed = with_measure(plan, "G01-1", name="行政手続オンライン化の実証")
    assert [f.row_key for f in check("K027", plan_=changed) if f.code == "K9"] == ["G01-1"]
    assert only(check("K027"), "K9") == []


def test_K11_relisted_kpi(check, plan):
    relisted = next(k for k in plan.kpis.values() if k.relisted_of)
    findings = [f for f in check(relisted.kpi_id) if f.code == "K11"]
    assert relisted.kpi_id in [f.row_key for f in findings]
    assert all(f.severity == "INFO" for f in findings)


def test_L1_schedule_status_missing(check, plan):
    kpi = next(k for k in plan.kpis.values() if plan.measures[k.measure_id].stage == "1")
    findings = check(kpi.kpi_id, {kpi.kpi_id: {"schedule": None}})
    assert [f.row_key for f in findings if f.code == "L1"] == [kpi.kpi_id]


def test_L3_stable_stage_below_target(check, plan):
    kpi = next(k for k in plan.kpis.values() if k.measure_id == "M04-2")
    assert [f.row_key for f in check(kpi.kpi_id, {kpi.kpi_id: {"actual": 10}}) if f.code == "L3"] == [kpi.kpi_id]
    assert only(check(kpi.kpi_id), "L3") == []


def test_V6_implausible_values(check):
    findings = check("K027", {"K027": {"actual": 6000}, "K028": {"actual": 130}})
    assert only(findings, "V6") == [["V6", "進捗報告", "O5"], ["V6", "進捗報告", "O6"]] + only(check("K027"), "V6")


TOTAL = "G01-1|事業費計"  # the 5th row of G01-1's block: G9 is its 決算額


def test_M1_total_against_subjects_and_sources(check):
    parts = {"G01-1|委託料": {"budget": 7000, "settlement": 6000}, "G01-1|その他": {"budget": 3000, "settlement": 2000},
             "G01-1|一般財源": {"budget": 10000, "settlement": 8000}}
    good = {TOTAL: {"budget": 10000, "settlement": 8000}, **parts}
    assert only(check("K027", budget=good), "M1") == []
    bad = {**good, TOTAL: {"budget": 10000, "settlement": 9000}, "G01-1|一般財源": {"budget": 9000, "settlement": 8000}}
    assert only(check("K027", budget=bad), "M1") == [
        ["M1", "予算・決算", "E9"], ["M1", "予算・決算", "G9"], ["M1", "予算・決算", "G9"]]


def test_M2_low_execution_without_reason(check):
    assert only(check("K027", budget={TOTAL: {"budget": 10000, "settlement": 1100}}), "M2") == [
        ["M2", "予算・決算", "G9"]]
    assert only(check("K027", budget={TOTAL: {"budget": 10000, "settlement": 1100,
                                              "budget_note": "入札差金"}}), "M2") == []


def test_M3_settlement_over_budget(check):
    assert only(check("K027", budget={TOTAL: {"budget": 10000, "settlement": 12000}}), "M3") == [
        ["M3", "予算・決算", "G9"]]
    assert only(check("K027", budget={TOTAL: {"budget": 10000, "supplementary": 2000,
                                              "settlement": 12000}}), "M3") == []


def test_V4_percent_decided_by_the_cell_format_or_an_error(check, tmp_path, plan):
    # a bare 0.068 for オンライン申請利用率 (baseline 18%, target 50%) is ambiguous
    assert only(check("K027", {"K028": {"actual": 0.068}}), "V4") == [["V4", "進捗報告", "O6"]]
    assert only(check("K027", {"K028": {"actual": 6.8}}), "V4") == []


def test_V4_a_cell_shown_as_percent_is_read_as_percent(plan, tmp_path, sample_actuals):
    code = plan.measures[plan.kpis["K028"].measure_id].owner
    form = tmp_path / "f.xlsx"
    build_form(form, PROGRESS_FORM, plan, plan.sections[code], INFO)
    fill_return(form, form, plan, sample_actuals, FY)
    wb = openpyxl.load_workbook(form)
    cell = wb["進捗報告"]["O6"]
    cell.value, cell.number_format = 0.068, "0.0%"   # what Excel stores when 6.8% is typed
    wb.save(form)
    parser = Parser(plan, form.name, code, FY)
    values = parser.parse(read_workbook(form), PROGRESS_FORM)
    assert values["progress"]["K028"]["actual"].num == pytest.approx(6.8)
    assert ["N1", "進捗報告", "O6"] in flatten(parser.findings, ["code", "sheet", "cell"])


def test_M5_cost_per_unit_for_the_auditor(check, plan):
    named = with_measure(plan, "G01-1", unit_cost_kpi="K027")  # the plan master names the KPI (単価指標ID)
    findings = [f for f in check("K027", budget={TOTAL: {"budget": 10000, "settlement": 10210}},
                                 values={"K027": {"actual": 1021}}, plan_=named) if f.code == "M5"]
    assert len(findings) == 1 and "K027" in findings[0].message
    assert "1手続あたり 10 千円" in findings[0].message and findings[0].severity == "INFO"
    unnamed = check("K027", budget={TOTAL: {"budget": 10000, "settlement": 10210}}, values={"K027": {"actual": 1021}})
    assert [f for f in unnamed if f.code == "M5"] == []


def test_K10_composite_ratio_and_multi_part(check, plan):
    ratio = with_kpi(plan, "K028", formula="比率", parts=("K031", "K027"))  # 14 ÷ 1,021 = 1.37%
    fired = check("K027", {"K027": {"actual": 1021}, "K031": {"actual": 14}, "K028": {"actual": 6.8}}, plan_=ratio)
    assert only(fired, "K10") == [["K10", "進捗報告", "O6"]]
    quiet = check("K027", {"K027": {"actual": 1021}, "K031": {"actual": 14}, "K028": {"actual": 1.4}}, plan_=ratio)
    assert only(quiet, "K10") == []
    multi = with_kpi(plan, "K027", formula="複数項目", parts=("K028", "K031"))  # K028 6.8% is D
    assert only(check("K027", {"K027": {"self_grade": "A"}}, plan_=multi), "K10") == [["K10", "進捗報告", "Q5"]]
    on_maru = check("K027", {"K027": {"self_grade": "◎"}}, plan_=multi, scale_key="MARU")
    assert [(f.cell, f.value) for f in on_maru if f.code == "K10"] == [("Q5", "◎")]


def test_L2_overdue_milestone_graded_b(check, plan):
    kpi = next(k for k in plan.kpis.values() if plan.measures[k.measure_id].stage == "1")
    overdue = with_kpi(plan, kpi.kpi_id, target_fy=2023)
    values = {kpi.kpi_id: {"schedule": "予定どおり", "self_grade": "B"}}
    assert [f.row_key for f in check(kpi.kpi_id, values, plan_=overdue) if f.code == "L2"] == [kpi.kpi_id]
    assert [f for f in check(kpi.kpi_id, values, plan_=with_kpi(plan, kpi.kpi_id, target_fy=2025))
            if f.code == "L2"] == []


def test_L2_speaks_the_offices_scale(check, plan):
    """On ◎○△× the "on plan" grade is ○ and "behind" is △ (L2 used to look for B only, and stayed silent)."""
    kpi = next(k for k in plan.kpis.values() if plan.measures[k.measure_id].stage == "1")
    overdue = with_kpi(plan, kpi.kpi_id, target_fy=2023)
    values = {kpi.kpi_id: {"schedule": "予定どおり", "self_grade": "○"}}
    l2 = [f for f in check(kpi.kpi_id, values, plan_=overdue, scale_key="MARU") if f.code == "L2"]
    assert [(f.row_key, f.value, f.expected) for f in l2] == [(kpi.kpi_id, "○", "△")]
    assert "評価が ○ です" in l2[0].message and "△（遅れ）" in l2[0].hint


def test_M4_shared_budget_entered_twice(check, plan):
    budgets = [dataclasses.replace(b, shared_id="共有1") if b.fy == FY and b.measure_id in ("G01-1", "G01-3") else b
               for b in plan.budgets]
    shared = dataclasses.replace(plan, budgets=budgets)
    assert shared.sharing("G01-3", FY) == ["G01-1"]
    twice = {"G01-3|事業費計": {"budget": 20453}}  # G01-1's block is pre-filled; G01-3 repeats it
    assert only(check("K027", budget=twice, plan_=shared), "M4") == [["M4", "予算・決算", "E16"]]
    assert only(check("K027", plan_=shared), "M4") == []


def test_V7_milestone_date_unreadable_or_contradicting(check):
    findings = check("K027", {"K027": {"milestone_date": "来年度中"}, "K028": {"milestone_date": "R6.4.1 (2025/4/1)"},
                              "K031": {"milestone_date": "令和6年4月1日"}})
    assert only(findings, "V7") == [["V7", "進捗報告", "T5"], ["V7", "進捗報告", "T6"]]
    assert ["N1", "進捗報告", "T7"] in only(findings, "N1")


def test_L2_uses_the_milestone_date_the_section_gave(check, plan):
    kpi = next(k for k in plan.kpis.values() if plan.measures[k.measure_id].stage == "1")
    later = with_kpi(plan, kpi.kpi_id, target_fy=2026)
    values = {kpi.kpi_id: {"schedule": "予定どおり", "self_grade": "B", "milestone_date": "R6.3.31"}}
    assert [f.row_key for f in check(kpi.kpi_id, values, plan_=later) if f.code == "L2"] == [kpi.kpi_id]
    values[kpi.kpi_id]["milestone_date"] = "R7.3.31"
    assert [f for f in check(kpi.kpi_id, values, plan_=later) if f.code == "L2"] == []


@pytest.mark.parametrize("typed", [18.5, "18.5%", "１８．５％", "18.5 ％"])
def test_a_half_point_rise_grades_B_however_it_is_typed(check, typed):
    """K028 オンライン申請利用率: baseline 18%, target 30% this year; 18.5% is better than the baseline (B)."""
    findings = check("K027", {"K028": {"actual": typed, "self_grade": "B", "cause": None}})
    assert [f for f in findings if f.row_key == "K028" and f.severity == "ERR"] == []


def test_a_half_point_rise_in_points_is_not_a_percent_ambiguity(check, plan):
    """A KPI counted in ポイント (a difference of rates): 0.5 is half a point, never 50 %."""
    changed = with_kpi(plan, "K028", unit="ポイント", baseline=0.0, target=5.0)
    findings = check("K027", {"K028": {"actual": 0.5, "self_grade": "B", "cause": None}}, plan_=changed,
                     history={})
    assert [f.code for f in findings if f.row_key == "K028" and f.severity == "ERR"] == []
