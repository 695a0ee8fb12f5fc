"""The round's milestones and systems as the outputs need them: each milestone with the status returned (or
the plan's), each measure's schedule grade, each system's costs this year and last, cost per use, totals."""
from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field

from dxdesk.plan.milestones import CANCELLED, DONE, POSTPONED, Milestone, is_overdue, schedule_grade
from dxdesk.plan.model import Measure, Plan, Section
from dxdesk.plan.systems import Cost, System, cost_total
from dxdesk.store import rounds_repo as rr


@dataclass(frozen=True)
class MilestoneRecord:
    milestone: Milestone
    measure: Measure
    section: Section
    status: str          # as returned, else as in the plan
    done_month: str = ""
    delay_reason: str = ""
    returned: bool = False
    late: bool = False    # 延期, or due by the year's end and not done (遅)


@dataclass(frozen=True)
class SystemRecord:
    system: System
    section: Section
    opex: float | None          # this year's running cost (千円), as returned
    previous: float | None      # last year's: the previous round's return, else the plan's figure for that year
    previous_basis: str
    usage: float | None
    usage_unit: str
    reason: str
    effect: str
    issue: str
    action: str
    returned: bool = False
    source: str = ""

    @property
    def cost_per_use(self) -> float | None:
        return self.opex / self.usage if self.opex is not None and self.usage else None

    @property
    def change(self) -> float | None:
        """前年度比 (this year ÷ last year)."""
        return self.opex / self.previous if self.opex is not None and self.previous else None


@dataclass
class ScheduleData:
    fy: int
    milestones: list[MilestoneRecord] = field(default_factory=list)
    systems: list[SystemRecord] = field(default_factory=list)

    def of_measure(self, measure_id: str) -> list[MilestoneRecord]:
        return [m for m in self.milestones if m.measure.measure_id == measure_id]

    def grade(self, measure_id: str) -> str | None:
        return schedule_grade([(m.milestone, m.status) for m in self.of_measure(measure_id)], self.fy)

    @property
    def years(self) -> list[int]:
        found = sorted({m.milestone.fy for m in self.milestones if m.milestone.fy is not None})
        return list(range(found[0], found[-1] + 1)) if found else []

    def totals(self) -> dict[str, float]:
        """Sums of the numeric values only (each system once; statuses such as 未定 add nothing)."""
        systems = [s.system for s in self.systems]
        return {"intro": cost_total([s.intro_cost for s in systems]),
                "planned_opex": cost_total([s.planned_opex for s in systems]),
                "opex": sum(s.opex for s in self.systems if s.opex is not None),
                "previous": sum(s.previous for s in self.systems if s.previous is not None)}

    def counts(self) -> dict[str, int]:
        systems = [s.system for s in self.systems]
        return {"intro_numeric": sum(s.intro_cost.numeric for s in systems),
                "intro_status": sum(bool(s.intro_cost.status) for s in systems),
                "opex_numeric": sum(bool(s.planned_opex and s.planned_opex.numeric) for s in systems),
                "opex_status": sum(bool(s.planned_opex and s.planned_opex.status) for s in systems)}


def _text(row: dict, key: str) -> str:
    value = row.get(key)
    return (value.text or value.raw) if value is not None else ""


def _num(row: dict, key: str) -> float | None:
    value = row.get(key)
    return value.num if value is not None else None


def schedule_data(conn: sqlite3.Connection, plan: Plan, round_: rr.Round) -> ScheduleData:
    data = ScheduleData(round_.fy)
    returned = rr.latest_values(conn, round_.round_id, "milestone")
    for m in plan.milestones:
        measure = plan.measures.get(m.measure_id)
        if measure is None:
            continue
        row = returned.get(measure.owner, {}).get(m.milestone_id, {})
        status = _text(row, "milestone_status") or m.status
        late = status == POSTPONED or (bool(status) and status != CANCELLED and is_overdue(m, status, round_.fy))
        data.milestones.append(MilestoneRecord(m, measure, plan.sections[measure.owner], status,
                                               _text(row, "done_month"), _text(row, "delay_reason"),
                                               bool(row), late and status != DONE))
    values = rr.latest_values(conn, round_.round_id, "system")
    previous_round = next((r for r in sorted(rr.list_rounds(conn), key=lambda r: r.fy, reverse=True)
                           if r.fy == round_.fy - 1), None)
    before = rr.latest_values(conn, previous_round.round_id, "system") if previous_round else {}
    progress = rr.latest_values(conn, round_.round_id, "progress")
    for system in plan.systems.values():
        row = values.get(system.section_code, {}).get(system.system_id, {})
        usage, unit = _num(row, "usage"), _text(row, "usage_unit") or "件"
        if usage is None and system.usage_kpi in plan.kpis:  # the use counted by a KPI (利用指標ID)
            kpi = plan.kpis[system.usage_kpi]
            usage = _num(progress.get(plan.measures[kpi.measure_id].owner, {}).get(kpi.kpi_id, {}), "actual")
            unit = kpi.unit
        last_row = before.get(system.section_code, {}).get(system.system_id, {})
        previous, basis = _num(last_row, "opex_actual"), "前年度の報告"
        if previous is None:
            planned: Cost | None = system.opex_for(round_.fy - 1)
            previous = planned.value if planned and planned.fy == round_.fy - 1 else None
            basis = "計画" if previous is not None else ""
        opex = _num(row, "opex_actual")
        value = row.get("opex_actual")
        data.systems.append(SystemRecord(
            system, plan.sections[system.section_code], opex, previous, basis, usage, unit, _text(row, "opex_reason"),
            _text(row, "effect") or system.effect, _text(row, "issue") or system.issue,
            _text(row, "action") or system.action, bool(row),
            f"{value.sheet}!{value.cell}" if value is not None else ""))
    return data
