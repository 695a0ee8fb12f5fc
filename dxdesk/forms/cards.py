"""Repeated sheets (one worksheet per measure or system) and the card layout of 様式②: labels down
column B, values in column C, PLAN/DO – CHECK – ACT blocks in column A, as Shizuoka lays it out."""
from __future__ import annotations

from xlsxwriter.utility import xl_rowcol_to_cell

from dxdesk.forms.cached import cached_value
from dxdesk.forms.definition import SheetDef
from dxdesk.outputs.xlsx_out import row_height
from dxdesk.years import wareki

CARD_LABEL_COL, CARD_VALUE_COL = 1, 2
CARD_WIDTHS = (11, 22, 56)


def group_rows_by(sheet: SheetDef, rows: list[dict]) -> dict[str, list[dict]]:
    """Rows split by the sheet's repeat field, in plan order."""
    groups: dict[str, list[dict]] = {}
    for row in rows:
        groups.setdefault(str(row[sheet.repeat]), []).append(row)
    return groups


def card_rows(sheet: SheetDef) -> dict[str, int]:
    """Field key → 0-based row of the card, as distributed."""
    return {f.key: sheet.header_row + i for i, f in enumerate(sheet.fields)}


def write_card(wb, fmt, sheet: SheetDef, row: dict, name: str, section, info, overlay=None) -> None:
    """One card; with a send-back's overlay, the cells with a finding are highlighted and commented."""
    ws = wb.add_worksheet(name)
    for c, width in enumerate(CARD_WIDTHS):
        ws.set_column(c, c, width)
    ws.write_string(0, 0, f"{wareki(info.fy)} {sheet.name}（{section.name}）", fmt.title)
    ws.write_string(1, 0, "黄色のセルに入力してください（記入済みの文章は今年度の内容に更新してください）。灰色のセルは変更できません。",
                    fmt.note)
    if sheet.caption:
        ws.write_string(2, 0, sheet.caption.format(**row), fmt.note)
    hr = sheet.header_row - 1
    for c, text in enumerate(("区分", "項目", "内容")):
        ws.write_string(hr, c, text, fmt.header)
    where = card_rows(sheet)
    cell_of = {key: xl_rowcol_to_cell(r, CARD_VALUE_COL) for key, r in where.items()}
    groups: dict[str, list[int]] = {}
    for field in sheet.fields:
        r = where[field.key]
        groups.setdefault(field.group, []).append(r)
        ws.write_string(r, CARD_LABEL_COL, field.label, fmt.header_input if field.kind == "input" else fmt.header)
        kind = {"key": "locked", "plan": "locked"}.get(field.kind, field.kind)
        style = fmt.with_number(kind, field.number_format)
        if overlay is not None:
            style = overlay.mark(ws, fmt, r, CARD_VALUE_COL, sheet.key, sheet.key_of(row), field, style)
        value = row.get(field.key)
        if field.kind == "formula":
            ws.write_formula(r, CARD_VALUE_COL, field.formula.format(**cell_of), style,
                             cached_value(field.key, row, None))
        elif isinstance(value, (int, float)) and not isinstance(value, bool):
            ws.write_number(r, CARD_VALUE_COL, value, style)
        elif value not in (None, ""):
            ws.write_string(r, CARD_VALUE_COL, str(value), style)
        else:
            ws.write_blank(r, CARD_VALUE_COL, None, style)
        ws.set_row(r, max(20, row_height([str(value or "")], [CARD_WIDTHS[CARD_VALUE_COL]], 14, 12)))
        if field.kind == "input":
            _validate(ws, r, field)
    for group, rs in groups.items():
        if len(rs) > 1:
            ws.merge_range(rs[0], 0, rs[-1], 0, group, fmt.header)
        else:
            ws.write_string(rs[0], 0, group, fmt.header)
    ws.protect(info.sheet_password, {"format_columns": True, "format_rows": True})
    ws.set_portrait()
    ws.set_paper(9)
    ws.set_margins(left=0.5, right=0.5, top=0.6, bottom=0.6)
    ws.fit_to_pages(1, 0)


def _validate(ws, r: int, field) -> None:
    if field.value_type == "number":
        ws.data_validation(r, CARD_VALUE_COL, r, CARD_VALUE_COL, {
            "validate": "decimal", "criteria": "between", "minimum": -1e12, "maximum": 1e12,
            "error_type": "warning", "error_title": field.label,
            "error_message": "数値だけを半角で入力してください（単位は不要です）。",
            "input_title": field.label, "input_message": field.help[:250]})
    elif field.help:
        ws.data_validation(r, CARD_VALUE_COL, r, CARD_VALUE_COL, {
            "validate": "any", "input_title": field.label[:32], "input_message": field.help[:250]})
