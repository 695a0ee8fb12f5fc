"""The printed size of a sheet's text, computed from the workbook file alone (independently of the writer):
page setup (paper, orientation, margins, fit-to-page or scale), print area, column widths, row heights,
chart sizes and the font size of every printed cell."""
from __future__ import annotations

from dataclasses import dataclass

import openpyxl
from openpyxl.utils import column_index_from_string, range_boundaries

PAPER_MM = {"9": (210.0, 297.0), "8": (297.0, 420.0), None: (210.0, 297.0)}  # A4, A3 (portrait w, h)
EMU_PER_PX = 9525


@dataclass
class PrintSize:
    sheet: str
    paper: str
    scale: float
    smallest_font: float

    @property
    def effective(self) -> float:
        return round(self.smallest_font * self.scale, 2)


def _px(stored: float) -> int:
    """Pixels of a column whose stored width (the file's, padding included) is `stored` (max digit width 7)."""
    return int(stored * 7 + 0.5)


def _widths(ws, first: int, last: int) -> list[float]:
    widths = {}
    for key, dim in ws.column_dimensions.items():
        lo, hi = dim.min or column_index_from_string(key), dim.max or column_index_from_string(key)
        for c in range(lo, hi + 1):
            widths[c] = dim.width if dim.width else 8.43
    return [widths.get(c, 8.43) for c in range(first, last + 1)]


def _area(ws) -> tuple[int, int, int, int]:
    if ws.print_area:
        area = ws.print_area[0] if isinstance(ws.print_area, list) else ws.print_area
        ref = area.split("!")[-1].replace("$", "")
        return range_boundaries(ref)
    return 1, 1, ws.max_column, ws.max_row


def print_size(ws) -> PrintSize:
    setup = ws.page_setup
    first_col, first_row, last_col, last_row = _area(ws)
    paper = None if setup.paperSize is None else str(setup.paperSize)
    portrait_w, portrait_h = PAPER_MM.get(paper, PAPER_MM[None])
    page_w, page_h = (portrait_h, portrait_w) if setup.orientation == "landscape" else (portrait_w, portrait_h)
    m = ws.page_margins
    printable_w = (page_w / 25.4 - m.left - m.right) * 96           # px
    printable_h = (page_h / 25.4 - m.top - m.bottom) * 72           # pt
    width_px = sum(_px(w) for w in _widths(ws, first_col, last_col))
    height_pt = sum((ws.row_dimensions[r].height or 15) for r in range(first_row, last_row + 1))
    for chart in getattr(ws, "_charts", []):
        anchor = chart.anchor
        if hasattr(anchor, "_from") and hasattr(anchor, "ext") and anchor.ext is not None:
            col, row = anchor._from.col + 1, anchor._from.row + 1
            if first_col <= col <= last_col:
                left = sum(_px(w) for w in _widths(ws, first_col, col - 1)) + anchor._from.colOff / EMU_PER_PX
                width_px = max(width_px, left + anchor.ext.width / EMU_PER_PX)
                top = sum((ws.row_dimensions[r].height or 15) for r in range(first_row, row))
                height_pt = max(height_pt, top + anchor.ext.height / EMU_PER_PX * 0.75)
    if ws.sheet_properties.pageSetUpPr is not None and ws.sheet_properties.pageSetUpPr.fitToPage:
        wide, tall = setup.fitToWidth, setup.fitToHeight
        wide = 1 if wide is None else int(wide)
        tall = 1 if tall is None else int(tall)
        scale = 1.0
        if wide:
            repeated = 0
            if ws.print_title_cols:
                lo, hi = ws.print_title_cols.replace("$", "").split(":")
                repeated = sum(_px(w) for w in _widths(ws, column_index_from_string(lo), column_index_from_string(hi)))
            scale = min(scale, wide * printable_w / (width_px + (wide - 1) * repeated))
        if tall:
            scale = min(scale, tall * printable_h / height_pt)
    else:
        scale = (setup.scale or 100) / 100
    fonts = [cell.font.sz for row in ws.iter_rows(min_row=first_row, max_row=last_row, min_col=first_col,
                                                  max_col=last_col)
             for cell in row if cell.value not in (None, "") and cell.font is not None and cell.font.sz]
    return PrintSize(ws.title, {"9": "A4", "8": "A3"}.get(paper, str(paper)), scale,
                     min(fonts) if fonts else 11.0)


def print_sizes(path) -> list[PrintSize]:
    wb = openpyxl.load_workbook(path)
    return [print_size(ws) for ws in wb.worksheets if ws.sheet_state == "visible"]
