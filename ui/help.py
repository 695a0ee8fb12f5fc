"""ヘルプ: the Japanese user guide (docs/manual.md), rendered inside the app — no browser on an LGWAN PC."""
from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices, QTextDocument
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

import dxdesk


def manual_path() -> Path:
    """docs/manual.md in the source tree, or beside the frozen app (build/dxdesk.spec ships docs/)."""
    bundle = getattr(sys, "_MEIPASS", None)
    root = Path(bundle) if bundle else Path(__file__).resolve().parents[1]
    return root / "docs" / "manual.md"


class ManualDialog(QDialog):
    def __init__(self, parent: QWidget | None = None, path: Path | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("使い方 — dxdesk")
        self.resize(900, 680)
        path = path or manual_path()
        self.browser = QTextBrowser()
        self.browser.setOpenLinks(False)
        self.browser.anchorClicked.connect(self._follow)
        self.browser.setSearchPaths([str(path.parent)])
        text = f"# 使い方\n\n説明書 {path} が見つかりません。dxdesk を入れ直してください。"
        if path.is_file():
            self.browser.setSource(QUrl.fromLocalFile(str(path)), QTextDocument.ResourceType.MarkdownResource)
        else:
            self.browser.setMarkdown(text)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser)
        layout.addWidget(buttons)

    def _follow(self, url: QUrl) -> None:
        """Anchors scroll, the other guides (rulebook.md) render here too, anything else opens outside."""
        target = self.browser.source().resolved(url) if url.isRelative() else url
        if url.hasFragment() and not url.path():
            self.browser.scrollToAnchor(url.fragment())
        elif target.path().endswith(".md"):
            self.browser.setSource(target, QTextDocument.ResourceType.MarkdownResource)
        else:
            QDesktopServices.openUrl(target)


def about_text() -> str:
    return (f"dxdesk {dxdesk.__version__}\nDX計画 進捗照会・回収・点検・集約ツール\n\n"
            "オフライン（LGWAN）で動作し、ネットワークには接続しません。")
