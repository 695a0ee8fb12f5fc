"""全庁照会 (issue 12): the office's own form → input areas → mapping workbook → distributed copies → collected and
checked with the round's intake → merged. Forms from dxdesk/sample/inquiry_forms.py; returns typed with openpyxl
here, and with LibreOffice Calc in test_inquiry_libreoffice.py."""
from __future__ import annotations

import csv
import datetime as dt
import json
import zipfile

import openpyxl
import pytest

from dxdesk import labels as L
from dxdesk.cli import main
from dxdesk.errors import DxdeskError, InputFileError
from dxdesk.forms.definition import STAMP_SHEET_NAME
from dxdesk.forms.stamp import read_custom_properties
from dxdesk.inquiry import jobs as ij
from dxdesk.inquiry.analyse import analyse
from dxdesk.inquiry.mapping_io import read_mapping, write_mapping
from dxdesk.outputs import numfmt
from dxdesk.rules.findings import flatten
from dxdesk.sample.inquiry_forms import FORMS
from dxdesk.store import inquiries_repo as iq
from inquiry_support import DEADLINE, SECTIONS, new_inquiry, sections_book

AFTER = DEADLINE + dt.timedelta(days=1)


def fill(copy, out, values: dict[str, object], sheet: str | None = None, rename: str = ""):
    """A section's return typed with openpyxl: values by cell ("B8": "１，２００", or "ライセンス!A5": … on another sheet)."""
    wb = openpyxl.load_workbook(copy)
    ws = wb[sheet] if sheet else wb.worksheets[0]
    for ref, value in values.items():
        where, _, cell = ref.rpartition("!")
        (wb[where] if where else ws)[cell] = value
    if rename:
        ws.title = rename
    wb.save(out)
    return out


def areas(mapping):
    return [(a.area_id, a.kind, a.header_row, a.first_row, a.last_row, a.rows, a.total_row,
             [(f.name, f.cell, f.kind) + (("見出し",) if f.key else ()) + ((f.prefill,) if f.prefill else ())
              for f in a.fields]) for a in mapping.areas]


def test_analysis_finds_label_cells_tables_merged_headers_totals_and_validation(tmp_path):
    system = analyse(FORMS["システム棚卸"](tmp_path / "s.xlsx")).mapping
    assert areas(system) == [
        ("S1", "単一", 0, 0, 0, "固定", 0, [("課名", "B3", "文字", "課名"), ("課コード", "F3", "文字", "課コード"),
                                          ("回答者", "B4", "文字"), ("内線", "F4", "文字")]),
        ("T1", "表", 7, 8, 17, "可変", 18, [
            ("システム名", "B", "文字"), ("所管課", "C", "文字"), ("導入年度", "D", "年度"),
            ("運用経費・金額（千円）", "E", "整数"), ("運用経費・うち委託（千円）", "F", "整数"), ("構成", "G", "選択"),
            ("備考", "H", "文字")])]
    table = system.area("T1")
    assert table.fields[5].choices == ("クラウド", "オンプレミス", "LGWAN-ASP", "ガバメントクラウド")
    assert (table.fields[3].minimum, table.fields[3].maximum, table.fields[3].unit) == (0, 10_000_000, "千円")
    assert [f.required for f in table.fields] == [True] * 6 + [False]  # 備考 is optional
    pc = analyse(FORMS["PC・ライセンス数"](tmp_path / "p.xlsx")).mapping
    assert [(a.area_id, a.sheet, a.rows, a.first_row, a.last_row, a.total_row, a.title) for a in pc.tables] == [
        ("T1", "PC・ライセンス", "固定", 9, 11, 12, "１PC等の保有台数"),
        ("T2", "ライセンス", "可変", 5, 12, 13, "２ソフトウェアライセンス")]  # several sheets
    assert [f.name for f in pc.area("T1").fields] == ["区分", "台数・保有（台）", "台数・うちリース（台）", "更新予定年度"]
    assert pc.area("T1").fields[0].key and pc.area("T2").total_label == "計"
    five = analyse(FORMS["5レス"](tmp_path / "f.xlsx")).mapping
    assert [f.name for f in five.area("T1").fields] == ["分野", "指標", "単位", "実績・前年度（R5）", "実績・今年度（R6）",
                                                         "取組状況"]  # 増減 (a formula column) is not read
    assert [(a.rows, a.total_row) for a in five.tables] == [("固定", 0), ("可変", 24)]


def test_mapping_workbook_reads_back_and_the_office_corrects_it(tmp_path):
    analysis = analyse(FORMS["システム棚卸"](tmp_path / "s.xlsx"))
    path = write_mapping(tmp_path / "対応表.xlsx", analysis.mapping, "テスト")
    back = read_mapping(path, analysis.mapping.sheets)
    assert areas(back) == areas(analysis.mapping)
    wb = openpyxl.load_workbook(path)
    ws = wb["入力欄"]
    head = [c.value for c in ws[1]]
    for row in ws.iter_rows(min_row=2):
        name = row[head.index("項目名")].value
        if name == "備考":
            row[head.index("読む")].value = "×"
        if name == "内線":
            row[head.index("必須")].value = None
        if name == "導入年度":
            row[head.index("最小")].value = 1990
    wb.save(path)
    edited = read_mapping(path, analysis.mapping.sheets)
    fields = {f.name: f for a in edited.areas for f in a.fields}
    assert "備考" not in fields and not fields["内線"].required and fields["導入年度"].minimum == 1990
    assert edited.version != analysis.mapping.version


def test_a_wrong_mapping_is_refused_with_every_problem_listed(tmp_path):
    analysis = analyse(FORMS["システム棚卸"](tmp_path / "s.xlsx"))
    path = write_mapping(tmp_path / "対応表.xlsx", analysis.mapping, "テスト")
    wb = openpyxl.load_workbook(path)
    ws = wb["入力欄"]
    ws["K2"], ws["C3"] = "金額", "存在しないシート"
    wb.save(path)
    with pytest.raises(InputFileError) as caught:
        read_mapping(path, analysis.mapping.sheets)
    assert "型「金額」" in str(caught.value) and "存在しないシート" in str(caught.value)


