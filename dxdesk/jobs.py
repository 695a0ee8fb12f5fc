"""The long operations as plain functions taking a Progress: the CLI and the window both call these."""
from __future__ import annotations

from collections import Counter

import dataclasses
import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from dxdesk import labels as L
from dxdesk.errors import DxdeskError, WorkspaceError
from dxdesk.forms.builder import RoundInfo, build_form, form_filename
from dxdesk.forms.definition import PROGRESS_FORM, form_for
from dxdesk.intake.collect import CollectionPlan, CollectionResult, collect, recheck
from dxdesk.intake.collect import prepare_collection as _prepare
from dxdesk.intake.remind import Reminder, correction_reminders, reminders
from dxdesk.intake.status import SectionStatus, overdue_findings, refuse_accepting_again, section_statuses
from dxdesk.outputs.consolidated import write_consolidated
from dxdesk.outputs.outset import SET_FOLDER, output_set
from dxdesk.outputs.csv_export import write_csv, write_findings_csv
from dxdesk.outputs.dataset import all_records
from dxdesk.outputs.numfmt import negative_style, timestamp
from dxdesk.outputs.rounddata import RoundData, gather
from dxdesk.plan.importer import import_plan as read_plan_workbook
from dxdesk.plan.model import Plan
from dxdesk.progress import Cancelled, NullProgress, Progress
from dxdesk.rules.book import RuleBook
from dxdesk.rules.book_io import export_rulebook, import_rulebook
from dxdesk.intake.archive import archive_file
from dxdesk.plan.diff import PlanDiff, plan_diff as diff_plans
from dxdesk.store import editions_repo as ed
from dxdesk.intake.history import actual_history, with_history
from dxdesk.normalize import format_number
from dxdesk.rules.findings import Finding, group_by, make, sort_findings
from dxdesk.store.rulebook_repo import current_rulebook, save_rulebook
from dxdesk.store import rounds_repo as rr
from dxdesk.store.findings_repo import current_findings, submission_findings
from dxdesk.store.waivers_repo import add_waiver
from dxdesk.store.plan_repo import has_plan, load_plan, save_plan
from dxdesk.store.workspace import Workspace, now_iso
from dxdesk.xlsx import atomic_path
from dxdesk.years import format_date_jp, wareki


@dataclass
class ImportResult:
    plan: Plan
    findings: list[Finding]
    edition: ed.Edition | None = None

    @property
    def summary(self) -> str:
        p = self.plan
        errors = sum(f.severity == "ERR" for f in self.findings)
        return (f"計画「{p.name}」: " + "、".join(f"{name} {n} 件" for name, n in p.counts()) + "を取り込みました"
                + (f"（取り込めなかった行の指摘 {errors} 件）" if errors else ""))


def import_plan(ws: Workspace, path: Path, progress: Progress | None = None) -> ImportResult:
    ws.require_writable()
    progress = progress or NullProgress()
    progress.status(f"計画マスタを読み込み中: {Path(path).name}")
    plan, findings = read_plan_workbook(path)
    if not plan.measures:
        raise DxdeskError(f"{Path(path).name}: 施策を1件も取り込めませんでした。"
                          + ("".join(f"\n- {f.message}" for f in findings[:10])))
    if has_plan(ws.conn):
        findings += changed_history(plan, actual_history(ws.conn, load_plan(ws.conn), ""), Path(path).name)
    save_plan(ws.conn, plan, findings, str(path), now_iso())
    sha, archived, _ = archive_file(Path(path), ws.root / "plans")  # 計画の版: kept apart from the returns
    with ws.conn:
        ws.keep_original(sha, archived)
    edition = ed.add_edition(ws.conn, plan.edition, ed.fingerprint(plan), Path(path).name,
                             str(archived.relative_to(ws.root)), now_iso())
    ws.record(f"計画マスタを取り込み: {Path(path).name}（{edition.title}）")
    progress.fraction(1.0)
    return ImportResult(plan, findings, edition)


def editions(ws: Workspace) -> list[ed.Edition]:
    return ed.list_editions(ws.conn)


