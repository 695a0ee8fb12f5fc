"""The consolidated workbook: its sheets, native charts with the right series, legible print, 部局別, golden parts."""
from __future__ import annotations

import dataclasses
import datetime as dt
import os
import shutil
from pathlib import Path

import openpyxl
import pytest

from dxdesk import jobs
from dxdesk.outputs.consolidated import write_consolidated
from dxdesk.outputs.departments import CITY
from dxdesk.outputs.numfmt import excel_format
from dxdesk.outputs.previous import previous_year
from dxdesk.store.workspace import open_workspace
from print_size import print_sizes
from xlsx_parts import charts, parts

EXPECTED = Path(__file__).parent / "golden" / "expected"
SHEETS = ["概要", "分野別集計", "達成率", "施策・指標一覧", "指標推移", "部局別", "予算・決算", "ロードマップ", "システム一覧"] + [
    f"様式②_SYS0{n}" for n in range(1, 8)] + ["回収状況", "指摘一覧", "適用ルール"]


def test_consolidated_workbook_has_the_sheets_in_order(demo_round):
    book = openpyxl.load_workbook(demo_round.workbook, read_only=True)
    assert book.sheetnames == SHEETS


def test_every_printed_sheet_is_8pt_or_more(demo_round):
    forms = sorted((demo_round.root / "workspace" / "out" / "FY2023-1" / "配布").glob("*.xlsx"))
    for path in [demo_round.workbook, forms[0]]:
        sizes = print_sizes(path)
        assert sizes and all(s.effective >= 8 for s in sizes), [(s.sheet, s.paper, s.effective) for s in sizes]
    wide = {s.sheet: s.paper for s in print_sizes(demo_round.workbook)}
    assert wide["施策・指標一覧"] == "A3" and wide["概要"] == "A4"


def test_every_chart_is_native_with_its_series(demo_round):
    found = charts(demo_round.workbook)
    by_sheet = {}
    for chart in found:
        by_sheet.setdefault(chart.sheet, []).append(chart)
    pillar = by_sheet["分野別集計"][0]
    assert pillar.types == ("barChart:bar:stacked",)
    book = openpyxl.load_workbook(demo_round.workbook)
    column_a = [c.value for c in book["分野別集計"]["A"]]
    last = column_a.index("合計")  # 1-based row of the last pillar
    assert [s.values for s in pillar.series][:4] == [f"分野別集計!${c}$5:${c}${last}" for c in "BCDE"]
    assert [s.name for s in pillar.series][:4] == [f"分野別集計!${c}$4" for c in "BCDE"]
    assert all(s.categories == f"分野別集計!$A$5:$A${last}" for s in pillar.series)
    for chart in by_sheet["達成率"]:
        assert chart.types == ("barChart:col:clustered", "lineChart")
        bar, line = chart.series
        assert bar.values.startswith("達成率!$C$") and line.values.startswith("達成率!$D$")
        assert bar.categories == line.categories
    sheet = book["達成率"]
    first = by_sheet["達成率"][0].series[1].values.split("!")[1].replace("$", "").split(":")
    assert {sheet[ref].value for ref in first} == {1.0}  # the 100 % line
    trends = by_sheet["指標推移"]
    assert trends and all(c.types == ("lineChart",) for c in trends)
    header = [c.value for c in book["指標推移"][4]]
    assert header[3] == "基準値" and header[-1] == "目標値" and "R5(2023)" in header
    assert all(s.categories == f"指標推移!$D$4:${chr(64 + len(header))}$4" for c in trends for s in c.series)
    budget = by_sheet["予算・決算"]
    assert len(budget) == 1 and budget[0].types == ("barChart:col:clustered",)
    assert [s.name for s in budget[0].series] == [s.name for s in budget[0].series if s.name.startswith("'予算・決算'!")]
    budget_sheet = book["予算・決算"]
    name_cells = [budget_sheet[s.name.split("!")[1].replace("$", "")].value for s in budget[0].series]
    assert name_cells == ["予算額（千円）", "決算額（千円）"]


def test_numbers_are_numbers_and_formats_follow_the_column(demo_round):
    sheet = openpyxl.load_workbook(demo_round.workbook)["施策・指標一覧"]
    header = [c.value for c in sheet[4]]
    assert "前年度実績" in header and "差" in header
    col = {name: i for i, name in enumerate(header)}
    rows = [r for r in sheet.iter_rows(min_row=5) if r[col["実績値"]].value is not None]
    assert rows and all(isinstance(r[col["実績値"]].value, (int, float)) for r in rows)
    assert all(r[col["達成率"]].number_format == '0.0%;"△"0.0%' for r in rows if r[col["達成率"]].value is not None)
    for r in rows:  # a whole number without .0, others with decimals; negatives as △ (numfmt)
        assert r[col["実績値"]].number_format == excel_format(r[col["実績値"]].value)
    diffs = [r for r in rows if r[col["前年度実績"]].value is not None]
    assert diffs
    for r in diffs:
        assert r[col["差"]].value == pytest.approx(r[col["実績値"]].value - r[col["前年度実績"]].value)
    assert sheet.tables and list(sheet.tables.values())[0].autoFilter is not None


