"""The self-grade a section of the reference city would give, written into the generated 今年度実績.csv
files (columns 自己評価 and 進捗状況), so that test and demo returns are filled from data and never by
dxdesk's own judge() — the function those returns are checked against.

DOMAIN §4 (Akita, the reference city, where self-grades agree exactly with the numbers):
A ⇔ the actual reaches the target the section is judged against (this year's plan value where the plan
has one, else the end-of-plan target; 以上 a floor, 以下 a ceiling), B ⇔ better than the baseline,
C ⇔ equal to it, D ⇔ worse. Without a baseline a section that has not reached the target says B
(partly achieved). No actual → 評価未実施. Schedule-managed measures (stages 1, 3・4) report the city's
own challenge mark as their 進捗状況 (○ 予定どおり → 予定どおり, △ 遅れている → 遅れ) and grade it
予定どおり → B, 遅れ → C. Stages 3 and 5 are not graded.
"""
from __future__ import annotations

STATUS_OF_MARK = {"○": "予定どおり", "△": "遅れ"}
GRADE_OF_STATUS = {"完了": "A", "予定どおり": "B", "遅れ": "C", "未着手": "D"}


def _f(text: str) -> float | None:
    try:
        return float(text)
    except (TypeError, ValueError):
        return None


def self_grade(stage: str, actual: str, baseline: str, target: str, lower_is_better: bool,
               comparator: str = "", status: str = "") -> tuple[str, str]:
    """(自己評価, 進捗状況) for one KPI row of a return."""
    if stage in ("3", "5"):
        return "", ""
    if stage in ("1", "3・4"):
        status = status or "予定どおり"
        return GRADE_OF_STATUS[status], status
    a, b, t = _f(actual), _f(baseline), _f(target)
    if a is None:
        return "評価未実施", ""
    lower = comparator == "以下" or (comparator != "以上" and lower_is_better)
    if t is not None and (a <= t if lower else a >= t):
        return "A", ""
    if b is None:
        return "B", ""
    if a == b:
        return "C", ""
    return ("B" if (a < b if lower else a > b) else "D"), ""
