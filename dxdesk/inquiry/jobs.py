"""全庁照会 jobs, as plain functions taking a Progress (the CLI calls these; the window can too):
new → (mapping) → distribute → collect → status / findings / waive / accept / remind → merge."""
from __future__ import annotations

import datetime as dt
from collections import Counter
from contextlib import closing
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path

from dxdesk import labels as L
from dxdesk.errors import DxdeskError, InputFileError, WorkspaceError
from dxdesk.inquiry import distribute as dist
from dxdesk.inquiry.analyse import analyse
from dxdesk.inquiry.check import check_reply
from dxdesk.inquiry.mapping_io import read_mapping, write_mapping
from dxdesk.inquiry.model import PREFILL_CODE, PREFILL_NAME, Analysis, Mapping
from dxdesk.inquiry.read import Reply, ReadSpec, read_return
from dxdesk.intake.archive import archive_file
from dxdesk.intake.collect import (FORMAT_NAMES, stage_returns, CollectionPlan, CollectionResult, FileOutcome, already_collected,
                                   store_return)
from dxdesk.intake.collect import prepare_collection as _prepare
from dxdesk.intake.decrypt import SETTING as PASSWORDS_SETTING, passwords_of
from dxdesk.intake.readpool import Read, ReadContext, read_returns
from dxdesk.intake.saved import SavedTime
from dxdesk.intake.status import SectionStatus, overdue_findings, refuse_accepting_again, section_statuses
from dxdesk.normalize import clean_text, normalise_key
from dxdesk.plan.model import Section
from dxdesk.progress import Cancelled, NullProgress, Progress
from dxdesk.rules.findings import Finding, make
from dxdesk.store import inquiries_repo as iq
from dxdesk.store import rounds_repo as rr
from dxdesk.store.findings_repo import current_findings, insert_findings, submission_findings
from dxdesk.store.plan_repo import has_plan, load_plan
from dxdesk.store.waivers_repo import add_waiver, carry_over
from dxdesk.store.workspace import Workspace, now_iso
from dxdesk.xlsx import reading_workbook

SECTION_COLUMNS = {"code": ("課コード", "所属コード", "課所室コード"), "name": ("課名", "課所室名", "所属名", "所属"),
                   "dept": ("部局", "部局名", "部名"), "person": ("担当者",), "email": ("メール", "メールアドレス")}


@dataclass
class NewInquiry:
    inquiry: iq.Inquiry
    analysis: Analysis
    mapping_path: Path


class _Roster:
    """The sections an inquiry was sent to, shaped as the status code expects of a plan."""

    def __init__(self, sections: dict[str, Section]) -> None:
        self.sections = sections

    def reporting_sections(self) -> list[Section]:
        return list(self.sections.values())


def folder(ws: Workspace, inquiry: iq.Inquiry) -> Path:
    return ws.out_dir / inquiry.inquiry_id


def new_inquiry(ws: Workspace, template: Path, name: str, deadline: dt.date, sections_path: Path | None = None,
                prefill_path: Path | None = None) -> NewInquiry:
    """Archive the office's workbook, work out its input areas, choose the sections, write the mapping workbook."""
    ws.require_writable()
    template = Path(template)
    if not template.is_file():
        raise DxdeskError(f"{template}: 様式のファイルがありません。")
    analysis = analyse(template)
    if not analysis.mapping.areas:
        raise DxdeskError(f"{template.name}: " + " ".join(analysis.notes))
    sections = read_sections(sections_path) if sections_path else plan_sections(ws)
    prefill = read_prefill(prefill_path, analysis.mapping, analysis.notes) if prefill_path else {}
    asked = {s.code for s in sections}
    if unknown := [code for code in prefill if code not in asked]:
        analysis.notes.append(f"{Path(prefill_path).name} の課コード {'、'.join(unknown[:10])}"
                              f"{' など' if len(unknown) > 10 else ''}は照会先にない課のため、事前記入しません。")
    sha, archived, _ = archive_file(template, ws.archive_dir)
    with ws.conn:
        ws.keep_original(sha, archived)  # a shared workspace: the template in the database, for every PC
        inquiry = iq.create(ws.conn, name, deadline.isoformat(), sha, template.name,
                            str(archived.relative_to(ws.root)), analysis.mapping, now_iso())
        iq.set_sections(ws.conn, inquiry.inquiry_id, sections, prefill)
    path = folder(ws, inquiry) / f"対応表_{inquiry.inquiry_id}.xlsx"
    write_mapping(path, analysis.mapping, f"{inquiry.inquiry_id} {name}（{template.name}）の入力欄", analysis.notes)
    ws.record(f"全庁照会を作成: {inquiry.inquiry_id} {name}（{template.name}、{len(sections)}課）")
    return NewInquiry(inquiry, analysis, path)