def test_distributed_copy_keeps_the_office_layout_prefills_locks_and_stamps(tmp_path, workspace):
    ws, inquiry, template = new_inquiry(tmp_path, "システム棚卸", workspace)
    files = ij.distribute(ws, inquiry).files
    assert [f.name for f in files][:2] == ["システム棚卸_A01_総務課_Q1.xlsx", "システム棚卸_A02_人事課_Q1.xlsx"]
    original, copy = openpyxl.load_workbook(template)["システム棚卸"], openpyxl.load_workbook(files[0])
    sheet = copy["システム棚卸"]
    assert sorted(map(str, sheet.merged_cells.ranges)) == sorted(map(str, original.merged_cells.ranges))
    assert sheet.print_title_rows == original.print_title_rows and sheet.page_setup.orientation == "landscape"
    assert [c.width for c in sheet.column_dimensions.values()] == [c.width for c in original.column_dimensions.values()]
    assert len(sheet.data_validations.dataValidation) == len(original.data_validations.dataValidation) == 2
    assert sheet["A1"].font.b and sheet["A1"].font.sz == 14
    assert (sheet["B3"].value, sheet["F3"].value) == ("総務課", "A01")
    assert sheet.protection.sheet and not sheet.protection.insertRows  # rows may be inserted
    assert sheet["B3"].protection.locked and sheet["A8"].protection.locked and sheet["E18"].protection.locked
    assert not sheet["B4"].protection.locked and not sheet["B8"].protection.locked and not sheet["G17"].protection.locked
    assert copy[STAMP_SHEET_NAME].sheet_state == "veryHidden"
    props = read_custom_properties(files[0])
    assert (props["round_id"], props["section_code"], props["template_version"]) == ("Q1", "A01", inquiry.version)


GOOD_SYSTEM = {"B4": "山田", "F4": "1234",
               "B8": "財務会計システム", "C8": "財政課", "D8": "R3", "E8": "１，２００", "F8": 800, "G8": "クラウド",
               "B9": "文書管理システム", "C9": "総務課", "D9": 2019, "E9": "1,020千円", "F9": "△0", "G9": "ｸﾗｳﾄﾞ"}


def test_every_input_cell_is_checked_japanese_numbers_units_lists_ranges_required(tmp_path, workspace):
    ws, inquiry, _ = new_inquiry(tmp_path, "システム棚卸", workspace)
    copy = ij.distribute(ws, inquiry).files[0]
    bad = {**GOOD_SYSTEM, "F4": None, "E8": "120万円", "G8": "メインフレーム", "F8": 20_000_000, "D9": "来年度",
           "B10": "〃", "C10": "総務課", "D10": 2020, "E10": "12,5", "F10": 1, "G10": "クラウド"}
    ij.collect(ws, inquiry, ij.prepare_collection(inquiry, [fill(copy, tmp_path / "r.xlsx", bad)]))
    found = [f for f in ij.findings(ws, inquiry, AFTER) if f.section == "A01" and f.severity == "ERR"]
    assert sorted(flatten(found, ["code", "cell"])) == sorted([
        ["V1", "F4"], ["V3", "E8"], ["V6", "F8"], ["V5", "G8"], ["V7", "D9"], ["V9", "B10"], ["V2", "E10"]])
    assert next(f for f in found if f.code == "V5").expected == "クラウド・オンプレミス・LGWAN-ASP・ガバメントクラウド"
    assert {s.section.code: s.status for s in ij.statuses(ws, inquiry)}["A01"] == L.STATUS_NEEDS_FIX


def test_a_clean_return_is_read_as_typed_and_accepted(tmp_path, workspace):
    ws, inquiry, _ = new_inquiry(tmp_path, "システム棚卸", workspace)
    copy = ij.distribute(ws, inquiry).files[0]
    ij.collect(ws, inquiry, ij.prepare_collection(inquiry, [fill(copy, tmp_path / "r.xlsx", GOOD_SYSTEM)]))
    found = [f for f in ij.findings(ws, inquiry, AFTER) if f.section == "A01"]
    assert {f.severity for f in found} == {"INFO"}  # N1: 「１，２００」 read as 1,200, ｸﾗｳﾄﾞ as クラウド …
    values = iq_values(ws, inquiry, "T1", "A01")
    assert values["1"]["運用経費・金額（千円）"].num == 1200 and values["2"]["運用経費・金額（千円）"].num == 1020
    assert values["2"]["運用経費・うち委託（千円）"].num == 0 and values["2"]["構成"].text == "クラウド"
    assert values["1"]["導入年度"].num == 2021 and values["1"]["運用経費・金額（千円）"].cell == "E8"
    assert {s.section.code: s.status for s in ij.statuses(ws, inquiry)}["A01"] == L.STATUS_ACCEPTED


def iq_values(ws, inquiry, area_id, section):
    from dxdesk.store import rounds_repo as rr
    return rr.latest_values(ws.conn, inquiry.inquiry_id, area_id)[section]


def test_nothing_to_report_is_accepted_and_an_empty_table_is_a_warning(tmp_path, workspace):
    ws, inquiry, _ = new_inquiry(tmp_path, "システム棚卸", workspace)
    copies = ij.distribute(ws, inquiry).files
    nothing = fill(copies[0], tmp_path / "nothing.xlsx", {"B4": "山田", "F4": "1", "B8": "該当なし"})
    empty = fill(copies[1], tmp_path / "empty.xlsx", {"B4": "佐藤", "F4": "2"})
    ij.collect(ws, inquiry, ij.prepare_collection(inquiry, [nothing, empty]))
    status = {s.section.code: s.status for s in ij.statuses(ws, inquiry)}
    assert (status["A01"], status["A02"]) == (L.STATUS_ACCEPTED, L.STATUS_RETURNED)
    found = ij.findings(ws, inquiry, AFTER)
    assert flatten([f for f in found if f.section in ("A01", "A02")], ["code", "section", "cell"]) == [
        ["Q1", "A01", "B8"], ["Q4", "A02", ""]]


