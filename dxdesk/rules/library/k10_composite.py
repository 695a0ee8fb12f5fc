from __future__ import annotations

import math
from typing import Iterable

from dxdesk.normalize import format_number
from dxdesk.rules.engine import CheckContext, Rule
from dxdesk.rules.findings import Finding


def composite_value(formula: str, parent_percent: bool, parts: list[tuple[float, bool]]) -> float | None:
    """比率 = 分子 ÷ 分母; 積 = the product (% parts as fractions); ×100 when the composite is a %."""
    if formula == "比率":
        (numerator, _), (denominator, _) = parts
        if denominator == 0:
            return None
        value = numerator / denominator
    else:
        value = math.prod(v / 100 if percent else v for v, percent in parts)
    return value * 100 if parent_percent else value


class CompositeKpi(Rule):
    """K10: a composite KPI that differs from the ratio / product of its parts; a multi-part KPI graded A
    while one of its parts is not achieved."""

    code = "K10"

    def check(self, ctx: CheckContext) -> Iterable[Finding]:
        rows = {kpi.kpi_id: (kpi, measure, row) for kpi, measure, row in ctx.kpi_rows()}
        for kpi, _measure, row in rows.values():
            if not kpi.formula or any(p not in rows for p in kpi.parts):
                continue  # parts reported by another section: checked when consolidating
            if kpi.formula == "複数項目":
                yield from self._multi_part(ctx, kpi, row, rows)
                continue
            actual = ctx.num(row, "actual")
            parts = [(ctx.num(rows[p][2], "actual"), rows[p][0].is_percent) for p in kpi.parts]
            if actual is None or any(v is None for v, _ in parts):
                continue
            expected = composite_value(kpi.formula, kpi.is_percent, parts)
            if expected is not None and abs(actual - expected) > max(0.05, 0.001 * abs(expected)):
                yield ctx.finding("K10", "progress", kpi.kpi_id, row["actual"], "actual",
                                  value=format_number(actual, 3), expected=format_number(expected, 3),
                                  reason=f"構成指標（{'・'.join(kpi.parts)}）の{kpi.formula}と一致しません")

    def _multi_part(self, ctx, kpi, row, rows) -> Iterable[Finding]:
        achieved = ctx.scale.shown["A"]
        grade = ctx.text(row, "self_grade")
        if grade not in ctx.scale.accepts.get(achieved, (achieved,)):
            return
        missed = [p for p in kpi.parts if ctx.judgement(*rows[p]).grade not in ("A", None)]
        if missed:
            yield ctx.finding("K10", "progress", kpi.kpi_id, row["self_grade"], "self_grade", value=grade,
                              expected="・".join(missed), reason=f"評価が {grade}（達成）ですが、未達成の項目があります")
