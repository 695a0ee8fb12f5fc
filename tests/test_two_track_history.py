"""A city on the two-track A–D scale imports its history (実績 with 自己評価) and exports CSV: wherever the
numbers decide, the computed grade equals the grade the city gave (DOMAIN §4)."""
import csv

import openpyxl

from dxdesk.cli import main

SECTIONS = [["課コード", "部局", "課所室名"], ["A01", "総務部", "デジタル推進課"], ["A02", "市民部", "市民課"]]
MEASURES = [["施策ID", "柱", "取組事項", "施策名", "施策概要", "担当課コード", "ライフサイクル段階", "関連事業名"],
            ["M1", "市民サービス", "手続", "オンライン申請の拡大", "", "A02", "2", ""],
            ["M2", "行政運営", "業務", "ペーパーレス化", "", "A01", "4", ""],
            ["M3", "行政運営", "基盤", "庁内ネットワーク更改", "", "A01", "1", ""],
            ["M4", "市民サービス", "窓口", "窓口満足度の維持", "", "A02", "2（拡大期）", ""],
            ["M5", "行政運営", "人材", "デジタル人材の育成", "", "A01", "拡大期", ""]]
KPIS = [["指標ID", "施策ID", "指標名", "指標区分", "単位", "方向", "集計", "基準値", "基準年度", "目標値", "目標年度",
         "目標条件", "再掲元指標ID", "算出式・設定根拠"],
        ["K1", "M1", "オンライン申請件数", "アウトカム", "件", "増加", "単年度", 100, "R4", 200, "R9", "", "", ""],
        ["K2", "M2", "印刷枚数", "アウトカム", "千枚", "減少", "単年度", 50, "R4", 30, "R9", "", "", ""],
        ["K3", "M1", "電子申請の満足度", "アウトカム", "%", "増加", "単年度", 98.2, "R4", "80.0%", "R9", "以上", "", ""],
        ["K4", "M4", "窓口相談会の開催回数", "アウトプット", "回", "維持", "単年度", 60, "R4", 60, "R9", "", "", ""],
        ["K5", "M1", "電子申請対応手続数", "アウトプット", "手続", "増加", "累計", 10, "R4", 100, "R9", "", "", ""],
        ["K6", "M3", "更改の進捗", "アウトプット", "%", "増加", "単年度", "-", "", "更改完了", "R7", "", "", ""],
        ["K7", "M1", "オンライン利用率", "アウトカム", "%", "増加", "単年度", 12.1, "R4", 50, "R9", "", "", ""],
        ["K8", "M5", "研修の受講者数", "", "人", "↑", "", "120人", "R4", "300人以上", "R9", "", "", ""]]
TARGETS = [["指標ID", "年度", "目標値"], ["K5", "令和5年度", 40]]
HISTORY = [["指標ID", "年度", "実績値", "自己評価", "備考"],
           ["K1", "R5", 250, "A", ""], ["K1", "R6", 150, "B", ""], ["K1", "R7", 100, "C", ""], ["K1", "R8", 90, "D", ""],
           ["K2", "R5", 25, "A", ""], ["K2", "R6", 40, "B", ""], ["K2", "R7", 50, "C", ""], ["K2", "R8", 60, "D", ""],
           ["K3", "R5", 95, "A", "下限80%を上回る"], ["K3", "R6", 75, "D", ""],
           ["K4", "R5", 60, "A", ""], ["K4", "R6", 55, "D", ""],
           ["K5", "R5", 45, "A", "年度目標40に対して"], ["K5", "R6", 30, "B", ""],
           ["K6", "R5", "構築中", "B", ""], ["K7", "R5", None, "評価未実施", "調査を翌年度に実施"],
           ["K7", "R6", 0.206, "Ｂ", ""],
           ["K8", "R5", "310人", "A", ""], ["K8", "R6", "150人", "B", ""]]


def write_plan(path):
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in (("課所室", SECTIONS), ("施策", MEASURES), ("指標", KPIS), ("年度目標", TARGETS), ("実績", HISTORY)):
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
    wb["実績"]["C18"].number_format = "0.0%"  # K7 R6 typed as 20.6% in Excel
    wb.save(path)
    return path


def test_computed_grades_match_the_citys_self_grades(tmp_path, monkeypatch, init_args):
    monkeypatch.chdir(tmp_path)
    assert main(init_args(".")) == 0
    assert main(["plan", "import", str(write_plan(tmp_path / "plan.xlsx"))]) == 0
    assert main(["export", "--csv", "--out", "out.csv"]) == 0
    rows = list(csv.DictReader(open(tmp_path / "out.csv", encoding="utf-8-sig")))
    decided = [(r["指標ID"], r["年度"], r["算定評価"], r["自己評価"]) for r in rows if r["算定評価"]]
    assert len(decided) == 17
    assert [d for d in decided if d[2] != d[3]] == []
    by_key = {(r["指標ID"], r["年度"]): r for r in rows}
    assert by_key[("K5", "2023")]["判定基準"] == "令和5年度目標"
    assert by_key[("K7", "2024")]["実績値"] == "20.6"
    assert by_key[("K6", "2023")]["算定評価"] == "" and by_key[("K6", "2023")]["自己評価"] == "B"
    assert by_key[("K7", "2023")]["自己評価"] == "評価未実施"
    # 「300人以上」 in one cell is a floor; units written after the number are the KPI's own
    assert (by_key[("K8", "2023")]["目標条件"], by_key[("K8", "2023")]["目標値"], by_key[("K8", "2023")]["基準値"]) == (
        "以上", "300", "120")


def test_K12_a_past_actual_changed_on_re_import(tmp_path, monkeypatch, capsys, init_args):
    monkeypatch.chdir(tmp_path)
    assert main(init_args(".")) == 0
    assert main(["plan", "import", str(write_plan(tmp_path / "plan.xlsx"))]) == 0
    wb = openpyxl.load_workbook(tmp_path / "plan.xlsx")
    wb["実績"]["C2"] = 240  # K1 R5 was 250
    wb.save(tmp_path / "plan2.xlsx")
    capsys.readouterr()
    assert main(["plan", "import", str(tmp_path / "plan2.xlsx")]) == 0
    out = capsys.readouterr().out
    assert "令和5年度の実績が、取り込み済みの「250」から「240」に変わっています" in out
    assert out.count("取り込み済みの") == 1
