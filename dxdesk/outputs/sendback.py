"""Send-back workbooks (差戻し): the section's own form, stamped as the same round and section, carrying the
values it returned, every cell with a finding highlighted with a comment (message and what to do), and an
エラー一覧 sheet first. A corrected return is then read as a re-submission."""
from __future__ import annotations

from pathlib import Path

from xlsxwriter.utility import xl_rowcol_to_cell

from dxdesk.forms.builder import Overlay, RoundInfo, build_form, form_filename, safe_filename
from dxdesk.forms.definition import SENDBACK_SHEET_NAME, FormDef, SheetDef
from dxdesk.forms.rows import ROW_SOURCES
from dxdesk.intake.parse import Value
from dxdesk.outputs.xlsx_out import FONT, row_height
from dxdesk.plan.model import Plan, Section
from dxdesk.rules.findings import Finding, sort_findings


def sendback_filename(form: FormDef, info: RoundInfo, section: Section) -> str:
    return safe_filename("差戻し_" + form_filename(form, info, section).removesuffix(".xlsx"), 120) + ".xlsx"


def _sheet_of(form: FormDef, name: str) -> SheetDef | None:
    for sheet in form.sheets:
        if name == sheet.name or (sheet.repeat and name.startswith(sheet.name.split("{")[0])):
            return sheet
    return None


def returned_values(form: FormDef, values: dict[str, dict[str, dict[str, Value]]]) -> dict:
    """What the section typed, as it will be written back: numbers as numbers, anything else as the raw text
    (a ８２．５ stays as typed, so the comment beside it makes sense)."""
    out: dict = {}
    for sheet in form.sheets:
        inputs = {f.key: f for f in sheet.inputs}
        for row_key, row in values.get(sheet.key, {}).items():
            for key, value in row.items():
                if key not in inputs:
                    continue
                typed = value.num if inputs[key].value_type == "number" and value.num is not None else value.raw
                out.setdefault(sheet.key, {}).setdefault(row_key, {})[key] = typed if typed != "" else None
    return out


def comment_text(f: Finding) -> str:
    return f"【{f.severity_label}】{f.code} {f.title}\n{f.message}" + (f"\n→ {f.hint}" if f.hint else "")


def _cell(form: FormDef, plan: Plan, section: Section, fy: int, f: Finding) -> tuple[str, str]:
    """(sheet, cell) of a finding in the send-back workbook: from its row key and field where it has them."""
    sheet = _sheet_of(form, f.sheet)
    if sheet is None or sheet.repeat or not f.row_key or not f.field or f.field not in [x.key for x in sheet.fields]:
        return f.sheet, f.cell
    keys = [sheet.key_of(r) for r in ROW_SOURCES[sheet.key](plan, section.code, fy)]
    if f.row_key not in keys:
        return f.sheet, f.cell
    return sheet.name, xl_rowcol_to_cell(sheet.header_row + keys.index(f.row_key), sheet.column(f.field))


def error_list_writer(findings: list[Finding], cells: list[tuple[str, str]], section: Section, title: str):
    """The first sheet: one line per finding — sheet, cell (a link to it), value found, rule, what to do."""
    def write(wb, fmt) -> None:
        ws = wb.add_worksheet(SENDBACK_SHEET_NAME)
        ws.activate()
        ws.write_string(0, 0, f"{title}　差戻し（{section.name}）", fmt.title)
        errors = sum(f.severity == "ERR" for f in findings)
        ws.write_string(1, 0, f"エラー {errors} 件・要確認 {len(findings) - errors} 件。赤・橙の枠のセルを直し、"
                              "このファイルのまま保存して提出してください（再提出として受け付けます）。", fmt.note)
        widths = [8, 14, 8, 14, 22, 50, 44]
        headers = ["重要度", "シート", "セル", "入力されていた値", "規則", "内容", "直し方"]
        for c, (h, w) in enumerate(zip(headers, widths)):
            ws.set_column(c, c, w)
            ws.write_string(3, c, h, fmt.header)
        link = wb.add_format({"font_name": FONT, "font_size": 10, "font_color": "#0563C1", "underline": 1,
                              "border": 1, "valign": "top"})
        for r, (f, (sheet, cell)) in enumerate(zip(findings, cells), start=4):
            values = [f.severity_label, sheet, cell, f.value, f"{f.code} {f.title}", f.message, f.hint]
            ws.set_row(r, row_height(values, widths, 14, 8))
            for c, value in enumerate(values):
                if c == 2 and cell and sheet:
                    ws.write_url(r, c, f"internal:'{sheet}'!{cell}", link, cell)
                else:
                    ws.write_string(r, c, value or "", fmt.marked(f.severity, "", False) if c == 0 else fmt.locked)
        ws.freeze_panes(4, 0)
        ws.set_landscape()
        ws.set_paper(9)
        ws.fit_to_pages(1, 0)
        ws.repeat_rows(3)
    return write


def write_sendback(folder: Path, form: FormDef, plan: Plan, section: Section, info: RoundInfo,
                   values: dict[str, dict[str, dict[str, Value]]], findings: list[Finding], title: str) -> Path:
    """The section's send-back workbook (the findings: its blocking errors and warnings to review)."""
    ordered = sort_findings(findings)
    cells = [_cell(form, plan, section, info.fy, f) for f in ordered]
    marks = {}
    for f in reversed(ordered):  # the most severe finding of a cell wins its comment
        sheet = _sheet_of(form, f.sheet)
        if sheet is not None and f.row_key and f.field:
            key = (sheet.key, f.row_key, f.field)
            previous = marks.get(key)
            text = comment_text(f) if previous is None else comment_text(f) + "\n\n" + previous[1]
            marks[key] = (f.severity if previous is None or f.severity == "ERR" else previous[0], text)
    overlay = Overlay(returned_values(form, values), marks, error_list_writer(ordered, cells, section, title),
                      info.office_name)
    path = folder / sendback_filename(form, info, section)
    build_form(path, form, plan, section, info, overlay=overlay)
    return path
