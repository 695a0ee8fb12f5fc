"""集約・出力: each output one click (consolidated workbook, reminders, exports …), print preview and print,
and the files of the round's output folder."""
from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from dxdesk.overview import OutputFile
from ui.models import OutputsModel
from ui.pages.common import action_button, heading, hint, make_table, selected_row, set_widths

# (action key, what it makes) — the page lists every output the window can make, one button each.
OUTPUTS = (
    ("consolidate", "集約ブック（施策・指標一覧、柱ごとの評価分布とグラフ、回収状況、指摘）と、"
                    "オープンデータ CSV・指摘一覧 CSV"),
    ("pack_hq", "本部会議資料（1枚の概要・評価の分布と予算のグラフ・C/D 評価の一覧・部局別）: hq.xlsx と PDF"),
    ("pack_public", "公表資料（柱ごとの実績と目標・評価。担当者名や指摘などの内部情報は載せません）: public.xlsx と PDF"),
    ("pack_audit", "監査資料（施策ごとの記録・出典のファイルとセル・指摘とその対応）: audit.xlsx と PDF"),
    ("sendback", "要修正・提出済の課に返すブック（指摘のあるセルに印とコメント、エラー一覧つき）: 集約\\差戻し フォルダ"),
    ("remind", "未提出・要修正の課への催促メール（締切からの営業日数つき、様式・差戻しブックを添付した下書き）と回収状況の PDF"),
    ("export_csv", "全年度（取込済みの実績とすべての照会）のオープンデータ CSV"),
)
PRINTS = ("print_preview", "print", "out")


class OutputsPage(QWidget):
    open_output = Signal(object)   # OutputFile

    def __init__(self, actions: dict[str, QAction], parent: QWidget | None = None,
                 outputs: tuple[tuple[str, str], ...] = OUTPUTS) -> None:
        super().__init__(parent)
        self.model = OutputsModel(self)
        self.table = make_table(self.model, OutputsModel.COL_NAME)
        set_widths(self.table, {OutputsModel.COL_MODIFIED: 140, OutputsModel.COL_SIZE: 90})
        self.table.doubleClicked.connect(lambda *_: self._open())
        self.folder = QLabel()
        self.folder.setWordWrap(True)
        grid = QGridLayout()
        for row, (key, what) in enumerate(outputs):
            grid.addWidget(action_button(actions[key]), row, 0)
            label = QLabel(what)
            label.setWordWrap(True)
            grid.addWidget(label, row, 1)
        grid.setColumnStretch(1, 1)
        prints = QHBoxLayout()
        for key in PRINTS:
            prints.addWidget(action_button(actions[key]))
        prints.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(heading("5. 集約・出力 — 会議資料と公開データを作ります"))
        layout.addWidget(hint("どの出力もボタン一つで、照会の出力フォルダに作り直します（前の版は作成が終わるまで残ります）。"
                              "印刷は回収状況と指摘の一覧（A4）です。下の一覧のファイルはダブルクリックで開きます。"))
        layout.addLayout(grid)
        layout.addLayout(prints)
        layout.addWidget(self.folder)
        layout.addWidget(self.table, 1)

    def present(self, snap) -> None:
        self.model.set_rows(snap.outputs if snap else [])
        self.folder.setText(f"出力フォルダ: {snap.output_folder}" if snap and snap.round else "")

    def selected(self) -> OutputFile | None:
        row = selected_row(self.table)
        return self.model.rows[row] if row is not None and row < len(self.model.rows) else None

    def _open(self) -> None:
        chosen = self.selected()
        if chosen is not None:
            self.open_output.emit(chosen)