def plan_sections(ws: Workspace) -> list[Section]:
    if not has_plan(ws.conn):
        raise WorkspaceError("照会先の課がありません。計画マスタを取り込むか（dxdesk plan import）、"
                             "--sections 課一覧.xlsx（課コード・課名・部局・担当者・メール の列）を指定してください。")
    return list(load_plan(ws.conn).sections.values())


def _table_rows(path: Path) -> tuple[list[str], list[list[object]]]:
    with reading_workbook(Path(path)) as book:
        rows = [list(r) for r in book.worksheets[0].iter_rows(values_only=True)]
    while rows and not any(v not in (None, "") for v in rows[0]):
        rows.pop(0)
    if not rows:
        raise InputFileError(f"{Path(path).name}: 1枚目のシートが空です。")
    return [normalise_key(h) for h in rows[0]], rows[1:]


def read_sections(path: Path) -> list[Section]:
    """A section list workbook: 課コード, 課名 (and 部局, 担当者, メール) in the first sheet's header row."""
    header, rows = _table_rows(path)
    index = {key: next((header.index(n) for n in names if n in header), None) for key, names in SECTION_COLUMNS.items()}
    if index["code"] is None or index["name"] is None:
        raise InputFileError(f"{Path(path).name}: 見出し行に「課コード」と「課名」の列がありません。")
    sections, seen = [], set()
    for row in rows:
        get = {k: clean_text(row[i]) if i is not None and i < len(row) else "" for k, i in index.items()}
        if get["code"] and get["code"] not in seen:
            seen.add(get["code"])
            sections.append(Section(get["code"], get["name"] or get["code"], get["dept"], get["person"], get["email"]))
    if not sections:
        raise InputFileError(f"{Path(path).name}: 課が1つもありません。")
    return sections


def read_prefill(path: Path, mapping: Mapping, notes: list[str] | None = None) -> dict[str, list[dict[str, str]]]:
    """Rows per section from a list (last year's inventory): 課コード and columns named as a table's fields. A list
    none of whose columns is a table's is refused; its other columns are said in `notes`."""
    header, rows = _table_rows(path)
    code = next((header.index(n) for n in SECTION_COLUMNS["code"] if n in header), None)
    if code is None:
        raise InputFileError(f"{Path(path).name}: 見出し行に「課コード」の列がありません。")
    best = max(mapping.tables, key=lambda a: sum(normalise_key(f.name) in header for f in a.fields), default=None)
    names = {normalise_key(f.name): f.name for f in best.fields} if best else {}
    if not set(names) & set(header):
        wanted = "・".join(dict.fromkeys(f.name for a in mapping.tables for f in a.fields if not f.prefill))
        raise InputFileError(f"{Path(path).name}: 見出し行に様式の表の列名（{wanted or '表がありません'}）がひとつもないため、"
                             f"事前記入できません（見出し: {'・'.join(h for h in header if h)}）。列名を様式の表と同じにしてください。")
    known = set(names) | {n for names_ in SECTION_COLUMNS.values() for n in names_}
    if notes is not None and (others := [h for h in header if h and h not in known]):
        notes.append(f"{Path(path).name} の列「{'」「'.join(others)}」は様式の表の列にないため、事前記入しません。")
    result: dict[str, list[dict[str, str]]] = {}
    for row in rows:
        section = clean_text(row[code]) if code < len(row) else ""
        if section:
            values = {names[h]: row[i] for i, h in enumerate(header) if h in names and i < len(row)
                      and row[i] not in (None, "")}
            result.setdefault(section, []).append({"欄ID": best.area_id, **values})
    return result