def edition_plan(ws: Workspace, number: int | None) -> Plan:
    """The plan as it was in an edition (the current one when None or the latest): an older edition is read
    again from its archived file; the history (imported and collected) is the workspace's, as now."""
    current = require_plan(ws)
    latest = ed.latest_edition(ws.conn)
    if number is None or latest is None or number == latest.edition:
        return current
    edition = ed.get_edition(ws.conn, number)
    if edition is None:
        raise DxdeskError(f"計画の第{number}版はありません。`dxdesk plan editions` で版を確かめてください。")
    return dataclasses.replace(_archived_plan(ws, edition), history=current.history)


def _archived_plan(ws: Workspace, edition: ed.Edition) -> Plan:
    """An older edition as read from its archived workbook: read once per workspace (reading a plan master
    takes a second or more, and every check of a round asks for it), again once the editions change."""
    editions = tuple(ed.list_editions(ws.conn))
    if ws.plan_cache.get("editions") != editions:
        ws.plan_cache.clear()
        ws.plan_cache["editions"] = editions
    if edition.edition not in ws.plan_cache:
        archived = ws.original(Path(edition.archived_path).stem, edition.archived_path)
        ws.plan_cache[edition.edition] = read_plan_workbook(archived)[0]
    return ws.plan_cache[edition.edition]


def round_plan(ws: Workspace, round_: rr.Round) -> Plan:
    """The plan a round is read against: the edition its forms were distributed with."""
    return edition_plan(ws, round_.plan_edition)


def plan_diff(ws: Workspace, before: int | None = None, after: int | None = None) -> PlanDiff:
    """What changed from one edition to another (default: the one before the latest → the latest)."""
    known = ed.list_editions(ws.conn)
    if not known:
        raise WorkspaceError("計画マスタが取り込まれていません。")
    after = after or known[-1].edition
    before = before or max(1, after - 1)
    labels = {e.edition: e.title for e in known}
    return diff_plans(edition_plan(ws, before), edition_plan(ws, after),
                      labels.get(before, f"第{before}版"), labels.get(after, f"第{after}版"))


def changed_history(new: Plan, known: dict, file: str) -> list[Finding]:
    """K12: a past year's actual that was already known (imported or collected) is different now."""
    found = []
    for item in new.history:
        before = known.get((item.kpi_id, item.fy))
        if before is not None and item.value is not None and abs(before - item.value) > 1e-9 * max(1, abs(before)):
            name = new.kpis[item.kpi_id].name if item.kpi_id in new.kpis else ""
            found.append(make("K12", file=file, sheet="実績", row_key=item.kpi_id,
                              row_label=f"{item.kpi_id} {name}", value=format_number(item.value, 3),
                              expected=format_number(before, 3), fy=wareki(item.fy)))
    return found


def require_plan(ws: Workspace) -> Plan:
    if not has_plan(ws.conn):
        raise WorkspaceError("計画マスタが取り込まれていません。先に `dxdesk plan import 計画マスタ.xlsx` を実行してください。")
    return load_plan(ws.conn)


def new_round(ws: Workspace, fy: int, deadline: dt.date, form_kind: str = PROGRESS_FORM.kind,
              again: bool = False) -> rr.Round:
    """Create the round of a fiscal year and make it current. Refused: a year outside the plan, a deadline
    before the year starts, and a second round of a year unless asked for (`again`)."""
    ws.require_writable()
    plan = require_plan(ws)
    years = plan.fiscal_years()
    if years and not years[0] <= fy <= years[1]:
        raise DxdeskError(f"{wareki(fy)}（{fy}年度）は計画期間（{wareki(years[0])}〜{wareki(years[1])}）の外です。"
                          "対象年度を確かめてください。")
    if deadline < dt.date(fy, 4, 1):
        raise DxdeskError(f"提出期限 {format_date_jp(deadline)} は {wareki(fy)} の年度が始まる前（{fy}年4月1日より前）です。"
                          "年度が終わった後の日付を指定してください。")
    same_year = rr.rounds_of_year(ws.conn, fy)
    if same_year and not again:
        known = "、".join(r.round_id for r in same_year)
        raise DxdeskError(f"{wareki(fy)}の照会は既にあります（{known}）。その照会を続けるなら "
                          f"`dxdesk round use {same_year[-1].round_id}`、同じ年度にもう一度照会するなら --again を付けてください。")
    form = form_for(form_kind)
    edition = ed.latest_edition(ws.conn)
    round_ = rr.create_round(ws.conn, fy, deadline.isoformat(), form.kind, form.version,
                             f"{wareki(fy)} {form.title}", now_iso(), current_rulebook(ws.conn).grade_scale,
                             edition.edition if edition else None)
    ws.choose_round(round_.round_id)
    ws.record(f"照会を作成: {round_.round_id}（{round_.title}、期限 {round_.deadline}）")
    return round_


