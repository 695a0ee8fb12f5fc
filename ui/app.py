"""Start the window: `dxdesk gui [-w WORKSPACE]` calls run()."""
from __future__ import annotations

import sys
import time
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTimer, QTranslator
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

from ui import crash

# Windows first (游ゴシック UI, メイリオ), then what Linux and macOS have.
JAPANESE_FONTS = ("Yu Gothic UI", "Meiryo UI", "Meiryo", "Hiragino Sans", "Noto Sans CJK JP", "Noto Sans JP",
                  "IPAexGothic", "IPAGothic", "TakaoPGothic", "VL PGothic")
TRANSLATION = "qtbase_ja"


def bundled_fonts() -> list[str]:
    """Register the font the frozen build ships for the PDF packs (IPAexゴシック, matplotlib_fontja/fonts);
    return its families."""
    bundle = getattr(sys, "_MEIPASS", None)
    families: list[str] = []
    for path in sorted((Path(bundle) / "matplotlib_fontja" / "fonts").glob("*.ttf")) if bundle else []:
        font_id = QFontDatabase.addApplicationFont(str(path))
        families += QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
    return families


def apply_japanese_font(app: QApplication) -> str:
    """Use the first installed Japanese UI font (so kanji never fall back to a Chinese glyph style); on a PC
    without one, the font shipped with the frozen build."""
    installed = set(QFontDatabase.families())
    family = next((f for f in JAPANESE_FONTS if f in installed), "")
    if not family:
        family = next(iter(bundled_fonts()), "")
    if family:
        font = QFont(app.font())
        font.setFamilies([family, *font.families()])
        app.setFont(font)
    return family


def translation_dirs() -> list[Path]:
    """The frozen build ships qtbase_ja.qm in translations/ (build/dxdesk.spec); else PySide6's own folder."""
    dirs = []
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        dirs.append(Path(bundle) / "translations")
    dirs.append(Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)))
    return dirs


def install_japanese_translation(app: QApplication) -> Path | None:
    """Qt's own texts (OK/Cancel, file dialog, print dialog) in Japanese: load qtbase_ja.qm."""
    QLocale.setDefault(QLocale(QLocale.Language.Japanese, QLocale.Country.Japan))
    for folder in translation_dirs():
        translator = QTranslator(app)
        if translator.load(TRANSLATION, str(folder)):
            app.installTranslator(translator)
            app._dxdesk_translator = translator  # kept alive with the app
            return folder / f"{TRANSLATION}.qm"
    return None


def make_app(argv: list[str] | None = None) -> QApplication:
    app = QApplication.instance() or QApplication(argv if argv is not None else sys.argv[:1])
    app.setApplicationName("dxdesk")
    app.setOrganizationName("dxdesk")
    if not getattr(app, "_dxdesk_translator", None):
        install_japanese_translation(app)
    apply_japanese_font(app)
    return app


def run(workspace: str | None = None, startup_report: str | None = None) -> int:
    """Open the window. With a startup_report file (`dxdesk --startup-check FILE`, used by the frozen-build test
    and benchmarks/startup.py), write the seconds to the first shown window there and quit."""
    started = time.perf_counter()
    crash.setup_logging()
    crash.install_excepthook()
    app = make_app()
    from ui.main_window import MainWindow  # after the QApplication exists
    window = MainWindow()
    window.show()
    if workspace:
        window.open_workspace(workspace)
    if startup_report:
        def report() -> None:
            cancel = QCoreApplication.translate("QPlatformTheme", "Cancel")   # キャンセル once qtbase_ja.qm is loaded
            Path(startup_report).write_text(f"{time.perf_counter() - started:.3f}\n{window.windowTitle()}\n{cancel}\n"
                                            f"{app.font().family()}\n", encoding="utf-8")
            window.close()
            app.quit()
        QTimer.singleShot(0, report)   # runs once the event loop has shown the window
    return app.exec()


def main(argv: list[str]) -> int:
    """dxdesk.exe [WORKSPACE] | dxdesk.exe --startup-check FILE"""
    if len(argv) > 2 and argv[1] == "--startup-check":
        return run(startup_report=argv[2])
    return run(argv[1] if len(argv) > 1 else None)
