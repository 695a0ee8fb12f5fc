from __future__ import annotations

from typing import Iterable

from dxdesk.normalize import format_number
from dxdesk.rules.engine import CheckContext, Rule
from dxdesk.rules.findings import Finding


class OverBudget(Rule):
    """M3: settlement above the budget with no supplementary budget (補正) and no note."""

    code = "M3"

    def check(self, ctx: CheckContext) -> Iterable[Finding]:
        for key, row in ctx.budget_totals():
            budget, settlement = ctx.num(row, "budget"), ctx.num(row, "settlement")
            supplementary, note = ctx.num(row, "supplementary"), row.get("budget_note")
            if budget is None or settlement is None or settlement <= budget:
                continue
            if supplementary or (note is not None and not note.blank):
                continue
            yield ctx.finding("M3", "budget", key, row["settlement"], "settlement",
                              value=format_number(settlement), expected=format_number(budget))
