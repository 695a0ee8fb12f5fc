from __future__ import annotations

from typing import Iterable

from dxdesk.plan.model import SCHEDULE_MANAGED_STAGES
from dxdesk.rules.engine import CheckContext, Rule
from dxdesk.rules.findings import Finding
from dxdesk.rules.schedule_values import reported_milestones


class ScheduleMissing(Rule):
    """L1: a schedule-managed measure (stage 1, 3・4) without its status — on 進捗報告, and for each of its
    milestones due this year or earlier on its 工程 sheet."""

    code = "L1"

    def check(self, ctx: CheckContext) -> Iterable[Finding]:
        for kpi, measure, row in ctx.kpi_rows():
            status = row.get("schedule")
            if measure.stage in SCHEDULE_MANAGED_STAGES and status is not None and status.blank:
                yield ctx.finding("L1", "progress", kpi.kpi_id, status, "schedule", stage=measure.stage,
                                  what="進捗状況")
        for milestone, measure, row in reported_milestones(ctx):
            status = row.get("milestone_status")
            due_now = milestone.fy is not None and milestone.fy <= ctx.fy
            if measure.stage in SCHEDULE_MANAGED_STAGES and due_now and status is not None and status.blank:
                yield ctx.finding("L1", "milestone", milestone.milestone_id, status, "milestone_status",
                                  stage=measure.stage, what=f"マイルストーン「{milestone.content}」（{milestone.when}）の状況")
