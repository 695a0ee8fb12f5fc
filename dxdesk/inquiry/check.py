"""The V rules on every input cell of a return: required, type, list, range, Japanese numbers and dates, units;
an explicit 「該当なし」; the structure changes the reader met. Gives the values to store and the findings."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field, replace

from dxdesk.inquiry.model import NOTHING_TO_REPORT, SINGLE, Area, Field, Mapping
from dxdesk.inquiry.read import Cell, Reply
from dxdesk.intake.parse import EXCEL_TEXT_LIMIT, Value, excel_date
from dxdesk.normalize import (clean_text, format_number, is_blank, normalise_key, parse_number, placeholder_meaning,
                              split_count_unit)
from dxdesk.rules.findings import Finding, make
from dxdesk.years import YearError, parse_date, parse_fy

NOTHING_WORDS = {normalise_key(w) for w in (NOTHING_TO_REPORT, "該当無し", "該当なし。", "該当事項なし", "該当なし（なし）")}
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
Values = dict[str, dict[str, dict[str, Value]]]
EXCEL_DIGITS_LIMIT = 1e15  # Excel keeps 15 significant digits


@dataclass
class Checked:
    values: Values = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    nothing: bool = False  # the whole reply is 「該当なし」


def _v6(where: dict, **context) -> Finding:
    """V6 as an error against the form's own rule (range, digits, text length). Its hint is the inquiry's own:
    the catalogue's second half asks for a reason in the DX round's 取組結果, which an office form has not."""
    return replace(make("V6", **where, severity="ERR", **context),
                   hint="入力した値を確認し、様式の入力規則に合う値に直して、もう一度提出してください。")


def is_nothing(value: object) -> bool:
    return isinstance(value, str) and normalise_key(value) in NOTHING_WORDS


def check_reply(reply: Reply, mapping: Mapping, file: str, section: str, section_name: str) -> Checked:
    out = Checked()
    ctx = {"file": file, "section": section}
    for sheet, found in reply.renamed.items():
        out.findings.append(make("S5", **ctx, sheet=found, reason=f"シート名が「{sheet}」から「{found}」に変わっています"
                                 "（見出しで照合して読み取りました）"))
    for label in reply.missing:
        out.findings.append(make("Q5", **ctx, area=label))
    nothing_cells = _nothing_cells(reply, mapping)
    out.nothing = bool(nothing_cells)
    for area in mapping.areas:
        if area.kind == SINGLE and area.area_id in reply.singles:
            _check_singles(area, reply.singles[area.area_id], out, ctx, out.nothing)
        elif area.area_id in reply.tables:
            _check_table(area, reply, out, ctx, nothing_cells.get(area.area_id))
    for area_id, cell in nothing_cells.items():
        area = mapping.area(area_id)
        out.findings.append(make("Q1", **ctx, section_name=section_name, area=area.label, sheet=cell.sheet,
                                 cell=cell.cell))
    return out


def _nothing_cells(reply: Reply, mapping: Mapping) -> dict[str, Cell]:
    """Where the reply says 「該当なし」: the area → the cell it was typed in."""
    found: dict[str, Cell] = {}
    for area_id, cells in reply.singles.items():
        for cell in cells.values():
            if is_nothing(cell.value):
                found[area_id] = cell
    for area_id, rows in reply.tables.items():
        area = mapping.area(area_id)
        for row in rows.values():
            for f in area.inputs:
                if is_nothing(row[f.name].value):
                    found.setdefault(area_id, row[f.name])
    return found


def _check_singles(area: Area, cells: dict[str, Cell], out: Checked, ctx: dict, nothing: bool) -> None:
    rows = out.values.setdefault(area.area_id, {}).setdefault("", {})
    for f in area.fields:
        cell = cells.get(f.name)
        if cell is None:
            continue
        if is_nothing(cell.value):
            rows[f.name] = Value(NOTHING_TO_REPORT, None, NOTHING_TO_REPORT, cell.sheet, cell.cell)
            continue
        value, found = check_value(f, cell, {**ctx, "row_label": area.label, "row_key": ""},
                                   required=f.required and not f.prefill and not nothing)
        rows[f.name] = value
        out.findings += found


def _check_table(area: Area, reply: Reply, out: Checked, ctx: dict, nothing: Cell | None) -> None:
    rows = reply.tables[area.area_id]
    sheet = next((c.sheet for row in rows.values() for c in row.values()), reply.renamed.get(area.sheet, area.sheet))
    if area.area_id in reply.moved:
        out.findings.append(make("S5", **ctx, sheet=sheet, severity="INFO",
                                 reason=f"{area.label}の位置が {reply.moved[area.area_id]} 行ずれています（行の挿入・削除。"
                                        "見出しで照合して読み取りました）"))
    if area.area_id in reply.moved_across:
        out.findings.append(make("S5", **ctx, sheet=sheet, reason=f"{area.label}の位置が {reply.moved_across[area.area_id]} 列"
                                 "ずれています（列の挿入・削除、別の位置への貼り付け。見出しで照合して読み取りました）"))
    if area.area_id in reply.moved_columns:
        out.findings.append(make("S5", **ctx, sheet=sheet, reason=f"{area.label}の列（{'・'.join(reply.moved_columns[area.area_id])}）"
                                 "の位置が変わっています（列の挿入・削除・入れ替え。見出しで照合して読み取りました）"))
    if area.area_id in reply.added_rows:
        out.findings.append(make("S5", **ctx, sheet=sheet, reason=f"{area.label}に行の見出しのない行が "
                                 f"{reply.added_rows[area.area_id]} 行追加されています（「追加1」… として読み取りました）"))
    if area.area_id in reply.order_changed:
        out.findings.append(make("S5", **ctx, sheet=sheet, severity="INFO",
                                 reason=f"{area.label}の行の順序が変わっています（行の見出しで照合して読み取りました）"))
    stored = out.values.setdefault(area.area_id, {})
    if nothing is not None:
        return  # 「該当なし」: the table holds nothing to report (Q1)
    if not rows and not out.nothing:
        out.findings.append(make("Q4", **ctx, sheet=sheet, area=area.label))
    for key, row in rows.items():
        filled = {name: v for name, v in row.items()}
        stored_row = stored.setdefault(key, {})
        for f in area.fields:
            cell = filled[f.name]
            if f.key:
                stored_row[f.name] = Value(clean_text(cell.value), None, clean_text(cell.value), cell.sheet, cell.cell)
                continue
            value, found = check_value(f, cell, {**ctx, "row_label": f"{area.label} {key}行目" if key.isdigit()
                                                 else f"{area.label}「{key}」", "row_key": key},
                                       required=f.required and not f.prefill)
            stored_row[f.name] = value
            out.findings += found


def check_value(f: Field, cell: Cell, ctx: dict, required: bool) -> tuple[Value, list[Finding]]:
    """One input cell: its stored Value and its findings (V1–V11, N1)."""
    where = {**ctx, "sheet": cell.sheet, "cell": cell.cell, "field_label": f.name, "field": f.name}
    raw = clean_text(cell.value) if not isinstance(cell.value, (dt.date, dt.datetime)) else str(cell.value)
    empty = Value("", None, "", cell.sheet, cell.cell)
    if cell.absent:
        return empty, []  # its column was deleted: the Q5 says so, a V1 at the cell beside it would be a second, wrong one
    if cell.error:
        return empty, [make("S6", **where, value=cell.error)]
    if cell.unsaved:
        return empty, [make("S9", **where)]
    if f.numeric and cell.date_style and isinstance(cell.value, (int, float, dt.date)):
        day = cell.value if isinstance(cell.value, dt.date) else excel_date(float(cell.value))
        return empty, [make("V8", **where, value=raw, date=day.isoformat() if day else "",
                            reason="日付の表示形式のセルです")]
    if is_blank(cell.value):
        return empty, ([make("V1", **where)] if required else [])
    if isinstance(cell.value, str):
        if _CONTROL.search(cell.value):
            return empty, [make("V10", **where, value=" ".join(f"U+{ord(c):04X}" for c in _CONTROL.findall(cell.value)))]
        meaning = placeholder_meaning(cell.value)
        if meaning:
            return empty, [make("V9", **where, value=raw, meaning=meaning)]
    kind = f.kind
    if f.numeric:
        return _number(f, cell, raw, where)
    if kind == "日付":
        try:
            day = parse_date(cell.value)
        except YearError as exc:
            return Value(raw, None, raw, cell.sheet, cell.cell), [make("V7", **where, value=raw, reason=str(exc))]
        serial = (day - dt.date(1899, 12, 30)).days  # the validation's bounds are Excel date serials
        if (f.minimum is not None and serial < f.minimum) or (f.maximum is not None and serial > f.maximum):
            bounds = "〜".join(_day(b) for b in (f.minimum, f.maximum))
            return Value(raw, None, day.isoformat(), cell.sheet, cell.cell), [
                make("V7", **where, value=raw, reason=f"様式の入力規則の期間（{bounds}）の外です")]
        return Value(raw, None, day.isoformat(), cell.sheet, cell.cell), []
    if kind == "年度":
        try:
            fy = parse_fy(cell.value if not isinstance(cell.value, float) else int(cell.value))
        except (YearError, ValueError) as exc:
            return Value(raw, None, raw, cell.sheet, cell.cell), [make("V7", **where, value=raw, reason=str(exc))]
        found = [make("N1", **where, value=raw, expected=str(fy))] if str(fy) != raw else []
        return Value(raw, float(fy), str(fy), cell.sheet, cell.cell), found
    if kind == "選択":
        choices = {normalise_key(c): c for c in f.choices}
        choice = choices.get(normalise_key(raw))
        if choice is None:
            return Value(raw, None, raw, cell.sheet, cell.cell), [make("V5", **where, value=raw,
                                                                       expected="・".join(f.choices))]
        found = [make("N1", **where, value=raw, expected=choice)] if choice != raw else []
        return Value(raw, None, choice, cell.sheet, cell.cell), found
    if kind == "文字" and ((f.minimum is not None and len(raw) < f.minimum)
                          or (f.maximum is not None and len(raw) > f.maximum)):
        return Value(raw, None, raw, cell.sheet, cell.cell), [_v6(where, value=f"{len(raw)} 文字",
                                                                   reason=f"様式の入力規則の文字数（{_length(f)}）に合いません")]
    found = [make("V11", **where, value=len(raw), expected=EXCEL_TEXT_LIMIT)] if len(raw) > EXCEL_TEXT_LIMIT else []
    return Value(raw, None, raw, cell.sheet, cell.cell), found


def _length(f: Field) -> str:
    """The form's 文字数制限 in words: 「10 文字以内」「7 文字以上」「7〜8 文字」「7 文字」."""
    low, high = (format_number(b, 0) if b is not None else None for b in (f.minimum, f.maximum))
    if low is None:
        return f"{high} 文字以内"
    if high is None:
        return f"{low} 文字以上"
    return f"{low} 文字" if low == high else f"{low}〜{high} 文字"


