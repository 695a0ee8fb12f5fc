"""Read a returned copy by its mapping: sheets by name or, when renamed, by their labels; single cells by their
label (found again when rows were inserted above); table rows from the header down to the 合計 row, whatever
rows a section inserted, deleted or sorted. Values only (python-calamine): the checks are in check.py."""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

from openpyxl.utils import column_index_from_string, get_column_letter

from dxdesk.forms.definition import STAMP_SHEET_NAME
from dxdesk.forms.stamp import Stamp
from dxdesk.inquiry.analyse import field_name, is_total_label
from dxdesk.inquiry.model import ROWS_FIXED, SINGLE, Area, Mapping
from dxdesk.intake.cellscan import NOTHING, CellIssues
from dxdesk.intake.reader import _Sheets, open_calamine, read_stamp
from dxdesk.normalize import normalise_key

EMPTY_RUN = 1   # a table without a 合計 row ends at the first empty row after its template rows
ADDED = "追加"  # the key of a row a section inserted into a fixed table
MAX_SHIFT = 20  # columns a table may have moved right (pasted elsewhere); any move left back to column A


@dataclass(frozen=True)
class Cell:
    value: object
    sheet: str
    cell: str
    error: str = ""         # an Excel error the cell holds (#DIV/0!), which calamine reads as empty
    unsaved: bool = False   # a formula whose result was never saved (written by a program, not Excel)
    date_style: bool = False  # shown with a date format: a number typed as 「3/4」 became a date serial
    absent: bool = False    # its table column was deleted (said once, as Q5): no cell to check


@dataclass
class Reply:
    """What one return holds, by area: single cells (field → Cell) and table rows (row key → field → Cell)."""

    stamp: Stamp | None
    sheet_names: list[str]
    singles: dict[str, dict[str, Cell]] = field(default_factory=dict)
    tables: dict[str, dict[str, dict[str, Cell]]] = field(default_factory=dict)
    renamed: dict[str, str] = field(default_factory=dict)        # sheet of the form → sheet found
    missing: list[str] = field(default_factory=list)             # areas not found (area label)
    moved: dict[str, int] = field(default_factory=dict)          # area → rows it moved by (inserted above)
    moved_across: dict[str, int] = field(default_factory=dict)   # area → columns it moved by (pasted elsewhere)
    moved_columns: dict[str, list[str]] = field(default_factory=dict)  # area → fields found in another column
    added_rows: dict[str, int] = field(default_factory=dict)     # area → rows inserted into a fixed table
    order_changed: set[str] = field(default_factory=set)          # fixed tables whose rows were sorted


@dataclass(frozen=True)
class ReadSpec:
    """What a reader process needs to read a return of one inquiry: its id and every mapping it had."""

    inquiry_id: str
    version: str
    versions: dict[str, Mapping]

    def mapping_for(self, stamp: Stamp | None) -> Mapping:
        """The mapping a copy went out with (an older version of this inquiry's), else the current one."""
        if stamp is not None and stamp.round_id == self.inquiry_id and stamp.template_version in self.versions:
            return self.versions[stamp.template_version]
        return self.versions[self.version]


def read_return(spec: ReadSpec, path: Path, data: bytes | None, sniffed) -> "Read":
    """Runs in a reader process (intake/readpool.py, after its sniff and decryption): the Reply, as Read.book."""
    from dxdesk.intake.readpool import Read
    stamp, sheets = open_reply(path, data)
    return Read(sniffed, read_reply(sheets, stamp, spec.mapping_for(stamp)))


def open_reply(path: Path, data: bytes | None = None) -> tuple[Stamp | None, _Sheets]:
    """`data`: the workbook decrypted in memory (a return with a password to open)."""
    book = open_calamine(path, data)
    sheets = _Sheets(path, book, data)
    return read_stamp(path, book, sheets), sheets


def read_reply(sheets: _Sheets, stamp: Stamp | None, mapping: Mapping) -> Reply:
    names = [n for n in sheets.book.sheet_names if n != STAMP_SHEET_NAME]
    reply = Reply(stamp, names)
    grids: dict[str, list[list]] = {}

    def grid(name: str) -> list[list]:
        if name not in grids:
            grids[name] = sheets.rows(name)
        return grids[name]

    def marked(found: dict[str, Cell], name: str) -> dict[str, Cell]:
        return {k: _marked(c, issues(name)) for k, c in found.items()}

    scanned: dict[str, CellIssues] = {}

    def issues(name: str) -> CellIssues:
        """Errors, unsaved formulas and date formats from the sheet's XML (what calamine does not say)."""
        if name not in scanned:
            try:
                scanned[name] = sheets.xml.issues(name)
            except Exception:  # noqa: BLE001 — .xls / .ods or an odd part: the values are still read
                scanned[name] = NOTHING
        return scanned[name]

    for sheet in dict.fromkeys(a.sheet for a in mapping.areas):
        areas = [a for a in mapping.areas if a.sheet == sheet]
        found = sheet if sheet in names else _find_sheet(names, areas, grid, set(reply.renamed.values()))
        if found is None:
            reply.missing += [a.label for a in areas]
            continue
        if found != sheet:
            reply.renamed[sheet] = found
        for area in areas:
            if area.kind == SINGLE:
                reply.singles[area.area_id] = marked(_singles(grid(found), found, area), found)
            else:
                rows = _table(grid(found), found, area, reply, stamp)
                if rows is None:
                    reply.missing.append(area.label)
                else:
                    reply.tables[area.area_id] = {key: marked(row, found) for key, row in rows.items()}
    return reply


