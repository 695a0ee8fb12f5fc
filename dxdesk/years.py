"""Fiscal years (年度) and Japanese eras: 2024, FY2024, R6, R6年度, 令和6年度, 令和元年度, H31, ㋿6."""
from __future__ import annotations

import datetime as dt
import re
import unicodedata

ERAS = {"令和": 2018, "R": 2018, "㋿": 2018, "平成": 1988, "H": 1988, "昭和": 1925, "S": 1925}
_ERA_RE = re.compile(r"^(令和|平成|昭和|㋿|R|H|S)\s*(元|\d{1,2})\s*(?:年度|年)?$")
_WESTERN_RE = re.compile(r"^(?:FY)?\s*(\d{4})\s*(?:年度|年)?$")
_PAIR_RE = re.compile(r"^(.+?)\s*[（(]\s*(.+?)\s*[)）]$")


class YearError(ValueError):
    """A year text that cannot be read, or whose two spellings disagree."""


def _clean(text: str) -> str:
    # NFKC would turn ㋿ into 令和, which is what we want here; strip all spaces.
    text = unicodedata.normalize("NFKC", text)
    return re.sub(r"\s+", "", text).upper().replace("FY.", "FY")


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
    pair = _PAIR_RE.match(text)
    if pair:
        first, second = parse_fy(pair.group(1)), parse_fy(pair.group(2))
        if first != second:
            raise YearError(f"年度の表記が食い違っています: {value}（{first}年度と{second}年度）")
        return first
    era = _ERA_RE.match(text.replace("令和", "令和"))
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
