"""Three office forms of the kind a DX office sends to every section (全庁照会), built the way an office builds
them in Excel: a title, label–input cells, merged two-row headers, list validation, a 合計 row with formulas,
print setup. Used by the tests, the benchmark and the README's worked example.

システム棚卸 (system inventory), PC・ライセンス数 (PC and licence counts), 5レス (Koriyama's paper / online /
cashless metrics, current and previous year)."""
from __future__ import annotations

from pathlib import Path

import openpyxl
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.worksheet.datavalidation import DataValidation

THIN = Side(style="thin")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEAD_FILL = PatternFill("solid", fgColor="DDEBF7")
FONT = "游ゴシック"
SYSTEM_CONFIGS = ("クラウド", "オンプレミス", "LGWAN-ASP", "ガバメントクラウド")
LICENCE_KINDS = ("買取", "サブスクリプション", "包括契約")
FIVE_LESS_STATES = ("実施済", "実施中", "予定なし")
# 5レス: what Koriyama's HQ tables report per department (koriyama_dx_hq_metrics.csv: metric, unit)
FIVE_LESS_METRICS = (("ペーパーレス", "プリントアウト枚数", "枚"), ("オンライン化", "総手続き数", "手続"),
                     ("オンライン化", "オンライン手続き数", "手続"), ("オンライン化", "総申請件数", "件"),
                     ("オンライン化", "カバー件数", "件"), ("キャッシュレス", "キャッシュレス決済件数", "件"))


def _title(ws, text: str, span: str) -> None:
    ws["A1"] = text
    ws["A1"].font = Font(name=FONT, size=14, bold=True)
    ws.merge_cells(span)


def _label_input(ws, label_ref: str, input_ref: str, label: str, merge_to: str = "") -> None:
    ws[label_ref] = label
    ws[label_ref].font = Font(name=FONT, size=10)
    ws[input_ref].border = BOX
    if merge_to:
        ws.merge_cells(f"{input_ref}:{merge_to}")
        for row in ws[f"{input_ref}:{merge_to}"]:
            for cell in row:
                cell.border = BOX


def _header(ws, ref: str, text: str, merge_to: str = "") -> None:
    ws[ref] = text
    if merge_to:
        ws.merge_cells(f"{ref}:{merge_to}")
    cells = [c for row in ws[f"{ref}:{merge_to or ref}"] for c in row]
    for cell in cells:
        cell.border, cell.fill = BOX, HEAD_FILL
        cell.font = Font(name=FONT, size=10, bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)


def _grid(ws, rows: range, columns: str) -> None:
    for r in rows:
        for col in columns:
            ws[f"{col}{r}"].border = BOX
            ws[f"{col}{r}"].font = Font(name=FONT, size=10)


def _print(ws, landscape: bool, header_rows: str) -> None:
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    if header_rows:
        ws.print_title_rows = header_rows


def _list(ws, choices: tuple[str, ...], ref: str) -> None:
    dv = DataValidation(type="list", formula1='"' + ",".join(choices) + '"', allow_blank=True)
    dv.error, dv.errorTitle = "一覧から選んでください", "入力規則"
    ws.add_data_validation(dv)
    dv.add(ref)


def _whole(ws, ref: str, low: int = 0, high: int = 10_000_000) -> None:
    dv = DataValidation(type="whole", operator="between", formula1=str(low), formula2=str(high), allow_blank=True)
    ws.add_data_validation(dv)
    dv.add(ref)


