"""When 未達理由・今後の対応 is required — one definition, read by K4 and written into the form's live
self-check, so a section whose self-check is empty never gets a K4 error:

1. the self-assessed grade is a bad one of the city's scale (C・D, △・× …);
2. the computed grade is C or D (shown on the city's scale in the form);
3. the actual is worse than the baseline (on the KPI's better side: 以上/以下, else 増加/減少);
4. the 進捗状況 is 遅れ — typed as the city's △ too (Sasebo requires 未達理由 on every △, whatever the stage).
"""
from __future__ import annotations

from dxdesk.rules.scales import Scale

BAD_GRADES = ("C", "D")
LATE = "遅れ"
LATE_TYPED = (LATE, "△", "▲", "△：遅れている", "遅れている")  # how a late 進捗状況 is typed (rules.kpi.schedule_status)
# Lower is better, in the form's cells: a 以下 ceiling, or 減少 without a floor (as rules.kpi.higher_is_better).
LOWER_FORMULA = 'OR({comparator}="以下",AND({comparator}<>"以上",{direction}="減少"))'


def cause_reason(scale: Scale, self_grade: str, computed_grade: str | None, actual: float | None,
                 baseline: float | None, higher_is_better: bool, schedule: str = "", typed: str = "") -> str:
    """Why a cause is required (K4's wording), or "" when it is not. `schedule` is the 進捗状況 read,
    `typed` how it was typed (△)."""
    if self_grade in scale.bad:
        return f"自己評価 {self_grade}"
    if computed_grade in BAD_GRADES:
        return f"算定評価 {scale.shown.get(computed_grade, computed_grade)}"
    if actual is not None and baseline is not None and (actual < baseline if higher_is_better else actual > baseline):
        return "実績値が基準値より悪化"
    if schedule == LATE:
        return f"進捗状況 {typed.strip() or LATE}（遅れ）" if typed.strip() != LATE else f"進捗状況 {LATE}"
    return ""


def cause_formula(scale: Scale) -> str:
    """The same three cases as one Excel condition over the row's cells ({self_grade} → Q5 …)."""
    cases = [f'{{self_grade}}="{g}"' for g in scale.bad]
    cases += [f'{{computed_grade}}="{shown}"' for shown in dict.fromkeys(scale.shown[g] for g in BAD_GRADES)]
    cases.append(f"AND(ISNUMBER({{actual}}),ISNUMBER({{baseline}}),"
                 f"IF({LOWER_FORMULA},{{actual}}>{{baseline}},{{actual}}<{{baseline}}))")
    cases += [f'{{schedule}}="{late}"' for late in LATE_TYPED]
    return "OR(" + ",".join(cases) + ")"
