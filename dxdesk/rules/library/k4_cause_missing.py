from __future__ import annotations

from typing import Iterable

from dxdesk.rules.engine import CheckContext, Rule
from dxdesk.rules.findings import Finding
from dxdesk.rules.kpi import higher_is_better


class CauseRequired(Rule):
    """K4: grade C or D, or an actual worse than the baseline, needs a cause and the next action."""

    code = "K4"

    def check(self, ctx: CheckContext) -> Iterable[Finding]:
        for kpi, measure, row in ctx.kpi_rows():
            cause = row.get("cause")
            if cause is None or not cause.blank:
                continue
            grade = ctx.text(row, "self_grade")
            judged = ctx.judgement(kpi, measure, row)
            actual = ctx.num(row, "actual")
            worse = (actual is not None and kpi.baseline is not None
                     and (kpi.baseline - actual if higher_is_better(kpi) else actual - kpi.baseline) > 0)
            reason = (f"自己評価 {grade}" if grade in ctx.scale.bad else
                      f"算定評価 {judged.grade}" if judged.grade in ("C", "D") else
                      "実績値が基準値より悪化" if worse else "")
            if reason:
                yield ctx.finding("K4", "progress", kpi.kpi_id, cause, "cause", reason=reason)
