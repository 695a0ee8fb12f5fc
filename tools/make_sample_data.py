"""Build dxdesk's bundled sample plan and the Shizuoka test fixture from the shared domain data.

Usage (from the repo root):

    .venv/bin/python tools/make_sample_data.py [--shared ../shared/domain/data]

Reads the transcribed public documents in the shared folder (stdlib + pandas only) and writes
plan-master tables (docs/plan-master.md) as UTF-8 CSV without BOM, one file per sheet:

* dxdesk/sample/sasebo/               — 佐世保市DX推進計画 (R3–R9) = the bundled sample plan
* tests/fixtures/plans/shizuoka/      — 静岡市DX推進計画アクションプラン (R6–R8) = a second plan

The generated CSVs are committed: the project must run and test without the shared folder.
Re-running the script on the same input gives byte-identical output.

What is real and what is illustrative
-------------------------------------
Real (as transcribed from the cities' published documents): plan structure (分野 / 重点課題 / 課題,
柱 / 重点項目 / 取組), KPI and activity-indicator names, units, directions, baselines, targets,
yearly plan values, actuals R3–R5 and evaluation texts (Sasebo), 以上/以下, 累計 and 再掲 (Shizuoka),
system introduction costs (Shizuoka 様式②), Koriyama's FY2023 DX 政策的経費 total (528,368千円).
Illustrative (invented here, deterministic): the split of departments into sections (課), people,
e-mail addresses, life-cycle stages, indicator kind for Shizuoka (アウトカム/アウトプット), and the
Sasebo per-measure budget (Koriyama's total spread over Sasebo's measures) and its 決算額.
"""
from __future__ import annotations

import argparse
import csv
import difflib
import re
import sys
import unicodedata
from decimal import Decimal, InvalidOperation
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
from self_grades import STATUS_OF_MARK, self_grade  # noqa: E402

REPO = Path(__file__).resolve().parents[1]

SHEETS = {
    "課所室": ["課コード", "部局", "課所室名", "担当者", "メール"],
    "指標": ["指標ID", "施策ID", "指標名", "指標区分", "単位", "方向", "集計", "基準値", "基準年度",
             "目標値", "目標年度", "目標条件", "再掲元指標ID", "算出式・設定根拠"],
    "年度目標": ["指標ID", "年度", "目標値"],
    "実績": ["指標ID", "年度", "実績値", "自己評価", "備考"],
    "予算": ["施策ID", "年度", "予算額", "決算額"],
    "マイルストーン": ["施策ID", "マイルストーンID", "内容", "予定年度", "予定時期", "状況", "備考"],
    "システム": ["システムID", "施策ID", "システム名", "概要", "構成", "所管課コード", "導入年度", "導入経費",
               "運用経費", "運用経費年度", "効果", "課題", "利益最大化のために何をすべきか", "利用指標ID"],
}
MEASURE_TAIL = ["施策名", "施策概要", "担当課コード", "ライフサイクル段階", "関連事業名"]

# Reiwa year → fiscal year (R1 = 2019)
def reiwa(n: int) -> int:
    return 2018 + n


# ---------------------------------------------------------------------------------------------
# value helpers
# ---------------------------------------------------------------------------------------------
def txt(value: object) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return ""
    return str(value).strip()


def num(value: object) -> str:
    """A cell as a plain number string ('55584', '12.1'), or '' if it is not a number.

    Removes thousands separators and a trailing %, so '12.1%' → '12.1' (percent numbers are kept
    as percent numbers, never as fractions). Markers such as '-', 'ー', '実施済' → ''.
    """
    text = unicodedata.normalize("NFKC", txt(value)).replace(",", "").replace(" ", "")
    if text.endswith("%"):
        text = text[:-1]
    if not re.fullmatch(r"-?\d+(\.\d+)?", text):
        return ""
    try:
        d = Decimal(text)
    except InvalidOperation:  # pragma: no cover
        return ""
    if d == d.to_integral_value():
        return str(int(d))
    return format(d.normalize(), "f")


