from __future__ import annotations

from typing import Iterable

from dxdesk.rules.engine import CheckContext, Rule
from dxdesk.rules.findings import Finding, make

PILOT_WORDS = ("実証", "検討", "試行")


class PilotInExpansion(Rule):
    """K9: pilot or study wording in the name of a stage-2 measure (audit opinions 8, 9, 14).
    Only the name: summaries say 検討 in passing (「政策検討に必要なデータ」) far too often."""

    code = "K9"

    def check(self, ctx: CheckContext) -> Iterable[Finding]:
        for measure in ctx.plan.measures_of_section(ctx.section):
            words = [w for w in PILOT_WORDS if w in measure.name]
            if measure.stage == "2" and words:
                yield make("K9", file=ctx.file, section=ctx.section, row_key=measure.measure_id,
                           row_label=f"{measure.measure_id} {measure.name}", value="・".join(words))
