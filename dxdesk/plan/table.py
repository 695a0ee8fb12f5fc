"""Reading a sheet as a header-mapped table (header row anywhere in the first 10 rows)."""
from __future__ import annotations

from dataclasses import dataclass

from openpyxl.utils import get_column_letter

from dxdesk.normalize import clean_text, normalise_key

HEADER_SCAN_ROWS = 10


@dataclass(frozen=True)
class Cell:
    value: object
    percent: bool  # the cell's number format shows a percentage
    ref: str       # A1 reference


@dataclass
class Table:
    sheet: str
    header_row: int
    columns: dict[str, int]   # normalised header → 0-based column index
    headers: list[str]        # original header texts, by column index
    rows: list[tuple[int, list[Cell]]]  # (1-based row number, cells)

    def has(self, name: str) -> bool:
        return normalise_key(name) in self.columns

    def get(self, cells: list[Cell], name: str) -> Cell | None:
        index = self.columns.get(normalise_key(name))
        if index is None or index >= len(cells):
            return None
        return cells[index]

    def text(self, cells: list[Cell], name: str) -> str:
        cell = self.get(cells, name)
        return clean_text(cell.value) if cell else ""

    def col_ref(self, name: str, row: int) -> str:
        index = self.columns[normalise_key(name)]
        return f"{get_column_letter(index + 1)}{row}"


def read_table(worksheet, anchor: str) -> Table | None:
    """Map a sheet to a Table; the header row is the first row containing `anchor`."""
    raw: list[list[Cell]] = []
    for row_number, row in enumerate(worksheet.iter_rows(min_row=1, min_col=1), start=1):
        cells = []
        for col, cell in enumerate(row, start=1):
            value = getattr(cell, "value", None)
            fmt = getattr(cell, "number_format", "") or ""
            cells.append(Cell(value, "%" in fmt, f"{get_column_letter(col)}{row_number}"))
        raw.append(cells)
    key = normalise_key(anchor)
    for index, cells in enumerate(raw[:HEADER_SCAN_ROWS]):
        headers = [normalise_key(c.value) for c in cells]
        if key in headers:
            columns = {}
            for col, header in enumerate(headers):
                if header and header not in columns:
                    columns[header] = col
            body = [
                (index + 2 + offset, cells)
                for offset, cells in enumerate(raw[index + 1:])
                if any(c.value not in (None, "") for c in cells)
            ]
            texts = [str(c.value or "") for c in cells]
            return Table(worksheet.title, index + 1, columns, texts, body)
    return None
