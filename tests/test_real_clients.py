"""Returns typed the way a person types, in real spreadsheet clients: LibreOffice Calc (ja-JP and en-US,
keystroke-equivalent input through the dispatcher, so Calc's own number, date and % recognition runs) and
Gnumeric (ssconvert). Every typed value of every case is either stored as meant, or refused with a finding
at its cell — never silently stored as something else.

The corpus is generated at test time (one LibreOffice start per locale): tests/lo/type_with_calc.py."""
from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess

import pytest

from dxdesk import jobs
from dxdesk.forms.definition import BUDGET_SHEET, PROGRESS_SHEET, STAMP_SHEET_NAME
from dxdesk.intake.collect import Checker, read_and_check
from dxdesk.outputs.dataset import round_records
from dxdesk.sample import SAMPLE_DIR, write_plan_workbook
from dxdesk.store.workspace import init_workspace, open_workspace
from lo.calc import NEEDS_CALC, run_driver

SSCONVERT = shutil.which("ssconvert")
pytestmark = NEEDS_CALC

P, B = PROGRESS_SHEET.name, BUDGET_SHEET.name
FY = 2023
PASSWORD = "dxdesk"  # the default sheet password (settings.py)

# (sheet, cell, typed, expected): a number / text / date stored as meant, (number, code) stored with a
# warning of that code at its cell, or ("refused", code) — a finding of that code at that cell and nothing stored. Rows of the S01 form: K027 5, K028 6, K031 7, K032 8, K035 9,
# K036 10, K126 20 (K112 11 re-lists K027: locked, not read); budget G01-1: 科目 5–8, 事業費計 9, 財源 10–11; G01-3 事業費計 16.
REFUSED = "refused"
TYPED_S01 = [
    (P, "O5", "3/4", (REFUSED, "V8")),           # three of four procedures → 4 March (serial 46085)
    (P, "O6", "72%", (REFUSED, "V4")),           # 0.72 for a % KPI whose figures are tens of percent
    (P, "O7", "2024/3/31", (REFUSED, "V8")),     # a date typed into the actual (45382)
    (P, "O8", "３", 3.0),
    (P, "O9", "△5", -5.0),
    (P, "O10", "28", 28.0),
    (P, "O20", "1,021", (1021.0, "V6")),        # K126 施設: more than 10× last year (29)
    (P, "O14", "120", (120.0, "V6")),            # K115 has no history: 15× its target of 8 is worth a warning
    (P, "Q5", "Ａ", "A"),
    (P, "Q20", "B", "B"),
    (P, "R5", "電子申請を拡充した。", "電子申請を拡充した。"),
    (P, "R6", "〃", (REFUSED, "V9")),            # ditto: kept as typed, but an error at its cell
    (P, "R7", "同上", (REFUSED, "V9")),
    (P, "S10", "基準値を下回ったため周知を強化する。", "基準値を下回ったため周知を強化する。"),
    (P, "T5", "2024/3/31", "2024-03-31"),
    (B, "E5", "20,453", 20453.0),
    (B, "E9", "20453000", 20453.0),               # shown as 20,453 by the #,##0, format set below
    (B, "E11", "20453", 20453.0),
    (B, "G9", "19,876", 19876.0),
    (B, "E16", "13635000", (REFUSED, "M10")),     # 円 typed for 千円: 1,000× the plan's budget
    (B, "G5", "2024/4/1", (REFUSED, "V8")),       # a date into the protected 決算額: 45383 in the cell's #,##0
]
SCALED = [(B, "E9", "#,##0,")]
# S05: K145 (row 9) is a % KPI with no baseline and no target; K043 (row 5) has figures in tens of percent.
TYPED_S05 = [
    (P, "O9", "72%", (REFUSED, "V4")),   # Calc stores 0.72 in the cell's own number format
    (P, "O5", "72", 72.0),
    (P, "O7", "2024/4/1", (REFUSED, "V8")),  # K143 (台) has no reference values: 45383 is still no count
]
# What differs by client: en-US Calc does not take 2024/3/31 as a date — it stays text, refused as no number.
CLIENT_CASES = {"en": {"O7": (P, "O7", "2024/3/31", (REFUSED, "V2")), "G5": (B, "G5", "2024/4/1", (REFUSED, "V2"))}}


def _fields(sheet):
    return {sheet.column(f.key): f.key for f in sheet.fields}


def _column(ref: str) -> int:
    letters = "".join(ch for ch in ref if ch.isalpha())
    number = 0
    for ch in letters:
        number = number * 26 + ord(ch) - 64
    return number - 1


