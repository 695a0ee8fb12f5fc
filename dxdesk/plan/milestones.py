"""Milestones: the roadmap of a measure (計画マスタ「マイルストーン」), their due dates and the schedule grade.

A schedule-managed measure (stage 1, 3・4) is graded from its milestones rather than from a KPI
(DOMAIN §4, RULES L1–L2); every measure may carry roadmap entries (Shizuoka's R6–R8 text), which the
form and the roadmap sheet show.
"""
from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass

NOT_STARTED, IN_PROGRESS, DONE, POSTPONED, CANCELLED = "未着手", "実施中", "完了", "延期", "中止"
MILESTONE_STATUSES = (NOT_STARTED, IN_PROGRESS, DONE, POSTPONED, CANCELLED)
STATUS_ALIASES = {"未実施": NOT_STARTED, "着手前": NOT_STARTED, "実施": IN_PROGRESS, "進行中": IN_PROGRESS,
                  "対応中": IN_PROGRESS, "済": DONE, "完了済": DONE, "済み": DONE, "実施済": DONE,
                  "遅延": POSTPONED, "遅れ": POSTPONED, "見送り": POSTPONED, "取りやめ": CANCELLED,
                  "廃止": CANCELLED}
QUARTERS = {1: 6, 2: 9, 3: 12, 4: 3}  # fiscal quarter → its last month (Q1 = 4–6月)


@dataclass(frozen=True)
class Milestone:
    measure_id: str
    milestone_id: str
    content: str
    fy: int | None              # 予定年度 (fiscal year)
    period: str = ""            # 予定時期 as written (7月, 第2四半期, Q3, 下期 …); blank = within the year
    due_month: int | None = None  # the last month the period covers (None = the year's end, March)
    status: str = ""            # 状況 as known when the plan was written
    note: str = ""
    seq: int = 0

    @property
    def due(self) -> dt.date | None:
        """The last day the milestone is due: the end of its month or quarter, else 31 March of its year."""
        if self.fy is None:
            return None
        month = self.due_month or 3
        year = self.fy if month >= 4 else self.fy + 1
        following = dt.date(year + (month == 12), month % 12 + 1, 1)
        return following - dt.timedelta(days=1)

    @property
    def when(self) -> str:
        """予定 as shown: 「R7 第2四半期」「R7 7月」「R7」."""
        from dxdesk.years import short_wareki
        if self.fy is None:
            return self.period or "時期未定"
        return short_wareki(self.fy) + (f" {self.period}" if self.period else "")


def parse_period(value: object) -> tuple[int | None, bool]:
    """予定時期 → (the last month it covers, readable). Blank → (None, True): the whole fiscal year."""
    text = unicodedata.normalize("NFKC", "" if value is None else str(value)).strip().replace(" ", "")
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        text = str(int(value)) if float(value).is_integer() else text
    if not text or text in ("通年", "年度内", "年度末"):
        return None, True
    month = re.fullmatch(r"(\d{1,2})月?(?:末|中|頃|ごろ)?", text)
    if month and 1 <= int(month.group(1)) <= 12:
        return int(month.group(1)), True
    quarter = re.fullmatch(r"第([1-4])四半期|Q([1-4])|([1-4])Q", text, re.IGNORECASE)
    if quarter:
        number = int(next(g for g in quarter.groups() if g))
        return QUARTERS[number], True
    if text in ("上期", "上半期", "前期"):
        return 9, True
    if text in ("下期", "下半期", "後期"):
        return 3, True
    return None, False


def normalise_status(value: object) -> str | None:
    """状況 → one of MILESTONE_STATUSES, '' for blank, None when not recognised."""
    text = unicodedata.normalize("NFKC", "" if value is None else str(value)).strip().replace(" ", "")
    if not text:
        return ""
    if text in MILESTONE_STATUSES:
        return text
    return STATUS_ALIASES.get(text)


def is_overdue(milestone: Milestone, status: str, fy: int) -> bool:
    """Due by the end of the reported fiscal year and neither done nor cancelled."""
    due = milestone.due
    return due is not None and due <= dt.date(fy + 1, 3, 31) and status not in (DONE, CANCELLED)


def schedule_grade(items: list[tuple[Milestone, str]], fy: int) -> str | None:
    """The two-track schedule grade of a measure from its milestones' statuses (DOMAIN §4):
    A all done; B the milestones due this year or earlier are done (later ones under way or not started);
    C something due is late (延期 or not done); D nothing due has been started. None without any status."""
    live = [(m, s) for m, s in items if s != CANCELLED]
    if not live or all(not s for _, s in live):
        return None
    if all(s == DONE for _, s in live):
        return "A"
    late = [(m, s) for m, s in live if is_overdue(m, s, fy) or s == POSTPONED]
    if not late:
        return "B"
    due = [(m, s) for m, s in live if m.due is not None and m.due <= dt.date(fy + 1, 3, 31)]
    if due and all(s in (NOT_STARTED, "") for _, s in due):
        return "D"
    return "C"