def system_inventory(path: Path, rows: int = 10) -> Path:
    """システム棚卸: one row per system — システム名, 所管課, 導入年度, 運用経費（千円） with うち委託, 構成 (list)."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "システム棚卸"
    _title(ws, "令和6年度 情報システム棚卸調査票", "A1:H1")
    _label_input(ws, "A3", "B3", "課名", "C3")
    _label_input(ws, "E3", "F3", "課コード")
    _label_input(ws, "A4", "B4", "回答者", "C4")
    _label_input(ws, "E4", "F4", "内線")
    _header(ws, "A6", "No.", "A7")
    _header(ws, "B6", "システム名", "B7")
    _header(ws, "C6", "所管課", "C7")
    _header(ws, "D6", "導入年度", "D7")
    _header(ws, "E6", "運用経費", "F6")
    _header(ws, "E7", "金額（千円）")
    _header(ws, "F7", "うち委託（千円）")
    _header(ws, "G6", "構成", "G7")
    _header(ws, "H6", "備考", "H7")
    first, last = 8, 7 + rows
    _grid(ws, range(first, last + 1), "ABCDEFGH")
    for r in range(first, last + 1):
        ws[f"A{r}"] = f"=ROW()-{first - 1}"
    total = last + 1
    ws[f"A{total}"] = "合計"
    ws.merge_cells(f"A{total}:D{total}")
    ws[f"E{total}"] = f"=SUM(E{first}:E{last})"
    ws[f"F{total}"] = f"=SUM(F{first}:F{last})"
    _grid(ws, range(total, total + 1), "ABCDEFGH")
    _list(ws, SYSTEM_CONFIGS, f"G{first}:G{last}")
    _whole(ws, f"E{first}:F{last}")
    for col, width in zip("ABCDEFGH", (5, 28, 16, 10, 12, 12, 16, 24)):
        ws.column_dimensions[col].width = width
    _print(ws, True, "6:7")
    wb.save(path)
    return Path(path)


def pc_licences(path: Path) -> Path:
    """PC・ライセンス数 on two sheets: 保有台数 by kind (fixed labelled rows, 台数 over 保有 / うちリース, 合計 row), and
    on the sheet ライセンス an open-ended licence table (ソフトウェア名, 種別 from a list, ライセンス数, 年間費用（千円）,
    計 row)."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "PC・ライセンス"
    _title(ws, "PC・ソフトウェアライセンス保有状況調査", "A1:F1")
    _label_input(ws, "A3", "B3", "所属名", "C3")
    _label_input(ws, "D3", "E3", "所属コード")
    _label_input(ws, "A4", "B4", "回答者", "C4")
    _label_input(ws, "D4", "E4", "電話")
    ws["A6"] = "１ PC等の保有台数"
    _header(ws, "A7", "区分", "A8")
    _header(ws, "B7", "台数", "C7")
    _header(ws, "B8", "保有（台）")
    _header(ws, "C8", "うちリース（台）")
    _header(ws, "D7", "更新予定年度", "D8")
    kinds = ("デスクトップPC", "ノートPC", "タブレット")
    _grid(ws, range(9, 9 + len(kinds) + 1), "ABCD")
    for i, kind in enumerate(kinds):
        ws[f"A{9 + i}"] = kind
    total = 9 + len(kinds)
    ws[f"A{total}"] = "合計"
    ws[f"B{total}"] = f"=SUM(B9:B{total - 1})"
    ws[f"C{total}"] = f"=SUM(C9:C{total - 1})"
    _whole(ws, f"B9:C{total - 1}")
    for col, width in zip("ABCD", (26, 16, 16, 16)):
        ws.column_dimensions[col].width = width
    _print(ws, False, "")
    ws = wb.create_sheet("ライセンス")  # a second sheet: the inquiry reads both
    ws["A1"] = "ソフトウェアライセンス"
    ws["A1"].font = Font(name=FONT, size=14, bold=True)
    ws["A3"] = "２ ソフトウェアライセンス"
    _header(ws, "A4", "ソフトウェア名")
    _header(ws, "B4", "種別")
    _header(ws, "C4", "ライセンス数")
    _header(ws, "D4", "年間費用（千円）")
    _header(ws, "E4", "備考")
    _grid(ws, range(5, 13), "ABCDE")
    ws["A13"] = "計"
    ws["C13"], ws["D13"] = "=SUM(C5:C12)", "=SUM(D5:D12)"
    _grid(ws, range(13, 14), "ABCDE")
    _list(ws, LICENCE_KINDS, "B5:B12")
    _whole(ws, "C5:C12")
    for col, width in zip("ABCDE", (26, 16, 14, 16, 24)):
        ws.column_dimensions[col].width = width
    _print(ws, False, "")
    wb.save(path)
    return Path(path)


