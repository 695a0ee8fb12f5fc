"""点検: the round's findings in one table, filtered by 課, 重要度 and rule; the whole message and the fix hint
in a detail pane; open the file, waive an error with a reason, accept a section, re-check."""
from __future__ import annotations

import html
from typing import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (QComboBox, QHBoxLayout, QLabel, QPushButton, QSplitter, QTextBrowser, QVBoxLayout,
                               QWidget)

from dxdesk import labels as L
from dxdesk.rules.catalogue import CATALOGUE
from dxdesk.rules.findings import Finding
from ui.models import SEVERITY_CHOICES, FindingsFilter, FindingsModel
from ui.pages.common import action_button, heading, hint, make_table, selected_row, set_widths


def detail_html(f: Finding, section_label: str) -> str:
    """Everything about one finding, uncut: message, what to do, where, found and expected, waiver."""
    rows = [("重要度", f.severity_label + ("（免除）" if f.waiver else "")), ("規則", f"{f.code} {f.title}"),
            ("課", section_label), ("ファイル", f.file), ("シート", f.sheet), ("セル", f.cell),
            ("行", f.row_key), ("入力値", f.value), ("期待値", f.expected), ("免除", f.waiver)]
    table = "".join(f"<tr><td style='color:#555; padding-right:10px'>{k}</td><td>{html.escape(v)}</td></tr>"
                    for k, v in rows if v)
    hint_text = f"<p><b>対応</b><br>{html.escape(f.hint)}</p>" if f.hint else ""
    return f"<p style='font-size:14px'>{html.escape(f.message)}</p>{hint_text}<table>{table}</table>"


