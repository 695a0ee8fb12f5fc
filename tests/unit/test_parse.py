"""intake/parse.py cell by cell: what each raw cell is read as, and which finding it leaves. The cells are built
directly (no workbook on disk), so these run in a second — fast enough for the mutation run (tools/mutate.py).
Every expected value is worked out by hand from the rule it tests."""
from __future__ import annotations

import datetime as dt

import pytest

from dxdesk.forms.definition import KEY_SEP, PROGRESS_FORM
from dxdesk.intake.parse import EXCEL_TEXT_LIMIT, Parser, excel_date, row_label
from dxdesk.intake.reader import ExcelError, RawCell, SheetValues, UnsavedFormula, Workbook
from dxdesk.plan import model as m
from dxdesk.plan.milestones import Milestone
from dxdesk.plan.systems import Cost, System

FY = 2040  # the years a date serial may stand for are FY−1 … FY+3 (2039–2043) while today is before 2043
SHEETS = {s.key: s for s in PROGRESS_FORM.sheets}


def kpi(kpi_id, unit="件", baseline=None, target=None, measure="M1", **extra) -> m.Kpi:
    return m.Kpi(kpi_id, measure, f"指標{kpi_id}", "アウトカム", unit, "増加", "単年度", baseline=baseline,
                 target=target, **extra)


def make_plan() -> m.Plan:
    plan = m.Plan(sections={c: m.Section(c, f"課{c}") for c in ("S01", "S02")})
    plan.measures = {
        "M1": m.Measure("M1", "自分の施策", (), ("S01",), "2"),
        "M2": m.Measure("M2", "分担の施策", (), ("S02", "S01"), "2", co_input="分担"),
        "M3": m.Measure("M3", "参照の施策", (), ("S02", "S01"), "2"),
    }
    kpis = [kpi("K1", baseline=10, target=20), kpi("KP", "%", 40, 60), kpi("KPT", "ポイント", 27.6, 30),
            kpi("KN"), kpi("KU", "手続", 50, 90), kpi("KR", relisted_of="K1"), kpi("KBIG", baseline=5128.8), kpi("KH", baseline=10, target=20),
            kpi("KPS", "%", 0.5, 1), kpi("KP15", "%", 1.5, 3), kpi("KPZ", "%"), kpi("KP2", "%", 2, 5),
            kpi("KPW", "％", 40, 60),
            kpi("KC", measure="M2"), kpi("KC3", measure="M3")]
    plan.kpis = {k.kpi_id: k for k in kpis}
    plan.year_targets = {("K1", FY): 15}
    plan.history = [m.HistoryActual("K1", FY - 1, 12), m.HistoryActual("KH", FY - 1, 5128.8)]
    plan.budgets = [m.Budget("M1", FY, 1000, None), m.Budget("M3", FY, 45382, 100), m.Budget("M3", 2024, 45382, 100)]
    plan.systems = {"SYS1": System("SYS1", ("M1",), "電子申請", "S01", opex=(Cost(2000, fy=FY),)),
                    "SYS2": System("SYS2", ("M1",), "基幹系", "S01", opex=(Cost(60000, fy=FY),)),
                    "SYS3": System("SYS3", ("M1",), "窓口", "S01", opex=(Cost(None, "未定", fy=FY),))}
    plan.milestones = [Milestone("M1", "M1-1", "基盤構築", FY, "", None, "", "", 0)]
    return plan


def read(sheet_key: str, rows: dict[str, dict[str, object]], fy: int = FY, section: str = "S01"):
    """Parse one sheet's rows (row key → field → cell value or RawCell); → (values, findings)."""
    sheet = SHEETS[sheet_key]
    values = SheetValues(sheet.name)
    for key, fields in rows.items():
        values.rows[key] = {f: c if isinstance(c, RawCell) else RawCell(c, sheet.name, f"{f}@{key}")
                            for f, c in fields.items()}
    parser = Parser(make_plan(), "回答.xlsx", section, fy)
    parsed = parser.parse(Workbook(None, None, [sheet.name], {sheet_key: values}), PROGRESS_FORM)
    return parsed[sheet_key], parser.findings


def one(sheet_key: str, key: str, field: str, cell, fy: int = FY):
    """One cell: (its Value, the finding codes it left)."""
    rows, findings = read(sheet_key, {key: {field: cell}}, fy)
    return rows[key][field], [f.code for f in findings]


def cell(value, **style) -> RawCell:
    return RawCell(value, "進捗報告", "O5", **style)


