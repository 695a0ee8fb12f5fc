"""Acceptance of 全庁照会 (issue 12): each of the three office forms is distributed, filled in LibreOffice Calc as a
section would — typed through the dispatcher in a ja-JP profile (Japanese numbers, 年度, 千円), a row inserted into
a table, a sheet renamed, one 「該当なし」, one section not returning — collected and merged; the merged values
equal what was typed. One LibreOffice start for all fifteen returns (tests/lo/type_with_calc.py)."""
from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest

from dxdesk import labels as L
from dxdesk.inquiry import jobs as ij
from dxdesk.sample.inquiry_forms import FIVE_LESS_METRICS
from inquiry_support import DEADLINE, koriyama_5less, new_inquiry

SYSTEM_PYTHON = "/usr/bin/python3"
DRIVER = Path(__file__).parent / "lo" / "type_with_calc.py"
HAS_UNO = bool(shutil.which("soffice")) and subprocess.run([SYSTEM_PYTHON, "-c", "import uno"],
                                                           capture_output=True).returncode == 0
pytestmark = [pytest.mark.libreoffice,
              pytest.mark.skipif(not HAS_UNO, reason="LibreOffice と python3-uno がありません（./scripts/setup.sh が入れます）")]
PASSWORD = "dxdesk"
NOTHING = "該当なし"


def rows(first: int, columns: str, values: list[list[tuple[str, object]]]):
    """Typed cells of table rows from `first` down: ((column, text, expected), …) per row."""
    return [[(f"{col}{first + i}", text, expected) for col, (text, expected) in zip(columns, row) if text != ""]
            for i, row in enumerate(values)]


def t(text: str, expected: object = None):
    return (text, text if expected is None else expected)


# システム棚卸: sheet システム棚卸, table rows from 8 (B–G), 合計 at 18
SYSTEM_FIELDS = ["システム名", "所管課", "導入年度", "運用経費・金額（千円）", "運用経費・うち委託（千円）", "構成"]
SYSTEM = {
    "A01": {"head": {"B4": "山田", "F4": "1234"}, "rows": [
        [t("財務会計システム"), t("財政課"), t("R3", 2021), t("１，２００", 1200), t("800", 800), t("クラウド")],
        [t("文書管理システム"), t("総務課"), t("2019", 2019), t("1,020千円", 1020), t("０", 0), t("オンプレミス")]]},
    "A02": {"head": {"B4": "佐藤", "F4": "2345"}, "insert": 9, "rows": [
        [t("人事給与システム"), t("人事課"), t("H30", 2018), t("2500", 2500), t("2000", 2000), t("LGWAN-ASP")],
        [t("庶務事務システム"), t("人事課"), t("令和4年度", 2022), t("600", 600), t("0", 0), t("クラウド")],
        [t("勤怠管理システム"), t("人事課"), t("R5", 2023), t("300", 300), t("300", 300), t("クラウド")]]},
    "B01": {"head": {"B4": "鈴木", "F4": "3456"}, "rename": "回答", "rows": [
        [t("予算編成システム"), t("財政課"), t("2020", 2020), t("300", 300), t("100", 100), t("オンプレミス")]]},
    "C01": {"head": {"B4": "高橋", "F4": "4567"}, "rows": [[t(NOTHING)]]},
    "E01": {"head": {"B4": "伊藤", "F4": "5678"}, "rows": [
        [t("電子申請システム"), t("政策開発課"), t("R4", 2022), t("４５０", 450), t("450", 450), t("ガバメントクラウド")]]},
}

# PC・ライセンス数: T1 rows 9–11 (デスクトップPC, ノートPC, タブレット; B–D), on the sheet ライセンス T2 rows from 5
# (A–D), 計 at 13
PC_T1 = ["台数・保有（台）", "台数・うちリース（台）", "更新予定年度"]
PC_T2 = ["ソフトウェア名", "種別", "ライセンス数", "年間費用（千円）"]
PC_KINDS = ("デスクトップPC", "ノートPC", "タブレット")


