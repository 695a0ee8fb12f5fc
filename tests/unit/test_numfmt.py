"""Numbers printed the way a city prints them (issue 8 item 13): △ negatives, counts without .0,
readable dates, titles without internal codes."""
import datetime as dt

from dxdesk.outputs import numfmt


def test_negatives_follow_the_office_style():
    assert numfmt.number(-1234) == "△1,234"
    assert numfmt.number(-1234.5, negative="-") == "-1,234.5"
    assert numfmt.number(-0.0) == "0"
    assert numfmt.percent(-0.125) == "△12.5%"


def test_counts_and_whole_numbers_have_no_trailing_zero():
    assert numfmt.count(55584.0) == "55,584"
    assert numfmt.number(55584.0) == "55,584"
    assert numfmt.number(12.50, 2) == "12.5"
    assert numfmt.number(None) == ""


def test_timestamps_are_dates_people_read():
    assert numfmt.timestamp("2025-05-16T14:03:09") == "令和7年5月16日 14:03"
    assert numfmt.timestamp("2025-05-16T09:00:00", era=False) == "2025年5月16日 9:00"
    assert numfmt.era_date(dt.date(2019, 5, 1)) == "令和元年5月1日"
    assert numfmt.era_date(dt.date(2019, 4, 30)) == "平成31年4月30日"
    assert numfmt.timestamp("") == ""


def test_round_titles_carry_no_internal_code():
    assert numfmt.round_title(2023, "FY2023-1") == "令和5年度"
    assert numfmt.round_title(2023, "FY2023-2") == "令和5年度（第2回）"


def test_excel_formats_match_the_text():
    assert numfmt.excel_format(55584.0) == '#,##0;"△"#,##0'
    assert numfmt.excel_format(12.5, negative="-") == "#,##0.0##"


def test_messages_follow_the_office_negative_style():
    from dxdesk.normalize import format_number
    assert format_number(-19077) == "△19,077"
    with numfmt.negative_style("-"):
        assert format_number(-19077) == "-19,077" and numfmt.number(-1.5) == "-1.5"
    assert numfmt.number(-1.5) == "△1.5"
