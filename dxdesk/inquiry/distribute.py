"""One copy of the office's own workbook per section: pre-filled with the section's name and code (and rows
from a list), stamped, every cell but the inputs locked — edited with openpyxl, so the office's layout, fonts,
merged headers, validation and print setup stay as they were."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
from openpyxl.packaging.custom import StringProperty
from openpyxl.styles import Protection
from openpyxl.utils import column_index_from_string

from dxdesk.forms.builder import safe_filename
from dxdesk.forms.definition import STAMP_SHEET_NAME
from dxdesk.forms.stamp import Stamp
from dxdesk.inquiry.model import PREFILL_CODE, PREFILL_DEPT, PREFILL_NAME, ROWS_FIXED, SINGLE, Area, Mapping
from dxdesk.plan.model import Section
from dxdesk.xlsx import atomic_path
from dxdesk.years import fy_of_date

FORM_KIND = "inquiry"
UNLOCKED = Protection(locked=False)


def prefill_value(section: Section, prefill: str) -> str:
    return {PREFILL_NAME: section.name, PREFILL_CODE: section.code, PREFILL_DEPT: section.dept or ""}.get(prefill, "")


def copy_filename(inquiry_id: str, name: str, section: Section) -> str:
    return safe_filename(f"{name}_{section.code}_{section.name}_{inquiry_id}") + ".xlsx"


def row_keys(ws, area: Area, rows: int | None = None) -> tuple[str, ...]:
    """The distributed rows' keys: the pre-printed key column(s) of a fixed table, else 1, 2, 3 …"""
    keys = [f for f in area.fields if f.key]
    last = area.first_row + (rows if rows is not None else area.last_row - area.first_row + 1) - 1
    if not keys or area.rows != ROWS_FIXED:
        return tuple(str(i + 1) for i in range(last - area.first_row + 1))
    return tuple(" / ".join(str(ws[f"{f.cell}{r}"].value or "").strip() for f in keys)
                 for r in range(area.first_row, last + 1))


def build_copy(template: Path, out: Path, inquiry_id: str, mapping: Mapping, section: Section, deadline: dt.date,
               password: str, rows: list[dict[str, str]] | None = None, when: str = "") -> Path:
    """The section's copy of the form, written atomically to `out`."""
    book = openpyxl.load_workbook(template)
    keys: dict[str, tuple[str, ...]] = {}
    for area in mapping.areas:
        if area.sheet not in book.sheetnames:
            continue
        ws = book[area.sheet]
        if area.kind == SINGLE:
            for f in area.fields:
                cell = _top_left(ws, f.cell)
                if f.prefill:
                    cell.value = prefill_value(section, f.prefill)
                else:
                    cell.protection = UNLOCKED
            continue
        given = [r for r in (rows or []) if r.get("欄ID", area.area_id) == area.area_id]
        _fill_rows(ws, area, given)
        for r in range(area.first_row, area.last_row + 1):
            for f in area.inputs:
                _top_left(ws, f"{f.cell}{r}").protection = UNLOCKED
        keys[area.area_id] = row_keys(ws, area)
    for sheet in {a.sheet for a in mapping.areas if a.sheet in book.sheetnames}:
        _protect(book[sheet], password)
    stamp = Stamp(inquiry_id, fy_of_date(deadline), FORM_KIND, mapping.version, section.code, section.name,
                  when, keys)
    _stamp(book, stamp)
    with atomic_path(out) as tmp:
        book.save(tmp)
    return out


def _top_left(ws, ref: str):
    """The cell that holds a merged range's value (a section types into the merged box)."""
    for rng in ws.merged_cells.ranges:
        if ref in rng:
            return ws.cell(rng.min_row, rng.min_col)
    return ws[ref]


def _fill_rows(ws, area: Area, rows: list[dict[str, str]]) -> None:
    """Rows from a list (last year's inventory), written into the table's input rows in order."""
    room = area.last_row - area.first_row + 1
    if len(rows) > room:
        from dxdesk.errors import DxdeskError
        raise DxdeskError(f"シート「{area.sheet}」の表（{area.area_id}）には {room} 行しかありませんが、事前記入の行が "
                          f"{len(rows)} 行あります。様式の表に行を追加して、もう一度 inquiry new から作成してください。")
    by_name = {f.name: f for f in area.fields}
    for offset, values in enumerate(rows):
        for name, value in values.items():
            f = by_name.get(name)
            if f is not None and value not in (None, ""):
                _top_left(ws, f"{f.cell}{area.first_row + offset}").value = value


def _protect(ws, password: str) -> None:
    """Locked except the inputs; rows may be inserted (a table longer than the form), columns widened, sorted."""
    p = ws.protection
    p.sheet = True
    if password:
        p.password = password
    p.insertRows = p.deleteRows = p.formatColumns = p.formatRows = p.sort = p.autoFilter = False


def _stamp(book, stamp: Stamp) -> None:
    hidden = book.create_sheet(STAMP_SHEET_NAME)
    for row in stamp.sheet_rows():
        hidden.append(row)
    hidden.sheet_state = "veryHidden"
    hidden.protection.sheet = True
    for name, value in stamp.properties().items():
        book.custom_doc_props.append(StringProperty(name=name, value=value))


def column_index(letter: str) -> int:
    return column_index_from_string(letter)
