from __future__ import annotations

from typing import Iterable

from dxdesk.rules.engine import CheckContext, Rule
from dxdesk.rules.findings import Finding, make


class Unchanged(Rule):
    """S8: not a single input cell filled in (pre-filled inputs do not count)."""

    code = "S8"

    def check(self, ctx: CheckContext) -> Iterable[Finding]:
        prefilled = {f.key for s in ctx.form.sheets for f in s.fields if f.prefilled}
        filled = any(not v.blank for rows in ctx.values.values() for row in rows.values()
                     for key, v in row.items() if key not in prefilled)
        if not filled:
            yield make("S8", file=ctx.file, section=ctx.section)
