"""The main window: buttons start jobs on the worker, finished jobs hand back a Snapshot to present.

The dialog-free methods (open_workspace, import_plan, create_round, distribute, collect, consolidate)
are public so tests drive the real window without clicking through file dialogs.
"""
from __future__ import annotations

import datetime as dt
import html
from pathlib import Path
from typing import Callable

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QAction, QDesktopServices, QDragEnterEvent, QDropEvent, QCloseEvent
from PySide6.QtWidgets import (QFileDialog, QLabel, QMainWindow, QMessageBox, QProgressBar, QPushButton, QStyle,
                               QTabWidget, QToolBar, QVBoxLayout, QWidget)

from dxdesk import jobs
from dxdesk.errors import DxdeskError
from dxdesk.store.workspace import Workspace
from dxdesk.years import format_date_jp
from ui import crash, tasks
from ui.dialogs import RoundDialog
from ui.pages import FindingsPage, LogPage, StatusPage
from ui.worker import JobRunner

TITLE = "dxdesk — DX計画 進捗照会"
SP = QStyle.StandardPixmap
# action key → (label, icon, needs: "ws" | "plan" | "round", writes to the workspace)
ACTIONS = {
    "open": ("開く", SP.SP_DirOpenIcon, "", False),
    "new": ("新規作成", SP.SP_FileDialogNewFolder, "", False),
    "plan": ("計画マスタ取込", SP.SP_FileDialogDetailedView, "ws", True),
    "round": ("照会作成", SP.SP_FileDialogContentsView, "plan", True),
    "distribute": ("様式配布", SP.SP_ArrowRight, "round", True),
    "collect_dir": ("返送取込（フォルダ）", SP.SP_DirIcon, "round", True),
    "collect_files": ("返送取込（ファイル）", SP.SP_FileIcon, "round", True),
    "check": ("再点検", SP.SP_BrowserReload, "round", True),
    "consolidate": ("集約ブック作成", SP.SP_DialogSaveButton, "round", True),
    "out": ("出力フォルダ", SP.SP_DirLinkIcon, "ws", False),
}