def _marked(cell: Cell, issues: CellIssues) -> Cell:
    if issues is NOTHING:
        return cell
    return replace(cell, error=issues.errors.get(cell.cell, ""), unsaved=cell.cell in issues.formulas_without_value,
                   date_style=cell.cell in issues.dates)


def _at(rows: list[list], r: int, c: int) -> object:
    """The value at 1-based row r, column c ('' outside the sheet)."""
    if 1 <= r <= len(rows) and 1 <= c <= len(rows[r - 1]):
        value = rows[r - 1][c - 1]
        return "" if value is None else value
    return ""


def _labels(area: Area) -> set[str]:
    if area.kind == SINGLE:
        return {normalise_key(f.name) for f in area.fields}
    return {normalise_key(f.name.split("・")[-1]) for f in area.fields}


def _find_sheet(names: list[str], areas: list[Area], grid, taken: set[str]) -> str | None:
    """A renamed sheet: the one holding most of the areas' labels (at least half of them)."""
    wanted = set().union(*(_labels(a) for a in areas))
    best, score = None, 0
    for name in names:
        if name in taken:
            continue
        seen = {normalise_key(field_name(v)) for row in grid(name)[:200] for v in row if isinstance(v, str)}
        hits = len(wanted & seen)
        if hits > score:
            best, score = name, hits
    return best if score * 2 >= len(wanted) else None


def _split(ref: str) -> tuple[int, int]:
    letters = "".join(ch for ch in ref if ch.isalpha())
    return int(ref[len(letters):]), column_index_from_string(letters)


def _singles(rows: list[list], sheet: str, area: Area) -> dict[str, Cell]:
    found: dict[str, Cell] = {}
    for f in area.fields:
        r, c = _split(f.cell)
        if f.label_cell:
            lr, lc = _split(f.label_cell)
            if normalise_key(field_name(_at(rows, lr, lc))) != normalise_key(f.name):
                moved = _find_label(rows, f.name)
                if moved:
                    r, c = moved[0] + (r - lr), moved[1] + (c - lc)
        found[f.name] = Cell(_at(rows, r, c), sheet, f"{get_column_letter(c)}{r}")
    return found


def _find_label(rows: list[list], name: str) -> tuple[int, int] | None:
    key = normalise_key(name)
    for r, row in enumerate(rows[:300], start=1):
        for c, value in enumerate(row, start=1):
            if isinstance(value, str) and normalise_key(field_name(value)) == key:
                return r, c
    return None


def _header_row(rows: list[list], area: Area) -> tuple[int, int] | None:
    """(header row, column shift) in the return: where the mapping says, or the row (within 200) and the shift
    (a table pasted elsewhere in a new workbook) matching most labels."""
    cols = [(column_index_from_string(f.cell), normalise_key(f.name.split("・")[-1])) for f in area.fields]

    def score(r: int, shift: int = 0) -> int:  # a header cell merged down from the row above holds its text there
        return sum(label in (normalise_key(field_name(_at(rows, r, c + shift))),
                             normalise_key(field_name(_at(rows, r - 1, c + shift)))) for c, label in cols)

    if score(area.header_row) * 2 > len(cols):
        return area.header_row, 0
    first = min(c for c, _ in cols)
    shifts = range(1 - first, MAX_SHIFT + 1)
    width = max((len(row) for row in rows[:200]), default=0)
    candidates = [(r, d) for r in range(1, min(len(rows), 200) + 1) for d in shifts if first + d <= width]
    best = max(candidates, key=lambda rd: (score(*rd), -abs(rd[1]), -abs(rd[0] - area.header_row)), default=None)
    return best if best is not None and score(*best) * 2 > len(cols) else None


