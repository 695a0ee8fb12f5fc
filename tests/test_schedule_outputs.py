"""End to end through forms filled as sections would: the Shizuoka plan's milestones and systems come back
as the consolidated workbook's ロードマップ (delays marked 遅), システム一覧 (totals of the numeric values only,
each odd value kept as written) and one 様式② sheet per system."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest

from dxdesk import jobs
from dxdesk.demo import fill_return
from dxdesk.outputs.packs import write_pack_xlsx
from dxdesk.sample import write_plan_workbook
from dxdesk.store.workspace import init_workspace

SHIZUOKA = Path(__file__).parent / "fixtures" / "plans" / "shizuoka"
FY = 2024


ITEM = "行政サービスのオンライン化"


def _with_items(path: Path) -> Path:
    wb = openpyxl.load_workbook(path)
    sheet = wb.create_sheet("重点項目")
    sheet.append(["項目", "As-Is", "Gap", "To-Be"])
    sheet.append([ITEM, "オンラインで完結する手続が限られている（テスト用の文）", "年間受付件数の多い手続が未対応",
                  "主な手続がオンラインで完結する"])
    wb.save(path)
    return path


@pytest.fixture(scope="module")
def round_ws(tmp_path_factory, module_databases):
    tmp = tmp_path_factory.mktemp("round")
    ws = init_workspace(tmp / "ws", database=module_databases())
    imported = jobs.import_plan(ws, _with_items(write_plan_workbook(SHIZUOKA, tmp / "plan.xlsx")))
    assert imported.findings == [] and ITEM in imported.plan.items
    round_ = jobs.new_round(ws, FY, dt.date(FY + 1, 5, 16))
    plan = jobs.require_plan(ws)
    reports = {"3-1-1-R6": {"状況": "延期", "遅延理由": "地元協議に時間を要した。R7上期に策定する。"},
               "S01": {"運用経費": "4120", "利用実績": "412000"},
               "S17": {"運用経費": "20000", "利用実績": "", "増減理由": ""}}
    for form in jobs.distribute(ws, round_).files:
        fill_return(form, tmp / "inbox" / form.name, plan, {}, FY, reports=reports)
    jobs.run_collection(ws, round_, jobs.prepare_collection(ws, round_, [tmp / "inbox"]))
    done = jobs.consolidate(ws, round_)
    yield ws, round_, done
    ws.close()


@pytest.fixture(scope="module")
def book(round_ws):
    return openpyxl.load_workbook(round_ws[2].workbook)


def _rows(ws, first=4):
    return [list(r) for r in ws.iter_rows(min_row=first, values_only=True)]


def test_roadmap_is_measures_by_year_with_delays_marked(book):
    ws = book["ロードマップ"]
    header = _rows(ws)[0]
    assert header[6:9] == ["R6(2024)", "R7(2025)", "R8(2026)"]
    rows = {r[1]: r for r in _rows(ws, 5) if r[1]}
    assert rows["3-1-1"][6].startswith("遅 ビジョンの策定") and rows["3-1-1"][5] == "C"
    assert "地元協議" in rows["3-1-1"][9]
    assert rows["1-1-3"][7] == "基盤構築［実施中］" and rows["1-1-3"][5] == "—"  # KPI-managed: not graded here
    fill = ws.cell(5 + list(rows).index("3-1-1"), 7).fill.fgColor.rgb
    assert fill.endswith("F8CBAD")


def test_systems_table_totals_the_numbers_only_and_keeps_odd_values(book):
    ws = book["システム一覧"]
    rows = _rows(ws)
    header, body = rows[0], rows[1:]
    col = {h: i for i, h in enumerate(header)}
    by_id = {r[0]: r for r in body if r[0] and r[0].startswith("S")}
    assert len(by_id) == 17  # 電子申請システム is listed under 1-1-2 and 1-2-4: counted once
    intro, planned = col["導入経費（千円）"], col["運用経費（計画・最新）"]
    assert by_id["S05"][intro] == "未定" and by_id["S10"][planned] == "未定"
    assert by_id["S13"][intro] == "シナリオにより異なる"
    assert by_id["S14"][intro] == "無し（県共同導入事業による）" and by_id["S04"][planned] == "無し"
    assert by_id["S03"][intro] == 0
    total = next(r for r in body if r[0] == "合計（数値のみ）")
    assert total[intro] == 558497 == sum(r[intro] for r in by_id.values() if isinstance(r[intro], (int, float)))
    assert total[planned] == 182826
    s01 = by_id["S01"]
    assert s01[col["今年度の運用経費（千円）"]] == 4120 and s01[col["今年度の利用実績"]] == 412000
    assert s01[col["利用1件あたりの運用経費（千円）"]] == pytest.approx(0.01)


def test_one_yoshiki2_sheet_per_system(book):
    cards = [n for n in book.sheetnames if n.startswith("様式②_")]
    assert len(cards) == 17
    ws = book["様式②_S01"]
    labels = {r[1]: r[2] for r in ws.iter_rows(min_row=4, values_only=True)}
    assert labels["今年度の運用経費（千円）"] == 4120 and labels["今年度の利用実績"] == "412,000 件"
    assert "ノーコード電子申請システム" in labels["効果"]
    assert {r[0] for r in ws.iter_rows(min_row=4, values_only=True)} >= {"PLAN/DO 内容", "CHECK", "ACT"}


def test_packs_carry_the_systems_and_the_public_pack_a_yoshiki1_per_item(round_ws, tmp_path):
    ws, round_, _ = round_ws
    data = jobs.round_data(ws, round_)
    written = {pack: write_pack_xlsx(tmp_path / f"{pack}.xlsx", data, pack) for pack in ("hq", "public", "audit")}
    sheets = {pack: openpyxl.load_workbook(path, read_only=True).sheetnames for pack, path in written.items()}
    for pack in ("hq", "audit"):
        assert {"ロードマップ", "システム一覧", "様式②_S01"} <= set(sheets[pack])
    assert "システム一覧" not in sheets["public"] and "ロードマップ" not in sheets["public"]
    public = openpyxl.load_workbook(written["public"])
    first = public["様式①_01"]
    cells = [c for row in first.iter_rows(values_only=True) for c in row if c not in (None, "")]
    assert f"様式①　市民の利便性向上 ＞ {ITEM}" in cells
    assert "オンラインで完結する手続が限られている（テスト用の文）" in cells
    assert any("電子申請システム（DX推進課）" in str(c) for c in cells)
    assert "基盤構築" in cells and "電子申請システムの年間受付件数" in cells
