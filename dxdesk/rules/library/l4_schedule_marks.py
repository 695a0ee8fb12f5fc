from __future__ import annotations

from typing import Iterable

from dxdesk.rules.engine import CheckContext, Rule
from dxdesk.rules.findings import Finding
from dxdesk.years import wareki


class ScheduleMarks(Rule):
    """L4: the plan's 工程 marks (○ 実施, ⇒ 継続, … 検討・準備; Sasebo's プロジェクト一覧) read against the
    進捗状況 reported. A ⇒ in the next year means the work goes on after this year: 完了 now contradicts it.
    A ○ or ⇒ this year means the work is under way this year: 未着手 contradicts it."""

    code = "L4"

    def check(self, ctx: CheckContext) -> Iterable[Finding]:
        for kpi, _measure, row in ctx.kpi_rows():
            status = row.get("schedule")
            if status is None or status.blank:
                continue
            marks = ctx.plan.schedule_text(kpi.kpi_id, ctx.fy)
            if ctx.text(row, "schedule") == "完了" and ctx.plan.mark(kpi.kpi_id, ctx.fy + 1) == "⇒":
                yield ctx.finding("L4", "progress", kpi.kpi_id, status, "schedule", marks=marks, value=status.raw,
                                  why=f"工程では{wareki(ctx.fy + 1)}も継続します（完了していません）。")
            elif ctx.text(row, "schedule") == "未着手" and ctx.plan.mark(kpi.kpi_id, ctx.fy) in ("○", "⇒"):
                yield ctx.finding("L4", "progress", kpi.kpi_id, status, "schedule", marks=marks, value=status.raw,
                                  why="工程では今年度に実施します（○・⇒）。")