class MainWindow(QMainWindow):
    job_finished = Signal(str, object)   # job name, tasks.Outcome
    job_failed = Signal(str, str)        # job name, message shown to the user

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(TITLE)
        self.resize(1280, 760)
        self.setAcceptDrops(True)
        self.ws: Workspace | None = None
        self.snapshot: tasks.Snapshot | None = None
        self.closing = False
        self.runner = JobRunner(self)
        self.runner.busy_changed.connect(self._set_busy)
        self.runner.status.connect(self._show_status)
        self.runner.fraction.connect(lambda x: self.progress_bar.setValue(round(x * 100)))
        self.runner.finished.connect(self._job_done)
        self.runner.failed.connect(self._job_error)
        self.runner.cancelled.connect(lambda name: self._end_message(f"{name}を中止しました。"))
        self.actions_by_key = self._build_toolbar()
        self._build_central()
        self._build_status_bar()
        self._present(None)

    # ---- layout -------------------------------------------------------------------------------------
    def _build_toolbar(self) -> dict[str, QAction]:
        bar = QToolBar("操作")
        bar.setMovable(False)
        bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.addToolBar(bar)
        handlers: dict[str, Callable[[], None]] = {
            "open": self.ask_open_workspace, "new": self.ask_new_workspace, "plan": self.ask_import_plan,
            "round": self.ask_create_round, "distribute": self.distribute, "collect_dir": self.ask_collect_folder,
            "collect_files": self.ask_collect_files, "check": self.check, "consolidate": self.consolidate,
            "out": self.open_output_folder,
        }
        actions = {}
        for key, (label, icon, _needs, _writes) in ACTIONS.items():
            action = QAction(self.style().standardIcon(icon), label, self)
            action.triggered.connect(handlers[key])
            bar.addAction(action)
            if key in ("new", "round", "consolidate"):
                bar.addSeparator()
            actions[key] = action
        return actions

    def _build_central(self) -> None:
        self.info = QLabel()
        self.info.setTextFormat(Qt.TextFormat.RichText)
        self.info.setWordWrap(True)
        self.readonly_banner = QLabel()
        self.readonly_banner.setWordWrap(True)
        self.readonly_banner.setStyleSheet("background: #FFF3CD; color: #7A5B00; padding: 6px; border-radius: 4px;")
        self.status_page = StatusPage()
        self.findings_page = FindingsPage()
        self.log_page = LogPage()
        self.tabs = QTabWidget()
        self.tabs.addTab(self.status_page, "提出状況")
        self.tabs.addTab(self.findings_page, "指摘")
        self.tabs.addTab(self.log_page, "作業記録")
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(8, 6, 8, 4)
        layout.addWidget(self.info)
        layout.addWidget(self.readonly_banner)
        layout.addWidget(self.tabs, 1)
        self.setCentralWidget(central)

    def _build_status_bar(self) -> None:
        self.status_text = QLabel()
        self.progress_bar = QProgressBar()
        self.progress_bar.setRange(0, 100)
        self.progress_bar.setMaximumWidth(220)
        self.cancel_button = QPushButton("中止")
        self.cancel_button.clicked.connect(self.runner.cancel)
        bar = self.statusBar()
        bar.addWidget(self.status_text, 1)
        bar.addPermanentWidget(self.progress_bar)
        bar.addPermanentWidget(self.cancel_button)
        self.progress_bar.hide()
        self.cancel_button.hide()

    # ---- the jobs (no dialogs) ----------------------------------------------------------------------
    def open_workspace(self, path: str | Path, create: bool = False) -> bool:
        if self.runner.busy:
            return False
        self._close_workspace()
        return self._start("ワークスペースを開く" if not create else "ワークスペースを作成", tasks.open_ws,
                           Path(path), create)

    def import_plan(self, path: str | Path) -> bool:
        return self._start("計画マスタ取込", tasks.import_plan, self.ws, Path(path))

    def create_round(self, fy: int, deadline: dt.date) -> bool:
        return self._start("照会を作成", tasks.create_round, self.ws, fy, deadline)

    def distribute(self) -> bool:
        return self._start("様式を配布", tasks.distribute, self.ws, self.round_id)

    def collect(self, paths: list[str | Path]) -> bool:
        """Decide here (pure, fast), run on the worker: nothing to read is said at once."""
        if self.ws is None or self.snapshot is None or self.snapshot.round is None:
            return False
        plan = jobs.prepare_collection(self.ws, self.snapshot.round, [Path(p) for p in paths])
        if not plan.files:
            reasons = "".join(f"\n- {p.name}: {why}" for p, why in plan.skipped[:10])
            QMessageBox.information(self, TITLE, "取り込むファイルがありません。" + reasons)
            return False
        return self._start("返送を取込", tasks.collect, self.ws, self.round_id, plan)

    def check(self) -> bool:
        """Re-run the current rule book over the latest returns (after `dxdesk rules import`)."""
        return self._start("再点検", tasks.check, self.ws, self.round_id)

    def consolidate(self) -> bool:
        return self._start("集約ブック作成", tasks.consolidate, self.ws, self.round_id)

    def refresh(self) -> bool:
        return self._start("再読み込み", tasks.refresh, self.ws, self.round_id)

    @property
    def round_id(self) -> str | None:
        return self.snapshot.round.round_id if self.snapshot and self.snapshot.round else None

    def _start(self, name: str, fn: Callable, *args) -> bool:
        if self.runner.busy:
            self.statusBar().showMessage(f"「{self.runner.name}」の実行中です。終わってからもう一度どうぞ。", 5000)
            return False
        if fn is not tasks.open_ws and self.ws is None:
            return False
        self.runner.start(name, fn, *args)
        return True

    # ---- the dialogs --------------------------------------------------------------------------------
    def ask_open_workspace(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "ワークスペースのフォルダを開く")
        if folder:
            self.open_workspace(folder)

    def ask_new_workspace(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "新しいワークスペースにするフォルダを選ぶ")
        if folder:
            self.open_workspace(folder, create=True)

    def ask_import_plan(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "計画マスタを選ぶ", "", "Excel ブック (*.xlsx *.xlsm)")
        if path:
            self.import_plan(path)

    def ask_create_round(self) -> None:
        dialog = RoundDialog(self)
        if dialog.exec():
            self.create_round(dialog.fy, dialog.deadline)

    def ask_collect_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "返送ファイルのフォルダを選ぶ")
        if folder:
            self.collect([folder])

    def ask_collect_files(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(self, "返送ファイルを選ぶ", "", "Excel ブック (*.xlsx *.xlsm);;すべて (*)")
        if paths:
            self.collect(paths)

    def open_output_folder(self) -> None:
        if self.ws is not None:
            folder = self.ws.out_dir / self.round_id if self.round_id else self.ws.out_dir
            folder = folder if folder.is_dir() else self.ws.out_dir
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))

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
        self.ws = outcome.snapshot.workspace
        self._present(outcome.snapshot)
        self.log_page.add(outcome.message, outcome.details)
        self._end_message(outcome.message)
        self.job_finished.emit(name, outcome)

    def _job_error(self, name: str, exc: BaseException, details: str) -> None:
        self._end_message(f"{name}: 失敗しました。")
        if isinstance(exc, DxdeskError):
            message = str(exc)
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
        self.status_page.set_rows(snap.statuses if snap else [])
        self.findings_page.set_rows(snap.findings if snap else [], snap.section_names if snap else {})
        returned = sum(s.status != "未提出" for s in snap.statuses) if snap else 0
        self.tabs.setTabText(0, f"提出状況（{returned}/{len(snap.statuses)}）" if snap and snap.statuses else "提出状況")
        self.tabs.setTabText(1, f"指摘（{len(snap.findings)}）" if snap and snap.findings else "指摘")
        self.info.setText(_info_html(snap))
        readonly = bool(snap and snap.workspace.readonly)
        self.readonly_banner.setText(f"読み取り専用: {snap.workspace.readonly_reason}" if readonly else "")
        self.readonly_banner.setVisible(readonly)
        self._set_busy(self.runner.busy)

    def _can(self, key: str) -> bool:
        _label, _icon, needs, writes = ACTIONS[key]
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


def _info_html(snap: tasks.Snapshot | None) -> str:
    if snap is None:
        return ("<b>ワークスペースが開かれていません。</b> 「ワークスペースを開く」か「新規作成」から始めてください。"
                "　返送ファイルやフォルダは、この画面にドラッグ＆ドロップしても取り込めます。")
    parts = [f"<b>ワークスペース</b> {html.escape(str(snap.workspace.root))}"]
    parts.append(f"<b>計画</b> {html.escape(snap.plan.name)}（課 {len(snap.plan.sections)}・施策 {len(snap.plan.measures)}・"
                 f"指標 {len(snap.plan.kpis)}）" if snap.plan else "<b>計画</b> 未取込")
    if snap.round:
        deadline = format_date_jp(dt.date.fromisoformat(snap.round.deadline))
        parts.append(f"<b>照会</b> {snap.round.round_id} {html.escape(snap.round.title)}（締切 {deadline}）")
    else:
        parts.append("<b>照会</b> 未作成")
    return "　｜　".join(parts)
