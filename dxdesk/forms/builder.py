"""Write one section's form with XlsxWriter: cover, input sheets, live self-check, stamp."""
from __future__ import annotations

import datetime as dt
import re
import dataclasses
from dataclasses import dataclass
from typing import Callable
from pathlib import Path

import xlsxwriter
from xlsxwriter.utility import xl_col_to_name, xl_rowcol_to_cell

from dxdesk.forms.definition import COVER_SHEET_NAME, STAMP_SHEET_NAME, FormDef, SheetDef
from dxdesk.forms.cached import cached_value, group_refs, self_check, stage_code_expression
from dxdesk.forms.cards import group_rows_by, write_card
from dxdesk.forms.rows import ROW_SOURCES
from dxdesk.forms.stamp import Stamp
from dxdesk.plan.model import STAGE_NAMES, Plan, Section
from dxdesk.outputs.numfmt import DEFAULT_NEGATIVE, excel_format
from dxdesk.rules.scales import scale
from dxdesk.outputs.xlsx_out import FONT, new_workbook
from dxdesk.winpath import unreserved
from dxdesk.xlsx import atomic_path
from dxdesk.years import format_date_jp, wareki

_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]')


@dataclass(frozen=True)
class RoundInfo:
    round_id: str
    fy: int
    deadline: dt.date
    office_name: str
    office_contact: str
    sheet_password: str
    negative: str = DEFAULT_NEGATIVE  # how negatives show (settings: negative_style)


@dataclass
class Overlay:
    """What a send-back workbook (差戻し) lays over the form: the section's returned values, the cells with a
    finding (highlighted, with a comment), and a sheet written first (エラー一覧)."""
    values: dict = dataclasses.field(default_factory=dict)   # sheet key → row key → field key → value
    marks: dict = dataclasses.field(default_factory=dict)    # (sheet key, row key, field key) → (severity, comment)
    first_sheet: Callable | None = None          # first_sheet(wb, fmt)
    author: str = ""

    def value(self, sheet_key: str, row_key: str, field_key: str, default):
        row = self.values.get(sheet_key, {}).get(row_key, {})
        return row[field_key] if field_key in row else default

    def mark(self, ws, fmt, r: int, c: int, sheet_key: str, row_key: str, field, style):
        """The style of a cell, highlighted (and commented) when it has a finding."""
        found = self.marks.get((sheet_key, row_key, field.key))
        if not found:
            return style
        severity, comment = found
        ws.write_comment(r, c, comment, {"author": self.author or "dxdesk", "x_scale": 3, "y_scale": 2.5,
                                         "font_name": FONT, "font_size": 10})
        return fmt.marked(severity, field.number_format, field.kind == "input")


def safe_filename(text: str, limit: int = 80) -> str:
    """Windows-safe file name part: no reserved characters, no trailing dots/spaces, bounded length."""
    cleaned = _UNSAFE.sub("_", text).strip(" .")
    return unreserved(cleaned[:limit].rstrip(" .")) or "_"


def form_filename(form: FormDef, info: RoundInfo, section: Section) -> str:
    return safe_filename(f"{wareki(info.fy)}{form.file_label}_{section.code}_{section.name}_{info.round_id}") + ".xlsx"


