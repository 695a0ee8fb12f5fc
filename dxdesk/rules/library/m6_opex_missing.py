from __future__ import annotations

from typing import Iterable

from dxdesk.rules.engine import CheckContext, Rule
from dxdesk.rules.findings import Finding
from dxdesk.rules.schedule_values import reported_systems
from dxdesk.years import short_wareki


class OpexMissing(Rule):
    """M6: a system's running cost for this year not entered on its 様式② (whatever the plan said: a 未定
    in the plan is exactly when the actual figure is wanted)."""

    code = "M6"

    def check(self, ctx: CheckContext) -> Iterable[Finding]:
        for system, row in reported_systems(ctx):
            cell = row.get("opex_actual")
            if cell is None or not cell.blank:
                continue
            planned = system.opex_for(ctx.fy)
            expected = (planned.shown + (f"（{short_wareki(planned.fy)}）" if planned.fy else "")) if planned else "記載なし"
            yield ctx.finding("M6", "system", system.system_id, cell, "opex_actual", expected=expected)