def resolve(ws: Workspace, inquiry_id: str | None) -> iq.Inquiry:
    found = iq.list_all(ws.conn)
    if not found:
        raise WorkspaceError("全庁照会がまだありません。`dxdesk inquiry new 様式.xlsx --name 名前 --deadline 期限` で作成してください。")
    if inquiry_id is None:
        return found[-1]
    inquiry = iq.get(ws.conn, inquiry_id)
    if inquiry is None:
        raise WorkspaceError(f"全庁照会 {inquiry_id} がありません。ある照会: {'、'.join(i.inquiry_id for i in found)}")
    return inquiry


def apply_mapping(ws: Workspace, inquiry: iq.Inquiry, path: Path) -> iq.Inquiry:
    """The office's corrected mapping workbook becomes the inquiry's mapping (a new version; copies distributed
    before it are still read with the one they went out with)."""
    ws.require_writable()
    written = folder(ws, inquiry) / f"対応表_{inquiry.inquiry_id}.xlsx"
    if not Path(path).exists():  # the README's bare 対応表_Q1.xlsx, typed where the newcomer stands
        raise DxdeskError(f"{path}: ファイルがありません。"
                          + (f"dxdesk が書き出した対応表は {written} にあります（直したものなら、保存した場所を指定してください）。"
                             if written.is_file() else ""))
    edited = read_mapping(path, inquiry.mapping.sheets)
    labels = {(a.sheet, f.cell): f.label_cell for a in inquiry.mapping.areas for f in a.fields}
    totals = {(a.sheet, a.area_id): a.total_label for a in inquiry.mapping.areas}
    areas = tuple(replace(a, fields=tuple(replace(f, label_cell=labels.get((a.sheet, f.cell), "")) for f in a.fields),
                          total_label=totals.get((a.sheet, a.area_id)) or a.total_label) for a in edited.areas)
    mapping = Mapping(areas, inquiry.mapping.sheets)
    with ws.conn:
        iq.add_mapping(ws.conn, inquiry.inquiry_id, mapping, now_iso())
    ws.record(f"全庁照会の対応表を更新: {inquiry.inquiry_id}（{Path(path).name}）")
    return iq.get(ws.conn, inquiry.inquiry_id)


@dataclass
class Distributed:
    folder: Path
    files: list[Path] = field(default_factory=list)


def distribute(ws: Workspace, inquiry: iq.Inquiry, out_dir: Path | None = None,
               progress: Progress | None = None) -> Distributed:
    ws.require_writable()
    progress = progress or NullProgress()
    target = out_dir or folder(ws, inquiry) / "配布"
    sections = list(iq.sections(ws.conn, inquiry.inquiry_id).values())
    prefill = iq.prefill_rows(ws.conn, inquiry.inquiry_id)
    result = Distributed(target)
    deadline = dt.date.fromisoformat(inquiry.deadline)
    for index, section in enumerate(sections):
        if progress.cancelled():
            raise Cancelled()
        progress.status(f"様式を作成中 ({index + 1}/{len(sections)}): {section.name}")
        path = target / dist.copy_filename(inquiry.inquiry_id, inquiry.name, section)
        dist.build_copy(ws.original(inquiry.template_sha256, inquiry.template_path), path, inquiry.inquiry_id, inquiry.mapping, section, deadline,
                        ws.setting("sheet_password"), prefill.get(section.code), now_iso())
        rr.record_distribution(ws.conn, inquiry.inquiry_id, section.code, path.name, now_iso())
        result.files.append(path)
        progress.fraction((index + 1) / max(1, len(sections)))
    ws.record(f"全庁照会の様式を配布: {inquiry.inquiry_id}（{len(result.files)}課）")
    return result


def prepare_collection(inquiry: iq.Inquiry, paths: list[Path]) -> CollectionPlan:
    """What will be read, as for a round: a path that does not exist, or holds no workbook, is an error."""
    return _prepare(inquiry.inquiry_id, paths)


