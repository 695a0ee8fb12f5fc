"""The consolidated workbook (集約): KPI list, per-pillar grade distribution with a native chart,
collection status and findings — A4 landscape, fit to width, header rows repeated."""
from __future__ import annotations

from pathlib import Path

from dxdesk.intake.status import SectionStatus
from dxdesk.labels import LABELS as L
from dxdesk.outputs.dataset import BudgetRecord, KpiRecord
from dxdesk.outputs.xlsx_out import Styles, new_workbook, print_setup, sheet_name, table
from dxdesk.plan.model import Plan
from dxdesk.rules.findings import Finding, severity_counts, sort_findings, summarise
from dxdesk.rules.kpi import NOT_GRADED
from dxdesk.rules.scales import scale
from dxdesk.store.rounds_repo import Round
from dxdesk.xlsx import atomic_path
from dxdesk.years import wareki

OTHER_COLUMNS = ("未評価", NOT_GRADED, "未提出")
COLOURS_BY_AD = {"A": "#2E75B6", "B": "#9DC3E6", "C": "#FFC000", "D": "#C00000"}
OTHER_COLOURS = {"未評価": "#A6A6A6", NOT_GRADED: "#D9D9D9", "未提出": "#FFFFFF"}


def grade_columns(scale_key: str) -> list[tuple[str, str]]:
    """(column, colour) for the pillar table: the scale's grades (best first), then 未評価 / 対象外 / 未提出."""
    shown = scale(scale_key).shown
    columns = {}
    for ad in "ABCD":
        columns.setdefault(shown[ad], COLOURS_BY_AD[ad])
    return list(columns.items()) + list(OTHER_COLOURS.items())


def grade_bucket(record: KpiRecord) -> str:
    """The grade on the city's scale, 対象外, 未提出 (no return yet) or 未評価 (the numbers do not decide)."""
    if record.judgement.grade in ("A", "B", "C", "D", NOT_GRADED):
        return record.shown_grade
    return "未評価" if record.source_file else "未提出"


def pillar_counts(plan: Plan, records: list[KpiRecord], columns: list[str]) -> list[tuple[str, dict[str, int]]]:
    """Grade distribution per top level (柱); a re-listed KPI (再掲) is counted once, at its home."""
    counts: dict[str, dict[str, int]] = {}
    for record in records:
        if record.relisted:
            continue
        pillar = record.measure.levels[0] if record.measure.levels else "（計画全体）"
        bucket = counts.setdefault(pillar, {g: 0 for g in columns})
        bucket[grade_bucket(record)] += 1
    return list(counts.items())


def write_consolidated(path: Path, plan: Plan, round_: Round, records: list[KpiRecord],
                       statuses: list[SectionStatus], findings: list[Finding], generated_at: str,
                       budgets: list[BudgetRecord] = ()) -> Path:
    with atomic_path(path) as tmp:
        wb = new_workbook(tmp)
        styles = Styles(wb)
        wb.set_properties({"title": f"{plan.name} {wareki(round_.fy)} 集約", "company": "dxdesk"})
        title = f"{plan.name} {wareki(round_.fy)} 進捗状況 集約（{round_.round_id}）"
        _kpi_sheet(wb, styles, plan, records, title, generated_at)
        _pillar_sheet(wb, styles, plan, records, title, generated_at)
        if budgets:
            _budget_sheet(wb, styles, plan, list(budgets), title, generated_at)
        _status_sheet(wb, styles, statuses, title, generated_at)
        _findings_sheet(wb, styles, findings, title, generated_at)
        wb.close()
    return path


def _heading(ws, styles: Styles, text: str, generated_at: str, note: str = "") -> None:
    ws.write_string(0, 0, text, styles.title)
    ws.write_string(1, 0, f"データ作成日時: {generated_at}　{note}", styles.note)


