from __future__ import annotations

from typing import Iterable

from dxdesk.rules.cause import cause_reason
from dxdesk.rules.engine import CheckContext, Rule
from dxdesk.rules.findings import Finding
from dxdesk.rules.kpi import higher_is_better


class CauseRequired(Rule):
    """K4: grade C or D, an actual worse than the baseline, or a late 進捗状況 (遅れ, the city's △) needs a
    cause and the next action
    (dxdesk/rules/cause.py: the same definition as the form's live self-check)."""

    code = "K4"

    def check(self, ctx: CheckContext) -> Iterable[Finding]:
        for kpi, measure, row in ctx.kpi_rows():
            cause = row.get("cause")
            if cause is None or not cause.blank:
                continue
            reason = cause_reason(ctx.scale, ctx.text(row, "self_grade"), ctx.judgement(kpi, measure, row).grade,
                                  ctx.num(row, "actual"), kpi.baseline, higher_is_better(kpi),
                                  ctx.text(row, "schedule"), row["schedule"].raw if "schedule" in row else "")
            if reason:
                yield ctx.finding("K4", "progress", kpi.kpi_id, cause, "cause", reason=reason)
