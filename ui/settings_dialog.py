"""設定: the office settings of dxdesk/settings.py (the form is built from its SETTINGS list, so a key added
there appears here), and the rule book: write it out to Excel to edit, read an edited one back."""
from __future__ import annotations

from PySide6.QtWidgets import (QComboBox, QDialog, QDialogButtonBox, QFormLayout, QGroupBox, QHBoxLayout, QLabel,
                               QLineEdit, QPlainTextEdit, QPushButton, QVBoxLayout, QWidget)

from dxdesk.settings import SETTINGS, SettingSpec, check_value


class SettingsDialog(QDialog):
    """Edits a dict key → value; `changed()` is what to save (secrets left blank keep their value)."""

    def __init__(self, current: dict[str, str], readonly: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("設定 — dxdesk")
        self.setMinimumWidth(560)
        self.current = dict(current)
        self.editors: dict[str, QWidget] = {}
        form = QFormLayout()
        for spec in SETTINGS:
            editor = self._editor(spec, self.current.get(spec.key, spec.default))
            editor.setEnabled(not readonly)
            label = QLabel(spec.label)
            label.setBuddy(editor)
            form.addRow(label, editor)
            self.editors[spec.key] = editor
        office = QGroupBox("担当課（様式の表紙と催促文に載ります）")
        office.setLayout(form)
        self.export_rules = QPushButton("規則集を Excel に書き出して開く(&E)")
        self.import_rules = QPushButton("編集した規則集を取り込む(&I)…")
        self.import_rules.setEnabled(not readonly)
        rules_row = QHBoxLayout()
        rules_row.addWidget(self.export_rules)
        rules_row.addWidget(self.import_rules)
        rules_row.addStretch(1)
        rules = QGroupBox("規則集（しきい値・評価の尺度・各規則の重要度）")
        rules_layout = QVBoxLayout(rules)
        note = QLabel("規則集は Excel で編集します。書き出して編集・保存し、取り込んだら「点検」ページの「再点検」で"
                      "提出済みのファイルに適用してください。")
        note.setWordWrap(True)
        rules_layout.addWidget(note)
        rules_layout.addLayout(rules_row)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Save).setEnabled(not readonly)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.buttons = buttons
        self.error = QLabel()
        self.error.setStyleSheet("color: #842029;")
        self.error.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(office)
        layout.addWidget(rules)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    @staticmethod
    def _editor(spec: SettingSpec, value: str) -> QWidget:
        if spec.choices:
            combo = QComboBox()
            combo.addItems(list(spec.choices))
            combo.setCurrentIndex(max(0, combo.findText(value)))
            return combo
        if spec.many:
            edit = QPlainTextEdit("" if spec.secret else value)
            edit.setPlaceholderText("（設定済み・変えるときだけ入力: 1 行に 1 つ）" if spec.secret and value
                                    else "1 行に 1 つ")
            edit.setFixedHeight(64)
            edit.setTabChangesFocus(True)
            return edit
        line = QLineEdit("" if spec.secret else value)
        if spec.secret:
            line.setEchoMode(QLineEdit.EchoMode.Password)
            line.setPlaceholderText("（設定済み・変えるときだけ入力）" if value else "（未設定）")
        return line

    def value(self, key: str) -> str:
        editor = self.editors[key]
        if isinstance(editor, QComboBox):
            return editor.currentText()
        if isinstance(editor, QPlainTextEdit):
            return editor.toPlainText()
        return editor.text()

    def set_value(self, key: str, text: str) -> None:
        editor = self.editors[key]
        if isinstance(editor, QComboBox):
            editor.setCurrentIndex(editor.findText(text))
        elif isinstance(editor, QPlainTextEdit):
            editor.setPlainText(text)
        else:
            editor.setText(text)

    def changed(self) -> dict[str, str]:
        """The settings to save: those that differ; a blank secret means 'unchanged'."""
        result = {}
        for spec in SETTINGS:
            text = self.value(spec.key)
            if spec.secret and not text.strip():
                continue
            if check_value(spec.key, text) != self.current.get(spec.key, spec.default):
                result[spec.key] = text
        return result

    def accept(self) -> None:
        try:
            self.changed()
        except Exception as exc:  # SettingError: a value outside its choices
            self.error.setText(str(exc))
            return
        super().accept()
