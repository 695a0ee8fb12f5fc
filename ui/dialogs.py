"""Small dialogs: a new round (年度・締切), a new workspace (folder, shared database), the activity log, and the
unexpected-error dialog with copyable details."""
from __future__ import annotations

import datetime as dt
import platform
import sys
from pathlib import Path

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (QCheckBox, QDateEdit, QDialog, QDialogButtonBox, QFileDialog, QFormLayout,
                               QHBoxLayout, QLabel, QLayout, QLineEdit, QPlainTextEdit, QPushButton, QSpinBox,
                               QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget)

import dxdesk
from dxdesk.outputs.numfmt import timestamp
from dxdesk.years import wareki


def _form_rows(dialog: QDialog, rows: list[tuple[str, QWidget | QLayout]]) -> None:
    """Lay a dialog out as a form (a label and a field or layout a row) above its 作成 / キャンセル buttons."""
    form = QFormLayout()
    for label, field in rows:
        form.addRow(label, field)
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
    buttons.button(QDialogButtonBox.StandardButton.Ok).setText("作成")
    buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("キャンセル")
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    layout = QVBoxLayout(dialog)
    layout.addLayout(form)
    layout.addWidget(buttons)


class RoundDialog(QDialog):
    """照会を作成: the fiscal year reported on and the deadline for the returns."""

    def __init__(self, parent: QWidget | None = None, fy: int | None = None, deadline: dt.date | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("照会を作成")
        today = dt.date.today()
        fy = fy or (today.year - 1 if today.month >= 4 else today.year - 2)  # 前年度の実績を照会する
        deadline = deadline or today + dt.timedelta(days=21)
        self.fy_spin = QSpinBox()
        self.fy_spin.setRange(2000, 2100)
        self.fy_spin.setValue(fy)
        self.fy_label = QLabel()
        self.fy_spin.valueChanged.connect(self._show_wareki)
        self.deadline_edit = QDateEdit(QDate(deadline.year, deadline.month, deadline.day))
        self.deadline_edit.setCalendarPopup(True)
        self.deadline_edit.setDisplayFormat("yyyy年M月d日")
        _form_rows(self, [("年度", self.fy_spin), ("", self.fy_label), ("締切", self.deadline_edit)])
        self._show_wareki(fy)

    def _show_wareki(self, fy: int) -> None:
        self.fy_label.setText(f"{wareki(fy)}（{fy}年4月〜{fy + 1}年3月）の実績を照会します")

    @property
    def fy(self) -> int:
        return self.fy_spin.value()

    @property
    def deadline(self) -> dt.date:
        return self.deadline_edit.date().toPython()


def error_report(text: str, log_path: Path | None) -> str:
    """The details a user copies into a mail to the maintainer."""
    head = [f"dxdesk {dxdesk.__version__}", f"Python {sys.version.split()[0]} / {platform.platform()}"]
    if log_path:
        head.append(f"ログ: {log_path}")
    return "\n".join(head) + "\n\n" + text


class ExceptionDialog(QDialog):
    """予期しないエラー: what happened in one line, the details to copy, and where the log is."""

    def __init__(self, summary: str, details: str, log_path: Path | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("dxdesk — 予期しないエラー")
        self.resize(640, 420)
        self.report = error_report(details, log_path)
        intro = QLabel("予期しないエラーが起きました。作業中のデータはワークスペースに保存されています。\n"
                       "下の詳細をコピーして、dxdesk の保守担当者に送ってください。")
        intro.setWordWrap(True)
        title = QLabel(summary)
        title.setStyleSheet("font-weight: bold;")
        title.setWordWrap(True)
        title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.text = QPlainTextEdit(self.report)
        self.text.setReadOnly(True)
        self.text.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        copy = QPushButton("詳細をコピー")
        copy.clicked.connect(self.copy)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("閉じる")
        buttons.addButton(copy, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        for widget in (title, intro, self.text):
            layout.addWidget(widget)
        if log_path:
            log = QLabel(f"ログファイル: {log_path}")
            log.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            layout.addWidget(log)
        layout.addWidget(buttons)

    def copy(self) -> None:
        QGuiApplication.clipboard().setText(self.report)


class NewWorkspaceDialog(QDialog):
    """新しいワークスペース: a folder, and — for several staff — the PostgreSQL database it keeps its records in."""

    def __init__(self, parent: QWidget | None = None, folder: str = "") -> None:
        super().__init__(parent)
        self.setWindowTitle("新しいワークスペース")
        self.folder_edit = QLineEdit(folder)
        browse = QPushButton("参照…")
        browse.clicked.connect(self._browse)
        row = QHBoxLayout()
        row.addWidget(self.folder_edit)
        row.addWidget(browse)
        self.shared_check = QCheckBox("複数の職員で共有する（記録を庁内の PostgreSQL サーバーに置く）")
        self.database_edit = QLineEdit()
        self.database_edit.setPlaceholderText("postgresql://ユーザー名@サーバー/データベース名")
        self.database_edit.setEnabled(False)
        self.shared_check.toggled.connect(self.database_edit.setEnabled)
        note = QLabel("パスワードはここに書かず、パスワードファイル（pgpass）に書きます。"
                      "設定の仕方は情報システム担当向けの説明（docs/shared-workspace.md）にあります。")
        note.setWordWrap(True)
        _form_rows(self, [("フォルダ", row), ("", self.shared_check), ("データベース", self.database_edit), ("", note)])
        self.resize(560, self.sizeHint().height())

    def _browse(self) -> None:
        options = QFileDialog.Option(0) if sys.platform == "win32" else QFileDialog.Option.DontUseNativeDialog
        folder = QFileDialog.getExistingDirectory(self, "新しいワークスペースにするフォルダを選ぶ", "", options)
        if folder:
            self.folder_edit.setText(folder)

    @property
    def folder(self) -> str:
        return self.folder_edit.text().strip()

    @property
    def database(self) -> str | None:
        return (self.database_edit.text().strip() or None) if self.shared_check.isChecked() else None


class ActivityDialog(QDialog):
    """操作履歴: who did what when in this workspace (the activity log, newest first)."""

    HEADERS = ("日時", "だれが", "PC", "操作")

    def __init__(self, entries, where: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"操作履歴 — {where}")
        self.table = QTableWidget(len(entries), len(self.HEADERS))
        self.table.setHorizontalHeaderLabels(self.HEADERS)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        for row, entry in enumerate(entries):
            for column, text in enumerate((timestamp(entry.at), entry.who, entry.host, entry.what)):
                self.table.setItem(row, column, QTableWidgetItem(text))
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setStretchLastSection(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("閉じる")
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(f"新しい順に {len(entries)} 件" if entries else "まだ記録がありません"))
        layout.addWidget(self.table)
        layout.addWidget(buttons)
        self.resize(860, 480)