class _Formats:
    def __init__(self, wb: xlsxwriter.Workbook, negative: str = DEFAULT_NEGATIVE) -> None:
        base = {"font_name": FONT, "font_size": 10, "valign": "top", "text_wrap": True, "border": 1}
        self.title = wb.add_format({"font_name": FONT, "font_size": 14, "bold": True})
        self.note = wb.add_format({"font_name": FONT, "font_size": 10})
        self.header = wb.add_format({**base, "bold": True, "bg_color": "#1F4E79", "font_color": "#FFFFFF",
                                     "align": "center", "valign": "vcenter"})
        self.header_input = wb.add_format({**base, "bold": True, "bg_color": "#C65911", "font_color": "#FFFFFF",
                                           "align": "center", "valign": "vcenter"})
        self.locked = wb.add_format({**base, "bg_color": "#F2F2F2", "locked": True})
        self.input = wb.add_format({**base, "bg_color": "#FFF2CC", "locked": False})
        self.formula = wb.add_format({**base, "bg_color": "#E2EFDA", "locked": True})
        self.warn = wb.add_format({"font_color": "#C00000", "bold": True})
        self.mismatch = wb.add_format({"bg_color": "#F8CBAD"})
        self.whole = wb.add_format({"num_format": excel_format(1.0, negative=negative)})
        self._numbers: dict[tuple[str, str], object] = {}
        self.wb = wb

    def marked(self, severity: str, number_format: str, unlocked: bool):
        """A cell with a finding: red for an error, orange for a warning (still unlocked when it is an input)."""
        key = ("marked", severity, number_format, unlocked)
        if key not in self._numbers:
            props = {"locked": not unlocked, "font_name": FONT, "font_size": 10, "valign": "top", "border": 2,
                     "border_color": "#C00000" if severity == "ERR" else "#C65911", "text_wrap": True,
                     "bg_color": "#F8CBAD" if severity == "ERR" else "#FCE4D6"}
            if number_format:
                props["num_format"] = number_format
            self._numbers[key] = self.wb.add_format(props)
        return self._numbers[key]

    def with_number(self, kind: str, number_format: str):
        if not number_format:
            return getattr(self, kind)
        key = (kind, number_format)
        if key not in self._numbers:
            props = {"locked": kind != "input", "num_format": number_format, "font_name": FONT, "font_size": 10,
                     "valign": "top", "border": 1,
                     "bg_color": {"input": "#FFF2CC", "formula": "#E2EFDA"}.get(kind, "#F2F2F2")}
            self._numbers[key] = self.wb.add_format(props)
        return self._numbers[key]


def build_form(path: Path, form: FormDef, plan: Plan, section: Section, info: RoundInfo,
               created_at: dt.datetime | None = None, overlay: Overlay | None = None) -> Stamp:
    """Write the section's workbook atomically and return the stamp written into it. With an `overlay` it is
    a send-back workbook: the same stamp (round, section, rows), so a corrected return is a re-submission."""
    rows = {s.key: ROW_SOURCES[s.key](plan, section.code, info.fy) for s in form.sheets}
    created = created_at or dt.datetime.now().replace(microsecond=0)
    stamp = Stamp(info.round_id, info.fy, form.kind, form.version, section.code, section.name,
                  created.isoformat(),
                  {key: tuple(form.sheet(key).key_of(r) for r in rs) for key, rs in rows.items()})
    with atomic_path(path) as tmp:
        wb = new_workbook(tmp)
        fmt = _Formats(wb, info.negative)
        wb.set_properties({"title": f"{wareki(info.fy)} {form.title}（{section.name}）",
                           "author": info.office_name, "company": info.office_name, "created": created})
        for name, value in stamp.properties().items():
            wb.set_custom_property(name, value)
        if overlay and overlay.first_sheet:
            overlay.first_sheet(wb, fmt)
        _cover(wb.add_worksheet(COVER_SHEET_NAME), fmt, form, plan, section, info, rows)
        for sheet in form.sheets:
            if not sheet.repeat:
                _data_sheet(wb, fmt, sheet, rows[sheet.key], form, section, info, overlay=overlay)
                continue
            for group, group_rows in group_rows_by(sheet, rows[sheet.key]).items():
                if sheet.layout == "card":
                    write_card(wb, fmt, sheet, _overlaid(sheet, group_rows[0], overlay), sheet.instance_name(group),
                               section, info, overlay)
                else:
                    _data_sheet(wb, fmt, sheet, group_rows, form, section, info, sheet.instance_name(group), overlay)
        stamp_ws = wb.add_worksheet(STAMP_SHEET_NAME)
        for r, values in enumerate(stamp.sheet_rows()):
            for c, value in enumerate(values):
                stamp_ws.write_string(r, c, value)
        stamp_ws.very_hidden()
        stamp_ws.protect(info.sheet_password)
        wb.close()
    return stamp


def _overlaid(sheet: SheetDef, row: dict, overlay: Overlay | None) -> dict:
    """A row with the returned inputs laid over the plan's values (send-back)."""
    if overlay is None:
        return row
    key = sheet.key_of(row)
    return {**row, **{f.key: overlay.value(sheet.key, key, f.key, row.get(f.key)) for f in sheet.inputs}}