def five_less(path: Path, fy: int = 2024) -> Path:
    """5レス: Koriyama's metrics per section, 実績 over 前年度 / 今年度 with a computed 増減 and 取組状況 (list);
    then the main procedures (手続名, 申請件数 and うちオンライン for both years, 合計 row)."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "5レス"
    this, last = f"R{fy - 2018}", f"R{fy - 2019}"
    _title(ws, f"5レス（ペーパーレス・オンライン化・キャッシュレス等）取組状況調査（{this}）", "A1:G1")
    _label_input(ws, "A3", "B3", "課名", "C3")
    _label_input(ws, "E3", "F3", "課コード")
    _label_input(ws, "A4", "B4", "回答者", "C4")
    _label_input(ws, "E4", "F4", "回答日")
    ws["F4"].number_format = "yyyy/m/d"
    dv = DataValidation(type="date", operator="greaterThan", formula1="45383", allow_blank=True)  # after 2024-04-01
    ws.add_data_validation(dv)
    dv.add("F4")
    _header(ws, "A6", "分野", "A7")
    _header(ws, "B6", "指標", "B7")
    _header(ws, "C6", "単位", "C7")
    _header(ws, "D6", "実績", "E6")
    _header(ws, "D7", f"前年度（{last}）")
    _header(ws, "E7", f"今年度（{this}）")
    _header(ws, "F6", "増減", "F7")
    _header(ws, "G6", "取組状況", "G7")
    _grid(ws, range(8, 8 + len(FIVE_LESS_METRICS)), "ABCDEFG")
    for i, (area, metric, unit) in enumerate(FIVE_LESS_METRICS):
        r = 8 + i
        ws[f"A{r}"], ws[f"B{r}"], ws[f"C{r}"] = area, metric, unit
        ws[f"F{r}"] = f'=IF(OR(D{r}="",E{r}=""),"",E{r}-D{r})'
    end = 7 + len(FIVE_LESS_METRICS)
    _list(ws, FIVE_LESS_STATES, f"G8:G{end}")
    _whole(ws, f"D8:E{end}")
    start = end + 3
    ws[f"A{start - 1}"] = "主なオンライン化手続"
    _header(ws, f"A{start}", "手続名", f"B{start + 1}")
    _header(ws, f"C{start}", "申請件数", f"D{start}")
    _header(ws, f"C{start + 1}", f"前年度（{last}）")
    _header(ws, f"D{start + 1}", f"今年度（{this}）")
    _header(ws, f"E{start}", "うちオンライン", f"F{start}")
    _header(ws, f"E{start + 1}", f"前年度（{last}）")
    _header(ws, f"F{start + 1}", f"今年度（{this}）")
    _header(ws, f"G{start}", "オンライン化", f"G{start + 1}")
    body = range(start + 2, start + 8)
    for r in body:
        ws.merge_cells(f"A{r}:B{r}")
    _grid(ws, body, "ABCDEFG")
    total = body.stop
    ws[f"A{total}"] = "合計"
    ws.merge_cells(f"A{total}:B{total}")
    for col in "CDEF":
        ws[f"{col}{total}"] = f"=SUM({col}{body.start}:{col}{body.stop - 1})"
    _grid(ws, range(total, total + 1), "ABCDEFG")
    _list(ws, ("済", "一部", "未"), f"G{body.start}:G{body.stop - 1}")
    _whole(ws, f"C{body.start}:F{body.stop - 1}")
    for col, width in zip("ABCDEFG", (14, 24, 8, 14, 14, 10, 12)):
        ws.column_dimensions[col].width = width
    _print(ws, True, "")
    wb.save(path)
    return Path(path)


FORMS = {"システム棚卸": system_inventory, "PC・ライセンス数": pc_licences, "5レス": five_less}
