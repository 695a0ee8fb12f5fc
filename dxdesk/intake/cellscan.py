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
            for sheet in sheets:
                part = parts.get(sheet)
                if part is None or archive.getinfo(part).file_size > MAX_PART:
                    result[sheet] = NOTHING
                else:
                    result[sheet] = _scan_xml(archive.read(part))
    except (KeyError, OSError, zipfile.BadZipFile):
        pass
    return result


def scan(path: Path, sheet: str) -> CellIssues:
    """Error cells and unsaved formula results of one sheet; nothing when the file cannot be scanned."""
    return scan_sheets(path, [sheet]).get(sheet, NOTHING)


def _scan_xml(data: bytes) -> CellIssues:
    if b't="e"' not in data and b"<f" not in data:
        return NOTHING
    errors: dict[str, str] = {}
    unsaved: set[str] = set()
    for attrs, body in _CELL.findall(data):
        ref = _REF.search(attrs)
        if not ref:
            continue
        kind = _TYPE.search(attrs)
        value = _VALUE.search(body or b"")
        if kind and kind.group(1) == b"e":
            errors[ref.group(1).decode()] = value.group(1).decode() if value else "#VALUE!"
        elif body and b"<f" in body and (value is None or (not value.group(1) and not kind)):
            unsaved.add(ref.group(1).decode())
    return CellIssues(errors, unsaved)
