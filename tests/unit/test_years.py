import datetime as dt

import pytest
from hypothesis import given, strategies as st

from dxdesk.years import YearError, fy_of_date, parse_date, parse_fy, wareki


@pytest.mark.parametrize("text, fy", [
    (2024, 2024), (2024.0, 2024), ("2024", 2024), ("FY2024", 2024), ("R6", 2024), ("R6年度", 2024),
    ("令和6年度", 2024), ("令和元年度", 2019), ("令和元年", 2019), ("H31", 2019), ("平成31年度", 2019),
    ("㋿6年", 2024), ("Ｒ６年度", 2024), ("R6 (FY2024)", 2024), ("2024年度", 2024),
])
def test_years_in_every_spelling(text, fy):
    assert parse_fy(text) == fy


@pytest.mark.parametrize("text", ["R6年度 (2026)", "abc", "", None, "R", 12.5])
def test_unreadable_or_contradicting_years_are_errors(text):
    with pytest.raises(YearError):
        parse_fy(text)


def test_fiscal_year_of_a_date_starts_in_april():
    assert fy_of_date(dt.date(2025, 3, 31)) == 2024
    assert fy_of_date(dt.date(2025, 4, 1)) == 2025


@given(st.integers(min_value=2019, max_value=2100))
def test_wareki_round_trips(fy):
    assert parse_fy(wareki(fy)) == fy


@pytest.mark.parametrize("text, date", [
    ("令和6年4月1日", dt.date(2024, 4, 1)), ("R6.4.1", dt.date(2024, 4, 1)), ("Ｒ６．４．１", dt.date(2024, 4, 1)),
    ("令和元年5月1日", dt.date(2019, 5, 1)), ("平成31年4月30日", dt.date(2019, 4, 30)), ("2024/4/1", dt.date(2024, 4, 1)),
    ("㋿6年4月", dt.date(2024, 4, 1)), ("R7.3", dt.date(2025, 3, 1)), (dt.datetime(2024, 5, 17, 9), dt.date(2024, 5, 17)),
    ("R6.4.1 (2024/4/1)", dt.date(2024, 4, 1)),
])
def test_dates_as_typed_in_japan(text, date):
    assert parse_date(text) == date


@pytest.mark.parametrize("text", ["R6.4.1 (2025/4/1)", "令和元年4月1日", "平成31年5月1日", "R6.2.30", "来年度", 45000])
def test_bad_or_contradicting_dates_are_errors(text):
    with pytest.raises(YearError):
        parse_date(text)


@given(st.one_of(st.text(max_size=30), st.integers(), st.floats(allow_nan=True), st.none(), st.dates()))
def test_year_and_date_parsers_only_ever_raise_year_error(value):
    for parser in (parse_fy, parse_date):
        try:
            parser(value)
        except YearError:
            pass


@given(st.dates(min_value=dt.date(2019, 5, 1), max_value=dt.date(2100, 12, 31)))
def test_reiwa_dates_round_trip(day):
    n = day.year - 2018
    assert parse_date(f"令和{'元' if n == 1 else n}年{day.month}月{day.day}日") == day
    assert parse_date(f"R{n}.{day.month}.{day.day}") == day


# Hand-worked values for every era offset and boundary (the mutation run of years.py found these untested).
@pytest.mark.parametrize("text, fy", [
    ("令和6年度", 2024), ("R6", 2024), ("r6", 2024), ("R 6 年度", 2024),       # 令和 N = 2018 + N
    ("平成30年度", 2018), ("H30", 2018), ("平成元年度", 1989), ("H1", 1989),     # 平成 N = 1988 + N
    ("昭和63年度", 1988), ("S63", 1988), ("昭和元年", 1926), ("S64", 1989),     # 昭和 N = 1925 + N
    ("fy2024", 2024), ("FY.2024", 2024), ("2024 (R6)", 2024), ("R6年度（2024年度）", 2024),
    (1900, 1900), (2200, 2200), ("1900", 1900), ("2200年度", 2200),
    (dt.date(2025, 3, 31), 2024), (dt.datetime(2025, 4, 1, 9, 30), 2025),
])
def test_fiscal_year_offsets_and_bounds(text, fy):
    assert parse_fy(text) == fy


@pytest.mark.parametrize("text", [1899, 2201, 2024.5, True, False, "1899", "2201年度", "  ", "2024 (R7)",
                                  "令和6年度（2023）"])
def test_years_out_of_range_or_disagreeing_are_errors(text):
    with pytest.raises(YearError):
        parse_fy(text)


@pytest.mark.parametrize("fy, label, short", [
    (2024, "令和6年度", "R6"), (2020, "令和2年度", "R2"), (2019, "令和元年度", "R1"),
    (2018, "平成30年度", "H30"), (1990, "平成2年度", "H2"), (1989, "平成元年度", "H1"),
])
def test_wareki_labels_at_the_era_boundaries(fy, label, short):
    from dxdesk.years import short_wareki
    assert wareki(fy) == label
    assert short_wareki(fy) == short


def test_wareki_before_heisei_is_western():
    assert wareki(1988) == "1988年度"


def test_cover_date_has_the_weekday():
    from dxdesk.years import format_date_jp
    assert format_date_jp(dt.date(2025, 5, 16)) == "2025年5月16日（金）"
    assert format_date_jp(dt.date(2024, 4, 1)) == "2024年4月1日（月）"
    assert format_date_jp(dt.date(2026, 3, 31)) == "2026年3月31日（火）"


@pytest.mark.parametrize("text, date", [
    ("R6.4.15", dt.date(2024, 4, 15)), ("令和6年12月31日", dt.date(2024, 12, 31)), ("R1.5.1", dt.date(2019, 5, 1)),
    ("H31.4.30", dt.date(2019, 4, 30)), ("平成元年1月8日", dt.date(1989, 1, 8)), ("昭和64年1月7日", dt.date(1989, 1, 7)),
    ("S64.1.7", dt.date(1989, 1, 7)), ("2024-12-25", dt.date(2024, 12, 25)), ("2024/4", dt.date(2024, 4, 1)),
    ("2025年3月", dt.date(2025, 3, 1)), ("R6.11", dt.date(2024, 11, 1)), (dt.date(2024, 5, 17), dt.date(2024, 5, 17)),
])
def test_dates_with_every_era_and_day(text, date):
    assert parse_date(text) == date


@pytest.mark.parametrize("text", ["R1.4.30", "令和元年4月", "H31.5.1", "平成31年5月", None, True, 2024, 2024.0, 2024.4,
                                  "2024/13/1"])
def test_dates_outside_their_era_or_not_dates_are_errors(text):
    with pytest.raises(YearError):
        parse_date(text)


def test_an_empty_year_says_so():
    for value in (None, True, "", "  "):
        with pytest.raises(YearError, match="年度が空です"):
            parse_fy(value)