def collect(ws: Workspace, inquiry: iq.Inquiry, job: CollectionPlan,
            progress: Progress | None = None) -> CollectionResult:
    """Archive, identify, read, check and store each return; one transaction per file — the round's intake:
    each file archived just before it is read in the reader processes (intake/readpool.py), a few ahead."""
    ws.require_writable()
    progress = progress or NullProgress()
    result = CollectionResult(skipped=list(job.skipped))
    sections = iq.sections(ws.conn, inquiry.inquiry_id)
    versions = iq.mappings(ws.conn, inquiry.inquiry_id)
    passwords = passwords_of(ws.setting(PASSWORDS_SETTING))  # never shown or logged
    spec = ReadSpec(inquiry.inquiry_id, inquiry.version, versions)
    context = ReadContext(passwords=passwords, reader=partial(read_return, spec))
    with closing(stage_returns(ws, inquiry.inquiry_id, job.files, context)) as staged:
        for index, (path, item) in enumerate(zip(job.files, staged)):
            if progress.cancelled():
                raise Cancelled()
            progress.status(f"取り込み中 ({index + 1}/{len(job.files)}): {path.name}")
            archived = (item.sha, item.archived, item.size) if item.archived is not None else None
            result.outcomes.append(_collect_one(ws, inquiry, sections, versions, path, archived, item.problem,
                                                item.read, passwords))
            progress.fraction((index + 1) / max(1, len(job.files)))
    counts = Counter(o.outcome for o in result.outcomes)
    ws.record(f"回収: {inquiry.inquiry_id}（" + ("、".join(f"{k} {v}件" for k, v in counts.items()) or "ファイルなし") + "）")
    return result


def _collect_one(ws, inquiry, sections, versions, path: Path, archived_as, problem: str, read,
                 passwords: tuple[str, ...]) -> FileOutcome:
    if archived_as is None:
        return FileOutcome(path, "要確認", message=problem)
    sha, archived, _ = archived_as
    if read is None or rr.find_submission(ws.conn, inquiry.inquiry_id, sha):
        return already_collected(path)
    try:
        checked = read_and_check(inquiry, sections, versions, path.name, read)
    except Exception as exc:  # one odd file must not stop the collection: it gets R3
        checked = [make("R3", file=path.name, reason=f"読み取れません（{exc.__class__.__name__}: {exc}）。",
                        expected_hint="Excel で開いて保存し直したファイルを依頼してください。")], {}, None
    saved = SavedTime.of(archived, path, passwords, read.saved_at)  # latest by the workbook's own saved time
    outcome, _ = store_return(ws, inquiry.inquiry_id, inquiry.version, path, archived_as, checked, saved,
                              partial(_settle, ws, inquiry, sections))
    return outcome


def _settle(ws: Workspace, inquiry: iq.Inquiry, sections: dict[str, Section], section: str) -> list[rr.Submission]:
    subs, before = rr.settle_section(ws.conn, inquiry.inquiry_id, section)
    ids = [s.submission_id for s in subs]
    ws.conn.execute(f"DELETE FROM findings WHERE scope = 'section' AND submission_id IN ({','.join('?' * len(ids))})",
                    ids)
    latest = subs[-1]
    if len(subs) > 1:
        r1 = make("R1", file=latest.file_name, section=section, value=subs[-2].file_name,
                  section_name=sections[section].name)
        insert_findings(ws.conn, [r1], "section", inquiry.inquiry_id, latest.submission_id)
    if before is not None and before != latest.submission_id:
        carry_over(ws.conn, before, latest.submission_id)
    return subs