def _kpi_sheet(wb, styles: Styles, plan: Plan, records: list[KpiRecord], title: str, generated_at: str) -> None:
    ws = wb.add_worksheet(sheet_name("施策・指標一覧"))
    _heading(ws, styles, title, generated_at,
             "達成率 = 実績値 ÷ 判定基準の目標値（減少が良い指標は 目標値 ÷ 実績値）。進捗率 = (実績値 − 基準値) ÷ (目標値 − 基準値)。")
    levels = [(name, 12) for name in plan.level_names]
    headers = levels + [(L["measure_id"], 7), (L["measure_name"], 20), (L["section_name"], 11), (L["stage"], 4),
                        (L["kpi_id"], 6), (L["kpi_name"], 22), (L["kpi_kind"], 8), (L["unit"], 6),
                        (L["direction"], 5), (L["baseline"], 9), (L["target"], 9), (L["grade_basis"], 12),
                        (L["actual"], 9), (L["achievement"], 7), (L["progress_rate"], 8),
                        (L["computed_grade"], 5), (L["self_grade"], 5), ("一致", 4), (L["result"], 34),
                        (L["cause"], 28), (L["relisted_of"], 7), (L["source_file"], 24), (L["source_cell"], 10)]
    n = len(levels)
    formats = [None] * (n + 9) + [styles.number, styles.number, None, styles.number, styles.percent,
                                  styles.percent] + [None] * 8
    rows = []
    for r in records:
        j = r.judgement
        match = {True: "○", False: "×", None: ""}[r.consistent]
        rows.append(list(r.measure.levels[:n]) + [""] * (n - len(r.measure.levels[:n])) + [
            r.measure.measure_id, r.measure.name, r.section.name, r.measure.stage, r.kpi.kpi_id, r.kpi.name,
            r.kpi.kind, r.kpi.unit, r.kpi.direction, r.kpi.baseline if r.kpi.baseline is not None else r.kpi.baseline_text,
            j.target if j.target is not None else r.kpi.target_text, j.basis, r.actual, j.achievement, j.progress,
            r.shown_grade, r.self_grade, match, r.result, r.cause,
            r.kpi.relisted_of and f"再掲（{r.kpi.relisted_of}）", r.source_file, r.source_cell])
    table(ws, styles, 3, headers, rows, formats)
    print_setup(ws, 3, title)  # A4 landscape, fit to width (as the HQ binder is A4)
    ws.print_area(0, 0, 3 + len(rows), len(headers) - 3)  # 出典 columns stay on screen, off paper


def _pillar_sheet(wb, styles: Styles, plan: Plan, records: list[KpiRecord], title: str, generated_at: str) -> None:
    name = sheet_name(f"{plan.level_names[0] if plan.level_names else '柱'}別集計")
    ws = wb.add_worksheet(name)
    _heading(ws, styles, title, generated_at, "再掲の指標は1回だけ数えています。")
    scale_key = records[0].scale_key if records else "AD2"
    columns = grade_columns(scale_key)
    names = [name for name, _ in columns]
    data = pillar_counts(plan, records, names)
    headers = [(plan.level_names[0] if plan.level_names else "区分", 36)] + [(g, 8) for g in names] + [("計", 8)]
    rows = [[pillar] + [c[g] for g in names] + [sum(c.values())] for pillar, c in data]
    totals = ["合計"] + [sum(c[g] for _, c in data) for g in names] + [sum(sum(c.values()) for _, c in data)]
    table(ws, styles, 3, headers, rows + [totals], [styles.text] + [styles.integer] * (len(names) + 1))
    if data:
        chart = wb.add_chart({"type": "bar", "subtype": "stacked"})
        first, last = 4, 3 + len(data)
        for i, (_grade, colour) in enumerate(columns, start=1):
            chart.add_series({"name": [name, 3, i], "categories": [name, first, 0, last, 0],
                              "values": [name, first, i, last, i],
                              "fill": {"color": colour}, "border": {"color": "#808080"}, "gap": 60})
        chart.set_title({"name": "評価の分布", "name_font": {"name": "游ゴシック", "size": 12}})
        chart.set_x_axis({"name": "指標数", "num_font": {"name": "游ゴシック"}})
        chart.set_y_axis({"reverse": True, "num_font": {"name": "游ゴシック", "size": 9}})
        chart.set_legend({"position": "bottom", "font": {"name": "游ゴシック"}})
        chart.set_size({"width": 900, "height": 120 + 45 * len(data)})
        ws.insert_chart(last + 3, 0, chart)
    print_setup(ws, 3, title)
    ws.fit_to_pages(1, 1)


