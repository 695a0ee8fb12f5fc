"""Work out the input areas of an office's own workbook: single cells next to a label, tables (header row,
input rows, a 合計 row with formulas), and the checks its data validation asks for.

The result is a first guess the office confirms or corrects in the mapping workbook (mapping_io.py)."""
from __future__ import annotations

import math
import re
import zipfile
from pathlib import Path

import openpyxl
from openpyxl.utils import get_column_letter, range_boundaries
from openpyxl.worksheet.worksheet import Worksheet

from dxdesk.errors import InputFileError
from dxdesk.inquiry.model import (PREFILL_CODE, PREFILL_DEPT, PREFILL_NAME, ROWS_FIXED, ROWS_OPEN, SINGLE, TABLE,
                                  Analysis, Area, Field, Mapping)
from dxdesk.intake.collect import FORMAT_NAMES
from dxdesk.intake.sniff import sniff
from dxdesk.normalize import normalise_key

TOTAL_LABELS = ("合計", "総計", "計", "小計", "合計欄")
UNITS = ("千円", "百万円", "万円", "円", "台", "件", "枚", "人", "本", "手続", "時間", "%", "ライセンス", "回", "箇所")
_NUMERIC_WORDS = ("数", "額", "経費", "費用", "金額", "件数", "台数", "枚数", "人数", "時間")
_DATE_WORDS = ("年月日", "日付", "期日")
_YEAR_WORDS = ("年度",)
_OPTIONAL_WORDS = ("備考", "メモ", "補足", "特記")
_PREFILL_WORDS = ((PREFILL_CODE, ("課コード", "所属コード", "課所室コード")),
                  (PREFILL_NAME, ("課名", "課所室名", "所属名", "所属", "担当課", "課・室名")),
                  (PREFILL_DEPT, ("部局名", "部局", "部名")))
MAX_SCAN_ROWS, MAX_SCAN_COLS = 300, 60


def analyse(path: Path) -> Analysis:
    """The input areas of every visible sheet of the workbook at `path`."""
    save_as = "Excel で開いて「Excel ブック（.xlsx）」として保存し直したものを指定してください。"
    sniffed = sniff(Path(path))  # what the file really is, told as the intake tells a return
    if not sniffed.ok or sniffed.kind != "xlsx":
        what = sniffed.reason if not sniffed.ok else f"{FORMAT_NAMES[sniffed.kind]}のファイルです。"
        todo = "パスワードを解除して保存し直したものを指定してください。" if sniffed.encrypted else save_as
        raise InputFileError(f"{Path(path).name}: 様式として読めません。{what}{todo}")
    try:
        book = openpyxl.load_workbook(path)
    except Exception as exc:  # openpyxl raises many kinds on broken or non-xlsx files
        raise InputFileError(f"{Path(path).name}: Excel ブック（.xlsx）として開けません（{type(exc).__name__}）。"
                             + save_as) from exc
    areas: list[Area] = []
    notes: list[str] = []
    for ws in book.worksheets:
        if ws.sheet_state != "visible":
            notes.append(f"非表示のシート「{ws.title}」は読みません（入力欄があるなら、シートを再表示してから、もう一度実行してください）。")
            continue
        if ws.max_row > MAX_SCAN_ROWS or ws.max_column > MAX_SCAN_COLS:
            notes.append(f"シート「{ws.title}」の {MAX_SCAN_ROWS + 1} 行目より下と {get_column_letter(MAX_SCAN_COLS)} "
                         "列より右は入力欄を探しません（そこにある入力欄は、対応表に行を足して指定してください）。")
        sheet = _SheetScan(book, ws, notes)
        tables = sheet.tables(len([a for a in areas if a.kind == TABLE]))
        singles = sheet.singles(tables, len([a for a in areas if a.kind == SINGLE]))
        areas += singles + tables
        if not tables and not singles:
            notes.append(f"シート「{ws.title}」に入力欄が見つかりませんでした（読みません）。")
    if _has_shapes(path):
        notes.append("様式に図形（テキストボックス・吹き出しの記入例など）があります。配布する様式には残りません"
                     "（セルの内容・書式・結合・入力規則・印刷設定・コメント・画像は残ります）。必要なら説明をセルかコメントに書いてください。")
    if not areas:
        notes.append("入力欄が見つかりませんでした。入力するセルに罫線を引くか、入力規則を付けてから、もう一度実行してください。")
    return Analysis(Mapping(tuple(areas), tuple(ws.title for ws in book.worksheets)), notes)