def read_and_check(inquiry: iq.Inquiry, sections: dict[str, Section], versions: dict[str, Mapping], name: str,
                   read: Read):
    """(findings, values, section code or None) of one return read in a reader process (read.book: its Reply)."""
    sniffed = read.sniffed
    if not sniffed.ok:
        return [make(sniffed.code, file=name, reason=sniffed.reason, expected_hint=sniffed.hint, expected=".xlsx")], {}, None
    if read.book is None:
        return [make("R3", file=name, reason=f"{read.error}。",
                     expected_hint="ファイルが壊れていないか、パスワードが付いていないか担当課に確認してください。")], {}, None
    reply: Reply = read.book
    stamp = reply.stamp
    findings: list[Finding] = []
    mapping = inquiry.mapping
    if sniffed.kind != "xlsx":
        findings.append(make("S10", file=name, value=FORMAT_NAMES[sniffed.kind]))
    if stamp is not None:
        if stamp.section_code not in sections:
            return [make("S3", file=name, reason=f"様式の課コード {stamp.section_code} はこの照会の照会先にありません。")], {}, None
        here = f"{inquiry.inquiry_id} の版 {inquiry.version}"
        if stamp.round_id != inquiry.inquiry_id:  # a copy of an earlier inquiry (last year's): read if it fits
            if reply.missing or stamp.form_kind != dist.FORM_KIND:
                return [make("S2", file=name, reason="別の照会の様式です", value=stamp.round_id,
                             expected=inquiry.inquiry_id)], {}, None
            findings.append(make("Q3", file=name, section=stamp.section_code, expected=here,
                                 value=f"{stamp.round_id} の版 {stamp.template_version}"))
        elif stamp.template_version != inquiry.version:
            if stamp.template_version not in versions:
                return [make("S2", file=name, reason="様式の版が違います", value=stamp.template_version,
                             expected=inquiry.version)], {}, None
            mapping = current_checks(versions[stamp.template_version], inquiry.mapping)  # read where it went out
            findings.append(make("Q3", file=name, section=stamp.section_code, expected=here,
                                 value=f"{inquiry.inquiry_id} の版 {stamp.template_version}"))
    if stamp is not None:
        section = stamp.section_code
    else:
        section, how = identify(reply, mapping, sections, name)
        if section is None:
            return [make("S1", file=name, reason="照会ID などの識別情報（スタンプ）がなく、課名・課コードからも課を"
                         "特定できません", expected_hint="配布した様式に記入して提出し直すよう、担当課に依頼してください。")], {}, None
        findings.append(make("Q2", file=name, section=section, section_name=sections[section].name, reason=how))
    checked = check_reply(reply, mapping, name, section, sections[section].name)
    return findings + checked.findings, checked.values, section


def current_checks(old: Mapping, current: Mapping) -> Mapping:
    """An older copy is read where its cells were, but checked as the office now says (必須, 型, 選択肢, 範囲, 単位):
    a field at the same sheet and cell takes the current mapping's checks."""
    now = {(a.sheet, f.cell): f for a in current.areas for f in a.fields}
    return Mapping(tuple(replace(a, fields=tuple(
        replace(f, kind=c.kind, required=c.required, choices=c.choices, minimum=c.minimum, maximum=c.maximum,
                unit=c.unit) if (c := now.get((a.sheet, f.cell))) else f for f in a.fields)) for a in old.areas),
        old.sheets)


def rechecked(inquiry: iq.Inquiry, count: int) -> str:
    """What `dxdesk inquiry check` and the window's 再点検 say when done (one text)."""
    return f"{inquiry.inquiry_id}: {count} 件の提出を対応表（版 {inquiry.version}）で点検し直しました。"


