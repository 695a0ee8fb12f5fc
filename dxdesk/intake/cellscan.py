"""What python-calamine does not tell: Excel error cells (#DIV/0! reads as empty) and formulas whose
result was never saved. Found by scanning the sheet's XML text — no XML parser, so no entity expansion,
and far faster than opening the workbook with openpyxl."""
from __future__ import annotations

import html
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from dxdesk.errors import InputFileError

_SHEET = re.compile(rb'<(?:\w+:)?sheet\b[^>]*?\bname="([^"]*)"[^>]*?\br:id="([^"]*)"')
_REL = re.compile(rb'<Relationship\b[^>]*?\bId="([^"]*)"[^>]*?\bTarget="([^"]*)"')
_REL_ALT = re.compile(rb'<Relationship\b[^>]*?\bTarget="([^"]*)"[^>]*?\bId="([^"]*)"')
_REF = re.compile(rb'\br="([A-Z]+[0-9]+)"')
_TYPE = re.compile(rb'\bt="([a-zA-Z]+)"')
_VALUE = re.compile(rb'<v>([^<]*)</v>')
MAX_PART = 50 * 1024 * 1024
_PREFIXED = re.compile(rb'<[A-Za-z_][\w.\-]*:(?:worksheet|sheetData|row|c|styleSheet|cellXfs|xf|numFmt)\b')
_PREFIX = re.compile(rb'<(/?)[A-Za-z_][\w.\-]*:')


def unprefixed(data: bytes) -> bytes:
    """The part's XML with element namespace prefixes dropped (<x:c> → <c>), so that the targeted searches below
    see a sheet or styles part whatever prefix its writer chose; unchanged (and not copied) when it has none."""
    return _PREFIX.sub(rb"<\1", data) if _PREFIXED.search(data) else data


@dataclass(frozen=True)
class CellIssues:
    errors: dict[str, str]            # A1 ref → "#DIV/0!"
    formulas_without_value: set[str]  # A1 refs with a formula and no saved result
    percent: frozenset[str] = frozenset()  # A1 refs shown with a % number format (Excel stores 82.5% as 0.825)
    merged: tuple[str, ...] = ()             # merged ranges ("O5:P5")
    hidden_rows: frozenset[int] = frozenset()  # 1-based
    hidden_cols: frozenset[int] = frozenset()  # 1-based
    formulas: frozenset[str] = frozenset()     # A1 refs holding a formula (its saved result is what is read)
    dates: frozenset[str] = frozenset()        # A1 refs shown with a date format (the number is a date serial)
    scaled: dict = field(default_factory=dict)  # A1 ref → divisor of a scaling format (#,##0, shows ÷1000)


_MERGE = re.compile(rb'<mergeCell\b[^>]*?\bref="([A-Z]+[0-9]+:[A-Z]+[0-9]+)"')
_HIDDEN_ROW = re.compile(rb'<row\b[^>]*?\br="([0-9]+)"[^>]*?\bhidden="(?:1|true)"')
_HIDDEN_ROW_ALT = re.compile(rb'<row\b[^>]*?\bhidden="(?:1|true)"[^>]*?\br="([0-9]+)"')
_COL = re.compile(rb'<col\b([^>]*)/?>')
_MIN = re.compile(rb'\bmin="([0-9]+)"')
_MAX = re.compile(rb'\bmax="([0-9]+)"')
_HIDDEN = re.compile(rb'\bhidden="(?:1|true)"')


_XFS = re.compile(rb"<cellXfs\b[^>]*>(.*?)</cellXfs>", re.S)
_XF = re.compile(rb"<xf\b([^>]*)")
_FMT_ID = re.compile(rb'\bnumFmtId="([0-9]+)"')
_NUMFMT = re.compile(rb'<numFmt\b([^>]*)>')  # attributes in any order (Gnumeric writes formatCode first)
_FMT_CODE = re.compile(rb'\bformatCode="([^"]*)"')
BUILTIN_PERCENT = {9, 10}
BUILTIN_DATE = set(range(14, 23)) | set(range(27, 37)) | {45, 46, 47} | set(range(50, 59))
_LITERAL = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]|_.|\*.')   # quoted text, escapes, [$-411] [Red], padding
_DATE_PART = re.compile(r"[yYdDhHsSgG]|[eE](?![+-])|(?<![0#?])[mM]")
_SCALING = re.compile(r"[0#?](,+)(?=[^0#?]|$)")


@dataclass(frozen=True)
class NumberFormats:
    """The cell styles (indexes into cellXfs) whose number format changes what a number means."""

    percent: frozenset[int] = frozenset()  # 82.5% is stored as 0.825
    dates: frozenset[int] = frozenset()    # the number is a date serial (「3/4」 typed becomes 46085)
    scaled: dict = field(default_factory=dict)  # style → divisor: #,##0, shows 20453000 as 20,453


