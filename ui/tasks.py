"""What each button does, as plain functions (no Qt): call the job, then read back what the window shows.

They run on the worker thread and return an Outcome: a one-line report, the lines for the log tab
and a fresh Snapshot of the workspace, so the GUI thread only presents.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from dxdesk import jobs, overview
from dxdesk.intake.collect import CollectionPlan
from dxdesk.intake.status import SectionStatus
from dxdesk.outputs.schedule_data import ScheduleData, schedule_data
from dxdesk.plan.model import Plan
from dxdesk.progress import Progress
from dxdesk.rules.findings import Finding, count_by, sort_findings
from dxdesk.store import rounds_repo as rr
from dxdesk.store.findings_repo import current_findings, plan_findings
from dxdesk.store.editions_repo import list_editions
from dxdesk.store.plan_repo import has_plan, load_plan
from dxdesk.store.workspace import Workspace, init_workspace, open_workspace


@dataclass
class Snapshot:
    """Everything the window shows about one workspace, read in one go."""

    workspace: Workspace
    plan: Plan | None = None
    round: rr.Round | None = None
    statuses: list[SectionStatus] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    plan_findings: list[Finding] = field(default_factory=list)
    rounds: list[rr.Round] = field(default_factory=list)
    state: overview.RoundState | None = None
    forms: list[overview.DistributedForm] = field(default_factory=list)
    histories: dict[str, list[overview.HistoryEntry]] = field(default_factory=dict)
    outputs: list[overview.OutputFile] = field(default_factory=list)
    plan_changes: list[str] | None = None   # set after a re-import: what changed from the edition before
    inquiries: list = field(default_factory=list)  # 全庁照会: ui.inquiry_tasks.InquiryView, one per inquiry
    schedule: ScheduleData | None = None  # the round's milestones and systems as returned (None: the plan has none)

    @property
    def section_names(self) -> dict[str, str]:
        return {code: s.name for code, s in self.plan.sections.items()} if self.plan else {}

    @property
    def output_folder(self) -> Path:
        return self.workspace.out_dir / self.round.round_id if self.round else self.workspace.out_dir


@dataclass
class Outcome:
    message: str
    snapshot: Snapshot
    details: list[str] = field(default_factory=list)
    result: object = None


def current_round(ws: Workspace, round_id: str | None) -> rr.Round | None:
    """The round asked for, else the workspace's current one (`dxdesk round use`), else the latest."""
    found = rr.get_round(ws.conn, round_id) if round_id else None
    current = jobs.current_round_id(ws)
    return found or (rr.get_round(ws.conn, current) if current else None)


def snapshot(ws: Workspace, round_id: str | None = None) -> Snapshot:
    """Plan, current round (the given one or the latest), statuses and findings of that round; the 全庁照会."""
    from ui.inquiry_tasks import inquiry_views
    snap = _round_snapshot(ws, round_id)
    snap.inquiries = inquiry_views(ws)
    return snap


def _round_snapshot(ws: Workspace, round_id: str | None = None) -> Snapshot:
    if not has_plan(ws.conn):
        return Snapshot(ws)
    plan = load_plan(ws.conn)
    rounds = rr.list_rounds(ws.conn)
    round_ = current_round(ws, round_id)
    if round_ is None:
        return Snapshot(ws, plan, plan_findings=plan_findings(ws.conn))
    found = current_findings(ws.conn, round_.round_id)
    status = jobs.statuses(ws, round_, plan, found)
    findings = jobs.round_findings(ws, round_, status=status, found=found)
    histories = {s.section.code: overview.section_history(ws, round_.round_id, s.section.code)
                 for s in status if s.submissions}
    schedule = schedule_data(ws.conn, plan, round_) if plan.milestones or plan.systems else None
    return Snapshot(ws, plan, round_, status, sort_findings(findings), plan_findings(ws.conn), rounds,
                    overview.round_state(status, round_), overview.distributed_forms(ws, plan, round_), histories,
                    overview.output_files(ws.out_dir / round_.round_id), schedule=schedule)


def open_ws(path: Path, create: bool, database: str | None, progress: Progress) -> Outcome:
    progress.status(f"ワークスペースを開いています: {path}")
    ws = init_workspace(path, database=database) if create else open_workspace(path)
    verb = "作成しました" if create else "開きました"
    return Outcome(f"ワークスペースを{verb}: {ws.root}", snapshot(ws))


def import_plan(ws: Workspace, path: Path, progress: Progress) -> Outcome:
    done = jobs.import_plan(ws, path, progress)
    details = [f"- {f.severity_label} {f.code}: {f.message}" for f in done.findings]
    snap = snapshot(ws)
    if len(list_editions(ws.conn)) > 1:
        snap.plan_changes = jobs.plan_diff(ws).lines()
        details += snap.plan_changes
    return Outcome(done.summary, snap, details, done)


def create_round(ws: Workspace, fy: int, deadline: dt.date, again: bool, progress: Progress) -> Outcome:
    round_ = jobs.new_round(ws, fy, deadline, again=again)
    return Outcome(f"照会 {round_.round_id}「{round_.title}」を作成しました（締切 {round_.deadline}）。",
                   snapshot(ws, round_.round_id), result=round_)


def distribute(ws: Workspace, round_id: str, folder: Path | None, progress: Progress) -> Outcome:
    round_ = jobs.resolve_round(ws, round_id)
    done = jobs.distribute(ws, round_, folder, progress=progress)
    return Outcome(f"様式 {len(done.files)} 件を作成しました: {done.folder}", snapshot(ws, round_id),
                   [f"- {p.name}" for p in done.files], done)


