"""Open-data CSV of the consolidated dataset: UTF-8 with BOM, stable columns (docs/csv-export.md)."""
from __future__ import annotations

import csv
from pathlib import Path

from dxdesk.labels import LABELS
from dxdesk.outputs.dataset import KpiRecord
from dxdesk.xlsx import atomic_path

CSV_KEYS = ("fy", "measure_id", "measure_name", "kpi_id", "kpi_name", "unit", "baseline", "target", "actual",
            "achievement", "computed_grade", "self_grade", "grade_basis", "progress_ratio", "final_target",
            "target_fy", "comparator", "direction", "basis", "kpi_kind", "stage", "section_code", "section_name",
            "relisted_id", "source", "submission_status", "check_result")
COLUMNS = tuple(LABELS[k] for k in CSV_KEYS)
# what the public export leaves blank for a section not accepted yet (its values may still change)
UNCONFIRMED = tuple(LABELS[k] for k in ("actual", "achievement", "computed_grade", "self_grade", "progress_ratio"))
_DANGEROUS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(text: str) -> str:
    """Keep spreadsheet programs from reading a cell as a formula (CSV injection)."""
    if text and text.startswith(_DANGEROUS) and not _is_number(text):
        return "'" + text
    return text


def _is_number(text: str) -> bool:
    try:
        float(text)
        return True
    except ValueError:
        return False


def _num(value: float | None) -> str:
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else f"{value:.10g}"


def _pct(value: float | None) -> str:
    return "" if value is None else f"{value * 100:.1f}"


def row_of(r: KpiRecord) -> list[str]:
    j = r.judgement
    return [str(r.fy), r.measure.measure_id, r.measure.name, r.kpi.kpi_id, r.kpi.name, r.kpi.unit,
            _num(r.kpi.baseline) or r.kpi.baseline_text, _num(j.target), _num(r.actual), _pct(j.achievement),
            r.shown_grade, r.self_grade, j.basis, _pct(j.progress), _num(r.kpi.target) or r.kpi.target_text,
            str(r.kpi.target_fy or ""), r.kpi.comparator, r.kpi.direction, r.kpi.basis, r.kpi.kind,
            r.measure.stage, r.section.code, r.section.name, r.kpi.relisted_of, r.source_file, r.status, r.check]


def write_csv(path: Path, records: list[KpiRecord], accepted_only: bool = True) -> Path:
    """The open-data CSV. accepted_only (the public export): a row whose section is not accepted yet keeps
    its plan columns and its 提出状況, with its values (実績値, 達成率, 評価 …) left out."""
    blank = [COLUMNS.index(c) for c in UNCONFIRMED]
    with atomic_path(path) as tmp:
        with open(tmp, "w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle, lineterminator="\r\n")
            writer.writerow(COLUMNS)
            for record in records:
                row = row_of(record)
                if accepted_only and not record.accepted:
                    for i in blank:
                        row[i] = ""
                writer.writerow([neutralise(v) for v in row])
    return path


FINDING_COLUMNS = tuple(LABELS[k] for k in ("severity", "code", "rule_title", "section_code", "file", "sheet", "cell",
                                             "value", "message", "hint", "waiver"))


def write_findings_csv(path: Path, findings) -> Path:
    """The findings list as CSV (UTF-8 with BOM), in the order of the 指摘一覧 sheet."""
    with atomic_path(path) as tmp:
        with open(tmp, "w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle, lineterminator="\r\n")
            writer.writerow(FINDING_COLUMNS)
            for f in findings:
                writer.writerow([neutralise(v) for v in (f.severity_label, f.code, f.title, f.section, f.file,
                                                         f.sheet, f.cell, f.value, f.message, f.hint, f.waiver)])
    return path