def pc(counts, licences, **extra):
    return {"head": {"B4": "田中", "E4": "1111"}, "t1": [[t(str(a), a), t(str(b), b), t("R8", 2026)] for a, b in counts],
            "rows": licences, **extra}


PC = {
    "A01": {**pc([(12, 0), (30, 30), (5, 0)], [
        [t("Microsoft 365"), t("サブスクリプション"), t("150", 150), t("1,800", 1800)],
        [t("一太郎"), t("買取"), t("１０", 10), t("120", 120)]]),
        "t1": [[t("１２", 12), t("0", 0), t("R8", 2026)], [t("30", 30), t("30", 30), t("2027", 2027)],
               [t("5", 5), t("0", 0), t("令和9年度", 2027)]]},
    "A02": pc([(3, 0), (20, 20), (2, 2)], [
        [t("ウイルス対策"), t("包括契約"), t("80", 80), t("400", 400)],
        [t("PDF編集ソフト"), t("買取"), t("5", 5), t("50", 50)],
        [t("地図ソフト"), t("サブスクリプション"), t("2", 2), t("240", 240)]], insert=6),
    "B01": pc([(4, 0), (10, 10), (0, 0)], [[t("会計ソフト"), t("買取"), t("3", 3), t("90", 90)]], rename="PC回答"),
    "C01": pc([(1, 0), (6, 6), (0, 0)], [[t(NOTHING)]]),
    "E01": pc([(2, 0), (15, 15), (8, 8)], [[t("統計ソフト"), t("サブスクリプション"), t("1", 1), t("３６", 36)]]),
}

# 5レス: T1 rows 8–13 (metrics; D 前年度, E 今年度, G 取組状況), T2 rows from 18 (A 手続名, C–F, G), 合計 at 24
FIVE_T1 = ["実績・前年度（R5）", "実績・今年度（R6）", "取組状況"]
FIVE_T2 = ["手続名", "申請件数・前年度（R5）", "申請件数・今年度（R6）", "うちオンライン・前年度（R5）",
           "うちオンライン・今年度（R6）", "オンライン化"]
FIVE_DEPTS = {"A01": "総務部", "A02": "総務部", "B01": "財務部", "C01": "市民部", "E01": "政策開発部"}


ANSWERED = {"A01": ("2025/6/2", "2025-06-02"), "A02": ("令和7年6月3日", "2025-06-03"), "B01": ("R7.6.4", "2025-06-04"),
            "C01": ("2025/6/5", "2025-06-05"), "E01": ("２０２５／６／６", "2025-06-06")}


def five(code: str, procedures, zenkaku: bool = False, **extra):
    figures = koriyama_5less()[FIVE_DEPTS[code]]
    t1 = []
    for _, metric, _ in FIVE_LESS_METRICS:
        previous, current = figures.get(metric, (120, 150))
        text = f"{current:,}".translate(str.maketrans("0123456789,", "０１２３４５６７８９，")) if zenkaku else str(current)
        t1.append([t(str(previous), previous), t(text, current), t("実施中")])
    return {"head": {"B4": f"{code}担当", "F4": ANSWERED[code][0]}, "t1": t1, "rows": procedures,
            "answered": ANSWERED[code][1], **extra}


FIVE = {
    "A01": five("A01", [[t("住民票の写し交付申請"), t(""), t("12000", 12000), t("13,500", 13500), t("3000", 3000),
                         t("5200", 5200), t("一部")]], zenkaku=True),
    "A02": five("A02", [[t("職員採用試験申込"), t(""), t("800", 800), t("900", 900), t("700", 700), t("880", 880), t("済")],
                        [t("研修申込"), t(""), t("300", 300), t("320", 320), t("0", 0), t("320", 320), t("済")]],
                insert=19),
    "B01": five("B01", [[t("入札参加資格申請"), t(""), t("450", 450), t("470", 470), t("200", 200), t("400", 400),
                         t("一部")]], rename="5レス回答"),
    "C01": five("C01", [[t(NOTHING)]]),
    "E01": five("E01", [[t("意見公募"), t(""), t("60", 60), t("75", 75), t("60", 75 - 15), t("75", 75), t("済")]]),
}


