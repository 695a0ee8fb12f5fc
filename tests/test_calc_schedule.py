"""A 工程 sheet and a 様式② card filled and saved by LibreOffice Calc (through UNO, as a section would) are
read back by label and row key, and Calc's recalculated cost per use is in the file."""
from __future__ import annotations

import pytest
from python_calamine import CalamineWorkbook

from dxdesk import jobs
from dxdesk.forms.schedule import MILESTONE_SHEET
from dxdesk.store import rounds_repo as rr
from lo.calc import NEEDS_CALC, fill_with_calc

pytestmark = NEEDS_CALC
COL = {f.key: MILESTONE_SHEET.column(f.key) for f in MILESTONE_SHEET.fields}


def test_milestones_and_a_system_card_filled_and_saved_by_calc(sample_round, tmp_path):
    ws, round_, forms = sample_round
    form = next(f for f in forms if "_S01_" in f.name)
    fills = [
        {"sheet": "工程_X01-1", "key_column": 0, "values": {
            "X01-1-1": {COL["milestone_status"]: "完了", COL["done_month"]: "2024/2"},
            "X01-1-2": {COL["milestone_status"]: "実施中"}}},
        {"sheet": "様式②_SYS01", "key_column": 1, "values": {
            "今年度の運用経費（千円）": {2: 1073}, "今年度の利用実績": {2: 298621},
            "増減理由・備考": {2: "R8 の額は対象手続の拡大後の見込み。今年度は現行契約の額。"}}},
    ]
    saved = fill_with_calc(form, tmp_path, fills)
    card = CalamineWorkbook.from_path(str(saved)).get_sheet_by_name("様式②_SYS01").to_python(skip_empty_area=False)
    by_label = {row[1]: row[2] for row in card if len(row) > 2}
    assert by_label["利用1件あたりの運用経費（千円）"] == pytest.approx(1073 / 298621)  # Calc's own result

    jobs.run_collection(ws, round_, jobs.prepare_collection(ws, round_, [saved]))
    milestones = rr.latest_values(ws.conn, round_.round_id, "milestone")["S01"]
    assert milestones["X01-1-1"]["milestone_status"].text == "完了"
    assert milestones["X01-1-1"]["done_month"].text == "2024-02-01"
    assert milestones["X01-1-2"]["milestone_status"].text == "実施中"
    system = rr.latest_values(ws.conn, round_.round_id, "system")["S01"]["SYS01"]
    assert (system["opex_actual"].num, system["usage"].num) == (1073, 298621)
    assert system["opex_reason"].text.startswith("R8 の額は")
    sub = rr.latest_submission(ws.conn, round_.round_id, "S01")
    codes = {r[0] for r in ws.conn.execute("SELECT code FROM findings WHERE submission_id = ?", (sub.submission_id,))}
    assert not codes & {"S4", "S5", "S7", "V2", "V5", "M7"}
