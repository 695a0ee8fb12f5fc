from __future__ import annotations

from typing import Iterable

from dxdesk.normalize import format_number
from dxdesk.rules.engine import CheckContext, Rule
from dxdesk.rules.findings import Finding
from dxdesk.rules.kpi import achieved


class FlatTwoYears(Rule):
    """K6: zero, or the same value below target, for two consecutive years (audit opinion 16).

    Zero is not flagged when this year's target is zero too (the plan expects it); an unchanged
    value that meets the target (導入率 100% → 100%) is not a reason to rethink the measure."""

    code = "K6"

    def check(self, ctx: CheckContext) -> Iterable[Finding]:
        years = int(ctx.param("K6", "連続年数") or 2)
        for kpi, _, row in ctx.kpi_rows():
            actual = ctx.num(row, "actual")
            if actual is None:
                continue
            series = [actual] + [ctx.previous(kpi.kpi_id, n) for n in range(1, years)]
            if any(v is None for v in series):
                continue
            target = ctx.target(kpi)
            if all(v == 0 for v in series) and target != 0:
                reason = f"{years}年続けて 0 です"
            elif all(v == actual for v in series) and kpi.direction != "維持" \
                    and target is not None and not achieved(kpi, actual, target):
                reason = f"{years}年続けて同じ値です"
            else:
                continue
            yield ctx.finding("K6", "progress", kpi.kpi_id, row["actual"], "actual", reason=reason,
                              value=" → ".join(format_number(v) for v in reversed(series)))
