import datetime as dt

import pytest
from hypothesis import given, strategies as st

from dxdesk.years import YearError, fy_of_date, parse_fy, wareki


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