def resolve_round(ws: Workspace, round_id: str | None = None) -> rr.Round:
    """The round asked for, else the current one (`dxdesk round use`), else the latest."""
    if round_id:
        round_ = rr.get_round(ws.conn, round_id)
        if round_ is None:
            raise WorkspaceError(f"照会 {round_id} がありません。" + _known_rounds(ws))
        return round_
    current = ws.chosen_round()
    round_ = (rr.get_round(ws.conn, current) if current else None) or rr.latest_round(ws.conn)
    if round_ is None:
        raise WorkspaceError("照会がまだありません。`dxdesk round new --fy 2024 --deadline 2025/5/16` で作成してください。")
    return round_


def _known_rounds(ws: Workspace) -> str:
    known = [r.round_id for r in rr.list_rounds(ws.conn)]
    return f"ある照会: {'、'.join(known)}" if known else "照会がまだありません。"


def current_round_id(ws: Workspace) -> str | None:
    """The round commands and the window work on when none is named."""
    round_ = rr.get_round(ws.conn, ws.chosen_round() or "") or rr.latest_round(ws.conn)
    return round_.round_id if round_ else None


def use_round(ws: Workspace, round_id: str) -> rr.Round:
    """Make a round the current one (`dxdesk round use`, the window's round selector)."""
    ws.require_writable()
    round_ = resolve_round(ws, round_id)
    ws.choose_round(round_.round_id)
    return round_


def require_section(plan: Plan, code: str) -> None:
    """An unknown section code is an error that lists the codes there are."""
    if code not in plan.sections:
        known = "、".join(s.code for s in plan.reporting_sections())
        raise DxdeskError(f"課コード {code} は計画マスタにありません。使える課コード: {known}")


def round_info(ws: Workspace, round_: rr.Round) -> RoundInfo:
    """What every form of the round carries: its id, year, deadline, the office and the sheet password."""
    return RoundInfo(round_.round_id, round_.fy, dt.date.fromisoformat(round_.deadline),
                     ws.setting("office_name"), ws.office_contact, ws.setting("sheet_password"),
                     ws.setting("negative_style"))


@dataclass
class DistributeResult:
    folder: Path
    files: list[Path] = field(default_factory=list)


def distribute(ws: Workspace, round_: rr.Round, out_dir: Path | None = None,
               progress: Progress | None = None) -> DistributeResult:
    """One workbook per reporting section, written into out/<round>/配布/."""
    ws.require_writable()
    progress = progress or NullProgress()
    plan = with_history(ws.conn, round_plan(ws, round_), round_.round_id)  # 前年度実績 from the accepted rounds
    form = form_for(round_.form_kind, round_.grade_scale)
    folder = out_dir or ws.out_dir / round_.round_id / "配布"
    info = round_info(ws, round_)
    sections = plan.reporting_sections()
    result = DistributeResult(folder)
    for index, section in enumerate(sections):
        if progress.cancelled():
            raise Cancelled()
        path = folder / form_filename(form, info, section)
        progress.status(f"様式を作成中 ({index + 1}/{len(sections)}): {section.name}")
        build_form(path, form, plan, section, info)
        if section.code in plan.entering_sections():  # a co-owner that only sees (参照) is not chased for a return
            rr.record_distribution(ws.conn, round_.round_id, section.code, path.name, now_iso(),
                                   ws.keep_form(path))
        result.files.append(path)
        progress.fraction((index + 1) / len(sections))
    ws.record(f"様式を配布: {round_.round_id}（{len(result.files)}課）")
    return result


