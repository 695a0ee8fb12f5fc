"""Reading a card (様式②): the labels down one column, each value in the cell to its right; found by label,
so a moved or inserted row is still read from the right cell."""
from __future__ import annotations

from xlsxwriter.utility import xl_rowcol_to_cell

from dxdesk.forms.definition import SheetDef
from dxdesk.normalize import clean_text, normalise_key

LABEL_SCAN_COLS = 6


def _label_column(rows: list[list], sheet: SheetDef) -> tuple[int, int] | None:
    """(row, column) of the key field's label, within the first columns."""
    key_label = normalise_key(sheet.fields[0].label)
    for r, row in enumerate(rows):
        for c in range(min(len(row), LABEL_SCAN_COLS)):
            if normalise_key(row[c]) == key_label:
                return r, c
    return None


def looks_like(rows: list[list], sheet: SheetDef) -> bool:
    """Whether a worksheet (first rows) holds this sheet: its key label and at least half its labels."""
    labels = {normalise_key(f.label) for f in sheet.fields}
    if sheet.layout == "card":
        at = _label_column(rows, sheet)
        if at is None:
            return False
        column = {normalise_key(row[at[1]]) for row in rows if at[1] < len(row)}
        return len(column & labels) >= len(labels) // 2
    key_label = normalise_key(sheet.fields[0].label)
    for row in rows[:15]:
        texts = {normalise_key(c) for c in row}
        if key_label in texts and len(texts & labels) >= len(labels) // 2:
            return True
    return False


def read_card(name: str, rows: list[list], sheet: SheetDef, keys: set[str]):
    from dxdesk.intake.reader import RawCell, SheetValues
    result = SheetValues(name)
    at = _label_column(rows, sheet)
    if at is None:
        return result
    label_col, value_col = at[1], at[1] + 1
    by_label = {normalise_key(f.label): f for f in sheet.fields}
    where: dict[str, int] = {}
    for r, row in enumerate(rows):
        field = by_label.get(normalise_key(row[label_col])) if label_col < len(row) else None
        if field is not None and field.key not in where:
            where[field.key] = r

    def cell(r: int) -> RawCell:
        row = rows[r]
        return RawCell(row[value_col] if value_col < len(row) else None, name, xl_rowcol_to_cell(r, value_col))

    key_row = where[sheet.fields[0].key]
    key = clean_text(cell(key_row).value)
    result.header_row = at[0]
    result.columns = {k: value_col for k in where}
    if key not in keys:
        result.outside.append(cell(key_row).cell)
        return result
    result.key_rows[key] = key_row
    result.rows[key] = {f.key: cell(where[f.key]) for f in sheet.fields if f.kind != "formula" and f.key in where}
    return result
