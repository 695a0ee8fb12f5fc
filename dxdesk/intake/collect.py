"""Collect returned workbooks: decide what to read (pure), then archive, identify, read, check, store."""
from __future__ import annotations

import re
import logging
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator

from dxdesk.errors import DxdeskError, is_disk_full
from dxdesk.forms.definition import FORMS, form_for
from dxdesk.forms.rows import ROW_SOURCES
from dxdesk.intake.archive import archive_file
from dxdesk.intake.decrypt import SETTING as PASSWORDS_SETTING, passwords_of
from dxdesk.intake.parse import Parser
from dxdesk.intake.readpool import Read, ReadContext, RowKeys, read_returns
from dxdesk.intake.saved import SavedTime
from dxdesk.intake.sniff import sniff
from dxdesk.intake.structure import structure_findings
from dxdesk.plan.model import Plan
from dxdesk.progress import Cancelled, NullProgress, Progress
from dxdesk.rules.library import SUBMISSION_RULES, UNCHANGED
from dxdesk.intake.history import with_history
from dxdesk.rules.book import RuleBook
from dxdesk.rules.engine import CheckContext, apply_book, run_rules
from dxdesk.rules.findings import Finding, make
from dxdesk.store import rounds_repo as rr
from dxdesk.store.findings_repo import insert_findings
from dxdesk.store.waivers_repo import carry_over
from dxdesk.store.rulebook_repo import current_rulebook, rulebook_version
from dxdesk.store.workspace import Workspace, now_iso

log = logging.getLogger(__name__)
RESUBMIT_HINT = "配布した様式（.xlsx）に記入して提出し直すよう、担当課に依頼してください。"
FORMAT_NAMES = {"xls": "旧形式の Excel ブック（.xls）", "ods": "OpenDocument 形式（.ods）"}
SKIP_NAMES = {"thumbs.db", "desktop.ini", ".ds_store"}
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")
STRAY_KINDS = {".txt": "テキストファイル", ".csv": "CSV ファイル", ".pdf": "PDF", ".zip": "zip 圧縮ファイル",
               ".docx": "Word 文書", ".doc": "Word 文書", ".msg": "メール", ".eml": "メール",
               ".png": "画像", ".jpg": "画像", ".jpeg": "画像"}
OTHER_KINDS = {".csv": "CSV ファイルです", ".pdf": "PDF です", ".zip": "zip 圧縮ファイルです"}


@dataclass
class CollectionPlan:
    round_id: str
    files: list[Path] = field(default_factory=list)
    skipped: list[tuple[Path, str]] = field(default_factory=list)


@dataclass
class FileOutcome:
    path: Path
    outcome: str            # 取込 / 再提出 / 取込済み / 要確認
    section_code: str = ""
    errors: int = 0
    warnings: int = 0
    message: str = ""


@dataclass
class CollectionResult:
    outcomes: list[FileOutcome] = field(default_factory=list)
    skipped: list[tuple[Path, str]] = field(default_factory=list)


def _candidates(paths: list[Path]) -> list[Path]:
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found += sorted(p for p in path.rglob("*") if p.is_file())
        else:
            found.append(path)
    return found


def _not_a_workbook(path: Path) -> str:
    """Why a file with another extension (メモ.txt, 回答.pdf) is not read — it is no section's return, so not an
    error of the round; '' when it is a workbook after all (a return renamed .pdf is read, and told)."""
    sniffed = sniff(path)
    if sniffed.ok:
        return ""
    what = STRAY_KINDS.get(path.suffix.lower(), f"拡張子 {path.suffix or '（なし）'} のファイル")
    return (f"Excel ブックではない{what}のため読みません。課の提出物なら、配布した様式（.xlsx）に記入して"
            "提出し直すよう依頼してください。")


