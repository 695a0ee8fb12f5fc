"""計画: import the plan master; its measures, KPIs, milestones (工程), systems (様式②) and the import's findings,
to check before a round."""
from __future__ import annotations

import html

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPlainTextEdit, QTabWidget, QVBoxLayout, QWidget

from ui.models import FindingsModel, KpisModel, MeasuresModel, MilestonesModel, SystemsModel
from ui.pages.common import action_button, heading, hint, make_table, set_widths


class PlanPage(QWidget):
    def __init__(self, actions: dict[str, QAction], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.measures = MeasuresModel(self)
        self.kpis = KpisModel(self)
        self.milestones = MilestonesModel(self)
        self.systems = SystemsModel(self)
        self.findings = FindingsModel(self)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.tabs = QTabWidget()
        self.measures_view = make_table(self.measures, MeasuresModel.COL_NAME)
        self.kpis_view = make_table(self.kpis, KpisModel.COL_NAME)
        self.milestones_view = make_table(self.milestones, MilestonesModel.COL_CONTENT)
        self.systems_view = make_table(self.systems, SystemsModel.COL_SUMMARY)
        self.findings_view = make_table(self.findings, FindingsModel.COL_MESSAGE)
        set_widths(self.measures_view, {MeasuresModel.COL_ID: 80, MeasuresModel.COL_LEVELS: 260,
                                        MeasuresModel.COL_SECTION: 130, MeasuresModel.COL_STAGE: 110})
        set_widths(self.kpis_view, {KpisModel.COL_ID: 70, KpisModel.COL_MEASURE: 80, KpisModel.COL_KIND: 90})
        set_widths(self.milestones_view, {MilestonesModel.COL_MEASURE: 70, MilestonesModel.COL_MEASURE_NAME: 220,
                                          MilestonesModel.COL_OWNER: 120, MilestonesModel.COL_ID: 110,
                                          MilestonesModel.COL_FY: 80, MilestonesModel.COL_PERIOD: 80,
                                          MilestonesModel.COL_STATUS: 70})
        set_widths(self.systems_view, {SystemsModel.COL_ID: 70, SystemsModel.COL_NAME: 200,
                                       SystemsModel.COL_SECTION: 120,
                                       SystemsModel.COL_MEASURES: 90, SystemsModel.COL_INTRO_YEAR: 120,
                                       SystemsModel.COL_INTRO_COST: 110, SystemsModel.COL_OPEX: 170})
        set_widths(self.findings_view, {FindingsModel.COL_SEVERITY: 60, FindingsModel.COL_CODE: 50,
                                        FindingsModel.COL_TITLE: 170, FindingsModel.COL_SECTION: 10,
                                        FindingsModel.COL_FILE: 140, FindingsModel.COL_HINT: 260})
        self.findings_view.hideColumn(FindingsModel.COL_SECTION)
        self.findings_view.hideColumn(FindingsModel.COL_WAIVER)
        self.tabs.addTab(self.measures_view, "施策")
        self.tabs.addTab(self.kpis_view, "指標")
        self.tabs.addTab(self.milestones_view, "工程")
        self.tabs.addTab(self.systems_view, "システム")
        self.tabs.addTab(self.findings_view, "取込の指摘")
        self.changes = QPlainTextEdit()
        self.changes.setReadOnly(True)
        self.changes.setPlainText("計画マスタを取り込み直すと、前の版からの変更点（施策・指標の追加・削除・名称、目標、"
                                  "年度、担当課、予算）がここに出ます。`dxdesk plan diff` と同じ内容です。")
        self.tabs.addTab(self.changes, "変更点")
        buttons = QHBoxLayout()
        for key in ("plan", "round"):
            buttons.addWidget(action_button(actions[key]))
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(heading("1. 計画 — 計画マスタを取り込み、照会を作成します"))
        layout.addWidget(hint("計画マスタ（Excel）を取り込むと、施策・指標（計画にあれば工程とシステムも）と、"
                              "取り込めなかった行の指摘がここに並びます。"
                              "内容を確かめたら「照会を作成」で年度と締切を決めます。"))
        layout.addLayout(buttons)
        layout.addWidget(self.summary)
        layout.addWidget(self.tabs, 1)

    def present(self, snap) -> None:
        plan = snap.plan if snap else None
        self.measures.set_plan(plan)
        self.kpis.set_plan(plan)
        self.milestones.set_plan(plan)
        self.systems.set_plan(plan)
        found = snap.plan_findings if snap else []
        self.findings.set_rows(found)
        self._title(self.measures_view, "施策", len(plan.measures) if plan else None)
        self._title(self.kpis_view, "指標", len(plan.kpis) if plan else None)
        self._title(self.milestones_view, "工程", len(plan.milestones) if plan else None)
        self._title(self.systems_view, "システム", len(plan.systems) if plan else None)
        # a plan without a roadmap or systems (様式②) keeps the page as it was: those tabs only when there are some
        self.tabs.setTabVisible(self.tabs.indexOf(self.milestones_view), bool(plan and plan.milestones))
        self.tabs.setTabVisible(self.tabs.indexOf(self.systems_view), bool(plan and plan.systems))
        self._title(self.findings_view, "取込の指摘", len(found) or None)
        if snap is not None and snap.plan_changes is not None:
            self.changes.setPlainText("\n".join(snap.plan_changes))
            self._title(self.changes, "変更点", max(0, len(snap.plan_changes) - 1))
        if plan is None:
            self.summary.setText("計画マスタはまだ取り込まれていません。")
            return
        levels = " ＞ ".join(plan.level_names) or "—"
        errors = sum(f.severity == "ERR" for f in found)
        self.summary.setText(
            f"<b>{html.escape(plan.name)}</b>　体系 {html.escape(levels)}　"
            + "・".join(f"{html.escape(name)} {n}" for name, n in plan.counts()) + " 件"
            + (f"　<span style='color:#842029'>取り込めなかった行 {errors} 件</span>" if errors else ""))

    def _title(self, tab: QWidget, name: str, count: int | None) -> None:
        """The tab's name with its count: 施策（42）; the bare name when there is nothing to count."""
        self.tabs.setTabText(self.tabs.indexOf(tab), name if count is None else f"{name}（{count}）")
