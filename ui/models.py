"""One QAbstractTableModel per table (Vorta's habit): COL_* constants and a single set_rows()."""
from __future__ import annotations

from typing import Any, Sequence

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtGui import QBrush, QColor

from dxdesk import labels as L
from dxdesk.intake.status import SectionStatus
from dxdesk.outputs import roadmap
from dxdesk.outputs.schedule_data import MilestoneRecord, SystemRecord
from dxdesk.overview import DistributedForm, HistoryEntry, OutputFile
from dxdesk.plan.milestones import Milestone
from dxdesk.plan.model import STAGE_NAMES, Kpi, Measure, Plan
from dxdesk.plan.systems import Cost, System
from dxdesk.rules.catalogue import SEVERITY_LABELS
from dxdesk.rules.findings import SEVERITY_ORDER, Finding
from dxdesk.years import short_wareki

Index = QModelIndex | QPersistentModelIndex

# (background, text) per 状況; the text colour keeps the contrast readable on every background.
STATUS_COLOURS = {
    L.STATUS_NOT_RETURNED: ("#ECEFF1", "#546E7A"),
    L.STATUS_RETURNED: ("#FFF3CD", "#7A5B00"),
    L.STATUS_NEEDS_FIX: ("#F8D7DA", "#842029"),
    L.STATUS_ACCEPTED: ("#D1E7DD", "#0F5132"),
}
SEVERITY_COLOURS = {
    "ERR": ("#F8D7DA", "#842029"),
    "WARN": ("#FFF3CD", "#7A5B00"),
    "INFO": ("#CFF4FC", "#055160"),
}


def _brushes(colours: tuple[str, str] | None, role: int) -> QBrush | None:
    if colours is None:
        return None
    if role == Qt.ItemDataRole.BackgroundRole:
        return QBrush(QColor(colours[0]))
    return QBrush(QColor(colours[1]))


def short_message(f: Finding) -> str:
    """The message without the leading file / シート / セル, which the table already shows in columns."""
    text = f.message
    for prefix in (f.file, f.sheet and f"シート「{f.sheet}」", f.cell and f"セル {f.cell}", f.cell):
        if prefix:
            text = text[len(prefix):] if text.startswith(prefix) else text
            text = text.lstrip(" ")
    return text[1:].lstrip() if text.startswith((":", "：")) else text


def _when(iso: str) -> str:
    """2024-05-17T10:03:00 → 2024-05-17 10:03"""
    return iso.replace("T", " ")[:16]