def plan_collection(round_id: str, paths: list[Path]) -> CollectionPlan:
    """Which files will be read and which are skipped (Excel lock files, Thumbs.db …), with the reason."""
    plan = CollectionPlan(round_id)
    for path in _candidates([Path(p) for p in paths]):
        name = path.name
        if name.startswith("~$"):
            plan.skipped.append((path, "Excel が開いている間に作る一時ファイル（~$）のため読みません。"))
        elif name.lower() in SKIP_NAMES or name.startswith("."):
            plan.skipped.append((path, "システムファイルのため読みません。"))
        elif not path.exists():
            plan.skipped.append((path, "ファイルがありません。"))
        elif path.suffix.lower() not in WORKBOOK_SUFFIXES and (stray := _not_a_workbook(path)):
            plan.skipped.append((path, stray))
        else:
            plan.files.append(path)
    return plan


class NothingToCollect(DxdeskError):
    """What was given holds no workbook to read (an empty folder, only a CSV): refused, never 「0 件を処理しました」.
    `skipped`: the files that were there and why each is not read."""

    def __init__(self, paths: list[Path], skipped: list[tuple[Path, str]]) -> None:
        super().__init__(f"{'、'.join(str(p) for p in paths)} に取り込める様式（{'・'.join(WORKBOOK_SUFFIXES)}）が"
                         "ありませんでした。返送されたブックを保存したフォルダかファイルを指定してください。")
        self.skipped = skipped


def prepare_collection(round_id: str, paths: list[Path]) -> CollectionPlan:
    """What will be read, for a round and a 全庁照会 alike. A path that does not exist, or nothing readable in what
    was given, is an error: a typo or the wrong folder must not look like an inbox with nothing new."""
    missing = [str(p) for p in paths if not Path(p).exists()]
    if missing:
        raise DxdeskError("指定したフォルダ・ファイルがありません: " + "、".join(missing))
    plan = plan_collection(round_id, paths)
    if not plan.files:
        raise NothingToCollect(paths, plan.skipped)
    return plan


@dataclass
class Checker:
    """What every file of one collection is checked against: plan, round, rule book, history."""

    plan: Plan
    round_: rr.Round
    book: RuleBook
    history: dict
    version: str = ""
    passwords: tuple[str, ...] = field(default=(), repr=False)  # collection passwords: never shown or logged

    @classmethod
    def for_round(cls, ws: Workspace, plan: Plan, round_: rr.Round) -> "Checker":
        book = current_rulebook(ws.conn)
        with ws.conn:
            version = rulebook_version(ws.conn, book, now_iso())
        plan = with_history(ws.conn, plan, round_.round_id)  # as the forms were pre-filled (前年度実績)
        return cls(plan, round_, book, {(h.kpi_id, h.fy): h.value for h in plan.history}, version,
                   passwords_of(ws.setting(PASSWORDS_SETTING)))


def collect(ws: Workspace, plan: Plan, round_: rr.Round, job: CollectionPlan,
            progress: Progress | None = None) -> CollectionResult:
    """Archive, identify, read, check and store each file; one transaction per file."""
    ws.require_writable()
    progress = progress or NullProgress()
    checker = Checker.for_round(ws, plan, round_)
    result = CollectionResult(skipped=list(job.skipped))
    total = max(1, len(job.files))
    with closing(stage_returns(ws, round_.round_id, job.files, read_context(checker))) as staged:
        for index, (path, item) in enumerate(zip(job.files, staged)):
            if progress.cancelled():
                raise Cancelled()
            progress.status(f"取り込み中 ({index + 1}/{len(job.files)}): {path.name}")
            result.outcomes.append(_collect_one(ws, checker, path, item))
            progress.fraction((index + 1) / total)
    return result


@dataclass
class Staged:
    """One file archived (here) and read (in a reader process), ready to be checked and stored."""

    sha: str = ""
    archived: Path | None = None
    size: int = 0
    problem: str = ""        # why the original could not be archived
    read: Read | None = None