# How each life-cycle stage (段階) is evaluated (DOMAIN §4), for the cover's legend.
STAGE_HOW = {
    "1": "システム等の構築段階。進捗状況（完了・予定どおり・遅れ・未着手）で評価します（実績値があれば記入）。",
    "2": "利用を広げる段階。指標の実績値で評価します（実績値は必須）。",
    "3": "安定して運用する段階。評価の対象外です（実績値は記録します）。",
    "3・4": "安定運用しつつ環境の変化に対応する段階。進捗状況で評価します。",
    "4": "環境の変化に対応する段階。指標の実績値で評価します（実績値は必須）。",
    "5": "次期システム等を検討する段階。評価の対象外です。",
}


def _cover(ws, fmt: _Formats, form: FormDef, plan: Plan, section: Section, info: RoundInfo, rows) -> None:
    ws.set_column(0, 0, 22)
    ws.set_column(1, 1, 70)
    ws.hide_gridlines(2)
    ws.write_string(0, 0, f"{wareki(info.fy)} {plan.name} {form.title}", fmt.title)
    ws.set_row(0, 24)
    progress = form.sheets[0]
    check_col = xl_col_to_name(progress.column("self_check"))
    first = progress.header_row + 1
    last = progress.header_row + max(1, len(rows[progress.key]))
    items = [
        ("提出する課", f"{section.dept} {section.name}（課コード {section.code}）"),
        ("対象年度", f"{wareki(info.fy)}（{info.fy}年4月〜{info.fy + 1}年3月）"),
        ("提出期限", format_date_jp(info.deadline)),
        ("提出先・問合せ", f"{info.office_name}　{info.office_contact}"),
        ("照会ID", info.round_id),
        ("記入する行数", f"指標 {len(rows[progress.key])} 件、施策 {len({r['measure_id'] for r in rows.get('budget', [])})} 件"),
    ]
    if rows.get("milestone") or rows.get("system"):
        measures = len({r["measure_id"] for r in rows.get("milestone", [])})
        items.append(("工程・様式②", f"「工程_施策ID」シート {measures} 枚（マイルストーン {len(rows.get('milestone', []))} 件）、"
                                  f"「様式②_システムID」シート {len(rows.get('system', []))} 枚"))
    for r, (key, value) in enumerate(items, start=2):
        ws.write_string(r, 0, key, fmt.header)
        ws.write_string(r, 1, value, fmt.locked)
    r = len(items) + 3
    ws.write_string(r, 0, "要確認の行", fmt.header)
    to_check = sum(1 for row in rows[progress.key]  # a 再掲 / 共同担当 row is shown read-only: nothing to check
                   if not row.get("_home") and self_check(row, scale(form.scale)))
    ws.write_formula(r, 1, f"=COUNTIF('{progress.name}'!{check_col}{first}:{check_col}{last},\"?*\")&\" 行"
                           f"（0 行になれば入力完了です）\"", fmt.formula, f"{to_check} 行（0 行になれば入力完了です）")
    steps = [
        "記入のしかた",
        f"1. 「{progress.name}」シートの黄色のセル（実績値・進捗状況・自己評価・取組結果・未達理由）に入力してください。",
        "2. 灰色のセル（施策・指標・基準値・目標値など）は変更できません。誤りがあれば提出先にご連絡ください。",
        "3. 実績値は数値だけを半角で入力してください。単位は「単位」列のとおりです（% は 82.5 のように）。",
        f"4. 自己評価は一覧から選択してください。{'・'.join(scale(form.scale).bad)} のとき、または基準値を下回ったときは"
        "未達理由・今後の対応が必須です。",
        "5. 右端の「セルフチェック」に表示がなくなれば入力完了です（達成率・算定評価は自動計算の参考値です）。",
        "6. 「予算・決算」シートに、施策ごとの予算額・決算額（千円）を科目・財源の内訳とともに入力してください"
        "（事業費計 ＝ 科目の合計 ＝ 財源の合計。右端の「内訳のチェック」に表示がなくなれば一致しています）。",
        "7. シートの追加・削除、行や列の挿入はしないでください。ファイル名は変えずに保存して提出してください。",
    ]
    if rows.get("milestone") or rows.get("system"):
        steps.insert(-1, "※ 「工程_」シートには各マイルストーンの状況（完了なら実施月、延期なら理由）を、「様式②_」シートには"
                         "今年度の運用経費・利用実績と、効果・課題・今後すべきことの更新を入力してください。")
    for offset, text in enumerate(steps):
        ws.write_string(r + 2 + offset, 0 if offset == 0 else 1, text, fmt.title if offset == 0 else fmt.note)
    r += 3 + len(steps)
    ws.write_string(r, 0, "段階の見方", fmt.title)
    for offset, (code, name) in enumerate(STAGE_NAMES.items(), start=1):
        ws.write_string(r + offset, 0, f"{code}（{name}）", fmt.header)
        ws.write_string(r + offset, 1, STAGE_HOW[code], fmt.locked)
    ws.protect(info.sheet_password)
    ws.set_landscape()
    ws.set_paper(9)
    ws.fit_to_pages(1, 1)


