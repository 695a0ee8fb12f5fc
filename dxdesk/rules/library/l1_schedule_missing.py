from __future__ import annotations

from typing import Iterable

from dxdesk.plan.model import SCHEDULE_MANAGED_STAGES
from dxdesk.rules.engine import CheckContext, Rule
from dxdesk.rules.findings import Finding


class ScheduleMissing(Rule):
    """L1: a schedule-managed measure (stage 1, 3・4) without its milestone status."""

    code = "L1"

    def check(self, ctx: CheckContext) -> Iterable[Finding]:
        for kpi, measure, row in ctx.kpi_rows():
            status = row.get("schedule")
            if measure.stage in SCHEDULE_MANAGED_STAGES and status is not None and status.blank:
                yield ctx.finding("L1", "progress", kpi.kpi_id, status, "schedule", stage=measure.stage)
