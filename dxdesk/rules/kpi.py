"""KPI logic: achievement (two labelled definitions) and the grade, direction- and floor-aware.

The reference two-track A–D scale (DOMAIN §4): KPI-managed measures (stage 2, 4) are graded from
the numbers; schedule-managed ones (stage 1, 3・4) from the milestone status; stages 3 and 5 are not
graded. Every judgement says which target it used (this year's interim target or the end-of-plan one).
"""
from __future__ import annotations

from dataclasses import dataclass

from dxdesk.plan.model import KPI_MANAGED_STAGES, SCHEDULE_MANAGED_STAGES, Kpi
from dxdesk.years import wareki

NOT_EVALUATED = "評価未実施"
NOT_GRADED = "対象外"
SCHEDULE_STATUSES = ("完了", "予定どおり", "遅れ", "未着手")
SCHEDULE_GRADES = {"完了": "A", "予定どおり": "B", "遅れ": "C", "未着手": "D"}
GRADES = ("A", "B", "C", "D")
# The challenge marks a city writes for 進捗状況 (Sasebo: ○ 予定どおり / △ 遅れている, 未達理由 required on △):
# read as the statuses they stand for, the mark itself kept and shown beside the status in the outputs.
CITY_MARKS = {"○": "予定どおり", "〇": "予定どおり", "◯": "予定どおり", "△": "遅れ", "▲": "遅れ"}
LATE = "遅れ"


def schedule_status(text: str) -> str | None:
    """A 進捗状況 as typed → the status: 「○」「○：予定どおり」「△ 遅れている」「遅れている」; None when unknown."""
    text = "".join(text.split())
    if text in SCHEDULE_STATUSES:
        return text
    mark, words = text[:1], text[1:].lstrip(":：・")
    if mark in CITY_MARKS and (not words or schedule_status(words) == CITY_MARKS[mark]):
        return CITY_MARKS[mark]
    return {"遅れている": LATE, "予定通り": "予定どおり", "計画どおり": "予定どおり"}.get(text)


def city_mark(text: str) -> str:
    """The challenge mark (○ / △) a 進捗状況 was typed with, "" when it was written in words."""
    text = text.strip()
    return "○" if text[:1] in ("○", "〇", "◯") else ("△" if text[:1] in ("△", "▲") else "")
_EPS = 1e-9


@dataclass(frozen=True)
class Judgement:
    grade: str | None        # A–D, 対象外, or None when the numbers cannot decide
    achievement: float | None  # 達成率 = 実績 ÷ 目標 (減少は 目標 ÷ 実績)
    progress: float | None     # 進捗率 = (実績 − 基準) ÷ (目標 − 基準)
    target: float | None       # the target judged against
    basis: str                 # 判定基準: which target, or why no grade
    reason: str = ""


def _close(a: float, b: float) -> bool:
    return abs(a - b) <= _EPS * max(1.0, abs(a), abs(b))


def higher_is_better(kpi: Kpi) -> bool:
    """以上 is a floor, 以下 a ceiling; otherwise the direction decides (維持 = at least the target)."""
    if kpi.comparator:
        return kpi.comparator == "以上"
    return kpi.direction in ("増加", "維持")


def achievement_ratio(kpi: Kpi, actual: float, target: float | None) -> float | None:
    """実績 ÷ 目標, inverted for lower-is-better (減少, or a 以下 ceiling); None where it would divide by zero."""
    if target is None:
        return None
    if not higher_is_better(kpi):
        return None if actual == 0 else target / actual
    return None if target == 0 else actual / target


def progress_ratio(kpi: Kpi, actual: float, target: float | None) -> float | None:
    """(実績 − 基準) ÷ (目標 − 基準), only where the target lies on the better side of the baseline: absent
    for a maintenance target (基準 = 目標) and for a floor or ceiling already met by the baseline
    ("80%以上" from 98.2%), where the ratio would say nothing (−9900 %, or 300 % for a fall)."""
    baseline = kpi.baseline
    if baseline is None or target is None or _close(target, baseline):
        return None
    better = target > baseline if higher_is_better(kpi) else target < baseline
    if not better:
        return None
    return (actual - baseline) / (target - baseline)


def achieved(kpi: Kpi, actual: float, target: float) -> bool:
    if higher_is_better(kpi):
        return actual >= target or _close(actual, target)
    return actual <= target or _close(actual, target)


def judge_kpi(kpi: Kpi, actual: float | None, fy: int, year_target: float | None = None) -> Judgement:
    """Grade a KPI-managed KPI: A achieved; B better than baseline; C equal; D worse."""
    target = year_target if year_target is not None else kpi.target
    if year_target is not None:
        basis = f"{wareki(fy)}目標"
    else:
        basis = f"最終目標（{wareki(kpi.target_fy)}）" if kpi.target_fy else "最終目標"
    if actual is None:
        return Judgement(None, None, None, target, basis, "実績値なし")
    ratio = achievement_ratio(kpi, actual, target)
    progress = progress_ratio(kpi, actual, target)
    if target is None:
        return Judgement(None, None, None, None, "目標値なし", "数値目標がないため算定できません")
    if achieved(kpi, actual, target):
        return Judgement("A", ratio, progress, target, basis)
    if kpi.baseline is None:
        return Judgement(None, ratio, progress, target, basis, "基準値がないため B〜D を算定できません")
    sign = 1.0 if higher_is_better(kpi) else -1.0
    if _close(actual, kpi.baseline):
        grade = "C"
    else:
        grade = "B" if sign * (actual - kpi.baseline) > 0 else "D"
    return Judgement(grade, ratio, progress, target, basis)


def judge(stage: str, kpi: Kpi, actual: float | None, fy: int, year_target: float | None,
          schedule: str = "") -> Judgement:
    """The two-track grade: by the numbers, by the schedule status, or not graded — chosen by the stage."""
    if stage in KPI_MANAGED_STAGES:
        return judge_kpi(kpi, actual, fy, year_target)
    numbers = judge_kpi(kpi, actual, fy, year_target) if actual is not None else None
    ratio = numbers.achievement if numbers else None
    progress = numbers.progress if numbers else None
    if stage in SCHEDULE_MANAGED_STAGES:
        grade = SCHEDULE_GRADES.get(schedule)
        reason = "" if grade else "進捗状況が未入力"
        return Judgement(grade, ratio, progress, None, "スケジュール管理（進捗状況）", reason)
    return Judgement(NOT_GRADED, ratio, progress, None, f"段階{stage}は評価対象外")