def prepare_collection(ws: Workspace, round_: rr.Round, paths: list[Path]) -> CollectionPlan:
    """What will be read; a path that does not exist, or holds no workbook, is an error (NothingToCollect)."""
    return _prepare(round_.round_id, paths)


def run_collection(ws: Workspace, round_: rr.Round, job: CollectionPlan,
                   progress: Progress | None = None) -> CollectionResult:
    with negative_style(ws.setting("negative_style")):
        result = collect(ws, round_plan(ws, round_), round_, job, progress)
    counts = Counter(o.outcome for o in result.outcomes)
    ws.record(f"回収: {round_.round_id}（" + "、".join(f"{k} {v}件" for k, v in counts.items()) + "）"
              if counts else f"回収: {round_.round_id}（ファイルなし）")
    return result


def check(ws: Workspace, round_: rr.Round, progress: Progress | None = None) -> int:
    """Re-run the current rule book over the round's latest submissions (after a rule-book change)."""
    with negative_style(ws.setting("negative_style")):
        count = recheck(ws, round_plan(ws, round_), round_, progress)
    ws.record(f"再点検: {round_.round_id}（{count}件）")
    return count


def statuses(ws: Workspace, round_: rr.Round, plan: Plan | None = None,
             found: list[Finding] | None = None) -> list[SectionStatus]:
    found = found if found is not None else current_findings(ws.conn, round_.round_id)
    return section_statuses(ws.conn, plan or round_plan(ws, round_), round_, found)


def round_findings(ws: Workspace, round_: rr.Round, today: dt.date | None = None,
                   status: list[SectionStatus] | None = None, found: list[Finding] | None = None) -> list[Finding]:
    """Findings of the latest submissions, plus the overdue sections (computed, not stored)."""
    found = found if found is not None else current_findings(ws.conn, round_.round_id)
    status = status if status is not None else statuses(ws, round_, found=found)
    return found + overdue_findings(status, round_, today or dt.date.today())


@dataclass
class ConsolidateResult:
    workbook: Path
    csv: Path
    findings: Path
    kpis: int
    returned: int
    sections: int


def consolidate(ws: Workspace, round_: rr.Round, progress: Progress | None = None) -> ConsolidateResult:
    """Write out/<round>/集約/: 集約_<round>.xlsx, the open-data CSV and the findings CSV, as one set."""
    progress = progress or NullProgress()
    plan = round_plan(ws, round_)
    progress.status("集約データを作成中")
    with ws.conn.snapshot():  # one committed state, while others collect into a shared workspace
        data = round_data(ws, round_, plan)
    folder = ws.out_dir / round_.round_id
    names = [f"集約_{round_.round_id}.xlsx", f"opendata_{round_.round_id}.csv", f"指摘一覧_{round_.round_id}.csv"]
    progress.fraction(0.3)
    progress.status("集約ブックを書き出し中")
    with output_set(folder, names.__contains__) as fresh:  # the three replace the previous three together, or not at all
        write_consolidated(fresh / names[0], data)
        progress.fraction(0.8)
        write_csv(fresh / names[1], data.records)
        write_findings_csv(fresh / names[2], sort_findings(data.findings))
    book, csv_path, findings_path = (folder / SET_FOLDER / name for name in names)
    ws.record(f"集約: {round_.round_id}（{len(data.records)}指標）")
    progress.fraction(1.0)
    return ConsolidateResult(book, csv_path, findings_path, len(data.records),
                             sum(s.status != L.STATUS_NOT_RETURNED for s in data.statuses), len(data.statuses))


