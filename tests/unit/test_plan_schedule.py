"""The plan master's マイルストーン and システム sheets: odd cost values kept as statuses, roadmap entries,
systems listed twice counted once, and a finding for every sheet or column dxdesk does not know."""
from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import openpyxl
import pytest

from dxdesk.plan.importer import import_plan
from dxdesk.plan.milestones import Milestone, parse_period, schedule_grade
from dxdesk.plan.systems import cost_total, parse_costs
from dxdesk.sample import write_plan_workbook
from dxdesk.store.plan_repo import load_plan, save_plan

SHIZUOKA = Path(__file__).parents[1] / "fixtures" / "plans" / "shizuoka"


@pytest.fixture(scope="module")
def shizuoka(tmp_path_factory):
    path = write_plan_workbook(SHIZUOKA, tmp_path_factory.mktemp("plan") / "計画マスタ.xlsx")
    return path, *import_plan(path)


def test_shizuoka_systems_keep_every_odd_value_as_a_status(shizuoka):
    _, plan, findings = shizuoka
    assert findings == []
    systems = plan.systems
    assert len(systems) == 17
    assert (systems["S05"].intro_cost.status, systems["S05"].planned_opex.status) == ("未定", "未定")
    assert systems["S04"].planned_opex.status == "無し" and systems["S04"].intro_cost.value == 3718
    assert systems["S13"].intro_cost.status == "シナリオにより異なる"
    assert (systems["S14"].intro_cost.status, systems["S14"].intro_cost.note) == ("無し", "県共同導入事業による")
    assert systems["S03"].intro_cost.value == 0 and systems["S03"].planned_opex.value == 0  # free national service
    assert [(c.value, c.fy) for c in systems["S07"].opex] == [(33396, 2025), (12122, 2026)]
    assert systems["S02"].opex[0].fy == 2025  # 「R8.3～」= from March 2026, in fiscal 2025
    assert all(s.intro_cost.value is None for s in systems.values() if s.intro_cost.status)
    # totals are the sums of the numeric values only
    assert cost_total([s.intro_cost for s in systems.values()]) == 558497
    assert cost_total([s.planned_opex for s in systems.values()]) == 182826
    # listed under two items (1-1-2 and, 再掲, 1-2-4): one system
    assert systems["S01"].measure_ids == ("1-1-2", "1-2-4")
    assert [s.system_id for s in plan.systems_of_measure("1-2-4")] == ["S01"]
    assert {s.section_code for s in systems.values()} <= set(plan.sections)


def test_shizuoka_roadmap_is_carried_as_milestones(shizuoka):
    _, plan, _ = shizuoka
    ms = plan.milestones_of("1-1-3")
    assert [(x.fy, x.content) for x in ms] == [(2024, "概念設計 / スマートシティ推進協議会の運営"),
                                             (2025, "基盤構築"), (2026, "サービス提供")]
    assert len(plan.milestones) == 71
    assert "ロードマップ" not in plan.measures["1-1-3"].summary


def test_milestones_and_systems_survive_the_workspace(shizuoka, tmp_path, new_workspace):
    _, plan, findings = shizuoka
    ws = new_workspace(tmp_path / "ws")
    save_plan(ws.conn, plan, findings, "x.xlsx", "2025-01-01T00:00:00")
    loaded = load_plan(ws.conn)
    assert loaded.milestones == plan.milestones
    assert loaded.systems == plan.systems
    ws.close()


def _edit(source: Path, target: Path, edit) -> Path:
    shutil.copy(source, target)
    wb = openpyxl.load_workbook(target)
    edit(wb)
    wb.save(target)
    return target


def test_unknown_or_misspelt_sheets_and_columns_are_named(shizuoka, tmp_path):
    def edit(wb):
        wb["システム"].title = "システム一覧"
        wb["マイルストーン"].cell(1, 8).value = "担当者メモ"
        header = [c.value for c in wb["指標"][1]]
        wb["指標"].cell(1, header.index("目標条件") + 1).value = "目標の条件"
    path = _edit(shizuoka[0], tmp_path / "misspelt.xlsx", edit)
    plan, findings = import_plan(path)
    p8 = {(f.sheet, f.value): f for f in findings if f.code == "P8"}
    assert set(p8) == {("システム一覧", "システム一覧"), ("マイルストーン", "担当者メモ"), ("指標", "目標の条件")}
    assert "「システム」の誤りではありませんか" in p8[("システム一覧", "システム一覧")].message
    assert "「目標条件」の誤りではありませんか" in p8[("指標", "目標の条件")].message
    assert p8[("マイルストーン", "担当者メモ")].cell == "H1"
    assert plan.systems == {}


def test_a_system_on_two_rows_is_one_system_and_units_in_headers_are_allowed(shizuoka, tmp_path):
    def edit(wb):
        ws = wb["システム"]
        header = [c.value for c in ws[1]]
        ws.cell(1, header.index("導入経費") + 1).value = "導入経費（千円）"
        row = [c.value for c in ws[3]]  # S02 again, under 1-1-2
        row[header.index("施策ID")] = "1-1-2"
        ws.append(row)
    plan, findings = import_plan(_edit(shizuoka[0], tmp_path / "twice.xlsx", edit))
    assert [f.code for f in findings] == ["M9"]
    assert "1回だけ" in findings[0].message and findings[0].value == "S02"
    assert plan.systems["S02"].measure_ids == ("1-1-3", "1-1-2")
    assert cost_total([s.intro_cost for s in plan.systems.values()]) == 558497


@pytest.mark.parametrize("text,month,ok", [
    ("", None, True), ("7月", 7, True), ("１２月", 12, True), ("第2四半期", 9, True), ("Q4", 3, True),
    ("下期", 3, True), ("上半期", 9, True), ("そのうち", None, False)])
def test_parse_period(text, month, ok):
    assert parse_period(text) == (month, ok)


def test_costs_as_real_sheets_write_them():
    assert parse_costs("【音声テキスト化サービス】132千円")[0][0].value == 132
    assert parse_costs("949千円（R7サイト更改）")[0][0].note == "サイト更改"
    assert parse_costs(3888, "R8")[0][0].fy == 2026
    assert parse_costs("シナリオにより異なる")[0][0].status == "シナリオにより異なる"
    assert parse_costs("1,000千円", "どこか")[1] is False


def test_schedule_grade_from_milestones():
    a = Milestone("M", "M-1", "設計", 2024)
    b = Milestone("M", "M-2", "構築", 2025, "第1四半期", 6)
    assert a.due == dt.date(2025, 3, 31) and b.due == dt.date(2025, 6, 30)
    assert schedule_grade([(a, "完了"), (b, "完了")], 2024) == "A"
    assert schedule_grade([(a, "完了"), (b, "実施中")], 2024) == "B"
    assert schedule_grade([(a, "実施中"), (b, "未着手")], 2024) == "C"   # due in 2024, not done
    assert schedule_grade([(a, "未着手"), (b, "未着手")], 2024) == "D"
    assert schedule_grade([(a, "完了"), (b, "延期")], 2024) == "C"
    assert schedule_grade([(a, ""), (b, "")], 2024) is None
