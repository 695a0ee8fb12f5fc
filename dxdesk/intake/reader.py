"""Read a returned workbook: its stamp, and the input cells found by header labels and row keys.

Values come from python-calamine (fast, never writes). Columns are found by their header label and
rows by their row key, so a moved column or an inserted row is still read from the right cell.
"""
from __future__ import annotations

import io
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable

import openpyxl
from python_calamine import CalamineWorkbook
from xlsxwriter.utility import xl_col_to_name, xl_rowcol_to_cell

from dxdesk.errors import InputFileError
from dxdesk.forms.definition import FORMS, KEY_SEP, STAMP_SHEET_NAME, FormDef, SheetDef
from dxdesk.intake.cellscan import NOTHING, CellIssues, SheetXml
from dxdesk.forms.stamp import Stamp, from_mapping, from_sheet_rows, read_custom_properties
from dxdesk.normalize import clean_text, normalise_key

HEADER_SCAN_ROWS = 15
MAX_ROWS, MAX_COLS = 5000, 200  # far beyond any form; a sheet reaching further is read only up to here


@dataclass(frozen=True)
class RawCell:
    value: object
    sheet: str
    cell: str
    percent: bool = False  # shown with a % number format: Excel stores 82.5% as 0.825
    date_style: bool = False  # shown with a date format: the number is a date serial (「3/4」 → 46085)
    divisor: float = 1.0      # shown scaled (#,##0, shows 20453000 as 20,453): what the section saw is value ÷ this


@dataclass(frozen=True)
class ExcelError:
    """An input cell holding an Excel error (#DIV/0!, #REF! …), which calamine reads as empty."""

    text: str

    def __str__(self) -> str:
        return self.text


@dataclass(frozen=True)
class UnsavedFormula:
    """An input cell with a formula whose result was never saved (file written by a program, not Excel)."""

    def __str__(self) -> str:
        return "（数式・計算結果なし）"


@dataclass
class SheetValues:
    sheet_name: str
    rows: dict[str, dict[str, RawCell]] = field(default_factory=dict)  # row key → field key → cell
    header_row: int | None = None                                   # 0-based
    columns: dict[str, int] = field(default_factory=dict)           # field key → 0-based column
    key_rows: dict[str, int] = field(default_factory=dict)          # row key → 0-based row
    outside: list[str] = field(default_factory=list)                # refs holding data outside the table
    issues: CellIssues = NOTHING                                    # merged / hidden cells, from the XML scan
    names: list[str] = field(default_factory=list)                  # the worksheets read (several when repeated)
    repeated: dict[str, list[int]] = field(default_factory=dict)    # row key → its 1-based rows, when twice


@dataclass
class Workbook:
    path: Path
    stamp: Stamp | None
    sheet_names: list[str]
    sheets: dict[str, SheetValues] = field(default_factory=dict)  # sheet key → values
    far_cells: dict[str, list[str]] = field(default_factory=dict)  # sheet → refs of filled cells beyond the limits
    hidden_sheets: tuple[str, ...] = ()  # hidden by the section (our own stamp sheet is not listed)
    keys_from_plan: bool = False  # the stamp sheet (with the row keys) was deleted: rows read by the plan's keys
    written_twice: dict[str, tuple[str, ...]] = field(default_factory=dict)  # sheet → cells ("O5") and rows ("5行目")
    huge_sheets: set[str] = field(default_factory=set)  # sheet parts over the scan cap (not scanned)

    @property
    def form(self) -> FormDef | None:
        return FORMS.get(self.stamp.form_kind) if self.stamp else None


def _source(path: Path, data: bytes | None):
    """What the parsers open: the file, or the workbook in memory (a decrypted return never touches the disk)."""
    return path if data is None else io.BytesIO(data)


def open_calamine(path: Path, data: bytes | None = None) -> CalamineWorkbook:
    """Open by content, not by extension: a .xls or .ods saved under another name is still read."""
    try:
        if data is not None:
            return CalamineWorkbook.from_filelike(io.BytesIO(data))
        with open(path, "rb") as handle:
            return CalamineWorkbook.from_filelike(handle)
    except Exception as exc:  # calamine raises its own error types for broken files
        raise InputFileError(f"Excel ブックとして開けません（{exc.__class__.__name__}）") from exc


