from __future__ import annotations

from typing import Iterable

from dxdesk.normalize import format_number
from dxdesk.rules.engine import CheckContext, Rule
from dxdesk.rules.findings import Finding
from dxdesk.rules.schedule_values import reported_systems


def usage_of(ctx: CheckContext, system, row) -> tuple[float | None, str]:
    """The use this year: the 様式② figure, else the actual of the system's usage KPI (利用指標ID) in the same return."""
    usage = ctx.num(row, "usage")
    unit = ctx.text(row, "usage_unit") or "件"
    if usage is None and system.usage_kpi:
        kpi = ctx.plan.kpis.get(system.usage_kpi)
        progress = ctx.values.get("progress", {}).get(system.usage_kpi, {})
        usage = ctx.num(progress, "actual")
        unit = kpi.unit if kpi else unit
    return usage, unit


class CostPerUse(Rule):
    """M8: running cost per use (運用経費 ÷ 利用実績) of each system, for the auditor pack."""

    code = "M8"

    def check(self, ctx: CheckContext) -> Iterable[Finding]:
        for system, row in reported_systems(ctx):
            cost = ctx.num(row, "opex_actual")
            usage, unit = usage_of(ctx, system, row)
            if cost is None or not usage or usage <= 0:
                continue
            yield ctx.finding("M8", "system", system.system_id, row["opex_actual"], "opex_actual",
                              value=format_number(cost / usage, 3), cost=format_number(cost),
                              usage=format_number(usage), unit=unit)
