"""The main window: the round's steps as pages (計画 → 配布 → 回収 → 点検 → 集約・出力), its state always in
sight above them; buttons start jobs on the worker, and each finished job hands back a Snapshot to present.

The dialog-free methods (open_workspace, import_plan, create_round, distribute, collect, waive, accept,
consolidate …) are public so tests drive the real window without clicking through file dialogs.
"""
from __future__ import annotations

import datetime as dt
import getpass
import sys
from pathlib import Path
from typing import Callable

from PySide6.QtCore import QUrl, Signal
from PySide6.QtGui import QAction, QCloseEvent, QDesktopServices, QDragEnterEvent, QDropEvent, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (QFileDialog, QInputDialog, QLabel, QListWidget, QMainWindow, QMessageBox,
                               QHBoxLayout, QProgressBar, QPushButton, QStackedWidget, QStyle, QVBoxLayout, QWidget)

from dxdesk import jobs, overview
from dxdesk.errors import DxdeskError, disk_full_message, is_disk_full
from dxdesk.rules.findings import Finding
from dxdesk.settings import SETTINGS
from dxdesk.store.activity_repo import activity_log
from dxdesk.store.pgstore import connection_lost, lost_message
from dxdesk.store.workspace import Workspace
from dxdesk.years import YearError, parse_date
from ui import crash, prefs, tasks
from ui.dialogs import ActivityDialog, NewWorkspaceDialog, RoundDialog
from ui.help import ManualDialog, about_text
from ui import inquiry_tasks
from ui.pages import CollectPage, DistributePage, FindingsPage, LogPage, OutputsPage, PlanPage
from ui.pages.inquiries import InquiriesPage
from ui.settings_dialog import SettingsDialog
from ui.statebar import StateBar
from ui.worker import JobRunner

TITLE = "dxdesk — DX計画 進捗照会"
SP = QStyle.StandardPixmap
# action key → (label, icon, needs: "" | "ws" | "plan" | "round", writes to the workspace, shortcut)
ACTIONS = {
    "open": ("開く(&O)…", SP.SP_DirOpenIcon, "", False, QKeySequence.StandardKey.Open),
    "new": ("新規作成(&N)…", SP.SP_FileDialogNewFolder, "", False, QKeySequence.StandardKey.New),
    "settings": ("設定(&S)…", SP.SP_FileDialogDetailedView, "ws", False, "Ctrl+,"),
    "plan": ("計画マスタを取り込む(&P)…", SP.SP_FileDialogDetailedView, "ws", True, "Ctrl+I"),
    "round": ("照会を作成(&R)…", SP.SP_FileDialogContentsView, "plan", True, ""),
    "distribute": ("様式を作成(&D)", SP.SP_ArrowRight, "round", True, ""),
    "distribute_to": ("別のフォルダに作成…", SP.SP_DirIcon, "round", True, ""),
    "distribute_folder": ("配布フォルダを開く", SP.SP_DirLinkIcon, "round", False, ""),
    "collect_dir": ("フォルダから取り込む(&F)…", SP.SP_DirIcon, "round", True, "Ctrl+Shift+O"),
    "collect_files": ("ファイルを選んで取り込む…", SP.SP_FileIcon, "round", True, ""),
    "reload": ("同じフォルダを読み直す", SP.SP_BrowserReload, "round", True, "F5"),
    "check": ("再点検(&C)", SP.SP_BrowserReload, "round", True, ""),
    "consolidate": ("集約ブックを作成", SP.SP_DialogSaveButton, "round", True, ""),
    "pack_hq": ("本部会議資料を作成", SP.SP_FileDialogListView, "round", True, ""),
    "pack_public": ("公表資料を作成", SP.SP_FileDialogListView, "round", True, ""),
    "pack_audit": ("監査資料を作成", SP.SP_FileDialogListView, "round", True, ""),
    "sendback": ("差戻しブックを作成", SP.SP_ArrowBack, "round", True, ""),
    "remind": ("催促文を作成", SP.SP_MessageBoxInformation, "round", True, ""),
    "export_csv": ("全年度の CSV を書き出す", SP.SP_DialogSaveButton, "plan", True, ""),
    "print_preview": ("印刷プレビュー…", SP.SP_FileDialogContentsView, "round", False, ""),
    "print": ("印刷…", SP.SP_DialogApplyButton, "round", False, QKeySequence.StandardKey.Print),
    "out": ("出力フォルダを開く", SP.SP_DirLinkIcon, "ws", False, ""),
}
PAGES = ("1 計画", "2 配布", "3 回収", "4 点検", "5 集約・出力", "全庁照会", "作業記録")
PLAN, DISTRIBUTE, COLLECT, FINDINGS, OUTPUTS, INQUIRIES, LOG = range(7)