@pytest.fixture(scope="module")
def typed(tmp_path_factory):
    """The sample round (a closed SQLite workspace) and every case file, typed in Calc (ja-JP, en-US) and
    converted by Gnumeric: made once, read on each backend."""
    root = tmp_path_factory.mktemp("real_clients")
    ws = init_workspace(root / "ws")
    jobs.import_plan(ws, write_plan_workbook(SAMPLE_DIR, root / "plan.xlsx"))
    round_ = jobs.new_round(ws, FY, dt.date(2024, 5, 17))
    forms = {f.name.split("_")[1]: f for f in jobs.distribute(ws, round_).files}
    out = root / "cases"
    out.mkdir()
    s01 = forms["S01"]
    typed = [[s, c, t] for s, c, t, _ in TYPED_S01]
    filled = [[P, "O5", "1021"], [P, "Q5", "A"], [P, "R5", "電子申請を拡充した。"], [P, "O6", "28.5"],
              [P, "Q6", "C"], [P, "S6", "周知不足。広報を強化する。"]]
    files = {
        "ja": out / "ja" / s01.name, "ja_ods": out / "ja_ods" / (s01.stem + ".ods"), "en": out / "en" / s01.name,
        "percent": out / "percent" / forms["S05"].name, "no_stamp": out / "no_stamp" / s01.name,
        "row_deleted": out / "row_deleted" / s01.name, "password": out / "password" / (s01.stem + ".ods"),
        "original": out / "copies" / s01.name, "copy": out / "copies" / (s01.stem + "(2).xlsx"),
        "relisted": out / "relisted" / s01.name, "relisted_ods": out / "relisted_ods" / (s01.stem + ".ods"),
        "self_check": out / "self_check" / s01.name, "self_check_s09": out / "self_check" / forms["S09"].name,
    }
    for path in files.values():
        path.parent.mkdir(exist_ok=True)
    docs_ja = [
        {"form": str(s01), "password": PASSWORD, "typed": typed, "formats": SCALED,
         "saves": [{"out": str(files["ja"])}, {"out": str(files["ja_ods"]), "filter": "ods"}]},
        {"form": str(forms["S05"]), "typed": [[s, c, t] for s, c, t, _ in TYPED_S05],
         "saves": [{"out": str(files["percent"])}]},
        {"form": str(s01), "typed": filled, "remove_sheets": [STAMP_SHEET_NAME], "saves": [{"out": str(files["no_stamp"])}]},
        {"form": str(s01), "password": PASSWORD, "typed": filled, "delete_rows": [[B, 8]],
         "saves": [{"out": str(files["row_deleted"])}]},
        {"form": str(s01), "typed": filled, "saves": [{"out": str(files["password"]), "filter": "ods", "password": "himitsu"}]},
        {"form": str(s01), "typed": [[P, "O5", "1000"], [P, "Q5", "B"], [P, "S5", "遅れ"]],
         "saves": [{"out": str(files["original"])}]},
        {"form": str(s01), "typed": filled, "saves": [{"out": str(files["copy"]), "wait": 1.1}]},
        {"form": str(s01), "password": PASSWORD, "unprotect": [P], "typed": filled + [[P, "O11", "1500"]],
         "saves": [{"out": str(files["relisted"])}, {"out": str(files["relisted_ods"]), "filter": "ods"}]},
        {"form": str(s01), "typed": SELF_CHECK_TYPED, "saves": [{"out": str(files["self_check"])}]},
        {"form": str(forms["S09"]), "typed": SELF_CHECK_TYPED_S09, "saves": [{"out": str(files["self_check_s09"])}]},
    ]
    docs_en = [{"form": str(s01), "password": PASSWORD, "typed": typed, "formats": SCALED,
                "saves": [{"out": str(files["en"])}]}]
    for locale, docs in (("ja-JP", docs_ja), ("en-US", docs_en)):
        run_driver("type_with_calc.py", {"profile": str(root / f"lo-{locale}"), "locale": locale, "docs": docs},
                   root / f"job_{locale}.json")
    # the corrected copy was saved later by the workbook's own clock, but the original was touched last
    os.utime(files["copy"], (1_700_000_000, 1_700_000_000))
    os.utime(files["original"], (1_700_100_000, 1_700_100_000))
    if SSCONVERT:
        files["gnumeric"] = out / "gnumeric" / s01.name
        files["gnumeric"].parent.mkdir()
        subprocess.run([SSCONVERT, str(files["ja"]), str(files["gnumeric"])], check=True, capture_output=True,
                       timeout=120)
    ws.close()
    return root / "ws", round_, files