def test_renamed_sheet_and_sorted_fixed_rows_are_matched_and_said(tmp_path, workspace):
    ws, inquiry, _ = new_inquiry(tmp_path, "PC・ライセンス数", workspace)
    copy = ij.distribute(ws, inquiry).files[0]
    typed = {"B4": "田中", "E4": "2345", "A9": "タブレット", "B9": 5, "C9": 0, "D9": "R8",
             "A10": "ノートPC", "B10": "１２０", "C10": 100, "D10": 2027, "A11": "デスクトップPC", "B11": 30, "C11": 30,
             "D11": "令和9年度", "ライセンス!A5": "Microsoft 365", "ライセンス!B5": "サブスクリプション", "ライセンス!C5": 150,
             "ライセンス!D5": "1,800"}
    ij.collect(ws, inquiry, ij.prepare_collection(inquiry, [fill(copy, tmp_path / "r.xlsx", typed, rename="回答")]))
    found = [f for f in ij.findings(ws, inquiry, AFTER) if f.section == "A01" and f.code == "S5"]
    assert [(f.severity, f.sheet) for f in found] == [("WARN", "回答"), ("INFO", "回答")]
    assert "「PC・ライセンス」から「回答」" in found[0].message and "順序" in found[1].message
    values = iq_values(ws, inquiry, "T1", "A01")
    assert values["ノートPC"]["台数・保有（台）"].num == 120 and values["ノートPC"]["台数・保有（台）"].cell == "B10"
    assert values["タブレット"]["更新予定年度"].num == 2026
    assert iq_values(ws, inquiry, "T2", "A01")["1"]["年間費用（千円）"].num == 1800


def test_a_return_without_its_stamp_is_matched_by_content_with_a_finding(tmp_path, workspace):
    ws, inquiry, _ = new_inquiry(tmp_path, "システム棚卸", workspace)
    copy = ij.distribute(ws, inquiry).files[2]  # B01 財政課
    filled = openpyxl.load_workbook(fill(copy, tmp_path / "f.xlsx", GOOD_SYSTEM))["システム棚卸"]
    pasted = openpyxl.Workbook()  # the table pasted into a new workbook: no stamp, no properties
    sheet = pasted.active
    sheet.title = "Sheet1"
    for row in filled.iter_rows():
        for cell in row:
            if cell.value is not None and cell.coordinate in {c.coordinate for c in row}:
                sheet[cell.coordinate] = cell.value
    pasted.save(tmp_path / "貼り付け.xlsx")
    result = ij.collect(ws, inquiry, ij.prepare_collection(inquiry, [tmp_path / "貼り付け.xlsx"]))
    assert [(o.outcome, o.section_code) for o in result.outcomes] == [("取込", "B01")]
    codes = {f.code: f for f in ij.findings(ws, inquiry, AFTER) if f.section == "B01"}
    assert codes["Q2"].severity == "WARN" and "課コード「B01」" in codes["Q2"].message
    assert iq_values(ws, inquiry, "T1", "B01")["1"]["システム名"].text == "財務会計システム"
    assert {s.section.code: s.status for s in ij.statuses(ws, inquiry)}["B01"] == L.STATUS_RETURNED  # to review


def test_an_older_copy_is_read_with_its_own_mapping_and_said(tmp_path, workspace):
    ws, inquiry, _ = new_inquiry(tmp_path, "システム棚卸", workspace)
    old_copy = ij.distribute(ws, inquiry).files[0]
    mapping = tmp_path / "対応表.xlsx"
    write_mapping(mapping, inquiry.mapping, "t")
    wb = openpyxl.load_workbook(mapping)
    wb["入力欄"]["L5"] = None  # 内線 no longer required: a new version
    wb.save(mapping)
    newer = ij.apply_mapping(ws, inquiry, mapping)
    assert newer.version != inquiry.version
    ij.collect(ws, newer, ij.prepare_collection(newer, [fill(old_copy, tmp_path / "old.xlsx", GOOD_SYSTEM)]))
    q3 = [f for f in ij.findings(ws, newer, AFTER) if f.code == "Q3"]
    assert [(f.section, f.value, f.expected) for f in q3] == [
        ("A01", f"Q1 の版 {inquiry.version}", f"Q1 の版 {newer.version}")]
    assert iq_values(ws, newer, "T1", "A01")["1"]["運用経費・金額（千円）"].num == 1200


def test_last_years_copy_of_the_same_form_is_read_by_its_headings_and_said(tmp_path, workspace):
    ws, last_year, _ = new_inquiry(tmp_path, "システム棚卸", workspace)
    old_copy = ij.distribute(ws, last_year).files[0]
    _, this_year, _ = new_inquiry(tmp_path, "システム棚卸", ws)
    result = ij.collect(ws, this_year, ij.prepare_collection(this_year, [fill(old_copy, tmp_path / "o.xlsx", GOOD_SYSTEM)]))
    assert [(o.outcome, o.section_code) for o in result.outcomes] == [("取込", "A01")]
    q3 = next(f for f in ij.findings(ws, this_year, AFTER) if f.code == "Q3")
    assert (q3.severity, q3.value) == ("WARN", f"Q1 の版 {last_year.version}") and q3.expected.startswith("Q2 ")
    assert iq_values(ws, this_year, "T1", "A01")["2"]["運用経費・金額（千円）"].num == 1020


