"""What python-calamine does not tell: Excel error cells (#DIV/0! reads as empty) and formulas whose
result was never saved. Found by scanning the sheet's XML text — no XML parser, so no entity expansion,
and far faster than opening the workbook with openpyxl."""
from __future__ import annotations

import html
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

_SHEET = re.compile(rb'<(?:\w+:)?sheet\b[^>]*?\bname="([^"]*)"[^>]*?\br:id="([^"]*)"')
_REL = re.compile(rb'<Relationship\b[^>]*?\bId="([^"]*)"[^>]*?\bTarget="([^"]*)"')
_REL_ALT = re.compile(rb'<Relationship\b[^>]*?\bTarget="([^"]*)"[^>]*?\bId="([^"]*)"')
_CELL = re.compile(rb'<c\b([^>]*?)(?:/>|>(.*?)</c>)', re.S)
_REF = re.compile(rb'\br="([A-Z]+[0-9]+)"')
_TYPE = re.compile(rb'\bt="([a-zA-Z]+)"')
_VALUE = re.compile(rb'<v>([^<]*)</v>')
MAX_PART = 50 * 1024 * 1024


@dataclass(frozen=True)
class CellIssues:
    errors: dict[str, str]            # A1 ref → "#DIV/0!"
    formulas_without_value: set[str]  # A1 refs with a formula and no saved result
    percent: frozenset[str] = frozenset()  # A1 refs shown with a % number format (Excel stores 82.5% as 0.825)
    merged: tuple[str, ...] = ()             # merged ranges ("O5:P5")
    hidden_rows: frozenset[int] = frozenset()  # 1-based
    hidden_cols: frozenset[int] = frozenset()  # 1-based


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
_NUMFMT = re.compile(rb'<numFmt\b[^>]*?\bnumFmtId="([0-9]+)"[^>]*?\bformatCode="([^"]*)"')
_STYLE = re.compile(rb'\bs="([0-9]+)"')
BUILTIN_PERCENT = {9, 10}


def _percent_styles(archive: zipfile.ZipFile) -> set[int]:
    """Indexes of the cell styles whose number format shows a percentage."""
    try:
        styles = archive.read("xl/styles.xml")
    except KeyError:
        return set()
    percent_ids = set(BUILTIN_PERCENT)
    for fmt_id, code in _NUMFMT.findall(styles):
        if b"%" in html.unescape(code.decode("utf-8", "replace")).replace('"%"', "").encode():
            percent_ids.add(int(fmt_id))
    block = _XFS.search(styles)
    if not block:
        return set()
    result = set()
    for index, attrs in enumerate(_XF.findall(block.group(1))):
        fmt = _FMT_ID.search(attrs)
        if fmt and int(fmt.group(1)) in percent_ids:
            result.add(index)
    return result


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


def scan_sheets(path: Path, sheets: list[str]) -> dict[str, CellIssues]:
    """Error cells and unsaved formula results of some sheets (one pass over the zip)."""
    result = {}
    try:
        with zipfile.ZipFile(path) as archive:
            parts = _sheet_parts(archive)
            percent_styles = _percent_styles(archive)
            for sheet in sheets:
                part = parts.get(sheet)
                if part is None or archive.getinfo(part).file_size > MAX_PART:
                    result[sheet] = NOTHING
                else:
                    result[sheet] = _scan_xml(archive.read(part), percent_styles)
    except (KeyError, OSError, zipfile.BadZipFile):
        pass
    return result


def scan(path: Path, sheet: str) -> CellIssues:
    """Error cells and unsaved formula results of one sheet; nothing when the file cannot be scanned."""
    return scan_sheets(path, [sheet]).get(sheet, NOTHING)


def _scan_xml(data: bytes, percent_styles: set[int]) -> CellIssues:
    errors: dict[str, str] = {}
    unsaved: set[str] = set()
    percent: set[str] = set()
    for attrs, body in _CELL.findall(data):
        ref = _REF.search(attrs)
        if not ref:
            continue
        style = _STYLE.search(attrs)
        if style and int(style.group(1)) in percent_styles and body:
            percent.add(ref.group(1).decode())
        kind = _TYPE.search(attrs)
        value = _VALUE.search(body or b"")
        if kind and kind.group(1) == b"e":
            errors[ref.group(1).decode()] = value.group(1).decode() if value else "#VALUE!"
        elif body and b"<f" in body and (value is None or (not value.group(1) and not kind)):
            unsaved.add(ref.group(1).decode())
    hidden_rows = {int(r) for r in _HIDDEN_ROW.findall(data)} | {int(r) for r in _HIDDEN_ROW_ALT.findall(data)}
    hidden_cols: set[int] = set()
    for attrs in _COL.findall(data):
        low, high = _MIN.search(attrs), _MAX.search(attrs)
        if _HIDDEN.search(attrs) and low and high and int(high.group(1)) - int(low.group(1)) < 1000:
            hidden_cols.update(range(int(low.group(1)), int(high.group(1)) + 1))
    merged = tuple(m.decode() for m in _MERGE.findall(data))
    return CellIssues(errors, unsaved, frozenset(percent), merged, frozenset(hidden_rows), frozenset(hidden_cols))


_FILLED_CELL = re.compile(rb'<c\b[^>]*?\br="([A-Z]{1,3})([0-9]{1,7})"[^>]*?(?<!/)>')


def _column_number(letters: bytes) -> int:
    number = 0
    for ch in letters:
        number = number * 26 + ch - 64
    return number


def sheet_extents(path: Path) -> dict[str, tuple[int, int]]:
    """(last row, last column) holding a cell with content, per sheet — python-calamine allocates the whole
    rectangle up to the last cell, so one value at XFD1048576 would abort the process; callers check first.
    Empty when the file is not an xlsx zip (calamine is then used as is)."""
    extents = {}
    try:
        with zipfile.ZipFile(path) as archive:
            for name, part in _sheet_parts(archive).items():
                rows = cols = 0
                for letters, row in _FILLED_CELL.findall(archive.read(part)):
                    rows, cols = max(rows, int(row)), max(cols, _column_number(letters))
                extents[name] = (rows, cols)
    except (KeyError, OSError, zipfile.BadZipFile):
        return {}
    return extents