def job_doc(copy: Path, out: Path, sheet: str, spec: dict, t1_first: int, t1_columns: str, first: int,
            columns: str, table_sheet: str) -> dict:
    typed = [[sheet, ref, text] for ref, text in spec["head"].items()]
    for row in rows(t1_first, t1_columns, spec.get("t1", [])):
        typed += [[sheet, ref, text] for ref, text, _ in row]
    table = rows(first, columns, spec["rows"])
    if spec.get("insert"):  # the rows typed after the inserted one moved down by one
        table = [[(ref, text, e) for ref, text, e in row] for row in table]
    for row in table:
        typed += [[table_sheet, ref, text] for ref, text, _ in row]
    doc = {"form": str(copy), "password": PASSWORD, "typed": typed, "saves": [{"out": str(out)}]}
    if spec.get("insert"):
        doc["insert_rows"] = [[table_sheet, spec["insert"]]]
    if spec.get("rename"):
        doc["rename_sheets"] = [[sheet, spec["rename"]]]
    return doc


FORMS = {  # form → (sheet, specs, t1 first row and columns, table first row and columns, the table's sheet)
    "システム棚卸": ("システム棚卸", SYSTEM, 0, "", 8, "BCDEFG", "システム棚卸"),
    "PC・ライセンス数": ("PC・ライセンス", PC, 9, "BCD", 5, "ABCD", "ライセンス"),  # two sheets
    "5レス": ("5レス", FIVE, 8, "DEG", 18, "ABCDEFG", "5レス"),
}


def test_three_office_forms_distributed_filled_in_calc_collected_and_merged(tmp_path, new_workspace):
    ws = new_workspace(tmp_path / "ws")
    inquiries, docs, returns = {}, [], {}
    for form, (sheet, specs, t1_first, t1_columns, first, columns, table_sheet) in FORMS.items():
        _, inquiry, _ = new_inquiry(tmp_path, form, ws)
        copies = {p.name.split("_")[-3]: p for p in ij.distribute(ws, inquiry).files}
        inquiries[form] = inquiry
        for code, spec in specs.items():
            out = tmp_path / "returns" / form / copies[code].name
            out.parent.mkdir(parents=True, exist_ok=True)
            docs.append(job_doc(copies[code], out, sheet, spec, t1_first, t1_columns, first, columns, table_sheet))
            returns.setdefault(form, []).append(out)
    job = tmp_path / "job.json"
    job.write_text(json.dumps({"profile": str(tmp_path / "lo"), "locale": "ja-JP", "docs": docs}, ensure_ascii=False),
                   encoding="utf-8")
    subprocess.run([SYSTEM_PYTHON, str(DRIVER), str(job)], check=True, timeout=240)
    inserted = openpyxl.load_workbook(returns["システム棚卸"][1])["システム棚卸"]
    assert (inserted["A18"].value, inserted["A19"].value) == ("=ROW()-7", "合計")  # the row went in; 合計 moved down
    renamed = openpyxl.load_workbook(returns["5レス"][2], read_only=True)
    assert renamed.sheetnames[0] == "5レス回答"
    after = DEADLINE + dt.timedelta(days=1)
    for form, inquiry in inquiries.items():
        result = ij.collect(ws, inquiry, ij.prepare_collection(inquiry, returns[form]))
        assert [o.outcome for o in result.outcomes] == ["取込"] * 5, form
        status = {s.section.code: s.status for s in ij.statuses(ws, inquiry)}
        found = ij.findings(ws, inquiry, after)
        errors = [f.message for f in found if f.severity == "ERR"]
        assert errors == [], form
        assert status == {"A01": L.STATUS_ACCEPTED, "A02": L.STATUS_ACCEPTED, "B01": L.STATUS_RETURNED,
                          "C01": L.STATUS_ACCEPTED, "D01": L.STATUS_NOT_RETURNED, "E01": L.STATUS_ACCEPTED}, form
        codes = {(f.section, f.code) for f in found}
        assert {("B01", "S5"), ("C01", "Q1"), ("D01", "R2")} <= codes, form
        out = ij.merge(ws, inquiry, after)
        data = json.loads(out["json"].read_text(encoding="utf-8"))
        sheet, specs = FORMS[form][:2]
        assert_merged(form, data, specs)


