"""The rule engine: small rule classes yield findings for one submission; the registry lists them."""
from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field, replace
from typing import Iterable, Iterator

from dxdesk.forms.definition import BUDGET_TOTAL, KEY_SEP, FormDef
from dxdesk.intake.parse import Rows, Value, row_label
from dxdesk.plan.model import Kpi, Measure, Plan
from dxdesk.rules.book import RuleBook, default_rulebook
from dxdesk.rules.findings import Finding, make
from dxdesk.rules.kpi import Judgement, judge
from dxdesk.rules.scales import Scale, scale


@dataclass
class CheckContext:
    plan: Plan
    form: FormDef
    fy: int
    file: str
    section: str
    values: dict[str, Rows]  # sheet key → row key → field key → Value
    book: RuleBook = field(default_factory=default_rulebook)
    history: dict[tuple[str, int], float | None] = field(default_factory=dict)  # (kpi, fy) → actual

    @property
    def scale(self) -> Scale:
        return scale(self.form.scale)

    def param(self, code: str, name: str) -> float:
        return self.book.param(code, name)

    def previous(self, kpi_id: str, years_back: int = 1) -> float | None:
        return self.history.get((kpi_id, self.fy - years_back))

    @staticmethod
    def num(row: dict[str, Value], key: str) -> float | None:
        return row[key].num if key in row else None

    @staticmethod
    def text(row: dict[str, Value], key: str) -> str:
        return row[key].text if key in row else ""

    def kpi_rows(self, relisted: bool = False) -> Iterator[tuple[Kpi, Measure, dict[str, Value]]]:
        """The KPI rows the section enters; a re-listed (再掲) row only when asked (it is entered at its home);
        never a co-owned measure's row (共同担当: its 主担当 enters the values)."""
        for key, row in self.values.get("progress", {}).items():
            kpi = self.plan.kpis.get(key)
            if kpi and (relisted or not kpi.relisted_of) and self.plan.measures[kpi.measure_id].owner == self.section:
                yield kpi, self.plan.measures[kpi.measure_id], row

    def target(self, kpi: Kpi) -> float | None:
        """This year's interim target if the plan has one, otherwise the end-of-plan target."""
        interim = self.plan.year_target(kpi.kpi_id, self.fy)
        return kpi.target if interim is None else interim

    def budget_lines(self) -> dict[str, dict[str, tuple[str, dict[str, Value]]]]:
        """measure id → budget item (科目, 事業費計, 財源) → (row key, row)."""
        lines: dict[str, dict[str, tuple[str, dict[str, Value]]]] = {}
        for key, row in self.values.get("budget", {}).items():
            measure_id, _, item = key.partition(KEY_SEP)
            lines.setdefault(measure_id, {})[item] = (key, row)
        return lines

    def budget_totals(self) -> Iterator[tuple[str, dict[str, Value]]]:
        """(row key, row) of each measure's 事業費計."""
        for items in self.budget_lines().values():
            if BUDGET_TOTAL in items:
                yield items[BUDGET_TOTAL]

    def judgement(self, kpi: Kpi, measure: Measure, row: dict[str, Value]) -> Judgement:
        actual = row["actual"].num if "actual" in row else None
        schedule = row["schedule"].text if "schedule" in row else ""
        return judge(measure.stage, kpi, actual, self.fy, self.plan.year_target(kpi.kpi_id, self.fy), schedule)

    def finding(self, code: str, sheet_key: str, key: str, at: Value | None, field_key: str = "",
                **extra) -> Finding:
        """A finding about one cell (`at`), worded by the catalogue."""
        sheet = self.form.sheet(sheet_key)
        field_label = sheet.field(field_key).label if field_key else ""
        return make(code, file=self.file, section=self.section,
                    sheet=at.sheet if at else sheet.name, cell=at.cell if at else "",
                    row_key=key, field=field_key, field_label=field_label,
                    row_label=row_label(self.plan, sheet, key), **extra)


class Rule(ABC):
    """A rule: a code from the catalogue and a check yielding findings."""

    code = ""

    @abstractmethod
    def check(self, ctx: CheckContext) -> Iterable[Finding]:
        """Yield the findings of this rule for one submission."""


def run_rules(ctx: CheckContext, rules: Iterable[Rule]) -> list[Finding]:
    """Run the rules the rule book has switched on (severities are set once, by apply_book, by the caller)."""
    findings: list[Finding] = []
    for rule in rules:
        if ctx.book.setting(rule.code).enabled:
            findings.extend(rule.check(ctx))
    return findings


def apply_book(findings: Iterable[Finding], book: RuleBook) -> list[Finding]:
    """Drop findings of disabled rules and set each severity from the rule book."""
    result = []
    for f in findings:
        setting = book.setting(f.code)
        if setting.enabled:
            result.append(f if f.severity == setting.severity else replace(f, severity=setting.severity))
    return result