def _number(f: Field, cell: Cell, raw: str, where: dict) -> tuple[Value, list[Finding]]:
    value = cell.value
    typed_unit = ""
    if isinstance(value, str):
        counted = split_count_unit(value, f.unit)
        if counted:
            value, typed_unit = counted
    number = parse_number(value)
    held = Value(raw, None, raw, cell.sheet, cell.cell)
    if number.error or number.value is None:
        return held, [make("V2", **where, value=raw)]
    unit = typed_unit or number.unit or ""
    if unit and f.unit and unit != f.unit and not (unit == "%" and f.unit == "%"):
        return held, [make("V3", **where, value=unit, expected=f.unit)]
    found: list[Finding] = []
    n = number.value
    if abs(n) >= EXCEL_DIGITS_LIMIT:  # 1E+300 in a cell, or 18 digits typed: no figure to add up in the merge
        return held, [_v6(where, value=f"{n:.6g}",
                           reason="桁が多すぎます（Excel が正確に保てるのは 15 桁まで）")]
    if f.kind == "整数" and not float(n).is_integer():
        return held, [_v6(where, value=raw, reason="整数で入力してください")]
    if (f.minimum is not None and n < f.minimum) or (f.maximum is not None and n > f.maximum):
        bounds = f"{format_number(f.minimum, 0) if f.minimum is not None else ''}〜" \
                 f"{format_number(f.maximum, 0) if f.maximum is not None else ''}"
        return held, [_v6(where, value=raw, reason=f"様式の入力規則の範囲（{bounds}）の外です")]
    if isinstance(cell.value, str):
        found.append(make("N1", **where, value=raw, expected=format_number(n, 2 if not float(n).is_integer() else 0)))
    return Value(raw, n, raw, cell.sheet, cell.cell), found


def _day(serial: float | None) -> str:
    day = excel_date(serial) if serial is not None else None
    return day.isoformat() if day else ""
