"""Numbers, dates and titles printed the way a city prints them — one place for every output.

- negatives as △1,234 (or -1,234): the office's `negative_style` setting (dxdesk/settings.py);
- counts and whole numbers without a trailing .0 (55,584, not 55,584.0);
- timestamps as dates people read (令和7年5月16日 14:03, or 2025年5月16日 14:03), never ISO;
- round titles without internal codes (令和5年度, not 「(FY2023-1)」).

Text helpers for messages and the command line, and Excel number formats for the workbooks, so a cell and
a sentence show the same figure the same way.
"""
from __future__ import annotations

import contextlib
import contextvars
import datetime as dt

from dxdesk.years import wareki

DEFAULT_NEGATIVE = "△"
_NEGATIVE = contextvars.ContextVar("negative_style", default=DEFAULT_NEGATIVE)


@contextlib.contextmanager
def negative_style(style: str):
    """Within this block, numbers in messages print negatives the office's way (the `negative_style` setting):
    a collection or a re-check runs inside it, so its findings read as the office writes."""
    token = _NEGATIVE.set(style or DEFAULT_NEGATIVE)
    try:
        yield
    finally:
        _NEGATIVE.reset(token)


def number(value: float | None, digits: int = 1, negative: str | None = None) -> str:
    """1,234 / 12.5 / △1,234: whole numbers without decimals, others with up to `digits` decimals."""
    if value is None:
        return ""
    negative = _NEGATIVE.get() if negative is None else negative
    value = float(value)
    if value == 0:
        value = 0.0  # no "△0" for -0.0
    text = f"{abs(value):,.{digits}f}".rstrip("0").rstrip(".") if not value.is_integer() else f"{int(abs(value)):,}"
    if text in ("0", ""):
        return "0"
    return (negative if value < 0 else "") + text


def count(value: float | int | None) -> str:
    """A count: 55,584 (never 55,584.0)."""
    return "" if value is None else f"{int(round(float(value))):,}"


def percent(ratio: float | None, digits: int = 1, negative: str | None = None) -> str:
    """0.825 → 82.5%."""
    return "" if ratio is None else number(round(ratio * 100, digits), digits, negative) + "%"


def era_date(day: dt.date, era: bool = True) -> str:
    """令和7年5月16日 (令和元年5月1日), or 2025年5月16日 with era=False."""
    if not era or day < dt.date(1989, 1, 8):
        return f"{day.year}年{day.month}月{day.day}日"
    if day >= dt.date(2019, 5, 1):
        name, n = "令和", day.year - 2018
    else:
        name, n = "平成", day.year - 1988
    return f"{name}{'元' if n == 1 else n}年{day.month}月{day.day}日"


def timestamp(value: str | dt.datetime | None, era: bool = True) -> str:
    """An ISO timestamp as people read it: 令和7年5月16日 14:03 ('' for none; text that is not ISO as it is)."""
    if not value:
        return ""
    if isinstance(value, str):
        try:
            value = dt.datetime.fromisoformat(value)
        except ValueError:
            return value
    return f"{era_date(value.date(), era)} {value.hour}:{value.minute:02d}"


def round_title(fy: int, round_id: str = "", label=wareki) -> str:
    """The round as a title: 令和5年度; a second round of the same year 令和5年度（第2回）. Never the ID."""
    _, _, number_part = round_id.rpartition("-")
    nth = int(number_part) if number_part.isdigit() else 1
    return label(fy) + (f"（第{nth}回）" if nth > 1 else "")


def excel_format(value: float | None = None, digits: int = 3, negative: str = DEFAULT_NEGATIVE) -> str:
    """The Excel number format for one value: #,##0 for whole numbers (no .0), #,##0.0## otherwise, with
    negatives as △ when the office prints them so."""
    positive = "#,##0" if value is None or float(value).is_integer() else "#,##0." + "0" + "#" * (digits - 1)
    if negative == "-":
        return positive
    return f'{positive};"{negative}"{positive}'


def excel_integer(negative: str = DEFAULT_NEGATIVE) -> str:
    return excel_format(None, negative=negative)