def test_department_table_rows_and_previous_from_history(demo_round):
    with open_workspace(demo_round.root / "workspace") as ws:
        round_ = jobs.resolve_round(ws)
        data = jobs.round_data(ws, round_)
    depts = [d.dept for d in data.departments]
    assert depts[-1] == CITY and len(depts) == len(set(depts)) > 2
    city = data.departments[-1]
    returned = sum(s.status != "未提出" for s in data.statuses)
    assert city.current["returned"] == returned
    assert sum(d.current["returned"] for d in data.departments[:-1]) == returned
    assert data.previous.source.startswith("計画マスタの実績")
    assert city.previous["execution"] is not None  # the plan master's 2022 budget and settlement
    graded = sum(city.current[f"grade_{g}"] for g in "ABCD")
    assert graded == sum(1 for r in data.records if not r.relisted and r.judgement.grade in tuple("ABCD"))
    sheet = openpyxl.load_workbook(demo_round.workbook)["部局別"]
    texts = [c.value for row in sheet.iter_rows() for c in row if isinstance(c.value, str)]
    assert "今回" in texts and "前回" in texts and "増減" in texts and "【定義】" in texts


def test_previous_comes_from_the_previous_round_when_there_is_one(workspace, sample_plan_path):
    jobs.import_plan(workspace, sample_plan_path)
    jobs.new_round(workspace, 2022, dt.date(2023, 5, 17))
    this = jobs.new_round(workspace, 2023, dt.date(2024, 5, 17))
    previous = previous_year(workspace.conn, jobs.require_plan(workspace), this,
                             lambda r: jobs.statuses(workspace, r))
    assert previous.source == "照会 FY2022-1" and previous.returned and not any(previous.returned.values())


def fixed_time_data(demo_round):
    """The demo round's dataset with its times fixed (received, generated), so the files compare exactly."""
    with open_workspace(demo_round.root / "workspace") as ws:
        data = jobs.round_data(ws, jobs.resolve_round(ws), today=dt.date(2024, 6, 3))
    when = "2024-05-20T10:00:00"
    data.generated_at = "令和6年6月3日 9:00"
    data.records = [dataclasses.replace(r, received_at=when if r.received_at else "") for r in data.records]
    data.statuses = [dataclasses.replace(s, received_at=when if s.received_at else "") for s in data.statuses]
    return data


def assert_golden(path: Path, expected_path: Path) -> None:
    if os.environ.get("DXDESK_REGEN_GOLDEN"):
        shutil.copy(path, expected_path)
    expected, got = parts(expected_path), parts(path)
    assert list(got) == list(expected)
    for name in expected:
        assert got[name] == expected[name], f"{name} differs — regenerate with DXDESK_REGEN_GOLDEN=1 and review"


def test_consolidated_workbook_golden(demo_round, tmp_path):
    """Part by part against tests/golden/expected (DXDESK_REGEN_GOLDEN=1 rewrites it; review the diff)."""
    path = write_consolidated(tmp_path / "集約.xlsx", fixed_time_data(demo_round))
    assert_golden(path, EXPECTED / "集約_demo.xlsx")


def test_department_table_on_the_koriyama_hq_plan(tmp_path, new_workspace):
    """Koriyama's HQ-meeting departments (tests/fixtures/plans/koriyama, from its published tables): one row
    per department in plan order and 全体; 前回 from the previous HQ meeting's figures (the plan's 2022 actuals)."""
    from dxdesk.demo import fill_return
    from dxdesk.sample import read_csv, write_plan_workbook

    plan_dir = Path(__file__).parent / "fixtures" / "plans" / "koriyama"
    actuals = {r["指標ID"]: r for r in read_csv(plan_dir / "今年度実績.csv")}
    depts = list(dict.fromkeys(r["部局"] for r in read_csv(plan_dir / "課所室.csv")))
    with new_workspace(tmp_path / "ws") as ws:
        jobs.import_plan(ws, write_plan_workbook(plan_dir, tmp_path / "plan.xlsx"))
        round_ = jobs.new_round(ws, 2023, dt.date(2024, 5, 17))
        forms = jobs.distribute(ws, round_).files
        plan = jobs.require_plan(ws)
        for form in forms[:-1]:  # the last department has not returned
            fill_return(form, tmp_path / "inbox" / form.name, plan, actuals, 2023)
        jobs.run_collection(ws, round_, jobs.prepare_collection(ws, round_, [tmp_path / "inbox"]))
        data = jobs.round_data(ws, round_)
    reporting = [d for d in depts if any(s.dept == d for s in plan.reporting_sections())]
    assert [d.dept for d in data.departments] == reporting + [CITY]
    city = data.departments[-1]
    assert city.current["returned"] == len(forms) - 1 and data.departments[-2].current["returned"] == 0
    assert data.previous.source == "計画マスタの実績" and city.previous["returned"] > 0
    for d in data.departments:
        for key, now in d.current.items():
            before = d.previous.get(key)
            assert d.difference(key) == (None if now is None or before is None else now - before)