def recheck(ws: Workspace, inquiry: iq.Inquiry, progress: Progress | None = None) -> int:
    """Check every section's latest return again (from the archive) with the inquiry's current mapping — after
    the office corrected it (a field no longer required, another choice allowed)."""
    ws.require_writable()
    progress = progress or NullProgress()
    sections = iq.sections(ws.conn, inquiry.inquiry_id)
    versions = iq.mappings(ws.conn, inquiry.inquiry_id)
    latest = list(rr.latest_submissions(ws.conn, inquiry.inquiry_id).values())
    if not latest:
        raise DxdeskError(f"{inquiry.inquiry_id}「{inquiry.name}」にはまだ取り込んだ提出がありません。点検し直すものはありません"
                          f"（返送されたブックは `dxdesk inquiry collect --id {inquiry.inquiry_id} フォルダ` で取り込み、点検します）。")
    rows = [ws.conn.execute("SELECT archived_path FROM files WHERE sha256 = ?", (sub.sha256,)).fetchone()
            for sub in latest]
    originals = [ws.original(sub.sha256, row[0]) for sub, row in zip(latest, rows)]
    context = ReadContext(passwords=passwords_of(ws.setting(PASSWORDS_SETTING)),
                          reader=partial(read_return, ReadSpec(inquiry.inquiry_id, inquiry.version, versions)))
    for index, (sub, read) in enumerate(zip(latest, read_returns(originals, context))):
        progress.status(f"再点検中 ({index + 1}/{len(latest)}): {sub.file_name}")
        findings, values, _ = read_and_check(inquiry, sections, versions, sub.file_name, read)
        with ws.conn:
            ws.conn.lock(f"round:{inquiry.inquiry_id}")
            ws.conn.execute("DELETE FROM findings WHERE submission_id = ? AND scope = 'submission'",
                            (sub.submission_id,))
            insert_findings(ws.conn, findings, "submission", inquiry.inquiry_id, sub.submission_id)
            _settle(ws, inquiry, sections, sub.section_code)
            rr.replace_check(ws.conn, sub.submission_id, values, inquiry.version, now_iso())
        progress.fraction((index + 1) / max(1, len(latest)))
    ws.record(f"再点検: {inquiry.inquiry_id}（{len(latest)}件）")
    return len(latest)


def identify(reply, mapping: Mapping, sections: dict[str, Section], file_name: str) -> tuple[str | None, str]:
    """The section of a return without its stamp: its 課コード or 課名 cell, else its file name."""
    typed = [(f.prefill, clean_text(reply.singles.get(a.area_id, {})[f.name].value))
             for a in mapping.singles for f in a.fields if f.prefill and f.name in reply.singles.get(a.area_id, {})]
    for prefill, value in typed:  # the code first: two sections may share a name (庶務課)
        if prefill == PREFILL_CODE and value in sections:
            return value, f"課コード「{value}」"
    for prefill, value in typed:
        code = next((c for c, s in sections.items() if normalise_key(s.name) == normalise_key(value)), None)
        if prefill == PREFILL_NAME and value and code:
            return code, f"課名「{value}」"
    stem = Path(file_name).stem
    named = [c for c, s in sections.items() if c in stem.split("_") or (s.name and s.name in stem)]
    return (named[0], f"ファイル名「{file_name}」") if len(named) == 1 else (None, "")


def statuses(ws: Workspace, inquiry: iq.Inquiry, found: list[Finding] | None = None) -> list[SectionStatus]:
    found = found if found is not None else current_findings(ws.conn, inquiry.inquiry_id)
    return section_statuses(ws.conn, _Roster(iq.sections(ws.conn, inquiry.inquiry_id)), inquiry, found)


def findings(ws: Workspace, inquiry: iq.Inquiry, today: dt.date | None = None) -> list[Finding]:
    """The latest returns' findings, plus R2 for every section not returned after the deadline."""
    found = current_findings(ws.conn, inquiry.inquiry_id)
    remind = f"dxdesk inquiry remind --id {inquiry.inquiry_id}"  # not the DX round's `dxdesk remind`
    return found + [replace(f, hint=f.hint.replace("dxdesk remind", remind))
                    for f in overdue_findings(statuses(ws, inquiry, found), inquiry, today or dt.date.today())]