@pytest.fixture(scope="module")
def corpus(typed, on_backend):
    """(workspace on this module's backend, round, case files)."""
    root, round_, files = typed
    ws = open_workspace(on_backend(root))
    yield ws, round_, files
    ws.close()


SELF_CHECK_TYPED = [
    # K036: baseline 30, target 27 — 28 reaches the target (A) but is worse than the baseline: a cause is due
    [P, "O10", "28"], [P, "Q10", "A"],
    [P, "O5", "1021"], [P, "Q5", "A"],
    [P, "O6", "28.5"], [P, "Q6", "B"],
    [P, "O20", "10"], [P, "Q20", "B"],
]


SELF_CHECK_TYPED_S09 = [
    [P, "P5", "遅れ"], [P, "Q5", "C"],                      # K005 stage 1: C by the schedule, no cause yet
    [P, "P8", "完了"], [P, "Q8", "A"], [P, "T8", "2024/3/31"],  # K060 stage 1, done
    [P, "O6", "30"], [P, "Q6", "A"],                        # K006: year target 28 reached
    [P, "O11", "5"], [P, "Q11", "B"],                       # K063: no baseline, target 9 — no grade computed
    # K064 (row 12) re-lists K006: locked, entered at K006 — nothing typed there
]


def check(corpus, key: str, name: str | None = None):
    ws, round_, files = corpus
    checker = Checker.for_round(ws, jobs.require_plan(ws), round_)
    path = files[key]
    return read_and_check(checker, name or path.name, path)


def assert_every_value(findings, values, cases):
    """Each typed value: stored as meant, or refused with a finding of the expected code at its cell."""
    by_cell = {(v.sheet, v.cell): v for rows in values.values() for row in rows.values() for v in row.values()}
    for sheet, cell, typed, expected in cases:
        value = by_cell[(sheet, cell)]
        at_cell = {f.code for f in findings if f.sheet == sheet and cell in f.cell.split("、")}
        if isinstance(expected, tuple) and expected[0] != REFUSED:  # stored, with a warning at its cell
            assert value.num == pytest.approx(expected[0]) and expected[1] in at_cell, (cell, typed, value, at_cell)
        elif isinstance(expected, tuple):
            assert expected[1] in at_cell, (cell, typed, value, at_cell)
            if expected[1] not in ("V9", "M10"):  # V9 and M10 keep what was typed, with an error
                assert value.num is None, (cell, typed, value)
        elif isinstance(expected, float):
            assert value.num == pytest.approx(expected), (cell, typed, value, at_cell)
            assert not at_cell & {"V2", "V3", "V4", "V8", "S6"}, (cell, typed, at_cell)
        else:
            assert value.text == expected, (cell, typed, value, at_cell)


@pytest.mark.parametrize("key", ["ja", "en", "gnumeric"])
def test_every_typed_value_stored_as_meant_or_refused(corpus, key):
    if key not in corpus[2]:
        pytest.skip("Gnumeric（ssconvert）がありません（./scripts/setup.sh が入れます）")
    findings, values, section = check(corpus, key)
    assert section == "S01"
    cases = [CLIENT_CASES.get(key, {}).get(cell, (sheet, cell, typed, expected))
             for sheet, cell, typed, expected in TYPED_S01]
    assert_every_value(findings, values, cases)


def test_ods_saved_by_calc_refuses_the_same_values(corpus):
    """In .ods the formats are not scanned: the scaled 事業費計 is then refused by M10, never stored 1,000× off."""
    findings, values, _ = check(corpus, "ja_ods")
    cases = [c if c[1] != "E9" else (B, "E9", "20453000", (REFUSED, "M10")) for c in TYPED_S01]
    assert_every_value(findings, values, cases)


@pytest.mark.parametrize("key", ["relisted", "relisted_ods"])
def test_a_value_typed_over_a_relisted_mirror_is_an_s4(corpus, key):
    """Protection removed in Calc, 1500 typed over K112's formula that mirrors K027 (O5, 1021): S4 at O11
    quoting 1500, in .xlsx (the formula is gone) and in .ods (no formulas scanned: the value differs from
    O5's); the untouched mirror K113 (O12) raises nothing, K112 is not read and K027 keeps 1021."""
    findings, values, _ = check(corpus, key)
    s4 = [f for f in findings if f.code == "S4" and f.sheet == P]
    assert [(f.row_key, f.cell) for f in s4] == [("K112", "O11")]
    assert "1500" in s4[0].message and "K027" in s4[0].message
    assert values["progress"]["K112"] == {} and values["progress"]["K027"]["actual"].num == 1021