class RowsModel(QAbstractTableModel):
    """A read-only table over a list of records; subclasses say what each cell shows."""

    HEADERS: tuple[str, ...] = ()

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.rows: list[Any] = []

    def set_rows(self, rows: Sequence[Any]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.HEADERS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self.display(row, index.column())
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.tooltip(row, index.column())
        if role in (Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.ForegroundRole):
            return _brushes(self.colours(row, index.column()), role)
        if role == Qt.ItemDataRole.TextAlignmentRole and self.is_number(index.column()):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def display(self, row: Any, column: int) -> Any:
        """The cell text; each table model says what its columns show."""
        return None

    def tooltip(self, row: Any, column: int) -> str | None:
        value = self.display(row, column)
        return value if isinstance(value, str) and len(value) > 20 else None

    def colours(self, row: Any, column: int) -> tuple[str, str] | None:
        return None

    def is_number(self, column: int) -> bool:
        return False

    def column_values(self, column: int) -> list[Any]:
        """The displayed values of one column, top to bottom (tests, filters)."""
        return [self.display(row, column) for row in self.rows]


class StatusModel(RowsModel):
    """提出状況: one row per section of the round."""

    COL_CODE, COL_DEPT, COL_NAME, COL_STATUS, COL_FILE, COL_RECEIVED, COL_ERRORS, COL_WARNINGS, COL_INFOS = range(9)
    HEADERS = ("課コード", "部局", "課所室名", "状況", "ファイル", "受付日時", "エラー", "警告", "情報")

    def display(self, row: SectionStatus, column: int) -> Any:
        values = (row.section.code, row.section.dept, row.section.name, row.status, row.file_name,
                  _when(row.received_at), row.errors, row.warnings, row.infos)
        return values[column]

    def tooltip(self, row: SectionStatus, column: int) -> str | None:
        if column == self.COL_NAME and (row.section.person or row.section.email):
            return f"担当: {row.section.person} {row.section.email}".strip()
        if column == self.COL_FILE and row.submissions > 1:
            return f"{row.file_name}（提出 {row.submissions} 回）"
        return super().tooltip(row, column)

    def colours(self, row: SectionStatus, column: int) -> tuple[str, str] | None:
        if column == self.COL_STATUS:
            return STATUS_COLOURS.get(row.status)
        if column == self.COL_ERRORS and row.errors:
            return SEVERITY_COLOURS["ERR"]
        return None

    def is_number(self, column: int) -> bool:
        return column in (self.COL_ERRORS, self.COL_WARNINGS, self.COL_INFOS)


class FindingsModel(RowsModel):
    """指摘: one row per finding of the round (the latest submission of each section, and overdue ones)."""

    (COL_SEVERITY, COL_CODE, COL_TITLE, COL_SECTION, COL_FILE, COL_SHEET, COL_CELL, COL_MESSAGE, COL_HINT,
     COL_WAIVER) = range(10)
    HEADERS = ("重要度", "コード", "項目", "課", "ファイル", "シート", "セル", "内容", "対応", "免除")

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.section_names: dict[str, str] = {}

    def set_rows(self, rows: Sequence[Finding], section_names: dict[str, str] | None = None) -> None:
        self.section_names = dict(section_names or {})
        super().set_rows(rows)

    def section_label(self, code: str) -> str:
        name = self.section_names.get(code, "")
        return f"{code} {name}".strip() if code else ""

    def display(self, row: Finding, column: int) -> Any:
        values = (row.severity_label + ("（免除）" if row.waiver else ""), row.code, row.title,
                  self.section_label(row.section), row.file, row.sheet, row.cell, short_message(row), row.hint,
                  row.waiver)
        return values[column]

    def tooltip(self, row: Finding, column: int) -> str | None:
        if column in (self.COL_MESSAGE, self.COL_HINT):
            return f"{row.message}\n\n対応: {row.hint}" if row.hint else row.message
        return super().tooltip(row, column)

    def colours(self, row: Finding, column: int) -> tuple[str, str] | None:
        if column != self.COL_SEVERITY:
            return None
        return SEVERITY_COLOURS.get("WARN" if row.waiver else row.severity)


class FindingsFilter(QSortFilterProxyModel):
    """Filters the findings by 課, by 重要度 (this one and above) and by rule code (empty string: all)."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.section = ""
        self.severity = ""
        self.rule = ""

    def set_filter(self, section: str | None = None, severity: str | None = None, rule: str | None = None) -> None:
        modern = hasattr(self, "beginFilterChange")   # Qt 6.9+; invalidateRowsFilter() is deprecated there
        if modern:
            self.beginFilterChange()
        if section is not None:
            self.section = section
        if severity is not None:
            self.severity = severity
        if rule is not None:
            self.rule = rule
        if modern:
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:
            self.invalidateRowsFilter()

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        model = self.sourceModel()
        if not isinstance(model, FindingsModel) or source_row >= len(model.rows):
            return True
        finding = model.rows[source_row]
        return ((not self.section or finding.section == self.section)
                and (not self.rule or finding.code == self.rule)
                and (not self.severity or SEVERITY_ORDER[finding.severity] <= SEVERITY_ORDER[self.severity]))


SEVERITY_CHOICES = (("", "すべての重要度"),) + tuple((code, f"{label}以上" if code != "ERR" else label)
                                                       for code, label in SEVERITY_LABELS.items())


class MeasuresModel(RowsModel):
    """計画: the plan's measures, with their levels, owner section and stage."""

    COL_ID, COL_NAME, COL_LEVELS, COL_SECTION, COL_STAGE, COL_KPIS = range(6)
    HEADERS = (L.LABELS["measure_id"], L.LABELS["measure_name"], "体系", "担当課", L.LABELS["stage"], "指標数")

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.plan: Plan | None = None

    def set_plan(self, plan: Plan | None) -> None:
        self.plan = plan
        self.set_rows(list(plan.measures.values()) if plan else [])

    def display(self, row: Measure, column: int) -> Any:
        plan = self.plan
        owner = plan.sections.get(row.owner) if plan else None
        stage = f"{row.stage}（{STAGE_NAMES[row.stage]}）" if row.stage in STAGE_NAMES else row.stage
        values = (row.measure_id, row.name, " ＞ ".join(row.levels), owner.name if owner else row.owner, stage,
                  len(plan.kpis_of_measure(row.measure_id)) if plan else 0)
        return values[column]

    def is_number(self, column: int) -> bool:
        return column == self.COL_KPIS


def _number(value: float | None, text: str) -> str:
    if value is None:
        return text
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.3f}".rstrip("0").rstrip(".")


