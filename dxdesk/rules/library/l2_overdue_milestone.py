from __future__ import annotations

from typing import Iterable

from dxdesk.plan.model import SCHEDULE_MANAGED_STAGES
from dxdesk.rules.engine import CheckContext, Rule
from dxdesk.rules.findings import Finding
from dxdesk.years import wareki


class OverdueMilestone(Rule):
    """L2: a schedule-managed KPI whose due year (目標年度) has passed, not 完了, but graded B → should be C."""

    code = "L2"

    def check(self, ctx: CheckContext) -> Iterable[Finding]:
        for kpi, measure, row in ctx.kpi_rows():
            if measure.stage not in SCHEDULE_MANAGED_STAGES or not kpi.target_fy or ctx.fy < kpi.target_fy:
                continue
            if ctx.text(row, "schedule") != "完了" and ctx.text(row, "self_grade") == "B":
                yield ctx.finding("L2", "progress", kpi.kpi_id, row["self_grade"], "self_grade",
                                  value="B", expected="C", due=wareki(kpi.target_fy),
                                  status=ctx.text(row, "schedule") or "未入力")
