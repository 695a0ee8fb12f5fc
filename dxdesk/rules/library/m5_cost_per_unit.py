from __future__ import annotations

from typing import Iterable

from dxdesk.forms.definition import KEY_SEP
from dxdesk.normalize import format_number
from dxdesk.rules.engine import CheckContext, Rule
from dxdesk.rules.findings import Finding


class CostPerUnit(Rule):
    """M5: cost per unit of outcome (決算 ÷ actual) for the auditor pack — only against the KPI the plan master
    names for the measure (施策 sheet, 単価指標ID); a measure that names none gets no cost per unit."""

    code = "M5"

    def check(self, ctx: CheckContext) -> Iterable[Finding]:
        settled = {key.partition(KEY_SEP)[0]: (key, row) for key, row in ctx.budget_totals()
                   if ctx.num(row, "settlement")}
        for kpi, measure, row in ctx.kpi_rows():
            actual = ctx.num(row, "actual")
            if (kpi.kpi_id != measure.unit_cost_kpi or measure.measure_id not in settled or not actual
                    or actual <= 0 or kpi.unit == "%"):
                continue
            key, budget_row = settled[measure.measure_id]
            cost = ctx.num(budget_row, "settlement") / actual
            yield ctx.finding("M5", "budget", key, budget_row["settlement"], "settlement",
                              value=format_number(cost, 2), expected=f"{kpi.unit}", kpi_label=f"{kpi.kpi_id} {kpi.name}")
