from __future__ import annotations

from typing import Iterable

from dxdesk.normalize import format_number
from dxdesk.rules.engine import CheckContext, Rule
from dxdesk.rules.findings import Finding


class SharedBudgetTwice(Rule):
    """M4: a budget shared by several measures (共有予算ID) entered under more than one of them."""

    code = "M4"

    def check(self, ctx: CheckContext) -> Iterable[Finding]:
        entered: dict[str, str] = {}  # shared id → measure that holds it in this return
        for key, row in ctx.budget_totals():
            measure_id = key.split("|")[0]
            own = ctx.plan.budget(measure_id, ctx.fy)
            if not own or not own.shared_id or not ctx.num(row, "budget"):
                continue
            if own.shared_id in entered:
                yield ctx.finding("M4", "budget", key, row["budget"], "budget",
                                  value=format_number(ctx.num(row, "budget")), expected=entered[own.shared_id],
                                  shared=own.shared_id)
            else:
                entered[own.shared_id] = measure_id
