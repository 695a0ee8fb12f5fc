from __future__ import annotations

from typing import Iterable

from dxdesk.normalize import format_number
from dxdesk.rules.engine import CheckContext, Rule
from dxdesk.rules.findings import Finding
from dxdesk.rules.schedule_values import reported_systems
from dxdesk.years import short_wareki


class OpexJump(Rule):
    """M7: this year's running cost more than the office's factor (rule book, default 1.5×) above or below
    the plan's running cost for the year (the latest before it, else the nearest one), without a reason."""

    code = "M7"

    def check(self, ctx: CheckContext) -> Iterable[Finding]:
        factor = ctx.param("M7", "前年度比の上限倍率")
        for system, row in reported_systems(ctx):
            actual = ctx.num(row, "opex_actual")
            planned = system.opex_for(ctx.fy) or system.planned_opex
            if actual is None or planned is None or not planned.value or ctx.text(row, "opex_reason"):
                continue
            ratio = actual / planned.value
            if ratio > factor or ratio < 1 / factor:
                basis = f"計画（{short_wareki(planned.fy)}）の運用経費" if planned.fy else "計画の運用経費"
                yield ctx.finding("M7", "system", system.system_id, row["opex_actual"], "opex_actual",
                                  value=format_number(actual), expected=format_number(planned.value), basis=basis,
                                  ratio=format_number(ratio, 2), factor=format_number(factor, 2))
