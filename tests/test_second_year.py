"""The second year in one workspace: the first round (FY2023, the sample's real actuals and self-grades) is
collected and accepted, then the next round's (FY2024) forms show FY2023's accepted actuals as 前年度実績,
and the history rules (K5, K6, V6, K12) fire on FY2024 returns."""
from __future__ import annotations

import datetime as dt
import shutil

import openpyxl

from dxdesk import jobs
from dxdesk.demo import fill_return, fill_values
from dxdesk.forms.definition import PROGRESS_SHEET
from dxdesk.intake.history import actual_history, past_actuals
from dxdesk.sample import SAMPLE_DIR, write_plan_workbook

COL = {f.key: PROGRESS_SHEET.column(f.key) + 1 for f in PROGRESS_SHEET.fields}


def form_of(forms, plan, kpi_id):
    owner = plan.measures[plan.kpis[kpi_id].measure_id].owner
    return next(f for f in forms if f"_{owner}_" in f.name), owner


def last_actuals(form) -> dict[str, object]:
    ws = openpyxl.load_workbook(form)[PROGRESS_SHEET.name]
    return {ws.cell(r, COL["kpi_id"]).value: ws.cell(r, COL["last_actual"]).value
            for r in range(PROGRESS_SHEET.header_row + 1, ws.max_row + 1)}


def collect(ws, round_, folder):
    return jobs.run_collection(ws, round_, jobs.prepare_collection(ws, round_, [folder]))


def test_accepted_actuals_carry_into_the_next_round(workspace, sample_plan_path, sample_actuals, tmp_path):
    ws = workspace
    jobs.import_plan(ws, sample_plan_path)
    plan = jobs.require_plan(ws)
    first = jobs.new_round(ws, 2023, dt.date(2024, 5, 17))
    forms23 = jobs.distribute(ws, first).files
    faulty_form, faulty = form_of(forms23, plan, "K003")  # this section's FY2023 return keeps an error
    for form in forms23:
        target = tmp_path / "in23" / form.name
        fill_return(form, target, plan, sample_actuals, 2023)
        if form == faulty_form:
            fill_values(target, target, {"K003": {"actual": "約二十件"}})
    collect(ws, first, tmp_path / "in23")
    for status in [s for s in jobs.statuses(ws, first) if s.status == "提出済"]:
        jobs.accept_section(ws, first, status.section.code, "DX推進課 佐藤")
    statuses = {s.section.code: s.status for s in jobs.statuses(ws, first)}
    assert statuses[faulty] == "要修正" and list(statuses.values()).count("受理") == len(statuses) - 1

    history = past_actuals(ws.conn, plan)
    assert history[("K135", 2023)].value == 3395 and history[("K135", 2023)].source == first.round_id
    assert ("K003", 2023) not in history  # not accepted: never history
    assert history[("K135", 2022)].value == 1852 and history[("K135", 2022)].source == "計画マスタ"

    second = jobs.new_round(ws, 2024, dt.date(2025, 5, 16))
    forms24 = jobs.distribute(ws, second).files
    k135_form, _ = form_of(forms24, plan, "K135")
    k027_form, _ = form_of(forms24, plan, "K027")
    assert last_actuals(k135_form)["K135"] == 3395
    assert last_actuals(k027_form)["K027"] == 1021
    assert last_actuals(form_of(forms24, plan, "K003")[0])["K003"] is None

    # FY2024 returns: K135 (累計) fell, K027 unchanged below its target, K001 more than 10× FY2023
    changes = {"K135": {"actual": 3000}, "K027": {"actual": 1021}, "K001": {"actual": 700}}
    for form in forms24:
        target = tmp_path / "in24" / form.name
        fill_return(form, target, plan, sample_actuals, 2024)
        fill_values(target, target, changes)
    result = collect(ws, second, tmp_path / "in24")
    assert all(o.section_code for o in result.outcomes)
    found = {(f.code, f.row_key) for f in jobs.round_findings(ws, second, today=dt.date(2025, 5, 1))}
    assert {("K5", "K135"), ("K6", "K027"), ("V6", "K001")} <= found
    assert not [f for f in jobs.round_findings(ws, second) if f.code == "S4"]  # 前年度実績 is what was sent

    # K12: a re-imported plan master whose 実績 differs from the accepted FY2023 value
    revised = tmp_path / "revised"
    shutil.copytree(SAMPLE_DIR, revised)
    with open(revised / "実績.csv", "a", encoding="utf-8") as handle:
        handle.write("K135,2023,3000,,\nK027,2023,1021,,\n")
    imported = jobs.import_plan(ws, write_plan_workbook(revised, tmp_path / "revised.xlsx"))
    assert [(f.code, f.row_key, f.value, f.expected) for f in imported.findings if f.code == "K12"] == [
        ("K12", "K135", "3,000", "3,395")]