class KpisModel(RowsModel):
    """計画: the plan's KPIs with baseline and target."""

    COL_ID, COL_MEASURE, COL_NAME, COL_KIND, COL_UNIT, COL_BASELINE, COL_TARGET, COL_TARGET_FY = range(8)
    HEADERS = (L.LABELS["kpi_id"], L.LABELS["measure_id"], L.LABELS["kpi_name"], L.LABELS["kpi_kind"],
               L.LABELS["unit"], L.LABELS["baseline"], L.LABELS["target"], L.LABELS["target_fy"])

    def set_plan(self, plan: Plan | None) -> None:
        self.set_rows(list(plan.kpis.values()) if plan else [])

    def display(self, row: Kpi, column: int) -> Any:
        target = _number(row.target, row.target_text) + (row.comparator if row.target is not None else "")
        values = (row.kpi_id, row.measure_id, row.name, row.kind, row.unit, _number(row.baseline, row.baseline_text),
                  target, row.target_fy or "")
        return values[column]

    def is_number(self, column: int) -> bool:
        return column in (self.COL_BASELINE, self.COL_TARGET)


def _fy(fy: int | None) -> str:
    """予定年度 as the roadmap heads its columns: R6(2024); 時期未定 without a year."""
    return f"{short_wareki(fy)}({fy})" if fy is not None else "時期未定"


def _cost(cost: Cost | None) -> str:
    return cost.shown if cost is not None else ""


class MilestonesModel(RowsModel):
    """計画: the plan's milestones (工程), measure by measure, with the status the plan gives them."""

    COL_MEASURE, COL_MEASURE_NAME, COL_OWNER, COL_ID, COL_CONTENT, COL_FY, COL_PERIOD, COL_STATUS = range(8)
    HEADERS = (L.LABELS["measure_id"], L.LABELS["measure_name"], L.LABELS["owner"], L.LABELS["milestone_id"],
               L.LABELS["milestone_content"], L.LABELS["planned_fy"], L.LABELS["planned_period"],
               L.LABELS["milestone_status"])

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.plan: Plan | None = None

    def set_plan(self, plan: Plan | None) -> None:
        self.plan = plan
        self.set_rows(list(plan.milestones) if plan else [])

    def display(self, row: Milestone, column: int) -> Any:
        measure = self.plan.measures.get(row.measure_id) if self.plan else None
        owner = self.plan.sections.get(measure.owner) if self.plan and measure else None
        values = (row.measure_id, measure.name if measure else "", owner.name if owner else "", row.milestone_id,
                  row.content, _fy(row.fy), row.period, row.status)
        return values[column]

    def colours(self, row: Milestone, column: int) -> tuple[str, str] | None:
        return roadmap.COLOURS.get(row.status) if column == self.COL_STATUS and row.status else None


class SystemsModel(RowsModel):
    """計画: the plan's systems (様式②), each once, with its costs in 千円 as the plan writes them."""

    (COL_ID, COL_NAME, COL_SECTION, COL_MEASURES, COL_INTRO_YEAR, COL_INTRO_COST, COL_OPEX,
     COL_SUMMARY) = range(8)
    HEADERS = (L.LABELS["system_id"], L.LABELS["system_name"], L.LABELS["system_section"],
               L.LABELS["system_measures"], L.LABELS["intro_year"], L.LABELS["intro_cost"], L.LABELS["planned_opex"],
               L.LABELS["system_summary"])

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.plan: Plan | None = None

    def set_plan(self, plan: Plan | None) -> None:
        self.plan = plan
        self.set_rows(list(plan.systems.values()) if plan else [])

    def display(self, row: System, column: int) -> Any:
        section = self.plan.sections.get(row.section_code) if self.plan else None
        values = (row.system_id, row.name, section.name if section else row.section_code, "、".join(row.measure_ids),
                  row.intro_text, _cost(row.intro_cost), row.opex_shown, row.summary)
        return values[column]

    def tooltip(self, row: System, column: int) -> str | None:
        value = self.display(row, column)   # years and costs are often words (令和7年度（実証）, シナリオにより異なる)
        return value if isinstance(value, str) and len(value) > 8 else None

    def is_number(self, column: int) -> bool:
        return column == self.COL_INTRO_COST


