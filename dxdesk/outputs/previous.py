"""Last year's figures for a round (前年度): KPI actuals from the history (intake/history.py: imported, replaced
by accepted returns); returns and budgets from the previous round in the workspace, else the plan master."""
from __future__ import annotations

import dataclasses
import sqlite3
from dataclasses import dataclass, field

from dxdesk import labels as L
from dxdesk.intake.status import SectionStatus
from dxdesk.intake.history import with_history
from dxdesk.outputs.dataset import BudgetRecord, KpiRecord, _record, budget_records
from dxdesk.plan.model import Plan
from dxdesk.store import rounds_repo as rr


@dataclass
class PreviousYear:
    fy: int
    source: str                                   # 照会 FY2022-1 / 計画マスタの実績 / なし
    records: list[KpiRecord] = field(default_factory=list)
    budgets: list[BudgetRecord] = field(default_factory=list)
    returned: dict[str, bool] | None = None       # section code → returned (None: not known)

    def actual(self, kpi_id: str) -> float | None:
        return self._actuals().get(kpi_id)

    def _actuals(self) -> dict[str, float | None]:
        if not hasattr(self, "_by_kpi"):
            self._by_kpi = {r.kpi.kpi_id: r.actual for r in self.records}
        return self._by_kpi


def previous_round(conn: sqlite3.Connection, round_: rr.Round) -> rr.Round | None:
    """The latest round of the year before (a second round of the same year is not 'previous')."""
    earlier = [r for r in rr.list_rounds(conn) if r.fy == round_.fy - 1]
    return earlier[-1] if earlier else None


def previous_year(conn: sqlite3.Connection, plan: Plan, round_: rr.Round,
                  statuses_of=None) -> PreviousYear:
    """Last year's KPI records, budgets and returns. `statuses_of(round)` gives a round's section statuses."""
    fy = round_.fy - 1
    before = previous_round(conn, round_)
    known = with_history(conn, plan, round_.round_id)  # imported history, replaced by accepted returns
    records = []
    for kpi in plan.kpis.values():
        item = known.actual(kpi.kpi_id, fy)
        if item is not None:
            records.append(_record(plan, kpi, fy, item.value, item.self_grade, result=item.note,
                                   source=(item.source, "", ""), scale_key=round_.grade_scale))
    if before is not None:
        returned = None
        if statuses_of is not None:
            returned = {s.section.code: s.status != L.STATUS_NOT_RETURNED for s in statuses_of(before)}
        return PreviousYear(fy, f"照会 {before.round_id}", records, budget_records(conn, plan, before), returned)
    budgets = []
    for measure in plan.measures.values():
        planned = plan.budget(measure.measure_id, fy)
        if planned is not None:
            sharing = plan.sharing(measure.measure_id, fy)
            budgets.append(BudgetRecord(measure, plan.sections[measure.owner], planned.budget, None,
                                        planned.settlement, "", planned.shared_id,
                                        not (planned.shared_id and sharing and sharing[0] < measure.measure_id)))
    source = "計画マスタの実績" if records or budgets else "なし"
    return PreviousYear(fy, source, records, budgets, None)


def with_previous(records: list[KpiRecord], previous: PreviousYear) -> list[KpiRecord]:
    """The records with 前年度実績 filled in."""
    return [dataclasses.replace(r, previous=previous.actual(r.kpi.kpi_id)) for r in records]


def returned_sections(statuses: list[SectionStatus]) -> dict[str, bool]:
    return {s.section.code: s.status != L.STATUS_NOT_RETURNED for s in statuses}
