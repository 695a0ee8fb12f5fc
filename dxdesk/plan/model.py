"""The plan master as plain data: sections, measures on a tree of levels, KPIs, history, budget."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from dxdesk.plan.milestones import Milestone
from dxdesk.plan.systems import System
from dxdesk.years import YearError, parse_fy

STAGES = ("1", "2", "3", "3・4", "4", "5")
STAGE_NAMES = {
    "1": "構築期", "2": "拡大期", "3": "安定期", "3・4": "安定期・環境変化対応期",
    "4": "環境変化対応期", "5": "次期システム等検討期",
}
KPI_MANAGED_STAGES = ("2", "4")          # 評価は指標（KPI）で
SCHEDULE_MANAGED_STAGES = ("1", "3・4")  # 評価はスケジュール（進捗状況）で
UNGRADED_STAGES = ("3", "5")             # 評価しない（3 は実績は記録する）

FORMULAS = ("比率", "積", "複数項目")
LEAF_LEVEL = "施策"  # what the rows of the 施策 sheet are called unless the plan names them (計画: 施策の階層名)
# 工程 marks of a year (年度目標 sheet, 工程 column), as Sasebo's プロジェクト一覧 draws its schedule:
# ○ 実施（その年度に取り組む・開始） / ⇒ 継続（前年度からの取組が続く） / … 検討・準備.
SCHEDULE_MARKS = {"○": "実施", "⇒": "継続", "…": "検討・準備"}


@dataclass(frozen=True)
class Section:
    code: str
    name: str
    dept: str = ""
    person: str = ""
    email: str = ""



@dataclass(frozen=True)
class Measure:
    measure_id: str
    name: str
    levels: tuple[str, ...]
    section_codes: tuple[str, ...]
    stage: str
    summary: str = ""
    project: str = ""
    unit_cost_kpi: str = ""  # 単価指標ID: the KPI its cost per unit (M5, 決算額 ÷ 実績) is computed against
    co_input: str = "参照"  # 共同担当の入力: co-owners 参照 (see the values) or 分担 (add their part: 取組結果)
    level: str = ""  # the hierarchy level the row stands for (課題 …) when it is not a leaf (施策, プロジェクト)

    @property
    def owner(self) -> str:
        """The reporting (primary) section: the first one listed."""
        return self.section_codes[0]


@dataclass(frozen=True)
class Kpi:
    kpi_id: str
    measure_id: str
    name: str
    kind: str
    unit: str
    direction: str
    basis: str
    baseline: float | None = None
    baseline_text: str = ""
    baseline_fy: int | None = None
    target: float | None = None
    target_text: str = ""
    target_fy: int | None = None
    comparator: str = ""
    relisted_of: str = ""
    rationale: str = ""
    formula: str = ""               # 算出区分: 比率 / 積 / 複数項目 (blank = a plain KPI)
    parts: tuple[str, ...] = ()     # 構成指標ID: 比率 = (分子, 分母); 積 and 複数項目 = the parts

    @property
    def is_percent(self) -> bool:
        return self.unit in ("%", "％", "ポイント")


@dataclass(frozen=True)
class HistoryActual:
    kpi_id: str
    fy: int
    value: float | None
    self_grade: str = ""
    note: str = ""
    source: str = "計画マスタ"


@dataclass(frozen=True)
class Budget:
    measure_id: str
    fy: int
    budget: float | None
    settlement: float | None
    shared_id: str = ""  # 共有予算ID: one budget shared by several measures, counted once


@dataclass
class Plan:
    name: str = "DX推進計画"
    level_names: tuple[str, ...] = ()
    grade_scale: str = "AD2"
    period: str = ""
    edition: str = ""  # 版 as the plan master says (R7.3 策定, R8.3 改定); blank = numbered by dxdesk
    leaf_level: str = LEAF_LEVEL  # the name of the 施策 sheet's own level (Sasebo: プロジェクト)
    sections: dict[str, Section] = field(default_factory=dict)
    measures: dict[str, Measure] = field(default_factory=dict)
    kpis: dict[str, Kpi] = field(default_factory=dict)
    year_targets: dict[tuple[str, int], float] = field(default_factory=dict)
    marks: dict[tuple[str, int], str] = field(default_factory=dict)  # 工程 (○ ⇒ …) per KPI and year
    history: list[HistoryActual] = field(default_factory=list)
    budgets: list[Budget] = field(default_factory=list)
    milestones: list[Milestone] = field(default_factory=list)   # マイルストーン (roadmap entries)
    systems: dict[str, System] = field(default_factory=dict)    # システム (様式②), each counted once
    items: dict[str, dict[str, str]] = field(default_factory=dict)  # 重点項目: name → As-Is / Gap / To-Be
    _index: dict = field(default_factory=dict, init=False, repr=False, compare=False)

    def _indexed(self, name: str, build) -> dict:
        """Look-up tables built on first use (a plan is not changed once it is loaded)."""
        if name not in self._index:
            self._index[name] = build()
        return self._index[name]

    def _grouped(self, name: str, items, key) -> dict:
        def build() -> dict:
            table: dict = {}
            for item in items:
                table.setdefault(key(item), []).append(item)
            return table
        return self._indexed(name, build)

    def kpis_of_section(self, code: str) -> list[Kpi]:
        """KPIs the section reports: those of the measures it owns as primary section."""
        return self._grouped("kpis_by_section", self.kpis.values(),
                             lambda k: self.measures[k.measure_id].owner).get(code, [])

    def kpis_of_measure(self, measure_id: str) -> list[Kpi]:
        return self._grouped("kpis_by_measure", self.kpis.values(), lambda k: k.measure_id).get(measure_id, [])

    def measures_of_section(self, code: str) -> list[Measure]:
        return self._grouped("measures_by_section", self.measures.values(), lambda m: m.owner).get(code, [])

    def reporting_sections(self) -> list[Section]:
        """Every section that owns or co-owns a measure: each gets a form."""
        owners = {code for m in self.measures.values() for code in m.section_codes}
        return [s for c, s in self.sections.items() if c in owners]

    def entering_sections(self) -> set[str]:
        """Sections with something to enter: the primary owners, and co-owners of measures shared by 分担."""
        return {code for m in self.measures.values()
                for code in (m.section_codes if m.co_input == "分担" else m.section_codes[:1])}

    def co_owned_kpis(self, code: str) -> list[Kpi]:
        """KPIs of the measures the section co-owns (not as the primary section): shown in its form."""
        return [k for k in self.kpis.values()
                if code in self.measures[k.measure_id].section_codes[1:] and not k.relisted_of]

    def fiscal_years(self) -> tuple[int, int] | None:
        """The plan's first and last fiscal year: its 計画期間 (R3〜R9), else the years its targets,
        history and budgets name; None when the plan names no year at all."""
        parts = [p for p in re.split(r"[〜～~\-－ー]", self.period or "") if p.strip()]
        if len(parts) == 2:
            try:
                return parse_fy(parts[0]), parse_fy(parts[1])
            except YearError:
                pass
        years = ({fy for _, fy in self.year_targets} | {h.fy for h in self.history} | {b.fy for b in self.budgets}
                 | {k.target_fy for k in self.kpis.values() if k.target_fy})
        return (min(years), max(years)) if years else None

    def actual(self, kpi_id: str, fy: int) -> HistoryActual | None:
        return self._indexed("history", lambda: {(h.kpi_id, h.fy): h for h in self.history}).get((kpi_id, fy))

    def year_target(self, kpi_id: str, fy: int) -> float | None:
        return self.year_targets.get((kpi_id, fy))

    def level_of(self, measure: Measure) -> str:
        """The level a KPI's parent stands at: 課題 for a KPI hung on a 課題, else the leaf's name (施策 …)."""
        return measure.level or self.leaf_level

    def level_counts(self) -> list[tuple[str, int]]:
        """The 施策 sheet's rows by the level they stand at, each counted apart: the leaf (施策, プロジェクト) first,
        then the levels above it that carry KPIs (課題 …), in the plan's order — a 課題 is not a 施策."""
        counts = {self.leaf_level: 0} | {name: 0 for name in self.level_names}
        for measure in self.measures.values():
            counts[self.level_of(measure)] = counts.get(self.level_of(measure), 0) + 1
        return [(name, n) for name, n in counts.items() if n or name == self.leaf_level]

    def counts(self) -> list[tuple[str, int]]:
        """What the plan holds, as the import summary and the window say it: 課, each level, 指標, 年度目標, 実績, 予算."""
        return [("課", len(self.sections)), *self.level_counts(), ("指標", len(self.kpis)),
                ("年度目標", len(self.year_targets)), ("実績", len(self.history)), ("予算", len(self.budgets))]

    def ancestors(self, measure: Measure) -> list[Measure]:
        """The rows of higher levels this one hangs under (the 課題 above a プロジェクト): same path down to their level."""
        depth = self.level_names.index(measure.level) if measure.level in self.level_names else len(self.level_names)
        found = []
        for other in self.measures.values():
            if other.level in self.level_names[:depth]:
                i = self.level_names.index(other.level)
                if other.levels[: i + 1] == measure.levels[: i + 1] and other.levels[i]:
                    found.append(other)
        return found

    def mark(self, kpi_id: str, fy: int) -> str:
        """The 工程 mark of the year (○ ⇒ …), "" when the plan draws none."""
        return self.marks.get((kpi_id, fy), "")

    def schedule_text(self, kpi_id: str, fy: int) -> str:
        """This year's and next year's 工程 marks as the form and the outputs show them: 「○→⇒（翌年度も継続）」."""
        this, following = self.mark(kpi_id, fy), self.mark(kpi_id, fy + 1)
        if not this and not following:
            return ""
        text = f"{this or '—'}→{following or '—'}"
        return text + ("（翌年度も継続）" if following == "⇒" else "")

    def sharing(self, measure_id: str, fy: int) -> list[str]:
        """The other measures whose budget this year is the same shared budget (共有予算ID)."""
        own = self.budget(measure_id, fy)
        if own is None or not own.shared_id:
            return []
        return [b.measure_id for b in self.budgets
                if b.fy == fy and b.shared_id == own.shared_id and b.measure_id != measure_id]

    def shared_budget_holder(self, measure_id: str, fy: int, carries=None) -> str | None:
        """The measure a shared budget (共有予算ID) is entered and counted under: the first of the measures sharing
        it in the plan's own order (施策 sheet) — among those that `carries` (say, carry an amount) if given.
        The one definition of "first" for the forms and the outputs; None when the budget is not shared."""
        own = self.budget(measure_id, fy)
        if own is None or not own.shared_id:
            return None
        sharing = {b.measure_id for b in self.budgets if b.fy == fy and b.shared_id == own.shared_id}
        return next((m for m in self.measures if m in sharing and (carries is None or carries(m))), None)

    def budget(self, measure_id: str, fy: int) -> Budget | None:
        return self._indexed("budgets", lambda: {(b.measure_id, b.fy): b for b in self.budgets}).get((measure_id, fy))

    def milestones_of(self, measure_id: str) -> list[Milestone]:
        return self._grouped("milestones_by_measure", self.milestones, lambda x: x.measure_id).get(measure_id, [])

    def systems_of_section(self, code: str) -> list[System]:
        """The systems whose 様式② the section fills in: those it is 所管課 of."""
        return self._grouped("systems_by_section", self.systems.values(), lambda s: s.section_code).get(code, [])

    def systems_of_measure(self, measure_id: str) -> list[System]:
        """Systems listed under a measure (at home or again, 再掲)."""
        return [s for s in self.systems.values() if measure_id in s.measure_ids]


def in_section_order(sections: dict[str, Section], codes) -> list[str]:
    """`codes` in the order of `sections` (a plan's, or an inquiry's list: the order forms are sent in), any it
    does not name after them by code: a listing that never depends on the order a database returns rows in."""
    position = {code: index for index, code in enumerate(sections)}
    return sorted(codes, key=lambda code: (position.get(code, len(position)), code))
