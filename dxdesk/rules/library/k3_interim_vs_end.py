from __future__ import annotations

from typing import Iterable

from dxdesk.normalize import format_number
from dxdesk.plan.model import KPI_MANAGED_STAGES
from dxdesk.rules.engine import CheckContext, Rule
from dxdesk.rules.findings import Finding
from dxdesk.rules.kpi import judge_kpi

RANK = {"A": 0, "B": 1, "C": 2, "D": 3}


class InterimVersusEnd(Rule):
    """K3: this year's interim target and the end-of-plan target give materially different grades.

    A one-step difference (A against this year's target, B against the end target) is the normal state
    of a KPI on track and is not flagged; two steps or more (A vs C/D) is."""

    code = "K3"

    def check(self, ctx: CheckContext) -> Iterable[Finding]:
        for kpi, measure, row in ctx.kpi_rows():
            interim = ctx.plan.year_target(kpi.kpi_id, ctx.fy)
            actual = ctx.num(row, "actual")
            if measure.stage not in KPI_MANAGED_STAGES or interim is None or actual is None or kpi.target is None:
                continue
            by_year, by_end = judge_kpi(kpi, actual, ctx.fy, interim), judge_kpi(kpi, actual, ctx.fy)
            if by_year.grade and by_end.grade and abs(RANK[by_year.grade] - RANK[by_end.grade]) >= 2:
                yield ctx.finding("K3", "progress", kpi.kpi_id, row["actual"], "actual", value=by_year.grade,
                                  expected=by_end.grade, year_target=format_number(interim),
                                  target=format_number(kpi.target))
