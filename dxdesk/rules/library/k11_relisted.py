from __future__ import annotations

from typing import Iterable

from dxdesk.rules.engine import CheckContext, Rule
from dxdesk.rules.findings import Finding


class Relisted(Rule):
    """K11: a re-listed (再掲) KPI — consolidated once, at its home."""

    code = "K11"

    def check(self, ctx: CheckContext) -> Iterable[Finding]:
        for kpi, _, row in ctx.kpi_rows(relisted=True):
            if kpi.relisted_of:
                home = ctx.plan.kpis.get(kpi.relisted_of)
                yield ctx.finding("K11", "progress", kpi.kpi_id, row.get("actual"), "actual",
                                  expected=f"{kpi.relisted_of} {home.name if home else ''}".strip())