def collect(ws: Workspace, round_id: str, plan: CollectionPlan, progress: Progress) -> Outcome:
    round_ = jobs.resolve_round(ws, round_id)
    done = jobs.run_collection(ws, round_, plan, progress)
    counts = count_by(done.outcomes, "outcome")
    parts = [f"{kind} {n} 件" for kind, n in counts.items()]
    if done.skipped:
        parts.append(f"読まなかったファイル {len(done.skipped)} 件")
    errors = sum(1 for o in done.outcomes if o.errors)
    message = f"返送ファイルを取り込みました（{'、'.join(parts) or '0 件'}）" + (
        f"。エラーのあるファイル {errors} 件" if errors else "")
    details = [f"- {o.outcome}: {o.path.name}" + (f"（エラー {o.errors}・警告 {o.warnings}）" if o.errors or o.warnings else "")
               + (f" {o.message}" if o.message else "") for o in done.outcomes]
    details += [f"- 読まなかった: {p.name}（{why}）" for p, why in done.skipped]
    return Outcome(message, snapshot(ws, round_id), details, done)


def check(ws: Workspace, round_id: str, progress: Progress) -> Outcome:
    round_ = jobs.resolve_round(ws, round_id)
    count = jobs.check(ws, round_, progress)
    return Outcome(f"{count} 件の提出を現在の規則集で点検し直しました。", snapshot(ws, round_id))


def consolidate(ws: Workspace, round_id: str, progress: Progress) -> Outcome:
    round_ = jobs.resolve_round(ws, round_id)
    done = jobs.consolidate(ws, round_, progress)
    return Outcome(f"集約ブックを作成しました（提出 {done.returned}/{done.sections} 課・指標 {done.kpis} 件）: "
                   f"{done.workbook}", snapshot(ws, round_id), [f"- {done.workbook}", f"- {done.csv}"], done)


def use_round(ws: Workspace, round_id: str, progress: Progress) -> Outcome:
    """The round selector: make it the current round (for the CLI too); a read-only workspace only shows it."""
    if ws.readonly:
        return Outcome(f"照会 {round_id} を表示しています（読み取り専用のため、現在の照会は変えていません）。",
                       snapshot(ws, round_id))
    round_ = jobs.use_round(ws, round_id)
    return Outcome(f"照会 {round_.round_id}「{round_.title}」に切り替えました。", snapshot(ws, round_.round_id))


def refresh(ws: Workspace, round_id: str | None, progress: Progress) -> Outcome:
    return Outcome("最新の状態を読み込みました。", snapshot(ws, round_id))


def waive(ws: Workspace, round_id: str, finding: Finding, who: str, why: str, progress: Progress) -> Outcome:
    round_ = jobs.resolve_round(ws, round_id)
    cell = f"{finding.sheet}!{finding.cell}" if finding.sheet else finding.cell
    jobs.waive(ws, round_, finding.section, finding.code, cell, who, why)
    return Outcome(f"{finding.section} の {finding.code}（{cell}）を免除しました: {why}", snapshot(ws, round_id))


def accept(ws: Workspace, round_id: str, section_code: str, who: str, progress: Progress) -> Outcome:
    round_ = jobs.resolve_round(ws, round_id)
    jobs.accept_section(ws, round_, section_code, who)
    return Outcome(f"{section_code} を受理しました。", snapshot(ws, round_id))


def make_pack(ws: Workspace, round_id: str, pack: str, progress: Progress) -> Outcome:
    round_ = jobs.resolve_round(ws, round_id)
    done = jobs.make_pack(ws, round_, pack, progress)
    return Outcome(f"資料を作成しました: {done.xlsx.name}・{done.pdf.name}", snapshot(ws, round_id),
                   [f"- {done.xlsx}", f"- {done.pdf}"], done)


def sendback(ws: Workspace, round_id: str, progress: Progress) -> Outcome:
    round_ = jobs.resolve_round(ws, round_id)
    done = jobs.sendback(ws, round_, progress)
    return Outcome(f"差戻しのブック {len(done.files)} 件を作成しました: {done.folder}", snapshot(ws, round_id),
                   [f"- {code}: {path.name}" for code, path in done.files.items()], done)


def remind(ws: Workspace, round_id: str, progress: Progress) -> Outcome:
    round_ = jobs.resolve_round(ws, round_id)
    path, found = jobs.remind(ws, round_, progress=progress)
    return Outcome(f"催促文 {len(found)} 件を書き出しました: {path}", snapshot(ws, round_id),
                   [f"- {r.subject}" for r in found], path)


def export_csv(ws: Workspace, round_id: str | None, progress: Progress) -> Outcome:
    path, count = jobs.export_csv(ws)
    return Outcome(f"オープンデータ CSV（全年度 {count} 行）を書き出しました: {path}", snapshot(ws, round_id), result=path)


def export_rules(ws: Workspace, round_id: str | None, path: Path, progress: Progress) -> Outcome:
    written = jobs.export_rules(ws, path)
    return Outcome(f"規則集を書き出しました: {written}", snapshot(ws, round_id), result=written)


def import_rules(ws: Workspace, round_id: str | None, path: Path, progress: Progress) -> Outcome:
    book, findings = jobs.import_rules(ws, path)
    details = [f"- {f.severity_label} {f.code}: {f.message}" for f in findings]
    return Outcome(f"規則集を取り込みました（{path.name}、指摘 {len(findings)} 件）。「再点検」で提出済みのファイルに適用します。",
                   snapshot(ws, round_id), details, book)


def save_settings(ws: Workspace, round_id: str | None, values: dict[str, str], progress: Progress) -> Outcome:
    for key, value in values.items():
        ws.set_setting(key, value)
    return Outcome(f"設定を保存しました（{len(values)} 項目）。次に配布する様式から使われます。", snapshot(ws, round_id))
