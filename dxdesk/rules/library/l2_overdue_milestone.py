from __future__ import annotations

import datetime as dt
from typing import Iterable

from dxdesk.plan.milestones import is_overdue
from dxdesk.plan.model import SCHEDULE_MANAGED_STAGES
from dxdesk.rules.engine import CheckContext, Rule
from dxdesk.rules.findings import Finding
from dxdesk.rules.schedule_values import measure_schedules


def _date(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


class OverdueMilestone(Rule):
    """L2: a schedule-managed measure past a due date and not done, but graded "on plan" (B, or what B is on
    the office's scale: ○ on ◎○△×) → should be "behind" (C, or △). The due
    date is a milestone's (工程 sheet: the end of its month, quarter or year), or else the 完了（予定）日 the
    section gave on 進捗報告, or the end of the KPI's 目標年度. The report is made after the year ends."""

    code = "L2"

    def check(self, ctx: CheckContext) -> Iterable[Finding]:
        year_end = dt.date(ctx.fy + 1, 3, 31)
        schedules = measure_schedules(ctx)
        on_plan, behind = ctx.scale.shown["B"], ctx.scale.shown["C"]
        if on_plan == behind:
            return  # a scale that cannot tell "behind" from "on plan" (F/S/A/B/C: both 要改善)
        for kpi, measure, row in ctx.kpi_rows():
            grade = ctx.text(row, "self_grade")
            if measure.stage not in SCHEDULE_MANAGED_STAGES or grade not in ctx.scale.accepts.get(on_plan, (on_plan,)):
                continue
            late = [(m, s) for m, s, _ in schedules.get(measure.measure_id, []) if s and is_overdue(m, s, ctx.fy)]
            given = ctx.text(row, "milestone_date")
            due = dt.date.fromisoformat(given) if given else (dt.date(kpi.target_fy + 1, 3, 31) if kpi.target_fy else None)
            if due is not None and due <= year_end and ctx.text(row, "schedule") != "完了":
                yield ctx.finding("L2", "progress", kpi.kpi_id, row["self_grade"], "self_grade", value=grade,
                                  expected=behind, due=_date(due),
                                  status=f"進捗状況「{ctx.text(row, 'schedule') or '未入力'}」")
            elif late:
                milestone, status = late[0]
                yield ctx.finding("L2", "progress", kpi.kpi_id, row["self_grade"], "self_grade", value=grade,
                                  expected=behind, due=_date(milestone.due),
                                  status=f"工程「{milestone.content}」が{status}")
