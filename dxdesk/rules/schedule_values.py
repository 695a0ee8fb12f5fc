"""What a return says about milestones (工程 sheets) and systems (様式② cards), for the L and M rules."""
from __future__ import annotations

from typing import Iterator

from dxdesk.intake.parse import Value
from dxdesk.plan.milestones import Milestone, schedule_grade
from dxdesk.plan.model import Measure
from dxdesk.plan.systems import System


def reported_milestones(ctx) -> Iterator[tuple[Milestone, Measure, dict[str, Value]]]:
    """(milestone, its measure, the row returned) for every milestone row of the return."""
    by_id = {m.milestone_id: m for m in ctx.plan.milestones}
    for key, row in ctx.values.get("milestone", {}).items():
        milestone = by_id.get(key)
        if milestone and milestone.measure_id in ctx.plan.measures:
            yield milestone, ctx.plan.measures[milestone.measure_id], row


def status_of(row: dict[str, Value]) -> str:
    return row["milestone_status"].text if "milestone_status" in row else ""


def measure_schedules(ctx) -> dict[str, list[tuple[Milestone, str, dict[str, Value]]]]:
    """measure id → its milestones with the status returned (in plan order)."""
    found: dict[str, list] = {}
    for milestone, measure, row in reported_milestones(ctx):
        found.setdefault(measure.measure_id, []).append((milestone, status_of(row), row))
    return found


def milestone_grade(items: list[tuple[Milestone, str, dict[str, Value]]], fy: int) -> str | None:
    return schedule_grade([(m, s) for m, s, _ in items], fy)


def reported_systems(ctx) -> Iterator[tuple[System, dict[str, Value]]]:
    for key, row in ctx.values.get("system", {}).items():
        if key in ctx.plan.systems:
            yield ctx.plan.systems[key], row
