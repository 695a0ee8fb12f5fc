"""Shared pieces for the workbooks dxdesk writes: safe cell writing, sheet names, page setup."""
from __future__ import annotations

import math
import re

import xlsxwriter

FONT = "游ゴシック"
_SHEET_BAD = re.compile(r"[\[\]:*?/\\]")


def new_workbook(path) -> xlsxwriter.Workbook:
    """Every string is written as text (a leading = stays text), never as a formula, number or URL."""
    return xlsxwriter.Workbook(str(path), {"strings_to_formulas": False, "strings_to_numbers": False,
                                           "strings_to_urls": False})


def sheet_name(text: str) -> str:
    """Excel sheet names: 31 characters at most, none of []:*?/\\, not starting or ending with '."""
    cleaned = _SHEET_BAD.sub("_", text).strip("'")
    return cleaned[:31] or "Sheet"


EXCEL_TEXT_LIMIT = 32_767
CUT_NOTE = "…（以下略: Excel の1セルの上限を超えるため。全文は dxdesk に保存）"


def write_value(ws, row: int, col: int, value, fmt=None) -> None:
    """One cell, whatever the value: a non-finite number (which XlsxWriter refuses) is written as a note and a
    text over Excel's cell limit is cut with a note, so one bad value never stops an output."""
    if value is None or value == "":
        ws.write_blank(row, col, None, fmt)
    elif isinstance(value, bool):
        ws.write_string(row, col, "TRUE" if value else "FALSE", fmt)
    elif isinstance(value, (int, float)):
        if math.isfinite(value):
            ws.write_number(row, col, value, fmt)
        else:
            ws.write_string(row, col, "（数値として扱えない値）", fmt)
    else:
        text = str(value)
        if len(text) > EXCEL_TEXT_LIMIT:
            text = text[:EXCEL_TEXT_LIMIT - len(CUT_NOTE)] + CUT_NOTE
        ws.write_string(row, col, text, fmt)


class Styles:
    def __init__(self, wb: xlsxwriter.Workbook, negative: str = "△") -> None:
        base = {"font_name": FONT, "font_size": 9, "border": 1, "valign": "top"}
        self.title = wb.add_format({"font_name": FONT, "font_size": 14, "bold": True})
        self.note = wb.add_format({"font_name": FONT, "font_size": 9})
        self.header = wb.add_format({**base, "bold": True, "bg_color": "#1F4E79", "font_color": "#FFFFFF",
                                     "text_wrap": True, "align": "center", "valign": "vcenter"})
        self.text = wb.add_format({**base, "text_wrap": True})
        self.number = wb.add_format({**base, "num_format": "#,##0.0##"})
        self.integer = wb.add_format({**base, "num_format": "#,##0"})
        self.percent = wb.add_format({**base, "num_format": "0.0%"})
        self.err = wb.add_format({**base, "bg_color": "#F8CBAD", "text_wrap": True})
        self.warn = wb.add_format({**base, "bg_color": "#FFE699", "text_wrap": True})
        self.bold = wb.add_format({**base, "bold": True, "bg_color": "#DDEBF7", "text_wrap": True})
        self._wb, self._base, self._kinds = wb, base, {}
        self.negative = negative

    def of(self, kind: str, bold: bool = False, value=None):
        """The cell format of a column kind (outputs.columns.number_format), cached by its number format."""
        from dxdesk.outputs.columns import number_format
        num_format = number_format(kind, self.negative, value)
        key = (kind == "text", num_format, bold)
        if key not in self._kinds:
            props = {**self._base, "text_wrap": kind == "text"}
            if num_format:
                props["num_format"] = num_format
            if bold:
                props.update({"bold": True, "bg_color": "#DDEBF7"})
            self._kinds[key] = self._wb.add_format(props)
        return self._kinds[key]


A4, A3 = 9, 8
_PRINTABLE_PX = {A4: 1045.0, A3: 1510.0}  # landscape width inside 0.4" margins, 96 dpi


def column_px(width: float) -> int:
    """Excel's pixel width of a column of `width` characters (default font, max digit width 7)."""
    return int(width * 12 + 0.5) if width < 1 else int(width * 7 + 0.5) + 5


