"""What the 全庁照会 page's buttons do, as plain functions (no Qt), on the worker thread: call the inquiry job,
then hand back an Outcome with a fresh Snapshot (whose `inquiries` the page presents)."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from dxdesk.inquiry import jobs as ij
from dxdesk.intake.status import SectionStatus
from dxdesk.progress import Progress
from dxdesk.rules.findings import Finding, count_by, sort_findings
from dxdesk.store import inquiries_repo as iq
from dxdesk.store.workspace import Workspace
from ui.tasks import Outcome, snapshot


@dataclass
class InquiryView:
    inquiry: iq.Inquiry
    statuses: list[SectionStatus] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)

    @property
    def label(self) -> str:
        counts = count_by(self.statuses, "status")
        return f"{self.inquiry.inquiry_id} {self.inquiry.name}（締切 {self.inquiry.deadline}）" + (
            "　" + "・".join(f"{k} {v}" for k, v in counts.items()) if counts else "")


def inquiry_views(ws: Workspace) -> list[InquiryView]:
    return [InquiryView(inquiry, ij.statuses(ws, inquiry), sort_findings(ij.findings(ws, inquiry)))
            for inquiry in iq.list_all(ws.conn)]


def new_inquiry(ws: Workspace, round_id: str | None, template: Path, name: str, deadline: dt.date,
                sections: Path | None, progress: Progress) -> Outcome:
    progress.status(f"様式を読み取り中: {Path(template).name}")
    made = ij.new_inquiry(ws, Path(template), name, deadline, sections)
    inquiry = made.inquiry
    details = [f"- {a.area_id} {a.kind} シート「{a.sheet}」: " + "、".join(f.name for f in a.fields)
               for a in inquiry.mapping.areas] + [f"- 注意: {n}" for n in made.analysis.notes]
    return Outcome(f"全庁照会 {inquiry.inquiry_id}「{inquiry.name}」を作成しました。入力欄の対応表: {made.mapping_path}",
                   snapshot(ws, round_id), details, made)


def distribute(ws: Workspace, round_id: str | None, inquiry_id: str, progress: Progress) -> Outcome:
    done = ij.distribute(ws, ij.resolve(ws, inquiry_id), progress=progress)
    return Outcome(f"{inquiry_id}: 様式 {len(done.files)} 件を作成しました: {done.folder}", snapshot(ws, round_id),
                   [f"- {p.name}" for p in done.files], done)


def collect(ws: Workspace, round_id: str | None, inquiry_id: str, paths: list[Path], progress: Progress) -> Outcome:
    inquiry = ij.resolve(ws, inquiry_id)
    done = ij.collect(ws, inquiry, ij.prepare_collection(inquiry, paths), progress)
    counts = count_by(done.outcomes, "outcome")
    details = [f"- {o.outcome}: {o.path.name}" + (f"（エラー {o.errors}・警告 {o.warnings}）" if o.errors or o.warnings else "")
               + (f" {o.message}" if o.message else "") for o in done.outcomes]
    details += [f"- 読まなかった: {p.name}（{why}）" for p, why in done.skipped]
    return Outcome(f"{inquiry_id}: 返送ファイルを取り込みました（" + "、".join(f"{k} {v} 件" for k, v in counts.items())
                   + "）", snapshot(ws, round_id), details, done)


def merge(ws: Workspace, round_id: str | None, inquiry_id: str, progress: Progress) -> Outcome:
    progress.status(f"{inquiry_id}: 集約ブックを作成中")
    out = ij.merge(ws, ij.resolve(ws, inquiry_id))
    return Outcome(f"{inquiry_id}: 集約ブック・CSV・JSON を作成しました: {out['workbook']}", snapshot(ws, round_id),
                   [f"- {out['folder']}"], out["workbook"])


def recheck(ws: Workspace, round_id: str | None, inquiry_id: str, progress: Progress) -> Outcome:
    """再点検: the same job as `dxdesk inquiry check --id …` (the latest returns, with the current mapping)."""
    inquiry = ij.resolve(ws, inquiry_id)
    count = ij.recheck(ws, inquiry, progress)
    return Outcome(ij.rechecked(inquiry, count), snapshot(ws, round_id))


def remind(ws: Workspace, round_id: str | None, inquiry_id: str, progress: Progress) -> Outcome:
    """催促: the same job as `dxdesk inquiry remind --id …` (催促文.txt and one .eml draft per section)."""
    inquiry = ij.resolve(ws, inquiry_id)
    progress.status(f"{inquiry_id}: 催促文を作成中")
    path, found = ij.remind(ws, inquiry)
    if not found:
        return Outcome(f"{inquiry_id}: 未提出・要修正の課はありません。催促メールは作成していません（{path}）。",
                       snapshot(ws, round_id), result=path)
    drafts = ij.drafts_folder(ws, inquiry)
    return Outcome(f"{inquiry_id}: 催促文 {len(found)} 件を書き出しました: {path}（メールの下書き .eml は {drafts}。"
                   "Outlook で開いて送信してください）", snapshot(ws, round_id),
                   [f"- {r.subject}" for r in found], path)


def apply_mapping(ws: Workspace, round_id: str | None, inquiry_id: str, path: Path, progress: Progress) -> Outcome:
    inquiry = ij.apply_mapping(ws, ij.resolve(ws, inquiry_id), Path(path))
    fields = sum(len(a.fields) for a in inquiry.mapping.areas)
    return Outcome(f"{inquiry_id}: 対応表を読み込みました（入力欄 {len(inquiry.mapping.areas)}・項目 {fields}）。"
                   "配布済みの様式は、その版の入力欄で読み取ります。", snapshot(ws, round_id), result=inquiry)


def accept(ws: Workspace, round_id: str | None, inquiry_id: str, section: str, who: str, progress: Progress) -> Outcome:
    status = ij.accept(ws, ij.resolve(ws, inquiry_id), section, who)
    return Outcome(f"{inquiry_id}: {section} {status.section.name} を受理しました。", snapshot(ws, round_id))


def waive(ws: Workspace, round_id: str | None, inquiry_id: str, finding: Finding, who: str, why: str,
          progress: Progress) -> Outcome:
    cell = f"{finding.sheet}!{finding.cell}" if finding.sheet else finding.cell
    ij.waive(ws, ij.resolve(ws, inquiry_id), finding.section, finding.code, cell, who, why)
    return Outcome(f"{inquiry_id}: {finding.section} の {finding.code}（{cell}）を免除しました: {why}", snapshot(ws, round_id))