class _Sheets:
    """Sheet rows from calamine — except for a sheet with content far away (XFD1048576), which calamine
    would try to allocate whole: that one is read with openpyxl in read-only mode, up to the limits."""

    def __init__(self, path: Path, book: CalamineWorkbook, data: bytes | None = None) -> None:
        self.path, self.book, self.data = path, book, data
        self.xml = SheetXml(_source(path, data))
        self.far: dict[str, list[str]] = {}
        self.huge: set[str] = set()
        self._rows: dict[tuple[str, int | None], list[list]] = {}

    def rows(self, name: str, limit: int | None = None) -> list[list]:
        """A sheet's rows (the first `limit` only, if given); a sheet that cannot be parsed is an
        InputFileError (R3), like a workbook that cannot be opened."""
        key = (name, limit)
        if key not in self._rows and (name, None) in self._rows:
            return self._rows[(name, None)][:limit]
        if key not in self._rows:
            try:
                self._rows[key] = self._read(name, limit)
            except InputFileError:
                raise
            except Exception as exc:  # calamine and openpyxl raise their own parse errors
                raise InputFileError(f"シート「{name}」が壊れていて開けません（{exc.__class__.__name__}）") from exc
        return self._rows[key]

    def _read(self, name: str, limit: int | None) -> list[list]:
        layout = self.xml.layout(name)
        if not layout.big and layout.last_row <= MAX_ROWS and layout.last_col <= MAX_COLS:
            sheet = self.book.get_sheet_by_name(name)
            return sheet.to_python(skip_empty_area=False, nrows=limit) if limit else \
                sheet.to_python(skip_empty_area=False)
        if layout.big:
            self.huge.add(name)
        self.far[name] = self.xml.far_cells(name, MAX_ROWS, MAX_COLS)
        workbook = openpyxl.load_workbook(_source(self.path, self.data), read_only=True, data_only=True)
        try:
            sheet = workbook[name]
            return [["" if v is None else v for v in row]
                    for row in sheet.iter_rows(max_row=min(limit or MAX_ROWS, MAX_ROWS), max_col=MAX_COLS,
                                               values_only=True)]
        finally:
            workbook.close()


def read_stamp(path: Path, book: CalamineWorkbook, sheets: "_Sheets | None" = None) -> Stamp | None:
    """The stamp from the veryHidden sheet (with row keys), else from the custom properties."""
    from_sheet = None
    if STAMP_SHEET_NAME in book.sheet_names:
        rows = (sheets or _Sheets(path, book)).rows(STAMP_SHEET_NAME)
        from_sheet = from_sheet_rows(rows)
    if from_sheet:
        return from_sheet
    return from_mapping(read_custom_properties(_source(path, sheets.data if sheets else None)))


