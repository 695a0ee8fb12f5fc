"""The consolidated dataset: one record per KPI and year, from the latest submissions and the history."""
from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from dxdesk.forms.definition import BUDGET_TOTAL, KEY_SEP
from dxdesk.plan.model import Kpi, Measure, Plan, Section
from dxdesk.rules.kpi import Judgement, judge
from dxdesk.rules.scales import scale
from dxdesk.store import rounds_repo as rr
from dxdesk.store.findings_repo import current_findings


@dataclass(frozen=True)
class KpiRecord:
    fy: int
    kpi: Kpi
    measure: Measure
    section: Section
    actual: float | None
    self_grade: str
    schedule: str
    result: str
    cause: str
    judgement: Judgement
    source_file: str = ""
    source_cell: str = ""
    received_at: str = ""
    scale_key: str = "AD2"
    previous: float | None = None  # 前年度実績 (see outputs.previous)

    @property
    def relisted(self) -> bool:
        return bool(self.kpi.relisted_of)

    @property
    def shown_grade(self) -> str:
        """The computed grade on the city's scale (◎○△× …); 対象外 and blanks as they are."""
        grade = self.judgement.grade or ""
        return scale(self.scale_key).shown.get(grade, grade)

    @property
    def consistent(self) -> bool | None:
        """Whether the self-grade agrees with the computed one (None when they cannot be compared)."""
        s = scale(self.scale_key)
        if self.self_grade not in s.grades or self.judgement.grade not in ("A", "B", "C", "D"):
            return None
        return s.consistent(self.self_grade, self.judgement.grade)


def _record(plan: Plan, kpi: Kpi, fy: int, actual: float | None, self_grade: str = "", schedule: str = "",
            result: str = "", cause: str = "", source: tuple[str, str, str] = ("", "", ""),
            scale_key: str = "AD2") -> KpiRecord:
    measure = plan.measures[kpi.measure_id]
    judged = judge(measure.stage, kpi, actual, fy, plan.year_target(kpi.kpi_id, fy), schedule)
    return KpiRecord(fy, kpi, measure, plan.sections[measure.owner], actual, self_grade, schedule, result, cause,
                     judged, *source, scale_key=scale_key)


def round_records(conn: sqlite3.Connection, plan: Plan, round_: rr.Round) -> list[KpiRecord]:
    """Every KPI of the plan for the round's year, with the latest submission's values where returned."""
    latest = rr.latest_submissions(conn, round_.round_id)
    values = rr.latest_values(conn, round_.round_id, "progress")
    waived = {(f.section, f.sheet, f.cell) for f in current_findings(conn, round_.round_id) if f.waiver}
    records = []
    for kpi in plan.kpis.values():
        owner = plan.measures[kpi.measure_id].owner
        row = values.get(owner, {}).get(kpi.kpi_id)
        if row is None:
            records.append(_record(plan, kpi, round_.fy, None, scale_key=round_.grade_scale))
            continue
        sub = latest[owner]
        actual = row.get("actual")
        records.append(_record(
            plan, kpi, round_.fy, actual.number((owner, actual.sheet, actual.cell) in waived) if actual else None,
            row["self_grade"].text if "self_grade" in row else "", row["schedule"].text if "schedule" in row else "",
            row["result"].raw if "result" in row else "", row["cause"].raw if "cause" in row else "",
            (sub.file_name, f"{actual.sheet}!{actual.cell}" if actual else "", sub.received_at),
            round_.grade_scale))
    return records


def all_records(conn: sqlite3.Connection, plan: Plan) -> list[KpiRecord]:
    """History from the plan master and every round; a round's values replace the history for its year."""
    by_key: dict[tuple[str, int], KpiRecord] = {}
    for item in plan.history:
        if item.kpi_id in plan.kpis:
            by_key[(item.kpi_id, item.fy)] = _record(plan, plan.kpis[item.kpi_id], item.fy, item.value,
                                                     item.self_grade, result=item.note,
                                                     source=(item.source, "", ""), scale_key=plan.grade_scale)
    for round_ in rr.list_rounds(conn):
        for record in round_records(conn, plan, round_):
            if record.source_file or (record.kpi.kpi_id, record.fy) not in by_key:
                by_key[(record.kpi.kpi_id, record.fy)] = record
    order = {k: i for i, k in enumerate(plan.kpis)}
    return sorted(by_key.values(), key=lambda r: (r.fy, order[r.kpi.kpi_id]))


@dataclass(frozen=True)
class BudgetRecord:
    measure: Measure
    section: Section
    budget: float | None
    supplementary: float | None
    settlement: float | None
    note: str
    shared_id: str = ""
    counted: bool = True  # False for the second and later measures of a shared budget

    @property
    def execution_rate(self) -> float | None:
        return self.settlement / self.budget if self.budget and self.settlement is not None else None


def budget_records(conn: sqlite3.Connection, plan: Plan, round_: rr.Round) -> list[BudgetRecord]:
    """Each measure's 事業費計 for the round's year: from the latest return, else the plan's budget.
    A shared budget (共有予算ID) is counted once, under the first measure that carries an amount."""
    values = rr.latest_values(conn, round_.round_id, "budget")
    records, seen_shared = [], set()
    for measure in plan.measures.values():
        row = values.get(measure.owner, {}).get(f"{measure.measure_id}{KEY_SEP}{BUDGET_TOTAL}", {})
        planned = plan.budget(measure.measure_id, round_.fy)
        num = {key: value.num for key, value in row.items()}
        budget = num.get("budget") if row else (planned.budget if planned else None)
        shared = planned.shared_id if planned else ""
        counted = not (shared and shared in seen_shared and budget)
        if shared and budget:
            seen_shared.add(shared)
        records.append(BudgetRecord(measure, plan.sections[measure.owner], budget, num.get("supplementary"),
                                    num.get("settlement"), row["budget_note"].raw if "budget_note" in row else "",
                                    shared, counted))
    return records
