from __future__ import annotations

from typing import Iterable

from dxdesk.forms.rows import budget_rows
from dxdesk.forms.definition import BUDGET_TOTAL, KEY_SEP
from dxdesk.normalize import format_number
from dxdesk.rules.engine import CheckContext, Rule
from dxdesk.rules.findings import Finding


class BudgetVersusPlan(Rule):
    """M10: a returned 事業費計 far from the plan's budget for that year, which dxdesk itself pre-filled —
    円 typed for 千円, or a scaling display format, makes it 1,000× off."""

    code = "M10"

    def check(self, ctx: CheckContext) -> Iterable[Finding]:
        factor = ctx.param("M10", "計画の予算額との比の上限")
        prefilled = {f"{r['measure_id']}{KEY_SEP}{BUDGET_TOTAL}": r["budget"]
                     for r in budget_rows(ctx.plan, ctx.section, ctx.fy) if r["budget_item"] == BUDGET_TOTAL}
        for key, row in ctx.budget_totals():
            planned, returned = prefilled.get(key), ctx.num(row, "budget")
            if not planned or returned is None or returned == 0:
                continue
            ratio = abs(returned) / planned
            if ratio > factor or ratio < 1 / factor:
                shown = f"{format_number(ratio, 1)} 倍" if ratio > 1 else f"{format_number(1 / ratio, 1)} 分の1"
                yield ctx.finding("M10", "budget", key, row["budget"], "budget", value=format_number(returned),
                                  expected=format_number(planned), ratio=shown)