def classify_format(code: str) -> tuple[str, float]:
    """("percent" | "date" | "scaled" | "", divisor) for an Excel number format code (first section)."""
    bare = _LITERAL.sub("", code.split(";")[0]).replace("General", "")
    if "%" in bare:
        return "percent", 1.0
    if _DATE_PART.search(bare):
        return "date", 1.0
    scaling = _SCALING.search(bare)
    if scaling:
        return "scaled", 1000.0 ** len(scaling.group(1))
    return "", 1.0


def _number_formats(archive: zipfile.ZipFile) -> NumberFormats:
    try:
        styles = unprefixed(archive.read("xl/styles.xml"))
    except KeyError:
        return NumberFormats()
    kinds: dict[int, tuple[str, float]] = {i: ("percent", 1.0) for i in BUILTIN_PERCENT}
    kinds.update({i: ("date", 1.0) for i in BUILTIN_DATE})
    for attrs in _NUMFMT.findall(styles):
        fmt_id, code = _FMT_ID.search(attrs), _FMT_CODE.search(attrs)
        if fmt_id and code:
            kinds[int(fmt_id.group(1))] = classify_format(html.unescape(code.group(1).decode("utf-8", "replace")))
    block = _XFS.search(styles)
    if not block:
        return NumberFormats()
    found: dict[str, dict[int, float]] = {"percent": {}, "date": {}, "scaled": {}, "": {}}
    for index, attrs in enumerate(_XF.findall(block.group(1))):
        fmt = _FMT_ID.search(attrs)
        kind, divisor = kinds.get(int(fmt.group(1)), ("", 1.0)) if fmt else ("", 1.0)
        found[kind][index] = divisor
    return NumberFormats(frozenset(found["percent"]), frozenset(found["date"]), found["scaled"])


def _sheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    workbook = archive.read("xl/workbook.xml")
    rels = archive.read("xl/_rels/workbook.xml.rels")
    targets = {rid: target for rid, target in _REL.findall(rels)}
    targets.update({rid: target for target, rid in _REL_ALT.findall(rels)})
    parts = {}
    for name, rid in _SHEET.findall(workbook):
        target = targets.get(rid, b"").decode("utf-8")
        path = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
        parts[html.unescape(name.decode("utf-8"))] = path
    return parts


NOTHING = CellIssues({}, set())


_FAR_CANDIDATE = re.compile(rb'<(?:\w+:)?c\b(?=[^>]*?\br="([A-Z]{1,3})([0-9]+)")([^>]*?)(/?)>')
_STYLE = re.compile(rb'\bs="([0-9]+)"')
_ELEMENT = re.compile(rb'<(?:[A-Za-z_][\w.\-]*:)?(row|c)(?=[\s/>])([^>]*)>')  # <row>, <c>, <x:row>, <x:c>
_R_ATTR = re.compile(rb'\sr\s*=\s*["\']([^"\']*)["\']')
_CELL_REF = re.compile(rb"([A-Za-z]+)([0-9]+)")
EXCEL_ROWS, EXCEL_COLS = 1_048_576, 16_384


class BadCellRef(InputFileError):
    """A cell or row address beyond XFD1048576 or not an address at all: the sheet XML is broken or crafted."""


@dataclass(frozen=True)
class Layout:
    """Where a sheet's rows and cells are, as python-calamine will place them (it counts a row or cell written
    without an address on from the previous one), and what is written twice (ambiguous: which one counts?)."""

    last_row: int = 0
    last_col: int = 0
    big: bool = False  # the part is over the scan cap: not scanned, to be read only up to the form's limits
    duplicate_cells: tuple[str, ...] = ()
    duplicate_rows: tuple[int, ...] = ()


