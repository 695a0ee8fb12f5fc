from __future__ import annotations

import datetime as dt
from typing import Iterable

from dxdesk.plan.model import SCHEDULE_MANAGED_STAGES
from dxdesk.rules.engine import CheckContext, Rule
from dxdesk.rules.findings import Finding


class OverdueMilestone(Rule):
    """L2: a schedule-managed KPI past its due date — the 完了（予定）日 the section gave, or else the end of
    its 目標年度 — not 完了, but graded B → should be C. The report is made after the fiscal year ends."""

    code = "L2"

    def check(self, ctx: CheckContext) -> Iterable[Finding]:
        year_end = dt.date(ctx.fy + 1, 3, 31)
        for kpi, measure, row in ctx.kpi_rows():
            if measure.stage not in SCHEDULE_MANAGED_STAGES:
                continue
            given = ctx.text(row, "milestone_date")
            due = dt.date.fromisoformat(given) if given else (dt.date(kpi.target_fy + 1, 3, 31) if kpi.target_fy else None)
            if due is None or due > year_end:
                continue
            if ctx.text(row, "schedule") != "完了" and ctx.text(row, "self_grade") == "B":
                yield ctx.finding("L2", "progress", kpi.kpi_id, row["self_grade"], "self_grade",
                                  value="B", expected="C", due=f"{due.year}年{due.month}月{due.day}日",
                                  status=ctx.text(row, "schedule") or "未入力")