def assert_merged(form: str, data: dict, specs: dict) -> None:
    answers = {record["課コード"]: record for record in data["回答一覧"]}
    assert sorted(answers) == sorted(specs), form
    for code, spec in specs.items():
        assert answers[code]["回答者"] == spec["head"]["B4"], (form, code)
        if "answered" in spec:
            assert answers[code]["回答日"] == spec["answered"], (form, code)
    if form == "システム棚卸":
        tables = {"表_システム棚卸": (SYSTEM_FIELDS, "rows", None)}
    elif form == "PC・ライセンス数":
        tables = {"表_１PC等の保有台数": (PC_T1, "t1", PC_KINDS), "表_２ソフトウェアライセンス": (PC_T2, "rows", None)}
    else:
        keys = tuple(" / ".join(m) for m in FIVE_LESS_METRICS)
        tables = {"表_5レス_T1": (FIVE_T1, "t1", keys), "表_主なオンライン化手続": (FIVE_T2, "rows", None)}
    for name, (fields, part, keys) in tables.items():
        merged = {}
        for record in data[name]:
            merged.setdefault(record["課コード"], {})[record["行"]] = record
        for code, spec in specs.items():
            typed = [row for row in spec.get(part, []) if row[0][0] != NOTHING]
            if not typed:
                assert code not in merged, (form, name, code)
                continue
            expected = {}
            for i, row in enumerate(typed):
                key = keys[i] if keys else str(i + 1)
                expected[key] = dict(zip(fields, [e for (text, e) in row if text != ""]))
            got = {key: {f: merged[code][key][f] for f in expected[key]} for key in merged[code]}
            assert got == expected, (form, name, code)


def test_an_excel_error_in_an_input_cell_is_told_at_its_cell(tmp_path, workspace):
    """A section typed a formula that fails (=1/0): Calc saves the error, calamine reads it as empty — S6, not V1."""
    ws, inquiry, _ = new_inquiry(tmp_path, "システム棚卸", workspace)
    copy = ij.distribute(ws, inquiry).files[0]
    typed = [["システム棚卸", ref, text] for ref, text in (("B4", "山田"), ("F4", "1"), ("B8", "財務会計"), ("C8", "財政課"),
                                                         ("D8", "R3"), ("E8", "=1/0"), ("F8", "0"), ("G8", "クラウド"))]
    out = tmp_path / "r" / copy.name
    out.parent.mkdir()
    job = tmp_path / "job.json"
    job.write_text(json.dumps({"profile": str(tmp_path / "lo"), "locale": "ja-JP", "docs": [
        {"form": str(copy), "password": PASSWORD, "typed": typed, "saves": [{"out": str(out)}]}]}, ensure_ascii=False),
        encoding="utf-8")
    subprocess.run([SYSTEM_PYTHON, str(DRIVER), str(job)], check=True, timeout=240)
    ij.collect(ws, inquiry, ij.prepare_collection(inquiry, [out]))
    found = [f for f in ij.findings(ws, inquiry, dt.date(2025, 1, 1)) if f.severity == "ERR"]
    assert [(f.code, f.cell, f.value) for f in found] == [("S6", "E8", "#DIV/0!")]