def test_a_copy_of_another_inquiry_is_refused(tmp_path, workspace):
    ws, first, _ = new_inquiry(tmp_path, "システム棚卸", workspace)
    _, second, _ = new_inquiry(tmp_path, "PC・ライセンス数", ws)
    other = ij.distribute(ws, second).files[0]
    result = ij.collect(ws, first, ij.prepare_collection(first, [other]))
    assert result.outcomes[0].outcome == "要確認"
    assert [f.code for f in ij.findings(ws, first, dt.date(2025, 1, 1))] == ["S2"]


def test_resubmission_waiver_accept_and_reminders(tmp_path, workspace):
    ws, inquiry, _ = new_inquiry(tmp_path, "システム棚卸", workspace)
    copies = ij.distribute(ws, inquiry).files
    first = fill(copies[0], tmp_path / "1.xlsx", {**GOOD_SYSTEM, "G8": "メインフレーム"})
    ij.collect(ws, inquiry, ij.prepare_collection(inquiry, [first]))
    assert {s.section.code: s.status for s in ij.statuses(ws, inquiry)}["A01"] == L.STATUS_NEEDS_FIX
    with pytest.raises(DxdeskError):
        ij.accept(ws, inquiry, "A01", "山田")
    waived = ij.waive(ws, inquiry, "A01", "V5", "システム棚卸!G8", "山田", "課に確認: メインフレームで正しい")
    assert "課に確認" in waived.waiver
    assert {s.section.code: s.status for s in ij.statuses(ws, inquiry)}["A01"] == L.STATUS_ACCEPTED
    ij.accept(ws, inquiry, "A01", "山田")
    with pytest.raises(DxdeskError, match="A01 総務課 は既に受理済みです（山田、"):
        ij.accept(ws, inquiry, "A01", "佐藤")
    second = fill(copies[0], tmp_path / "2.xlsx", {**GOOD_SYSTEM, "B4": "山田（再）"})
    result = ij.collect(ws, inquiry, ij.prepare_collection(inquiry, [second, second]))
    assert [o.outcome for o in result.outcomes] == ["再提出", "取込済み"]
    assert "R1" in {f.code for f in ij.findings(ws, inquiry, AFTER) if f.section == "A01"}
    path, drafts = ij.remind(ws, inquiry, AFTER)
    assert sorted(d.section_code for d in drafts) == sorted(c for c, _, _ in SECTIONS[1:])
    assert len(list((path.parent / "催促メール").glob("*.eml"))) == 5


def test_merge_writes_one_workbook_csv_and_json_with_provenance(tmp_path, workspace):
    ws, inquiry, _ = new_inquiry(tmp_path, "システム棚卸", workspace)
    copies = ij.distribute(ws, inquiry).files
    ij.collect(ws, inquiry, ij.prepare_collection(inquiry, [
        fill(copies[0], tmp_path / "a.xlsx", GOOD_SYSTEM),
        fill(copies[2], tmp_path / "b.xlsx", {"B4": "鈴木", "F4": "3", "B8": "予算編成システム", "C8": "財政課",
                                              "D8": 2020, "E8": 300, "F8": 100, "G8": "オンプレミス"}),
        fill(copies[3], tmp_path / "c.xlsx", {"B4": "高橋", "F4": "4", "B8": "該当なし"})]))
    out = ij.merge(ws, inquiry, AFTER)
    book = openpyxl.load_workbook(out["workbook"])
    assert book.sheetnames == ["回答一覧", "表_システム棚卸", "集計_表_システム棚卸", "回収状況", "指摘一覧", "出典"]
    table = [r for r in book["表_システム棚卸"].iter_rows(min_row=3, values_only=True)]
    assert table[0][:5] == ("課コード", "課名", "部局", "行", "システム名")
    assert [(r[0], r[4], r[7]) for r in table[1:]] == [("A01", "財務会計システム", 1200), ("A01", "文書管理システム", 1020),
                                                      ("B01", "予算編成システム", 300)]
    totals = {r[0]: r[1] for r in book["集計_表_システム棚卸"].iter_rows(min_row=4, values_only=True) if r[0]}
    assert totals == {"総務部": 2220, "財務部": 300, "全体": 2520}
    with zipfile.ZipFile(out["workbook"]) as archive:
        assert any(n.startswith("xl/charts/chart") for n in archive.namelist())
    status = {r[0]: (r[3], r[4]) for r in book["回収状況"].iter_rows(min_row=4, values_only=True)}
    assert status["C01"] == (L.STATUS_ACCEPTED, "○") and status["A02"] == (L.STATUS_NOT_RETURNED, None)
    provenance = [r for r in book["出典"].iter_rows(min_row=4, values_only=True) if r[5] == "運用経費・金額（千円）"]
    assert [(r[0], r[6], r[7], r[8], r[9]) for r in provenance] == [
        ("A01", 1200, "a.xlsx", "システム棚卸", "E8"), ("A01", 1020, "a.xlsx", "システム棚卸", "E9"),
        ("B01", 300, "b.xlsx", "システム棚卸", "E8")]
    with open(out["folder"] / "集約_Q1_表_システム棚卸.csv", encoding="utf-8-sig") as handle:
        rows = list(csv.reader(handle))
    assert rows[1][:5] == ["A01", "総務課", "総務部", "1", "財務会計システム"] and rows[1][7] == "1200"
    data = json.loads(out["json"].read_text(encoding="utf-8"))
    assert data["表_システム棚卸"][2]["運用経費・金額（千円）"] == 300 and data["照会"]["照会ID"] == "Q1"
    assert book["表_システム棚卸"].page_setup.orientation == "landscape" and book["表_システム棚卸"].print_title_rows


