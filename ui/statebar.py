"""The round's state, always in sight above every page: workspace, plan, the round (with a selector),
returned / missing / to correct, errors, the deadline and the working days left."""
from __future__ import annotations

import datetime as dt
import html

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QComboBox, QFrame, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from dxdesk import labels as L
from dxdesk.years import format_date_jp
from ui.models import SEVERITY_COLOURS, STATUS_COLOURS
from ui.pages.common import action_button


def chip(text: str, colours: tuple[str, str] | None = None) -> str:
    back, fore = colours or ("#E9ECEF", "#212529")
    return (f"<span style='background:{back}; color:{fore}; font-weight:bold'>&nbsp;{html.escape(text)}&nbsp;</span>")


class StateBar(QFrame):
    round_chosen = Signal(str)

    def __init__(self, actions: dict[str, QAction], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.where = QLabel()
        self.where.setTextFormat(Qt.TextFormat.RichText)
        self.where.setWordWrap(True)
        self.counts = QLabel()
        self.counts.setTextFormat(Qt.TextFormat.RichText)
        self.rounds = QComboBox()
        self.rounds.setMinimumContentsLength(22)
        self.rounds.setToolTip("照会を切り替えます（同じワークスペースの別の年度・回）。")
        self.rounds.activated.connect(lambda _i: self.round_chosen.emit(self.rounds.currentData() or ""))
        round_label = QLabel("照会(&K):")
        round_label.setBuddy(self.rounds)
        top = QHBoxLayout()
        top.addWidget(self.where, 1)
        top.addWidget(round_label)
        top.addWidget(self.rounds)
        top.addWidget(action_button(actions["round"]))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        layout.addLayout(top)
        layout.addWidget(self.counts)
        self.present(None)

    def present(self, snap) -> None:
        self.where.setText(where_html(snap))
        self.counts.setText(counts_html(snap))
        self.rounds.blockSignals(True)
        self.rounds.clear()
        for r in (snap.rounds if snap else []):
            self.rounds.addItem(f"{r.round_id}　{r.title}", r.round_id)
        if snap and snap.round:
            self.rounds.setCurrentIndex(max(0, self.rounds.findData(snap.round.round_id)))
        self.rounds.setEnabled(self.rounds.count() > 1)
        self.rounds.blockSignals(False)


def where_html(snap) -> str:
    if snap is None:
        return ("<b>ワークスペースが開かれていません。</b> 「ファイル」メニューの「開く」か「新規作成」から始めてください。"
                "　返送ファイルやフォルダは、この画面にドラッグ＆ドロップしても取り込めます。")
    parts = [f"<b>ワークスペース</b> {html.escape(str(snap.workspace.root))}"]
    if snap.plan:
        counts = "・".join(f"{html.escape(name)} {n}" for name, n in snap.plan.counts()[:-3])  # 課 … 指標
        parts.append(f"<b>計画</b> {html.escape(snap.plan.name)}（{counts}）")
    else:
        parts.append("<b>計画</b> 未取込")
    return "　｜　".join(parts)


def counts_html(snap) -> str:
    if snap is None or snap.round is None or snap.state is None:
        return "<b>照会</b> 未作成" if snap and snap.plan else ""
    s = snap.state
    deadline = format_date_jp(s.deadline)
    late = s.days_late > 0
    parts = [chip(f"提出 {s.returned}/{s.sections}", STATUS_COLOURS[L.STATUS_ACCEPTED] if s.sections and not s.missing
                  else None),
             chip(f"{L.STATUS_NOT_RETURNED} {s.missing}", STATUS_COLOURS[L.STATUS_NOT_RETURNED]),
             chip(f"{L.STATUS_NEEDS_FIX} {s.to_correct}", STATUS_COLOURS[L.STATUS_NEEDS_FIX] if s.to_correct else None),
             chip(f"{L.STATUS_ACCEPTED} {s.accepted}", STATUS_COLOURS[L.STATUS_ACCEPTED] if s.accepted else None),
             chip(f"エラー {s.errors}", SEVERITY_COLOURS["ERR"] if s.errors else None),
             chip(f"締切 {deadline}（{s.deadline_text}）", SEVERITY_COLOURS["ERR"] if late and s.missing else
                  SEVERITY_COLOURS["WARN"] if s.days_left <= 3 and s.missing else None)]
    today = format_date_jp(dt.date.today())
    return "　".join(parts) + f"　<span style='color:#666'>（{today} 現在）</span>"
