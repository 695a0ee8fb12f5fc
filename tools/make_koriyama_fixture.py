"""Build the Koriyama test fixture (a third plan master) from the shared domain data.

Usage (from the repo root):

    .venv/bin/python tools/make_koriyama_fixture.py [--shared ../shared/domain/data]

Reads koriyama_dx_hq_metrics.csv (the metrics published to 郡山市DX推進本部会議, stdlib + pandas only)
and writes plan-master tables (docs/plan-master.md) as UTF-8 CSV without BOM, one file per sheet, into
tests/fixtures/plans/koriyama/ (plus 今年度実績.csv and a README.md).

Model: each department (部局) of Koriyama's per-department tables is one section (課所室); each
(department, topic) with numeric data is one measure (施策) with one level column 取組:

* オンライン化推進 (online_by_department): 総手続き数, オンライン手続き数, オンライン化率 (比率 of the two),
  総申請件数, カバー件数, カバー率 (比率 of the two). 前年度 (前回本部会 2023.7.21 公表値) → 実績 2022 and
  基準値 (基準年度 2022); 2023年度 (今回調査 2023.12.5照会) → 今年度実績 2023.
* ペーパーレス (paperless_printouts_by_department): 1か月の職員1人当たりプリントアウト枚数 (減少).
  2022 → 実績 2022 and 基準値; 2023 → 今年度実績 2023.
* 業務効率化 (business_efficiency): RPA削減時間, RPA業務数 — 2023年度見込み only (今年度実績 2023).

Real: every value (kept exactly as printed, rates are NOT recomputed), department names, units,
periods and source notes. Illustrative (invented here, deterministic): section codes (D01…), section
names (部局名＋（DX担当）), people, e-mail addresses, life-cycle stage (2), measure names, indicator
kind/direction/aggregation, and all targets — Koriyama's tables have no per-department targets, so
the two % KPIs get a round number above the baseline and the printout KPI 10 % below the baseline
(目標年度 2025). Those targets exist only so that the fixture can be evaluated.

Re-running the script on the same input gives byte-identical output. At the end it validates the
written folder and prints counts, plus every department/year whose published rate does not match
its published parts (kept as published: interesting real data for the K10 check).
"""
from __future__ import annotations

import argparse
import csv
import math
import re
import sys
import unicodedata
from decimal import Decimal, InvalidOperation
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
from self_grades import self_grade  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "tests" / "fixtures" / "plans" / "koriyama"
SOURCE = "koriyama_dx_hq_metrics.csv"

SHEETS = {
    "課所室": ["課コード", "部局", "課所室名", "担当者", "メール"],
    "施策": ["施策ID", "取組", "施策名", "施策概要", "担当課コード", "ライフサイクル段階", "関連事業名"],
    "指標": ["指標ID", "施策ID", "指標名", "指標区分", "単位", "方向", "集計", "基準値", "基準年度",
             "目標値", "目標年度", "目標条件", "再掲元指標ID", "算出式・設定根拠", "算出区分", "構成指標ID"],
    "年度目標": ["指標ID", "年度", "目標値"],
    "実績": ["指標ID", "年度", "実績値", "自己評価", "備考"],
    "予算": ["施策ID", "年度", "予算額", "決算額"],
    "今年度実績": ["指標ID", "年度", "実績値", "取組結果", "自己評価", "進捗状況"],
}

# category values that are not a department
NOT_A_DEPARTMENT = {"合計 (unlabelled total row)", "全庁", "その他"}
# the paperless table spells こども部 as 子ども部
DEPARTMENT_ALIAS = {"子ども部": "こども部"}

LAST_FY, THIS_FY, TARGET_FY = 2022, 2023, 2025

