"""The mapping workbook: the input areas as one row per field, which the office checks and corrects in Excel
(項目名, 型, 必須, 選択肢, 範囲, 単位, whether to read it), then reads back with `dxdesk inquiry mapping`."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import xlsxwriter

from dxdesk.errors import InputFileError
from dxdesk.inquiry.model import KINDS, PREFILLS, ROWS_FIXED, ROWS_OPEN, SINGLE, TABLE, Area, Field, Mapping
from dxdesk.intake.parse import excel_date
from dxdesk.normalize import clean_text, normalise_key
from dxdesk.years import YearError, parse_date
from dxdesk.xlsx import atomic_path, reading_workbook

SHEET = "入力欄"
YES, NO = "○", "×"
# (header, width, what it means) — the mapping sheet's columns, in order
COLUMNS = (
    ("欄ID", 7, "S1 = シートの単一の入力欄、T1 = 表。同じ欄IDの行は同じ表の列です。"),
    ("種類", 7, "単一（ラベルの隣の1セル）または 表（見出し行の下の入力行）。"),
    ("シート", 16, "様式のシート名。"),
    ("見出し行", 8, "表の見出し行（2段の見出しは下の段）の行番号。"),
    ("先頭行", 8, "表の最初の入力行。"),
    ("最終行", 8, "表の最後の入力行（様式のまま）。"),
    ("行数", 7, "固定（行の見出しがある表）または 可変（課が行を追加できる表）。"),
    ("合計行", 8, "合計行の行番号（数式。読みません）。なければ空欄。"),
    ("項目名", 26, "集約ブックの列名・指摘の項目名になります。"),
    ("セル・列", 8, "単一: 入力セル（B4）。表: 列（C）。"),
    ("型", 7, "文字・数値・整数・日付・年度・選択。"),
    ("必須", 6, "○ なら空欄はエラー（表は、何か入力された行について）。"),
    ("選択肢", 28, "選択の型の選択肢（読点「、」区切り）。"),
    ("最小", 8, "数値の下限。文字の型では文字数の下限（なければ空欄）。"),
    ("最大", 10, "数値の上限。文字の型では文字数の上限（なければ空欄）。"),
    ("単位", 7, "千円・台・件など。別の単位で入力された値はエラーにします。"),
    ("事前記入", 9, "課名・課コード・部局: 配布時に記入し、課は入力しません。"),
    ("行の見出し", 9, "○ なら様式に印刷済みの行の見出し（行の照合に使い、入力欄ではありません）。"),
    ("読む", 6, "× にすると、その欄を読みません。"),
)
HEADERS = tuple(c[0] for c in COLUMNS)


def _num(value: float | None, kind: str = "") -> object:
    if value is None:
        return ""
    if kind == "日付":  # a date bound is kept as its Excel serial, shown to the office as the date
        day = excel_date(value)
        return day.isoformat() if day else ""
    return int(value) if float(value).is_integer() else value


def field_row(area: Area, f: Field) -> list[object]:
    table = area.kind == TABLE
    return [area.area_id, area.kind, area.sheet, area.header_row if table else "", area.first_row if table else "",
            area.last_row if table else "", area.rows if table else "", (area.total_row or "") if table else "",
            f.name, f.cell, f.kind, YES if f.required else "", "、".join(f.choices), _num(f.minimum, f.kind),
            _num(f.maximum, f.kind), f.unit, f.prefill, YES if f.key else "", YES]


def write_mapping(path: Path, mapping: Mapping, title: str, notes: list[str] = ()) -> Path:
    """The mapping workbook: 入力欄 (one row per field, with dropdowns) and 説明."""
    with atomic_path(Path(path)) as tmp:
        book = xlsxwriter.Workbook(str(tmp))
        head = book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True,
                                "valign": "vcenter", "font_name": "Meiryo UI", "font_size": 9})
        cell = book.add_format({"border": 1, "font_name": "Meiryo UI", "font_size": 9})
        ws = book.add_worksheet(SHEET)
        for col, (name, width, _) in enumerate(COLUMNS):
            ws.write_string(0, col, name, head)
            ws.set_column(col, col, width)
        rows = [field_row(a, f) for a in mapping.areas for f in a.fields]
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row):
                if isinstance(value, (int, float)) and not isinstance(value, bool):
                    ws.write_number(r, c, value, cell)
                else:
                    ws.write_string(r, c, str(value), cell)
        last = max(len(rows), 1) + 200
        lists = {"種類": (SINGLE, TABLE), "行数": (ROWS_FIXED, ROWS_OPEN), "型": KINDS, "必須": (YES,),
                 "事前記入": PREFILLS, "行の見出し": (YES,), "読む": (YES, NO)}
        for name, choices in lists.items():
            c = HEADERS.index(name)
            ws.data_validation(1, c, last, c, {"validate": "list", "source": list(choices)})
        ws.freeze_panes(1, 0)
        ws.autofilter(0, 0, max(len(rows), 1), len(HEADERS) - 1)
        ws.set_landscape()
        ws.set_paper(9)
        ws.fit_to_pages(1, 0)
        ws.repeat_rows(0)
        about = book.add_worksheet("説明")
        about.set_column(0, 0, 12)
        about.set_column(1, 1, 90)
        about.write_string(0, 0, title, book.add_format({"bold": True, "font_size": 12}))
        about.write_string(1, 0, "様式から読み取った入力欄です。違っていれば「入力欄」シートを直して保存し、"
                                 "`dxdesk inquiry mapping 照会ID このファイル` で読み込ませてください。")
        for r, (name, _, meaning) in enumerate(COLUMNS, start=3):
            about.write_string(r, 0, name, head)
            about.write_string(r, 1, meaning)
        for r, note in enumerate(notes, start=len(COLUMNS) + 4):
            about.write_string(r, 1, note)
        book.close()
    return Path(path)


def read_mapping(path: Path, template_sheets: tuple[str, ...] = ()) -> Mapping:
    """The edited mapping workbook back into a Mapping; every problem is listed in one Japanese message."""
    problems: list[str] = []
    groups: dict[str, list[tuple[int, dict[str, str]]]] = {}
    with reading_workbook(Path(path)) as book:
        if SHEET not in book.sheetnames:
            raise InputFileError(f"{Path(path).name}: シート「{SHEET}」がありません（dxdesk が書き出した対応表を使ってください）。")
        rows = list(book[SHEET].iter_rows(values_only=True))
    if not rows:
        raise InputFileError(f"{Path(path).name}: シート「{SHEET}」が空です。")
    index = {normalise_key(h): i for i, h in enumerate(rows[0]) if h}
    missing = [h for h in HEADERS if normalise_key(h) not in index]
    if missing:
        raise InputFileError(f"{Path(path).name}: 列「{'」「'.join(missing)}」がありません。")
    for number, row in enumerate(rows[1:], start=2):
        record = {h: clean_text(row[index[normalise_key(h)]] if index[normalise_key(h)] < len(row) else None)
                  for h in HEADERS}
        if not any(record.values()):
            continue
        if record["読む"] == NO:
            continue
        groups.setdefault(record["欄ID"], []).append((number, record))
    areas = [a for a in (_area(area_id, items, template_sheets, problems) for area_id, items in groups.items()) if a]
    if problems:
        raise InputFileError(f"{Path(path).name}: 対応表を読めません。\n" + "\n".join(problems[:30]))
    return Mapping(tuple(areas), template_sheets)


def _int(text: str, where: str, what: str, problems: list[str], optional: bool = False) -> int:
    if not text and optional:
        return 0
    try:
        return int(float(text))
    except ValueError:
        problems.append(f"{where}: {what}「{text}」は行番号（数字）にしてください。")
        return 0


def _float(text: str, where: str, what: str, problems: list[str], kind: str = "") -> float | None:
    if not text:
        return None
    if kind == "日付":
        try:
            return float((parse_date(text[:10] if text[:4].isdigit() else text) - dt.date(1899, 12, 30)).days)
        except YearError:
            problems.append(f"{where}: {what}「{text}」は日付（2024-04-01）にしてください。")
            return None
    try:
        return float(text.replace(",", ""))
    except ValueError:
        problems.append(f"{where}: {what}「{text}」は数値にしてください。")
        return None


def _area(area_id: str, items: list[tuple[int, dict[str, str]]], sheets: tuple[str, ...],
          problems: list[str]) -> Area | None:
    number, first = items[0]
    where = f"{SHEET}シート {number}行目（欄ID {area_id or '空欄'}）"
    if not area_id:
        problems.append(f"{where}: 欄ID がありません。")
        return None
    kind, sheet = first["種類"], first["シート"]
    if kind not in (SINGLE, TABLE):
        problems.append(f"{where}: 種類「{kind}」は 単一 か 表 にしてください。")
        return None
    for other_number, other in items[1:]:
        if (other["種類"], other["シート"]) != (kind, sheet):
            problems.append(f"{SHEET}シート {other_number}行目: 同じ欄ID（{area_id}）の行は、種類とシートを "
                            f"{number}行目（{kind}・{sheet}）とそろえてください（「{other['シート']}」）。")
    if sheets and sheet not in sheets:
        problems.append(f"{where}: シート「{sheet}」は様式にありません（様式のシート: {'、'.join(sheets)}）。")
    fields = tuple(f for f in (_field(n, r, kind, problems) for n, r in items) if f)
    if kind == SINGLE:
        return Area(area_id, kind, sheet, fields)
    rows = first["行数"] or ROWS_OPEN
    if rows not in (ROWS_FIXED, ROWS_OPEN):
        problems.append(f"{where}: 行数「{rows}」は 固定 か 可変 にしてください。")
    header = _int(first["見出し行"], where, "見出し行", problems)
    first_row = _int(first["先頭行"], where, "先頭行", problems)
    last_row = _int(first["最終行"], where, "最終行", problems)
    total = _int(first["合計行"], where, "合計行", problems, optional=True)
    if header and first_row and not header < first_row <= (last_row or first_row):
        problems.append(f"{where}: 見出し行 < 先頭行 ≦ 最終行 にしてください。")
    return Area(area_id, kind, sheet, fields, header, first_row, last_row or first_row, rows, total,
                "合計" if total else "")


def _field(number: int, r: dict[str, str], kind: str, problems: list[str]) -> Field | None:
    where = f"{SHEET}シート {number}行目（{r['項目名'] or '項目名なし'}）"
    if not r["項目名"] or not r["セル・列"]:
        problems.append(f"{where}: 項目名とセル・列を入れてください。")
        return None
    value_kind = r["型"] or "文字"
    if value_kind not in KINDS:
        problems.append(f"{where}: 型「{value_kind}」は {'・'.join(KINDS)} のどれかにしてください。")
    if r["事前記入"] and r["事前記入"] not in PREFILLS:
        problems.append(f"{where}: 事前記入「{r['事前記入']}」は {'・'.join(PREFILLS)} のどれかにしてください。")
    choices = tuple(c.strip() for c in r["選択肢"].replace(",", "、").split("、") if c.strip())
    if value_kind == "選択" and not choices:
        problems.append(f"{where}: 型が 選択 のときは選択肢を入れてください。")
    cell = r["セル・列"].replace("$", "").upper()
    if kind == SINGLE and not any(ch.isdigit() for ch in cell):
        problems.append(f"{where}: 単一の入力欄のセル・列はセル番地（B4）にしてください。")
    return Field(r["項目名"], cell, value_kind, r["必須"] == YES, choices,
                 _float(r["最小"], where, "最小", problems, value_kind),
                 _float(r["最大"], where, "最大", problems, value_kind),
                 r["単位"], r["事前記入"], "", r["行の見出し"] == YES)
