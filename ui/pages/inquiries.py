"""全庁照会: the inquiries made from the office's own forms — choose one, see who has returned, and distribute,
collect and merge it with one button each (the same jobs as `dxdesk inquiry …`)."""
from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from ui.models import FindingsModel, StatusModel
from ui.pages.common import heading, hint, make_table, selected_row, set_widths


class InquiriesPage(QWidget):
    create = Signal()
    distribute = Signal(str)
    collect = Signal(str)
    merge = Signal(str)
    check = Signal(str)
    remind = Signal(str)
    open_folder = Signal(str)
    mapping = Signal(str)
    accept = Signal(str, str)     # inquiry, section
    waive = Signal(str, object)   # inquiry, Finding

    def __init__(self, actions: dict[str, QAction], parent: QWidget | None = None) -> None:
        """`actions`: the window's; 再点検 and 催促 take the round's labels and icons (one source), but act on the
        chosen inquiry."""
        super().__init__(parent)
        self.views: list = []
        self.choice = QComboBox()
        self.choice.currentIndexChanged.connect(self._show)
        self.new_button = QPushButton("様式から照会を作成…")
        self.new_button.clicked.connect(self.create.emit)
        self.buttons = {}
        row = QHBoxLayout()
        row.addWidget(self.new_button)
        for key, text, signal in (("mapping", "直した対応表を読み込む…", self.mapping),
                                  ("distribute", "様式を配布", self.distribute),
                                  ("collect", "フォルダから取り込む…", self.collect),
                                  ("check", actions["check"], self.check),
                                  ("remind", actions["remind"], self.remind),
                                  ("merge", "集約ブックを作成", self.merge),
                                  ("folder", "出力フォルダを開く", self.open_folder)):
            button = QPushButton(text) if isinstance(text, str) else QPushButton(text.icon(), text.text())
            button.clicked.connect(lambda _=False, s=signal: self._emit(s))
            self.buttons[key] = button
            row.addWidget(button)
        row.addStretch(1)
        self.areas = QLabel()
        self.areas.setWordWrap(True)
        self.model = StatusModel(self)
        self.table = make_table(self.model, StatusModel.COL_NAME)
        set_widths(self.table, {StatusModel.COL_CODE: 80, StatusModel.COL_STATUS: 80, StatusModel.COL_FILE: 260})
        self.findings = FindingsModel(self)
        self.findings_table = make_table(self.findings, FindingsModel.COL_MESSAGE)
        set_widths(self.findings_table, {FindingsModel.COL_SEVERITY: 70, FindingsModel.COL_CODE: 50,
                                         FindingsModel.COL_SECTION: 120, FindingsModel.COL_FILE: 200})
        layout = QVBoxLayout(self)
        layout.addWidget(heading("全庁照会 — 手持ちの Excel 様式で全課に照会します"))
        layout.addWidget(hint("様式のブックを選ぶと入力欄を読み取り、対応表（Excel）を作ります。配布・回収・点検・集約は "
                              "DX計画の照会と同じ仕組みです。コマンドでは `dxdesk inquiry …` です。"))
        layout.addWidget(self.choice)
        layout.addLayout(row)
        layout.addWidget(self.areas)
        layout.addWidget(self.table, 3)
        self.accept_button = QPushButton("選んだ課を受理")
        self.accept_button.clicked.connect(self._accept)
        self.waive_button = QPushButton("選んだエラーを免除…")
        self.waive_button.clicked.connect(self._waive)
        below = QHBoxLayout()
        below.addWidget(QLabel("指摘"))
        below.addStretch(1)
        below.addWidget(self.accept_button)
        below.addWidget(self.waive_button)
        layout.addLayout(below)
        layout.addWidget(self.findings_table, 2)
        self.set_writable(False)

    def present(self, snap) -> None:
        chosen = self.selected_id()
        self.views = list(snap.inquiries) if snap else []
        self.choice.blockSignals(True)
        self.choice.clear()
        for view in self.views:
            self.choice.addItem(view.label, view.inquiry.inquiry_id)
        ids = [v.inquiry.inquiry_id for v in self.views]
        self.choice.setCurrentIndex(ids.index(chosen) if chosen in ids else len(ids) - 1)
        self.choice.blockSignals(False)
        self.set_writable(bool(snap and not snap.workspace.readonly))
        self._show()

    def set_writable(self, writable: bool) -> None:
        self.new_button.setEnabled(writable)
        self.accept_button.setEnabled(writable and bool(self.views))
        self.waive_button.setEnabled(writable and bool(self.views))
        for key, button in self.buttons.items():
            button.setEnabled(bool(self.views) and (writable or key == "folder"))

    def selected_id(self) -> str | None:
        return self.choice.currentData() if self.choice.count() else None

    def _accept(self) -> None:
        row = selected_row(self.table)
        if self.selected_id() and row is not None and row < len(self.model.rows):
            self.accept.emit(self.selected_id(), self.model.rows[row].section.code)

    def _waive(self) -> None:
        row = selected_row(self.findings_table)
        if self.selected_id() and row is not None and row < len(self.findings.rows):
            chosen = self.findings.rows[row]
            if chosen.severity == "ERR" and not chosen.waiver:
                self.waive.emit(self.selected_id(), chosen)

    def _emit(self, signal) -> None:
        chosen = self.selected_id()
        if chosen:
            signal.emit(chosen)

    def _show(self, *_) -> None:
        view = next((v for v in self.views if v.inquiry.inquiry_id == self.selected_id()), None)
        self.model.set_rows(view.statuses if view else [])
        self.findings.set_rows(view.findings if view else [],
                               {s.section.code: s.section.name for s in view.statuses} if view else {})
        if view is None:
            self.areas.setText("全庁照会はまだありません。「様式から照会を作成…」で始めます。")
            return
        self.areas.setText("入力欄: " + "　".join(
            f"{a.area_id} {a.kind}（{a.sheet}）{len(a.fields)} 項目" for a in view.inquiry.mapping.areas))
