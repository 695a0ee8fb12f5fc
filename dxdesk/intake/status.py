"""Who has returned: one line per section of the round, with its latest file and finding counts."""
from __future__ import annotations

import datetime as dt
import sqlite3
from dataclasses import dataclass

from dxdesk import labels as L
from dxdesk.errors import DxdeskError
from dxdesk.outputs.numfmt import timestamp
from dxdesk.plan.model import Plan, Section, in_section_order
from dxdesk.rules.findings import Finding, count_by, group_by, make, severity_counts
from dxdesk.store import rounds_repo as rr
from dxdesk.years import format_date_jp


@dataclass(frozen=True)
class SectionStatus:
    section: Section
    status: str
    file_name: str = ""
    received_at: str = ""
    errors: int = 0
    warnings: int = 0
    infos: int = 0
    submissions: int = 0
    rulebook_version: str = ""  # the rule book the latest file was checked with


def section_statuses(conn: sqlite3.Connection, plan: Plan, round_: rr.Round,
                     current: list[Finding]) -> list[SectionStatus]:
    """One line per section; `current` are the round's current findings (current_findings), counted here."""
    by_section = group_by(current, "section")
    distributed = {r["section_code"]: r for r in rr.round_sections(conn, round_.round_id)}
    latest = rr.latest_submissions(conn, round_.round_id)
    counts = count_by([s for s in rr.all_submissions(conn, round_.round_id) if s.section_code], "section_code")
    result = []
    for code in in_section_order(plan.sections, distributed) or [s.code for s in plan.reporting_sections()]:
        section = plan.sections.get(code) or Section(code, code)
        sub = latest.get(code)
        if sub is None:
            result.append(SectionStatus(section, L.STATUS_NOT_RETURNED))
            continue
        found = by_section.get(code, [])
        severities = severity_counts(found)
        accepted = bool(distributed.get(code) and distributed[code]["accepted_at"])
        result.append(SectionStatus(section, rr.section_status(severities, accepted), sub.file_name,
                                    sub.received_at, severities.get("ERR", 0), severities.get("WARN", 0),
                                    severities.get("INFO", 0), counts.get(code, 0), sub.rulebook_version or ""))
    return result



def refuse_accepting_again(conn: sqlite3.Connection, round_id: str, section_code: str, name: str) -> None:
    """Accepting a section accepted by hand already is said and refused (a round's and a 全庁照会's alike): it
    would do nothing but overwrite who accepted it and when."""
    if done := rr.accepted(conn, round_id, section_code):
        who, when = done
        raise DxdeskError(f"{name} は既に受理済みです（{who}、{timestamp(when)}）。受理し直す必要はありません"
                          "（再提出があれば、その提出をあらためて受理できます）。")


def overdue_findings(statuses: list[SectionStatus], round_: rr.Round, today: dt.date) -> list[Finding]:
    """R2: sections not returned once the deadline has passed."""
    deadline = dt.date.fromisoformat(round_.deadline)
    if today <= deadline:
        return []
    return [make("R2", section=s.section.code, section_name=s.section.name, expected=format_date_jp(deadline),
                 person=s.section.person, email=s.section.email)
            for s in statuses if s.status == L.STATUS_NOT_RETURNED]