def round_data(ws: Workspace, round_: rr.Round, plan: Plan | None = None,
               today: dt.date | None = None) -> RoundData:
    """The one dataset every output of the round is written from (records, statuses, findings, last year …)."""
    plan = plan or round_plan(ws, round_)
    found = current_findings(ws.conn, round_.round_id)
    status = statuses(ws, round_, plan, found)
    findings = round_findings(ws, round_, today, status=status, found=found)
    data = gather(ws.conn, plan, round_, status, findings, current_rulebook(ws.conn), timestamp(now_iso()),
                  lambda other: statuses(ws, other, plan))
    data.negative = ws.setting("negative_style") or "△"
    return data


def export_csv(ws: Workspace, path: Path | None = None, fy: int | None = None,
               accepted_only: bool = True) -> tuple[Path, int]:
    """All years (imported history and every round), or one year; UTF-8 with BOM. The public export
    (accepted_only) leaves out the values of sections not accepted yet."""
    plan = require_plan(ws)
    records = [r for r in all_records(ws.conn, plan) if fy is None or r.fy == fy]
    target = path or ws.out_dir / (f"opendata_FY{fy}.csv" if fy else "opendata_all.csv")
    write_csv(target, records, accepted_only)
    return target, len(records)


def export_open_data(ws: Workspace, folder: Path | None = None, fy: int | None = None, accepted_only: bool = True,
                     formats: tuple[str, ...] = ("csv", "json")) -> tuple[list[Path], int]:
    """The open data as CSV and/or JSON (the same rows) and a README.txt beside them (columns, CC BY 4.0)."""
    from dxdesk.outputs.csv_export import write_json, write_readme

    plan = require_plan(ws)
    records = [r for r in all_records(ws.conn, plan) if fy is None or r.fy == fy]
    folder = folder or ws.out_dir
    stem = f"opendata_FY{fy}" if fy else "opendata_all"
    files = []
    if "csv" in formats:
        files.append(write_csv(folder / f"{stem}.csv", records, accepted_only))
    if "json" in formats:
        files.append(write_json(folder / f"{stem}.json", records, accepted_only, f"{plan.name} 進捗状況"))
    files.append(write_readme(folder, files, f"{plan.name} 進捗状況", accepted_only))
    return files, len(records)


def accept_section(ws: Workspace, round_: rr.Round, section_code: str, who: str) -> SectionStatus:
    """Accept a section's return after reviewing its warnings; refused, with the reason, when there is no
    such section, nothing was returned, or an error is neither fixed nor waived."""
    ws.require_writable()
    plan = round_plan(ws, round_)
    require_section(plan, section_code)
    status = next((s for s in statuses(ws, round_, plan) if s.section.code == section_code), None)
    if status is None:
        raise DxdeskError(f"{section_code} はこの照会（{round_.title}）の提出先ではありません。")
    name = f"{section_code} {status.section.name}"
    if status.status == L.STATUS_NOT_RETURNED:
        raise DxdeskError(f"{name} はまだ提出されていません。受理できるのは提出された報告だけです。")
    if status.status == L.STATUS_NEEDS_FIX:
        raise DxdeskError(f"{name} の最新の提出（{status.file_name}）にエラーが {status.errors} 件あります。"
                          "修正して再提出してもらうか、確認済みのエラーを `dxdesk waive` で免除してから受理してください。")
    refuse_accepting_again(ws.conn, round_.round_id, section_code, name)
    rr.accept(ws.conn, round_.round_id, section_code, who, now_iso())
    ws.record(f"受理: {round_.round_id} {name}（{who}）")
    return next(s for s in statuses(ws, round_, plan) if s.section.code == section_code)


def export_rules(ws: Workspace, path: Path) -> Path:
    return export_rulebook(path, current_rulebook(ws.conn))


def import_rules(ws: Workspace, path: Path) -> tuple[RuleBook, list[Finding]]:
    """Read an edited rule book and make it current (bad entries keep their setting, with a finding)."""
    ws.require_writable()
    book, findings = import_rulebook(path, current_rulebook(ws.conn))
    save_rulebook(ws.conn, book, now_iso())
    ws.record(f"規則集を取り込み: {Path(path).name}（版 {book.version}）")
    return book, findings