def test_merge_prints_received_times_in_wareki_in_the_workbook_and_iso_in_csv_and_json(tmp_path, workspace):
    ws, inquiry, _ = new_inquiry(tmp_path, "システム棚卸", workspace)
    copies = ij.distribute(ws, inquiry).files
    ij.collect(ws, inquiry, ij.prepare_collection(inquiry, [fill(copies[0], tmp_path / "a.xlsx", GOOD_SYSTEM)]))
    received = ij.statuses(ws, inquiry)[0].received_at
    shown = numfmt.timestamp(received)
    assert shown.startswith("令和") and received[:4].isdigit()
    out = ij.merge(ws, inquiry, AFTER)
    book = openpyxl.load_workbook(out["workbook"])
    status = {r[0]: r[6] for r in book["回収状況"].iter_rows(min_row=4, values_only=True)}
    assert status["A01"] == shown and status["A02"] is None
    assert {r[10] for r in book["出典"].iter_rows(min_row=4, values_only=True)} == {shown}
    with open(out["folder"] / "集約_Q1_回収状況.csv", encoding="utf-8-sig") as handle:
        rows = list(csv.reader(handle))
    assert rows[0][6] == L.LABELS["received_at"] and rows[1][6] == received  # machine-readable: ISO, as the open data
    data = json.loads(out["json"].read_text(encoding="utf-8"))
    assert data["回収状況"][0][L.LABELS["received_at"]] == received
    assert {r[L.LABELS["received_at"]] for r in data["出典"]} == {received}


def test_merge_csv_does_not_let_a_typed_formula_run_when_opened(tmp_path, workspace):
    """A section typed text that a spreadsheet takes for a formula (=HYPERLINK…, @SUM…): the merged CSV keeps it
    as text (a leading '), as the round's own CSVs do; the workbook and the JSON keep the value as typed."""
    ws, inquiry, _ = new_inquiry(tmp_path, "システム棚卸", workspace)
    copies = ij.distribute(ws, inquiry).files
    typed = '=HYPERLINK("http://example.invalid","開く")'
    wb = openpyxl.load_workbook(fill(copies[0], tmp_path / "a.xlsx", {**GOOD_SYSTEM, "C9": "@SUM(1+1)"}))
    wb.worksheets[0]["B8"].value = typed
    wb.worksheets[0]["B8"].data_type = "s"  # text, as typed after a ' in Excel
    wb.save(tmp_path / "a.xlsx")
    ij.collect(ws, inquiry, ij.prepare_collection(inquiry, [tmp_path / "a.xlsx"]))
    out = ij.merge(ws, inquiry, AFTER)
    with open(out["folder"] / "集約_Q1_表_システム棚卸.csv", encoding="utf-8-sig") as handle:
        rows = list(csv.reader(handle))
    assert [r[4:6] for r in rows[1:3]] == [["'" + typed, "財政課"], ["文書管理システム", "'@SUM(1+1)"]]
    assert rows[1][7] == "1200"  # numbers stay numbers
    book = openpyxl.load_workbook(out["workbook"])
    assert book["表_システム棚卸"]["E4"].value == typed
    assert json.loads(out["json"].read_text(encoding="utf-8"))["表_システム棚卸"][0]["システム名"] == typed


def test_several_inquiries_in_one_workspace_each_with_its_own_status(tmp_path, workspace):
    ws, first, _ = new_inquiry(tmp_path, "システム棚卸", workspace)
    _, second, _ = new_inquiry(tmp_path, "5レス", ws, SECTIONS[:2])
    assert [i.inquiry_id for i in iq.list_all(ws.conn)] == ["Q1", "Q2"]
    copy = ij.distribute(ws, first).files[0]
    ij.distribute(ws, second)
    ij.collect(ws, first, ij.prepare_collection(first, [fill(copy, tmp_path / "r.xlsx", GOOD_SYSTEM)]))
    assert [s.status for s in ij.statuses(ws, first)][:2] == [L.STATUS_ACCEPTED, L.STATUS_NOT_RETURNED]
    assert [s.status for s in ij.statuses(ws, second)] == [L.STATUS_NOT_RETURNED] * 2


def test_command_line_inquiry_cycle(tmp_path, capsys, init_args):
    root = tmp_path / "ws"
    assert main(init_args(root)) == 0
    form = FORMS["PC・ライセンス数"](tmp_path / "PC調査.xlsx")
    book = sections_book(tmp_path / "課一覧.xlsx")
    assert main(["-w", str(root), "inquiry", "new", str(form), "--name", "PC・ライセンス数", "--deadline", "R7.6.30",
                 "--sections", str(book)]) == 0
    out = capsys.readouterr().out
    assert "全庁照会 Q1「PC・ライセンス数」を作成しました" in out and "T2 表" in out and "照会先 6 課" in out
    assert main(["-w", str(root), "-q", "inquiry", "distribute"]) == 0
    copy = next((root / "out" / "Q1" / "配布").glob("*A01*"))
    fill(copy, tmp_path / "r.xlsx", {"B4": "田中", "E4": "1", "A9": "デスクトップPC", "B9": 3, "C9": 0, "D9": 2026,
                                     "B10": 2, "C10": 0, "D10": 2026, "B11": 0, "C11": 0, "D11": 2026, "ライセンス!A5": "該当なし"})
    assert main(["-w", str(root), "-q", "inquiry", "collect", "--id", "Q1", str(tmp_path / "r.xlsx")]) == 0
    assert main(["-w", str(root), "inquiry", "status"]) == 0
    out = capsys.readouterr().out
    assert "A01\t総務課\t受理" in out and "未提出 5" in out
    assert main(["-w", str(root), "inquiry", "merge"]) == 0 and main(["-w", str(root), "inquiry", "list"]) == 0
    assert "Q1\tPC・ライセンス数" in capsys.readouterr().out
    assert main(["-w", str(root), "inquiry", "status", "--id", "Q9"]) == 1


