"""The 工程 (milestones) and 様式② (system) sheets of a section's form: built from the plan, filled as a
section would (openpyxl on copies), read back by label and row key, even when rows move or a sheet is renamed."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest

from dxdesk import jobs
from dxdesk.demo import fill_repeated, fill_return
from dxdesk.forms.schedule import MILESTONE_SHEET, SYSTEM_SHEET
from dxdesk.sample import write_plan_workbook
from dxdesk.store import rounds_repo as rr

SHIZUOKA = Path(__file__).parent / "fixtures" / "plans" / "shizuoka"
FY = 2024


@pytest.fixture()
def distributed(tmp_path, new_workspace):
    ws = new_workspace(tmp_path / "ws")
    jobs.import_plan(ws, write_plan_workbook(SHIZUOKA, tmp_path / "plan.xlsx"))
    round_ = jobs.new_round(ws, FY, dt.date(FY + 1, 5, 16))
    forms = {p.name.split("_")[1]: p for p in jobs.distribute(ws, round_).files}
    yield ws, round_, forms, jobs.require_plan(ws)
    ws.close()


def _collect(ws, round_, path):
    jobs.run_collection(ws, round_, jobs.prepare_collection(ws, round_, [path]))
    sub = rr.latest_submission(ws.conn, round_.round_id, "S01")
    return ws.conn.execute("SELECT code, sheet, cell, message FROM findings WHERE submission_id = ?",
                           (sub.submission_id,)).fetchall()


def test_a_section_gets_one_sheet_per_measure_with_milestones_and_per_system(distributed):
    _, _, forms, plan = distributed
    names = openpyxl.load_workbook(forms["S01"], read_only=True).sheetnames
    assert "工程_1-1-3" in names and "様式②_S01" in names and "様式②_S14" in names
    assert "様式②_S06" not in names  # 危機管理課's system goes to its own section
    wb = openpyxl.load_workbook(forms["S01"])
    card = wb["様式②_S05" if "様式②_S05" in names else "様式②_S02"]
    labels = [card.cell(r, 2).value for r in range(1, card.max_row + 1)]
    assert {"概要", "構成", "導入経費（千円）", "効果", "課題", "利益最大化のために何をすべきか", "今年度の運用経費（千円）",
            "今年度の利用実績"} <= set(labels)
    assert {card.cell(r, 1).value for r in range(5, card.max_row + 1)} >= {"PLAN/DO 内容", "CHECK", "ACT"}
    roadmap = wb["工程_1-1-3"]
    rows = [[c.value for c in row] for row in roadmap.iter_rows(min_row=7, max_col=5)]
    assert [r[3] for r in rows] == ["概念設計 / スマートシティ推進協議会の運営", "基盤構築", "サービス提供"]
    assert roadmap.data_validations.dataValidation  # the status dropdown
    s02 = openpyxl.load_workbook(forms["S02"], read_only=True).sheetnames
    assert "様式②_S05" in s02  # 窓口呼び出しシステム: 導入経費・運用経費 未定


def test_filled_milestones_and_system_are_read_by_label_and_row_key(distributed, tmp_path):
    ws, round_, forms, plan = distributed
    target = tmp_path / "inbox" / forms["S01"].name
    fill_return(forms["S01"], target, plan, {}, FY, reports={
        "1-1-3-R6": {"状況": "延期", "遅延理由": "協議会の設立が半年遅れたため。R7上期に概念設計を完了する。"},
        "S01": {"運用経費": "4120", "利用実績": "412000", "増減理由": "利用手続の増加によりライセンスを追加"}})
    wb = openpyxl.load_workbook(target)
    card = wb["様式②_S01"]
    card.insert_rows(6, 2)                      # rows inserted in the card
    wb["工程_1-1-3"].title = "工程（統合データ基盤）"  # a renamed sheet
    wb.save(target)
    found = _collect(ws, round_, target)
    milestones = rr.latest_values(ws.conn, round_.round_id, "milestone")["S01"]
    late = milestones["1-1-3-R6"]
    assert late["milestone_status"].text == "延期" and "協議会" in late["delay_reason"].text
    assert late["milestone_status"].sheet == "工程（統合データ基盤）"
    assert milestones["1-1-2-R6"]["milestone_status"].text == "完了"
    system = rr.latest_values(ws.conn, round_.round_id, "system")["S01"]["S01"]
    assert (system["opex_actual"].num, system["usage"].num) == (4120, 412000)
    assert system["opex_actual"].cell == "C17"  # two rows lower than distributed, found by its label
    assert not [f for f in found if f["code"] in ("S4", "S7", "V2", "V5")]


def test_a_changed_locked_cell_of_the_card_is_s4(distributed, tmp_path):
    ws, round_, forms, plan = distributed
    target = tmp_path / "inbox" / forms["S01"].name
    fill_return(forms["S01"], target, plan, {}, FY)
    wb = openpyxl.load_workbook(target)
    fill_repeated(wb, SYSTEM_SHEET, {"S01": {"intro_cost": "0"}})
    fill_repeated(wb, MILESTONE_SHEET, {"1-1-3-R7": {"milestone_status": "おわった"}})
    wb.save(target)
    found = _collect(ws, round_, target)
    assert sorted((f["code"], f["sheet"], f["cell"]) for f in found if f["code"] in ("S4", "V5")) == [
        ("S4", "様式②_S01", "C12"), ("V5", "工程_1-1-3", "H8")]