# fictitious people, one per section (deterministic order)
PEOPLE = ["安藤 健", "伊東 美咲", "上野 大輔", "遠藤 彩", "大野 誠", "加藤 真理", "菊池 翔", "工藤 結衣",
          "小松 隆", "斎藤 恵", "佐野 拓也", "清水 千夏", "杉山 悟", "高木 優子", "田村 亮", "千葉 由美",
          "土屋 浩二", "中島 葵", "西田 剛", "野口 友美", "橋本 涼", "平野 香織", "福田 修一", "松本 楓",
          "宮崎 智", "森 さくら", "山口 航", "吉田 奈々"]

# topic prefix → (level value, measure-id suffix, measure name, overview)
TOPICS = {
    "online_by_department": ("オンライン化推進", "ON", "{d}の行政手続のオンライン化",
                             "郡山市DX推進本部会議「オンライン化推進状況 部局別」(前回本部会 2023.7.21 公表値 / "
                             "今回調査 2023.12.5照会)"),
    "paperless_printouts_by_department": ("ペーパーレス", "PL", "{d}のプリントアウト削減",
                                          "郡山市DX推進本部会議「ペーパーレス 部局別状況」(2022年度10月～3月 / "
                                          "2023年度4月～12月)"),
    "business_efficiency": ("業務効率化", "BE", "{d}のRPAによる業務効率化",
                            "郡山市DX推進本部会議「各部局の取組み状況」(RPA = 2023年度見込み)"),
}

# online KPIs: source metric → (suffix, name, unit, kind)
ONLINE_KPIS = [
    ("総手続き数", "1", "総手続き数", "手続", "アウトプット"),
    ("オンライン手続き数", "2", "オンライン手続き数", "手続", "アウトプット"),
    ("オンライン化率", "3", "オンライン化率", "%", "アウトカム"),
    ("総申請件数", "4", "総申請件数", "件", "アウトプット"),
    ("カバー件数", "5", "カバー件数", "件", "アウトプット"),
    ("カバー率", "6", "カバー率", "%", "アウトカム"),
]
# rate metric → (numerator metric, denominator metric)
RATIOS = {"オンライン化率": ("オンライン手続き数", "総手続き数"), "カバー率": ("カバー件数", "総申請件数")}

BUSINESS_KPIS = [
    ("RPA 削減時間", "1", "RPA削減時間", "時間", "アウトカム"),
    ("RPA 業務数", "2", "RPA業務数", "業務", "アウトプット"),
]


# ---------------------------------------------------------------------------------------------
# helpers
# ---------------------------------------------------------------------------------------------
def txt(value: object) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return ""
    return str(value).strip()


def num(value: object) -> str:
    """The source number exactly as printed ('31.9', '70.0', '165.5', '1589'), or '' if not a number.

    Tolerates thousands separators, full-width digits and a trailing %, but does not reformat the
    digits otherwise (70.0 stays 70.0: the value is kept exactly as in the source).
    """
    text = unicodedata.normalize("NFKC", txt(value)).replace(",", "").replace(" ", "")
    if text.endswith("%"):
        text = text[:-1]
    if not re.fullmatch(r"-?\d+(\.\d+)?", text):
        return ""
    try:
        Decimal(text)
    except InvalidOperation:  # pragma: no cover
        return ""
    return text


