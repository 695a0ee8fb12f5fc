from __future__ import annotations

from typing import Iterable

from dxdesk.forms.definition import BUDGET_SOURCES, BUDGET_SUBJECTS, BUDGET_TOTAL
from dxdesk.normalize import format_number
from dxdesk.rules.engine import CheckContext, Rule
from dxdesk.rules.findings import Finding

PARTS = (("科目", BUDGET_SUBJECTS), ("財源（特定財源＋一般財源）", BUDGET_SOURCES))


class BudgetTotals(Rule):
    """M1: 事業費計 equals the sum of its 科目 rows and the sum of its 財源 rows (budget and settlement each)."""

    code = "M1"

    def check(self, ctx: CheckContext) -> Iterable[Finding]:
        for items in ctx.budget_lines().values():
            if BUDGET_TOTAL not in items:
                continue
            total_key, total_row = items[BUDGET_TOTAL]
            for field in ("budget", "settlement"):
                total = ctx.num(total_row, field)
                for label, names in PARTS:
                    parts = [ctx.num(items[n][1], field) for n in names if n in items]
                    entered = [p for p in parts if p is not None]
                    if total is None or not entered:
                        continue  # nothing broken down: V1 / M2 speak about missing amounts
                    if abs(sum(entered) - total) > 0.5:
                        yield ctx.finding("M1", "budget", total_key, total_row.get(field), field,
                                          value=format_number(total), expected=format_number(sum(entered)),
                                          parts=label)