def test_sections_from_the_plan_master_rows_prefilled_from_a_list_beside_the_dx_round(sample_round, tmp_path):
    ws, round_, _ = sample_round
    from dxdesk import jobs
    from dxdesk.store import rounds_repo as rr
    plan = jobs.require_plan(ws)
    code = next(iter(plan.sections))
    rows = openpyxl.Workbook()
    sheet = rows.active
    sheet.append(["課コード", "システム名", "所管課", "導入年度", "構成"])
    sheet.append([code, "昨年度のシステムA", plan.sections[code].name, "R2", "クラウド"])
    sheet.append([code, "昨年度のシステムB", plan.sections[code].name, 2018, "オンプレミス"])
    rows.save(tmp_path / "昨年度.xlsx")
    template = FORMS["システム棚卸"](tmp_path / "棚卸.xlsx")
    made = ij.new_inquiry(ws, template, "システム棚卸", DEADLINE, prefill_path=tmp_path / "昨年度.xlsx")
    assert list(iq.sections(ws.conn, made.inquiry.inquiry_id)) == list(plan.sections)
    copy = next(p for p in ij.distribute(ws, made.inquiry).files if f"_{code}_" in p.name)
    filled = openpyxl.load_workbook(copy)["システム棚卸"]
    assert [filled[f"B{r}"].value for r in (8, 9, 10)] == ["昨年度のシステムA", "昨年度のシステムB", None]
    assert filled["D8"].value == "R2" and not filled["B8"].protection.locked  # the section may correct it
    assert made.inquiry.inquiry_id not in [r.round_id for r in rr.list_rounds(ws.conn)]
    assert jobs.resolve_round(ws).round_id == round_.round_id  # the DX round stays the current round


def test_every_command_of_the_readme_inquiry_example_parses():
    import re
    import shlex
    from pathlib import Path

    from dxdesk.cli import build_parser
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    example = readme.split("## 全庁照会", 1)[1].split("\n## ", 1)[0]
    commands = [line.strip() for block in re.findall(r"```bash\n(.*?)```", example, re.S)
                for line in block.splitlines() if line.strip().startswith("dxdesk ")]
    assert len(commands) >= 10
    for command in commands:
        args = build_parser().parse_args(shlex.split(command)[1:])
        assert callable(args.func), command