class _LayoutScan:
    """One pass over the <row>/<c> elements of a sheet, whatever their namespace prefix."""

    def __init__(self, sheet: str) -> None:
        self.sheet = sheet
        self.row = self.col = self.last_row = self.last_col = 0
        self.rows: set[int] = set()
        self.cells: set[tuple[int, int]] = set()
        self.dup_cells: list[str] = []
        self.dup_rows: list[int] = []

    def feed(self, data: bytes) -> None:
        for name, attrs in _ELEMENT.findall(data):
            ref = _R_ATTR.search(attrs)
            if name == b"row":
                self._row(ref.group(1) if ref else None)
            else:
                self._cell(ref.group(1) if ref else None)

    def _row(self, ref: bytes | None) -> None:
        if ref is None:
            self.row += 1
        elif ref.isdigit() and 0 < int(ref) <= EXCEL_ROWS:
            self.row = int(ref)
        else:
            raise BadCellRef(f"シート「{self.sheet}」の行番号「{_text(ref)}」が Excel の範囲外です（ファイルが壊れています）")
        self.col = 0
        self.last_row = max(self.last_row, self.row)
        if self.row in self.rows and len(self.dup_rows) < 10:
            self.dup_rows.append(self.row)
        self.rows.add(self.row)

    def _cell(self, ref: bytes | None) -> None:
        if ref is None:
            self.col += 1
        else:
            match = _CELL_REF.fullmatch(ref)
            col = _column_number(match.group(1).upper()) if match and len(match.group(1)) <= 3 else 0
            row = int(match.group(2)) if match else 0
            if not (0 < col <= EXCEL_COLS and 0 < row <= EXCEL_ROWS):
                raise BadCellRef(f"シート「{self.sheet}」のセル番地「{_text(ref)}」が Excel の範囲（A1〜XFD1048576）"
                                 "の外です（ファイルが壊れているか、細工されています）")
            self.row, self.col = row, col
            self.last_row = max(self.last_row, row)
        if self.col > EXCEL_COLS:
            raise BadCellRef(f"シート「{self.sheet}」{self.row}行目の列が Excel の範囲（XFD 列）を超えています")
        self.last_col = max(self.last_col, self.col)
        if (self.row, self.col) in self.cells and len(self.dup_cells) < 10:
            self.dup_cells.append(f"{_column_letters(self.col)}{self.row}")
        self.cells.add((self.row, self.col))

    def result(self) -> Layout:
        return Layout(self.last_row, self.last_col, duplicate_cells=tuple(self.dup_cells),
                      duplicate_rows=tuple(self.dup_rows))


_PLAIN_CELL = re.compile(rb'<c r="([A-Z]{1,3})([0-9]{1,7})"')
_PLAIN_ROW = re.compile(rb'<row r="([0-9]{1,7})"')
_PREFIXED = re.compile(rb"<[A-Za-z_][\w.\-]*:(?:c|row)[\s/>]")


def _plain_layout(data: bytes) -> Layout | None:
    """The layout of a sheet as Excel, Calc, openpyxl and XlsxWriter write it — every row and cell with its
    address first, no prefix, nothing twice, all inside the grid — found with C-speed searches; None for any
    other sheet, which the element-by-element scan then reads (and explains)."""
    cells, rows = _PLAIN_CELL.findall(data), _PLAIN_ROW.findall(data)
    if (len(cells) != data.count(b"<c ") + data.count(b"<c>") + data.count(b"<c/>")
            or len(rows) != data.count(b"<row ") + data.count(b"<row>") + data.count(b"<row/>")
            or len(set(cells)) != len(cells) or len(set(rows)) != len(rows) or _PREFIXED.search(data)):
        return None
    row_numbers = {int(r) for r in set(rows) | {r for _, r in cells}}
    columns = {_column_number(letters) for letters in {c for c, _ in cells}}
    if (row_numbers and not 0 < min(row_numbers) <= max(row_numbers) <= EXCEL_ROWS) or \
            (columns and max(columns) > EXCEL_COLS):
        return None
    return Layout(max(row_numbers, default=0), max(columns, default=0))


def _scanned_layout(sheet: str, data: bytes) -> Layout:
    scan = _LayoutScan(sheet)
    scan.feed(data)
    return scan.result()


def _text(ref: bytes) -> str:
    return ref[:20].decode("utf-8", "replace")


