"""Findings are data: a frozen record with a stable code, built from the catalogue's wording."""
from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Iterable

from dxdesk.rules.catalogue import CATALOGUE, SEVERITY_LABELS

SEVERITY_ORDER = {"ERR": 0, "WARN": 1, "INFO": 2}


@dataclass(frozen=True)
class Finding:
    code: str
    severity: str
    message: str
    hint: str = ""
    section: str = ""
    file: str = ""
    sheet: str = ""
    cell: str = ""
    value: str = ""
    expected: str = ""
    row_key: str = ""
    field: str = ""
    waiver: str = ""  # who waived this ERR, when and why (not stored with the finding; see waivers)

    @property
    def blocking(self) -> bool:
        """An ERR blocks acceptance until fixed or waived."""
        return self.severity == "ERR" and not self.waiver

    @property
    def title(self) -> str:
        return CATALOGUE[self.code].title

    @property
    def severity_label(self) -> str:
        return SEVERITY_LABELS[self.severity]


FIELD_NAMES = tuple(f.name for f in fields(Finding) if f.name != "waiver")  # the stored columns


def make(code: str, *, severity: str | None = None, **context: object) -> Finding:
    """Build a finding from the catalogue: message and hint filled from the context."""
    spec = CATALOGUE[code]
    values = {k: ("" if v is None else str(v)) for k, v in context.items()}
    filled = _Defaults(values)
    record = {k: values.get(k, "") for k in FIELD_NAMES if k not in ("code", "severity", "message", "hint")}
    return Finding(
        code=code,
        severity=severity or spec.severity,
        message=spec.message.format_map(filled),
        hint=spec.hint.format_map(filled),
        **record,
    )


class _Defaults(dict):
    def __missing__(self, key: str) -> str:
        return ""


def flatten(findings: Iterable[Finding], keys: list[str]) -> list[list[str]]:
    """frictionless-style: [[code, sheet, cell], …] for compact assertions."""
    return [[getattr(f, k) for k in keys] for f in findings]


def sort_findings(findings: Iterable[Finding]) -> list[Finding]:
    return sorted(findings, key=lambda f: (SEVERITY_ORDER[f.severity], f.section, f.file, f.sheet, f.row_key, f.code))


def group_by(findings: Iterable[Finding], key: str) -> dict[str, list[Finding]]:
    groups: dict[str, list[Finding]] = {}
    for f in findings:
        groups.setdefault(getattr(f, key), []).append(f)
    return groups


def count_by(findings: Iterable, key: str) -> dict[str, int]:
    return {value: len(items) for value, items in group_by(findings, key).items()}


def severity_counts(findings: Iterable[Finding]) -> dict[str, int]:
    """ERR / WARN / INFO / WAIVED: an error that is waived counts as waived, not as an error — the one
    definition the status, `findings --summary`, the outputs and the window share."""
    counts = {"ERR": 0, "WARN": 0, "INFO": 0, "WAIVED": 0}
    for f in findings:
        counts["WAIVED" if f.severity == "ERR" and not f.blocking else f.severity] += 1
    return counts


@dataclass(frozen=True)
class RuleCount:
    code: str
    severity: str
    count: int
    sections: int
    waived: bool = False
    files: int = 0  # files whose section could not be told (unreadable, not our form): not counted as a 課

    @property
    def where(self) -> str:
        """「3 課」, 「ファイル 2 件」 or 「3 課・課不明のファイル 2 件」."""
        parts = ([f"{self.sections} 課"] if self.sections or not self.files else []) + \
                ([f"課不明のファイル {self.files} 件"] if self.files else [])
        return "・".join(parts)

    @property
    def title(self) -> str:
        return CATALOGUE[self.code].title

    @property
    def label(self) -> str:
        return SEVERITY_LABELS[self.severity] + ("（免除）" if self.waived else "")


def summarise(findings: Iterable[Finding]) -> list[RuleCount]:
    """Counts per rule and severity (waived errors apart), errors first, so warnings never drown errors."""
    groups: dict[tuple[str, str, bool], list[Finding]] = {}
    for f in findings:
        groups.setdefault((f.code, f.severity, bool(f.waiver)), []).append(f)
    counts = [RuleCount(code, severity, len(items), len({f.section for f in items if f.section}), waived,
                        len({f.file for f in items if not f.section}))
              for (code, severity, waived), items in groups.items()]
    return sorted(counts, key=lambda c: (SEVERITY_ORDER[c.severity], c.waived, -c.count, c.code))