def test_percent_typed_for_a_percent_kpi_without_baseline_or_target(corpus):
    findings, values, _ = check(corpus, "percent")
    assert_every_value(findings, values, TYPED_S05)


def test_stamp_sheet_deleted_reads_by_plan_row_keys(corpus):
    findings, values, section = check(corpus, "no_stamp")
    assert section == "S01"
    codes = {f.code for f in findings}
    assert "S8" not in codes and "S12" in codes
    progress = values["progress"]
    assert progress["K027"]["actual"].num == 1021 and progress["K028"]["actual"].num == 28.5
    assert progress["K028"]["cause"].text == "周知不足。広報を強化する。"
    assert len(progress) == 19 + 14 and len(values["budget"]) == 5 * 7  # own rows, then co-owned G01-2 and G03-2


def test_row_deleted_in_calc_is_no_far_away_cell(corpus):
    findings, values, _ = check(corpus, "row_deleted")
    far = [f for f in findings if f.code == "S7"]
    assert far == [], [f.message for f in far]
    assert [f.value for f in findings if f.code == "S5" and f.value] == ["G01-1|その他"]
    assert values["progress"]["K027"]["actual"].num == 1021


def test_password_protected_ods_says_password(corpus):
    findings, values, section = check(corpus, "password")
    assert [f.code for f in findings] == ["R3"] and section is None
    assert "パスワード" in findings[0].message and "Calamine" not in findings[0].message


def test_original_and_corrected_copy_latest_by_saved_time(corpus):
    """Both saved by Calc into one folder; 「(2)」 sorts first by name and the original was touched last,
    but the copy was saved later by the workbook's own clock: the copy is kept, and the original says so."""
    from dxdesk.intake.saved import workbook_saved_at
    ws, round_, files = corpus
    assert workbook_saved_at(files["copy"]) > workbook_saved_at(files["original"])
    result = jobs.run_collection(ws, round_, jobs.prepare_collection(ws, round_, [files["copy"].parent]))
    records = {r.kpi.kpi_id: r for r in round_records(ws.conn, jobs.require_plan(ws), round_)
               if r.source_file}
    assert records["K027"].actual == 1021 and records["K027"].source_file == files["copy"].name
    by_name = {o.path.name: o for o in result.outcomes}
    assert f"保存日時が {files['copy'].name} より前のため、最新の提出としては扱いません" in \
        by_name[files["original"].name].message


def test_file_named_for_another_section_is_noted(corpus):
    other = corpus[2]["no_stamp"].name.replace("_S01_DX推進課_", "_S02_情報政策課_")
    findings, _, section = check(corpus, "ja", name=other)
    notes = [f for f in findings if f.code == "S13"]
    assert section == "S01" and len(notes) == 1
    assert "S02" in notes[0].message and "S01" in notes[0].message and notes[0].severity == "INFO"
    assert not [f for f in check(corpus, "ja")[0] if f.code == "S13"]


@pytest.mark.parametrize("key, quiet_rows, asking_rows", [
    ("self_check", {"K027", "K028", "K126"}, {"K036"}),
    ("self_check_s09", {"K060", "K006", "K063", "K064"}, {"K005"}),
])
def test_empty_self_check_means_no_error_of_a_rule_it_covers(corpus, key, quiet_rows, asking_rows):
    """Calc recalculates the form's live self-check: where it is empty, dxdesk raises none of the errors the
    self-check stands for (both come from one definition: dxdesk/rules/cause.py); where it asks for a cause,
    K4 agrees."""
    from python_calamine import CalamineWorkbook
    path = corpus[2][key]
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_name(P).to_python(skip_empty_area=False)
    check_col = PROGRESS_SHEET.column("self_check")
    by_key = {r[0]: r[check_col] for r in rows[PROGRESS_SHEET.header_row:] if r and r[0]}
    quiet = {k for k, text in by_key.items() if text == ""}
    assert quiet_rows <= quiet, by_key
    findings, _, _ = check(corpus, key)
    covered = {"K1", "K2", "K4", "L1", "V1", "V2"}
    assert [(f.code, f.row_key) for f in findings if f.severity == "ERR" and f.code in covered
            and f.row_key in quiet] == []
    for row in asking_rows:
        assert "未達理由が未入力" in by_key[row]
        assert ("K4", row) in {(f.code, f.row_key) for f in findings}
