from __future__ import annotations

from typing import Iterable

from dxdesk.normalize import format_number
from dxdesk.rules.engine import CheckContext, Rule
from dxdesk.rules.findings import Finding


class CumulativeDecrease(Rule):
    """K5: a cumulative (累計) KPI fell since last year."""

    code = "K5"

    def check(self, ctx: CheckContext) -> Iterable[Finding]:
        for kpi, _, row in ctx.kpi_rows():
            actual, last = ctx.num(row, "actual"), ctx.previous(kpi.kpi_id)
            if kpi.basis == "累計" and actual is not None and last is not None and actual < last:
                yield ctx.finding("K5", "progress", kpi.kpi_id, row["actual"], "actual",
                                  value=format_number(actual), expected=format_number(last))