def waive(ws: Workspace, round_: rr.Round, section_code: str, code: str, cell: str, who: str, why: str) -> Finding:
    """Waive one ERR of a section's latest submission (cell as Q5 or 進捗報告!Q5), with who and why."""
    ws.require_writable()
    if not why.strip():
        raise DxdeskError("免除の理由を入力してください（--why）。")
    require_section(require_plan(ws), section_code)
    sub = rr.latest_submission(ws.conn, round_.round_id, section_code)
    if sub is None:
        raise DxdeskError(f"{section_code} の提出がありません。")
    sheet, _, ref = cell.rpartition("!")
    matches = [f for f in submission_findings(ws.conn, sub.submission_id)
               if f.code == code and f.cell == ref and (not sheet or f.sheet == sheet) and f.severity == "ERR"]
    if not matches:
        raise DxdeskError(f"{section_code} の最新の提出（{sub.file_name}）に {code} のエラー（{cell}）はありません。")
    target = matches[0]
    if target.waiver:
        raise DxdeskError(f"{section_code} の {code}（{target.sheet}!{target.cell}）は既に免除されています: {target.waiver}"
                          "（理由は最初のものを残します）")
    add_waiver(ws.conn, sub.submission_id, target, who, why.strip(), now_iso())
    ws.record(f"免除: {round_.round_id} {section_code} {code}（{target.sheet}!{target.cell}、{who}）")
    return next(f for f in submission_findings(ws.conn, sub.submission_id)
                if (f.code, f.sheet, f.cell) == (target.code, target.sheet, target.cell))


def remind(ws: Workspace, round_: rr.Round, today: dt.date | None = None,
           progress: Progress | None = None) -> tuple[Path, list[Reminder]]:
    """Reminders for every section not returned (未提出) or to correct (要修正): the texts in
    out/<round>/催促文.txt, one .eml draft each in out/<round>/催促メール/ (to the plan's contact, the form or the
    send-back workbook attached, X-Unsent: 1) and a one-page 回収状況.pdf to print."""
    from dxdesk.outputs.mail import write_draft
    from dxdesk.outputs.pack_pdf import status_list_pdf

    progress = progress or NullProgress()
    form = form_for(round_.form_kind, round_.grade_scale)
    status = statuses(ws, round_)
    office, contact = ws.setting("office_name"), ws.office_contact
    found = reminders(status, round_.fy, dt.date.fromisoformat(round_.deadline), form.title, office, contact,
                      today or dt.date.today())
    found += correction_reminders(status, round_.fy, form.title, office, contact)
    folder = ws.out_dir / round_.round_id
    path = folder / "催促文.txt"
    with atomic_path(path) as tmp:
        tmp.write_text("\n\n".join(f"宛先: {r.to}\n件名: {r.subject}\n\n{r.body}" for r in found)
                       or "未提出・要修正の課はありません。\n", encoding="utf-8")
    forms = {r["section_code"]: ws.distributed_form(folder / "配布" / r["file_name"], r["form_sha256"])
             for r in rr.round_sections(ws.conn, round_.round_id)}
    fixes = [r.section_code for r in found if r.kind == L.STATUS_NEEDS_FIX]
    sent_back = sendback(ws, round_, progress, fixes).files if fixes else {}
    drafts = folder / "催促メール"
    for index, r in enumerate(found):
        progress.status(f"催促メールを作成中 ({index + 1}/{len(found)}): {r.subject}")
        attachment = sent_back.get(r.section_code) if r.kind == L.STATUS_NEEDS_FIX else forms.get(r.section_code)
        write_draft(drafts, r, ws.setting("office_mail"), office,
                    attachment if attachment is not None and attachment.is_file() else None)
    status_list_pdf(folder / "回収状況.pdf", status, f"{wareki(round_.fy)} {form.title}",
                    dt.date.fromisoformat(round_.deadline), {r.section_code: r.kind for r in found},
                    ws.setting("negative_style") or "△")
    return path, found


PACKS = ("hq", "public", "audit")
SENDBACK_FOLDER = "差戻し"  # inside the round's output set