def _has_shapes(path: Path) -> bool:
    """Shapes (text boxes, callouts, arrows): what openpyxl does not carry into the distributed copies."""
    try:
        with zipfile.ZipFile(path) as archive:
            return any(re.search(rb"<(?:xdr:)?(?:sp|cxnSp)\b", archive.read(n)[:2_000_000])
                       for n in archive.namelist() if n.startswith("xl/drawings/") and n.endswith(".xml"))
    except (OSError, zipfile.BadZipFile, KeyError):
        return False


def field_name(text: object) -> str:
    """A label as a field name: spaces, line breaks and a trailing colon removed."""
    return re.sub(r"[\s\u3000]+", "", str(text or "")).rstrip(":：")


def unit_of(name: str) -> str:
    inner = re.findall(r"[（(]([^（）()]+)[)）]", name)
    for part in reversed(inner):
        for unit in UNITS:
            if part == unit or part.endswith(unit):
                return unit
    return next((u for u in UNITS if name.endswith(u) and len(name) > len(u)), "")


def guess_kind(name: str) -> str:
    if any(w in name for w in _DATE_WORDS):
        return "日付"
    if any(name.endswith(w) or f"{w}（" in name for w in _YEAR_WORDS):
        return "年度"
    if unit_of(name) or any(w in name for w in _NUMERIC_WORDS):
        return "数値"
    return "文字"


def prefill_of(name: str) -> str:
    key = normalise_key(name)
    for prefill, words in _PREFILL_WORDS:
        if key in words:
            return prefill
    return ""


def is_total_label(value: object) -> bool:
    return isinstance(value, str) and normalise_key(value).strip("()（）") in TOTAL_LABELS


