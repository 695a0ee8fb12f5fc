"""Column definitions for the tables dxdesk prints: label, width, number format and the readers who see it.

A table is a list of Column; the value of a row comes from `Column.get(row)`, the cell format from the
column's kind (never from its position), and each reader (office, hq, public, audit) chooses its columns."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from dxdesk.labels import LABELS as L
from dxdesk.outputs.numfmt import DEFAULT_NEGATIVE, excel_format, excel_integer, timestamp

OFFICE, HQ, PUBLIC, AUDIT = "office", "hq", "public", "audit"
EVERYONE = frozenset({OFFICE, HQ, PUBLIC, AUDIT})

KINDS = ("text", "number", "integer", "percent", "points", "thousand_yen")


def number_format(kind: str, negative: str = DEFAULT_NEGATIVE, value=None) -> str | None:
    """The Excel number format of a column kind (numfmt's conventions: no .0 on whole numbers, negatives as
    the office prints them); `value` lets a number column show 12 rather than 12.0."""
    neg = (lambda f: f) if negative == "-" else (lambda f: f'{f};"{negative}"{f}')
    if kind == "text":
        return None
    if kind == "number":
        return excel_format(value if isinstance(value, (int, float)) else None, negative=negative)
    if kind in ("integer", "thousand_yen"):
        return excel_integer(negative)
    if kind == "percent":
        return neg("0.0%")
    if kind == "points":
        return neg('0.0"pt"')
    raise KeyError(kind)


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    width: float
    kind: str = "text"
    get: Callable[[object], object] = lambda row: None
    readers: frozenset = EVERYONE
    printed: bool = True  # False: on screen only (kept at the right, outside the print area)



def for_reader(columns: list[Column], reader: str) -> list[Column]:
    """The reader's columns, printed ones first (so the print area is one block from column A)."""
    chosen = [c for c in columns if reader in c.readers]
    return [c for c in chosen if c.printed] + [c for c in chosen if not c.printed]


def _or_text(value, text):
    return value if value is not None else (text or None)


def _diff(r):
    if r.actual is None or r.previous is None:
        return None
    return r.actual - r.previous


def kpi_columns(level_names: tuple[str, ...], plan=None) -> list[Column]:
    """The KPI list (施策・指標一覧): one row per KPI record (outputs.dataset.KpiRecord with `previous`).
    A plan with KPIs on several levels (課題 and プロジェクト) or with 工程 marks (○ ⇒ …) shows the level before
    the parent's name (【課題】…), 進捗状況 with the city's ○/△, and 工程 (on screen, right of the print area);
    other plans' lists stay as narrow as before (A3 at 8 pt or more)."""
    levels = [Column(f"level{i}", name, 12 if i == 0 else 16, get=lambda r, i=i: _level(r, i),
                     readers=EVERYONE if i == 0 else frozenset({OFFICE, AUDIT}))
              for i, name in enumerate(level_names[:2])]
    internal = frozenset({OFFICE, AUDIT})
    shaped = plan is not None and bool(plan.marks or any(m.level for m in plan.measures.values()))
    columns = levels + [
        Column("measure_id", L["measure_id"], 7, get=lambda r: r.measure.measure_id),
        Column("measure_name", L["measure_name"], 18,
               get=lambda r: f"【{r.level}】{r.measure.name}" if shaped and r.level else r.measure.name),
        Column("section_name", L["section_name"], 10, get=lambda r: r.section.name,
               readers=frozenset({OFFICE, HQ, AUDIT})),
        Column("stage", L["stage"], 4, get=lambda r: r.measure.stage, readers=internal),
        Column("kpi_id", L["kpi_id"], 7, get=lambda r: r.kpi.kpi_id, readers=internal),
        Column("kpi_name", L["kpi_name"], 22, get=lambda r: r.kpi.name),
        Column("kpi_kind", L["kpi_kind"], 7, get=lambda r: r.kpi.kind, readers=internal),
        Column("unit", L["unit"], 6, get=lambda r: r.kpi.unit),
        Column("baseline", L["baseline"], 9, "number", lambda r: _or_text(r.kpi.baseline, r.kpi.baseline_text)),
        Column("target", L["target"], 9, "number",
               lambda r: _or_text(r.judgement.target, r.kpi.target_text)),
        Column("grade_basis", L["grade_basis"], 10, get=lambda r: r.judgement.basis, readers=internal),
        Column("last_actual", L["last_actual"], 9, "number", lambda r: r.previous),
        Column("actual", L["actual"], 9, "number", lambda r: r.actual),
        Column("difference", "差", 8, "number", _diff),
        Column("achievement", L["achievement"], 7, "percent", lambda r: r.judgement.achievement),
        Column("progress_rate", L["progress_rate"], 8, "percent", lambda r: r.judgement.progress,
               readers=internal),
        Column("schedule", L["schedule"], 7, get=lambda r: r.schedule_shown, readers=internal),
        Column("schedule_mark", L["schedule_mark"], 16, get=lambda r: r.plan_schedule, readers=internal,
               printed=False),
        Column("computed_grade", L["computed_grade"], 5, get=lambda r: r.shown_grade),
        Column("self_grade", L["self_grade"], 5, get=lambda r: r.self_grade, readers=internal),
        Column("consistent", "一致", 4, get=lambda r: {True: "○", False: "×", None: ""}[r.consistent],
               readers=internal),
        Column("cause", L["cause"], 26, get=lambda r: r.cause, readers=frozenset({OFFICE, HQ})),
        Column("result", L["result"], 30, get=lambda r: r.result, readers=internal, printed=False),
        Column("relisted_of", L["relisted_of"], 8, get=lambda r: r.kpi.relisted_of and f"再掲（{r.kpi.relisted_of}）",
               readers=internal, printed=False),
        Column("source_file", L["source_file"], 24, get=lambda r: r.source_file, readers=internal, printed=False),
        Column("source_cell", L["source_cell"], 10, get=lambda r: r.source_cell, readers=internal, printed=False),
        Column("received_at", L["received_at"], 16, get=lambda r: timestamp(r.received_at),
               readers=internal, printed=False),
    ]
    extra = {"schedule", "schedule_mark"}
    return columns if shaped else [c for c in columns if c.key not in extra]


def _level(record, i: int) -> str:
    levels = record.measure.levels
    return levels[i] if i < len(levels) else ""
