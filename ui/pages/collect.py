"""回収: take in returned workbooks (drop anywhere, a folder, files, reload the last folder); the board of
who has returned, in colour with counts; each section's submission history and its archived originals, and
the milestone statuses (工程) and system figures (様式②) it reported."""
from __future__ import annotations

from typing import Sequence

from PySide6.QtCore import QSortFilterProxyModel, Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSplitter, QTabWidget, QVBoxLayout, QWidget

from dxdesk import labels as L
from dxdesk.intake.status import SectionStatus
from dxdesk.overview import HistoryEntry
from ui.models import (STATUS_COLOURS, HistoryModel, ReportedMilestonesModel, ReportedSystemsModel,
                       StatusModel)
from ui.pages.common import action_button, heading, hint, make_table, selected_row, set_widths


class StatusBoard(QWidget):
    """One coloured chip per 状況 with its count."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.chips: dict[str, QLabel] = {}
        for status in L.STATUSES:
            back, text = STATUS_COLOURS[status]
            chip = QLabel()
            chip.setStyleSheet(f"background: {back}; color: {text}; padding: 6px 14px; border-radius: 4px; "
                               "font-weight: bold;")
            layout.addWidget(chip)
            self.chips[status] = chip
        layout.addStretch(1)
        self.set_counts([])

    def set_counts(self, rows: Sequence[SectionStatus]) -> None:
        for status, chip in self.chips.items():
            chip.setText(f"{status}　{sum(r.status == status for r in rows)}")

    def count(self, status: str) -> int:
        return int(self.chips[status].text().split("　")[-1])


class CollectPage(QWidget):
    open_original = Signal(object)   # HistoryEntry

    def __init__(self, actions: dict[str, QAction], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.histories: dict[str, list[HistoryEntry]] = {}
        self.model = StatusModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.table = make_table(self.proxy, StatusModel.COL_FILE)
        set_widths(self.table, {StatusModel.COL_CODE: 70, StatusModel.COL_DEPT: 110, StatusModel.COL_NAME: 130,
                                StatusModel.COL_STATUS: 70, StatusModel.COL_RECEIVED: 130,
                                StatusModel.COL_ERRORS: 52, StatusModel.COL_WARNINGS: 52, StatusModel.COL_INFOS: 52})
        self.table.selectionModel().selectionChanged.connect(self._show_history)
        self.board = StatusBoard()
        self.history = HistoryModel(self)
        self.history_view = make_table(self.history, HistoryModel.COL_FILE)
        set_widths(self.history_view, {HistoryModel.COL_RECEIVED: 130, HistoryModel.COL_STATE: 90,
                                       HistoryModel.COL_ERRORS: 52, HistoryModel.COL_WARNINGS: 52})
        self.history_view.doubleClicked.connect(lambda *_: self._open_selected())
        self.history_view.selectionModel().selectionChanged.connect(lambda *_: self._enable())
        self.schedule = None   # the round's ScheduleData: milestones and systems as returned
        self.milestones = ReportedMilestonesModel(self)
        self.milestones_view = make_table(self.milestones, ReportedMilestonesModel.COL_CONTENT)
        set_widths(self.milestones_view, {ReportedMilestonesModel.COL_MEASURE: 70,
                                          ReportedMilestonesModel.COL_WHEN: 100,
                                          ReportedMilestonesModel.COL_STATUS: 90,
                                          ReportedMilestonesModel.COL_DONE: 100,
                                          ReportedMilestonesModel.COL_REASON: 260})
        self.systems = ReportedSystemsModel(self)
        self.systems_view = make_table(self.systems, ReportedSystemsModel.COL_NAME)
        set_widths(self.systems_view, {ReportedSystemsModel.COL_ID: 80, ReportedSystemsModel.COL_OPEX: 150,
                                       ReportedSystemsModel.COL_PREVIOUS: 160, ReportedSystemsModel.COL_CHANGE: 70,
                                       ReportedSystemsModel.COL_USAGE: 130, ReportedSystemsModel.COL_PER_USE: 200,
                                       ReportedSystemsModel.COL_REASON: 180})
        self.history_title = QLabel("提出の履歴: 上の表で課を選んでください。")
        self.open_button = QPushButton("原本を開く(&G)")
        self.open_button.setToolTip("取り込んだときに保管した原本（変更されません）を Excel で開きます。")
        self.open_button.clicked.connect(self._open_selected)
        buttons = QHBoxLayout()
        for key in ("collect_dir", "collect_files", "reload"):
            buttons.addWidget(action_button(actions[key]))
        buttons.addStretch(1)
        lower = QWidget()
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        history_head = QHBoxLayout()
        history_head.addWidget(self.history_title, 1)
        history_head.addWidget(self.open_button)
        lower_layout.addLayout(history_head)
        self.detail = QTabWidget()
        self.detail.setDocumentMode(True)
        self.detail.addTab(self.history_view, "提出の履歴")
        self.detail.addTab(self.milestones_view, "工程の報告")
        self.detail.addTab(self.systems_view, "システムの報告")
        lower_layout.addWidget(self.detail)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.table)
        split.addWidget(lower)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)   # room for a few lines of the section's history, milestones or systems
        layout = QVBoxLayout(self)
        layout.addWidget(heading("3. 回収 — 返ってきたブックを取り込みます"))
        layout.addWidget(hint("ファイルやフォルダは、このウィンドウのどこにドラッグ＆ドロップしても取り込めます。"
                              "原本は変更せずにワークスペースへ保管し、再提出はすべて履歴に残ります（最新が有効）。"))
        layout.addLayout(buttons)
        layout.addWidget(self.board)
        layout.addWidget(split, 1)
        self._enable()

    def present(self, snap) -> None:
        rows = snap.statuses if snap else []
        self.histories = snap.histories if snap else {}
        self.schedule = snap.schedule if snap else None
        chosen = self.selected_section()
        self.model.set_rows(rows)
        self.board.set_counts(rows)
        if chosen:
            self.select_section(chosen)
        else:
            self._show_history()

    def selected_section(self) -> str:
        row = selected_row(self.table)
        return self.model.rows[row].section.code if row is not None and row < len(self.model.rows) else ""

    def select_section(self, code: str) -> None:
        for row, status in enumerate(self.model.rows):
            if status.section.code == code:
                self.table.selectRow(self.proxy.mapFromSource(self.model.index(row, 0)).row())
                break
        self._show_history()

    def _show_history(self, *args) -> None:
        code = self.selected_section()
        entries = self.histories.get(code, [])
        self.history.set_rows(entries)
        if code:
            name = next((r.section.name for r in self.model.rows if r.section.code == code), "")
            self.history_title.setText(f"提出の履歴: {code} {name}（{len(entries)} 件）" if entries
                                       else f"提出の履歴: {code} {name} はまだ提出がありません。")
        if entries:
            self.history_view.selectRow(0)
        self._show_schedule(code)
        self._enable()

    def _show_schedule(self, code: str) -> None:
        """The selected section's milestones and systems: the status and figures it reported (else the plan's)."""
        schedule = self.schedule
        milestones = [m for m in schedule.milestones if m.section.code == code] if schedule and code else []
        systems = [s for s in schedule.systems if s.section.code == code] if schedule and code else []
        self.milestones.set_rows(milestones)
        self.systems.set_rows(systems)
        late = sum(m.late for m in milestones)
        self.detail.setTabText(1, "工程の報告" + (f"（{len(milestones)}・遅れ {late}）" if late
                                                   else f"（{len(milestones)}）" if milestones else ""))
        self.detail.setTabText(2, "システムの報告" + (f"（{len(systems)}）" if systems else ""))
        self.detail.setTabVisible(1, bool(schedule and schedule.milestones))
        self.detail.setTabVisible(2, bool(schedule and schedule.systems))

    def selected_entry(self) -> HistoryEntry | None:
        row = selected_row(self.history_view)
        return self.history.rows[row] if row is not None and row < len(self.history.rows) else None

    def _open_selected(self) -> None:
        entry = self.selected_entry()
        if entry is not None:
            self.open_original.emit(entry)

    def _enable(self) -> None:
        self.open_button.setEnabled(self.selected_entry() is not None)