@pytest.mark.parametrize("serial, day", [(1, dt.date(1899, 12, 31)), (45382, dt.date(2024, 3, 31)),
                                         (2958465, dt.date(9999, 12, 31)), (0, None), (0.5, None), (2958466, None)])
def test_excel_date_serials_of_1900_to_9999(serial, day):
    assert excel_date(serial) == day


def test_cells_excel_could_not_give_a_value():
    value, codes = one("progress", "K1", "actual", ExcelError("#DIV/0!"))
    assert (value.raw, value.num, codes) == ("#DIV/0!", None, ["S6"])
    value, codes = one("progress", "K1", "actual", UnsavedFormula())
    assert (value.raw, value.num, codes) == ("（数式・計算結果なし）", None, ["S9"])


def test_blank_and_control_characters_and_very_long_text():
    value, codes = one("progress", "K1", "result", " \u3000 ")
    assert (value.raw, value.blank, codes) == ("", True, [])
    value, codes = one("progress", "K1", "result", "実施\x00した")
    assert (value.raw, value.text, codes) == ("実施U+0000した", "", ["V10"])
    value, codes = one("progress", "K1", "result", "あ" * 32768)
    assert (len(value.text), codes) == (32768, ["V11"])  # over Excel's 32,767: kept whole, but said
    assert one("progress", "K1", "result", "あ" * 32767)[1] == [] and EXCEL_TEXT_LIMIT == 32767


@pytest.mark.parametrize("typed, num, codes", [
    (12, 12.0, []), (12.5, 12.5, []), ("１２", 12.0, ["N1"]), ("1,234", 1234.0, ["N1"]), ("△3", -3.0, ["N1"]),
    ("abc", None, ["V2"]), ("12%", None, ["V3"]), ("12千円", None, ["V3"]),
])
def test_a_kpi_actual_typed_every_way(typed, num, codes):
    value, found = one("progress", "K1", "actual", typed)
    assert (value.num, found) == (num, codes)
    assert value.raw == str(typed).strip() or isinstance(typed, float)


@pytest.mark.parametrize("typed, num, codes", [
    ("90手続", 90.0, ["N1"]), ("９０手続", 90.0, ["N1"]), ("90件", None, ["V3"]), ("約90手続", None, ["V2"]), (90, 90.0, []),
])
def test_a_count_unit_in_the_cell(typed, num, codes):
    value, found = one("progress", "KU", "actual", typed)
    assert (value.num, found) == (num, codes)


def test_a_date_in_a_number_cell():
    value, codes = one("progress", "K1", "actual", dt.datetime(2040, 3, 4))
    assert (value.num, value.text, codes) == (None, "2040-03-04 00:00:00", ["V8"])


@pytest.mark.parametrize("key, typed, style, held", [
    ("K1", 45382, {"date_style": True}, 45382),  # shown as a date: a date, whatever the years
    ("K1", 45382, {}, None),                       # 2024: not one of 2039–2043, a number (V6 may judge its size)
    ("KN", 50770, {}, None),                       # 2038-12-31: before FY−1
    ("KN", 50771, {}, 50771),                      # 2039-01-01, and no reference value to compare with
    ("KN", 52596, {}, 52596),                      # 2043-12-31
    ("KN", 52597, {}, None),                       # 2044-01-01: after FY+3
    ("KN", 51288.5, {}, None),                     # not a whole number
    ("KBIG", 51288, {}, None),                     # 2040-06-01, but not more than 10 × 5128.8
    ("KBIG", 51289, {}, 51289),                    # more than 10 × 5128.8
    ("KH", 51288, {}, None),                       # last year's actual (5128.8) is a reference too
    ("KH", 51289, {}, 51289),
    ("K1", 51288, {}, 51288),                      # more than 10 × the largest reference (20)
])
def test_a_date_serial_typed_into_a_kpi_actual(key, typed, style, held):
    value, codes = one("progress", key, "actual", cell(typed, **style))
    if held is None:
        assert (value.num, "V8" in codes) == (float(typed), False)
    else:
        assert (value.num, value.held, codes) == (None, held, ["V8"])


def test_a_date_serial_finding_says_what_it_was_compared_with():
    rows, findings = read("progress", {"KH": {"actual": cell(51289)}})
    assert "2040/06/02" in findings[0].message
    assert "基準値・目標値・前年度の実績（10・20・5,128.8）から大きく離れています" in findings[0].message
    rows, findings = read("progress", {"KN": {"actual": cell(51289)}})
    assert "比べる基準値・目標値・前年度の実績がなく、2039〜2043年の日付にあたる整数です" in findings[0].message
    rows, findings = read("progress", {"K1": {"actual": cell(45382, date_style=True)}})
    assert "2024/03/31" in findings[0].message and "セルの表示形式が日付です" in findings[0].message


