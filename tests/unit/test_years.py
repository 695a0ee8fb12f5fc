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