def stage_returns(ws: Workspace, round_id: str, paths: list[Path], context: ReadContext) -> Iterator[Staged]:
    """Archive each file, then read it in the reader pool, a few files ahead of the one being stored (the round's
    and an inquiry's intake: `round_id` is the round's or the inquiry's id)."""
    items: list[Staged] = []

    def to_read() -> Iterator[Path | None]:
        for path in paths:
            try:
                sha, archived, size = archive_file(path, ws.archive_dir)
            except OSError as exc:
                if is_disk_full(exc):  # every file after this one would fail too: stop with the message
                    raise
                items.append(Staged(problem=f"{path.name}: 読み込めません（{_os_reason(exc)}）。"))
                yield None
                continue
            items.append(Staged(sha, archived, size))
            yield None if rr.find_submission(ws.conn, round_id, sha) else archived

    for index, read in enumerate(read_returns(to_read(), context)):
        items[index].read = read
        yield items[index]


def _collect_one(ws: Workspace, checker: Checker, path: Path, staged: Staged) -> FileOutcome:
    round_ = checker.round_
    if staged.problem:
        return FileOutcome(path, "要確認", message=staged.problem)
    if staged.read is None or rr.find_submission(ws.conn, round_.round_id, staged.sha):
        return already_collected(path)
    checked = read_and_check(checker, path.name, staged.archived, staged.read)
    saved = SavedTime.of(staged.archived, path, checker.passwords, staged.read.saved_at)  # read with the file
    archived_as = (staged.sha, staged.archived, staged.size)
    outcome, _ = store_return(ws, round_.round_id, checker.version, path, archived_as, checked, saved,
                              lambda section: settle(ws, checker, section))
    return outcome


def already_collected(path: Path) -> FileOutcome:
    return FileOutcome(path, "取込済み", message=f"{path.name}: 同じ内容のファイルを取り込み済みです。")


def store_return(ws: Workspace, round_id: str, version: str, path: Path, archived_as: tuple[str, Path, int],
                 checked: tuple[list[Finding], dict, str | None], saved: SavedTime,
                 settle_section: Callable[[str], list[rr.Submission]]) -> tuple[FileOutcome, list[rr.Submission]]:
    """Store one checked return (a round's or a 全庁照会's) in one transaction: the original kept, the submission
    with its values and findings, then `settle_section(section)` → all the section's files, latest last.
    Returns its outcome and those files ([] when the file was just stored by another PC, or names no section)."""
    sha, archived, size = archived_as
    findings, values, section = checked
    with ws.conn:
        ws.conn.lock(f"round:{round_id}")  # a shared workspace: another PC may collect this round now
        if rr.find_submission(ws.conn, round_id, sha):  # …and may just have stored this very file
            return already_collected(path), []
        when = now_iso()
        ws.keep_original(sha, archived)
        rr.record_file(ws.conn, sha, size, str(archived.relative_to(ws.root)), path.name, when)
        sub_id = rr.insert_submission(ws.conn, round_id, section, sha, path.name, str(path), when, version,
                                      saved.saved_at, saved.mtime)
        rr.insert_values(ws.conn, sub_id, values)
        insert_findings(ws.conn, findings, "submission", round_id, sub_id)
        subs = settle_section(section) if section else []
    errors = sum(f.severity == "ERR" for f in findings)
    message = next((f.message for f in findings if f.severity == "ERR"), "")
    if subs and subs[-1].sha256 != sha:  # collected after a file the section saved later
        message = (f"{path.name}: 保存日時が {subs[-1].file_name} より前のため、最新の提出としては扱いません"
                   "（履歴に残します）。") + message
    return FileOutcome(path, "再提出" if len(subs) > 1 else ("取込" if section else "要確認"), section or "",
                       errors, sum(f.severity == "WARN" for f in findings), message), subs


