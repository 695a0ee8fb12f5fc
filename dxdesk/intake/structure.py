"""Is the returned workbook intact? Locked cells changed (S4), things moved (S5), extra data (S7).

Everything is still read by stamp, header labels and row keys; these findings say what the section did."""
from __future__ import annotations

from openpyxl.utils import coordinate_to_tuple, get_column_letter

from dxdesk.forms.definition import COVER_SHEET_NAME, SENDBACK_SHEET_NAME, STAMP_SHEET_NAME, FormDef, SheetDef
from dxdesk.forms.rows import ROW_SOURCES
from dxdesk.intake.parse import row_label
from dxdesk.intake.reader import SheetValues, Workbook
from dxdesk.normalize import clean_text, parse_number
from dxdesk.plan.model import Plan
from dxdesk.rules.findings import Finding, make


def _same(found: object, expected: object) -> bool:
    if expected in (None, ""):
        return clean_text(found) == ""
    if isinstance(expected, (int, float)):
        number = parse_number(found)
        return number.value is not None and abs(number.value - float(expected)) < 1e-9 * max(1, abs(expected))
    return clean_text(found) == clean_text(expected)


def structure_findings(book: Workbook, form: FormDef, plan: Plan, fy: int, file: str, section: str) -> list[Finding]:
    found: list[Finding] = []
    known = {COVER_SHEET_NAME, STAMP_SHEET_NAME, SENDBACK_SHEET_NAME} | {s.name for s in form.sheets}
    read = {n for v in book.sheets.values() for n in (v.names or [v.sheet_name])}
    extra = [n for n in book.sheet_names if n not in known and n not in read]
    if extra:
        found.append(make("S7", file=file, section=section, value="、".join(extra),
                          reason=f"様式にないシート（{'、'.join(extra)}）があります"))
    if book.keys_from_plan:
        found.append(make("S12", file=file, section=section, value=STAMP_SHEET_NAME,
                          reason="行キー（" + "・".join(s.fields[0].label for s in form.sheets) + "）"))
    if book.hidden_sheets:
        found.append(make("S7", file=file, section=section, value="、".join(book.hidden_sheets),
                          reason=f"非表示のシート（{'、'.join(book.hidden_sheets)}）があります。様式のシートなら値は読んでいます"))
    for name in sorted(book.huge_sheets):
        found.append(make("S7", file=file, section=section, sheet=name, cell="",
                          reason="シートのデータが非常に大きいため（50 MB 超）、様式の範囲だけを読みました"))
    for name, refs in book.far_cells.items():
        if not refs:  # only empty rows far away (Calc after a row deletion): nothing to say
            continue
        found.append(make("S7", file=file, section=section, sheet=name, cell="、".join(refs),
                          reason="表から遠く離れたセルに値や書式があります。様式の範囲だけを読みました"))
    for name, cells in book.written_twice.items():
        found.append(make("S14", file=file, section=section, sheet=name, cell="、".join(cells[:5]),
                          reason="同じセル（行）がファイルの中に2回書かれています"))
    for sheet in form.sheets:
        values = book.sheets.get(sheet.key)
        if values is None and sheet.repeat and not (book.stamp and book.stamp.row_keys.get(sheet.key)):
            continue  # nothing of this kind was distributed to the section
        for key, rows in (values.repeated.items() if values else ()):
            found.append(make("S14", file=file, section=section, sheet=values.sheet_name,
                              cell="、".join(f"{r}行目" for r in rows[:5]),
                              reason=f"{sheet.fields[0].label}「{key}」の行が {len(rows)} つあります"))
        if values is None:
            found.append(make("S5", file=file, section=section, sheet=sheet.name,
                              reason=f"シート「{sheet.name}」が見つかりません（削除されたか、別の様式です）"))
            continue
        found += _moved(values, sheet, book, file, section)
        if sheet.layout != "card":
            found += _merged_and_hidden(values, sheet, file, section, _read_only_rows(plan, sheet, values, section))
        found += _changed_locked(values, sheet, plan, fy, file, section)
        found += _changed_read_only(values, sheet, plan, fy, file, section)
        if values.outside:
            found.append(make("S7", file=file, section=section, sheet=values.sheet_name,
                              cell="、".join(values.outside[:5]), value="",
                              reason="入力欄の外（表の下や右、行キーのない行）に値があります。集計には含めません"))
    return found


def _moved(values: SheetValues, sheet: SheetDef, book: Workbook, file: str, section: str) -> list[Finding]:
    found = []
    keys = book.stamp.row_keys.get(sheet.key, ()) if book.stamp else ()
    if sheet.repeat:  # one worksheet per measure or system: read by labels and row keys wherever they are
        return _missing_rows(values, keys, file, section)
    if values.sheet_name != sheet.name:
        found.append(make("S5", file=file, section=section, sheet=values.sheet_name,
                          reason=f"シート名が「{sheet.name}」から「{values.sheet_name}」に変わっています（内容から判別して読みました）"))
    moved_cols = [f.label for f in sheet.fields if f.key in values.columns and values.columns[f.key] != sheet.column(f.key)]
    if moved_cols:
        found.append(make("S5", file=file, section=section, sheet=values.sheet_name,
                          reason=f"列が挿入・削除・移動されています（{'、'.join(moved_cols[:4])} など）。見出しで判別して読みました"))
    moved_rows = [k for i, k in enumerate(keys) if k in values.key_rows and values.key_rows[k] != sheet.header_row + i]
    if moved_rows or (values.header_row is not None and values.header_row != sheet.header_row - 1):
        found.append(make("S5", file=file, section=section, sheet=values.sheet_name,
                          reason="行が挿入・削除・並べ替えされています。行キー（" + sheet.fields[0].label + "）で判別して読みました"))
    return found + _missing_rows(values, keys, file, section)