class SheetXml:
    """The sheets' XML of one xlsx, opened once: each sheet's extent (python-calamine allocates the whole
    rectangle up to the last cell, so one value at XFD1048576 would abort the process — callers check
    first) and what calamine does not tell (error cells, unsaved formulas, % formats, merged and hidden
    cells). For a file that is not an xlsx zip (.xls / .ods) everything is empty."""

    def __init__(self, path: Path) -> None:
        self._data: dict[str, bytes] = {}
        self._formats: NumberFormats | None = None
        self._layouts: dict[str, Layout] = {}
        try:
            self._archive: zipfile.ZipFile | None = zipfile.ZipFile(path)
            self._parts = _sheet_parts(self._archive)
        except (KeyError, OSError, zipfile.BadZipFile):
            self._archive, self._parts = None, {}

    def close(self) -> None:
        if self._archive:
            self._archive.close()

    def _read(self, sheet: str) -> bytes:
        if sheet not in self._data:
            part = self._parts.get(sheet)
            try:
                too_big = part is None or self._archive.getinfo(part).file_size > MAX_PART
                self._data[sheet] = b"" if too_big else self._archive.read(part)
            except (KeyError, OSError, zipfile.BadZipFile):
                self._data[sheet] = b""
        return self._data[sheet]

    def layout(self, sheet: str) -> Layout:
        """Where the sheet's rows and cells are (BadCellRef for an address outside the Excel grid); a part
        over the scan cap is not scanned (Layout.big)."""
        if sheet not in self._layouts:
            part = self._parts.get(sheet)
            try:
                big = part is not None and self._archive.getinfo(part).file_size > MAX_PART
            except KeyError:
                big = False
            if big:
                self._layouts[sheet] = Layout(big=True)
            else:
                data = self._read(sheet)
                self._layouts[sheet] = _plain_layout(data) or _scanned_layout(sheet, data)
        return self._layouts[sheet]

    def extent(self, sheet: str) -> tuple[int, int]:
        """(last row, last column) as python-calamine will allocate them."""
        layout = self.layout(sheet)
        return layout.last_row, layout.last_col

    def far_cells(self, sheet: str, max_row: int, max_col: int) -> list[str]:
        """Refs (at most 5) of the cells beyond the limits that hold a value or a non-default style. An empty
        <row r="1048576"> and a dimension to it — what Calc writes after a row is deleted — hold neither."""
        found = []
        for match in _FAR_CANDIDATE.finditer(self._read(sheet)):
            letters, row, attrs, closing = match.groups()
            if int(row) <= max_row and _column_number(letters) <= max_col:
                continue
            style = _STYLE.search(attrs)
            if closing != b"/" or (style and style.group(1) != b"0"):
                found.append(f"{letters.decode()}{int(row)}")
                if len(found) == 5:
                    break
        return found

    def issues(self, sheet: str) -> CellIssues:
        data = self._read(sheet)
        if not data:
            return NOTHING
        if self._formats is None:
            self._formats = _number_formats(self._archive)
        return _scan_xml(unprefixed(data), self._formats)


_ERROR_CELL = re.compile(rb'<c\b([^>]*?\bt="e"[^>]*)>(.*?)</c>', re.S)
_FORMULA_CELL = re.compile(rb'<c\b([^>]*)>\s*<f\b(?:[^>]*/>|[^>]*>.*?</f>)\s*(?:<v>(.*?)</v>|<v\s*/>)?\s*</c>', re.S)


def _scan_xml(data: bytes, formats: NumberFormats) -> CellIssues:
    """Targeted searches, not a loop over every cell: most sheets have none of these."""
    errors: dict[str, str] = {}
    if b't="e"' in data:
        for attrs, body in _ERROR_CELL.findall(data):
            ref, value = _REF.search(attrs), _VALUE.search(body)
            if ref:
                errors[ref.group(1).decode()] = value.group(1).decode() if value else "#VALUE!"
    unsaved: set[str] = set()
    formulas: set[str] = set()
    if b"<f" in data:
        for attrs, value in _FORMULA_CELL.findall(data):
            ref = _REF.search(attrs)
            if not ref:
                continue
            formulas.add(ref.group(1).decode())
            if not value and not _TYPE.search(attrs):
                unsaved.add(ref.group(1).decode())
    styled = _styled_cells(data, formats.percent | formats.dates | set(formats.scaled))
    percent = {ref for ref, style in styled.items() if style in formats.percent}
    dates = {ref for ref, style in styled.items() if style in formats.dates}
    scaled = {ref: formats.scaled[style] for ref, style in styled.items() if style in formats.scaled}
    hidden = b'hidden="' in data
    hidden_rows = ({int(r) for r in _HIDDEN_ROW.findall(data)} | {int(r) for r in _HIDDEN_ROW_ALT.findall(data)}
                   if hidden else set())
    hidden_cols: set[int] = set()
    for attrs in _COL.findall(data) if hidden else ():
        low, high = _MIN.search(attrs), _MAX.search(attrs)
        if _HIDDEN.search(attrs) and low and high and int(high.group(1)) - int(low.group(1)) < 1000:
            hidden_cols.update(range(int(low.group(1)), int(high.group(1)) + 1))
    merged = tuple(m.decode() for m in _MERGE.findall(data)) if b"<mergeCell" in data else ()
    return CellIssues(errors, unsaved, frozenset(percent), merged, frozenset(hidden_rows), frozenset(hidden_cols),
                      frozenset(formulas), frozenset(dates), scaled)


def _styled_cells(data: bytes, styles: set[int]) -> dict[str, int]:
    """A1 ref → style of the cells holding a value whose style is one of `styles`."""
    if not styles:
        return {}
    styled = re.compile(rb'<c\b([^>]*?\bs="(' + b"|".join(str(i).encode() for i in sorted(styles))
                        + rb')"[^>]*?)(?<!/)>')
    found = {}
    for attrs, style in styled.findall(data):
        ref = _REF.search(attrs)
        if ref:
            found[ref.group(1).decode()] = int(style)
    return found




def _column_letters(number: int) -> str:
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _column_number(letters: bytes) -> int:
    number = 0
    for ch in letters:
        number = number * 26 + ch - 64
    return number