def settle(ws: Workspace, checker: Checker, section: str) -> list[rr.Submission]:
    """After a file of `section` is stored (inside its transaction): which of all the section's files in the
    round is latest, and the section-level findings (R1 on the latest, naming the one it replaced) — a function
    of the files received, whatever batches they came in. Waivers follow a new latest when its cells match."""
    round_id = checker.round_.round_id
    subs, before = rr.settle_section(ws.conn, round_id, section)
    ids = [s.submission_id for s in subs]
    ws.conn.execute(f"DELETE FROM findings WHERE scope = 'section' AND submission_id IN ({','.join('?' * len(ids))})",
                    ids)
    latest = subs[-1]
    if len(subs) > 1:
        r1 = make("R1", file=latest.file_name, section=section, value=subs[-2].file_name,
                  section_name=checker.plan.sections[section].name)
        insert_findings(ws.conn, apply_book([r1], checker.book), "section", round_id, latest.submission_id)
    if before is not None and before != latest.submission_id:
        carry_over(ws.conn, before, latest.submission_id)
    return subs


def _os_reason(exc: OSError) -> str:
    if isinstance(exc, PermissionError):
        return "ほかのプログラムで開かれているか、読み取り権限がありません。閉じてからもう一度取り込んでください"
    return str(exc) or exc.__class__.__name__


def read_and_check(checker: Checker, name: str, archived: Path, read: Read | None = None):
    """(findings, parsed values, section code or None) for one archived file read by the reader pool (read here
    when not given), with the rule book applied (rules switched off dropped, severities as configured) on every
    path out."""
    if read is None:
        (read,) = read_returns([archived], read_context(checker))
    try:
        findings, values, section = _read_and_check(checker, name, archived, read)
    except Exception as exc:  # a bug met by one odd file must not stop the round: that file gets R3, logged
        log.exception("checking %s failed", name)
        findings, values, section = [make("R3", file=name, reason=(
            f"点検中に想定外のエラーが起きました（{exc.__class__.__name__}）。このファイルは取り込んでいません。"),
            expected_hint="開発担当にログを添えて連絡してください。担当課には Excel で開いて保存し直したファイルを依頼してください。")], {}, None
    return apply_book(findings, checker.book), values, section


def _read_and_check(checker: Checker, name: str, archived: Path, read: Read):
    plan, round_ = checker.plan, checker.round_
    suffix = Path(name).suffix.lower()
    sniffed = read.sniffed  # (an encrypted return was opened in the reader process, with the passwords)
    if not sniffed.ok:
        return [make(sniffed.code, file=name, reason=sniffed.reason, expected_hint=sniffed.hint,
                     expected=".xlsx")], {}, None
    if suffix not in WORKBOOK_SUFFIXES and sniffed.kind == "xlsx":
        kind = OTHER_KINDS.get(suffix, f"拡張子 {suffix or '（なし）'} のファイルです")
        return [make("S1", file=name, reason=f"{kind}。", expected_hint=RESUBMIT_HINT)], {}, None
    book = read.book
    if book is None:
        what = f"{FORMAT_NAMES[sniffed.kind]}として" if sniffed.kind in FORMAT_NAMES else ""
        return [make("R3", file=name, reason=f"{what}{read.error}。",
                     expected_hint="ファイルが壊れていないか、パスワードが付いていないか担当課に確認してください。")], {}, None
    if book.stamp is None:
        what = f"{FORMAT_NAMES[sniffed.kind]}で、" if sniffed.kind in FORMAT_NAMES else ""
        return [make("S1", file=name, reason=f"{what}照会ID などの識別情報（スタンプ）がありません。別の様式か、"
                     "様式の内容を新しいブックに貼り付けた可能性があります。", expected_hint=RESUBMIT_HINT)], {}, None
    stamp = book.stamp
    form = form_for(stamp.form_kind, round_.grade_scale) if stamp.form_kind in FORMS else None
    if stamp.round_id != round_.round_id:
        return [make("S2", file=name, reason="別の照会の様式です", value=stamp.round_id,
                     expected=round_.round_id)], {}, None
    if form is None or stamp.template_version != round_.template_version:
        return [make("S2", file=name, reason="様式の版が違います", value=stamp.template_version,
                     expected=round_.template_version)], {}, None
    if stamp.section_code not in plan.sections:
        return [make("S3", file=name, reason=f"様式の課コード {stamp.section_code} が計画マスタにありません。")], {}, None
    section = stamp.section_code
    parser = Parser(plan, name, section, round_.fy)
    values = parser.parse(book, form)
    structure = structure_findings(book, form, plan, round_.fy, name, section)
    if sniffed.kind != "xlsx":
        structure.append(make("S10", file=name, section=section, value=FORMAT_NAMES[sniffed.kind]))
    named = sections_named(plan, name)
    if named and section not in named:
        label = "、".join(f"{code} {plan.sections[code].name}" for code in named)
        structure.append(make("S13", file=name, section=section, value=label,
                              expected=f"{section} {plan.sections[section].name}"))
    ctx = CheckContext(plan, form, round_.fy, name, section, values, checker.book, checker.history)
    unchanged = run_rules(ctx, [UNCHANGED])
    if unchanged:  # one clear message instead of an error for every empty cell
        return unchanged, values, section
    return structure + parser.findings + run_rules(ctx, SUBMISSION_RULES), values, section