def _missing_rows(values: SheetValues, keys, file: str, section: str) -> list[Finding]:
    missing = [k for k in keys if k not in values.rows]
    if not missing:
        return []
    return [make("S5", file=file, section=section, sheet=values.sheet_name, value="、".join(missing[:10]),
                 reason=f"配布した行がありません（{'、'.join(missing[:10])}）")]


def _read_only_rows(plan: Plan, sheet: SheetDef, values: SheetValues, section: str) -> set[int]:
    """1-based rows the section does not enter: re-listed (再掲) KPIs and measures it only co-owns (their
    actual may be a formula mirroring the home row)."""
    if sheet.row_key != "kpi_id":
        return set()
    return {r + 1 for key, r in values.key_rows.items() if key in plan.kpis and (
        plan.kpis[key].relisted_of or plan.measures[plan.kpis[key].measure_id].owner != section)}


def _merged_and_hidden(values: SheetValues, sheet: SheetDef, file: str, section: str,
                       read_only: set[int] = frozenset()) -> list[Finding]:
    """Merged input cells and hidden rows or columns inside the table: read, but the section should know."""
    issues, found = values.issues, []
    if values.header_row is None:
        return found
    input_cols = {values.columns[f.key] + 1 for f in sheet.inputs if f.key in values.columns}
    data_rows = {r + 1 for r in values.key_rows.values()}
    merged = [m for m in issues.merged if _touches(m, input_cols, data_rows)]
    if merged:
        found.append(make("S7", file=file, section=section, sheet=values.sheet_name, cell="、".join(merged[:5]),
                          reason="入力欄のセルが結合されています。結合した範囲は左上のセルの値だけを読みました"))
    formula_inputs = sorted((ref for ref in issues.formulas - issues.formulas_without_value
                             if coordinate_to_tuple(ref)[0] in data_rows - read_only
                             and coordinate_to_tuple(ref)[1] in input_cols),
                            key=coordinate_to_tuple)
    if formula_inputs:  # (a formula without a saved result is S9, from the parser)
        found.append(make("S11", file=file, section=section, sheet=values.sheet_name,
                          cell="、".join(formula_inputs[:5])))
    rows = sorted(data_rows & issues.hidden_rows)
    cols = sorted(input_cols & issues.hidden_cols)
    if rows or cols:
        where = "、".join([f"{r}行目" for r in rows[:5]] + [f"{get_column_letter(c)}列" for c in cols[:5]])
        found.append(make("S7", file=file, section=section, sheet=values.sheet_name, cell=where,
                          reason="表の中に非表示の行・列があります。非表示の部分の値も読んでいます"))
    return found


def _touches(ref: str, cols: set[int], rows: set[int]) -> bool:
    first, last = (coordinate_to_tuple(part) for part in ref.split(":"))
    return any(first[0] <= r <= last[0] for r in rows) and any(first[1] <= c <= last[1] for c in cols)


def _changed_locked(values: SheetValues, sheet: SheetDef, plan: Plan, fy: int, file: str,
                    section: str) -> list[Finding]:
    expected_rows = {sheet.key_of(r): r for r in ROW_SOURCES[sheet.key](plan, section, fy)}
    found = []
    for key, cells in values.rows.items():
        expected = expected_rows.get(key, {})
        for field in sheet.fields:
            if field.kind != "plan" or field.key not in cells or field.key not in expected:
                continue
            cell = cells[field.key]
            if not _same(cell.value, expected[field.key]):
                found.append(make("S4", file=file, section=section, sheet=cell.sheet, cell=cell.cell, row_key=key,
                                  field=field.key, field_label=field.label, row_label=row_label(plan, sheet, key),
                                  value=clean_text(cell.value) or "（空欄）",
                                  expected=clean_text(expected[field.key]) or "（空欄）"))
    return found


def _changed_read_only(values: SheetValues, sheet: SheetDef, plan: Plan, fy: int, file: str,
                       section: str) -> list[Finding]:
    """A re-listed (再掲) or co-owned (共同担当) row is entered elsewhere: its cells are locked and its actual
    mirrors the home row by formula. A value forced in (protection removed, the formula typed over) is not
    read: S4 at the cell, quoting it, so that it is neither lost unseen nor counted twice. A mirror still a
    formula, or typed over with the home's own value, is left alone."""
    if sheet.row_key != "kpi_id":
        return []
    found = []
    for row in ROW_SOURCES[sheet.key](plan, section, fy):
        key, home = row["kpi_id"], row.get("_home")
        if not home or key not in values.rows:
            continue
        cells = values.rows[key]
        for field in sheet.inputs:
            if field.key not in cells or (field.key == "result" and row.get("_share")):
                continue
            cell = cells[field.key]
            if clean_text(cell.value) == "":
                continue  # nothing typed in: nothing to lose or count twice (a mirror's formula saved without its result)
            expected, shown = row.get(field.key), None
            if field.key == "actual" and home != key and home in values.rows:
                if cell.cell in values.issues.formulas:
                    continue
                home_cell = values.rows[home].get("actual")
                expected = home_cell.value if home_cell else None
                shown = f"{home} の実績値（{home_cell.cell if home_cell else ''}）を表示する式"
            if _same(cell.value, expected):
                continue
            found.append(make("S4", file=file, section=section, sheet=cell.sheet, cell=cell.cell, row_key=key,
                              field=field.key, field_label=field.label, row_label=row_label(plan, sheet, key),
                              value=clean_text(cell.value) or "（空欄）",
                              expected=shown or clean_text(expected) or "（空欄）"))
    return found