def dialog_options() -> QFileDialog.Option:
    """Windows' own dialog there (already Japanese); elsewhere Qt's own, translated by qtbase_ja.qm."""
    return QFileDialog.Option(0) if sys.platform == "win32" else QFileDialog.Option.DontUseNativeDialog


class MainWindow(QMainWindow):
    job_finished = Signal(str, object)   # job name, tasks.Outcome
    job_failed = Signal(str, str)        # job name, message shown to the user

    def __init__(self, parent: QWidget | None = None, pool=None) -> None:
        super().__init__(parent)
        self.setWindowTitle(TITLE)
        self.resize(1280, 760)
        self.setAcceptDrops(True)
        self.ws: Workspace | None = None
        self.snapshot: tasks.Snapshot | None = None
        self.closing = False
        self.last_collect: list[Path] = []
        self.distribute_dir: Path | None = None
        self.runner = JobRunner(self, pool)
        self.runner.busy_changed.connect(self._set_busy)
        self.runner.status.connect(self._show_status)
        self.runner.fraction.connect(lambda x: self.progress_bar.setValue(round(x * 100)))
        self.runner.finished.connect(self._job_done)
        self.runner.failed.connect(self._job_error)
        self.runner.cancelled.connect(lambda name: self._end_message(f"{name}を中止しました。"))
        self.actions_by_key = self._build_actions()
        self._build_menus()
        self._build_central()
        self._build_status_bar()
        self._present(None)

    # ---- layout -------------------------------------------------------------------------------------
    def _build_actions(self) -> dict[str, QAction]:
        handlers: dict[str, Callable[[], object]] = {
            "open": self.ask_open_workspace, "new": self.ask_new_workspace, "settings": self.ask_settings,
            "plan": self.ask_import_plan, "round": self.ask_create_round, "distribute": self.distribute,
            "distribute_to": self.ask_distribute_folder, "distribute_folder": self.open_distribution_folder,
            "collect_dir": self.ask_collect_folder, "collect_files": self.ask_collect_files,
            "reload": self.reload_collection, "check": self.check, "consolidate": self.consolidate,
            "remind": self.remind, "export_csv": self.export_csv, "pack_hq": lambda: self.make_pack("hq"),
            "pack_public": lambda: self.make_pack("public"), "pack_audit": lambda: self.make_pack("audit"),
            "sendback": self.sendback, "print_preview": self.print_preview,
            "print": self.print_report, "out": self.open_output_folder,
        }
        actions = {}
        for key, (label, icon, _needs, _writes, shortcut) in ACTIONS.items():
            action = QAction(self.style().standardIcon(icon), label, self)
            if shortcut:
                action.setShortcut(QKeySequence(shortcut))
            action.triggered.connect(handlers[key])
            actions[key] = action
        return actions

    def _build_menus(self) -> None:
        a = self.actions_by_key
        menu = self.menuBar().addMenu("ファイル(&F)")
        menu.addAction(a["new"])
        menu.addAction(a["open"])
        self.recent_menu = menu.addMenu("最近使ったワークスペース(&R)")
        self.recent_menu.aboutToShow.connect(self._fill_recent)
        menu.addSeparator()
        menu.addAction(a["settings"])
        menu.addAction("操作履歴(&H)…").triggered.connect(self.show_activity)
        menu.addSeparator()
        quit_action = menu.addAction("終了(&X)")
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        round_menu = self.menuBar().addMenu("照会(&K)")
        for key in ("plan", "round", "distribute", "collect_dir", "collect_files", "reload", "check", "consolidate",
                    "pack_hq", "pack_public", "pack_audit", "sendback", "remind", "export_csv", None, "print_preview", "print",
                    "out"):
            round_menu.addSeparator() if key is None else round_menu.addAction(a[key])
        view = self.menuBar().addMenu("表示(&V)")
        for index, name in enumerate(PAGES):
            action = view.addAction(name)
            action.setShortcut(QKeySequence(f"Ctrl+{index + 1}"))
            action.triggered.connect(lambda _=False, i=index: self.show_page(i))
        help_menu = self.menuBar().addMenu("ヘルプ(&H)")
        manual = help_menu.addAction("使い方(&M)")
        manual.setShortcut(QKeySequence.StandardKey.HelpContents)
        manual.triggered.connect(self.show_manual)
        help_menu.addAction("ログのフォルダを開く(&L)").triggered.connect(self.open_log_folder)
        help_menu.addAction("バージョン情報(&A)").triggered.connect(
            lambda: QMessageBox.about(self, "dxdesk について", about_text()))

    def _build_central(self) -> None:
        a = self.actions_by_key
        self.state_bar = StateBar(a)
        self.state_bar.round_chosen.connect(self.choose_round)
        self.readonly_banner = QLabel()
        self.readonly_banner.setWordWrap(True)
        self.readonly_banner.setStyleSheet("background: #FFF3CD; color: #7A5B00; padding: 6px; border-radius: 4px;")
        self.plan_page = PlanPage(a)
        self.distribute_page = DistributePage(a)
        self.collect_page = CollectPage(a)
        self.collect_page.open_original.connect(lambda entry: self.open_path(entry.original))
        self.findings_page = FindingsPage(a)
        self.findings_page.open_file.connect(self.open_finding_file)
        self.findings_page.waive.connect(self.ask_waive)
        self.findings_page.accept.connect(self.accept)
        self.outputs_page = OutputsPage(a)
        self.outputs_page.open_output.connect(lambda f: self.open_path(f.path))
        self.log_page = LogPage()
        self.inquiries_page = InquiriesPage(a)
        self.inquiries_page.create.connect(self.ask_new_inquiry)
        self.inquiries_page.distribute.connect(self.distribute_inquiry)
        self.inquiries_page.collect.connect(self.ask_collect_inquiry)
        self.inquiries_page.merge.connect(self.merge_inquiry)
        self.inquiries_page.check.connect(self.recheck_inquiry)
        self.inquiries_page.remind.connect(self.remind_inquiry)
        self.inquiries_page.open_folder.connect(self.open_inquiry_folder)
        self.inquiries_page.mapping.connect(self.ask_inquiry_mapping)
        self.inquiries_page.accept.connect(self.accept_inquiry)
        self.inquiries_page.waive.connect(self.ask_waive_inquiry)
        self.pages = QStackedWidget()
        for page in (self.plan_page, self.distribute_page, self.collect_page, self.findings_page, self.outputs_page,
                     self.inquiries_page, self.log_page):
            self.pages.addWidget(page)
        self.nav = QListWidget()
        self.nav.addItems(list(PAGES))
        self.nav.setFixedWidth(self.fontMetrics().horizontalAdvance("5 集約・出力（400/400）") + 24)
        self.nav.setStyleSheet("QListWidget { font-size: 14px; } QListWidget::item { padding: 8px 6px; }")
        self.nav.currentRowChanged.connect(self.pages.setCurrentIndex)
        split = QHBoxLayout()
        split.setContentsMargins(0, 0, 0, 0)
        split.addWidget(self.nav)
        split.addWidget(self.pages, 1)
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(6, 4, 6, 2)
        layout.addWidget(self.state_bar)
        layout.addWidget(self.readonly_banner)
        layout.addLayout(split, 1)
        self.setCentralWidget(central)
        self.nav.setCurrentRow(PLAN)

    def _build_status_bar(self) -> None:
        self.status_text = QLabel()
        self.progress_bar = QProgressBar()
        self.progress_bar.setRange(0, 100)
        self.progress_bar.setMaximumWidth(220)
        self.cancel_button = QPushButton("中止")
        self.cancel_button.setShortcut(QKeySequence("Esc"))
        self.cancel_button.clicked.connect(self.runner.cancel)
        bar = self.statusBar()
        bar.addWidget(self.status_text, 1)
        bar.addPermanentWidget(self.progress_bar)
        bar.addPermanentWidget(self.cancel_button)
        self.progress_bar.hide()
        self.cancel_button.hide()

    def show_page(self, index: int) -> None:
        self.nav.setCurrentRow(index)

    # ---- the jobs (no dialogs) ----------------------------------------------------------------------
    def open_workspace(self, path: str | Path, create: bool = False, database: str | None = None) -> bool:
        if self.runner.busy:
            return False
        self._close_workspace()
        return self._start("ワークスペースを開く" if not create else "ワークスペースを作成", tasks.open_ws,
                           Path(path), create, database)

    def import_plan(self, path: str | Path) -> bool:
        return self._start("計画マスタ取込", tasks.import_plan, self.ws, Path(path))

    def create_round(self, fy: int, deadline: dt.date, again: bool = False) -> bool:
        return self._start("照会を作成", tasks.create_round, self.ws, fy, deadline, again)

    def choose_round(self, round_id: str) -> bool:
        return self._start("照会の切り替え", tasks.use_round, self.ws, round_id) if round_id else False

    def distribute(self, folder: Path | None = None) -> bool:
        folder = Path(folder) if folder else None
        if folder is not None:
            self.distribute_dir = folder
        return self._start("様式を配布", tasks.distribute, self.ws, self.round_id, folder or self.distribute_dir)

    def collect(self, paths: list[str | Path]) -> bool:
        """Decide here (pure, fast), run on the worker: nothing to read is said at once."""
        if self.ws is None or self.snapshot is None or self.snapshot.round is None:
            return False
        try:
            plan = jobs.prepare_collection(self.ws, self.snapshot.round, [Path(p) for p in paths])
        except DxdeskError as exc:  # a folder gone, or nothing in it to read (the files there, and why)
            reasons = "".join(f"\n・{p.name}: {why}" for p, why in getattr(exc, "skipped", [])[:10])
            QMessageBox.information(self, TITLE, f"{exc}{reasons}")
            return False
        self.last_collect = [Path(p) for p in paths]
        self.show_page(COLLECT)
        return self._start("返送の取込", tasks.collect, self.ws, self.round_id, plan)

    def reload_collection(self) -> bool:
        """Read the last folder again (new files are taken in, known ones are recognised as such)."""
        if not self.last_collect:
            saved = prefs.value(self._folder_key())
            self.last_collect = [Path(saved)] if saved else []
        if not self.last_collect:
            self.statusBar().showMessage("まだフォルダから取り込んでいません。「フォルダから取り込む」を使ってください。", 5000)
            return False
        return self.collect(self.last_collect)

    def check(self) -> bool:
        """Re-run the current rule book over the latest returns (after a rule-book change)."""
        return self._start("再点検", tasks.check, self.ws, self.round_id)

    def waive(self, finding: Finding, why: str) -> bool:
        return self._start("免除", tasks.waive, self.ws, self.round_id, finding, self.user_name(), why)

    def accept(self, section_code: str) -> bool:
        return self._start("受理", tasks.accept, self.ws, self.round_id, section_code, self.user_name())

    def consolidate(self) -> bool:
        return self._start("集約ブック作成", tasks.consolidate, self.ws, self.round_id)

    def make_pack(self, pack: str) -> bool:
        """本部会議資料 (hq), 公表資料 (public) or 監査資料 (audit): an Excel workbook and its PDF."""
        return self._start("資料作成", tasks.make_pack, self.ws, self.round_id, pack)

    def sendback(self) -> bool:
        return self._start("差戻しブック作成", tasks.sendback, self.ws, self.round_id)

    def remind(self) -> bool:
        return self._start("催促文作成", tasks.remind, self.ws, self.round_id)

    def export_csv(self) -> bool:
        return self._start("CSV 書き出し", tasks.export_csv, self.ws, self.round_id)

    def export_rules(self, path: Path) -> bool:
        return self._start("規則集の書き出し", tasks.export_rules, self.ws, self.round_id, Path(path))

    def import_rules(self, path: Path) -> bool:
        return self._start("規則集の取込", tasks.import_rules, self.ws, self.round_id, Path(path))

    def save_settings(self, values: dict[str, str]) -> bool:
        return self._start("設定の保存", tasks.save_settings, self.ws, self.round_id, values) if values else False

    def refresh(self) -> bool:
        return self._start("再読み込み", tasks.refresh, self.ws, self.round_id)

    # ---- 全庁照会 (the office's own forms; the page's buttons) -------------------------------------------
    def new_inquiry(self, template: str | Path, name: str, deadline: dt.date, sections: str | Path | None = None) -> bool:
        return self._start("全庁照会を作成", inquiry_tasks.new_inquiry, self.ws, self.round_id, Path(template), name,
                           deadline, Path(sections) if sections else None)

    def apply_inquiry_mapping(self, inquiry_id: str, path: str | Path) -> bool:
        return self._start("対応表の読み込み", inquiry_tasks.apply_mapping, self.ws, self.round_id, inquiry_id, Path(path))

    def ask_inquiry_mapping(self, inquiry_id: str) -> None:
        folder = str(self.ws.out_dir / inquiry_id) if self.ws else ""
        path, _ = QFileDialog.getOpenFileName(self, f"{inquiry_id} の対応表（直したもの）", folder, "Excel ブック (*.xlsx)",
                                              options=dialog_options())
        if path:
            self.apply_inquiry_mapping(inquiry_id, path)

    def accept_inquiry(self, inquiry_id: str, section: str) -> bool:
        return self._start("全庁照会の受理", inquiry_tasks.accept, self.ws, self.round_id, inquiry_id, section,
                           self.user_name())

    def waive_inquiry(self, inquiry_id: str, finding: Finding, why: str) -> bool:
        return self._start("全庁照会の免除", inquiry_tasks.waive, self.ws, self.round_id, inquiry_id, finding,
                           self.user_name(), why)

    def ask_waive_inquiry(self, inquiry_id: str, finding: Finding) -> None:
        where = f"{finding.sheet}!{finding.cell}" if finding.sheet else finding.cell
        why, ok = QInputDialog.getMultiLineText(
            self, "エラーを免除", f"{inquiry_id} {finding.section} {finding.code}（{where}）を免除する理由を書いてください。"
                                  "記録に残ります。")
        if ok and why.strip():
            self.waive_inquiry(inquiry_id, finding, why.strip())
        elif ok:
            QMessageBox.information(self, TITLE, "免除の理由が空です。理由を書いてから免除してください。")

    def distribute_inquiry(self, inquiry_id: str) -> bool:
        return self._start("全庁照会の配布", inquiry_tasks.distribute, self.ws, self.round_id, inquiry_id)

    def collect_inquiry(self, inquiry_id: str, paths: list[str | Path]) -> bool:
        return self._start("全庁照会の取込", inquiry_tasks.collect, self.ws, self.round_id, inquiry_id,
                           [Path(p) for p in paths])

    def merge_inquiry(self, inquiry_id: str) -> bool:
        return self._start("全庁照会の集約", inquiry_tasks.merge, self.ws, self.round_id, inquiry_id)

    def recheck_inquiry(self, inquiry_id: str) -> bool:
        return self._start("全庁照会の再点検", inquiry_tasks.recheck, self.ws, self.round_id, inquiry_id)

    def remind_inquiry(self, inquiry_id: str) -> bool:
        return self._start("全庁照会の催促文作成", inquiry_tasks.remind, self.ws, self.round_id, inquiry_id)

    def open_inquiry_folder(self, inquiry_id: str) -> bool:
        if self.ws is None:
            return False
        folder = self.ws.out_dir / inquiry_id
        folder.mkdir(parents=True, exist_ok=True)
        return self.open_path(folder)

    def ask_new_inquiry(self) -> None:
        """The form, its name and deadline, and — without a plan master — the section list."""
        if self.ws is None:
            return
        path, _ = QFileDialog.getOpenFileName(self, "照会する様式のブック", "", "Excel ブック (*.xlsx *.xlsm)",
                                              options=dialog_options())
        if not path:
            return
        name, ok = QInputDialog.getText(self, "全庁照会", "照会の名前:", text=Path(path).stem)
        if not ok or not name.strip():
            return
        text, ok = QInputDialog.getText(self, "全庁照会", "提出期限（2025/6/30、R7.6.30）:")
        if not ok:
            return
        try:
            deadline = parse_date(text)
        except YearError as exc:
            QMessageBox.warning(self, TITLE, str(exc))
            return
        sections = None
        if not (self.snapshot and self.snapshot.plan):
            sections, _ = QFileDialog.getOpenFileName(self, "照会先の課の一覧（課コード・課名・部局・担当者・メール）", "",
                                                      "Excel ブック (*.xlsx)", options=dialog_options())
            if not sections:
                return
        self.new_inquiry(path, name.strip(), deadline, sections)

    def ask_collect_inquiry(self, inquiry_id: str) -> None:
        folder = QFileDialog.getExistingDirectory(self, f"{inquiry_id} の返送ファイルのフォルダ", "",
                                                  options=dialog_options())
        if folder:
            self.collect_inquiry(inquiry_id, [folder])

    @property
    def round_id(self) -> str | None:
        return self.snapshot.round.round_id if self.snapshot and self.snapshot.round else None

    def user_name(self) -> str:
        person = self.ws.setting("office_person") if self.ws else ""
        if person:
            return person
        try:
            return getpass.getuser()
        except Exception:  # noqa: BLE001 — no user name on this PC: say so
            return "不明"

    def _start(self, name: str, fn: Callable, *args) -> bool:
        if self.runner.busy:
            self.statusBar().showMessage(f"「{self.runner.name}」の実行中です。終わってからもう一度どうぞ。", 5000)
            return False
        if fn is not tasks.open_ws and self.ws is None:
            return False
        self.runner.start(name, fn, *args)
        return True

    # ---- opening files and folders ------------------------------------------------------------------
    def open_path(self, path: Path) -> bool:
        """Open a file or folder with its program; a missing one is a message naming it, never silence."""
        if not Path(path).exists():
            QMessageBox.warning(self, TITLE, f"{path} がありません。移動または削除された可能性があります。")
            return False
        if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))):
            QMessageBox.warning(self, TITLE, f"{path} を開けませんでした。エクスプローラーから直接開いてください。")
            return False
        return True

    def open_output_folder(self) -> bool:
        """The round's output folder (made if it does not exist yet), else the workspace's out/."""
        if self.ws is None:
            return False
        folder = self.snapshot.output_folder if self.snapshot else self.ws.out_dir
        try:
            overview.ensure_folder(folder)
        except OSError as exc:
            QMessageBox.warning(self, TITLE, f"出力フォルダ {folder} を作れません（{exc.strerror or exc}）。")
            return False
        return self.open_path(folder)

    def distribution_folder(self) -> Path | None:
        if self.distribute_dir:
            return self.distribute_dir
        return overview.distribution_folder(self.ws, self.round_id) if self.ws and self.round_id else None

    def open_distribution_folder(self) -> bool:
        folder = self.distribution_folder()
        if folder is None:
            return False
        if not folder.is_dir():
            QMessageBox.information(self, TITLE, f"配布フォルダ {folder} はまだありません。先に「様式を作成」を押してください。")
            return False
        return self.open_path(folder)

    def open_finding_file(self, finding: Finding) -> bool:
        """The archived original of the section's latest return; the sheet!cell goes to the clipboard."""
        entries = self.snapshot.histories.get(finding.section, []) if self.snapshot else []
        entry = next((e for e in entries if e.file_name == finding.file), entries[0] if entries else None)
        if entry is None:
            self.statusBar().showMessage("この指摘には開けるファイルがありません。", 5000)
            return False
        where = f"{finding.sheet}!{finding.cell}" if finding.sheet and finding.cell else finding.cell or finding.sheet
        if where:
            QGuiApplication.clipboard().setText(where)
            self.statusBar().showMessage(f"{entry.file_name} を開きます。{where} をコピーしました"
                                         "（Excel の名前ボックスに貼り付けるとそのセルへ移動します）。", 10000)
        return self.open_path(entry.original)

    def open_log_folder(self) -> bool:
        path = crash.log_path()
        folder = path.parent if path else prefs.log_dir()
        return self.open_path(overview.ensure_folder(folder))

    # ---- the dialogs --------------------------------------------------------------------------------
    def _folder_key(self) -> str:
        return f"last_collect/{self.ws.root}" if self.ws else "last_collect"

    def ask_open_workspace(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "ワークスペースのフォルダを開く", "", dialog_options())
        if folder:
            self.open_workspace(folder)

    def ask_new_workspace(self) -> None:
        dialog = NewWorkspaceDialog(self)
        if dialog.exec() and dialog.folder:
            self.open_workspace(dialog.folder, create=True, database=dialog.database)

    def show_activity(self) -> ActivityDialog | None:
        """操作履歴 (who did what when), read while no job runs."""
        if self.ws is None or self.runner.busy:
            return None
        dialog = ActivityDialog(activity_log(self.ws.conn, 500), self.ws.where, self)
        dialog.open()
        return dialog

    def ask_import_plan(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "計画マスタを選ぶ", "", "Excel ブック (*.xlsx *.xlsm)", "",
                                              dialog_options())
        if path:
            self.import_plan(path)

    def ask_create_round(self) -> None:
        dialog = RoundDialog(self)
        if not dialog.exec():
            return
        same_year = [r for r in (self.snapshot.rounds if self.snapshot else []) if r.fy == dialog.fy]
        again = False
        if same_year:
            names = "、".join(r.round_id for r in same_year)
            answer = QMessageBox.question(self, "照会を作成", f"{dialog.fy}年度の照会はすでにあります（{names}）。\n"
                                          "同じ年度の2回目の照会を作成しますか？（前の照会は残り、上の「照会」で切り替えられます）")
            if answer != QMessageBox.StandardButton.Yes:
                return
            again = True
        self.create_round(dialog.fy, dialog.deadline, again)

    def ask_distribute_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "様式を作成するフォルダを選ぶ", "", dialog_options())
        if folder:
            self.distribute(Path(folder))

    def ask_collect_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "返送ファイルのフォルダを選ぶ", prefs.value(self._folder_key()),
                                                  dialog_options())
        if folder:
            prefs.set_value(self._folder_key(), folder)
            self.collect([folder])

    def ask_collect_files(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(self, "返送ファイルを選ぶ", "", "Excel ブック (*.xlsx *.xlsm);;すべて (*)",
                                                "", dialog_options())
        if paths:
            self.collect(paths)

    def ask_waive(self, finding: Finding) -> None:
        where = f"{finding.sheet}!{finding.cell}" if finding.sheet else finding.cell
        why, ok = QInputDialog.getMultiLineText(
            self, "エラーを免除", f"{finding.section} {finding.code}（{where}）を免除する理由を書いてください"
                                  "（例: 課に確認し、33% は正しいと回答あり）。記録に残ります。")
        if ok and why.strip():
            self.waive(finding, why.strip())
        elif ok:
            QMessageBox.information(self, TITLE, "免除の理由が空です。理由を書いてから免除してください。")

    def ask_settings(self) -> None:
        if self.ws is None:
            return
        dialog = SettingsDialog({s.key: self.ws.setting(s.key) for s in SETTINGS}, self.ws.readonly, self)
        dialog.export_rules.clicked.connect(lambda: (dialog.reject(), self.ask_export_rules()))
        dialog.import_rules.clicked.connect(lambda: (dialog.reject(), self.ask_import_rules()))
        if dialog.exec():
            self.save_settings(dialog.changed())

    def ask_export_rules(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "規則集の書き出し先", str(self.ws.out_dir / "規則集.xlsx"),
                                              "Excel ブック (*.xlsx)", "", dialog_options())
        if path:
            self._open_when_done = Path(path)
            self.export_rules(Path(path))

    def ask_import_rules(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "編集した規則集を選ぶ", str(self.ws.out_dir), "Excel ブック (*.xlsx)",
                                              "", dialog_options())
        if path:
            self.import_rules(Path(path))

    def show_manual(self) -> None:
        ManualDialog(self).exec()

    def print_preview(self) -> None:
        from PySide6.QtPrintSupport import QPrintPreviewDialog
        from ui.printing import a4_printer, report_document
        if not self.snapshot or not self.snapshot.round:
            return
        doc = report_document(self.snapshot, self.font())
        dialog = QPrintPreviewDialog(a4_printer(), self)
        dialog.setWindowTitle("印刷プレビュー — 回収状況と指摘の集計")
        dialog.paintRequested.connect(doc.print_)
        dialog.exec()

    def print_report(self) -> None:
        from PySide6.QtPrintSupport import QPrintDialog
        from ui.printing import a4_printer, report_document
        if not self.snapshot or not self.snapshot.round:
            return
        printer = a4_printer()
        if QPrintDialog(printer, self).exec():
            report_document(self.snapshot, self.font()).print_(printer)

    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        items = prefs.recent_workspaces()
        for path in items:
            action = self.recent_menu.addAction(path)
            action.triggered.connect(lambda _=False, p=path: self.open_workspace(p))
        if not items:
            self.recent_menu.addAction("（まだありません）").setEnabled(False)

    # ---- drag and drop --------------------------------------------------------------------------------
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if self._can("collect_files") and _local_paths(event.mimeData()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = _local_paths(event.mimeData())
        if self._can("collect_files") and paths:
            event.acceptProposedAction()
            self.collect(paths)
        else:
            event.ignore()

    # ---- presenting ---------------------------------------------------------------------------------
    def _job_done(self, name: str, outcome: tasks.Outcome) -> None:
        if self.closing:   # a workspace opened while the window was closing: release its lock at once
            if outcome.snapshot.workspace is not self.ws:
                outcome.snapshot.workspace.close()
            return
        if self.ws is not None and outcome.snapshot.workspace is not self.ws:
            self.ws.close()
        if outcome.snapshot.workspace is not self.ws:
            prefs.remember_workspace(outcome.snapshot.workspace.root)
            self.distribute_dir = None
            self.last_collect = []
        self.ws = outcome.snapshot.workspace
        self._present(outcome.snapshot)
        self.log_page.add(outcome.message, outcome.details)
        self._end_message(outcome.message)
        opened = getattr(self, "_open_when_done", None)
        if opened is not None and outcome.result == opened:
            self._open_when_done = None
            self.open_path(opened)
        self.job_finished.emit(name, outcome)

    def _job_error(self, name: str, exc: BaseException, details: str) -> None:
        self._end_message(f"{name}: 失敗しました。")
        self._open_when_done = None
        if isinstance(exc, DxdeskError) or is_disk_full(exc) or connection_lost(exc):
            message = (str(exc) if isinstance(exc, DxdeskError) else disk_full_message(exc) if is_disk_full(exc)
                       else lost_message(self.ws.where if self.ws else "（不明）"))
            self.log_page.add(f"{name}: {message}")
            self.job_failed.emit(name, message)
            QMessageBox.warning(self, f"{name} — dxdesk", message)
        else:
            message = f"{type(exc).__name__}: {exc}"
            self.log_page.add(f"{name}: 予期しないエラー {message}")
            self.job_failed.emit(name, message)
            crash.show_exception(f"{name}の途中で予期しないエラーが起きました。\n{message}", details, self)

    def _present(self, snap: tasks.Snapshot | None) -> None:
        self.snapshot = snap
        writable = bool(snap and not snap.workspace.readonly)
        self.state_bar.present(snap)
        self.plan_page.present(snap)
        self.distribute_page.present(snap, self.distribution_folder() if snap else None)
        self.collect_page.present(snap)
        self.findings_page.present(snap, writable)
        self.outputs_page.present(snap)
        self.inquiries_page.present(snap)
        self._label_pages(snap)
        readonly = bool(snap and snap.workspace.readonly)
        notes = ([f"読み取り専用: {snap.workspace.readonly_reason}"] if readonly else []) + (
            list(snap.workspace.notes) if snap else [])  # e.g. a workspace on a network share
        self.readonly_banner.setText("\n".join(notes))
        self.readonly_banner.setVisible(bool(notes))
        shared = f"（共有: {snap.workspace.where}）" if snap and snap.workspace.shared else ""
        self.setWindowTitle(f"{TITLE} — {snap.workspace.root.name}{shared}" if snap else TITLE)
        self._set_busy(self.runner.busy)

    def _label_pages(self, snap: tasks.Snapshot | None) -> None:
        state = snap.state if snap else None
        counts = {COLLECT: f"（{state.returned}/{state.sections}）" if state and state.sections else "",
                  FINDINGS: f"（{len(snap.findings)}）" if snap and snap.findings else ""}
        for index, name in enumerate(PAGES):
            self.nav.item(index).setText(name + counts.get(index, ""))

    def _can(self, key: str) -> bool:
        _label, _icon, needs, writes, _shortcut = ACTIONS[key]
        snap = self.snapshot
        if self.runner.busy or (needs and snap is None) or (writes and snap and snap.workspace.readonly):
            return False
        return {"": True, "ws": True, "plan": bool(snap and snap.plan), "round": bool(snap and snap.round)}[needs]

    def _set_busy(self, busy: bool) -> None:
        for key, action in self.actions_by_key.items():
            action.setEnabled(self._can(key))
        self.progress_bar.setVisible(busy)
        self.cancel_button.setVisible(busy)
        if busy:
            self.progress_bar.setValue(0)
            self.status_text.setText(f"{self.runner.name}…")

    def _show_status(self, text: str) -> None:
        self.status_text.setText(text)

    def _end_message(self, text: str) -> None:
        self.status_text.setText(text)

    # ---- closing ------------------------------------------------------------------------------------
    def _close_workspace(self) -> None:
        if self.ws is not None:
            self.ws.close()
            self.ws = None
            self._present(None)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.closing = True
        self.runner.cancel()
        self.runner.wait()
        self._close_workspace()
        super().closeEvent(event)


def _local_paths(mime) -> list[Path]:
    return [Path(url.toLocalFile()) for url in mime.urls() if url.isLocalFile()] if mime.hasUrls() else []
