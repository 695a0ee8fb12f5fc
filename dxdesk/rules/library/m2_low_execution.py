from __future__ import annotations

from typing import Iterable

from dxdesk.normalize import format_number
from dxdesk.rules.engine import CheckContext, Rule
from dxdesk.rules.findings import Finding


class LowExecution(Rule):
    """M2: execution rate 決算 ÷ 予算 below the office's floor without a reason (audit: 0%, 11%, 46%)."""

    code = "M2"

    def check(self, ctx: CheckContext) -> Iterable[Finding]:
        floor = ctx.param("M2", "執行率の下限")
        floor = floor / 100 if floor > 1 else floor  # 50 and 0.5 both mean 50%
        for key, row in ctx.budget_totals():
            budget, settlement = ctx.num(row, "budget"), ctx.num(row, "settlement")
            note = row.get("budget_note")
            if not budget or settlement is None or (note is not None and not note.blank):
                continue
            rate = settlement / budget
            if rate < floor:
                yield ctx.finding("M2", "budget", key, row["settlement"], "settlement", value=f"{rate:.1%}",
                                  expected=f"{floor:.0%}", budget=format_number(budget),
                                  settlement=format_number(settlement))
