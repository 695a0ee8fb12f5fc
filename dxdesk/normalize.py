"""Japanese value normalisation: numbers typed the way people really type them.

Every function returns what it read and whether it had to change the text, so the caller can
leave an INFO finding with the original; anything ambiguous is an error, never a guess.
"""
from __future__ import annotations

import datetime as dt
import math
import functools
import re
import unicodedata
from dataclasses import dataclass

import jaconv

_SPACES = re.compile(r"[\s\u00a0\u3000]+")
_MINUS = "-−－‐‑–—ー"
_NEGATIVE_MARKS = "△▲"
# Units a number may carry inside its cell, longest first; the multiplier converts to the base unit.
UNIT_SUFFIXES = (
    ("百万円", "円", 1_000_000), ("千円", "千円", 1), ("万円", "円", 10_000), ("円", "円", 1),
    ("%", "%", 1), ("割", "%", 10),
)
_PREFIX_UNITS = (("¥", "円"), ("￥", "円"))
# Count units of the three cities' KPI tables (Sasebo, Shizuoka, Koriyama) and a few everyday ones: a number
# typed with one of them (「90手続」) is read when it is the KPI's own unit, and is a V3 when it is another.
COUNT_UNITS = (
    "件", "人", "回", "手続", "業務", "時間", "枚", "箇所", "施設", "拠点", "戸", "台", "校", "種類", "種別",
    "項目", "言語", "窓口", "事業", "事業所", "システム", "セッション", "チャネル", "PV", "アプリ", "ライセンス",
    "地点", "所属", "点", "社", "t-CO2", "名", "本", "冊", "個", "団体", "世帯", "日", "か所", "カ所", "ヵ所", "ヶ所",
)
SAME_UNITS = {"人": ("名",), "箇所": ("か所", "カ所", "ヵ所", "ヶ所"), "件": ("件数",)}
_NUMBER_RE = re.compile(r"^\d+(?:,\d{3})*(?:\.\d+)?$|^\d*\.\d+$|^\d+$")


@dataclass(frozen=True)
class Number:
    """A parsed number: value (None if blank), the unit found in the cell, whether text was changed."""

    value: float | None
    unit: str | None = None
    changed: bool = False
    error: str | None = None


def is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not _SPACES.sub("", value))


def to_half(text: str) -> str:
    """全角英数字・記号を半角に（カナはそのまま）。丸数字は変えない。"""
    return jaconv.z2h(text, kana=False, ascii=True, digit=True)


def parse_number(value: object) -> Number:
    """Read a number from a cell value: 全角 digits, commas, △/▲/(…) negatives, units, %."""
    if is_blank(value):
        return Number(None)
    if isinstance(value, bool):
        return Number(None, error="真偽値は数値として読めません")
    if isinstance(value, (int, float)):
        if value != value or value in (float("inf"), float("-inf")):
            return Number(None, error="数値として読めません")
        return Number(float(value))
    if isinstance(value, (dt.date, dt.datetime, dt.time)):
        return Number(None, error="日付が入力されています（数値を入力してください）")
    original = str(value)
    text = _SPACES.sub("", to_half(original))
    negative = False
    if text[:1] in _NEGATIVE_MARKS or (text[:1] in _MINUS and len(text) > 1):
        negative, text = True, text[1:]
    elif text.startswith("(") and text.endswith(")"):
        negative, text = True, text[1:-1]
    unit, factor = None, 1.0
    for prefix, prefix_unit in _PREFIX_UNITS:
        if text.startswith(prefix):
            unit, text = prefix_unit, text[len(prefix):]
    for suffix, base_unit, multiplier in UNIT_SUFFIXES:
        if text.endswith(suffix) and len(text) > len(suffix):
            unit, factor, text = base_unit, multiplier, text[: -len(suffix)]
            break
    if not _NUMBER_RE.match(text):
        return Number(None, error=f"数値として読めません: 「{original}」")
    number = float(text.replace(",", "")) * factor
    if not math.isfinite(number):  # 309 digits typed as text: float() gives inf, which no output can hold
        return Number(None, error=f"桁が多すぎて数値として読めません: 「{original[:40]}…」")
    if negative:
        number = -number
    changed = True  # a number typed as text is always worth an INFO with the original
    return Number(number, unit=unit, changed=changed)


_DITTO_MARKS = re.compile(r"^[〃″”“\"＂仝々ゝヽ]+$")
_DITTO_WORDS = {"同上", "同左", "上に同じ", "上と同じ", "上記に同じ", "上記と同じ", "同前", "以下同じ", "ditto"}


def placeholder_meaning(text: str) -> str | None:
    """What a text input that only points elsewhere means (「〃」「同上」), or None for real text."""
    bare = _SPACES.sub("", text).strip("。.、,（）()")
    if not bare:
        return None
    if _DITTO_MARKS.match(bare):
        return "上の行と同じという意味の記号"
    if bare.lower() in _DITTO_WORDS:
        return "上の行・左の欄と同じという意味の語"
    return None


def unit_names(unit: str) -> set[str]:
    """What a KPI's unit may be written as: 「件（本）」 → 件（本）, 件, 本; 「人」 → 人, 名."""
    names = {unit}
    inner = re.match(r"^(.+?)[（(](.+?)[）)]$", unit or "")
    if inner:
        names |= {inner.group(1), inner.group(2)}
    for name in list(names):
        names |= set(SAME_UNITS.get(name, ()))
    return {n for n in names if n}


def split_count_unit(text: str, own_unit: str = "") -> tuple[str, str] | None:
    """「90手続」 → ("90", "手続"), 「１，０２０人」 → ("1,020", "人"): a number followed by a count unit (the KPI's own
    or one of COUNT_UNITS); None when the text does not end in one."""
    plain = _SPACES.sub("", to_half(text))
    for unit in sorted((set(COUNT_UNITS) | unit_names(own_unit)) - {"%", "％"}, key=len, reverse=True):
        if plain.endswith(unit) and len(plain) > len(unit) and plain[-len(unit) - 1].isdigit():
            return plain[: -len(unit)], unit
    return None


def clean_text(value: object) -> str:
    """Cell text for storage: None → '', numbers without a trailing .0, surrounding spaces removed."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip().replace("\u00a0", " ")


def normalise_key(text: object) -> str:
    """Header / code comparison key: NFKC, no spaces, no line breaks (never used for stored text)."""
    if text is None or text == "":
        return ""
    if isinstance(text, str):
        return _normalised_text(text)
    return _SPACES.sub("", unicodedata.normalize("NFKC", clean_text(text)))


@functools.lru_cache(maxsize=4096)
def _normalised_text(text: str) -> str:  # header labels repeat in every return
    return _SPACES.sub("", unicodedata.normalize("NFKC", clean_text(text)))


def format_number(value: float | None, digits: int = 1) -> str:
    """1,234 or 12.5 — integers without decimals, others with `digits` decimals; negatives the office's way
    (△19,077, see outputs/numfmt.py)."""
    from dxdesk.outputs.numfmt import number
    return number(value, digits)