class _SheetScan:
    """One sheet's cells, merges and validations, and the areas found on it."""

    def __init__(self, book, ws: Worksheet, notes: list[str] | None = None) -> None:
        self.book, self.ws = book, ws
        self.max_row = min(ws.max_row, MAX_SCAN_ROWS)
        self.max_col = min(ws.max_column, MAX_SCAN_COLS)
        self.merged_top: dict[tuple[int, int], tuple[int, int, int, int]] = {}
        for rng in ws.merged_cells.ranges:
            for r in range(rng.min_row, rng.max_row + 1):
                for c in range(rng.min_col, rng.max_col + 1):
                    self.merged_top[(r, c)] = (rng.min_row, rng.min_col, rng.max_row, rng.max_col)
        self.checks = validation_checks(book, ws, notes)

    def value(self, r: int, c: int):
        top = self.merged_top.get((r, c))
        if top:
            r, c = top[0], top[1]
        return self.ws.cell(r, c).value

    def covered(self, r: int, c: int) -> bool:
        """A merged cell other than its top-left one."""
        top = self.merged_top.get((r, c))
        return bool(top) and (top[0], top[1]) != (r, c)

    def text(self, r: int, c: int) -> str:
        value = self.value(r, c)
        return value.strip() if isinstance(value, str) and not value.startswith("=") else ""

    def input_like(self, r: int, c: int) -> bool:
        """Empty, and drawn as an input (a border or a fill) or given a validation."""
        if self.covered(r, c):
            return False
        cell = self.ws.cell(r, c)
        if cell.value not in (None, ""):
            return False
        if cell.coordinate in self.checks:
            return True
        b = cell.border
        return any(side is not None and side.style for side in (b.left, b.right, b.top, b.bottom))

    def formula(self, r: int, c: int) -> bool:
        value = self.ws.cell(r, c).value
        return isinstance(value, str) and value.startswith("=")

    # -- tables ------------------------------------------------------------------------------------------------
    def tables(self, numbered: int) -> list[Area]:
        found: list[Area] = []
        r = 1
        while r < self.max_row:
            table = self._table_at(r, numbered + len(found) + 1)
            if table:
                found.append(table)
                r = max(table.total_row, table.last_row) + 1
            else:
                r += 1
        return found

    def _header_columns(self, h: int) -> list[int] | None:
        """The columns of a header whose lowest row is h (a cell merged down from the row above counts); None when
        a header cell reaches below h (h is not the lowest header row)."""
        columns = []
        for c in range(1, self.max_col + 1):
            top = self.merged_top.get((h, c))
            if top and top[1] != c:
                continue
            if top and top[2] > h:
                return None
            if self.text(h, c):
                columns.append(c)
        return columns

    def _table_at(self, h: int, number: int) -> Area | None:
        columns = self._header_columns(h)
        if not columns or len(columns) < 2:
            return None
        first = h + 1
        if not self._is_data_row(first, columns):
            return None
        last = first
        while last + 1 <= self.max_row and self._is_data_row(last + 1, columns):
            last += 1
        total_row, total_label = 0, ""
        if last + 1 <= self.max_row:
            label = next((self.value(last + 1, c) for c in columns if is_total_label(self.value(last + 1, c))), None)
            if label is not None:
                total_row, total_label = last + 1, field_name(label)
        fields = self._columns(h, columns, first, last)
        if not any(not f.key for f in fields):
            return None
        rows = ROWS_FIXED if any(f.key for f in fields) else ROWS_OPEN
        return Area(f"T{number}", TABLE, self.ws.title, tuple(fields), h, first, last, rows, total_row,
                    total_label, self._title(h, columns))

    def _title(self, h: int, columns: list[int]) -> str:
        """The caption just above the header (「１ 保有台数」), if the header is one row high."""
        top = h - 1
        while top >= 1 and top >= h - 2 and any(self.merged_top.get((top, c)) for c in columns):
            top -= 1  # the header's own upper rows
        if top < 1:
            return ""
        texts = [self.text(top, c) for c in range(1, self.max_col + 1) if self.text(top, c) and not self.covered(top, c)]
        return field_name(texts[0]) if len(texts) == 1 else ""

    def _is_data_row(self, r: int, columns: list[int]) -> bool:
        if any(is_total_label(self.value(r, c)) for c in columns):
            return False
        inputs = sum(self.input_like(r, c) for c in columns)
        return inputs >= 1 and inputs + sum(bool(self.text(r, c)) or self.formula(r, c) for c in columns) >= \
            max(2, len(columns) - 1)

    def _columns(self, h: int, columns: list[int], first: int, last: int) -> list[Field]:
        fields: list[Field] = []
        names: set[str] = set()
        for c in columns:
            name = field_name(self.value(h, c))
            parent = self.merged_top.get((h - 1, c)) if h > 1 else None
            if parent and parent[3] > parent[1] and parent[2] == h - 1 and self.text(parent[0], parent[1]):
                name = field_name(self.value(h - 1, c)) + "・" + name  # 運用経費 over 金額（千円）
            while name in names:
                name += "'"
            names.add(name)
            letter = get_column_letter(c)
            rows = range(first, last + 1)
            if all(self.formula(r, c) for r in rows):
                continue  # a computed column (No. =ROW()-7, 増減 = 今年度 − 前年度) is not read
            if all(self.text(r, c) for r in rows):
                fields.append(Field(name, letter, "文字", key=True))
                continue
            fields.append(self._field(name, letter, f"{letter}{first}"))
        return fields

    def _field(self, name: str, cell: str, checked_cell: str, label_cell: str = "") -> Field:
        check = self.checks.get(checked_cell, {})
        prefill = prefill_of(name)
        kind = check.get("kind") or guess_kind(name)
        return Field(name, cell, kind, required=not any(w in name for w in _OPTIONAL_WORDS) and not prefill,
                     choices=tuple(check.get("choices", ())), minimum=check.get("minimum"),
                     maximum=check.get("maximum"), unit=unit_of(name), prefill=prefill, label_cell=label_cell)

    # -- single cells --------------------------------------------------------------------------------------------
    def singles(self, tables: list[Area], numbered: int) -> list[Area]:
        in_table = set()
        for t in tables:
            in_table |= set(range(t.header_row - 1, max(t.total_row, t.last_row) + 1))
        fields: list[Field] = []
        names: set[str] = set()
        for r in range(1, self.max_row + 1):
            if r in in_table:
                continue
            for c in range(1, self.max_col):
                label = self.text(r, c)
                if not label or self.covered(r, c) or is_total_label(label):
                    continue
                right = (self.merged_top.get((r, c)) or (r, c, r, c))[3] + 1
                if right > self.max_col + 1 or not self.input_like(r, right):
                    continue
                name = field_name(label)
                while name in names:
                    name += "'"
                names.add(name)
                ref = f"{get_column_letter(right)}{r}"
                fields.append(self._field(name, ref, ref, f"{get_column_letter(c)}{r}"))
        return [Area(f"S{numbered + 1}", SINGLE, self.ws.title, tuple(fields))] if fields else []