def write_csv(folder: Path, sheet: str, header: list[str], rows: list[dict]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / f"{sheet}.csv", "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(header)
        for row in rows:
            writer.writerow([row.get(col, "") for col in header])


def largest_remainder(total: int, weights: list[int]) -> list[int]:
    """Integers proportional to weights that add up exactly to total (ties by position)."""
    wsum = sum(weights)
    exact = [total * w / wsum for w in weights]
    floors = [int(x) for x in exact]
    rest = total - sum(floors)
    order = sorted(range(len(weights)), key=lambda i: (-(exact[i] - floors[i]), i))
    for i in order[:rest]:
        floors[i] += 1
    return floors


def short(text: str, limit: int = 120) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


# ---------------------------------------------------------------------------------------------
# Sasebo → bundled sample plan
# ---------------------------------------------------------------------------------------------
# Sections (illustrative). The data gives only the department (主体部局) per indicator; the split
# into sections, people and addresses is invented. 財務部, 港湾部 and 行財政改革推進局 own only one
# or two project rows each and no challenge as a majority, so they get no section of their own.
SASEBO_SECTIONS = [
    ("S01", "総務部", "DX推進課", "佐藤 一郎"),
    ("S02", "総務部", "情報政策課", "鈴木 花子"),
    ("S03", "総務部", "行政改革課", "高橋 健太"),
    ("S04", "総務部", "広報広聴課", "田中 美咲"),
    ("S05", "総務部", "職員課", "伊藤 翔"),
    ("S06", "市民生活部", "市民課", "渡辺 由美"),
    ("S07", "観光商工部", "観光政策課", "山本 大輔"),
    ("S08", "観光商工部", "観光課", "中村 真由美"),
    ("S09", "農林水産部", "農業振興課", "小林 誠"),
    ("S10", "農林水産部", "水産課", "加藤 恵"),
    ("S11", "子ども未来部", "子ども政策課", "吉田 拓也"),
    ("S12", "子ども未来部", "子育て応援課", "山田 直子"),
    ("S13", "教育委員会", "学校教育課", "佐々木 亮"),
    ("S14", "教育委員会", "教育総務課", "山口 彩"),
    ("S15", "都市整備部", "都市政策課", "松本 隆"),
    ("S16", "土木部", "道路維持課", "井上 裕子"),
    ("S17", "土木部", "河川課", "木村 和也"),
    ("S18", "保健福祉部", "保健福祉政策課", "林 智子"),
    ("S19", "防災危機管理局", "防災危機管理課", "清水 浩二"),
]
# Measure → sections (primary first). Primary follows the department that owns most of the
# challenge's indicator rows; three measures have a second section (M02-2, G01-2, G03-2).
SASEBO_OWNERS = {
    "M01-1": "S07", "M01-2": "S08", "M01-3": "S08",
    "M02-1": "S09", "M02-2": "S09、S10", "M02-3": "S10",
    "M03-1": "S11", "M03-2": "S12",
    "M04-1": "S13", "M04-2": "S14", "M04-3": "S13",
    "M05-1": "S15", "M05-2": "S15", "M05-3": "S15",
    "M06-1": "S16", "M06-2": "S17", "M06-3": "S16",
    "M07-1": "S18", "M07-2": "S18",
    "M08-1": "S19", "M08-2": "S19",
    "G01-1": "S01", "G01-2": "S06、S01", "G01-3": "S01",
    "G02-1": "S03", "G02-2": "S01", "G02-3": "S04",
    "G03-1": "S04", "G03-2": "S03、S01", "G03-3": "S02",
    "G04-1": "S05", "G04-2": "S02",
    "X01-1": "S01", "X02-1": "S01",
}
# Three indicator rows belong to no 重点課題 (DX推進課題 推進1/推進2 and 3つのしかけ 仕掛け1). They get
# two extra measures X01-1 / X02-1 under the level 分野 = 推進体制, so all 155 rows are kept.
EXTRA_MEASURES = {
    "DX推進課題 (not a 重点課題)": ("X01-1", "推進体制", "DX推進課題", "DX推進課題（ドローン・生成AIの全庁活用）"),
    "3つのしかけ (not a 重点課題)": ("X02-1", "推進体制", "3つのしかけ", "CDO補佐官・DXコーディネータと連携したDX推進"),
}
# Indicator rows whose name/unit is missing or unusable in the source, by 0-based row number:
# (name, unit). Units 'unclear'/'unknown' are guesses from the values (documented in README).
SASEBO_FIXES = {
    62: (None, "件"),                     # 活用率 with values 2/4/6/9 — a count, not a rate
    114: ("電子申請と庁内システムの連携（指標名未記載）", "件"),
    147: ("スマートワークに向けた働き方に関する課題の棚卸調査（実施状況）", "状態"),
    148: ("スマートワークに適した働き方の見直し検討（実施状況）", "状態"),
    149: ("強靭で利便性の高いセキュリティ対策実施（活動指標なし）", "状態"),
    153: (None, "人"),                    # 職員利用率 with values 80/320/720/1280 — a count
}
UNIT_MAP = {"件/年": "件", "回/年": "回", "件（累計）": "件", "時間(h)": "時間"}
# Budget (illustrative allocation of a real total): Koriyama's FY2023 DX 政策的経費.
KORIYAMA_TOTAL_FALLBACK = 528368
LOW_SETTLEMENT_MEASURE = "G04-2"   # 標準化: vendor-side delays → 決算 11% of budget (illustrative)


def sasebo_measure_key(row) -> tuple[str, str, str, str]:
    """(施策ID, 分野, 重点課題, 施策名) of an indicator row."""
    no = txt(row["priority_issue_no"])
    if not no:
        return EXTRA_MEASURES[txt(row["priority_issue_name"])]
    area, idx = no.split("-")
    prefix = {"まちづくり": "M", "行政経営": "G"}[area]
    m = re.match(r"(\d+)\s*(.*)", txt(row["challenge"]))
    return f"{prefix}{int(idx):02d}-{m.group(1)}", area, txt(row["priority_issue_name"]), m.group(2)


def koriyama_policy_budget(shared: Path) -> int:
    k = pd.read_csv(shared / "koriyama_dx_hq_metrics.csv", dtype=str)
    hit = k[k.topic.str.startswith("dx_budget") & (k.metric == "予算額")
            & k.category.str.startswith("政策的経費") & (k.period == "2023年度")]
    return int(hit.value.iloc[0]) if len(hit) else KORIYAMA_TOTAL_FALLBACK


def build_sasebo(shared: Path, out: Path) -> dict[str, int]:
    d = pd.read_csv(shared / "sasebo_dx_plan_fy2023_indicators.csv", dtype=str)
    assert len(d) == 155, len(d)

    # --- measures ------------------------------------------------------------------------
    measures: dict[str, dict] = {}
    for i, row in d.iterrows():
        mid, area, issue, name = sasebo_measure_key(row)
        m = measures.setdefault(mid, {"施策ID": mid, "分野": area, "重点課題": issue, "施策名": name,
                                      "steps": [], "projects": [], "lead": "", "rows": []})
        m["rows"].append(i)
        for key, col in (("steps", "step"), ("projects", "project")):
            value = txt(row[col])
            if value and value not in m[key]:
                m[key].append(value)
        if txt(row["leading_project"]) == "○" and not m["lead"]:
            m["lead"] = txt(row["project"])
    order = sorted(measures, key=lambda x: (x[0] != "M", x[0] == "X", x))

    # --- indicators --------------------------------------------------------------------------
    kpis, year_targets, history, this_year = [], [], [], []
    kid_of_row: dict[int, str] = {}
    series_of: dict[int, tuple] = {}
    for i, row in d.iterrows():
        kid = f"K{i + 1:03d}"
        kid_of_row[i] = kid
        mid = sasebo_measure_key(row)[0]
        name, unit = txt(row["indicator_name"]), txt(row["unit"])
        fix_name, fix_unit = SASEBO_FIXES.get(i, (None, None))
        name, unit = fix_name or name, fix_unit or unit
        basis = "累計" if "累計" in (name + unit + txt(row["formula_basis"])) else "単年度"
        unit = UNIT_MAP.get(unit, unit)
        assert unit and unit not in ("unclear", "unknown", "status text"), (i, unit)
        baseline = num(row["baseline_value"])
        target = num(row["target_value"])
        # a qualitative target (実施済) is kept as text, as the plan-master format allows
        target_text = target or ("" if txt(row["target_value"]) in ("", "-", "ー") else txt(row["target_value"]))
        ty = re.search(r"FY(\d{4})", txt(row["target_year"]))
        cond = ""
        for word in ("以上", "以下"):
            if word in txt(row["target_value"]):
                cond = word
        kpis.append({
            "指標ID": kid, "施策ID": mid, "指標名": name,
            "指標区分": "アウトカム" if row["indicator_kind"] == "KPI" else "アウトプット",
            "単位": unit, "方向": "減少" if row["direction"] == "lower_is_better" else "増加",
            "集計": basis, "基準値": baseline, "基準年度": "2021" if baseline else "",
            "目標値": target_text, "目標年度": ty.group(1) if (ty and target_text) else "",
            "目標条件": cond, "再掲元指標ID": "", "算出式・設定根拠": txt(row["formula_basis"]),
        })
        for n in range(3, 10):
            v = num(row[f"plan_R{n}"])
            if v:
                year_targets.append({"指標ID": kid, "年度": str(reiwa(n)), "目標値": v})
        for n in (3, 4):  # history = R3, R4 only; R5 is "this year" for the demo
            v = num(row[f"actual_R{n}"])
            if v:
                history.append({"指標ID": kid, "年度": str(reiwa(n)), "実績値": v})
        ev = txt(row["evaluation"])
        this_year.append({"指標ID": kid, "年度": "2023", "実績値": num(row["actual_R5"]),
                          "取組結果": "" if ev in ("-", "ー", "―") else ev})
        series_of[i] = tuple(num(row[c]) for c in ["baseline_value", "target_value"]
                             + [f"plan_R{n}" for n in range(3, 10)]
                             + [f"actual_R{n}" for n in range(3, 6)])

    # --- 再掲: an activity indicator that repeats a KPI of the same challenge ----------------------
    # Same measure, identical numbers (baseline, target, plan R3–R9, actual R3–R5; at least three
    # numeric) and the same name up to small wording (one name contains the other after removing
    # spaces/の/で/数/記号, or ≥ 80 % similar), e.g. 申請利用率 ⊂ オンライン申請利用率, 観光ルートのアクセス/利用者数.
    def norm(s: str) -> str:
        s = unicodedata.normalize("NFKC", s)
        return re.sub(r"[\s/・の（）()]|数|での", "", s)
    # A KPI of another challenge is accepted only with identical numbers and ≥ 80 % similar names
    # (one case: 観光ルートのアクセス/利用者数 under 2 デジタルプロモーション = the KPI of 課題 3).
    def same(i: int, j: int, other_measure: bool) -> bool:
        if series_of[i] != series_of[j] or sum(1 for v in series_of[i] if v) < 3:
            return False
        a, b = norm(kpis[i]["指標名"]), norm(kpis[j]["指標名"])
        similar = bool(a and b) and difflib.SequenceMatcher(None, a, b).ratio() >= 0.8
        return similar if other_measure else (bool(a and b) and (a in b or b in a)) or similar
    relisted = []
    kpi_rows = list(d.index[d.indicator_kind == "KPI"])
    for i in d.index[d.indicator_kind == "活動指標"]:
        same_measure = [j for j in kpi_rows if kpis[j]["施策ID"] == kpis[i]["施策ID"]]
        other = [j for j in kpi_rows if kpis[j]["施策ID"] != kpis[i]["施策ID"]]
        hit = next((j for j in same_measure if same(i, j, False)), None)
        if hit is None:
            hit = next((j for j in other if same(i, j, True)), None)
        if hit is not None:
            kpis[i]["再掲元指標ID"] = kid_of_row[hit]
            relisted.append((kid_of_row[i], kid_of_row[hit]))

    # --- life-cycle stages ------------------------------------------------------------------------
    # 2 (拡大期, KPI-managed) by default.
    # 1 (構築期): every indicator of the measure has neither a numeric target nor a numeric actual
    #   (R3–R5) — KPIs still "to be set with the projects" (e.g. 担い手の確保・継続・育成).
    # 3 (安定期): every indicator has a numeric target and met it in both R4 and R5 (direction-aware),
    #   and the target is flat from R5 on; at most two such measures, first in plan order.
    def met(i: int, n: int) -> bool:
        t, a = num(d.at[i, "target_value"]), num(d.at[i, "actual_R" + str(n)])
        if not t or not a:
            return False
        return float(a) <= float(t) if d.at[i, "direction"] == "lower_is_better" else float(a) >= float(t)
    stage = {}
    stage3 = []
    for mid in order:
        rows = measures[mid]["rows"]
        empty = all(not num(d.at[i, "target_value"]) and not any(num(d.at[i, f"actual_R{n}"]) for n in (3, 4, 5))
                    for i in rows)
        flat = all(len({num(d.at[i, f"plan_R{n}"]) for n in range(5, 10)}) == 1 for i in rows)
        if empty:
            stage[mid] = "1"
        elif len(stage3) < 2 and flat and all(met(i, 4) and met(i, 5) for i in rows):
            stage[mid] = "3"
            stage3.append(mid)
        else:
            stage[mid] = "2"

    # --- sections ------------------------------------------------------------------------------
    sections = [{"課コード": c, "部局": dept, "課所室名": name, "担当者": person,
                 "メール": f"dx-{c.lower()}@example.lg.jp"} for c, dept, name, person in SASEBO_SECTIONS]

    measure_rows = []
    for mid in order:
        m = measures[mid]
        summary = "ステップ: " + "／".join(m["steps"]) if m["steps"] else "プロジェクト: " + "／".join(m["projects"])
        measure_rows.append({
            "施策ID": mid, "分野": m["分野"], "重点課題": m["重点課題"], "施策名": m["施策名"],
            "施策概要": short(summary), "担当課コード": SASEBO_OWNERS[mid],
            "ライフサイクル段階": stage[mid],
            "関連事業名": m["lead"] or (m["projects"][0] if m["projects"] else ""),
        })

    # --- budget (illustrative) -----------------------------------------------------------------
    # FY2023 予算額: Koriyama's real FY2023 DX 政策的経費 total (528,368千円) split over the measures
    # in proportion to their number of indicators (largest-remainder rounding, sum is exact).
    # FY2022 予算額: 90% of the FY2023 amount (rounded). 決算額 only for FY2022: 85–100% of the budget
    # by a fixed pattern over the measure order, except G04-2 (標準化, delayed) at 11%.
    total = koriyama_policy_budget(shared)
    alloc = largest_remainder(total, [len(measures[mid]["rows"]) for mid in order])
    budgets = []
    for n, (mid, amount) in enumerate(zip(order, alloc)):
        b22 = round(amount * 0.9)
        rate = 0.11 if mid == LOW_SETTLEMENT_MEASURE else 0.85 + (n * 7 % 16) / 100
        budgets.append({"施策ID": mid, "年度": "2022", "予算額": str(b22), "決算額": str(round(b22 * rate))})
        budgets.append({"施策ID": mid, "年度": "2023", "予算額": str(amount), "決算額": ""})

    plan = [{"項目": "計画名", "値": "佐世保市DX推進計画（サンプル）"},
            {"項目": "計画期間", "値": "R3〜R9"}, {"項目": "評価尺度", "値": "AD2"}]

    write_csv(out, "計画", ["項目", "値"], plan)
    write_csv(out, "課所室", SHEETS["課所室"], sections)
    write_csv(out, "施策", ["施策ID", "分野", "重点課題"] + MEASURE_TAIL, measure_rows)
    write_csv(out, "指標", SHEETS["指標"], kpis)
    write_csv(out, "年度目標", SHEETS["年度目標"], year_targets)
    write_csv(out, "実績", SHEETS["実績"], history)
    write_csv(out, "予算", SHEETS["予算"], budgets)
    # 自己評価 / 進捗状況: what the section says (tools/self_grades.py), from the city's own figures and marks
    targets23 = {r["指標ID"]: r["目標値"] for r in year_targets if r["年度"] == "2023"}
    for i, (k, row) in enumerate(zip(kpis, this_year)):
        mark = txt(d.at[i, "challenge_progress_mark"])[:1]
        row["自己評価"], row["進捗状況"] = self_grade(
            stage[k["施策ID"]], row["実績値"], k["基準値"], targets23.get(k["指標ID"]) or k["目標値"],
            k["方向"] == "減少", k["目標条件"], STATUS_OF_MARK.get(mark, ""))
    write_csv(out, "今年度実績", ["指標ID", "年度", "実績値", "取組結果", "自己評価", "進捗状況"], this_year)
    schedule_counts = build_sasebo_schedule(shared, out)
    check(out, ["分野", "重点課題"])
    return {"sections": len(sections), "measures": len(measure_rows), "kpis": len(kpis),
            "outcome": sum(k["指標区分"] == "アウトカム" for k in kpis),
            "relisted": len(relisted), "year_targets": len(year_targets), "history": len(history),
            "this_year": len(this_year), "this_year_numeric": sum(bool(r["実績値"]) for r in this_year),
            "budget_rows": len(budgets), "budget_2023_total": sum(alloc),
            "stage": ",".join(f"{k}:{v}" for k, v in sorted(stage.items()) if v != "2"), **schedule_counts}


# Milestones and systems of the sample: Sasebo's material has neither a per-measure roadmap nor system costs,
# so the sample borrows Shizuoka's (real text and figures of the 様式① roadmap and the 様式② systems table) for
# the Sasebo measures doing the same thing. Which measure gets which, the milestone IDs and the fiscal years
# (Shizuoka's R6–R8 moved to the sample's R4–R7 so that the demo year R5 falls inside) are illustrative.
# measure → [(Shizuoka ref_no, roadmap year R6/R7/R8, sample FY, 予定時期, plan status)]
SASEBO_MILESTONES = {
    "G01-2": [("1-2-2", "R6", 2022, "", "完了"), ("1-2-2", "R7", 2023, "第3四半期", ""),
              ("1-2-2b", "R6", 2024, "", ""), ("1-2-2b", "R7", 2025, "", "")],
    "X01-1": [("2-3-13", "R6", 2023, "", ""), ("2-3-13", "R7", 2024, "", ""), ("2-3-13", "R8", 2025, "", "")],
    "G04-2": [("2-1-1", "R6", 2023, "", ""), ("2-1-1", "R7", 2024, "", ""), ("2-1-1", "R8", 2025, "", "")],
}
# Shizuoka system → sample measures (first = home) and ID
SASEBO_SYSTEMS = [("S01", "SYS01", "G01-1、M03-1"), ("S03", "SYS02", "G01-1"), ("S04", "SYS03", "G01-2"),
                  ("S05", "SYS04", "G01-2"), ("S13", "SYS05", "G03-2"), ("S14", "SYS06", "G03-2"),
                  ("S11", "SYS07", "X01-1")]
# What the demo's sections report for FY2023 (今年度工程.csv / 今年度システム.csv): the 実証 milestone of G01-2
# is late (延期 with its reason); 電子申請システム's running cost is Shizuoka's R6 figure (1,073 千円, from the
# older sheet) with Shizuoka's R5 annual count of e-applications (298,621 件) as its use; 窓口呼び出しシステム
# (running cost 未定 in the plan) is left empty.
SASEBO_MILESTONE_REPORTS = [
    ("G01-2-2", "延期", "", "実証に使う窓口端末の調達が遅れ、一部窓口での実証の開始が令和6年度にずれ込んだ。R6.6 に開始する。")]
SASEBO_SYSTEM_REPORTS = [("SYS01", "1073", "298621", "")]


def build_sasebo_schedule(shared: Path, out: Path) -> dict[str, int]:
    k = pd.read_csv(shared / "shizuoka_action_plan_kpis.csv", dtype=str)
    k = k[k.record_type == "main"]
    s = pd.read_csv(shared / "shizuoka_action_plan_systems.csv", dtype=str).set_index("system_id")
    roadmap = {}
    for _, row in k.iterrows():
        for n in (6, 7, 8):
            text = txt(row[f"roadmap_R{n}_FY{reiwa(n)}"])
            roadmap.setdefault((txt(row["ref_no"]), f"R{n}"), text)
    # 1-2-2 has two 取組 (書かない窓口 / 窓口呼び出し): the second one's roadmap is 窓口調査・導入検討 / 一部窓口での実証
    second = k[k.ref_no == "1-2-2"].iloc[1]
    roadmap[("1-2-2b", "R6")] = "窓口呼び出しシステムの" + txt(second["roadmap_R6_FY2024"])
    roadmap[("1-2-2b", "R7")] = "窓口呼び出しシステム " + txt(second["roadmap_R7_FY2025"])
    milestones = []
    for mid, items in SASEBO_MILESTONES.items():
        for n, (ref, year, fy, period, status) in enumerate(items, start=1):
            text = roadmap[(ref, year)]
            if ref == "1-2-2":
                text = "書かない窓口ツールの" + text if year == "R6" else "書かない窓口ツール " + text
            if ref == "2-3-13":
                text = "生成AI " + text
            milestones.append({"施策ID": mid, "マイルストーンID": f"{mid}-{n}", "内容": text, "予定年度": str(fy),
                               "予定時期": period, "状況": status, "備考": f"静岡市 {ref.rstrip('b')} {year} の記載"})
    systems = []
    for source, sid, mids in SASEBO_SYSTEMS:
        row = s.loc[source]
        name = txt(row["system_name"]) + (f"（{txt(row['sub_tool'])}）" if txt(row["sub_tool"]) and len(txt(row["sub_tool"])) < 20 else "")
        systems.append({
            "システムID": sid, "施策ID": mids, "システム名": name, "概要": txt(row["overview_gaiyo"]),
            "構成": txt(row["configuration_kosei"]), "所管課コード": "", "導入年度": txt(row["intro_year_raw"]),
            "導入経費": txt(row["intro_cost_raw"]), "運用経費": txt(row["opex_raw"]), "運用経費年度": "",
            "効果": txt(row["effect_koka"]), "課題": txt(row["issue_kadai"]),
            "利益最大化のために何をすべきか": txt(row["action_rieki_saidaika"]), "利用指標ID": ""})
    write_csv(out, "マイルストーン", SHEETS["マイルストーン"], milestones)
    write_csv(out, "システム", SHEETS["システム"], systems)
    write_csv(out, "今年度工程", ["マイルストーンID", "状況", "実施月", "遅延理由"],
              [dict(zip(("マイルストーンID", "状況", "実施月", "遅延理由"), r)) for r in SASEBO_MILESTONE_REPORTS])
    write_csv(out, "今年度システム", ["システムID", "運用経費", "利用実績", "増減理由"],
              [dict(zip(("システムID", "運用経費", "利用実績", "増減理由"), r)) for r in SASEBO_SYSTEM_REPORTS])
    return {"milestones": len(milestones), "systems": len(systems)}


# ---------------------------------------------------------------------------------------------
# Shizuoka → test fixture
# ---------------------------------------------------------------------------------------------
SHIZUOKA_SECTIONS = [
    ("S01", "総務局", "DX推進課", "青木 達也"),
    ("S02", "市民局", "市民課", "石川 由香"),
    ("S03", "危機管理総室", "危機管理課", "前田 修"),
    ("S04", "建設局", "河川課", "藤田 陽子"),
    ("S05", "総務局", "広報課", "岡田 剛"),
    ("S06", "総務局", "人事課", "長谷川 舞"),
    ("S07", "建設局", "技術政策課", "村上 聡"),
    ("S08", "企画局", "スマートシティ推進課", "近藤 麻衣"),
    ("S09", "経済局", "産業振興課", "石井 健"),
    ("S10", "教育局", "教育政策課", "坂本 千尋"),
]
# Owner by 重点項目, with overrides by 施策ID (primary first). Systems' owner_section (DX推進課 for
# 1-1-2/1-1-3/1-1-4) is respected.
SHIZUOKA_ITEM_OWNER = {
    "1-1": "S01", "1-2": "S02", "1-3": "S03", "1-4": "S05", "2-1": "S01", "2-2": "S06",
    "2-3": "S01", "2-4": "S07", "2-5": "S01", "3-1": "S08", "3-2": "S08", "3-3": "S08",
    "4-1": "S09", "4-2": "S09", "4-3": "S01", "4-4": "S10", "5-1": "S06", "5-2": "S10",
}
SHIZUOKA_OWNER_OVERRIDE = {
    "1-2-2a": "S02、S01", "1-2-4": "S01", "1-3-5": "S04", "1-3-6": "S04", "4-4-1": "S01",
}
# Stage overrides (default: 2 if the measure has a numeric KPI target, else 1 構築期):
# 1-1-4 ぴったりサービス → 次期サービスへ移行 = 5 次期システム等検討期; 2-2-3 モバイルワーク (KPI omitted,
# same solution as 在宅勤務, in operation) = 3 安定期.
SHIZUOKA_STAGE_OVERRIDE = {"1-1-4": "5", "2-2-3": "3"}
# Indicator kind is not in the source; judged here by the KPI's meaning (illustrative).
SHIZUOKA_OUTCOMES = {"K04", "K05", "K07", "K08", "K09", "K10", "K11", "K14", "K15", "K17", "K18",
                     "K23", "K30", "K33", "K34", "K36", "K39", "K44", "K45", "K46", "K47", "K52", "K53"}


def build_shizuoka(shared: Path, out: Path) -> dict[str, int]:
    k = pd.read_csv(shared / "shizuoka_action_plan_kpis.csv", dtype=str)
    s = pd.read_csv(shared / "shizuoka_action_plan_systems.csv", dtype=str)
    # main rows + the one re-listed row (K09, 再掲 of 1-1-2 under 1-2-4) + the omitted-KPI row (K19,
    # kept as a measure without KPI); the section-3 illustration rows (example_sec3_old) are dropped.
    k = k[k.record_type.isin(["main", "repost", "omitted"])].copy()
    s = s[s.record_type == "main"].copy()

    # measures: one per (item, ref_no, 取組名); a ref_no shared by several 取組 gets a/b suffixes
    keys = list(dict.fromkeys(zip(k.item_id, k.ref_no, k.torikumi_name)))
    per_ref: dict[str, list] = {}
    for key in keys:
        per_ref.setdefault(key[1], []).append(key)
    mid_of = {}
    for ref, group in per_ref.items():
        for n, key in enumerate(group):
            mid_of[key] = ref if len(group) == 1 else f"{ref}{'abcdefgh'[n]}"

    # systems → measure (first ref in related_ref_no; "sub 1/2" picks the a/b measure)
    def system_measure(ref_raw: str) -> str | None:
        m = re.match(r"(\d+-\d+-\d+)", ref_raw)
        if not m:
            return None
        ref = m.group(1)
        sub = re.search(r"sub (\d)", ref_raw)
        cands = [mid_of[key] for key in keys if key[1] == ref]
        if not cands:
            return None
        return cands[int(sub.group(1)) - 1] if (sub and len(cands) > 1) else cands[0]
    systems_of: dict[str, list[str]] = {}
    budgets_acc: dict[tuple[str, str], int] = {}
    section_of = {name: code for code, _dept, name, _person in SHIZUOKA_SECTIONS}
    systems = []
    for _, row in s.iterrows():
        mid = system_measure(txt(row["related_ref_no"]))
        if not mid:
            continue
        # 様式② as the city writes it: costs and years as the raw text (未定, 無し, 千円/年（R8）…)
        again = re.search(r"再掲 (\d+-\d+-\d+)", txt(row["related_ref_no"]))
        systems.append({
            "システムID": txt(row["system_id"]),
            "施策ID": mid + (f"、{again.group(1)}" if again else ""),
            "システム名": txt(row["system_name"]) + (f"（{txt(row['sub_tool'])}）" if txt(row["sub_tool"]) and len(txt(row["sub_tool"])) < 20 else ""),
            "概要": txt(row["overview_gaiyo"]), "構成": txt(row["configuration_kosei"]),
            "所管課コード": section_of.get(txt(row["owner_section"]), ""),
            "導入年度": txt(row["intro_year_raw"]), "導入経費": txt(row["intro_cost_raw"]),
            "運用経費": txt(row["opex_raw"]), "運用経費年度": "",
            "効果": txt(row["effect_koka"]), "課題": txt(row["issue_kadai"]),
            "利益最大化のために何をすべきか": txt(row["action_rieki_saidaika"]), "利用指標ID": ""})
        name = txt(row["system_name"]) + (f"（{txt(row['sub_tool'])}）" if txt(row["sub_tool"]) and len(txt(row["sub_tool"])) < 20 else "")
        systems_of.setdefault(mid, []).append(name)
        cost = num(row["intro_cost_thousand_yen"])
        if not cost:
            continue  # 未定 / 無し / シナリオにより異なる → no budget line
        # 年度 = introduction FY; where the cost is tagged with its own year (e.g. R7 サイト更改 of a
        # site introduced in H28) that year is used instead.
        cy = re.match(r"R(\d+)", txt(row["intro_cost_year"]))
        fy = str(reiwa(int(cy.group(1)))) if cy else txt(row["intro_fy"])[:4]
        budgets_acc[(mid, fy)] = budgets_acc.get((mid, fy), 0) + int(cost)

    measures, kpis, year_targets, milestones = [], [], [], []
    for key in keys:
        item, ref, tname = key
        mid = mid_of[key]
        rows = k[(k.item_id == item) & (k.ref_no == ref) & (k.torikumi_name == tname)]
        first = rows.iloc[0]
        summary = ""  # the roadmap is carried as milestones (マイルストーン), one per fiscal year
        for n in (6, 7, 8):
            text = txt(first[f"roadmap_R{n}_FY{reiwa(n)}"])
            if text:
                milestones.append({"施策ID": mid, "マイルストーンID": f"{mid}-R{n}", "内容": text,
                                   "予定年度": str(reiwa(n)), "予定時期": "", "状況": "", "備考": ""})
        if txt(first["parent_torikumi"]):
            summary = f"（{txt(first['parent_torikumi'])}）" + summary
        has_numeric = any(num(v) for v in rows.target_value)
        stage = SHIZUOKA_STAGE_OVERRIDE.get(mid, "2" if has_numeric else "1")
        measures.append({"施策ID": mid, "柱": txt(first["pillar_name"]), "重点項目": txt(first["item_name"]),
                         "施策名": tname, "施策概要": short(summary),
                         "担当課コード": SHIZUOKA_OWNER_OVERRIDE.get(mid, SHIZUOKA_ITEM_OWNER[item]),
                         "ライフサイクル段階": stage, "関連事業名": "、".join(systems_of.get(mid, []))})

    name_to_id = {}  # (ref_no, KPI name) → KPI id, to resolve repost_of (given as a ref_no)
    for _, row in k.iterrows():
        if row.record_type == "omitted":
            continue
        name_to_id[(row.ref_no, txt(row.kpi_name))] = row.kpi_id
    for _, row in k.iterrows():
        if row.record_type == "omitted":
            continue
        mid = mid_of[(row.item_id, row.ref_no, row.torikumi_name)]
        unit = txt(row["target_unit"]) or txt(row["baseline_unit"])
        name = txt(row["kpi_name"])
        basis = "単年度"
        cum = txt(row["cumulative"])
        if cum.startswith("yes") or "inferred cumulative" in cum or "累計" in name:
            basis = "累計"
        unit = {"回/年": "回", "件/年": "件"}.get(unit, unit)
        if not unit:
            unit = "%" if "割合" in name else "状態"
        baseline = num(row["baseline_value"])
        target = num(row["target_value"])
        target_text = target
        if not target and txt(row["target_type"]) == "qualitative":
            target_text = re.sub(r"\s*\((R\d+~?|~R\d+)\)\s*$", "", txt(row["target_raw"]))
        tfy = txt(row["target_fy"]) if target_text else ""
        direction = {"higher": "増加", "lower": "減少", "maintain": "維持"}.get(txt(row["direction"]), "増加")
        repost = ""
        if txt(row["repost_of"]):
            repost = name_to_id[(txt(row["repost_of"]), name)]
        basis_text = ""
        if row.kpi_id == "K08":  # the target is a sentence about another quantity than the name
            basis_text = "目標: " + re.sub(r"\s*\(R\d+\)$", "", txt(row["target_raw"]))
        if txt(row["interim_target_raw"]):
            basis_text = "中間目標 " + txt(row["interim_target_raw"])
            m = re.match(r"([\d,.]+)\D*\(R(\d+)\)", txt(row["interim_target_raw"]))
            if m:
                year_targets.append({"指標ID": row.kpi_id, "年度": str(reiwa(int(m.group(2)))),
                                     "目標値": num(m.group(1))})
        kpis.append({
            "指標ID": row.kpi_id, "施策ID": mid, "指標名": name,
            "指標区分": "アウトカム" if row.kpi_id in SHIZUOKA_OUTCOMES else "アウトプット",
            "単位": unit, "方向": direction, "集計": basis,
            "基準値": baseline, "基準年度": txt(row["baseline_fy"]) if baseline else "",
            "目標値": target_text, "目標年度": tfy, "目標条件": txt(row["target_comparator"]),
            "再掲元指標ID": repost, "算出式・設定根拠": basis_text,
        })

    sections = [{"課コード": c, "部局": dept, "課所室名": name, "担当者": person,
                 "メール": f"dx-{c.lower()}@example.lg.jp"} for c, dept, name, person in SHIZUOKA_SECTIONS]
    budgets = [{"施策ID": mid, "年度": fy, "予算額": str(v), "決算額": ""}
               for (mid, fy), v in sorted(budgets_acc.items())]
    plan = [{"項目": "計画名", "値": "静岡市DX推進計画アクションプラン（テスト用）"},
            {"項目": "計画期間", "値": "R6〜R8"}, {"項目": "評価尺度", "値": "AD2"}, {"項目": "版", "値": "R8.3 改定"}]

    write_csv(out, "計画", ["項目", "値"], plan)
    write_csv(out, "課所室", SHEETS["課所室"], sections)
    write_csv(out, "施策", ["施策ID", "柱", "重点項目"] + MEASURE_TAIL, measures)
    write_csv(out, "指標", SHEETS["指標"], kpis)
    write_csv(out, "年度目標", SHEETS["年度目標"], year_targets)
    write_csv(out, "実績", SHEETS["実績"], [])
    write_csv(out, "予算", SHEETS["予算"], budgets)
    write_csv(out, "マイルストーン", SHEETS["マイルストーン"], milestones)
    write_csv(out, "システム", SHEETS["システム"], systems)
    check(out, ["柱", "重点項目"])
    return {"sections": len(sections), "measures": len(measures), "kpis": len(kpis),
            "outcome": sum(x["指標区分"] == "アウトカム" for x in kpis),
            "relisted": sum(bool(x["再掲元指標ID"]) for x in kpis),
            "year_targets": len(year_targets), "history": 0, "budget_rows": len(budgets),
            "milestones": len(milestones), "systems": len(systems),
            "stage": ",".join(f"{m['施策ID']}:{m['ライフサイクル段階']}" for m in measures
                              if m["ライフサイクル段階"] != "2")}


# ---------------------------------------------------------------------------------------------
# consistency check of a written folder
# ---------------------------------------------------------------------------------------------
def check(folder: Path, levels: list[str]) -> None:
    def read(sheet):
        with open(folder / f"{sheet}.csv", encoding="utf-8", newline="") as fh:
            raw = fh.read()
        assert not raw.startswith("\ufeff"), f"{sheet}: BOM"
        return list(csv.DictReader(raw.splitlines()))
    errors = []
    sec = read("課所室")
    codes = [r["課コード"] for r in sec]
    ms = read("施策")
    ks = read("指標")
    mids = [r["施策ID"] for r in ms]
    kids = [r["指標ID"] for r in ks]
    for label, ids in (("課コード", codes), ("施策ID", mids), ("指標ID", kids)):
        if len(ids) != len(set(ids)):
            errors.append(f"duplicate {label}")
    header = next(csv.reader([open(folder / "施策.csv", encoding="utf-8").readline()]))
    if header[1:1 + len(levels)] != levels:
        errors.append(f"levels {header}")
    primaries = set()
    for r in ms:
        parts = [p for p in re.split(r"[、,/\n]", r["担当課コード"]) if p]
        if not parts or any(p not in codes for p in parts):
            errors.append(f"施策 {r['施策ID']}: 担当課コード {r['担当課コード']}")
        primaries.add(parts[0])
        if r["ライフサイクル段階"] not in ("1", "2", "3", "3・4", "4", "5"):
            errors.append(f"施策 {r['施策ID']}: stage")
        if not r["施策名"] or any(not r[lv] for lv in levels):
            errors.append(f"施策 {r['施策ID']}: name/levels")
    for c in codes:
        if c not in primaries:
            errors.append(f"課 {c} owns no measure as primary")
    for r in ks:
        if r["施策ID"] not in mids:
            errors.append(f"指標 {r['指標ID']}: 施策ID {r['施策ID']}")
        if r["再掲元指標ID"] and r["再掲元指標ID"] not in kids:
            errors.append(f"指標 {r['指標ID']}: 再掲元 {r['再掲元指標ID']}")
        for col, allowed in (("指標区分", ("アウトカム", "アウトプット")), ("方向", ("増加", "減少", "維持")),
                             ("集計", ("単年度", "累計")), ("目標条件", ("", "以上", "以下"))):
            if r[col] not in allowed:
                errors.append(f"指標 {r['指標ID']}: {col}={r[col]}")
        if not r["指標名"] or not r["単位"]:
            errors.append(f"指標 {r['指標ID']}: name/unit")
        for col in ("基準値",):
            if r[col]:
                float(r[col])
        for col in ("基準年度", "目標年度"):
            if r[col] and not re.fullmatch(r"20\d\d", r[col]):
                errors.append(f"指標 {r['指標ID']}: {col}={r[col]}")
        if r["目標値"] != r["目標値"].strip():  # numeric, or a qualitative target kept as text
            errors.append(f"指標 {r['指標ID']}: 目標値")
        if r["目標条件"] and not num(r["目標値"]):
            errors.append(f"指標 {r['指標ID']}: 目標条件 without numeric 目標値")
    for sheet, value_cols in (("年度目標", ["目標値"]), ("実績", ["実績値"]), ("予算", ["予算額", "決算額"]),
                              ("今年度実績", ["実績値"])):
        if not (folder / f"{sheet}.csv").exists():
            continue
        for r in read(sheet):
            ref = r.get("指標ID") or r.get("施策ID")
            if ref not in (kids if "指標ID" in r else mids):
                errors.append(f"{sheet}: unknown id {ref}")
            if not re.fullmatch(r"20\d\d", r["年度"]):
                errors.append(f"{sheet}: 年度 {r['年度']}")
            for col in value_cols:
                if r[col]:
                    float(r[col])
    if errors:
        raise SystemExit(f"{folder}:\n  " + "\n  ".join(errors))


def build_shizuoka_first_edition(shared: Path, revised: Path, out: Path) -> dict[str, int]:
    """The earlier edition (R7.3 策定) of the Shizuoka plan: the R8.3 改定 fixture with the rows the plan's
    section 3 still shows from the older sheet 1-1 (record_type example_sec3_old) — the 取組 names and the KPI
    targets as they were then (matched by ref_no). Everything else is as in the revised edition."""
    k = pd.read_csv(shared / "shizuoka_action_plan_kpis.csv", dtype=str)
    old = {txt(r["ref_no"]): r for _, r in k[k.record_type == "example_sec3_old"].iterrows()}
    out.mkdir(parents=True, exist_ok=True)
    for path in sorted(revised.glob("*.csv")):
        with open(path, encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle))
            header = list(rows[0].keys()) if rows else next(csv.reader(open(path, encoding="utf-8")))
        if path.stem == "施策":
            for row in rows:
                if row["施策ID"] in old:
                    row["施策名"] = txt(old[row["施策ID"]]["torikumi_name"])
        elif path.stem == "指標":
            for row in rows:
                if row["施策ID"] in old:
                    r = old[row["施策ID"]]
                    value = num(r["target_value"])
                    row["目標値"] = value or txt(r["target_raw"])
                    row["目標年度"] = txt(r["target_fy"]).split(".")[0] if txt(r["target_fy"]) else ""
        elif path.stem == "計画":
            rows = [dict(r, 値="R7.3 策定") if r["項目"] == "版" else r for r in rows]
        write_csv(out, path.stem, header, rows)
    return {"changed measures": len(old)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--shared", type=Path, default=REPO.parent / "shared" / "domain" / "data",
                    help="folder with the shared domain CSVs (default: ../shared/domain/data)")
    args = ap.parse_args(argv)
    shared = args.shared if args.shared.is_absolute() else (Path.cwd() / args.shared)
    if not shared.is_dir():
        print(f"shared data folder not found: {shared}", file=sys.stderr)
        return 2
    results = {
        "sasebo (dxdesk/sample/sasebo)": build_sasebo(shared, REPO / "dxdesk" / "sample" / "sasebo"),
        "shizuoka (tests/fixtures/plans/shizuoka)": build_shizuoka(
            shared, REPO / "tests" / "fixtures" / "plans" / "shizuoka"),
    }
    results["shizuoka R7.3 策定 (tests/fixtures/plans/shizuoka_r7)"] = build_shizuoka_first_edition(
        shared, REPO / "tests" / "fixtures" / "plans" / "shizuoka", REPO / "tests" / "fixtures" / "plans" / "shizuoka_r7")
    for name, counts in results.items():
        print(name)
        for key, value in counts.items():
            print(f"  {key}: {value}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