def test_the_years_a_date_serial_may_stand_for_reach_next_year():
    """Up to the later of FY+3 and next calendar year: an old round (FY2020) still refuses next year's dates."""
    next_year = dt.date.today().year + 1
    serial = (dt.date(next_year, 6, 1) - dt.date(1899, 12, 30)).days
    after = (dt.date(next_year + 1, 1, 1) - dt.date(1899, 12, 30)).days
    assert one("progress", "KN", "actual", cell(serial), fy=2020)[1] == ["V8"]
    assert one("progress", "KN", "actual", cell(after), fy=2020)[1] == []


def test_a_date_serial_in_the_wrong_row_or_round_is_a_number():
    assert one("progress", "KN", "actual", cell(50771), fy=0)[1] == []  # the round's year unknown
    assert one("progress", "KN", "result", 50771)[1] == []              # a text field keeps what was typed


@pytest.mark.parametrize("key, field, typed, codes", [
    (f"M1{KEY_SEP}事業費計", "budget", 51288, ["V8"]),      # more than the planned 1,000 千円
    (f"M1{KEY_SEP}事業費計", "budget", 800, []),
    (f"M3{KEY_SEP}事業費計", "settlement", 45382, []),      # 2024 is not one of the years
    (f"M9{KEY_SEP}事業費計", "budget", 51288, ["V8"]),      # no planned amount to compare with
])
def test_a_date_serial_in_an_amount(key, field, typed, codes):
    assert one("budget", key, field, cell(typed))[1] == codes


def test_an_amount_as_large_as_the_plan_is_a_number():
    plan_sized = {f"M3{KEY_SEP}事業費計": {"budget": cell(45382)}}
    rows, findings = read("budget", plan_sized, fy=2024)  # 2024-03-31 is a date of these years, but = the plan
    assert rows[f"M3{KEY_SEP}事業費計"]["budget"].num == 45382 and not findings
    rows, findings = read("budget", {f"M3{KEY_SEP}事業費計": {"budget": cell(45383)}}, fy=2024)
    assert [f.code for f in findings] == ["V8"]


def test_a_system_running_cost_against_the_plan():
    assert one("system", "SYS1", "opex_actual", cell(51288))[1] == ["V8"]   # more than 2,000 千円
    assert one("system", "SYS1", "opex_actual", cell(1999))[1] == []
    assert one("system", "SYS2", "opex_actual", cell(51288))[1] == []     # less than 60,000 千円
    assert one("system", "SYS3", "opex_actual", cell(51288))[1] == ["V8"]  # 未定: no amount to compare with


@pytest.mark.parametrize("typed, num, codes", [
    (20453000, 20453.0, ["N1"]),  # shown as 20,453 with a thousands format: what the section saw
    ("20453000", 20453000.0, ["N1"]),  # text: no format applies (N1 for the text)
])
def test_a_scaled_number_format(typed, num, codes):
    value, found = one("budget", f"M1{KEY_SEP}事業費計", "budget", cell(typed, divisor=1000))
    assert (value.num, found) == (num, codes)


@pytest.mark.parametrize("typed, num, codes", [
    ("12千円", 12.0, ["N1"]), ("12円", None, ["V3"]), ("12", 12.0, ["N1"]), (12, 12.0, []),
])
def test_amounts_are_in_thousand_yen(typed, num, codes):
    value, found = one("budget", f"M1{KEY_SEP}事業費計", "budget", typed)
    assert (value.num, found) == (num, codes)


