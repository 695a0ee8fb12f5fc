from __future__ import annotations

from typing import Iterable

from dxdesk.plan.model import KPI_MANAGED_STAGES
from dxdesk.rules.engine import CheckContext, Rule
from dxdesk.rules.findings import Finding, make


class OutputOnly(Rule):
    """K7: a KPI-managed measure whose KPIs are all outputs (audit opinions 5, 6). Outcome KPIs hung on a
    level above it count (Sasebo: outcome KPIs on the 課題, activity indicators on its プロジェクト)."""

    code = "K7"

    def check(self, ctx: CheckContext) -> Iterable[Finding]:
        for measure in ctx.plan.measures_of_section(ctx.section):
            kinds = {k.kind for k in ctx.plan.kpis_of_measure(measure.measure_id)}
            kinds |= {k.kind for up in ctx.plan.ancestors(measure) for k in ctx.plan.kpis_of_measure(up.measure_id)}
            if measure.stage in KPI_MANAGED_STAGES and kinds == {"アウトプット"}:
                yield make("K7", file=ctx.file, section=ctx.section, row_key=measure.measure_id,
                           row_label=f"{measure.measure_id} {measure.name}")
