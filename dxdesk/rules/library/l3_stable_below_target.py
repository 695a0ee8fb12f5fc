from __future__ import annotations

from typing import Iterable

from dxdesk.normalize import format_number
from dxdesk.rules.engine import CheckContext, Rule
from dxdesk.rules.findings import Finding
from dxdesk.rules.kpi import achieved


class StableBelowTarget(Rule):
    """L3: a stage-3 (安定期) measure whose actual fell below the target → consider stage 4."""

    code = "L3"

    def check(self, ctx: CheckContext) -> Iterable[Finding]:
        for kpi, measure, row in ctx.kpi_rows():
            actual = ctx.num(row, "actual")
            target = ctx.target(kpi)
            if measure.stage == "3" and actual is not None and target is not None and not achieved(kpi, actual, target):
                yield ctx.finding("L3", "progress", kpi.kpi_id, row["actual"], "actual",
                                  value=format_number(actual), expected=format_number(target))
