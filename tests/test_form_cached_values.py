"""The form as a section meets it (issue 8 items 16, 18): an untouched form read without recalculation (calamine,
LibreOffice, Excel's Protected View) shows what its formulas compute — the same values LibreOffice computes
itself — and 段階 shows its name, with a legend on the cover."""
from __future__ import annotations

import shutil

import pytest
from python_calamine import CalamineWorkbook

from dxdesk.forms.definition import COVER_SHEET_NAME, PROGRESS_SHEET
from dxdesk.plan.model import STAGE_NAMES
from lo.calc import HAS_UNO, NO_UNO, fill_with_calc

COL = {f.key: PROGRESS_SHEET.column(f.key) for f in PROGRESS_SHEET.fields}


def sheets_of(path) -> dict[str, list[list]]:
    book = CalamineWorkbook.from_path(str(path))
    return {name: book.get_sheet_by_name(name).to_python(skip_empty_area=False) for name in book.sheet_names
            if not name.startswith("_")}


def test_untouched_form_shows_its_computed_values(sample_round):
    _, _, forms = sample_round
    sheets = sheets_of(next(f for f in forms if "_S01_" in f.name))
    rows = [r for r in sheets[PROGRESS_SHEET.name][PROGRESS_SHEET.header_row:] if r[0]]
    # rows shown read-only (再掲 entered at home, 共同担当 entered by the 主担当) need no input: no check
    entered = [r for r in rows if r[COL["self_check"]]]
    checks = [r[COL["self_check"]] for r in entered]
    assert entered and all(checks)  # every row the section enters still needs its inputs
    assert len(entered) >= len(rows) - 20  # only the 再掲 and 共同担当 rows of S01 (shown read-only) have none
    assert "自己評価が未入力" in checks[0]
    cover = {r[0]: r[1] for r in sheets[COVER_SHEET_NAME] if r and r[0]}
    assert cover["要確認の行"] == f"{len(entered)} 行（0 行になれば入力完了です）"


def test_stage_shows_its_name_and_the_cover_explains_it(sample_round):
    _, _, forms = sample_round
    sheets = sheets_of(next(f for f in forms if "_S01_" in f.name))
    stages = {r[COL["stage"]] for r in sheets[PROGRESS_SHEET.name][PROGRESS_SHEET.header_row:] if r[0]}
    assert "2（拡大期）" in stages and "2" not in stages
    text = "\n".join(str(c) for r in sheets[COVER_SHEET_NAME] for c in r if c)
    assert "段階の見方" in text and all(name in text for name in STAGE_NAMES.values())


@pytest.mark.libreoffice
@pytest.mark.skipif(not HAS_UNO, reason=NO_UNO)
def test_cached_values_are_what_libreoffice_computes(sample_round, tmp_path):
    _, _, forms = sample_round
    form = next(f for f in forms if "_S09_" in f.name)  # KPI and schedule-managed measures
    saved = fill_with_calc(form, tmp_path, [{"sheet": PROGRESS_SHEET.name, "key_column": 0, "values": {}}])
    ours, calc = sheets_of(form), sheets_of(saved)
    for name, rows in ours.items():
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                theirs = calc[name][r][c] if r < len(calc[name]) and c < len(calc[name][r]) else ""
                if isinstance(value, float) or isinstance(theirs, float):
                    assert value == pytest.approx(theirs), (name, r, c)
                else:
                    assert value == theirs, (name, r, c)


def _budget_check(path, sheets=None):
    """{measure id: the live check on its 事業費計 row}, as a reader without recalculation sees it."""
    from dxdesk.forms.definition import BUDGET_SHEET, BUDGET_TOTAL
    rows = (sheets or sheets_of(path))[BUDGET_SHEET.name]
    col = {f.key: BUDGET_SHEET.column(f.key) for f in BUDGET_SHEET.fields}
    return {r[0]: r[col["budget_check"]] for r in rows[BUDGET_SHEET.header_row:]
            if r and r[col["budget_item"]] == BUDGET_TOTAL}


def test_project_total_is_checked_live_on_the_form(sample_round):
    _, _, forms = sample_round
    checks = _budget_check(next(f for f in forms if "_S01_" in f.name))
    assert checks and all("科目の合計" in text for text in checks.values())  # pre-filled total, no breakdown yet


@pytest.mark.libreoffice
@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice がありません")
def test_project_total_check_as_calc_computes_it(sample_round, tmp_path, sample_actuals):
    import openpyxl
    from dxdesk import jobs
    from dxdesk.demo import fill_return
    from dxdesk.forms.definition import BUDGET_SHEET
    from test_libreoffice import resave_with_libreoffice
    ws, _, forms = sample_round
    form = next(f for f in forms if "_S01_" in f.name)
    filled = tmp_path / "filled" / form.name
    fill_return(form, filled, jobs.require_plan(ws), sample_actuals, 2023)  # breakdowns that add up
    wb = openpyxl.load_workbook(filled)
    sheet = wb[BUDGET_SHEET.name]
    col = {f.key: BUDGET_SHEET.column(f.key) + 1 for f in BUDGET_SHEET.fields}
    row = next(r for r in range(5, sheet.max_row + 1) if sheet.cell(r, col["budget_item"]).value == "委託料"
               and isinstance(sheet.cell(r, col["settlement"]).value, (int, float)))
    broken = sheet.cell(row, 1).value
    sheet.cell(row, col["settlement"]).value += 5  # 科目 no longer add up to the total's settlement
    wb.save(filled)
    checks = _budget_check(resave_with_libreoffice(filled, tmp_path / "calc", tmp_path / "lo-profile"))
    assert "科目の合計" in checks[broken] and "決算" in checks[broken]
    assert [m for m, text in checks.items() if text and m != broken] == []
