"""L1, L2, V1 from the 工程 sheets and M6–M8 from the 様式② cards: each breaks on a realistic return (the
Shizuoka plan's forms filled with openpyxl) and stays quiet on a clean one."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest

from dxdesk.demo import fill_repeated, fill_return
from dxdesk.forms.builder import RoundInfo, build_form
from dxdesk.forms.definition import PROGRESS_FORM
from dxdesk.forms.schedule import MILESTONE_SHEET, SYSTEM_SHEET
from dxdesk.intake.parse import Parser
from dxdesk.intake.reader import read_workbook
from dxdesk.plan.importer import import_plan
from dxdesk.rules.book import default_rulebook
from dxdesk.rules.engine import CheckContext, run_rules
from dxdesk.rules.library import RULES
from dxdesk.sample import write_plan_workbook

FY = 2024
INFO = RoundInfo("FY2024-1", FY, dt.date(2025, 5, 16), "DX推進課", "内線 0000", "pw")
SHIZUOKA = Path(__file__).parents[1] / "fixtures" / "plans" / "shizuoka"
CODES = ("L1", "L2", "V1", "M6", "M7", "M8")


@pytest.fixture(scope="module")
def plan(tmp_path_factory):
    return import_plan(write_plan_workbook(SHIZUOKA, tmp_path_factory.mktemp("plan") / "plan.xlsx"))[0]


@pytest.fixture
def check(plan, tmp_path):
    def run(code: str, milestones: dict | None = None, systems: dict | None = None, book=None):
        form = tmp_path / f"{code}.xlsx"
        build_form(form, PROGRESS_FORM, plan, plan.sections[code], INFO)
        filled = tmp_path / f"{code}_filled.xlsx"
        fill_return(form, filled, plan, {}, FY)
        wb = openpyxl.load_workbook(filled)
        fill_repeated(wb, MILESTONE_SHEET, milestones or {})
        fill_repeated(wb, SYSTEM_SHEET, systems or {})
        wb.save(filled)
        parser = Parser(plan, filled.name, code, FY)
        parsed = parser.parse(read_workbook(filled), PROGRESS_FORM)
        ctx = CheckContext(plan, PROGRESS_FORM, FY, filled.name, code, parsed, book or default_rulebook())
        return [f for f in parser.findings + run_rules(ctx, RULES) if f.code in CODES]

    return run


def test_a_clean_return_has_no_schedule_or_system_findings(check):
    assert check("S08") == []
    found = check("S01")
    assert {f.code for f in found} == {"M6"}  # 標準化 (S10): running cost 未定 in the plan, so left empty
    assert [f.row_key for f in found] == ["S10"] and "未定" in found[0].message


def test_l1_a_due_milestone_of_a_schedule_managed_measure_without_status(check):
    found = check("S08", {"3-1-1-R6": {"milestone_status": None}, "3-1-1-R7": {"milestone_status": None},
                          "3-3-1-R6": {"milestone_status": None}})  # 3-3-1 is KPI-managed: optional
    assert [(f.code, f.sheet, f.cell) for f in found] == [("L1", "工程_3-1-1", "H7")]
    assert "ビジョンの策定" in found[0].message


def test_l2_and_v1_an_overdue_milestone_graded_b(check):
    found = check("S08", {"3-1-1-R6": {"milestone_status": "実施中", "done_month": None}})
    assert sorted((f.code, f.sheet) for f in found) == [("L2", "進捗報告"), ("V1", "工程_3-1-1")]
    l2 = next(f for f in found if f.code == "L2")
    assert "2025年3月31日" in l2.message and "ビジョンの策定" in l2.message and l2.expected == "C"
    reason = {"3-1-1-R6": {"milestone_status": "延期", "done_month": None, "delay_reason": "有識者会議の日程調整で遅れた。R7上期に策定。"}}
    assert [f.code for f in check("S08", reason)] == ["L2"]


def test_m7_and_m8_running_cost_and_cost_per_use(check):
    found = check("S01", {}, {"S01": {"opex_actual": 9000, "usage": 412000},
                              "S10": {"opex_actual": 0, "opex_reason": "R7は移行前のため費用なし"}})
    assert sorted((f.code, f.row_key) for f in found) == [("M7", "S01"), ("M8", "S01")]
    m7 = next(f for f in found if f.code == "M7")
    assert "3,888" in m7.message and "2.31" in m7.message and "1.5" in m7.message
    m8 = next(f for f in found if f.code == "M8")
    assert "0.022" in m8.message and "件" in m8.message
    quiet = check("S01", {}, {"S01": {"opex_actual": 9000, "opex_reason": "ライセンス追加"},
                              "S10": {"opex_actual": 0}})
    assert [f.code for f in quiet] == []
