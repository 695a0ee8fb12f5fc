"""Fiscal years (年度) and Japanese eras: 2024, FY2024, R6, R6年度, 令和6年度, 令和元年度, H31, ㋿6."""
from __future__ import annotations

import datetime as dt
import re
import unicodedata

# ㋿ needs no entry: _clean's NFKC turns it into 令和 before any look-up.
ERAS = {"令和": 2018, "R": 2018, "平成": 1988, "H": 1988, "昭和": 1925, "S": 1925}
_ERA_RE = re.compile(r"^(令和|平成|昭和|R|H|S)\s*(元|\d{1,2})\s*(?:年度|年)?$")
_WESTERN_RE = re.compile(r"^(?:FY)?\s*(\d{4})\s*(?:年度|年)?$")
_PAIR_RE = re.compile(r"^(.+?)\s*[（(]\s*(.+?)\s*[)）]$")


class YearError(ValueError):
    """A year text that cannot be read, or whose two spellings disagree."""


def _clean(text: str) -> str:
    # NFKC would turn ㋿ into 令和, which is what we want here; strip all spaces.
    text = unicodedata.normalize("NFKC", text)
    return re.sub(r"\s+", "", text).upper().replace("FY.", "FY")


def _agreeing_pair(text: str, parse, disagree):
    """"R6年度 (2024)": both spellings read with `parse` and must agree; None when the text is not a pair."""
    pair = _PAIR_RE.match(text)
    if not pair:
        return None
    first, second = parse(pair.group(1)), parse(pair.group(2))
    if first != second:
        raise YearError(disagree(first, second))
    return first


def parse_fy(value: object) -> int:
    """Return the fiscal year as a western integer, or raise YearError with a Japanese reason."""
    if isinstance(value, bool) or value is None:
        raise YearError("年度が空です")
    if isinstance(value, (int, float)):
        if float(value).is_integer() and 1900 <= value <= 2200:
            return int(value)
        raise YearError(f"年度として読めません: {value}")
    if isinstance(value, (dt.date, dt.datetime)):
        return fy_of_date(value)
    text = _clean(str(value))
    if not text:
        raise YearError("年度が空です")
    pair = _agreeing_pair(text, parse_fy, lambda a, b: f"年度の表記が食い違っています: {value}（{a}年度と{b}年度）")
    if pair is not None:
        return pair
    era = _ERA_RE.match(text)
    if era:
        base = ERAS[era.group(1)]
        number = 1 if era.group(2) == "元" else int(era.group(2))
        return base + number
    western = _WESTERN_RE.match(text)
    if western:
        year = int(western.group(1))
        if 1900 <= year <= 2200:
            return year
    raise YearError(f"年度として読めません: {value}")


def fy_of_date(day: dt.date) -> int:
    """The fiscal year (April–March) a date falls in."""
    return day.year if day.month >= 4 else day.year - 1


def wareki(fy: int) -> str:
    """令和N年度 label for a western fiscal year (令和元年度 for 2019)."""
    if fy >= 2019:
        n = fy - 2018
        return f"令和{'元' if n == 1 else n}年度"
    if fy >= 1989:
        n = fy - 1988
        return f"平成{'元' if n == 1 else n}年度"
    return f"{fy}年度"


def short_wareki(fy: int) -> str:
    """R6 style label."""
    return f"R{fy - 2018}" if fy >= 2019 else f"H{fy - 1988}"


def format_date_jp(day: dt.date) -> str:
    """2025年5月16日（金） style, as printed on a cover sheet."""
    weekday = "月火水木金土日"[day.weekday()]
    return f"{day.year}年{day.month}月{day.day}日（{weekday}）"


_DATE_ERA = re.compile(r"^(令和|平成|昭和|R|H|S)(元|\d{1,2})[年.\-/](\d{1,2})[月.\-/](\d{1,2})日?$")
_DATE_WESTERN = re.compile(r"^(\d{4})[年.\-/](\d{1,2})[月.\-/](\d{1,2})日?$")
_MONTH_ERA = re.compile(r"^(令和|平成|昭和|R|H|S)(元|\d{1,2})[年.\-/](\d{1,2})月?$")
_MONTH_WESTERN = re.compile(r"^(\d{4})[年.\-/](\d{1,2})月?$")


def parse_date(value: object) -> dt.date:
    """A date as typed in Japan: 令和6年4月1日, R6.4.1, 2024/4/1, 令和元年5月1日, ㋿6年4月 (→ the 1st), or a real
    date cell. A pair that disagrees ("R6.4.1 (2025/4/1)") and an era date before its era began are errors."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if value is None or isinstance(value, (bool, int, float)):
        raise YearError(f"日付として読めません: {value}")
    text = _clean(str(value))
    pair = _agreeing_pair(text, parse_date, lambda a, b: f"日付の表記が食い違っています: {value}（{a} と {b}）")
    if pair is not None:
        return pair
    for pattern, era in ((_DATE_ERA, True), (_DATE_WESTERN, False), (_MONTH_ERA, True), (_MONTH_WESTERN, False)):
        match = pattern.match(text)
        if not match:
            continue
        parts = match.groups()
        if era:
            year = ERAS[parts[0]] + (1 if parts[1] == "元" else int(parts[1]))
            month, day = int(parts[2]), int(parts[3]) if len(parts) > 3 else 1
        else:
            year, month, day = int(parts[0]), int(parts[1]), int(parts[2]) if len(parts) > 2 else 1
        try:
            date = dt.date(year, month, day)
        except ValueError as exc:
            raise YearError(f"存在しない日付です: {value}") from exc
        if era and parts[0] in ("令和", "R") and date < dt.date(2019, 5, 1):
            raise YearError(f"令和は 2019年5月1日からです: {value}")
        if era and parts[0] in ("平成", "H") and date >= dt.date(2019, 5, 1):
            raise YearError(f"平成は 2019年4月30日までです: {value}")
        return date
    raise YearError(f"日付として読めません: {value}")
