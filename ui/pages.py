"""The tab pages: 提出状況 and 指摘 (tables over the models), and the 作業記録 log."""
from __future__ import annotations

import datetime as dt
from typing import Sequence

from PySide6.QtCore import QSortFilterProxyModel, Qt
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QHBoxLayout, QHeaderView, QLabel, QPlainTextEdit,
                               QTableView, QVBoxLayout, QWidget)

from dxdesk import labels as L
from dxdesk.intake.status import SectionStatus
from dxdesk.rules.findings import Finding
from ui.models import SEVERITY_CHOICES, FindingsFilter, FindingsModel, StatusModel


def make_table(model, stretch: int | None = None) -> QTableView:
    view = QTableView()
    view.setModel(model)
    view.setSortingEnabled(True)
    view.setAlternatingRowColors(True)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setWordWrap(False)
    view.verticalHeader().setVisible(False)
    view.verticalHeader().setDefaultSectionSize(24)
    header = view.horizontalHeader()
    header.setHighlightSections(False)
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    if stretch is not None:
        header.setStretchLastSection(False)
        header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    view.sortByColumn(-1, Qt.SortOrder.AscendingOrder)
    return view


class StatusPage(QWidget):
    """提出状況: who has returned, with the colour of each 状況."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = StatusModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.table = make_table(self.proxy, StatusModel.COL_FILE)
        self.summary = QLabel()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 6, 4, 4)
        layout.addWidget(self.summary)
        layout.addWidget(self.table)
        widths = {StatusModel.COL_CODE: 70, StatusModel.COL_DEPT: 110, StatusModel.COL_NAME: 130,
                  StatusModel.COL_STATUS: 70, StatusModel.COL_RECEIVED: 130}
        for column, width in widths.items():
            self.table.setColumnWidth(column, width)
        for column in (StatusModel.COL_ERRORS, StatusModel.COL_WARNINGS, StatusModel.COL_INFOS):
            self.table.setColumnWidth(column, 52)

    def set_rows(self, rows: Sequence[SectionStatus]) -> None:
        self.model.set_rows(rows)
        counts = {status: sum(r.status == status for r in rows) for status in L.STATUSES}
        self.summary.setText("　".join(f"{status} {n}" for status, n in counts.items()) if rows else
                             "照会を作成して様式を配布すると、ここに課ごとの提出状況が表示されます。")


class FindingsPage(QWidget):
    """指摘: the findings of the round, filtered by 課 and 重要度."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = FindingsModel(self)
        self.proxy = FindingsFilter(self)
        self.proxy.setSourceModel(self.model)
        self.table = make_table(self.proxy, FindingsModel.COL_MESSAGE)
        self.section_combo = QComboBox()
        self.section_combo.setMinimumContentsLength(14)
        self.severity_combo = QComboBox()
        for code, label in SEVERITY_CHOICES:
            self.severity_combo.addItem(label, code)
        self.section_combo.currentIndexChanged.connect(
            lambda: self.proxy.set_filter(section=self.section_combo.currentData() or ""))
        self.severity_combo.currentIndexChanged.connect(
            lambda: self.proxy.set_filter(severity=self.severity_combo.currentData() or ""))
        self.count = QLabel()
        self.proxy.rowsInserted.connect(self._show_count)
        self.proxy.rowsRemoved.connect(self._show_count)
        self.proxy.modelReset.connect(self._show_count)
        self.proxy.layoutChanged.connect(self._show_count)
        filters = QHBoxLayout()
        filters.addWidget(QLabel("課:"))
        filters.addWidget(self.section_combo)
        filters.addSpacing(12)
        filters.addWidget(QLabel("重要度:"))
        filters.addWidget(self.severity_combo)
        filters.addStretch(1)
        filters.addWidget(self.count)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 6, 4, 4)
        layout.addLayout(filters)
        layout.addWidget(self.table)
        widths = {FindingsModel.COL_SEVERITY: 60, FindingsModel.COL_CODE: 50, FindingsModel.COL_TITLE: 170,
                  FindingsModel.COL_SECTION: 120, FindingsModel.COL_FILE: 160, FindingsModel.COL_SHEET: 80,
                  FindingsModel.COL_CELL: 50, FindingsModel.COL_HINT: 220}
        for column, width in widths.items():
            self.table.setColumnWidth(column, width)

    def set_rows(self, rows: Sequence[Finding], section_names: dict[str, str]) -> None:
        self.model.set_rows(rows, section_names)
        self._fill_sections(section_names, {f.section for f in rows if f.section})
        self._show_count()

    def _fill_sections(self, names: dict[str, str], present: set[str]) -> None:
        """The sections that have findings; keep the chosen one if it still has any."""
        chosen = self.section_combo.currentData() or ""
        self.section_combo.blockSignals(True)
        self.section_combo.clear()
        self.section_combo.addItem("すべての課", "")
        for code in sorted(present):
            self.section_combo.addItem(f"{code} {names.get(code, '')}".strip(), code)
        index = max(0, self.section_combo.findData(chosen)) if chosen in present else 0
        self.section_combo.setCurrentIndex(index)
        self.section_combo.blockSignals(False)
        self.proxy.set_filter(section=self.section_combo.currentData() or "")

    def _show_count(self, *args) -> None:
        shown, total = self.proxy.rowCount(), self.model.rowCount()
        self.count.setText(f"{shown} 件" if shown == total else f"{shown} / {total} 件")


class LogPage(QPlainTextEdit):
    """作業記録: what each job did, one timestamped block per job."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setReadOnly(True)
        self.setMaximumBlockCount(5000)

    def add(self, message: str, details: Sequence[str] = ()) -> None:
        stamp = dt.datetime.now().strftime("%H:%M:%S")
        self.appendPlainText(f"[{stamp}] {message}")
        for line in details:
            self.appendPlainText(f"    {line}")
