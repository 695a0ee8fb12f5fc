"""Systems and their cost-effectiveness record (Shizuoka's 様式②; 計画マスタ「システム」).

Costs are in 千円. Real sheets write words where a number would go (未定, 無し, シナリオにより異なる,
【AI-OCR】無し（県共同導入事業による）): those are kept as a status and never turned into a number, so
totals are the sums of the numeric values only. A zero (ぴったりサービス, a free national service) is a
real 0, not a missing value.
"""
from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass

from dxdesk.normalize import format_number
from dxdesk.years import YearError, fy_of_date, parse_fy, short_wareki

_AMOUNT = re.compile(r"(?P<num>\d[\d,]*(?:\.\d+)?)\s*(?:千円)?\s*(?:[/／]\s*年)?\s*"
                     r"(?:[（(](?P<tag>[^）)]*)[）)])?")
_TAG = re.compile(r"^【[^】]*】")
_YEAR_IN_TAG = re.compile(r"^(令和|平成|R|H)\s*(元|\d{1,2})(?:年度)?(?:[.．](\d{1,2}))?")


@dataclass(frozen=True)
class Cost:
    """One amount in 千円 (value), or the words written instead (status); the year it is for, if said."""

    value: float | None = None
    status: str = ""
    fy: int | None = None
    note: str = ""

    @property
    def numeric(self) -> bool:
        return self.value is not None

    @property
    def blank(self) -> bool:
        return self.value is None and not self.status

    @property
    def shown(self) -> str:
        """「13,365」 or the status as written（未定・無し …）, with the note."""
        text = format_number(self.value) if self.value is not None else self.status
        return text + (f"（{self.note}）" if self.note else "")


@dataclass(frozen=True)
class System:
    system_id: str
    measure_ids: tuple[str, ...]   # the first is its home; the others list it again (counted once)
    name: str
    section_code: str = ""         # 所管課
    summary: str = ""              # 概要
    configuration: str = ""        # 構成
    intro_text: str = ""           # 導入年度 as written (令和7年度（実証）, 平成28年度（令和5年度一部改修）)
    intro_fy: int | None = None
    intro_cost: Cost = Cost()
    opex: tuple[Cost, ...] = ()    # 運用経費 (千円/年), one per year given
    effect: str = ""               # 効果 (CHECK)
    issue: str = ""                # 課題 (CHECK)
    action: str = ""               # 利益最大化のために何をすべきか (ACT)
    usage_kpi: str = ""            # 利用指標ID: the KPI counting its use (cost per use)
    seq: int = 0

    @property
    def home(self) -> str:
        return self.measure_ids[0]

    def opex_for(self, fy: int) -> Cost | None:
        """The running cost the plan gives for that year, else the latest one before it."""
        dated = [c for c in self.opex if c.fy is not None and c.fy <= fy]
        exact = [c for c in dated if c.fy == fy]
        if exact:
            return exact[0]
        if dated:
            return max(dated, key=lambda c: c.fy)
        undated = [c for c in self.opex if c.fy is None]
        return undated[0] if undated else None

    @property
    def opex_shown(self) -> str:
        """The plan's running costs as written, each with its year: 「13,365（R6）、未定（R7）」."""
        return "、".join(c.shown + (f"（{short_wareki(c.fy)}）" if c.fy else "") for c in self.opex)

    @property
    def planned_opex(self) -> Cost | None:
        """The plan's latest running cost (the one a systems table shows)."""
        if not self.opex:
            return None
        return max(self.opex, key=lambda c: c.fy or 0)


def _fy_of_tag(tag: str) -> tuple[int | None, str]:
    """「R7」→ 2025; 「R8.3～」(from March of Reiwa 8) → FY2025; 「R7サイト更改」→ (2025, 'サイト更改')."""
    text = unicodedata.normalize("NFKC", tag).strip()
    match = _YEAR_IN_TAG.match(text)
    if not match:
        return None, text
    era = 2018 if match.group(1) in ("令和", "R") else 1988
    year = era + (1 if match.group(2) == "元" else int(match.group(2)))
    rest = text[match.end():].strip()
    if match.group(3):  # a month: the fiscal year of that month; the month stays in the note
        return fy_of_date(dt.date(year, int(match.group(3)), 1)), text
    return year, rest


def parse_costs(value: object, year: object = None) -> tuple[list[Cost], bool]:
    """A cost cell → its amounts (several years may share one cell), or one status; (costs, ok).
    `year` is the separate year column, used when the cell does not say its year. ok is False only
    when the year column cannot be read."""
    fy_given, ok = None, True
    if year not in (None, ""):
        try:
            fy_given = parse_fy(year)
        except YearError:
            ok = False
    if value is None or (isinstance(value, str) and not value.strip()):
        return [], ok
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return [Cost(float(value), fy=fy_given)], ok
    text = unicodedata.normalize("NFKC", str(value)).strip()
    text = _TAG.sub("", text).strip()
    text = text.replace(",", ",")
    amounts = []
    rest = text
    for match in _AMOUNT.finditer(text):
        if match.start() != 0 and text[:match.start()].strip(" 、,/\n") and not amounts:
            break  # words before the first number: a status that mentions a number
        fy, note = _fy_of_tag(match.group("tag") or "")
        amounts.append(Cost(float(match.group("num").replace(",", "")), fy=fy or fy_given, note=note))
        rest = rest.replace(match.group(0), "", 1)
    if amounts and not rest.strip(" 、,/\n・"):
        return amounts, ok
    status, note = text, ""
    paren = re.match(r"^(.+?)\s*[（(](.+)[）)]$", text)
    if paren:
        status, note = paren.group(1).strip(), paren.group(2).strip()
    return [Cost(None, status=status, fy=fy_given, note=note)], ok


def parse_intro_year(value: object) -> int | None:
    """導入年度 as written → the first fiscal year in it (令和7年度～令和12年度 → 2025), or None."""
    if value is None or value == "":
        return None
    try:
        return parse_fy(value)
    except YearError:
        pass
    text = _TAG.sub("", unicodedata.normalize("NFKC", str(value)).strip())
    match = re.search(r"(令和|平成)(元|\d{1,2})年度?|(?:^|\D)(20\d\d)(?:年度?|$)", text)
    if not match:
        return None
    if match.group(3):
        return int(match.group(3))
    return (2018 if match.group(1) == "令和" else 1988) + (1 if match.group(2) == "元" else int(match.group(2)))


def cost_total(costs: list[Cost | None]) -> float:
    """The sum of the numeric amounts only (statuses such as 未定 are not numbers and add nothing)."""
    return sum(c.value for c in costs if c is not None and c.value is not None)
