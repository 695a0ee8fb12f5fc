"""What the window shows about a round, as plain data: its state, each section's submission history, the
distributed forms and the files in the output folder. No Qt here; ui/ only presents these."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from dxdesk import labels as L
from dxdesk.intake.archive import archived_path
from dxdesk.intake.remind import business_days_between
from dxdesk.intake.status import SectionStatus
from dxdesk.plan.model import Plan, Section, in_section_order
from dxdesk.rules.findings import count_by
from dxdesk.store import rounds_repo as rr
from dxdesk.store.findings_repo import submission_findings
from dxdesk.store.workspace import Workspace


@dataclass(frozen=True)
class RoundState:
    """The counts the window keeps in sight: returned / missing / to correct, errors, deadline, days left."""

    sections: int
    returned: int
    missing: int
    to_correct: int
    accepted: int
    errors: int
    deadline: dt.date
    days_left: int     # working days from today up to the deadline (0 on the day itself)
    days_late: int     # working days past the deadline (0 before it)

    @property
    def deadline_text(self) -> str:
        if self.days_late:
            return f"締切を {self.days_late} 営業日過ぎています"
        if self.days_left:
            return f"締切まで {self.days_left} 営業日"
        return "本日が締切です"


def round_state(statuses: list[SectionStatus], round_: rr.Round, today: dt.date | None = None) -> RoundState:
    today = today or dt.date.today()
    deadline = dt.date.fromisoformat(round_.deadline)
    by_status = count_by(statuses, "status")
    missing = by_status.get(L.STATUS_NOT_RETURNED, 0)
    return RoundState(
        sections=len(statuses), returned=len(statuses) - missing, missing=missing,
        to_correct=by_status.get(L.STATUS_NEEDS_FIX, 0), accepted=by_status.get(L.STATUS_ACCEPTED, 0),
        errors=sum(s.errors for s in statuses), deadline=deadline,
        days_left=business_days_between(today, deadline) if today < deadline else 0,
        days_late=business_days_between(deadline, today) if today > deadline else 0)


@dataclass(frozen=True)
class HistoryEntry:
    """One file a section sent in this round, newest first; `original` is the archived copy, never modified."""

    submission_id: int
    file_name: str
    received_at: str
    latest: bool
    errors: int
    warnings: int
    original: Path
    source_path: str


def section_history(ws: Workspace, round_id: str, section_code: str) -> list[HistoryEntry]:
    subs = [s for s in rr.all_submissions(ws.conn, round_id) if s.section_code == section_code]
    result = []
    for sub in reversed(subs):
        found = [f for f in submission_findings(ws.conn, sub.submission_id) if f.severity != "ERR" or f.blocking]
        counts = count_by(found, "severity")
        result.append(HistoryEntry(sub.submission_id, sub.file_name, sub.received_at, sub.superseded_by is None,
                                   counts.get("ERR", 0), counts.get("WARN", 0), original_path(ws, sub.sha256,
                                                                                              sub.file_name),
                                   sub.source_path or ""))
    return result


def original_path(ws: Workspace, sha256: str, file_name: str) -> Path:
    row = ws.conn.execute("SELECT archived_path FROM files WHERE sha256 = ?", (sha256,)).fetchone()
    if row and row[0] and ws.shared:
        return ws.original(sha256, row[0])  # from the database when this PC has no verified copy
    if row and row[0]:
        stored = Path(row[0])
        return stored if stored.is_absolute() else ws.root / stored
    return archived_path(ws.archive_dir, sha256, Path(file_name).suffix)


@dataclass(frozen=True)
class DistributedForm:
    section: Section
    file_name: str
    distributed_at: str
    path: Path

    @property
    def exists(self) -> bool:
        return self.path.is_file()


def distribution_folder(ws: Workspace, round_id: str) -> Path:
    return ws.out_dir / round_id / "配布"


def distributed_forms(ws: Workspace, plan: Plan, round_: rr.Round) -> list[DistributedForm]:
    """The reporting sections with the form each was sent (empty file name: not distributed yet)."""
    sent = {r["section_code"]: r for r in rr.round_sections(ws.conn, round_.round_id)}
    folder = distribution_folder(ws, round_.round_id)
    codes = in_section_order(plan.sections, sent) or [s.code for s in plan.reporting_sections()]
    result = []
    for code in codes:
        row = sent.get(code)
        name = (row["file_name"] or "") if row else ""
        result.append(DistributedForm(plan.sections.get(code) or Section(code, code), name,
                                      (row["distributed_at"] or "") if row else "", folder / name))
    return result


@dataclass(frozen=True)
class OutputFile:
    path: Path
    size: int
    modified: str
    name: str   # relative to the round's output folder: 集約/hq.pdf, 集約/集約_FY2023-1.xlsx, 集約/差戻し/….xlsx


def output_files(folder: Path) -> list[OutputFile]:
    """The files in a round's output folder and its sub-folders (the 集約 set with its 差戻し, 催促メール …),
    not the distributed forms and not temporary or left-over files; newest first."""
    if not folder.is_dir():
        return []
    candidates = list(folder.iterdir())
    for sub in candidates:  # grows while walked: each sub-folder's entries are walked in turn
        if sub.is_dir() and sub.name != "配布" and not sub.name.startswith("."):
            candidates += list(sub.iterdir())
    found = []
    for path in candidates:
        if path.is_file() and not path.name.startswith((".~dxdesk-", "~$", ".")):
            stat = path.stat()
            found.append(OutputFile(path, stat.st_size,
                                    dt.datetime.fromtimestamp(stat.st_mtime).isoformat(timespec="seconds"),
                                    path.relative_to(folder).as_posix()))
    return sorted(found, key=lambda f: (f.modified, f.name), reverse=True)


def ensure_folder(folder: Path) -> Path:
    """An output folder the user asks to open is made if it does not exist yet (it is only ever ours)."""
    folder.mkdir(parents=True, exist_ok=True)
    return folder
