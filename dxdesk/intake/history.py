"""Actuals of earlier years, in one place: the history imported with the plan master, replaced year by year
by the accepted returns of the workspace's rounds. The forms pre-fill 前年度実績 from it, and the
period-over-period rules (K5, K6, V6, K12) and the outputs' "previous" columns read the same values."""
from __future__ import annotations

import dataclasses
import sqlite3

from dxdesk import labels as L
from dxdesk.intake.status import section_statuses
from dxdesk.plan.model import HistoryActual, Plan
from dxdesk.store import rounds_repo as rr
from dxdesk.store.findings_repo import current_findings


def accepted_sections(conn: sqlite3.Connection, plan: Plan, round_: rr.Round) -> set[str]:
    """Sections whose latest return in the round is 受理 (no error, and no warning or accepted after review)."""
    statuses = section_statuses(conn, plan, round_, current_findings(conn, round_.round_id))
    return {s.section.code for s in statuses if s.status == L.STATUS_ACCEPTED}


def round_actuals(conn: sqlite3.Connection, plan: Plan, round_: rr.Round) -> list[HistoryActual]:
    """The accepted actuals of one round, one per KPI reported at its home (a 再掲 row is not a value)."""
    accepted = accepted_sections(conn, plan, round_)
    found = []
    for section, rows in rr.latest_values(conn, round_.round_id, "progress").items():
        if section not in accepted:
            continue
        for kpi_id, row in rows.items():
            kpi = plan.kpis.get(kpi_id)
            actual = row.get("actual")
            if kpi is None or kpi.relisted_of or actual is None or actual.blank or actual.num is None:
                continue
            grade = row["self_grade"].text if "self_grade" in row else ""
            found.append(HistoryActual(kpi_id, round_.fy, actual.num, grade, source=round_.round_id))
    return found


def past_actuals(conn: sqlite3.Connection, plan: Plan, exclude_round: str = "") -> dict[tuple[str, int], HistoryActual]:
    """(KPI id, FY) → the actual known for that year: a round's accepted value replaces the imported one,
    a later round of the same year replaces an earlier one. `exclude_round` leaves one round out (the
    round being checked never serves as its own history)."""
    history = {(h.kpi_id, h.fy): h for h in plan.history}
    for round_ in rr.list_rounds(conn):
        if round_.round_id != exclude_round:
            history.update({(h.kpi_id, h.fy): h for h in round_actuals(conn, plan, round_)})
    return history


def actual_history(conn: sqlite3.Connection, plan: Plan, exclude_round: str = "") -> dict[tuple[str, int], float | None]:
    """(KPI id, FY) → actual value, for the rules (CheckContext.history)."""
    return {key: h.value for key, h in past_actuals(conn, plan, exclude_round).items()}


def with_history(conn: sqlite3.Connection, plan: Plan, exclude_round: str = "") -> Plan:
    """The plan with its history carried forward from the accepted rounds (what a new round's forms show)."""
    merged = sorted(past_actuals(conn, plan, exclude_round).values(), key=lambda h: (h.fy, h.kpi_id))
    return dataclasses.replace(plan, history=merged)