def _cell_format(fmt: _Formats, field) -> object:
    kind = {"key": "locked", "plan": "locked"}.get(field.kind, field.kind)
    return fmt.with_number(kind, field.number_format)


def _data_sheet(wb, fmt: _Formats, sheet: SheetDef, rows: list[dict], form: FormDef, section: Section,
                info: RoundInfo, name: str = "", overlay: Overlay | None = None) -> None:
    ws = wb.add_worksheet(name or sheet.name)
    hr = sheet.header_row - 1  # 0-based header row
    ws.write_string(0, 0, f"{wareki(info.fy)} {sheet.name}（{section.name}）", fmt.title)
    ws.write_string(1, 0, "黄色のセルに入力してください。灰色のセルは変更できません。", fmt.note)
    if sheet.caption and rows:
        for offset, line in enumerate(sheet.caption.format(**rows[0]).split("\n")):
            ws.write_string(2 + offset, 0, line, fmt.note)
    for c, field in enumerate(sheet.fields):
        ws.set_column(c, c, field.width)
        ws.write_string(hr, c, field.label, fmt.header_input if field.kind == "input" else fmt.header)
    ws.set_row(hr, 30)
    refs = {f.key: c for c, f in enumerate(sheet.fields)}
    groups = group_refs([_overlaid(sheet, v, overlay) for v in rows], hr + 1, refs, xl_rowcol_to_cell)
    row_of = {sheet.key_of(values): hr + 1 + i for i, values in enumerate(rows)}
    for i, values in enumerate(rows):
        r = hr + 1 + i
        cell_of = {k: xl_rowcol_to_cell(r, c) for k, c in refs.items()} | groups[i][0]
        if "stage" in cell_of:  # the cell shows 2（拡大期）; the formulas read the code
            cell_of["stage"] = stage_code_expression(cell_of["stage"])
        row_key = sheet.key_of(values)
        if values.get("_home"):
            home = row_of.get(values["_home"]) if values["_home"] != row_key else None
            _relisted_row(ws, fmt, sheet, r, values, home, cell_of)
            continue
        values = _overlaid(sheet, values, overlay) | {"group_sums": groups[i][1]}
        for c, field in enumerate(sheet.fields):
            style = _cell_format(fmt, field)
            if overlay is not None:
                style = overlay.mark(ws, fmt, r, c, sheet.key, row_key, field, style)
            value = values.get(field.key)
            if field.kind == "formula":
                ws.write_formula(r, c, field.formula.format(**cell_of), style,
                                 cached_value(field.key, values, scale(form.scale)))
            elif isinstance(value, (int, float)) and not isinstance(value, bool):
                if field.kind != "input" and float(value).is_integer() and field.number_format:
                    style = fmt.with_number("locked", "#,##0")
                ws.write_number(r, c, value, style)
            elif value not in (None, ""):
                ws.write_string(r, c, str(value), style)
            else:
                ws.write_blank(r, c, None, style)
    last = hr + max(1, len(rows))
    _validations(ws, sheet, hr + 1, last, fmt)
    for field in sheet.inputs if not sheet.repeat else ():
        col = xl_col_to_name(sheet.column(field.key))
        wb.define_name(f"DX_{sheet.key}_{field.key}", f"='{sheet.name}'!${col}${hr + 2}:${col}${last + 1}")
    ws.freeze_panes(hr + 1, 3 if not sheet.repeat else 1)
    ws.protect(info.sheet_password, {"format_columns": True, "format_rows": True})
    ws.set_landscape()
    ws.set_paper(9)
    # legible on A4 (8 pt or more): a wide sheet prints two pages wide, the row key repeated on each
    # (0.4" side margins: 1045 px of A4 landscape; the test in tests/print_size.py reads them from the file)
    ws.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)
    total = sum(int(f.width * 7 + 0.5) + 5 for f in sheet.fields)
    ws.fit_to_pages(1 if total * 8 <= 1045 * 10 else 2, 0)
    ws.repeat_rows(hr)
    if total * 8 > 1045 * 10:
        ws.repeat_columns(0, 0)


