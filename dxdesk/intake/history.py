"""Actuals of earlier years for the period-over-period rules: imported history and other rounds."""
from __future__ import annotations

import sqlite3

from dxdesk.plan.model import Plan
from dxdesk.store import rounds_repo as rr


def actual_history(conn: sqlite3.Connection, plan: Plan, exclude_round: str) -> dict[tuple[str, int], float | None]:
    """(kpi id, fy) → actual; a round's latest submission replaces the imported history for its year."""
    history: dict[tuple[str, int], float | None] = {(h.kpi_id, h.fy): h.value for h in plan.history}
    for round_ in rr.list_rounds(conn):
        if round_.round_id == exclude_round:
            continue
        for rows in rr.latest_values(conn, round_.round_id, "progress").values():
            for kpi_id, row in rows.items():
                if "actual" in row and not row["actual"].blank:
                    history[(kpi_id, round_.fy)] = row["actual"].num
    return history
