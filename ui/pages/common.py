"""What every page uses: a read-only sortable table, a tool button bound to a window action, the log page."""
from __future__ import annotations

import datetime as dt
from typing import Sequence

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (QAbstractItemView, QHeaderView, QLabel, QPlainTextEdit, QTableView, QToolButton,
                               QWidget)


def make_table(model, stretch: int | None = None) -> QTableView:
    view = QTableView()
    view.setModel(model)
    view.setSortingEnabled(True)
    view.setAlternatingRowColors(True)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setTabKeyNavigation(False)   # Tab leaves the table: the page stays keyboard reachable
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


def set_widths(view: QTableView, widths: dict[int, int]) -> None:
    for column, width in widths.items():
        view.setColumnWidth(column, width)


def action_button(action: QAction) -> QToolButton:
    """A page button that is the window's action: same label, shortcut and enabled state."""
    button = QToolButton()
    button.setDefaultAction(action)
    button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
    button.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
    return button


def heading(text: str) -> QLabel:
    label = QLabel(text)
    label.setStyleSheet("font-size: 15px; font-weight: bold;")
    return label


def hint(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setStyleSheet("color: #555;")
    return label


def selected_row(view: QTableView) -> int | None:
    """The source-model row of the selected line (through a proxy if there is one)."""
    rows = view.selectionModel().selectedRows() if view.selectionModel() else []
    if not rows:
        return None
    index = rows[0]
    model = view.model()
    mapper = getattr(model, "mapToSource", None)
    return mapper(index).row() if mapper else index.row()


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