def sections_named(plan: Plan, file_name: str) -> list[str]:
    """The sections a file name names, by code (a whole token: S02, not S021) or by name (情報政策課)."""
    stem = Path(file_name).stem
    return [code for code, s in plan.sections.items()
            if re.search(rf"(?<![A-Za-z0-9]){re.escape(code)}(?![A-Za-z0-9])", stem) or (s.name and s.name in stem)]


def read_context(checker: Checker) -> ReadContext:
    """What a reader process needs besides the file: the plan's row keys and the collection passwords."""
    return ReadContext(plan_row_keys(checker.plan, checker.round_.fy), checker.passwords)


def plan_row_keys(plan: Plan, fy: int) -> RowKeys:
    """The row keys each section's distributed form had, rebuilt from the round's plan, for a return whose
    stamp sheet was deleted (read in a reader process, which has no plan: so all of them, computed once)."""
    return {(kind, code): {s.key: tuple(s.key_of(r) for r in ROW_SOURCES[s.key](plan, code, fy)) for s in form.sheets}
            for kind, form in FORMS.items() for code in plan.sections}


def recheck(ws: Workspace, plan: Plan, round_: rr.Round, progress: Progress | None = None) -> int:
    """Re-run the current rule book over the latest submission of every section (from the archive)."""
    ws.require_writable()
    progress = progress or NullProgress()
    checker = Checker.for_round(ws, plan, round_)
    latest = list(rr.latest_submissions(ws.conn, round_.round_id).values())
    rows = [ws.conn.execute("SELECT archived_path FROM files WHERE sha256 = ?", (sub.sha256,)).fetchone()
            for sub in latest]
    originals = [ws.original(sub.sha256, row[0]) for sub, row in zip(latest, rows)]
    reads = read_returns(originals, read_context(checker))
    for index, (sub, original, read) in enumerate(zip(latest, originals, reads)):
        progress.status(f"再点検中 ({index + 1}/{len(latest)}): {sub.file_name}")
        findings, values, _ = read_and_check(checker, sub.file_name, original, read)
        with ws.conn:
            ws.conn.lock(f"round:{round_.round_id}")
            when, version = now_iso(), checker.version
            ws.conn.execute("DELETE FROM findings WHERE submission_id = ? AND scope = 'submission'",
                            (sub.submission_id,))
            insert_findings(ws.conn, findings, "submission", round_.round_id, sub.submission_id)
            settle(ws, checker, sub.section_code)  # the section-level findings, under the current rule book
            rr.replace_check(ws.conn, sub.submission_id, values, version, when)
        progress.fraction((index + 1) / max(1, len(latest)))
    return len(latest)
