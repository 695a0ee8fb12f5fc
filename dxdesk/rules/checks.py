"""The first checks of a return: required inputs (V1), grade vs numbers (K2), cause (K4), unchanged (S8)."""
from __future__ import annotations

from typing import Iterable

from dxdesk.normalize import format_number
from dxdesk.plan.model import KPI_MANAGED_STAGES, SCHEDULE_MANAGED_STAGES, UNGRADED_STAGES
from dxdesk.rules.engine import CheckContext, Rule
from dxdesk.rules.findings import Finding, make
from dxdesk.rules.kpi import GRADES, NOT_EVALUATED


class Unchanged(Rule):
    """S8: not a single input cell filled in."""

    code = "S8"

    def check(self, ctx: CheckContext) -> Iterable[Finding]:
        prefilled = {f.key for s in ctx.form.sheets for f in s.fields if f.prefilled}
        filled = any(not v.blank for rows in ctx.values.values() for row in rows.values()
                     for key, v in row.items() if key not in prefilled)
        if not filled:
            yield make("S8", file=ctx.file, section=ctx.section)


class RequiredInputs(Rule):
    """V1: what must be filled depends on the life-cycle stage and the grade."""

    code = "V1"

    def check(self, ctx: CheckContext) -> Iterable[Finding]:
        for kpi, measure, row in ctx.kpi_rows():
            grade = row["self_grade"].text if "self_grade" in row else ""
            needed = []
            if measure.stage in KPI_MANAGED_STAGES and grade != NOT_EVALUATED:
                needed.append(("actual", "実績値がない場合は、自己評価を「評価未実施」にして理由を未達理由欄に記入してください。"))
            if measure.stage in SCHEDULE_MANAGED_STAGES:
                needed.append(("schedule", "段階1・3・4の施策は、スケジュールの進捗状況を選んでください。"))
            if measure.stage not in UNGRADED_STAGES:
                needed.append(("self_grade", ""))
            if grade == NOT_EVALUATED:
                needed.append(("cause", "評価未実施の理由を記入してください。"))
            for field_key, extra in needed:
                value = row.get(field_key)
                if value is not None and value.blank:
                    yield ctx.finding("V1", "progress", kpi.kpi_id, value, field_key, extra_hint=extra)
        for key, row in ctx.values.get("budget", {}).items():
            budget, settlement = row.get("budget"), row.get("settlement")
            if budget and budget.num and settlement is not None and settlement.blank:
                yield ctx.finding("V1", "budget", key, settlement, "settlement",
                                  extra_hint="予算額がある施策は決算額（千円）が必要です。")


class GradeMatchesNumbers(Rule):
    """K2: the self-grade differs from the grade computed from the numbers (DOMAIN §4)."""

    code = "K2"

    def check(self, ctx: CheckContext) -> Iterable[Finding]:
        for kpi, measure, row in ctx.kpi_rows():
            grade = row["self_grade"].text if "self_grade" in row else ""
            if grade not in GRADES:
                continue
            judged = ctx.judgement(kpi, measure, row)
            if judged.grade in GRADES and judged.grade != grade:
                numbers = (f"基準値 {format_number(kpi.baseline) or 'なし'}・目標値 {format_number(judged.target) or 'なし'}"
                           f"・実績値 {format_number(row['actual'].num) if 'actual' in row else ''}・方向 {kpi.direction}"
                           + (f"・{kpi.comparator}" if kpi.comparator else ""))
                yield ctx.finding("K2", "progress", kpi.kpi_id, row["self_grade"], "self_grade",
                                  value=grade, expected=judged.grade, basis=judged.basis, numbers=numbers)


class CauseRequired(Rule):
    """K4: grade C or D, or an actual worse than the baseline, needs a cause and the next action."""

    code = "K4"

    def check(self, ctx: CheckContext) -> Iterable[Finding]:
        for kpi, measure, row in ctx.kpi_rows():
            cause = row.get("cause")
            if cause is None or not cause.blank:
                continue
            grade = row["self_grade"].text if "self_grade" in row else ""
            judged = ctx.judgement(kpi, measure, row)
            actual = row["actual"].num if "actual" in row else None
            worse = (actual is not None and kpi.baseline is not None
                     and (kpi.baseline - actual if kpi.direction != "減少" else actual - kpi.baseline) > 0)
            reason = (f"自己評価 {grade}" if grade in ("C", "D") else
                      f"算定評価 {judged.grade}" if judged.grade in ("C", "D") else
                      "実績値が基準値より悪化" if worse else "")
            if reason:
                yield ctx.finding("K4", "progress", kpi.kpi_id, cause, "cause", reason=reason)


UNCHANGED = Unchanged()
FIRST_CHECKS = (RequiredInputs(), GradeMatchesNumbers(), CauseRequired())
