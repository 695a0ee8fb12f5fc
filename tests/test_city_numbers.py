"""Numbers, dates and titles as a city prints them, in what dxdesk writes (issue 8 item 13)."""
from __future__ import annotations

import openpyxl

from dxdesk import jobs
from dxdesk.demo import fill_return, fill_values
from dxdesk.forms.definition import PROGRESS_SHEET


def test_consolidated_titles_carry_no_internal_round_code(sample_round):
    ws, round_, _ = sample_round
    book = openpyxl.load_workbook(jobs.consolidate(ws, round_).workbook, read_only=True)
    titles = [sheet.cell(1, 1).value for sheet in book.worksheets if sheet.max_row]
    assert titles and not [t for t in titles if t and round_.round_id in str(t)]


def test_waiver_time_is_a_date_people_read(sample_round, tmp_path, sample_actuals):
    ws, round_, forms = sample_round
    clean = tmp_path / "c.xlsx"
    fill_return(next(f for f in forms if "_S03_" in f.name), clean, jobs.require_plan(ws), sample_actuals, 2023)
    jobs.run_collection(ws, round_, jobs.prepare_collection(
        ws, round_, [fill_values(clean, tmp_path / "v4.xlsx", {"K034": {"actual": 0.33}})]))
    v4 = next(f for f in jobs.round_findings(ws, round_) if f.code == "V4")
    waived = jobs.waive(ws, round_, "S03", "V4", v4.cell, "yamada", "確認済み")
    assert "令和" in waived.waiver and "T" not in waived.waiver.split("（")[1]


def test_finding_messages_follow_the_negative_setting(sample_round, tmp_path, sample_actuals):
    ws, round_, forms = sample_round
    clean = tmp_path / "c.xlsx"
    fill_return(next(f for f in forms if "_S01_" in f.name), clean, jobs.require_plan(ws), sample_actuals, 2023)
    negative = fill_values(clean, tmp_path / "neg.xlsx", {"K027": {"actual": -5, "self_grade": "A"}})
    for style in ("△", "-"):
        ws.set_setting("negative_style", style)
        jobs.check(ws, round_) if style == "-" else jobs.run_collection(
            ws, round_, jobs.prepare_collection(ws, round_, [negative]))
        k2 = next(f for f in jobs.round_findings(ws, round_) if f.row_key == "K027" and f.code == "K2")
        assert f"実績値 {style}5" in k2.hint


def test_whole_numbers_typed_in_the_form_show_without_a_decimal(sample_round):
    _, _, forms = sample_round
    sheet = openpyxl.load_workbook(forms[0])[PROGRESS_SHEET.name]
    col = PROGRESS_SHEET.column("actual") + 1
    letter = openpyxl.utils.get_column_letter(col)
    rules = [rule for cf in sheet.conditional_formatting for rule in cf.rules
             if letter in str(cf.sqref) and rule.dxf is not None and rule.dxf.numFmt is not None]
    assert rules and rules[0].dxf.numFmt.formatCode.startswith("#,##0;")
