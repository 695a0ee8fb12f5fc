"""Merge an inquiry: one workbook (回答一覧 one row per section, one long sheet per table with 課コード / 課名
prepended, 集計 by department with a native chart, 回収状況, 指摘一覧, 出典), the same as CSV and JSON — written
as one set into out/<inquiry>/集約/ (outputs/outset.py). 受付日時 as the round's outputs print it (令和7年5月16日 14:03)
in the workbook; ISO in the CSV and JSON, which programs read (as the round's open data keeps 西暦). Text that a
spreadsheet would take for a formula (=…, @…) is kept as text in the CSV, as the round's CSVs do."""
from __future__ import annotations

import csv
import json
from dataclasses import dataclass, field
from pathlib import Path

from dxdesk import labels as L
from dxdesk.inquiry.model import NOTHING_TO_REPORT, SINGLE, Area, Field
from dxdesk.intake.parse import Value
from dxdesk.intake.status import SectionStatus
from dxdesk.outputs.charts import _style
from dxdesk.outputs.csv_export import neutralise
from dxdesk.outputs.numfmt import timestamp
from dxdesk.outputs.outset import output_set
from dxdesk.outputs.xlsx_out import Styles, new_workbook, print_setup, sheet_name, text_width, write_value
from dxdesk.rules.findings import SEVERITY_LABELS, Finding, sort_findings
from dxdesk.store import inquiries_repo as iq
from dxdesk.store import rounds_repo as rr

SECTION_HEAD = (L.LABELS["section_code"], "課名", L.LABELS["dept"])
ROW_HEAD = "行"
TOTAL = "全体"


@dataclass
class Sheet:
    """One sheet of the merge as plain rows: the workbook, the CSV and the JSON are written from these."""

    name: str
    headers: list[str]
    rows: list[list[object]] = field(default_factory=list)
    numeric: set[int] = field(default_factory=set)  # columns holding numbers
    stamps: set[int] = field(default_factory=set)   # columns holding ISO timestamps: 和暦 in the workbook only


@dataclass
class Merged:
    inquiry: iq.Inquiry
    sheets: list[Sheet]
    summary: list[Sheet]


def cell_value(f: Field, v: Value | None) -> object:
    if v is None:
        return ""
    if (f.numeric or f.kind == "年度") and v.num is not None:
        return int(v.num) if float(v.num).is_integer() else v.num
    return v.text if v.text else v.raw


def gather(conn, inquiry: iq.Inquiry, statuses: list[SectionStatus], found: list[Finding]) -> Merged:
    mapping = inquiry.mapping
    sections = iq.sections(conn, inquiry.inquiry_id)
    subs = rr.latest_submissions(conn, inquiry.inquiry_id)
    head = lambda code: [code, sections[code].name, sections[code].dept]  # noqa: E731
    returned = [c for c in sections if c in subs]
    values = {a.area_id: rr.latest_values(conn, inquiry.inquiry_id, a.area_id) for a in mapping.areas}
    singles = [(a, f) for a in mapping.singles for f in a.fields]
    answers = Sheet("回答一覧", [*SECTION_HEAD, L.LABELS["status"], *[f.name for _, f in singles]])
    answers.numeric = {4 + i for i, (_, f) in enumerate(singles) if f.numeric}
    status_of = {s.section.code: s.status for s in statuses}
    for code in returned:
        answers.rows.append(head(code) + [status_of.get(code, "")] +
                            [cell_value(f, values[a.area_id].get(code, {}).get("", {}).get(f.name)) for a, f in singles])
    sheets = [answers]
    provenance = Sheet("出典", [*SECTION_HEAD, "欄", ROW_HEAD, "項目", L.LABELS["value"], L.LABELS["file"],
                                L.LABELS["sheet"], L.LABELS["cell"], L.LABELS["received_at"], "SHA-256"], stamps={10})
    for a, f in singles:
        for code in returned:
            v = values[a.area_id].get(code, {}).get("", {}).get(f.name)
            if v is not None and v.raw:
                provenance.rows.append(head(code) + [a.label, "", f.name, cell_value(f, v), subs[code].file_name,
                                                     v.sheet, v.cell, subs[code].received_at, subs[code].sha256])
    for area in mapping.tables:
        sheet = Sheet(table_sheet_name(area, mapping.tables), [*SECTION_HEAD, ROW_HEAD, *[f.name for f in area.fields]])
        sheet.numeric = {4 + i for i, f in enumerate(area.fields) if f.numeric}
        for code in returned:
            rows = values[area.area_id].get(code, {})
            for key in sorted(rows, key=_row_order):
                row = rows[key]
                sheet.rows.append(head(code) + [key] + [cell_value(f, row.get(f.name)) for f in area.fields])
                for f in area.fields:
                    v = row.get(f.name)
                    if v is not None and v.raw and not f.key:
                        provenance.rows.append(head(code) + [area.label, key, f.name, cell_value(f, v),
                                                             subs[code].file_name, v.sheet, v.cell,
                                                             subs[code].received_at, subs[code].sha256])
        sheets.append(sheet)
    summary = [_by_department(s, sections) for s in sheets if s.numeric]
    sheets += [_status_sheet(statuses, found), _findings_sheet(found), provenance]
    return Merged(inquiry, sheets, [s for s in summary if s is not None])


def _row_order(key: str) -> tuple:
    return (0, int(key), "") if key.isdigit() else (1, 0, key)


def table_sheet_name(area: Area, tables) -> str:
    name = area.title or (area.sheet if sum(t.sheet == area.sheet for t in tables) == 1 else f"{area.sheet}_{area.area_id}")
    return sheet_name(f"表_{name}")


