"""The plan master: the bundled sample, the Shizuoka fixture, and bad rows named by sheet, cell, column."""
from pathlib import Path

import openpyxl
import pytest

from dxdesk.plan.importer import import_plan
from dxdesk.rules.findings import flatten


def test_sample_plan_imports_completely(sample_plan_path):
    plan, findings = import_plan(sample_plan_path)
    assert findings == []
    assert (len(plan.sections), len(plan.measures), len(plan.kpis)) == (19, 34, 155)
    assert plan.level_names == ("分野", "重点課題")
    assert plan.name == "佐世保市DX推進計画（サンプル）"
    paperless = next(k for k in plan.kpis.values() if k.name.startswith("ペーパーレス度"))
    assert (paperless.direction, paperless.baseline, paperless.target, paperless.unit) == ("減少", 100.0, 30.0, "%")
    assert plan.year_target(paperless.kpi_id, 2023) == 85.0
    assert {h.fy for h in plan.history} == {2021, 2022}


def test_shizuoka_floors_cumulative_relisted_and_qualitative(shizuoka_plan_path):
    plan, findings = import_plan(shizuoka_plan_path)
    assert findings == []
    assert plan.level_names == ("柱", "重点項目")
    assert any(k.comparator == "以上" and k.baseline is not None and k.target < k.baseline for k in plan.kpis.values())
    assert any(k.basis == "累計" for k in plan.kpis.values())
    assert any(k.relisted_of for k in plan.kpis.values())
    assert any(k.target is None and k.target_text for k in plan.kpis.values())


def _broken_copy(source: Path, target: Path) -> Path:
    wb = openpyxl.load_workbook(source)
    ws = wb["指標"]
    header = [c.value for c in ws[1]]
    col = {name: i + 1 for i, name in enumerate(header)}
    ws.cell(2, col["方向"]).value = "上向き"        # not a direction
    ws.cell(3, col["基準値"]).value = "約100"       # not a number
    ws.cell(4, col["施策ID"]).value = "M99-9"       # unknown measure
    ws.append([c.value for c in ws[8]])            # duplicate id (a pasted row)
    ws.cell(7, col["目標年度"]).value = "R9年度 (2026)"  # contradicting year
    measures = wb["施策"]
    last = measures.max_row
    measures.cell(last, 7).value = "6"            # stage 6 does not exist
    wb.save(target)
    return target


def test_bad_rows_are_named_by_sheet_cell_and_column(sample_plan_path, tmp_path):
    plan, findings = import_plan(_broken_copy(sample_plan_path, tmp_path / "bad.xlsx"))
    assert flatten(findings, ["code", "sheet", "cell"]) == [
        ["P3", "施策", "G35"],
        ["P3", "指標", "F2"],
        ["P3", "指標", "H3"],
        ["P5", "指標", "B4"],
        ["P3", "指標", "K7"],
        ["P4", "指標", "A157"],
    ] + [["P7", "施策", ""]] + [["P7", "指標", ""]] * 5
    assert "上向き" in findings[1].message and "増加" in findings[1].hint
    # rows that depend on a rejected row are counted once per parent, not reported one by one
    assert [f.value for f in findings if f.code == "P7"] == ["X02-1", "K006", "K001", "K002", "K003", "K155"]
    assert len(plan.kpis) < 155


def test_missing_sheet_and_column(tmp_path):
    wb = openpyxl.Workbook()
    wb.active.title = "課所室"
    wb["課所室"].append(["課コード", "部局"])
    wb.create_sheet("施策").append(["施策ID", "施策名"])
    path = tmp_path / "thin.xlsx"
    wb.save(path)
    plan, findings = import_plan(path)
    assert flatten(findings, ["code", "sheet", "expected"]) == [
        ["P2", "課所室", "課所室名"], ["P2", "施策", "担当課コード"], ["P2", "施策", "ライフサイクル段階"],
        ["P1", "指標", ""],
    ]
    assert not plan.measures


def test_percent_formatted_cells_become_percent_numbers(tmp_path, sample_plan_path):
    wb = openpyxl.load_workbook(sample_plan_path)
    ws = wb["指標"]
    header = [c.value for c in ws[1]]
    col = {name: i + 1 for i, name in enumerate(header)}
    row = next(r for r in range(2, ws.max_row + 1) if ws.cell(r, col["単位"]).value == "%"
               and isinstance(ws.cell(r, col["基準値"]).value, (int, float)))
    original = ws.cell(row, col["基準値"]).value
    ws.cell(row, col["基準値"]).value = original / 100
    ws.cell(row, col["基準値"]).number_format = "0.0%"
    wb.save(tmp_path / "pct.xlsx")
    plan, _ = import_plan(tmp_path / "pct.xlsx")
    assert plan.kpis[ws.cell(row, col["指標ID"]).value].baseline == pytest.approx(original)
