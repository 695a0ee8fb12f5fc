"""Every bad input gets its own Japanese message, never crashes the round, never changes the original."""
from __future__ import annotations

import hashlib
from types import SimpleNamespace
import sys
from pathlib import Path

import pytest
from openpyxl.utils import get_column_letter

from dxdesk import jobs
from dxdesk.demo import fill_return
from dxdesk.store.findings_repo import submission_findings

sys.path.insert(0, str(Path(__file__).parent))
from make_corpus import OUTSIDE_COLUMN, make_corpus  # noqa: E402

EXPECTED = {  # case → (finding code, a phrase of its message); None = skipped before reading
    "lock_owner_file": None, "thumbs_db": None, "desktop_ini": None,
    "zero_byte": ("R3", "0 バイト"),
    "csv_renamed": ("S1", "CSV"),
    "html_renamed": ("S1", "HTML"),
    "xls_renamed": ("R3", ".xls"),
    "truncated_zip": ("R3", "途中で切れて"),
    "encrypted": ("R3", "パスワード"),
    "zip_bomb": ("R3", "zip 爆弾"),
    "truncated_sheet_xml": ("R3", "開けません"),
    "ods_renamed": ("R3", "OpenDocument"),
    "other_workbook": ("S1", "スタンプ"),
    "cell_ref_four_letters": ("R3", "セル番地「ZZZZZZ30」"),
    "reader_dies": ("R3", "異常終了"),
    "zip_bad_crc": ("R3", "チェックサム"),
    "zip_name_not_utf8": ("R3", "部品名が壊れています"),
    "duplicate_zip_entry": ("R3", "同じ名前の部品が2つ"),
    "content_types_not_xml": ("R3", "構成が壊れています（[Content_Types].xml が XML として読めません）"),
    "workbook_not_declared": ("R3", "xl/workbook.xml が Excel ブックとして登録されていません"),
}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory, sample_plan_path, sample_actuals, module_databases):
    from dxdesk.store.workspace import init_workspace
    import datetime as dt
    root = tmp_path_factory.mktemp("corpus")
    ws = init_workspace(root / "ws", database=module_databases())
    jobs.import_plan(ws, sample_plan_path)
    round_ = jobs.new_round(ws, 2023, dt.date(2024, 5, 17))
    form = jobs.distribute(ws, round_).files[0]
    good = root / "good.xlsx"
    fill_return(form, good, jobs.require_plan(ws), sample_actuals, 2023)
    files = make_corpus(good, root / "inbox")
    before = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in files.values()}
    result = jobs.run_collection(ws, round_, jobs.prepare_collection(ws, round_, [root / "inbox"]))
    # every file's own findings, superseded submissions included (several cases claim the same section)
    findings = [f for sub in jobs.rr.all_submissions(ws.conn, round_.round_id)
                for f in submission_findings(ws.conn, sub.submission_id)]
    values = {sub.file_name: jobs.rr.load_values(ws.conn, sub.submission_id)
              for sub in jobs.rr.all_submissions(ws.conn, round_.round_id)}
    yield SimpleNamespace(files=files, result=result, findings=findings, before=before, values=values)
    ws.close()


@pytest.mark.parametrize("case", sorted(EXPECTED))
def test_each_case_gets_its_own_message(corpus, case):
    files, result, findings = corpus.files, corpus.result, corpus.findings
    name = files[case].name
    if EXPECTED[case] is None:
        assert name in [p.name for p, _ in result.skipped]
        return
    code, phrase = EXPECTED[case]
    mine = [f for f in findings if f.file == name and f.code in ("R3", "S1", "S2")]
    assert [f.code for f in mine] == [code]
    assert phrase in mine[0].message and name in mine[0].message and mine[0].hint


def test_an_xml_entity_bomb_is_not_expanded_and_the_file_is_still_read(corpus):
    """defusedxml refuses the bombed custom properties; calamine does not expand DTD entities, so the
    stamp sheet identifies the file and its values are read (no hang, no memory blow-up)."""
    files, result, findings = corpus.files, corpus.result, corpus.findings
    outcome = next(o for o in result.outcomes if o.path.name == files["xml_entity_bomb"].name)
    assert outcome.section_code == "S01"
    assert not [f for f in findings if f.file == outcome.path.name and f.code in ("R3", "S1")]


@pytest.mark.parametrize("case, expected", [
    ("excel_errors", [["S6", "進捗報告", "O5"], ["S6", "進捗報告", "Q6"]]),
    ("formula_never_calculated", [["S9", "進捗報告", "O5"]]),
])
def test_cells_calamine_reads_as_empty_are_told_apart(corpus, case, expected):
    files, findings = corpus.files, corpus.findings
    mine = [[f.code, f.sheet, f.cell] for f in findings if f.file == files[case].name and f.code in ("S6", "S9")]
    assert mine == expected