@dataclass
class PackResult:
    pack: str
    xlsx: Path
    pdf: Path


def make_pack(ws: Workspace, round_: rr.Round, pack: str, progress: Progress | None = None,
              data: RoundData | None = None) -> PackResult:
    """<pack>.xlsx and <pack>.pdf (hq: 本部会議, public: 公表, audit: 監査) in the round's output set
    (out/<round>/集約/), from one dataset; both replace the previous two together, or neither does."""
    from dxdesk.outputs.pack_pdf import write_pack_pdf
    from dxdesk.outputs.packs import PACK_TITLES, write_pack_xlsx

    if pack not in PACKS:
        raise DxdeskError(f"資料の種類は {' / '.join(PACKS)} のどれかです: {pack}")
    progress = progress or NullProgress()
    progress.status(f"{PACK_TITLES[pack]}のデータを集めています")
    data = data or round_data(ws, round_)
    folder = ws.out_dir / round_.round_id
    names = [f"{pack}.xlsx", f"{pack}.pdf"]
    progress.fraction(0.1)
    with output_set(folder, names.__contains__) as fresh:
        progress.status(f"{PACK_TITLES[pack]}（Excel）を書き出し中")
        write_pack_xlsx(fresh / names[0], data, pack)
        progress.fraction(0.5)
        progress.status(f"{PACK_TITLES[pack]}（PDF）を書き出し中")
        write_pack_pdf(fresh / names[1], data, pack, progress)
    progress.fraction(1.0)
    return PackResult(pack, folder / SET_FOLDER / names[0], folder / SET_FOLDER / names[1])


@dataclass
class SendbackResult:
    folder: Path
    files: dict[str, Path] = field(default_factory=dict)   # section code → workbook


def sendback(ws: Workspace, round_: rr.Round, progress: Progress | None = None,
             sections: list[str] | None = None) -> SendbackResult:
    """For each section whose latest return has an error or a warning to review (要修正 / 提出済): a send-back
    workbook in the round's output set (out/<round>/集約/差戻し/) — its form with its values, the cells with a
    finding marked and commented, an エラー一覧 sheet first, stamped as the same round and section (a corrected
    return is a re-submission). The folder is replaced as a whole: a section fixed since keeps no stale
    workbook. Given `sections`, only theirs are written and replaced."""
    from dxdesk.outputs.sendback import sendback_filename, write_sendback

    progress = progress or NullProgress()
    plan = with_history(ws.conn, require_plan(ws), round_.round_id)
    form = form_for(round_.form_kind, round_.grade_scale)
    info = round_info(ws, round_)
    found = current_findings(ws.conn, round_.round_id)
    by_section = group_by(found, "section")
    targets = [s for s in statuses(ws, round_, plan, found)
               if s.status in (L.STATUS_NEEDS_FIX, L.STATUS_RETURNED) and (sections is None or s.section.code in sections)]
    folder = ws.out_dir / round_.round_id
    result = SendbackResult(folder / SET_FOLDER / SENDBACK_FOLDER)
    mine = {f"{SENDBACK_FOLDER}/{sendback_filename(form, info, plan.sections[c])}" for c in sections or ()
            if c in plan.sections}
    owns = (lambda name: name.startswith(f"{SENDBACK_FOLDER}/")) if sections is None else mine.__contains__
    with output_set(folder, owns) as fresh:
        for index, status in enumerate(targets):
            if progress.cancelled():
                raise Cancelled()
            code = status.section.code
            progress.status(f"差戻しのブックを作成中 ({index + 1}/{len(targets)}): {status.section.name}")
            sub = rr.latest_submission(ws.conn, round_.round_id, code)
            items = [f for f in by_section.get(code, []) if f.blocking or f.severity == "WARN"]
            written = write_sendback(fresh / SENDBACK_FOLDER, form, plan, plan.sections[code], info,
                                     rr.load_values(ws.conn, sub.submission_id), items,
                                     f"{wareki(round_.fy)} {form.title}")
            result.files[code] = result.folder / written.name
            progress.fraction((index + 1) / len(targets))
    return result