def _by_department(sheet: Sheet, sections) -> Sheet | None:
    """Totals of every numeric column by 部局 (in section order) and for the whole office."""
    columns = sorted(sheet.numeric)
    if not sheet.rows:
        return None
    depts: dict[str, list[float]] = {}
    for row in sheet.rows:
        dept = row[2] or "（部局なし）"
        sums = depts.setdefault(dept, [0.0] * len(columns))
        for i, c in enumerate(columns):
            if isinstance(row[c], (int, float)):
                sums[i] += row[c]
    total = [sum(v[i] for v in depts.values()) for i in range(len(columns))]
    out = Sheet(f"集計_{sheet.name}", ["部局", *[sheet.headers[c] for c in columns]], numeric=set(range(1, len(columns) + 1)))
    out.rows = [[d, *v] for d, v in depts.items()] + [[TOTAL, *total]]
    return out


def _status_sheet(statuses: list[SectionStatus], found: list[Finding]) -> Sheet:
    nothing = {f.section for f in found if f.code == "Q1"}
    sheet = Sheet("回収状況", [*SECTION_HEAD, L.LABELS["status"], NOTHING_TO_REPORT, L.LABELS["latest_file"],
                               L.LABELS["received_at"], L.LABELS["submissions"], L.LABELS["errors"],
                               L.LABELS["warnings"]], numeric={7, 8, 9}, stamps={6})
    for s in statuses:
        sheet.rows.append([s.section.code, s.section.name, s.section.dept, s.status,
                           "○" if s.section.code in nothing else "", s.file_name, s.received_at, s.submissions,
                           s.errors, s.warnings])
    return sheet


def _findings_sheet(found: list[Finding]) -> Sheet:
    sheet = Sheet("指摘一覧", [L.LABELS["severity"], L.LABELS["code"], L.LABELS["section"], L.LABELS["file"],
                               L.LABELS["sheet"], L.LABELS["cell"], L.LABELS["message"], L.LABELS["hint"],
                               L.LABELS["waiver"]])
    for f in sort_findings(found):
        sheet.rows.append([SEVERITY_LABELS[f.severity], f.code, f.section, f.file, f.sheet, f.cell, f.message, f.hint,
                           f.waiver])
    return sheet


def write_merge(folder: Path, merged: Merged, title: str) -> dict[str, Path]:
    """集約_<ID>.xlsx, one CSV per sheet and one JSON, swapped into folder/集約 as one set."""
    base = f"集約_{merged.inquiry.inquiry_id}"
    with output_set(folder) as tmp:
        _workbook(tmp / f"{base}.xlsx", merged, title)
        for sheet in merged.sheets + merged.summary:
            with open(tmp / f"{base}_{sheet.name}.csv", "w", encoding="utf-8-sig", newline="") as handle:
                writer = csv.writer(handle)
                writer.writerow(sheet.headers)
                writer.writerows([neutralise(v) if isinstance(v, str) else v for v in row] for row in sheet.rows)
        data = {s.name: [dict(zip(s.headers, r)) for r in s.rows] for s in merged.sheets + merged.summary}
        data["照会"] = {"照会ID": merged.inquiry.inquiry_id, "名称": merged.inquiry.name,
                       "期限": merged.inquiry.deadline, "様式": merged.inquiry.template_name}
        (tmp / f"{base}.json").write_text(json.dumps(data, ensure_ascii=False, indent=1, default=str), encoding="utf-8")
    out = folder / "集約"
    return {"workbook": out / f"{base}.xlsx", "json": out / f"{base}.json", "folder": out}


def _workbook(path: Path, merged: Merged, title: str) -> None:
    wb = new_workbook(path)
    styles = Styles(wb)
    order = merged.sheets[:-3] + merged.summary + merged.sheets[-3:]
    for sheet in order:
        ws = wb.add_worksheet(sheet.name)
        ws.write_string(0, 0, f"{title} — {sheet.name}", styles.title)
        _table(ws, styles, sheet)
        print_setup(ws, 2, f"{title} {sheet.name}")
        if sheet in merged.summary and len(sheet.rows) > 1:
            _chart(wb, ws, sheet)
    wb.close()


def _table(ws, styles: Styles, sheet: Sheet) -> None:
    header = 2
    widths = []
    rows = [[timestamp(v) if c in sheet.stamps else v for c, v in enumerate(row)] for row in sheet.rows]
    for c, name in enumerate(sheet.headers):
        cells = [name] + [str(r[c]) for r in rows[:200]]
        widths.append(min(50, max(6, max(text_width(x) for x in cells) + 2)))
        ws.set_column(c, c, widths[-1])
        ws.write_string(header, c, name, styles.header)
    for r, row in enumerate(rows, start=header + 1):
        for c, value in enumerate(row):
            fraction = isinstance(value, float) and not value.is_integer()
            fmt = (styles.number if fraction else styles.integer) if c in sheet.numeric else styles.text
            write_value(ws, r, c, value, fmt)
    ws.freeze_panes(header + 1, 0)
    if sheet.rows:
        ws.autofilter(header, 0, header + len(sheet.rows), len(sheet.headers) - 1)


def _chart(wb, ws, sheet: Sheet) -> None:
    """A column chart of the first numeric field by department (the 全体 row left out)."""
    first, last = 3, 3 + len(sheet.rows) - 2
    chart = wb.add_chart({"type": "column"})
    chart.add_series({"name": [sheet.name, 2, 1], "categories": [sheet.name, first, 0, last, 0],
                      "values": [sheet.name, first, 1, last, 1], "fill": {"color": "#2E75B6"}})
    _style(chart, f"{sheet.headers[1]}（部局別）", "部局", sheet.headers[1])
    chart.set_legend({"none": True})
    ws.insert_chart(last + 3, 0, chart, {"x_scale": 1.4, "y_scale": 1.1})