class FindingsPage(QWidget):
    open_file = Signal(object)     # Finding
    waive = Signal(object)         # Finding
    accept = Signal(str)           # section code

    def __init__(self, actions: dict[str, QAction], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.can_write = False
        self.statuses: dict[str, str] = {}
        self.model = FindingsModel(self)
        self.proxy = FindingsFilter(self)
        self.proxy.setSourceModel(self.model)
        self.table = make_table(self.proxy, FindingsModel.COL_MESSAGE)
        set_widths(self.table, {FindingsModel.COL_SEVERITY: 62, FindingsModel.COL_CODE: 46,
                                FindingsModel.COL_TITLE: 150, FindingsModel.COL_SECTION: 110,
                                FindingsModel.COL_FILE: 110, FindingsModel.COL_SHEET: 70, FindingsModel.COL_CELL: 44})
        for column in (FindingsModel.COL_HINT, FindingsModel.COL_WAIVER):
            self.table.hideColumn(column)   # shown whole in the detail pane
        self.table.selectionModel().selectionChanged.connect(self._show_detail)
        self.table.doubleClicked.connect(lambda *_: self._emit(self.open_file))
        self.section_combo = QComboBox()
        self.section_combo.setMinimumContentsLength(14)
        self.severity_combo = QComboBox()
        for code, label in SEVERITY_CHOICES:
            self.severity_combo.addItem(label, code)
        self.rule_combo = QComboBox()
        self.rule_combo.setMinimumContentsLength(16)
        self.section_combo.currentIndexChanged.connect(
            lambda: self.proxy.set_filter(section=self.section_combo.currentData() or ""))
        self.severity_combo.currentIndexChanged.connect(
            lambda: self.proxy.set_filter(severity=self.severity_combo.currentData() or ""))
        self.rule_combo.currentIndexChanged.connect(
            lambda: self.proxy.set_filter(rule=self.rule_combo.currentData() or ""))
        self.count = QLabel()
        for signal in (self.proxy.rowsInserted, self.proxy.rowsRemoved, self.proxy.modelReset,
                       self.proxy.layoutChanged):
            signal.connect(self._show_count)
        self.detail = QTextBrowser()
        self.detail.setOpenLinks(False)
        self.open_button = QPushButton("ファイルを開く(&F)")
        self.open_button.setToolTip("保管した原本を開き、シートとセル（例 進捗報告!Q11）をクリップボードにコピーします。"
                                    "Excel の名前ボックスに貼り付けると、そのセルに移動できます。")
        self.waive_button = QPushButton("エラーを免除(&W)…")
        self.waive_button.setToolTip("課に確認済みの値など、直さなくてよいエラーを理由つきで免除します。")
        self.accept_button = QPushButton("この課を受理(&A)")
        self.accept_button.setToolTip("警告を確認し終えた課を受理します（エラーが残る課は受理できません）。")
        self.open_button.clicked.connect(lambda: self._emit(self.open_file))
        self.waive_button.clicked.connect(lambda: self._emit(self.waive))
        self.accept_button.clicked.connect(self._accept)
        filters = QHBoxLayout()
        for label, combo in (("課(&S):", self.section_combo), ("重要度(&V):", self.severity_combo),
                             ("規則(&R):", self.rule_combo)):
            text = QLabel(label)
            text.setBuddy(combo)
            filters.addWidget(text)
            filters.addWidget(combo)
            filters.addSpacing(8)
        filters.addStretch(1)
        filters.addWidget(self.count)
        buttons = QHBoxLayout()
        for widget in (self.open_button, self.waive_button, self.accept_button, action_button(actions["check"])):
            buttons.addWidget(widget)
        buttons.addStretch(1)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(QLabel("詳細"))
        right_layout.addWidget(self.detail)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.table)
        split.addWidget(right)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 1)
        split.setSizes([820, 300])
        layout = QVBoxLayout(self)
        layout.addWidget(heading("4. 点検 — 指摘を確かめ、差し戻すか受理します"))
        layout.addWidget(hint("エラーのある課は「要修正」です。差戻しブックで課に直してもらうか、確認済みなら理由を書いて免除します。"
                              "警告だけの課は、内容を確かめてから「この課を受理」を押します。"))
        layout.addLayout(filters)
        layout.addWidget(split, 1)
        layout.addLayout(buttons)
        self._show_detail()

    # ---- data ---------------------------------------------------------------------------------------
    def present(self, snap, can_write: bool) -> None:
        self.can_write = can_write
        rows = snap.findings if snap else []
        names = snap.section_names if snap else {}
        self.statuses = {s.section.code: s.status for s in snap.statuses} if snap else {}
        self.set_rows(rows, names)

    def set_rows(self, rows: Sequence[Finding], section_names: dict[str, str]) -> None:
        self.model.set_rows(rows, section_names)
        self._fill(self.section_combo, "すべての課",
                   [(code, f"{code} {section_names.get(code, '')}".strip())
                    for code in sorted({f.section for f in rows if f.section})])
        self._fill(self.rule_combo, "すべての規則",
                   [(code, f"{code} {CATALOGUE[code].title}") for code in sorted({f.code for f in rows})])
        self.proxy.set_filter(section=self.section_combo.currentData() or "", rule=self.rule_combo.currentData() or "")
        self._show_count()
        self._show_detail()

    @staticmethod
    def _fill(combo: QComboBox, all_label: str, items: list[tuple[str, str]]) -> None:
        """Refill a filter with what is present; keep the chosen item if it still is."""
        chosen = combo.currentData() or ""
        combo.blockSignals(True)
        combo.clear()
        combo.addItem(all_label, "")
        for code, label in items:
            combo.addItem(label, code)
        combo.setCurrentIndex(max(0, combo.findData(chosen)))
        combo.blockSignals(False)

    def selected(self) -> Finding | None:
        row = selected_row(self.table)
        return self.model.rows[row] if row is not None and row < len(self.model.rows) else None

    def select_first(self, code: str, section: str = "") -> bool:
        for row in range(self.proxy.rowCount()):
            finding = self.model.rows[self.proxy.mapToSource(self.proxy.index(row, 0)).row()]
            if finding.code == code and (not section or finding.section == section):
                self.table.selectRow(row)
                return True
        return False

    # ---- presenting ---------------------------------------------------------------------------------
    def _show_count(self, *args) -> None:
        shown, total = self.proxy.rowCount(), self.model.rowCount()
        self.count.setText(f"{shown} 件" if shown == total else f"{shown} / {total} 件")

    def _show_detail(self, *args) -> None:
        f = self.selected()
        if f is None:
            self.detail.setHtml("<p style='color:#555'>表で指摘を選ぶと、ここに全文と対応方法が出ます。</p>")
        else:
            self.detail.setHtml(detail_html(f, self.model.section_label(f.section)))
        self.open_button.setEnabled(f is not None and bool(f.section or f.file))
        self.waive_button.setEnabled(self.can_write and f is not None and f.blocking and bool(f.section)
                                     and f.code != "R2")
        section = self._section()
        self.accept_button.setEnabled(self.can_write and self.statuses.get(section) == L.STATUS_RETURNED)
        self.accept_button.setText(f"{section} を受理(&A)" if section else "この課を受理(&A)")

    def _section(self) -> str:
        f = self.selected()
        return (f.section if f else "") or (self.section_combo.currentData() or "")

    def _emit(self, signal) -> None:
        f = self.selected()
        if f is not None:
            signal.emit(f)

    def _accept(self) -> None:
        section = self._section()
        if section:
            self.accept.emit(section)
