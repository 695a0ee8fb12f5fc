from __future__ import annotations

from typing import Iterable

from dxdesk.normalize import format_number
from dxdesk.rules.engine import CheckContext, Rule
from dxdesk.rules.findings import Finding

COUNT_UNITS = ("件", "人", "回", "箇所", "施設", "手続", "業務", "時間", "戸", "拠点")


class Implausible(Rule):
    """V6: a negative count, a rate above 100%, more than N× last year — or, with no history,
    more than N× the largest of target, this year's target and baseline."""

    code = "V6"

    def check(self, ctx: CheckContext) -> Iterable[Finding]:
        factor = ctx.param("V6", "前年度比の上限倍率")
        target_factor = ctx.param("V6", "目標値比の上限倍率")
        for kpi, _, row in ctx.kpi_rows():
            actual = ctx.num(row, "actual")
            if actual is None:
                continue
            last = ctx.previous(kpi.kpi_id)
            scale = max((abs(v) for v in (kpi.target, ctx.target(kpi), kpi.baseline) if v), default=None)
            if actual < 0 and kpi.unit.startswith(COUNT_UNITS):
                reason = f"{kpi.unit}の値がマイナスです"
            elif kpi.unit == "%" and actual > 100 and "率" in kpi.name:
                reason = "率が 100% を超えています"
            elif last and last > 0 and actual > factor * last:
                reason = f"前年度（{format_number(last)}）の {format_number(factor)} 倍を超えています"
            elif not last and scale and actual > target_factor * scale:
                reason = (f"前年度の実績がなく、目標値・基準値（最大 {format_number(scale)}）の "
                          f"{format_number(target_factor)} 倍を超えています")
            else:
                continue
            yield ctx.finding("V6", "progress", kpi.kpi_id, row["actual"], "actual",
                              value=format_number(actual), reason=reason)
