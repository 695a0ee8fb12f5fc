from __future__ import annotations

from typing import Iterable

from dxdesk.normalize import format_number
from dxdesk.rules.engine import CheckContext, Rule
from dxdesk.rules.findings import Finding
from dxdesk.plan.model import SCHEDULE_MANAGED_STAGES
from dxdesk.rules.kpi import GRADES, SCHEDULE_GRADES


class GradeMatchesNumbers(Rule):
    """K2: the self-grade differs from the grade computed from the numbers (DOMAIN §4)."""

    code = "K2"

    def check(self, ctx: CheckContext) -> Iterable[Finding]:
        scale = ctx.scale
        for kpi, measure, row in ctx.kpi_rows():
            grade = ctx.text(row, "self_grade")
            if grade not in scale.grades:
                continue  # blank, or a grade the numbers never decide (評価未実施, 中止 …)
            judged = ctx.judgement(kpi, measure, row)
            if judged.grade in GRADES and not scale.consistent(grade, judged.grade):
                if measure.stage in SCHEDULE_MANAGED_STAGES:
                    schedule = ctx.text(row, "schedule")
                    source = f"進捗状況「{schedule}」"
                    numbers = "・".join(f"{s} = {scale.shown[g]}" for s, g in SCHEDULE_GRADES.items())
                else:
                    source = "数値"
                    numbers = (f"基準値 {format_number(kpi.baseline) or 'なし'}・目標値 {format_number(judged.target) or 'なし'}"
                               f"・実績値 {format_number(ctx.num(row, 'actual'))}・方向 {kpi.direction}"
                               + (f"・{kpi.comparator}" if kpi.comparator else ""))
                yield ctx.finding("K2", "progress", kpi.kpi_id, row["self_grade"], "self_grade",
                                  value=grade, expected=scale.shown[judged.grade], basis=judged.basis,
                                  numbers=numbers, source=source)