class ReportedMilestonesModel(RowsModel):
    """回収: one section's milestones with the status it reported (else the plan's); 遅 = 延期 or overdue."""

    COL_MEASURE, COL_CONTENT, COL_WHEN, COL_STATUS, COL_DONE, COL_REASON = range(6)
    HEADERS = (L.LABELS["measure_id"], L.LABELS["milestone_content"], L.LABELS["planned_fy"],
               L.LABELS["milestone_status"], L.LABELS["done_month"], L.LABELS["delay_reason"])

    def display(self, row: MilestoneRecord, column: int) -> Any:
        status = row.status or "（報告なし）"
        values = (row.measure.measure_id, row.milestone.content, row.milestone.when,
                  f"{roadmap.LATE} {status}" if row.late else status, row.done_month, row.delay_reason)
        return values[column]

    def tooltip(self, row: MilestoneRecord, column: int) -> str | None:
        if column == self.COL_STATUS:
            told = "課の報告" if row.returned else "計画マスタの記載（報告なし）"
            late = f"\n{dict(roadmap.LEGEND)[roadmap.LATE]}" if row.late else ""
            return f"{told}{late}"
        return super().tooltip(row, column)

    def colours(self, row: MilestoneRecord, column: int) -> tuple[str, str] | None:
        if column != self.COL_STATUS:
            return None
        return roadmap.COLOURS.get(roadmap.LATE if row.late else row.status)


class ReportedSystemsModel(RowsModel):
    """回収: one section's systems with the running cost and use it reported (千円), against last year."""

    COL_ID, COL_NAME, COL_OPEX, COL_PREVIOUS, COL_CHANGE, COL_USAGE, COL_PER_USE, COL_REASON = range(8)
    HEADERS = (L.LABELS["system_id"], L.LABELS["system_name"], L.LABELS["opex_actual"], L.LABELS["last_opex"],
               L.LABELS["opex_change"], L.LABELS["usage"], L.LABELS["cost_per_use"], L.LABELS["opex_reason"])

    def display(self, row: SystemRecord, column: int) -> Any:
        usage = f"{_number(row.usage, '')} {row.usage_unit}" if row.usage is not None else ""
        change = f"{row.change * 100:.1f}%" if row.change is not None else ""
        values = (row.system.system_id, row.system.name, _number(row.opex, ""), _number(row.previous, ""), change,
                  usage, _number(row.cost_per_use, ""), row.reason)
        return values[column]

    def tooltip(self, row: SystemRecord, column: int) -> str | None:
        if column == self.COL_PREVIOUS and row.previous_basis:
            return f"{row.previous_basis}の値"
        if column == self.COL_OPEX and row.source:
            return f"出典: {row.source}"
        return super().tooltip(row, column)

    def is_number(self, column: int) -> bool:
        return column in (self.COL_OPEX, self.COL_PREVIOUS, self.COL_CHANGE, self.COL_USAGE, self.COL_PER_USE)


class DistributionModel(RowsModel):
    """配布: each reporting section with the form it was sent."""

    COL_CODE, COL_DEPT, COL_NAME, COL_PERSON, COL_FILE, COL_WHEN = range(6)
    HEADERS = ("課コード", "部局", "課所室名", "担当者", "配布ファイル", "作成日時")

    def display(self, row: DistributedForm, column: int) -> Any:
        values = (row.section.code, row.section.dept, row.section.name,
                  " ".join(p for p in (row.section.person, row.section.email) if p),
                  row.file_name or "（未作成）", _when(row.distributed_at))
        return values[column]

    def colours(self, row: DistributedForm, column: int) -> tuple[str, str] | None:
        if column == self.COL_FILE and not row.file_name:
            return STATUS_COLOURS[L.STATUS_NOT_RETURNED]
        return None


class HistoryModel(RowsModel):
    """回収: one section's submissions in this round, newest first."""

    COL_RECEIVED, COL_FILE, COL_STATE, COL_ERRORS, COL_WARNINGS = range(5)
    HEADERS = ("受付日時", "ファイル", "扱い", "エラー", "警告")

    def display(self, row: HistoryEntry, column: int) -> Any:
        values = (_when(row.received_at), row.file_name, "最新" if row.latest else "差し替え済み", row.errors,
                  row.warnings)
        return values[column]

    def tooltip(self, row: HistoryEntry, column: int) -> str | None:
        if column == self.COL_FILE:
            return f"元の場所: {row.source_path}\n保管した原本: {row.original}"
        return super().tooltip(row, column)

    def colours(self, row: HistoryEntry, column: int) -> tuple[str, str] | None:
        if column == self.COL_ERRORS and row.errors:
            return SEVERITY_COLOURS["ERR"]
        return None

    def is_number(self, column: int) -> bool:
        return column in (self.COL_ERRORS, self.COL_WARNINGS)


class OutputsModel(RowsModel):
    """集約・出力: the files in the round's output folder."""

    COL_NAME, COL_MODIFIED, COL_SIZE = range(3)
    HEADERS = ("ファイル", "更新日時", "サイズ")

    def display(self, row: OutputFile, column: int) -> Any:
        size = f"{row.size / 1024:,.0f} KB" if row.size >= 1024 else f"{row.size} B"
        return (row.name, _when(row.modified), size)[column]

    def is_number(self, column: int) -> bool:
        return column == self.COL_SIZE