def test_rounds_of_one_year_and_plan_history(workspace, sample_plan_path, sample_actuals, tmp_path):
    """A later accepted round replaces the imported history for its year; a round never is its own history."""
    ws = workspace
    jobs.import_plan(ws, sample_plan_path)
    plan = jobs.require_plan(ws)
    fy22 = jobs.new_round(ws, 2022, dt.date(2023, 5, 16))
    form, owner = form_of(jobs.distribute(ws, fy22).files, plan, "K135")
    fill_return(form, tmp_path / "in" / form.name, plan, sample_actuals, 2022)
    fill_values(tmp_path / "in" / form.name, tmp_path / "in" / form.name, {"K135": {"actual": 19000}})
    collect(ws, fy22, tmp_path / "in")  # more than 10× FY2021: a V6 warning to review (提出済)
    assert [s.status for s in jobs.statuses(ws, fy22) if s.section.code == owner] == ["提出済"]
    assert actual_history(ws.conn, plan)[("K135", 2022)] == 1852  # not accepted yet: the imported value
    jobs.accept_section(ws, fy22, owner, "DX推進課 佐藤")
    assert actual_history(ws.conn, plan)[("K135", 2022)] == 19000
    assert actual_history(ws.conn, plan, exclude_round=fy22.round_id)[("K135", 2022)] == 1852


def test_fy2024_round_carries_into_fy2025(workspace, sample_plan_path, sample_actuals, tmp_path):
    """The issue's own years: the FY2024 round is collected and accepted, the FY2025 round's forms show FY2024's
    accepted values as 前年度実績 and the history rules fire on FY2025 returns. The sample's real actuals are
    FY2023's; typed here as the FY2024 returns (the plan runs R3〜R9, so both rounds are inside it)."""
    ws = workspace
    jobs.import_plan(ws, sample_plan_path)
    plan = jobs.require_plan(ws)
    first = jobs.new_round(ws, 2024, dt.date(2025, 5, 16))
    for form in jobs.distribute(ws, first).files:
        fill_return(form, tmp_path / "in24" / form.name, plan, sample_actuals, 2024)
    collect(ws, first, tmp_path / "in24")
    # FY2023's self-grades against FY2024's interim targets: K2 errors in S01 (K027) and S03 (K135 …), which the
    # office confirms (waives) before accepting, as it would for a section that keeps its own judgement
    owners = {plan.measures[plan.kpis[k].measure_id].owner for k in ("K135", "K027", "K001")}
    for f in [f for f in jobs.round_findings(ws, first) if f.blocking and f.section in owners]:
        jobs.waive(ws, first, f.section, f.code, f"{f.sheet}!{f.cell}", "DX推進課 佐藤", "課の自己評価のまま（事務局で確認済み）")
    for status in [s for s in jobs.statuses(ws, first) if s.status == "提出済"]:
        jobs.accept_section(ws, first, status.section.code, "DX推進課 佐藤")
    accepted = {s.section.code for s in jobs.statuses(ws, first) if s.status == "受理"}
    assert owners <= accepted

    history = past_actuals(ws.conn, plan)
    assert history[("K135", 2024)].value == 3395 and history[("K135", 2024)].source == first.round_id
    assert ("K135", 2023) not in history  # neither imported nor collected: no FY2023 value in this workspace

    second = jobs.new_round(ws, 2025, dt.date(2026, 5, 15))
    forms25 = jobs.distribute(ws, second).files
    assert last_actuals(form_of(forms25, plan, "K135")[0])["K135"] == 3395
    assert last_actuals(form_of(forms25, plan, "K027")[0])["K027"] == 1021

    changes = {"K135": {"actual": 3000}, "K027": {"actual": 1021}, "K001": {"actual": 700}}
    for form in forms25:
        target = tmp_path / "in25" / form.name
        fill_return(form, target, plan, sample_actuals, 2025)
        fill_values(target, target, changes)
    collect(ws, second, tmp_path / "in25")
    found = {(f.code, f.row_key) for f in jobs.round_findings(ws, second, today=dt.date(2026, 5, 1))}
    assert {("K5", "K135"), ("K6", "K027"), ("V6", "K001")} <= found
