"""What the auditor pack needs beyond the round dataset: every finding of every submission with how it was
resolved, and each measure's budget lines with where each value came from."""
from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from dxdesk.forms.definition import BUDGET_LINES, KEY_SEP
from dxdesk.outputs.numfmt import timestamp
from dxdesk.store import rounds_repo as rr
from dxdesk.store.findings_repo import submission_findings


@dataclass(frozen=True)
class TrailItem:
    """One finding of one submission and what became of it."""
    section: str
    file: str
    received_at: str
    sha256: str
    code: str
    severity: str
    sheet: str
    cell: str
    row_key: str
    message: str
    resolution: str


def _key(f) -> tuple[str, str, str]:
    return (f.code, f.sheet, f.cell)


def finding_trail(conn: sqlite3.Connection, round_: rr.Round, accepted: dict[str, str]) -> list[TrailItem]:
    """Every finding of every submission of the round, with its resolution: 解消 (gone in the re-submission
    that replaced the file), 免除 (who, when, why), 受理時に確認 (a warning of an accepted return), 未解決."""
    subs = rr.all_submissions(conn, round_.round_id)
    by_id = {s.submission_id: s for s in subs}
    found = {s.submission_id: submission_findings(conn, s.submission_id) for s in subs}
    items = []
    for sub in subs:
        later = by_id.get(sub.superseded_by) if sub.superseded_by else None
        later_keys = {_key(f) for f in found.get(later.submission_id, [])} if later else set()
        for f in found[sub.submission_id]:
            if later is not None:
                resolution = (f"再提出後も残る（{later.file_name}）" if _key(f) in later_keys
                              else f"解消: 再提出 {later.file_name}（{timestamp(later.received_at)}）で修正")
            elif f.waiver:
                resolution = f.waiver
            elif f.severity == "ERR":
                resolution = "未解決（差戻し中）"
            elif f.severity == "WARN" and sub.section_code in accepted:
                resolution = f"受理時に確認: {accepted[sub.section_code]}"
            elif f.severity == "WARN":
                resolution = "確認待ち"
            else:
                resolution = "情報（対応不要）"
            items.append(TrailItem(sub.section_code or "", sub.file_name, sub.received_at, sub.sha256, f.code,
                                   f.severity, f.sheet, f.cell, f.row_key, f.message, resolution))
    return items


def accepted_by(conn: sqlite3.Connection, round_: rr.Round) -> dict[str, str]:
    """Section → who accepted it and when."""
    return {r["section_code"]: f"{r['accepted_by']}（{timestamp(r['accepted_at'])}）"
            for r in rr.round_sections(conn, round_.round_id) if r["accepted_at"]}


@dataclass(frozen=True)
class BudgetLine:
    measure_id: str
    budget_class: str     # 科目 / 計 / 財源
    item: str
    budget: float | None
    settlement: float | None
    cell: str             # 予算・決算!E12 (the budget cell)


def budget_lines(conn: sqlite3.Connection, round_: rr.Round) -> dict[str, list[BudgetLine]]:
    """Measure → its 科目, 事業費計 and 財源 lines as returned (latest submission)."""
    lines: dict[str, list[BudgetLine]] = {}
    classes = {item: kind for kind, item in BUDGET_LINES}
    order = {item: i for i, (_, item) in enumerate(BUDGET_LINES)}
    for _section, rows in rr.latest_values(conn, round_.round_id, "budget").items():
        for key, row in rows.items():
            measure_id, _, item = key.partition(KEY_SEP)
            budget, settlement = row.get("budget"), row.get("settlement")
            where = budget or settlement
            lines.setdefault(measure_id, []).append(BudgetLine(
                measure_id, classes.get(item, ""), item,
                budget.num if budget else None, settlement.num if settlement else None,
                f"{where.sheet}!{where.cell}" if where else ""))
    for items in lines.values():
        items.sort(key=lambda line: order.get(line.item, 99))
    return lines