def validation_checks(book, ws: Worksheet, notes: list[str] | None = None) -> dict[str, dict]:
    """cell → {kind, choices, minimum, maximum} from the sheet's data validation (for 文字数制限 — textLength — the
    kind is 文字 and the bounds are its number of characters). A list whose choices cannot be
    worked out (=INDIRECT(…), =OFFSET(…), a name that is not there) still marks its cells as inputs, but is no
    選択 check (it would reject every reply): the office is told in `notes` and may write the choices in the mapping.
    A ユーザー設定 (custom) formula is no check either, and is told in `notes` too."""
    checks: dict[str, dict] = {}
    for dv in ws.data_validations.dataValidation:
        if dv.type == "custom" and notes is not None:  # ユーザー設定 (a formula): no check dxdesk can evaluate
            notes.append(f"シート「{ws.title}」のセル {'・'.join(str(dv.sqref).split())} の入力規則（ユーザー設定の数式 "
                         f"{(dv.formula1 or '').lstrip('=')}）は、dxdesk では点検しません。回答がこの条件に合っているかは"
                         "集約ブックで確かめるか、対応表の「型」「最小」「最大」「選択肢」で点検できる形にしてください。")
        check = _check_of(book, ws, dv)
        if not check:
            continue
        if check["kind"] == "選択" and not check["choices"]:
            check = {"unread_list": True}
            if notes is not None:
                first = str(dv.sqref).split()[0].split(":")[0] if str(dv.sqref).split() else ""
                notes.append(f"シート「{ws.title}」のセル {first} の入力規則のリスト（{(dv.formula1 or '').lstrip('=')}）から"
                             "選択肢を読み取れません。選択肢で点検するときは、対応表の「型」を 選択 にして「選択肢」に書いてください。")
        for rng in str(dv.sqref).split():
            min_col, min_row, max_col, max_row = range_boundaries(rng)
            for r in range(min_row, min(max_row, min_row + MAX_SCAN_ROWS) + 1):
                for c in range(min_col, min(max_col, MAX_SCAN_COLS) + 1):
                    checks[f"{get_column_letter(c)}{r}"] = check
    return checks


def _number(text) -> float | None:
    try:
        number = float(str(text).lstrip("="))
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None  # 1e999 or NaN typed as a bound: not a check


def _check_of(book, ws: Worksheet, dv) -> dict:
    kind = {"list": "選択", "whole": "整数", "decimal": "数値", "date": "日付", "textLength": "文字"}.get(dv.type or "")
    if kind is None:
        return {}
    if kind == "選択":
        return {"kind": kind, "choices": list_choices(book, ws, dv.formula1 or "")}
    low, high = _number(dv.formula1), _number(dv.formula2)  # a date's bounds are its serial numbers
    operator = dv.operator or "between"
    bounds = {"between": (low, high), "greaterThanOrEqual": (low, None), "greaterThan": (low, None),
              "lessThanOrEqual": (None, low), "lessThan": (None, low)}.get(operator, (None, None))
    if kind == "文字":  # 文字数制限: the bounds are a count of characters, whole ones ("less than 11" is "up to 10")
        exact = {"greaterThan": (low + 1 if low is not None else None, None),
                 "lessThan": (None, low - 1 if low is not None else None), "equal": (low, low)}
        bounds = exact.get(operator, bounds)
    return {"kind": kind, "minimum": bounds[0], "maximum": bounds[1]}


def list_choices(book, ws: Worksheet, formula: str) -> list[str]:
    """"a,b,c" or a range (=$H$2:$H$5, =一覧!$A$1:$A$4, a defined name) → the choices."""
    formula = formula.strip()
    if formula.startswith('"') and formula.endswith('"'):
        return [part.strip() for part in formula[1:-1].split(",") if part.strip()]
    ref = formula.lstrip("=")
    if ref in book.defined_names:
        destinations = list(book.defined_names[ref].destinations)
        if not destinations:
            return []
        sheet_name, ref = destinations[0]
        target = book[sheet_name]
    elif "!" in ref:
        sheet_name, ref = ref.rsplit("!", 1)
        sheet_name = sheet_name.strip("'")
        if sheet_name not in book.sheetnames:
            return []
        target = book[sheet_name]
    else:
        target = ws
    try:
        min_col, min_row, max_col, max_row = range_boundaries(ref.replace("$", ""))
    except ValueError:
        return []
    if min_row is None or min_col is None:  # a whole column or row ($A:$A, $1:$1)
        min_row, min_col = min_row or 1, min_col or 1
    # a list over a whole sheet ($A$1:$XFD$1048576) reads only the cells the sheet has, not 17 billion of them
    max_row, max_col = min(max_row or target.max_row, target.max_row), min(max_col or target.max_column, target.max_column)
    return [str(cell.value).strip() for row in target.iter_rows(min_row=min_row, max_row=max_row, min_col=min_col,
                                                                 max_col=max_col) for cell in row
            if cell.value not in (None, "")]
