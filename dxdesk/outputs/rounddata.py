"""Everything the outputs of one round are written from, gathered once: the consolidated workbook, the packs
and their PDFs all read this one dataset."""
from __future__ import annotations

from dataclasses import dataclass, field

from dxdesk.intake.status import SectionStatus
from dxdesk.outputs.audit import BudgetLine, TrailItem, accepted_by, budget_lines, finding_trail
from dxdesk.outputs.dataset import BudgetRecord, KpiRecord, all_records, budget_records, round_records
from dxdesk.outputs.departments import DeptRow, department_rows
from dxdesk.outputs.numfmt import round_title
from dxdesk.outputs.schedule_data import ScheduleData, schedule_data
from dxdesk.outputs.previous import PreviousYear, previous_year, returned_sections, with_previous
from dxdesk.plan.model import Plan
from dxdesk.rules.book import RuleBook
from dxdesk.rules.findings import Finding
from dxdesk.store.rounds_repo import Round
from dxdesk.years import short_wareki, wareki


@dataclass
class RoundData:
    plan: Plan
    round_: Round
    records: list[KpiRecord]          # this year's, with 前年度実績
    statuses: list[SectionStatus]
    findings: list[Finding]
    budgets: list[BudgetRecord]
    previous: PreviousYear
    rulebook: RuleBook
    generated_at: str
    trend: dict[str, dict[int, float | None]] = field(default_factory=dict)  # kpi → fy → actual
    departments: list[DeptRow] = field(default_factory=list)
    provenance: dict[str, dict] = field(default_factory=dict)  # section → latest file (name, sha256, received)
    negative: str = "△"  # how negatives print (settings: negative_style)
    schedule: ScheduleData | None = None  # milestones and systems (ロードマップ, 様式②, システム一覧)
    trail: list[TrailItem] = field(default_factory=list)             # every finding and its resolution
    budget_lines: dict[str, list[BudgetLine]] = field(default_factory=dict)  # measure → 科目/計/財源 lines

    @property
    def title(self) -> str:
        return f"{self.plan.name} {round_title(self.round_.fy, self.round_.round_id, fy_label)} 進捗状況"

    @property
    def top_level(self) -> str:
        return self.plan.level_names[0] if self.plan.level_names else "区分"

    @property
    def years(self) -> list[int]:
        return sorted({fy for by_fy in self.trend.values() for fy in by_fy if fy <= self.round_.fy})


def fy_label(fy: int) -> str:
    """Fiscal years are shown one way everywhere: 令和5年度（2023年度）."""
    return f"{wareki(fy)}（{fy}年度）"


def year_header(fy: int) -> str:
    """Short column header for a fiscal year: R5(2023)."""
    return f"{short_wareki(fy)}({fy})"


def gather(conn, plan: Plan, round_: Round, statuses: list[SectionStatus], findings: list[Finding],
           rulebook: RuleBook, generated_at: str, statuses_of=None) -> RoundData:
    previous = previous_year(conn, plan, round_, statuses_of)
    records = with_previous(round_records(conn, plan, round_), previous)
    budgets = budget_records(conn, plan, round_)
    trend: dict[str, dict[int, float | None]] = {}
    for r in all_records(conn, plan):
        if r.fy < round_.fy:
            trend.setdefault(r.kpi.kpi_id, {})[r.fy] = r.actual
    for r in records:
        trend.setdefault(r.kpi.kpi_id, {})[round_.fy] = r.actual
    data = RoundData(plan, round_, records, statuses, findings, budgets, previous, rulebook, generated_at, trend)
    data.departments = department_rows(plan, records, budgets, returned_sections(statuses), previous)
    data.provenance = _provenance(conn, round_)
    data.schedule = schedule_data(conn, plan, round_)
    data.trail = finding_trail(conn, round_, accepted_by(conn, round_))
    data.budget_lines = budget_lines(conn, round_)
    return data


def _provenance(conn, round_: Round) -> dict[str, dict]:
    rows = conn.execute("""SELECT s.section_code, s.file_name, s.sha256, s.received_at, s.source_path
                           FROM submissions s WHERE s.round_id = ? AND s.section_code IS NOT NULL
                           AND s.superseded_by IS NULL ORDER BY s.section_code""", (round_.round_id,))
    return {r[0]: {"file": r[1], "sha256": r[2], "received_at": r[3], "source_path": r[4]} for r in rows}