def test_a_file_that_is_no_workbook_or_broken_is_told_and_the_others_are_read(tmp_path, workspace):
    ws, inquiry, _ = new_inquiry(tmp_path, "システム棚卸", workspace)
    copy = ij.distribute(ws, inquiry).files[0]
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "1_csv.xlsx").write_text("課コード,システム名\nA01,財務会計\n", encoding="utf-8")
    whole = fill(copy, tmp_path / "whole.xlsx", GOOD_SYSTEM).read_bytes()
    (inbox / "2_cut.xlsx").write_bytes(whole[: len(whole) // 2])  # a mail that cut the attachment short
    (inbox / "3_good.xlsx").write_bytes(whole)
    result = ij.collect(ws, inquiry, ij.prepare_collection(inquiry, [inbox]))  # read in the reader processes
    assert [o.outcome for o in result.outcomes] == ["要確認", "要確認", "取込"]
    assert sorted(f.code for f in ij.findings(ws, inquiry, dt.date(2025, 1, 1)) if not f.section) == ["R3", "S1"]


def test_inquiry_list_shows_the_dx_round_beside_the_inquiries(sample_round, tmp_path, capsys):
    ws, round_, _ = sample_round
    new_inquiry(tmp_path, "5レス", ws, SECTIONS[:3])
    root = str(ws.root)
    ws.close()
    assert main(["-w", root, "inquiry", "list"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith(f"{round_.round_id}\t") and "未提出" in lines[0]
    assert lines[1].startswith("Q1\t5レス\t") and lines[1].endswith("未提出 3")


@pytest.mark.parametrize("typed, number, codes", [
    ("120台", 120, ["N1"]), ("１２０ 台", 120, ["N1"]), ("120件", None, ["V3"]), ("1.5", None, ["V6"]),
    ("△3", None, ["V6"]), ("約120", None, ["V2"]), ("〃", None, ["V9"]), (120, 120, []), ("", None, ["V1"])])
def test_a_count_typed_with_its_unit_is_read_another_unit_is_an_error(typed, number, codes):
    from dxdesk.inquiry.check import check_value
    from dxdesk.inquiry.model import Field
    from dxdesk.inquiry.read import Cell
    field = Field("保有（台）", "B", "整数", required=True, minimum=0, unit="台")
    value, found = check_value(field, Cell(typed, "PC", "B9"), {"file": "r.xlsx", "row_label": "ノートPC"}, True)
    assert (value.num, [f.code for f in found]) == (number, codes)


def test_the_latest_return_is_the_one_saved_last_whatever_order_it_is_collected_in(tmp_path, workspace):
    ws, inquiry, _ = new_inquiry(tmp_path, "システム棚卸", workspace)
    copy = ij.distribute(ws, inquiry).files[0]
    first = fill(copy, tmp_path / "b_first.xlsx", {**GOOD_SYSTEM, "B4": "最初"})
    saved_on(fill(copy, tmp_path / "a_later.xlsx", {**GOOD_SYSTEM, "B4": "修正後"}), "2030-01-01T00:00:00Z")
    saved_on(first, "2029-01-01T00:00:00Z")
    ij.collect(ws, inquiry, ij.prepare_collection(inquiry, [tmp_path / "a_later.xlsx"]))
    ij.collect(ws, inquiry, ij.prepare_collection(inquiry, [first]))  # the older file, collected after
    assert iq_values(ws, inquiry, "S1", "A01")[""]["回答者"].text == "修正後"


def saved_on(path, when: str) -> None:
    """Set the workbook's own saved time (docProps/core.xml dcterms:modified), as Excel writes it on saving."""
    import re
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    parts["docProps/core.xml"] = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>" + when.encode(),
                                        parts["docProps/core.xml"])
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)


def test_a_return_with_a_password_to_open_is_read_with_the_collection_passwords(tmp_path, workspace):
    from test_encrypted_returns import PASSWORD, encrypt
    ws, inquiry, _ = new_inquiry(tmp_path, "システム棚卸", workspace)
    copy = ij.distribute(ws, inquiry).files[0]
    locked = encrypt(fill(copy, tmp_path / "plain.xlsx", GOOD_SYSTEM), tmp_path / "locked" / "回答.xlsx")
    ij.collect(ws, inquiry, ij.prepare_collection(inquiry, [locked]))
    assert [f.code for f in ij.findings(ws, inquiry, dt.date(2025, 1, 1))] == ["R3"]  # no password set yet
    ws.set_setting("collection_passwords", PASSWORD)
    (tmp_path / "again").mkdir()
    encrypt(fill(copy, tmp_path / "plain2.xlsx", {**GOOD_SYSTEM, "B4": "再送"}), tmp_path / "again" / "回答.xlsx")
    result = ij.collect(ws, inquiry, ij.prepare_collection(inquiry, [tmp_path / "again"]))
    assert [(o.outcome, o.section_code) for o in result.outcomes] == [("取込", "A01")]
    assert iq_values(ws, inquiry, "T1", "A01")["1"]["運用経費・金額（千円）"].num == 1200


def test_a_formula_without_its_result_and_a_date_in_a_number_cell_are_told_at_their_cells(tmp_path, workspace):
    ws, inquiry, _ = new_inquiry(tmp_path, "システム棚卸", workspace)
    copy = ij.distribute(ws, inquiry).files[0]
    wb = openpyxl.load_workbook(fill(copy, tmp_path / "r.xlsx", {**GOOD_SYSTEM, "E8": "=F8*2",
                                                                  "E9": dt.datetime(2025, 3, 4)}))
    wb["システム棚卸"]["E9"].number_format = "yyyy/m/d"  # 「3/4」 typed into a number cell becomes a date
    wb.save(tmp_path / "r.xlsx")
    ij.collect(ws, inquiry, ij.prepare_collection(inquiry, [tmp_path / "r.xlsx"]))
    found = [f for f in ij.findings(ws, inquiry, dt.date(2025, 1, 1)) if f.severity == "ERR"]
    assert flatten(found, ["code", "cell"]) == [["S9", "E8"], ["V8", "E9"]]
    assert "2025-03-04" in found[1].message


def test_a_corrected_mapping_applies_to_the_returns_already_collected_after_a_check(tmp_path, capsys, workspace):
    ws, inquiry, _ = new_inquiry(tmp_path, "システム棚卸", workspace)
    copy = ij.distribute(ws, inquiry).files[0]
    ij.collect(ws, inquiry, ij.prepare_collection(inquiry, [fill(copy, tmp_path / "r.xlsx", {**GOOD_SYSTEM, "F4": None})]))
    assert [f.code for f in ij.findings(ws, inquiry, dt.date(2025, 1, 1)) if f.severity == "ERR"] == ["V1"]
    mapping = tmp_path / "対応表.xlsx"
    write_mapping(mapping, inquiry.mapping, "t")
    wb = openpyxl.load_workbook(mapping)
    wb["入力欄"]["L5"] = None  # 内線 is not required after all
    wb.save(mapping)
    newer = ij.apply_mapping(ws, inquiry, mapping)
    assert ij.recheck(ws, newer) == 1  # the copy went out with the first version: read there, checked as now
    assert [f.code for f in ij.findings(ws, newer, dt.date(2025, 1, 1)) if f.severity != "INFO"] == ["Q3"]
    root = str(ws.root)
    ws.close()
    assert main(["-w", root, "inquiry", "check"]) == 0 and "1 件の提出を対応表" in capsys.readouterr().out


def test_a_date_outside_the_forms_validation_is_v7(tmp_path):
    ws, inquiry, _ = new_inquiry(tmp_path, "5レス", sections=SECTIONS[:1])
    answered = inquiry.mapping.singles[0].fields[3]
    assert (answered.name, answered.kind, answered.minimum) == ("回答日", "日付", 45383)  # after 2024-04-01
    copy = ij.distribute(ws, inquiry).files[0]
    ij.collect(ws, inquiry, ij.prepare_collection(inquiry, [fill(copy, tmp_path / "r.xlsx", {"B4": "山田", "F4": "R5.4.1"})]))
    v7 = [f for f in ij.findings(ws, inquiry, dt.date(2025, 1, 1)) if f.code == "V7"]
    assert [(f.cell, f.value) for f in v7] == [("F4", "R5.4.1")] and "2024-04-01〜" in v7[0].message


def test_a_date_bound_is_shown_as_a_date_in_the_mapping_and_read_back(tmp_path):
    analysis = analyse(FORMS["5レス"](tmp_path / "f.xlsx"))
    path = write_mapping(tmp_path / "対応表.xlsx", analysis.mapping, "t")
    sheet = openpyxl.load_workbook(path)["入力欄"]
    row = next(r for r in sheet.iter_rows(values_only=True) if r[8] == "回答日")
    assert row[13] == "2024-04-01"
    assert read_mapping(path, analysis.mapping.sheets).singles[0].fields[3].minimum == 45383


def test_a_table_pasted_elsewhere_in_a_new_workbook_is_found_by_its_headings(tmp_path, workspace):
    ws, inquiry, _ = new_inquiry(tmp_path, "システム棚卸", workspace)
    copy = ij.distribute(ws, inquiry).files[1]  # A02 人事課
    filled = openpyxl.load_workbook(fill(copy, tmp_path / "f.xlsx", GOOD_SYSTEM))["システム棚卸"]
    pasted = openpyxl.Workbook()
    sheet = pasted.active
    sheet["A1"] = "人事課の回答（課コード A02）"
    for row in filled.iter_rows(min_row=6, max_row=18):  # the table only, pasted at C3
        for cell in row:
            if cell.value is not None and not str(cell.value).startswith("="):
                sheet.cell(cell.row - 3, cell.column + 2, cell.value)
    pasted.save(tmp_path / "人事課.xlsx")
    result = ij.collect(ws, inquiry, ij.prepare_collection(inquiry, [tmp_path / "人事課.xlsx"]))
    assert [(o.outcome, o.section_code) for o in result.outcomes] == [("取込", "A02")]
    found = {f.code: f for f in ij.findings(ws, inquiry, AFTER) if f.section == "A02"}
    assert "ファイル名「人事課.xlsx」" in found["Q2"].message and "2 列" in found["S5"].message
    values = iq_values(ws, inquiry, "T1", "A02")
    assert (values["1"]["システム名"].text, values["1"]["システム名"].cell) == ("財務会計システム", "D5")
    assert values["2"]["運用経費・金額（千円）"].num == 1020


def test_a_column_inserted_into_a_table_is_read_by_its_heading(tmp_path, workspace):
    ws, inquiry, _ = new_inquiry(tmp_path, "PC・ライセンス数", workspace)
    copy = ij.distribute(ws, inquiry).files[0]
    wb = openpyxl.load_workbook(fill(copy, tmp_path / "r.xlsx", {
        "B4": "田中", "E4": "1", "B9": 3, "C9": 0, "D9": 2026, "B10": 2, "C10": 0, "D10": 2026, "B11": 1, "C11": 0,
        "D11": 2026, "ライセンス!A5": "一太郎", "ライセンス!B5": "買取", "ライセンス!C5": 10, "ライセンス!D5": 120}))
    licences = wb["ライセンス"]
    licences.insert_cols(2)  # a column 「担当」 added after ソフトウェア名
    licences["B4"], licences["B5"] = "担当", "鈴木"
    wb.save(tmp_path / "r.xlsx")
    ij.collect(ws, inquiry, ij.prepare_collection(inquiry, [tmp_path / "r.xlsx"]))
    s5 = [f for f in ij.findings(ws, inquiry, AFTER) if f.section == "A01" and f.code == "S5"]
    assert s5 and all("見出しで照合して読み取りました" in f.message for f in s5)  # the table moved, one column did not
    row = iq_values(ws, inquiry, "T2", "A01")["1"]
    assert (row["種別"].text, row["ライセンス数"].num, row["年間費用（千円）"].num, row["年間費用（千円）"].cell) == (
        "買取", 10, 120, "E5")


def test_the_office_is_told_when_its_form_has_shapes_that_the_copies_lose(tmp_path):
    from openpyxl.comments import Comment
    path = FORMS["システム棚卸"](tmp_path / "s.xlsx")
    wb = openpyxl.load_workbook(path)
    wb.active["B8"].comment = Comment("記入例: 財務会計システム", "DX推進課")  # a comment is kept: no note
    wb.save(path)
    assert not any("図形" in n for n in analyse(path).notes)
    with zipfile.ZipFile(path, "a") as archive:  # a text box, as Excel writes it into the sheet's drawing
        archive.writestr("xl/drawings/drawing9.xml", '<xdr:wsDr xmlns:xdr="http://schemas.openxmlformats.org/'
                         'drawingml/2006/spreadsheetDrawing"><xdr:twoCellAnchor><xdr:sp macro="" textlink="">'
                         '</xdr:sp></xdr:twoCellAnchor></xdr:wsDr>')
    assert any("図形（テキストボックス" in n for n in analyse(path).notes)


def test_a_return_another_program_holds_open_is_told_in_japanese_and_the_others_are_collected(tmp_path, workspace,
                                                                                            monkeypatch):
    """The round's and the inquiry's intake archive each file the same way: a file Excel holds open (Windows
    refuses to read it) is 「ほかのプログラムで開かれているか…」, never Python's 「[Errno 13] Permission denied」."""
    from dxdesk.intake import archive
    ws, inquiry, _ = new_inquiry(tmp_path, "システム棚卸", workspace)
    copies = ij.distribute(ws, inquiry).files
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    fill(copies[0], inbox / "a.xlsx", GOOD_SYSTEM)
    fill(copies[1], inbox / "b.xlsx", GOOD_SYSTEM)
    real = archive._archive

    def held_open(path, archive_dir):
        if path.name == "b.xlsx":
            raise PermissionError(13, "Permission denied", str(path))
        return real(path, archive_dir)
    monkeypatch.setattr(archive, "_archive", held_open)
    result = ij.collect(ws, inquiry, ij.prepare_collection(inquiry, [inbox]))
    told = {o.path.name: o for o in result.outcomes}
    assert "ほかのプログラムで開かれているか" in told["b.xlsx"].message and "Errno" not in told["b.xlsx"].message
    assert told["b.xlsx"].outcome == "要確認" and told["a.xlsx"].outcome != "要確認"


def test_an_older_copy_collected_after_the_newer_says_it_is_kept_as_history(tmp_path, workspace):
    """As in the round: the copy the section saved earlier, collected last, is not the latest, and says so."""
    from test_batching import set_saved_time
    ws, inquiry, _ = new_inquiry(tmp_path, "システム棚卸", workspace)
    copy = ij.distribute(ws, inquiry).files[0]
    newer, older = tmp_path / "新" / copy.name, tmp_path / "旧" / copy.name
    for path in (newer, older):
        path.parent.mkdir()
    fill(copy, newer, GOOD_SYSTEM)
    fill(copy, older, {**GOOD_SYSTEM, "F4": "9999"})
    set_saved_time(newer, "2025-06-20T09:00:00Z", 1_750_000_000)
    set_saved_time(older, "2025-06-10T09:00:00Z", 1_750_100_000)
    ij.collect(ws, inquiry, ij.prepare_collection(inquiry, [newer]))
    (told,) = ij.collect(ws, inquiry, ij.prepare_collection(inquiry, [older])).outcomes
    assert f"保存日時が {newer.name} より前のため、最新の提出としては扱いません" in told.message
    assert ij.statuses(ws, inquiry)[0].file_name == newer.name
