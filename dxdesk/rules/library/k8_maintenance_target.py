from __future__ import annotations

from typing import Iterable

from dxdesk.normalize import format_number
from dxdesk.rules.engine import CheckContext, Rule
from dxdesk.rules.findings import Finding, make


class MaintenanceTargetInExpansion(Rule):
    """K8: target equal to the baseline in an expansion-stage (2) measure."""

    code = "K8"

    def check(self, ctx: CheckContext) -> Iterable[Finding]:
        for kpi in ctx.plan.kpis_of_section(ctx.section):
            measure = ctx.plan.measures[kpi.measure_id]
            if measure.stage == "2" and kpi.direction != "維持" and kpi.baseline is not None \
                    and kpi.target is not None and kpi.baseline == kpi.target:
                yield make("K8", file=ctx.file, section=ctx.section, row_key=kpi.kpi_id,
                           row_label=f"{kpi.kpi_id} {kpi.name}", value=format_number(kpi.target))