def _relisted_row(ws, fmt: _Formats, sheet: SheetDef, r: int, values: dict, home_row: int | None,
                  cell_of: dict[str, str]) -> None:
    """A re-listed (再掲) KPI, or a co-owned one (共同担当): every cell locked; the actual mirrors the home row
    when it is on this sheet, the grade columns follow it, and the self-check stays empty (nothing to enter
    here) — except 取組結果 of a measure shared by 分担, where the co-owner adds its part."""
    for c, field in enumerate(sheet.fields):
        value = values.get(field.key)
        style = fmt.with_number("locked", field.number_format) if field.value_type == "number" else fmt.locked
        if field.key == "result" and values.get("_share"):
            ws.write_blank(r, c, None, _cell_format(fmt, field))
        elif field.key == "actual" and home_row is not None:
            home = xl_rowcol_to_cell(home_row, c)  # blank stays blank (a bare reference shows 0)
            ws.write_formula(r, c, f'=IF({home}="","",{home})', style, "")
        elif field.kind == "formula" and field.key != "self_check":
            ws.write_formula(r, c, field.formula.format(**cell_of), _cell_format(fmt, field), "")
        elif field.kind == "input" and field.key != "result" or field.kind == "formula" or value in (None, ""):
            ws.write_blank(r, c, None, style)
        elif isinstance(value, (int, float)) and not isinstance(value, bool):
            ws.write_number(r, c, value, style)
        else:
            ws.write_string(r, c, str(value), style)


def _validations(ws, sheet: SheetDef, first: int, last: int, fmt: _Formats) -> None:
    for field in sheet.fields:
        c = sheet.column(field.key)
        if field.choices:
            ws.data_validation(first, c, last, c, {
                "validate": "list", "source": list(field.choices), "error_type": "warning",
                "error_title": field.label, "error_message": f"一覧（{'・'.join(field.choices)}）から選んでください。",
                "input_title": field.label, "input_message": field.help[:250]})
        elif field.kind == "input" and field.value_type == "number":
            ws.data_validation(first, c, last, c, {
                "validate": "decimal", "criteria": "between", "minimum": -1e12, "maximum": 1e12,
                "error_type": "warning", "error_title": field.label,
                "error_message": "数値だけを半角で入力してください（単位は不要です）。",
                "input_title": field.label, "input_message": field.help[:250]})
        if field.kind == "input" and field.value_type == "number" and "." in field.number_format:
            cell = xl_rowcol_to_cell(first, c, col_abs=True)  # a whole number typed shows as 55,584, not 55,584.0
            ws.conditional_format(first, c, last, c, {"type": "formula", "format": fmt.whole,
                                                      "criteria": f"=AND(ISNUMBER({cell}),MOD({cell},1)=0)"})
        elif field.kind == "input" and field.help:
            ws.data_validation(first, c, last, c, {"validate": "any", "input_title": field.label,
                                                   "input_message": field.help[:250]})
    if "self_check" in [f.key for f in sheet.fields]:
        col = sheet.column("self_check")
        ws.conditional_format(first, col, last, col, {"type": "no_blanks", "format": fmt.warn})
        grade, computed = sheet.column("self_grade"), sheet.column("computed_grade")
        g, k = xl_rowcol_to_cell(first, grade, col_abs=True), xl_rowcol_to_cell(first, computed, col_abs=True)
        ws.conditional_format(first, grade, last, grade, {
            "type": "formula", "format": fmt.mismatch,
            "criteria": f'=AND({g}<>"",{k}<>"",{k}<>"対象外",{g}<>"評価未実施",{g}<>{k})'})