@pytest.mark.parametrize("key, typed, style, num, held, codes", [
    ("KP", 0.825, {"percent": True}, 82.5, None, ["N1"]),   # 82.5 % in a % cell: Excel holds 0.825
    ("KP", "0.825", {"percent": True}, None, 82.5, ["V4"]),  # text: no format applies
    ("KP", 0.825, {}, None, 82.5, ["V4"]),                   # ambiguous: 0.825 % or 82.5 %?
    ("KP", 1, {}, None, 100, ["V4"]),
    ("KP", -0.5, {}, None, -50, ["V4"]),
    ("KP", 0, {}, 0.0, None, []),
    ("KP", 1.2, {}, 1.2, None, []),
    ("KP", "82.5%", {}, 82.5, None, ["N1"]),
    ("KP", "0.5%", {}, 0.5, None, ["N1"]),                   # the % sign says it
    ("KP", 82.5, {}, 82.5, None, []),
    ("KPT", 0.5, {}, 0.5, None, []),                         # ポイント: half a point
    ("KPS", 0.8, {}, 0.8, None, []),                         # its own figures are below 1.5
    ("KP15", 0.8, {}, 0.8, None, []),                        # the smallest reference is 1.5 (not above it)
    ("KPZ", 0.8, {}, None, 80, ["V4"]),                      # no reference values: just as ambiguous
    ("KP2", 0.8, {}, None, 80, ["V4"]),                      # the smallest reference, 2, is above 1.5
    ("KPW", 0.8, {}, None, 80, ["V4"]),                      # a unit written ％ (full width)
    ("KP", 0.00123456789012345, {"percent": True}, 0.123456789, None, ["N1"]),  # kept to 10 decimal places
    ("KPZ", 0.00123456789012345, {}, None, 0.123456789, ["V4"]),
])
def test_percent_kpis(key, typed, style, num, held, codes):
    value, found = one("progress", key, "actual", cell(typed, **style))
    assert (value.num, value.held, found) == (num, held, codes)


def test_percent_rules_are_for_the_actual_only():
    value, found = one("progress", "KP", "actual", cell(0.825))
    assert found == ["V4"]
    rows, findings = read("progress", {"KP": {"actual": cell(82.5), "result": cell("0.825")}})
    assert rows["KP"]["result"].text == "0.825" and not findings


@pytest.mark.parametrize("typed, text, codes", [
    ("R7.3.31", "2025-03-31", ["N1"]), ("2025/3/31", "2025-03-31", ["N1"]), (dt.date(2025, 3, 31), "2025-03-31", []),
    (dt.datetime(2025, 3, 31, 9), "2025-03-31", []), ("来年", "", ["V7"]),
])
def test_a_completion_date(typed, text, codes):
    value, found = one("progress", "K1", "milestone_date", typed)
    assert (value.text, found) == (text, codes)


@pytest.mark.parametrize("typed, text, codes", [
    ("実施した", "実施した", []), ("〃", "〃", ["V9"]), ("同上", "同上", ["V9"]), (dt.datetime(2025, 1, 2), "2025-01-02 00:00:00", ["N1"]),
    (3.0, "3", []),
])
def test_text_fields(typed, text, codes):
    value, found = one("progress", "K1", "result", typed)
    assert (value.text, found) == (text, codes)


@pytest.mark.parametrize("field, typed, text, codes", [
    ("schedule", "完了", "完了", []), ("schedule", "予定 どおり", "予定どおり", ["N1"]),
    ("schedule", "○", "予定どおり", ["N1"]), ("schedule", "△：遅れている", "遅れ", ["N1"]), ("schedule", "×", "", ["V5"]),
    ("self_grade", "A", "A", []), ("self_grade", "ａ", "A", ["N1"]), ("self_grade", "○", "", ["V5"]),
    ("self_grade", "E", "", ["V5"]),
])
def test_choices(field, typed, text, codes):
    value, found = one("progress", "K1", field, typed)
    assert (value.raw, value.text, found) == (typed, text, codes)


def test_which_rows_a_section_enters():
    """Its own rows (inputs only); a 再掲 row not at all; a co-owned row: 分担 → its 取組結果 only, 参照 → nothing."""
    typed = {"actual": 5, "result": "実施した", "kpi_name": "書き換えた名前"}
    rows, findings = read("progress", {k: dict(typed) for k in ("K1", "KR", "KC", "KC3")})
    assert set(rows["K1"]) == {"actual", "result"} and rows["K1"]["actual"].num == 5
    assert rows["KR"] == {} and rows["KC3"] == {}
    assert set(rows["KC"]) == {"result"} and rows["KC"]["result"].text == "実施した"
    assert not findings
    rows, _ = read("progress", {"KC": {"actual": 5}})
    assert rows["KC"] == {}  # 分担 without a 取組結果 cell
    rows, _ = read("progress", {"KC": dict(typed)}, section="S02")
    assert set(rows["KC"]) == {"actual", "result"}  # the 主担当 enters everything


def test_a_finding_names_the_row_and_cuts_a_long_value():
    rows, findings = read("progress", {"K1": {"actual": cell("x" * 250)}})
    (finding,) = findings
    assert (finding.code, finding.row_key, finding.field, finding.cell) == ("V2", "K1", "actual", "O5")
    assert "K1 指標K1" in finding.message and "実績値" in finding.message
    assert "x" * 100 + "…（全 250 文字）" in finding.message and "x" * 101 not in finding.message
    rows, findings = read("progress", {"K1": {"actual": cell("y" * 200)}})
    assert "y" * 200 + "」" in findings[0].message  # 200 characters are quoted whole


