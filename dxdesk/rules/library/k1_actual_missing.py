from __future__ import annotations

from typing import Iterable

from dxdesk.plan.model import KPI_MANAGED_STAGES
from dxdesk.rules.engine import CheckContext, Rule
from dxdesk.rules.findings import Finding
from dxdesk.rules.kpi import NOT_EVALUATED


class ActualMissing(Rule):
    """K1: a KPI-managed measure (stage 2, 4) without an actual, unless 評価未実施 with a reason."""

    code = "K1"

    def check(self, ctx: CheckContext) -> Iterable[Finding]:
        for kpi, measure, row in ctx.kpi_rows():
            if measure.stage not in KPI_MANAGED_STAGES or "actual" not in row:
                continue
            grade, cause = ctx.text(row, "self_grade"), row.get("cause")
            if grade == NOT_EVALUATED:
                if cause is not None and cause.blank:
                    yield ctx.finding("K1", "progress", kpi.kpi_id, cause, "cause",
                                      reason="自己評価が「評価未実施」ですが、その理由がありません")
            elif row["actual"].blank:
                yield ctx.finding("K1", "progress", kpi.kpi_id, row["actual"], "actual",
                                  reason="KPI で評価する施策（段階2・4）の実績値がありません")