def _budget_sheet(wb, styles: Styles, plan: Plan, budgets: list[BudgetRecord], title: str,
                  generated_at: str) -> None:
    ws = wb.add_worksheet("予算・決算")
    _heading(ws, styles, title, generated_at,
             "単位: 千円。共有予算は最初の施策で1回だけ合計に数えます（「合計に算入」が × の行は数えません）。")
    level = plan.level_names[0] if plan.level_names else "区分"
    headers = [(level, 12), (L["measure_id"], 8), (L["measure_name"], 30), (L["section_name"], 12),
               (L["budget"], 12), (L["supplementary"], 12), (L["settlement"], 12), (L["execution_rate"], 8),
               ("共有予算ID", 10), ("合計に算入", 6), (L["budget_note"], 30)]
    rows = [[b.measure.levels[0] if b.measure.levels else "", b.measure.measure_id, b.measure.name, b.section.name,
             b.budget, b.supplementary, b.settlement, b.execution_rate, b.shared_id, "○" if b.counted else "×",
             b.note] for b in budgets]
    totals: dict[str, list[float]] = {}
    for b in budgets:
        if b.counted:
            key = b.measure.levels[0] if b.measure.levels else ""
            total = totals.setdefault(key, [0.0, 0.0])
            total[0] += b.budget or 0
            total[1] += b.settlement or 0
    for key, (budget, settlement) in list(totals.items()) + [("合計", [sum(t[0] for t in totals.values()),
                                                                        sum(t[1] for t in totals.values())])]:
        rows.append([f"{key} 計" if key != "合計" else "合計", "", "", "", budget, None, settlement,
                     settlement / budget if budget else None, "", "", ""])
    table(ws, styles, 3, headers, rows, [None] * 4 + [styles.integer] * 3 + [styles.percent] + [None] * 3)
    print_setup(ws, 3, title)


def _status_sheet(wb, styles: Styles, statuses: list[SectionStatus], title: str, generated_at: str) -> None:
    ws = wb.add_worksheet("回収状況")
    done = sum(s.status != "未提出" for s in statuses)
    _heading(ws, styles, title, generated_at, f"提出 {done} / {len(statuses)} 課")
    headers = [(L["section_code"], 8), (L["dept"], 12), (L["section_name"], 16), ("担当者", 10), ("メール", 22),
               ("状況", 8), ("最新ファイル", 36), (L["received_at"], 17), ("提出回数", 6),
               ("エラー", 6), ("警告", 6), ("情報", 6), ("規則集の版", 12)]
    rows = [[s.section.code, s.section.dept, s.section.name, s.section.person, s.section.email, s.status,
             s.file_name, s.received_at.replace("T", " "), s.submissions, s.errors, s.warnings, s.infos,
             s.rulebook_version] for s in statuses]
    table(ws, styles, 3, headers, rows, [None] * 8 + [styles.integer] * 4 + [None])
    print_setup(ws, 3, title)


def _findings_sheet(wb, styles: Styles, findings: list[Finding], title: str, generated_at: str) -> None:
    ws = wb.add_worksheet("指摘一覧")
    ordered = sort_findings(findings)
    counts = severity_counts(ordered)
    _heading(ws, styles, title, generated_at,
             f"エラー {counts['ERR']} 件・警告 {counts['WARN']} 件・情報 {counts['INFO']} 件"
             + (f"・免除したエラー {counts['WAIVED']} 件" if counts["WAIVED"] else ""))
    summary = summarise(ordered)
    ws.write_string(2, 0, "規則別: " + "　".join(f"{c.code} {c.title} {c.label}{c.count}件"
                                                for c in summary[:12]), styles.note)
    headers = [("重要度", 6), ("コード", 5), ("項目", 16), (L["section_code"], 6), ("ファイル", 24), ("シート", 10),
               ("セル", 6), ("内容", 56), ("対応", 36), ("免除", 24)]
    rows = [[f.severity_label, f.code, f.title, f.section, f.file, f.sheet, f.cell, f.message, f.hint, f.waiver]
            for f in ordered]
    table(ws, styles, 3, headers, rows)
    for r, f in enumerate(ordered, start=4):
        if f.severity in ("ERR", "WARN"):
            ws.write_string(r, 0, f.severity_label, styles.err if f.blocking else styles.warn)
    print_setup(ws, 3, title)