def read_workbook(path: Path, plan_row_keys: Callable[[Stamp], dict[str, tuple[str, ...]]] | None = None,
                  data: bytes | None = None) -> Workbook:
    """`plan_row_keys(stamp)`: the row keys the plan gives the stamp's section, used when the stamp sheet
    (which keeps the distributed row keys) was deleted and only the document properties remain.
    `data`: the workbook's content in memory (a decrypted return), read instead of the file at `path`."""
    book = open_calamine(path, data)
    sheets = _Sheets(path, book, data)
    try:
        stamp = read_stamp(path, book, sheets)
        keys_from_plan = False
        if stamp and not stamp.row_keys and plan_row_keys:
            stamp = replace(stamp, row_keys=plan_row_keys(stamp))
            keys_from_plan = bool(stamp.row_keys)
        hidden = tuple(m.name for m in book.sheets_metadata
                       if str(m.visible).rsplit(".", 1)[-1] != "Visible" and m.name != STAMP_SHEET_NAME)
        result = Workbook(path, stamp, list(book.sheet_names), far_cells=sheets.far, huge_sheets=sheets.huge,
                          hidden_sheets=hidden,
                          keys_from_plan=keys_from_plan)
        form = result.form
        if stamp is None or form is None:
            return result
        found = {sheet.key: _find_sheet(sheets, sheet) for sheet in form.sheets if not sheet.repeat}
        for sheet in form.sheets:
            if sheet.repeat:
                claimed = {n for n in found.values() if n} | {s.name for s in form.sheets}
                values = read_repeated(sheets, sheet, set(stamp.row_keys.get(sheet.key, ())), claimed)
                if values is not None:
                    result.sheets[sheet.key] = values
                continue
            name = found[sheet.key]
            if name is None:
                continue
            rows = sheets.rows(name)
            values = _read_sheet(name, rows, sheet, set(stamp.row_keys.get(sheet.key, ())))
            values.names = [name]
            values.issues = sheets.xml.issues(name)
            _mark_hidden_problems(values, sheet, values.issues)
            result.sheets[sheet.key] = values
        for name in [STAMP_SHEET_NAME] + [n for v in result.sheets.values() for n in (v.names or [v.sheet_name])]:
            layout = sheets.xml.layout(name)
            rows = set(layout.duplicate_rows)
            twice = tuple(f"{r}行目" for r in layout.duplicate_rows) + tuple(
                c for c in layout.duplicate_cells if int(c.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")) not in rows)
            if twice:
                result.written_twice[name] = twice
        return result
    finally:
        sheets.xml.close()
        book.close()


def _mark_hidden_problems(values: SheetValues, sheet: SheetDef, issues: CellIssues) -> None:
    """Replace the empty value calamine gives for an error cell or an unsaved formula with a marker;
    flag the input numbers shown as a percentage, as a date or scaled by their number format."""
    if not (issues.errors or issues.formulas_without_value or issues.percent or issues.dates or issues.scaled):
        return
    inputs = {f.key for f in sheet.inputs}
    for row in values.rows.values():
        for key, cell in list(row.items()):
            if key in inputs and isinstance(cell.value, (int, float)) and not isinstance(cell.value, bool):
                ref = cell.cell
                row[key] = RawCell(cell.value, cell.sheet, ref, percent=ref in issues.percent,
                                   date_style=ref in issues.dates, divisor=issues.scaled.get(ref, 1.0))
            if key not in inputs or cell.value not in (None, ""):
                continue
            if cell.cell in issues.errors:
                row[key] = RawCell(ExcelError(issues.errors[cell.cell]), cell.sheet, cell.cell)
            elif cell.cell in issues.formulas_without_value:
                row[key] = RawCell(UnsavedFormula(), cell.sheet, cell.cell)


def _find_sheet(sheets: _Sheets, sheet: SheetDef) -> str | None:
    """The sheet by its distributed name, else the first sheet whose header has the row-key label."""
    book = sheets.book
    if sheet.name in book.sheet_names:
        return sheet.name
    key_label = normalise_key(sheet.fields[0].label)
    labels = {normalise_key(f.label) for f in sheet.fields}
    for name in book.sheet_names:
        if name == STAMP_SHEET_NAME:
            continue
        rows = sheets.rows(name, HEADER_SCAN_ROWS)
        for row in rows:
            texts = {normalise_key(c) for c in row}
            if key_label in texts and len(texts & labels) >= len(labels) // 2:
                return name
    return None


def _read_sheet(name: str, rows: list[list], sheet: SheetDef, keys: set[str]) -> SheetValues:
    columns, header = _header(rows, sheet)
    result = SheetValues(name)
    if header is None:
        return result
    result.header_row, result.columns = header, columns
    key_cols = [columns.get(k) for k in sheet.keys]
    wanted = [(f.key, columns[f.key]) for f in sheet.fields if f.kind != "formula" and f.key in columns]
    last_col = max(columns.values(), default=0)
    letters = {c: xl_col_to_name(c) for _, c in wanted}
    for r in range(header + 1, len(rows)):
        row = rows[r]
        key = KEY_SEP.join(clean_text(row[c]) if c is not None and c < len(row) else "" for c in key_cols)
        if key in result.rows:  # the same row key twice: which row is meant cannot be told
            result.repeated.setdefault(key, [result.key_rows[key] + 1]).append(r + 1)
            continue
        if key not in keys:
            result.outside += [xl_rowcol_to_cell(r, c) for c, v in enumerate(row) if v not in (None, "")][:5]
            continue
        result.key_rows[key] = r
        number = str(r + 1)
        result.rows[key] = {fkey: RawCell(row[c] if c < len(row) else None, name, letters[c] + number)
                            for fkey, c in wanted}
        result.outside += [xl_rowcol_to_cell(r, c) for c in range(last_col + 1, len(row))
                           if row[c] not in (None, "")][:5]
    return result


def _header(rows: list[list], sheet: SheetDef) -> tuple[dict[str, int], int | None]:
    by_label = {normalise_key(f.label): f.key for f in sheet.fields}
    key_label = normalise_key(sheet.fields[0].label)
    for r, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        texts = [normalise_key(c) for c in row]
        if key_label in texts:
            columns: dict[str, int] = {}
            for c, text in enumerate(texts):
                if text in by_label and by_label[text] not in columns:
                    columns[by_label[text]] = c
            return columns, r
    return {}, None


def read_repeated(sheets: _Sheets, sheet: SheetDef, keys: set[str], claimed: set[str]) -> SheetValues | None:
    """A sheet repeated per measure or system: every worksheet named "<name>_…", or (renamed) whose content
    is that sheet's, read by labels and row keys and merged into one SheetValues."""
    from dxdesk.intake.cards import looks_like, read_card
    prefix = sheet.name + "_"
    names = [n for n in sheets.book.sheet_names if n.startswith(prefix)]
    names += [n for n in sheets.book.sheet_names if n not in names and n not in claimed and n != STAMP_SHEET_NAME
              and not any(n.startswith(other + "_") for other in claimed) and looks_like(sheets.rows(n, 80), sheet)]
    merged: SheetValues | None = None
    for name in names:
        rows = sheets.rows(name)
        part = read_card(name, rows, sheet, keys) if sheet.layout == "card" else _read_sheet(name, rows, sheet, keys)
        part.issues = sheets.xml.issues(name)
        _mark_hidden_problems(part, sheet, part.issues)
        if merged is None:
            merged, part.names = part, [name]
            continue
        merged.names.append(name)
        for key, cells in part.rows.items():
            if key in merged.rows:  # the same row twice (a copied sheet): the first one counts
                merged.outside += [cell.cell for cell in cells.values() if cell.value not in (None, "")][:5]
                continue
            merged.rows[key] = cells
            merged.key_rows[key] = part.key_rows[key]
        merged.outside += part.outside
    return merged