def paper_for(widths: list[float], font_size: float = 9, minimum: float = 8) -> int:
    """A4 landscape when the printed columns fit it at `minimum` pt or more, else A3."""
    total = sum(column_px(w) for w in widths)
    return A4 if total <= _PRINTABLE_PX[A4] * font_size / minimum else A3


def print_setup(ws, header_row: int, title: str, paper: int = 9) -> None:
    """A4 (9) or A3 (8) landscape, fit to one page wide, header row repeated on every page."""
    ws.set_landscape()
    ws.set_paper(paper)
    ws.fit_to_pages(1, 0)
    ws.repeat_rows(header_row)
    ws.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)
    ws.set_header(f"&L&9{title.replace('&', '&&')}")
    ws.set_footer("&C&9&P / &N")


def text_width(text: str) -> float:
    """Display width in Excel column units: full-width characters count about two."""
    return sum(1.0 if ord(ch) < 0x2E80 else 1.9 for ch in text)


def row_height(values: list, widths: list[float], line_height: float = 12.5, max_lines: int = 6) -> float:
    """Height for wrapped text, since not every spreadsheet program re-fits rows on opening."""
    lines = 1
    for value, width in zip(values, widths):
        if isinstance(value, str) and value:
            needed = sum(max(1, math.ceil(text_width(part) / max(width - 1, 1))) for part in value.split("\n"))
            lines = max(lines, needed)
    return line_height * min(lines, max_lines)


def unique_headers(labels: list[str]) -> list[str]:
    """Excel table headers must differ: a repeated label gets a suffix (区分, 区分2)."""
    seen: dict[str, int] = {}
    out = []
    for label in labels:
        seen[label] = seen.get(label, 0) + 1
        out.append(label if seen[label] == 1 else f"{label}{seen[label]}")
    return out


def list_table(ws, styles: Styles, header_row: int, columns, rows: list, name: str, title: str) -> int:
    """An Excel table (with filter buttons) of `columns` (outputs.columns.Column) over `rows`; prints the
    printed columns on A4 or A3 landscape, fit to width. Returns the number of the last row written."""
    widths = [c.width for c in columns]
    values = [[c.get(r) for c in columns] for r in rows]
    for c, column in enumerate(columns):
        ws.set_column(c, c, column.width)
    headers = unique_headers([c.label for c in columns])
    ws.set_row(header_row, row_height(headers, widths))
    last = header_row + max(1, len(values))
    ws.add_table(header_row, 0, last, len(columns) - 1, {
        "name": name, "style": "Table Style Light 1", "autofilter": True,
        "header_row": True, "data": [], "columns": [
            {"header": h, "header_format": styles.header, "format": styles.of(c.kind)}
            for h, c in zip(headers, columns)]})
    for r, row in enumerate(values, start=header_row + 1):
        ws.set_row(r, row_height(row, widths))
        for c, value in enumerate(row):
            write_value(ws, r, c, value, styles.of(columns[c].kind, value=value))
    if not values:
        for c in range(len(columns)):
            ws.write_blank(header_row + 1, c, None, styles.of(columns[c].kind))
    ws.freeze_panes(header_row + 1, 0)
    printed = [c for c in columns if c.printed]
    print_setup(ws, header_row, title, paper_for([c.width for c in printed]))
    ws.print_area(0, 0, last, len(printed) - 1)
    return last


def table(ws, styles: Styles, header_row: int, headers: list[tuple[str, float]], rows: list[list],
          formats: list | None = None) -> None:
    """Write a header row and data rows; widths from headers; autofilter and frozen header."""
    widths = [width for _, width in headers]
    for c, (text, width) in enumerate(headers):
        ws.set_column(c, c, width)
        ws.write_string(header_row, c, text, styles.header)
    ws.set_row(header_row, row_height(list(h for h, _ in headers), widths))
    for r, values in enumerate(rows, start=header_row + 1):
        ws.set_row(r, row_height(values, widths))
        for c, value in enumerate(values):
            write_value(ws, r, c, value, (formats[c] if formats else None) or styles.text)
    ws.freeze_panes(header_row + 1, 0)
    if rows:
        ws.autofilter(header_row, 0, header_row + len(rows), len(headers) - 1)