REFUSED_AT_A_CELL = {  # ambiguous or corrupt: an error naming the sheet and cell, so never 受理
    "same_cell_twice": [["S14", "進捗報告", "O5"]],
    "same_row_twice": [["S14", "進捗報告", "6行目"]],
    "same_row_key_twice": [["S14", "進捗報告", "5行目、30行目"]],
    "control_characters_in_text": [["V10", "進捗報告", "R5"], ["V10", "進捗報告", "S6"]],
    "actual_309_digits": [["V2", "予算・決算", "E5"], ["V2", "進捗報告", "O5"]],
}


@pytest.mark.parametrize("case", sorted(REFUSED_AT_A_CELL))
def test_ambiguous_or_corrupt_cells_are_errors_at_their_cell(corpus, case):
    name = corpus.files[case].name
    errors = sorted([f.code, f.sheet, f.cell] for f in corpus.findings if f.file == name and f.severity == "ERR"
                    and f.code in ("S14", "V10", "V2"))
    assert errors == sorted(REFUSED_AT_A_CELL[case])


STRUCTURE = {
    "sheet_renamed": [["S5", "進捗報告 (2)", ""]],
    "rows_inserted": [["S5", "進捗報告", ""]],
    "column_inserted": [["S5", "進捗報告", ""]],
    "locked_cell_changed": [["S4", "進捗報告", "I5"]],
    "extra_sheet": [["S7", "", ""]],
    "data_outside": [["S7", "進捗報告", f"{get_column_letter(OUTSIDE_COLUMN)}5"]],
    "budget_sheet_deleted": [["S5", "予算・決算", ""]],
    "merged_input_cells": [["S7", "進捗報告", "R5:S5"]],
    "far_away_cell": [["S7", "進捗報告", "XFD1048576"]],
    "sheet_copied": [["S7", "", ""]],
    "hidden_sheet_with_data": [["S7", "", ""], ["S7", "", ""]],
    "hidden_rows_and_columns": [["S7", "進捗報告", "6行目、R列、S列"]],  # openpyxl saves R:S as one <col>
    "namespaced_sheet_far_cell": [["S7", "進捗報告", "XFD1048576"]],
    "oversized_sheet_far_cell": [["S7", "進捗報告", ""]],
}


@pytest.mark.parametrize("case", sorted(STRUCTURE))
def test_structure_changes_are_reported(corpus, case):
    files, findings = corpus.files, corpus.findings
    mine = [[f.code, f.sheet, f.cell] for f in findings
            if f.file == files[case].name and f.code in ("S4", "S5", "S7")]
    assert mine == STRUCTURE[case]


@pytest.mark.parametrize("case", ["sheet_renamed", "rows_inserted", "column_inserted", "extra_sheet",
                                  "far_away_cell", "structure_protected", "sheet_copied", "defined_name_ref_error",
                                  "large_pasted_image", "namespaced_sheet_far_cell", "oversized_sheet_far_cell"])
def test_moved_input_is_still_read_exactly(corpus, case):
    values = corpus_values(corpus, case)
    assert values == corpus_values(corpus, "xlsm_return")  # the unmodified return


def corpus_values(corpus, case):
    rows = corpus.values[corpus.files[case].name]["progress"]
    return {(k, f): v.num if v.num is not None else v.text for k, row in rows.items() for f, v in row.items()}


def test_input_formula_is_read_from_its_saved_result_and_said(corpus):
    files, findings = corpus.files, corpus.findings
    name = files["input_formula_with_result"].name
    assert [[f.code, f.cell] for f in findings if f.file == name and f.code in ("S9", "S11")] == [["S11", "O5"]]
    assert corpus.values[name]["progress"]["K027"]["actual"].num == 1021


def test_a_code_excel_turned_into_a_date_is_kept_and_said(corpus):
    name = corpus.files["code_turned_into_date"].name
    info = [f for f in corpus.findings if f.file == name and f.code == "N1" and f.cell == "R5"]
    assert info and "2024/01/02" in info[0].message


def test_an_xlsm_return_is_read_like_an_xlsx(corpus):
    files, result, findings = corpus.files, corpus.result, corpus.findings
    outcome = next(o for o in result.outcomes if o.path.name == files["xlsm_return"].name)
    assert outcome.section_code == "S01"
    assert {f.code for f in findings if f.file == outcome.path.name and f.severity == "ERR"} <= {"S3"}


def test_no_case_changes_its_original(corpus):
    files, before = corpus.files, corpus.before
    assert {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in files.values()} == before
