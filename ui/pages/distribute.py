"""配布: one protected form per reporting section, written into the round's 配布 folder."""
from __future__ import annotations

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from ui.models import DistributionModel
from ui.pages.common import action_button, heading, hint, make_table, set_widths


class DistributePage(QWidget):
    def __init__(self, actions: dict[str, QAction], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = DistributionModel(self)
        self.table = make_table(self.model, DistributionModel.COL_FILE)
        set_widths(self.table, {DistributionModel.COL_CODE: 70, DistributionModel.COL_DEPT: 110,
                                DistributionModel.COL_NAME: 140, DistributionModel.COL_PERSON: 200,
                                DistributionModel.COL_WHEN: 130})
        self.folder = QLabel()
        self.folder.setWordWrap(True)
        self.summary = QLabel()
        buttons = QHBoxLayout()
        for key in ("distribute", "distribute_to", "distribute_folder"):
            buttons.addWidget(action_button(actions[key]))
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(heading("2. 配布 — 課ごとの様式を作成して送ります"))
        layout.addWidget(hint("「様式を作成」で、担当課ごとに記入用の Excel ブック（保護付き）を作成します。"
                              "配布フォルダを開いて、各課へメールか共有フォルダで送ってください。"))
        layout.addLayout(buttons)
        layout.addWidget(self.folder)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)

    def present(self, snap, folder) -> None:
        forms = snap.forms if snap else []
        self.model.set_rows(forms)
        made = sum(1 for f in forms if f.file_name)
        self.folder.setText(f"配布フォルダ: {folder}" if folder else "")
        self.summary.setText(f"様式 {made} / {len(forms)} 課" if forms else "照会を作成すると、配布する課の一覧が出ます。")
