from __future__ import annotations

from typing import Iterable

from dxdesk.plan.milestones import IN_PROGRESS, NOT_STARTED, POSTPONED, is_overdue
from dxdesk.plan.model import UNGRADED_STAGES
from dxdesk.rules.engine import CheckContext, Rule
from dxdesk.rules.findings import Finding
from dxdesk.rules.schedule_values import reported_milestones, status_of


class RequiredInputs(Rule):
    """V1: the self-grade for graded stages; the settlement where there is a budget; the delay reason of a
    milestone postponed, or due and not done.
    (A missing actual is K1, a missing schedule status L1, a missing cause K4.)"""

    code = "V1"

    def check(self, ctx: CheckContext) -> Iterable[Finding]:
        for kpi, measure, row in ctx.kpi_rows():
            grade = row.get("self_grade")
            if measure.stage not in UNGRADED_STAGES and grade is not None and grade.blank:
                yield ctx.finding("V1", "progress", kpi.kpi_id, grade, "self_grade")
        for key, row in ctx.budget_totals():
            budget, settlement = row.get("budget"), row.get("settlement")
            if budget and budget.num and settlement is not None and settlement.blank:
                yield ctx.finding("V1", "budget", key, settlement, "settlement",
                                  extra_hint="予算額がある施策は決算額（千円）が必要です。")
        for milestone, _measure, row in reported_milestones(ctx):
            status, reason = status_of(row), row.get("delay_reason")
            late = status == POSTPONED or (status in (NOT_STARTED, IN_PROGRESS) and is_overdue(milestone, status, ctx.fy))
            if late and reason is not None and reason.blank:
                yield ctx.finding("V1", "milestone", milestone.milestone_id, reason, "delay_reason",
                                  extra_hint="延期したマイルストーン、期限を過ぎて完了していないマイルストーンは、理由と今後の予定が必要です。")