def _columns(rows: list[list], header: int, area: Area, across: int, reply: Reply) -> dict[str, int]:
    """Each field's column: where the mapping says (shifted with the table), or — when a column was inserted,
    deleted or moved — the one column of the header whose label is the field's (a label found twice: not moved)."""
    width = max((len(row) for row in rows[max(0, header - 2):header]), default=0)

    def labels(c: int) -> set[str]:
        return {normalise_key(field_name(_at(rows, header, c))), normalise_key(field_name(_at(rows, header - 1, c)))}

    columns, unfound, found = {}, [], {}  # found: a field whose heading is on its column → how far it moved
    for f in area.fields:
        own = column_index_from_string(f.cell)
        column, label = own + across, normalise_key(f.name.split("・")[-1])
        if label not in labels(column):
            hits = [c for c in range(1, width + 1) if label in labels(c)]
            if len(hits) == 1:
                column = hits[0]
            elif not hits:
                unfound.append(f)
        if label in labels(column):
            found[own] = column - own
        columns[f.name] = column

    def gap_closed(own: int) -> bool:
        """The columns right of it moved left of where the ones left of it are (or, with none left of it, moved left
        at all — a table is moved left only past columns deleted): a column between them was deleted."""
        left, right = [c for c in found if c < own], [c for c in found if c > own]
        return bool(right) and found[min(right)] < (found[max(left)] if left else 0)

    deleted = []
    for f in unfound:  # its heading is nowhere and another field's heading stands on its column, or the columns
        # beside it closed up (a column not read, 増減, came onto it): the column was deleted
        if any(other is not f and columns[other.name] == columns[f.name] for other in area.fields) \
                or gap_closed(column_index_from_string(f.cell)):
            del columns[f.name]
            deleted.append(column_index_from_string(f.cell))
            reply.missing.append(f"{area.label}の列「{f.name}」")
    _moves(area, columns, deleted, across, reply)
    return columns


def _moves(area: Area, columns: dict[str, int], deleted: list[int], across: int, reply: Reply) -> None:
    """What moved, said once: the table (most of its columns moved alike) and the columns that moved otherwise. A
    column where a deletion left it (one to the left per deleted column before it) did not move: the Q5 says why."""
    def moved_by(f) -> int:
        own = column_index_from_string(f.cell)
        return columns[f.name] - (own - sum(d < own for d in deleted))

    shifts = {f.name: moved_by(f) for f in area.fields if f.name in columns}
    if not shifts:
        return
    counted = {d: list(shifts.values()).count(d) for d in shifts.values()}
    table = max(counted, key=lambda d: (counted[d], d == across))
    if table:
        reply.moved_across[area.area_id] = table
    if moved := [name for name, d in shifts.items() if d != table]:
        reply.moved_columns[area.area_id] = moved


def _table(rows: list[list], sheet: str, area: Area, reply: Reply, stamp: Stamp | None):
    found_at = _header_row(rows, area)
    if found_at is None:
        return None
    header, across = found_at
    shift = header - area.header_row
    if shift:
        reply.moved[area.area_id] = shift
    keys = [f for f in area.fields if f.key]
    columns = _columns(rows, header, area, across, reply)
    fixed = area.rows == ROWS_FIXED and keys
    found: dict[str, dict[str, Cell]] = {}
    template_end = area.last_row + shift
    r, empty, number, added = area.first_row + shift, 0, 0, 0
    while r <= len(rows):
        if any(is_total_label(_at(rows, r, c)) for c in range(1, max(columns.values()) + 1)):
            break  # the 合計 row (its label may sit in a column that is not read, merged over No. … 導入年度)
        cells = {f.name: Cell(_at(rows, r, columns[f.name]), sheet, f"{get_column_letter(columns[f.name])}{r}")
                 if f.name in columns else Cell("", sheet, f"{f.cell}{r}", absent=True)  # a deleted column: blank
                 for f in area.fields}
        blank = all(_blank(cells[f.name].value) for f in area.inputs)
        if not area.total_row and r > template_end and blank and all(_blank(cells[f.name].value) for f in keys):
            empty += 1
            if empty >= EMPTY_RUN:
                break
            r += 1
            continue
        empty = 0
        if fixed:
            key = " / ".join(str(cells[f.name].value).strip() for f in keys)
            if not key.replace(" / ", "") and not blank:
                added += 1
                key = f"{ADDED}{added}"
            if key.replace(" / ", "") and key not in found:
                found[key] = cells
        elif not blank:
            number += 1
            found[str(number)] = cells
        r += 1
    if added:
        reply.added_rows[area.area_id] = added
    distributed = (stamp.row_keys.get(area.area_id, ()) if stamp else ())
    if fixed and distributed:
        order = [k for k in found if k in distributed]
        if order != [k for k in distributed if k in found]:
            reply.order_changed.add(area.area_id)
    return found


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())