def write_csv(folder: Path, sheet: str, rows: list[dict]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    header = SHEETS[sheet]
    with open(folder / f"{sheet}.csv", "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(header)
        for row in rows:
            writer.writerow([row.get(col, "") for col in header])


def department(category: str) -> str | None:
    category = txt(category)
    if not category or category in NOT_A_DEPARTMENT:
        return None
    return DEPARTMENT_ALIAS.get(category, category)


def source_period(topic: str, fy: int, period: str) -> str:
    """A short Japanese label of the source period (for 備考 / 取組結果)."""
    if topic == "paperless_printouts_by_department":
        return "2022年度10月～3月 (6か月間)" if fy == LAST_FY else "2023年度4月～12月 (9か月間)"
    if topic == "business_efficiency":
        return "2023年度見込み (年間)"
    return period


def pct_target(baseline: str) -> str:
    """Illustrative: the next round ten above the baseline, plus ten, at most 100."""
    b = float(baseline)
    return str(min(100, math.ceil(b / 10) * 10 + 10))


def less_target(baseline: str) -> str:
    """Illustrative: 10 % below the baseline, rounded to a whole number."""
    return str(int(Decimal(baseline) * Decimal("0.9") + Decimal("0.5")))


# ---------------------------------------------------------------------------------------------
# build
# ---------------------------------------------------------------------------------------------
def build(shared: Path, out: Path) -> dict[str, int]:
    src = pd.read_csv(shared / SOURCE, dtype=str, keep_default_na=False)
    src["prefix"] = src["topic"].str.split(" ").str[0]
    src = src[src["prefix"].isin(TOPICS)].copy()
    src["dept"] = src["category"].map(department)
    src = src[src["dept"].notna()]
    src["num"] = src["value"].map(num)

    # data[(topic, dept, metric, fy)] = (value, note, period)
    data: dict[tuple[str, str, str, int], tuple[str, str, str]] = {}
    for _, r in src.iterrows():
        if not r["num"]:
            continue
        period, metric = r["period"], r["metric"]
        fy = None
        if r["prefix"] == "online_by_department":
            fy = LAST_FY if period.startswith("前年度") else THIS_FY if period.startswith("2023年度") else None
        elif r["prefix"] == "paperless_printouts_by_department":
            if metric == "1か月の職員1人当たり":
                fy = LAST_FY if period.startswith("2022年") else THIS_FY if period.startswith("2023年") else None
        elif r["prefix"] == "business_efficiency":
            if metric in ("RPA 削減時間", "RPA 業務数"):
                fy = THIS_FY
        if fy is None:
            continue
        note = txt(r["note"])
        if r["category"] in DEPARTMENT_ALIAS:  # the spelling note is about the name, not the value
            note = ""
        key = (r["prefix"], r["dept"], metric, fy)
        assert key not in data, f"duplicate source row {key}"
        data[key] = (r["num"], note, source_period(r["prefix"], fy, period))

    # プリントアウト枚数 合計 per department and period (context for 算出式・設定根拠 only)
    totals_pl: dict[tuple[str, int], str] = {}
    for _, r in src[(src["prefix"] == "paperless_printouts_by_department")
                    & (src["metric"] == "プリントアウト枚数 合計") & (src["num"] != "")].iterrows():
        fy = LAST_FY if r["period"].startswith("2022年度") else THIS_FY if r["period"].startswith("2023年度") else None
        if fy:
            totals_pl[(r["dept"], fy)] = r["num"]

    # departments in order of first appearance (over the three topics), each with numeric data
    depts: list[str] = []
    for (_, d, _, _) in data:
        if d not in depts:
            depts.append(d)
    codes = {d: f"D{i:02d}" for i, d in enumerate(depts, 1)}

    sections = [{"課コード": codes[d], "部局": d, "課所室名": f"{d}（DX担当）", "担当者": PEOPLE[i],
                 "メール": f"dx-{codes[d].lower()}@example.lg.jp"} for i, d in enumerate(depts)]

    measures, kpis, history, this_year = [], [], [], []

    def period_label(period: str) -> str:
        m = re.search(r"\((.*)\)", period)
        return m.group(1) if m else period

    def add_values(topic: str, d: str, metric: str, kpi_id: str) -> None:
        # the transcriber's notes go to 算出式・設定根拠 only; here just the source period
        if (v := data.get((topic, d, metric, LAST_FY))):
            history.append({"指標ID": kpi_id, "年度": LAST_FY, "実績値": v[0], "備考": f"出典: {v[2]}"})
        if (v := data.get((topic, d, metric, THIS_FY))):
            this_year.append({"指標ID": kpi_id, "年度": THIS_FY, "実績値": v[0], "取組結果": f"出典: {v[2]}"})

    def kpi_row(kpi_id, mid, name, kind, unit, direction, topic, d, metric, target="", rationale="",
                formula="", parts=""):
        base = data.get((topic, d, metric, LAST_FY))
        return {"指標ID": kpi_id, "施策ID": mid, "指標名": name, "指標区分": kind, "単位": unit,
                "方向": direction, "集計": "単年度", "基準値": base[0] if base else "",
                "基準年度": LAST_FY if base else "", "目標値": target, "目標年度": TARGET_FY if target else "",
                "目標条件": "", "再掲元指標ID": "", "算出式・設定根拠": rationale, "算出区分": formula,
                "構成指標ID": parts}

    for d in depts:
        code = codes[d]
        for topic, (level, suffix, name_fmt, overview) in TOPICS.items():
            if not any(k[0] == topic and k[1] == d for k in data):
                continue
            mid = f"{code}-{suffix}"
            measures.append({"施策ID": mid, "取組": level, "施策名": name_fmt.format(d=d), "施策概要": overview,
                             "担当課コード": code, "ライフサイクル段階": "2", "関連事業名": ""})
            if topic == "online_by_department":
                ids = {metric: f"{mid}-{n}" for metric, n, *_ in ONLINE_KPIS}
                for metric, n, name, unit, kind in ONLINE_KPIS:
                    if not any((topic, d, metric, fy) in data for fy in (LAST_FY, THIS_FY)):
                        continue
                    kpi_id = ids[metric]
                    formula = parts = target = ""
                    notes = [f"{fy}: {data[(topic, d, metric, fy)][1]}" for fy in (LAST_FY, THIS_FY)
                             if (topic, d, metric, fy) in data and data[(topic, d, metric, fy)][1]]
                    rationale = "; ".join(notes)
                    if metric in RATIOS:
                        num_m, den_m = RATIOS[metric]
                        formula, parts = "比率", f"{ids[num_m]},{ids[den_m]}"
                        shown = "; ".join(
                            f"{fy}: {data[(topic, d, num_m, fy)][0]} / {data[(topic, d, den_m, fy)][0]}"
                            for fy in (LAST_FY, THIS_FY)
                            if (topic, d, num_m, fy) in data and (topic, d, den_m, fy) in data)
                        rationale = "; ".join(x for x in (f"= {num_m} / {den_m} × 100 (公表値; {shown})",
                                                          rationale) if x)
                        base = data.get((topic, d, metric, LAST_FY))
                        # illustrative target: the source publishes no per-department targets
                        target = pct_target(base[0]) if base else ""
                    kpis.append(kpi_row(kpi_id, mid, name, kind, unit, "増加", topic, d, metric, target,
                                        rationale, formula, parts))
                    add_values(topic, d, metric, kpi_id)
            elif topic == "paperless_printouts_by_department":
                metric, kpi_id = "1か月の職員1人当たり", f"{mid}-1"
                base = data.get((topic, d, metric, LAST_FY))
                # illustrative target: 10 % below the baseline (no per-department target in the source)
                target = less_target(base[0]) if base else ""
                totals = "; ".join(f"{fy}: {totals_pl[(d, fy)]} 枚" for fy in (LAST_FY, THIS_FY)
                                   if (d, fy) in totals_pl)
                rationale = ("1か月の職員1人当たり (公表値)。2022 = 2022年度10月～3月 (6か月間), "
                             "2023 = 2023年度4月～12月 (9か月間) の実績による"
                             + (f"。プリントアウト枚数 合計 {totals}" if totals else ""))
                kpis.append(kpi_row(kpi_id, mid, "1か月の職員1人当たりプリントアウト枚数", "アウトカム", "枚", "減少",
                                    topic, d, metric, target, rationale))
                add_values(topic, d, metric, kpi_id)
            else:
                for metric, n, name, unit, kind in BUSINESS_KPIS:
                    if (topic, d, metric, THIS_FY) not in data:
                        continue
                    kpi_id = f"{mid}-{n}"
                    note = data[(topic, d, metric, THIS_FY)][1]
                    rationale = "2023年度見込み (年間)" + (f"; {note}" if note else "")
                    kpis.append(kpi_row(kpi_id, mid, name, kind, unit, "増加", topic, d, metric, "", rationale))
                    add_values(topic, d, metric, kpi_id)

    plan = [{"項目": "計画名", "値": "郡山市DX推進本部 指標（テスト用）"},
            {"項目": "計画期間", "値": "R4〜R7"},
            {"項目": "評価尺度", "値": "AD2"}]
    _write_plan(out, plan)
    write_csv(out, "課所室", sections)
    write_csv(out, "施策", measures)
    write_csv(out, "指標", kpis)
    write_csv(out, "年度目標", [])
    write_csv(out, "実績", history)
    write_csv(out, "予算", [])
    by_id = {k["指標ID"]: k for k in kpis}
    for row in this_year:  # what the section says (tools/self_grades.py); every measure is stage 2
        k = by_id[row["指標ID"]]
        row["自己評価"], row["進捗状況"] = self_grade("2", row["実績値"], k["基準値"], k["目標値"],
                                                   k["方向"] == "減少", k["目標条件"])
    write_csv(out, "今年度実績", this_year)
    return {"sections": len(sections), "measures": len(measures), "kpis": len(kpis),
            "history rows (実績)": len(history), "this-year rows (今年度実績)": len(this_year)}


def _write_plan(out: Path, plan: list[dict]) -> None:
    out.mkdir(parents=True, exist_ok=True)
    with open(out / "計画.csv", "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(["項目", "値"])
        for p in plan:
            writer.writerow([p["項目"], p["値"]])


README = """\
# 郡山市DX推進本部 指標（テスト用） — plan-master fixture

Generated by `tools/make_koriyama_fixture.py` from `koriyama_dx_hq_metrics.csv` (shared domain data:
the metrics published to 郡山市DX推進本部会議). Do not edit by hand; re-run the script.

One file per plan-master sheet (UTF-8, no BOM): 計画, 課所室, 施策, 指標, 年度目標 (headers only),
実績, 予算 (headers only), plus 今年度実績.csv (指標ID, 年度, 実績値, 取組結果, 自己評価, 進捗状況 —
the section's self-grade by the reference city's definition, tools/self_grades.py).

## Model
- Each department (部局) of the per-department tables is one section (課所室).
- Each (department, topic) with numeric data is one measure (施策, ライフサイクル段階 2), one level `取組`:
  - オンライン化推進: 総手続き数, オンライン手続き数, オンライン化率, 総申請件数, カバー件数, カバー率.
    オンライン化率 and カバー率 use the optional 指標 columns `算出区分` = `比率` and
    `構成指標ID` = "分子,分母" (オンライン手続き数,総手続き数 / カバー件数,総申請件数).
    前年度 (前回本部会 2023.7.21 公表値) → 実績 2022 and 基準値 (基準年度 2022);
    2023年度 (今回調査 2023.12.5照会) → 今年度実績 2023.
  - ペーパーレス: 1か月の職員1人当たりプリントアウト枚数 (減少). 2022 → 実績 2022 and 基準値;
    2023 → 今年度実績 2023. Note the bases differ: 2022年度10月～3月 (6か月間) vs 2023年度4月～12月 (9か月間).
  - 業務効率化: RPA削減時間, RPA業務数 — 2023年度見込み only (今年度実績 2023), no 基準値, no 目標値.

## Real (from the published tables)
- Every value, kept exactly as printed. The rates (オンライン化率, カバー率) are the published figures,
  never recomputed — so a published rate may disagree with its published parts (see below).
- Department names (部局), units and periods (備考 / 取組結果 name the source period). 算出式・設定根拠
  also carries the transcriber's notes from the shared CSV (e.g. the "INCONSISTENT in source" remarks).
- 子ども部 in the paperless table is written こども部 (as in the other tables).
- Rows that are not a department are left out: the paperless 合計 row and その他 row, and the
  business-efficiency 全庁 rows. Departments whose RPA cells are "-" (環境部, 産業観光部, 建設部) have no
  業務効率化 measure. Other Koriyama topics (cashless, budget, VR, …) are not used.

## Illustrative (invented for the test, deterministic)
- Section codes (D01…), section names (部局名＋（DX担当）), people and e-mail addresses (example.lg.jp).
- Measure names, 施策概要 wording, life-cycle stage, 指標区分 / 方向 / 集計, 計画期間.
- **All targets.** Koriyama's tables publish no per-department targets. Only so that the fixture can
  be evaluated: オンライン化率 and カバー率 get ceil(基準値/10)×10 + 10 (at most 100) and the printout KPI
  gets 基準値 × 0.9 (rounded), all with 目標年度 2025. Other KPIs have no target.

## Known inconsistencies in the real data (kept as published)
Published rate vs its published parts (分子 / 分母 × 100, tolerance 0.05 for the rounding to 0.1):
{mismatches}
A K10-style check (published rate vs its parts) should flag exactly these.
"""


# ---------------------------------------------------------------------------------------------
# validation of the written folder
# ---------------------------------------------------------------------------------------------
def validate(folder: Path) -> list[str]:
    def read(sheet):
        raw = (folder / f"{sheet}.csv").read_text(encoding="utf-8")
        assert not raw.startswith("\ufeff"), f"{sheet}: BOM"
        return list(csv.DictReader(raw.splitlines()))

    errors: list[str] = []
    sec, ms, ks = read("課所室"), read("施策"), read("指標")
    codes = [r["課コード"] for r in sec]
    mids = [r["施策ID"] for r in ms]
    kids = [r["指標ID"] for r in ks]
    for label, ids in (("課コード", codes), ("施策ID", mids), ("指標ID", kids)):
        if len(ids) != len(set(ids)):
            errors.append(f"duplicate {label}")
    header = next(csv.reader([(folder / "施策.csv").read_text(encoding="utf-8").splitlines()[0]]))
    if header[1:2] != ["取組"] or header[2] != "施策名":
        errors.append(f"施策 levels: {header}")
    owners = set()
    for r in ms:
        parts = [p for p in re.split(r"[、,/\n]", r["担当課コード"]) if p]
        if not parts or any(p not in codes for p in parts):
            errors.append(f"施策 {r['施策ID']}: 担当課コード {r['担当課コード']}")
        owners.update(parts[:1])
        if r["ライフサイクル段階"] != "2" or not r["取組"] or not r["施策名"]:
            errors.append(f"施策 {r['施策ID']}: stage/level/name")
    errors += [f"課 {c} owns no measure" for c in codes if c not in owners]
    for r in ks:
        if r["施策ID"] not in mids:
            errors.append(f"指標 {r['指標ID']}: 施策ID {r['施策ID']}")
        if r["再掲元指標ID"] or r["目標条件"] or r["集計"] != "単年度":
            errors.append(f"指標 {r['指標ID']}: 再掲元/目標条件/集計")
        if r["指標区分"] not in ("アウトカム", "アウトプット") or r["方向"] not in ("増加", "減少", "維持"):
            errors.append(f"指標 {r['指標ID']}: 区分/方向")
        for col in ("基準値", "目標値"):
            if r[col] and not num(r[col]):
                errors.append(f"指標 {r['指標ID']}: {col}={r[col]!r}")
        if bool(r["基準値"]) != bool(r["基準年度"]) or bool(r["目標値"]) != bool(r["目標年度"]):
            errors.append(f"指標 {r['指標ID']}: value/year pairing")
        if r["算出区分"]:
            parts = r["構成指標ID"].split(",")
            if r["算出区分"] != "比率" or len(parts) != 2 or any(p not in kids for p in parts):
                errors.append(f"指標 {r['指標ID']}: 構成指標ID {r['構成指標ID']}")
        elif r["構成指標ID"]:
            errors.append(f"指標 {r['指標ID']}: 構成指標ID without 算出区分")
    rows = {}
    for sheet in ("年度目標", "実績", "予算", "今年度実績"):
        rows[sheet] = read(sheet)
        for r in rows[sheet]:
            ref = r.get("指標ID") or r.get("施策ID")
            if ref not in (kids if "指標ID" in r else mids):
                errors.append(f"{sheet}: unknown id {ref}")
            if not re.fullmatch(r"20\d\d", r["年度"]):
                errors.append(f"{sheet}: 年度 {r['年度']}")
            for col in ("実績値", "目標値", "予算額", "決算額"):
                if r.get(col) and not num(r[col]):
                    errors.append(f"{sheet}: {ref} {col}={r[col]!r}")
        keys = [(r.get("指標ID") or r.get("施策ID"), r["年度"]) for r in rows[sheet]]
        if len(keys) != len(set(keys)):
            errors.append(f"{sheet}: duplicate (id, 年度)")
    return errors


def rate_checks(folder: Path) -> list[str]:
    """Published rate vs numerator/denominator × 100, per KPI and year (tolerance 0.05)."""
    def read(sheet):
        return list(csv.DictReader((folder / f"{sheet}.csv").read_text(encoding="utf-8").splitlines()))

    ks = {r["指標ID"]: r for r in read("指標")}
    sec = {r["課コード"]: r["部局"] for r in read("課所室")}
    owner = {r["施策ID"]: r["担当課コード"] for r in read("施策")}
    values = {(r["指標ID"], r["年度"]): r["実績値"] for r in read("実績") + read("今年度実績")}
    lines, mismatches = [], []
    for kid, k in ks.items():
        if k["算出区分"] != "比率":
            continue
        n_id, d_id = k["構成指標ID"].split(",")
        for fy in (str(LAST_FY), str(THIS_FY)):
            if (kid, fy) not in values:
                continue
            rate, n, d = values[(kid, fy)], values.get((n_id, fy)), values.get((d_id, fy))
            dept = sec[owner[k["施策ID"]]]
            if n is None or d is None or float(d) == 0:
                lines.append(f"  {dept} {fy} {k['指標名']}: {rate} (parts missing or zero denominator)")
                continue
            calc = float(n) / float(d) * 100
            ok = abs(float(rate) - calc) <= 0.05 + 1e-9
            text = f"{dept} {fy} {k['指標名']}: published {rate}, {n}/{d}×100 = {calc:.2f}"
            lines.append(f"  {'ok      ' if ok else 'MISMATCH'} {text}")
            if not ok:
                mismatches.append(text)
    print("rate checks (published rate vs parts, tolerance 0.05):")
    print("\n".join(lines))
    return mismatches


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--shared", type=Path, default=REPO.parent / "shared" / "domain" / "data",
                    help="folder with the shared domain CSVs (default: ../shared/domain/data)")
    args = ap.parse_args(argv)
    shared = args.shared if args.shared.is_absolute() else (Path.cwd() / args.shared)
    if not (shared / SOURCE).is_file():
        print(f"{SOURCE} not found in {shared}", file=sys.stderr)
        return 2
    counts = build(shared, OUT)
    errors = validate(OUT)
    print(f"koriyama ({OUT.relative_to(REPO)})")
    for key, value in counts.items():
        print(f"  {key}: {value}")
    mismatches = rate_checks(OUT)
    listed = "\n".join(f"- {m}" for m in mismatches) or "- (none)"
    (OUT / "README.md").write_text(README.format(mismatches=listed), encoding="utf-8")
    if mismatches:
        print("published rates that do NOT match their parts (kept as published):")
        print("\n".join(f"  {m}" for m in mismatches))
    else:
        print("all published rates match their parts")
    if errors:
        print("validation FAILED:\n  " + "\n  ".join(errors), file=sys.stderr)
        return 1
    print("validation ok: ids unique, references resolve, 構成指標ID ids exist, numbers parse")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