def test_row_labels():
    plan = make_plan()
    assert row_label(plan, SHEETS["progress"], "K1") == "K1 指標K1"
    assert row_label(plan, SHEETS["progress"], "K9") == "K9"
    assert row_label(plan, SHEETS["budget"], f"M1{KEY_SEP}事業費計") == "M1 自分の施策・事業費計"
    assert row_label(plan, SHEETS["budget"], "M1") == "M1 自分の施策"
    assert row_label(plan, SHEETS["budget"], "M9") == "M9"
    assert row_label(plan, SHEETS["milestone"], "M1-1") == "M1 基盤構築"
    assert row_label(plan, SHEETS["milestone"], "M1-9") == "M1-9"
    assert row_label(plan, SHEETS["system"], "SYS1") == "SYS1 電子申請"
    assert row_label(plan, SHEETS["system"], "K1") == "K1"
    assert row_label(plan, SHEETS["progress"], "SYS1") == "SYS1"


def test_a_value_that_counts():
    value, _ = one("progress", "KP", "actual", cell(0.825))
    assert value.number() is None and value.number(waived=True) == 82.5  # a waiver releases the held number
    value, _ = one("progress", "K1", "actual", 7)
    assert value.number() == 7 and value.number(waived=True) == 7


def test_a_parser_without_the_rounds_year_does_not_judge_amounts_by_date():
    sheet = SHEETS["budget"]
    values = SheetValues(sheet.name, rows={f"M9{KEY_SEP}事業費計": {"budget": cell(45382)}})
    parser = Parser(make_plan(), "回答.xlsx", "S01")  # no year: 45382 (2024-03-31) is just a number
    rows = parser.parse(Workbook(None, None, [sheet.name], {"budget": values}), PROGRESS_FORM)["budget"]
    assert rows[f"M9{KEY_SEP}事業費計"]["budget"].num == 45382 and not parser.findings


def test_a_value_is_immutable():
    import dataclasses

    value, _ = one("progress", "K1", "actual", 7)
    with pytest.raises(dataclasses.FrozenInstanceError):
        value.num = 8


def test_a_row_the_plan_does_not_know_is_read_without_its_kpi():
    rows, findings = read("progress", {"K99": {"actual": cell(51288), "result": "実施した"}})
    assert rows["K99"]["actual"].num == 51288 and not findings


def finding_of(sheet_key, key, field, typed):
    rows, findings = read(sheet_key, {key: {field: typed}})
    (finding,) = findings
    return finding


def test_what_a_finding_quotes():
    """The value and the expected reading a finding names, worked out by hand (3 decimals at most)."""
    f = finding_of("progress", "KU", "actual", "90件")
    assert (f.code, f.value, f.expected) == ("V3", "件", "手続")
    f = finding_of("progress", "K1", "actual", "1.2346")
    assert (f.code, f.value, f.expected) == ("N1", "1.2346", "1.235")
    f = finding_of("budget", f"M1{KEY_SEP}事業費計", "budget", cell(20453123.4, divisor=1000))
    assert (f.code, f.expected) == ("N1", "20,453.123")
    assert f.value == "20453123.4（表示形式で 1,000 分の1 の 20,453.123 と表示）"
    f = finding_of("progress", "KP", "actual", cell(0.123456, percent=True))
    assert (f.code, f.value, f.expected) == ("N1", "0.123456（% 表示）", "12.346")
    f = finding_of("progress", "KP", "actual", "12.3456%")
    assert (f.code, f.expected) == ("N1", "12.346")
    f = finding_of("progress", "KP", "actual", cell(0.825))
    assert "「0.825」が 82.5% の意味か 0.825% の意味か判断できません（基準値 40・目標値 60）" in f.message
    f = finding_of("progress", "KPZ", "actual", cell(0.123456))
    assert "12.346% の意味か 0.123456% の意味か判断できません（基準値 なし・目標値 なし）" in f.message
    f = finding_of("progress", "KH", "actual", cell(51289))
    assert "セル O5" in f.message and "2040/06/02" in f.message


def test_a_value_of_201_characters_is_cut():
    f = finding_of("progress", "K1", "actual", "z" * 201)
    assert "z" * 100 + "…（全 201 文字）" in f.message