def waive(ws: Workspace, inquiry: iq.Inquiry, section: str, code: str, cell: str, who: str, why: str) -> Finding:
    ws.require_writable()
    if not why.strip():
        raise DxdeskError("免除の理由を入力してください（--why）。")
    sub = rr.latest_submission(ws.conn, inquiry.inquiry_id, section)
    if sub is None:
        raise DxdeskError(f"{section} の提出がありません。")
    sheet, _, ref = cell.rpartition("!")
    matches = [f for f in submission_findings(ws.conn, sub.submission_id)
               if f.code == code and f.cell == ref and (not sheet or f.sheet == sheet) and f.severity == "ERR"]
    if not matches:
        raise DxdeskError(f"{section} の最新の提出（{sub.file_name}）に {code} のエラー（{cell}）はありません。")
    if matches[0].waiver:
        raise DxdeskError(f"{section} の {code}（{cell}）は既に免除されています: {matches[0].waiver}")
    add_waiver(ws.conn, sub.submission_id, matches[0], who, why.strip(), now_iso())
    ws.record(f"免除: {inquiry.inquiry_id} {section} {code}（{matches[0].sheet}!{matches[0].cell}、{who}）")
    return next(f for f in submission_findings(ws.conn, sub.submission_id)
                if (f.code, f.sheet, f.cell) == (matches[0].code, matches[0].sheet, matches[0].cell))


def accept(ws: Workspace, inquiry: iq.Inquiry, section: str, who: str) -> SectionStatus:
    ws.require_writable()
    status = next((s for s in statuses(ws, inquiry) if s.section.code == section), None)
    if status is None:
        raise DxdeskError(f"{section} はこの照会（{inquiry.name}）の照会先ではありません。")
    if status.status == L.STATUS_NOT_RETURNED:
        raise DxdeskError(f"{section} はまだ提出されていません。")
    if status.status == L.STATUS_NEEDS_FIX:
        raise DxdeskError(f"{section} の最新の提出にエラーが {status.errors} 件あります。修正してもらうか免除してから受理してください。")
    refuse_accepting_again(ws.conn, inquiry.inquiry_id, section, f"{section} {status.section.name}")
    rr.accept(ws.conn, inquiry.inquiry_id, section, who, now_iso())
    ws.record(f"受理: {inquiry.inquiry_id} {section}（{who}）")
    return next(s for s in statuses(ws, inquiry) if s.section.code == section)


def drafts_folder(ws: Workspace, inquiry: iq.Inquiry) -> Path:
    """Where `remind` writes its .eml drafts (one per section): out/<ID>/催促メール."""
    return folder(ws, inquiry) / "催促メール"


def remind(ws: Workspace, inquiry: iq.Inquiry, today: dt.date | None = None) -> tuple[Path, list]:
    """Reminder drafts (.eml, the section's copy attached) for sections not returned or to correct."""
    from dxdesk.intake.remind import correction_reminders, reminders
    from dxdesk.outputs.mail import write_draft
    from dxdesk.xlsx import atomic_path
    from dxdesk.years import fy_of_date

    deadline = dt.date.fromisoformat(inquiry.deadline)
    status = statuses(ws, inquiry)
    office, contact = ws.setting("office_name"), ws.office_contact
    fy = fy_of_date(deadline)
    found = reminders(status, fy, deadline, inquiry.name, office, contact, today or dt.date.today())
    found += correction_reminders(status, fy, inquiry.name, office, contact)
    out = folder(ws, inquiry)
    path = out / "催促文.txt"
    with atomic_path(path) as tmp:
        tmp.write_text("\n\n".join(f"宛先: {r.to}\n件名: {r.subject}\n\n{r.body}" for r in found)
                       or "未提出・要修正の課はありません。\n", encoding="utf-8")
    copies = {r["section_code"]: out / "配布" / r["file_name"] for r in rr.round_sections(ws.conn, inquiry.inquiry_id)}
    for r in found:
        attachment = copies.get(r.section_code)
        write_draft(drafts_folder(ws, inquiry), r, ws.setting("office_mail"), office,
                    attachment if attachment is not None and attachment.is_file() else None)
    return path, found


def merge(ws: Workspace, inquiry: iq.Inquiry, today: dt.date | None = None) -> dict[str, Path]:
    """The consolidated workbook, CSV and JSON of the inquiry (out/<ID>/集約/)."""
    from dxdesk.inquiry.merge import gather, write_merge

    found = findings(ws, inquiry, today)
    status = statuses(ws, inquiry, current_findings(ws.conn, inquiry.inquiry_id))
    merged = gather(ws.conn, inquiry, status, found)
    return write_merge(folder(ws, inquiry), merged, f"{inquiry.inquiry_id} {inquiry.name}")
