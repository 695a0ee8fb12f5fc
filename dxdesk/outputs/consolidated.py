"""The consolidated workbook (集約) and the sheets the packs reuse: each sheet is one writer function
`writer(wb, styles, data, reader)`; a workbook is a list of them (SHEETS), so adding a sheet is one function
and one entry. Printed on A4 or A3 landscape, fit to width, at 8 pt or more."""
from __future__ import annotations

from pathlib import Path

from dxdesk import labels
from dxdesk.labels import LABELS as L
from dxdesk.outputs import charts
from dxdesk.outputs.columns import AUDIT, HQ, OFFICE, Column, for_reader, kpi_columns
from dxdesk.outputs.dataset import KpiRecord
from dxdesk.outputs.departments import CITY, metrics
from dxdesk.outputs.numfmt import timestamp
from dxdesk.outputs.roadmap import roadmap_sheet
from dxdesk.outputs.systems import system_card_sheets, systems_sheet
from dxdesk.outputs.rounddata import RoundData, fy_label, year_header
from dxdesk.outputs.xlsx_out import Styles, list_table, new_workbook, print_setup, sheet_name, write_value
from dxdesk.plan.model import Plan
from dxdesk.rules.catalogue import CATALOGUE, SEVERITY_LABELS
from dxdesk.rules.findings import severity_counts, sort_findings, summarise
from dxdesk.rules.kpi import NOT_GRADED
from dxdesk.rules.scales import scale
from dxdesk.xlsx import atomic_path

OTHER_COLUMNS = (labels.STATUS_NOT_EVALUATED, NOT_GRADED, labels.STATUS_NOT_RETURNED)
COLOURS_BY_AD = {"A": "#2E75B6", "B": "#9DC3E6", "C": "#FFC000", "D": "#C00000"}
OTHER_COLOURS = {labels.STATUS_NOT_EVALUATED: "#A6A6A6", NOT_GRADED: "#D9D9D9", labels.STATUS_NOT_RETURNED: "#FFFFFF"}
HEADER_ROW = 3  # 0-based: title, data date, note, then the table


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
    return labels.STATUS_NOT_EVALUATED if record.source_file else labels.STATUS_NOT_RETURNED


def pillar_of(record) -> str:
    return record.measure.levels[0] if record.measure.levels else "（計画全体）"


def pillar_counts(plan: Plan, records: list[KpiRecord], columns: list[str]) -> list[tuple[str, dict[str, int]]]:
    """Grade distribution per top level (柱); a re-listed KPI (再掲) is counted once, at its home."""
    counts: dict[str, dict[str, int]] = {}
    for record in records:
        if record.relisted:
            continue
        bucket = counts.setdefault(pillar_of(record), {g: 0 for g in columns})
        bucket[grade_bucket(record)] += 1
    return list(counts.items())


def heading(ws, styles: Styles, data: RoundData, note: str = "", title: str = "") -> None:
    ws.write_string(0, 0, title or data.title, styles.title)
    ws.write_string(1, 0, f"対象年度: {fy_label(data.round_.fy)}　データ作成日時: {data.generated_at}", styles.note)
    if note:
        ws.write_string(2, 0, note, styles.note)


# --- sheet writers --------------------------------------------------------------------------------------

def overview_sheet(wb, styles: Styles, data: RoundData, reader: str) -> None:
    """概要: headline figures (今回 / 前回 / 増減) and the data date."""
    ws = wb.add_worksheet("概要")
    heading(ws, styles, data, f"前回の値: {data.previous.source}（{fy_label(data.previous.fy)}）")
    city = next(d for d in data.departments if d.dept == CITY)
    done = sum(s.status != labels.STATUS_NOT_RETURNED for s in data.statuses)
    counted = [r for r in data.records if not r.relisted]
    budget = sum(b.budget or 0 for b in data.budgets if b.counted)
    settled = sum(b.settlement or 0 for b in data.budgets if b.counted)
    rows = [(m.label, m.kind, city.current.get(m.key), city.previous.get(m.key), city.difference(m.key))
            for m in metrics(data.round_.grade_scale)]
    rows.insert(1, ("対象の課数", "integer", len(data.statuses), None, None))
    rows.insert(2, ("指標数（再掲を除く）", "integer", len(counted), None, None))
    before = data.previous.budgets
    budget_before = sum(b.budget or 0 for b in before if b.counted) if before else None
    settled_before = sum(b.settlement or 0 for b in before if b.counted) if before else None
    rows += [("予算額の合計（千円）", "thousand_yen", budget, budget_before, _minus(budget, budget_before)),
             ("決算額の合計（千円）", "thousand_yen", settled, settled_before, _minus(settled, settled_before))]
    if reader in (OFFICE, AUDIT, HQ):
        errors = sum(f.blocking for f in data.findings)
        rows.append(("未解決のエラー", "integer", errors, None, None))
    widths = [(24, "text"), (12, None), (12, None), (12, None)]
    for c, (label, (width, _)) in enumerate(zip(("項目", "今回", "前回", "増減"), widths)):
        ws.set_column(c, c, width)
        ws.write_string(HEADER_ROW, c, label, styles.header)
    for r, (label, kind, now, before, diff) in enumerate(rows, start=HEADER_ROW + 1):
        ws.write_string(r, 0, label, styles.text)
        diff_kind = "points" if kind == "percent" else kind
        for c, (value, k) in enumerate(((now, kind), (before, kind), (diff if kind != "percent" or diff is None
                                                                       else diff * 100, diff_kind)), start=1):
            write_value(ws, r, c, value, styles.of(k, value=value))
    r = HEADER_ROW + len(rows) + 2
    ws.write_string(r, 0, f"・提出 {done} / {len(data.statuses)} 課。", styles.note)
    ws.write_string(r + 1, 0, "・増減の「pt」はポイント（率の差）。△ は減少。前回は " + data.previous.source + "。",
                    styles.note)
    print_setup(ws, HEADER_ROW, data.title)
    ws.fit_to_pages(1, 1)


def _minus(a, b):
    return None if a is None or b is None else a - b


def pillar_sheet(wb, styles: Styles, data: RoundData, reader: str) -> None:
    """柱別集計: grade distribution per top level, with the stacked-bar chart."""
    name = sheet_name(f"{data.top_level if data.plan.level_names else '柱'}別集計")
    ws = wb.add_worksheet(name)
    heading(ws, styles, data, "再掲の指標は1回だけ数えています。")
    columns = grade_columns(data.round_.grade_scale)
    names = [g for g, _ in columns]
    counts = pillar_counts(data.plan, data.records, names)
    headers = [(data.top_level, 36)] + [(g, 8) for g in names] + [("計", 8)]
    for c, (text, width) in enumerate(headers):
        ws.set_column(c, c, width)
        ws.write_string(HEADER_ROW, c, text, styles.header)
    rows = [[pillar] + [c[g] for g in names] + [sum(c.values())] for pillar, c in counts]
    rows.append(["合計"] + [sum(c[g] for _, c in counts) for g in names] + [sum(sum(c.values()) for _, c in counts)])
    for r, values in enumerate(rows, start=HEADER_ROW + 1):
        for c, value in enumerate(values):
            write_value(ws, r, c, value, styles.text if c == 0 else styles.of("integer"))
    if counts:
        first, last = HEADER_ROW + 1, HEADER_ROW + len(counts)
        ws.insert_chart(last + 3, 0, charts.grade_distribution(wb, name, first, last, columns, HEADER_ROW))
    print_setup(ws, HEADER_ROW, data.title)
    ws.fit_to_pages(1, 1)


def achievement_sheet(wb, styles: Styles, data: RoundData, reader: str) -> None:
    """達成率: per top level, 達成率 per KPI (columns) with the 100 % line."""
    ws = wb.add_worksheet("達成率")
    heading(ws, styles, data, "達成率 = 実績値 ÷ 判定基準の目標値（減少が良い指標は 目標値 ÷ 実績値）。赤の破線が 100 %。")
    for c, width in enumerate((9, 30, 9, 9)):
        ws.set_column(c, c, width)
    row = HEADER_ROW
    by_pillar: dict[str, list[KpiRecord]] = {}
    for r in data.records:
        if not r.relisted and r.judgement.achievement is not None:
            by_pillar.setdefault(pillar_of(r), []).append(r)
    chunk = 40  # KPIs per chart, so that a chart fits the page width
    for pillar, items in by_pillar.items():
        for part in range(0, len(items), chunk):
            piece = items[part:part + chunk]
            label = pillar if len(items) <= chunk else f"{pillar}（{part // chunk + 1}）"
            ws.write_string(row, 0, label, styles.bold)
            for c, text in enumerate((L["kpi_id"], L["kpi_name"], L["achievement"], "目標（100%）")):
                ws.write_string(row + 1, c, text, styles.header)
            for i, r in enumerate(piece, start=row + 2):
                ws.write_string(i, 0, r.kpi.kpi_id, styles.text)
                ws.write_string(i, 1, r.kpi.name, styles.text)
                ws.write_number(i, 2, r.judgement.achievement, styles.of("percent"))
                ws.write_number(i, 3, 1.0, styles.of("percent"))
            first, last = row + 2, row + 1 + len(piece)
            ws.insert_chart(last + 2, 0, charts.achievement(wb, "達成率", first, last, 0, 2, 3, f"{label} 達成率"))
            row = last + 2 + 17
    print_setup(ws, HEADER_ROW, data.title)


def kpi_sheet(wb, styles: Styles, data: RoundData, reader: str) -> None:
    """施策・指標一覧: the reader's columns; 前年度実績 and 差 beside this year's actual."""
    ws = wb.add_worksheet("施策・指標一覧")
    heading(ws, styles, data, "達成率 = 実績値 ÷ 判定基準の目標値（減少が良い指標は 目標値 ÷ 実績値）。"
            "進捗率 = (実績値 − 基準値) ÷ (目標値 − 基準値)。差 = 実績値 − 前年度実績。")
    columns = for_reader(kpi_columns(data.plan.level_names, data.plan), reader)
    list_table(ws, styles, HEADER_ROW, columns, data.records, "指標一覧", data.title)


def trend_sheet(wb, styles: Styles, data: RoundData, reader: str, measures: list[str] | None = None) -> None:
    """指標推移: baseline → each year's actual → target per KPI, and one line chart per measure."""
    ws = wb.add_worksheet("指標推移")
    heading(ws, styles, data, "基準値 → 各年度の実績値 → 目標値。空欄は実績なし。")
    years = data.years
    headers = [L["kpi_id"], L["kpi_name"], L["unit"], L["baseline"]] + [year_header(fy) for fy in years] + [L["target"]]
    for c, (text, width) in enumerate(zip(headers, [8, 28, 6, 9] + [9] * len(years) + [9])):
        ws.set_column(c, c, width)
        ws.write_string(HEADER_ROW, c, text, styles.header)
    by_measure: dict[str, list[int]] = {}
    row = HEADER_ROW
    for kpi in data.plan.kpis.values():
        if measures is not None and kpi.measure_id not in measures:
            continue
        if kpi.relisted_of or (kpi.baseline is None and kpi.target is None):
            continue
        row += 1
        by_fy = data.trend.get(kpi.kpi_id, {})
        values = [kpi.kpi_id, kpi.name, kpi.unit, kpi.baseline] + [by_fy.get(fy) for fy in years] + [kpi.target]
        for c, value in enumerate(values):
            write_value(ws, row, c, value, styles.text if c < 3 else styles.of("number", value=value))
        by_measure.setdefault(kpi.measure_id, []).append(row)
    chart_row = row + 2
    for i, (measure_id, rows) in enumerate(by_measure.items()):
        measure = data.plan.measures[measure_id]
        ws.insert_chart(chart_row + 14 * (i // 2), 0,
                        charts.trend(wb, "指標推移", HEADER_ROW, 3, len(headers) - 1, rows,
                                     f"{measure_id} {measure.name}"[:40]), {"x_offset": 0 if i % 2 == 0 else 490})
    print_setup(ws, HEADER_ROW, data.title)


def department_sheet(wb, styles: Styles, data: RoundData, reader: str) -> None:
    """部局別: 今回 / 前回 / 増減 per figure, one row per department and the whole city; definitions under it."""
    ws = wb.add_worksheet("部局別")
    heading(ws, styles, data, f"前回: {data.previous.source}（{fy_label(data.previous.fy)}）")
    found = metrics(data.round_.grade_scale)
    ws.set_column(0, 0, 12)
    ws.merge_range(HEADER_ROW, 0, HEADER_ROW + 1, 0, L["dept"], styles.header)
    for i, m in enumerate(found):
        c = 1 + 3 * i
        ws.merge_range(HEADER_ROW, c, HEADER_ROW, c + 2, m.label, styles.header)
        for j, text in enumerate(("今回", "前回", "増減")):
            ws.set_column(c + j, c + j, 6 if m.kind == "integer" else 7)
            ws.write_string(HEADER_ROW + 1, c + j, text, styles.header)
    for r, dept in enumerate(data.departments, start=HEADER_ROW + 2):
        bold = dept.dept == CITY
        ws.write_string(r, 0, dept.dept, styles.bold if bold else styles.text)
        for i, m in enumerate(found):
            diff = dept.difference(m.key)
            if diff is not None and m.kind == "percent":
                diff *= 100
            for j, (value, kind) in enumerate(((dept.current.get(m.key), m.kind), (dept.previous.get(m.key), m.kind),
                                               (diff, "points" if m.kind == "percent" else m.kind))):
                write_value(ws, r, 1 + 3 * i + j, value, styles.of(kind, bold, value))
    r = HEADER_ROW + 2 + len(data.departments) + 1
    ws.write_string(r, 0, "【定義】", styles.note)
    for k, m in enumerate(found, start=1):
        ws.write_string(r + k, 0, f"・{m.definition}", styles.note)
    ws.write_string(r + len(found) + 1, 0, f"・前回: {data.previous.source}。増減 = 今回 − 前回（△ は減少）。",
                    styles.note)
    print_setup(ws, HEADER_ROW + 1, data.title)
    ws.repeat_rows(HEADER_ROW, HEADER_ROW + 1)


def budget_columns(level: str) -> list[Column]:
    internal = frozenset({OFFICE, AUDIT})
    return [
        Column("level0", level, 12, get=lambda b: b.measure.levels[0] if b.measure.levels else ""),
        Column("measure_id", L["measure_id"], 8, get=lambda b: b.measure.measure_id),
        Column("measure_name", L["measure_name"], 28, get=lambda b: b.measure.name),
        Column("section_name", L["section_name"], 12, get=lambda b: b.section.name),
        Column("budget", L["budget"], 11, "thousand_yen", lambda b: b.budget),
        Column("supplementary", L["supplementary"], 11, "thousand_yen", lambda b: b.supplementary, internal),
        Column("settlement", L["settlement"], 11, "thousand_yen", lambda b: b.settlement),
        Column("execution_rate", L["execution_rate"], 8, "percent", lambda b: b.execution_rate),
        Column("shared_id", "共有予算ID", 9, get=lambda b: b.shared_id, readers=internal),
        Column("counted", "合計に算入", 6, get=lambda b: "○" if b.counted else "×", readers=internal),
        Column("note", L["budget_note"], 28, get=lambda b: b.note, readers=frozenset({OFFICE, HQ, AUDIT})),
    ]


def pillar_budgets(data: RoundData) -> list[tuple[str, float, float]]:
    totals: dict[str, list[float]] = {}
    for b in data.budgets:
        if b.counted:
            total = totals.setdefault(b.measure.levels[0] if b.measure.levels else "", [0.0, 0.0])
            total[0] += b.budget or 0
            total[1] += b.settlement or 0
    return [(k, v[0], v[1]) for k, v in totals.items()]


def budget_sheet(wb, styles: Styles, data: RoundData, reader: str) -> None:
    """予算・決算: per measure; then per top level (the chart's source) and the total."""
    ws = wb.add_worksheet("予算・決算")
    heading(ws, styles, data, "単位: 千円。共有予算は最初の施策で1回だけ合計に数えます（「合計に算入」が × の行は数えません）。")
    columns = for_reader(budget_columns(data.top_level), reader)
    last = list_table(ws, styles, HEADER_ROW, columns, data.budgets, "予算決算", data.title)
    totals = pillar_budgets(data)
    at = {c.key: i for i, c in enumerate(columns)}
    top = last + 2  # per top level and the total, in the table's own columns (the chart's source)
    rows = [(f"{key} 計", budget, settled) for key, budget, settled in totals]
    rows.append(("合計", sum(t[1] for t in totals), sum(t[2] for t in totals)))
    for r, (key, budget, settled) in enumerate(rows, start=top):
        bold = key == "合計"
        ws.write_string(r, 0, key, styles.bold)
        ws.write_number(r, at["budget"], budget, styles.of("thousand_yen", bold))
        ws.write_number(r, at["settlement"], settled, styles.of("thousand_yen", bold))
        write_value(ws, r, at["execution_rate"], settled / budget if budget else None, styles.of("percent", bold))
    if totals:
        ws.insert_chart(top + len(rows) + 1, 0, charts.budget_vs_settlement(
            wb, "予算・決算", top, top + len(totals) - 1, 0, at["budget"], at["settlement"], HEADER_ROW))
    ws.print_area(0, 0, top + len(rows) + 17, len([c for c in columns if c.printed]) - 1)


def status_columns() -> list[Column]:
    return [
        Column("code", L["section_code"], 8, get=lambda s: s.section.code),
        Column("dept", L["dept"], 12, get=lambda s: s.section.dept),
        Column("name", L["section_name"], 16, get=lambda s: s.section.name),
        Column("person", "担当者", 10, get=lambda s: s.section.person, readers=frozenset({OFFICE})),
        Column("email", "メール", 22, get=lambda s: s.section.email, readers=frozenset({OFFICE})),
        Column("status", "状況", 8, get=lambda s: s.status),
        Column("file", "最新ファイル", 34, get=lambda s: s.file_name, readers=frozenset({OFFICE, AUDIT})),
        Column("received", L["received_at"], 16, get=lambda s: timestamp(s.received_at)),
        Column("submissions", "提出回数", 6, "integer", lambda s: s.submissions),
        Column("errors", "エラー", 6, "integer", lambda s: s.errors),
        Column("warnings", "警告", 6, "integer", lambda s: s.warnings),
        Column("infos", "情報", 6, "integer", lambda s: s.infos),
        Column("rulebook", "規則集の版", 12, get=lambda s: s.rulebook_version, readers=frozenset({OFFICE, AUDIT})),
    ]


def status_sheet(wb, styles: Styles, data: RoundData, reader: str) -> None:
    ws = wb.add_worksheet("回収状況")
    done = sum(s.status != labels.STATUS_NOT_RETURNED for s in data.statuses)
    heading(ws, styles, data, f"提出 {done} / {len(data.statuses)} 課")
    list_table(ws, styles, HEADER_ROW, for_reader(status_columns(), reader), data.statuses, "回収状況", data.title)


def finding_columns() -> list[Column]:
    return [
        Column("severity", "重要度", 6, get=lambda f: f.severity_label),
        Column("code", "コード", 5, get=lambda f: f.code),
        Column("title", "項目", 16, get=lambda f: f.title),
        Column("section", L["section_code"], 6, get=lambda f: f.section),
        Column("file", "ファイル", 22, get=lambda f: f.file),
        Column("sheet", "シート", 9, get=lambda f: f.sheet),
        Column("cell", "セル", 6, get=lambda f: f.cell),
        Column("message", "内容", 50, get=lambda f: f.message),
        Column("hint", "対応", 34, get=lambda f: f.hint),
        Column("waiver", "免除", 22, get=lambda f: f.waiver),
    ]


def findings_sheet(wb, styles: Styles, data: RoundData, reader: str) -> None:
    ws = wb.add_worksheet("指摘一覧")
    ordered = sort_findings(data.findings)
    counts = severity_counts(ordered)
    heading(ws, styles, data, f"エラー {counts['ERR']} 件・警告 {counts['WARN']} 件・情報 {counts['INFO']} 件"
            + (f"・免除したエラー {counts['WAIVED']} 件" if counts["WAIVED"] else "") + "　規則別: "
            + "　".join(f"{c.code} {c.title} {c.label}{c.count}件" for c in summarise(ordered)[:8]))
    list_table(ws, styles, HEADER_ROW, finding_columns(), ordered, "指摘一覧", data.title)
    for r, f in enumerate(ordered, start=HEADER_ROW + 1):
        if f.severity in ("ERR", "WARN"):
            ws.write_string(r, 0, f.severity_label, styles.err if f.blocking else styles.warn)


def rules_sheet(wb, styles: Styles, data: RoundData, reader: str) -> None:
    """適用ルール: the rule book the round was checked with (version, on/off, severity, thresholds)."""
    ws = wb.add_worksheet("適用ルール")
    book = data.rulebook
    versions = sorted({s.rulebook_version for s in data.statuses if s.rulebook_version})
    heading(ws, styles, data, f"規則集の版: {book.version}（評価尺度 {scale(book.grade_scale).title}）"
            + (f"　提出の点検に使った版: {', '.join(versions)}" if versions else ""))
    rows = [(code, book.setting(code)) for code in CATALOGUE]
    columns = [
        Column("code", "コード", 6, get=lambda r: r[0]),
        Column("title", "規則", 26, get=lambda r: CATALOGUE[r[0]].title),
        Column("enabled", "適用", 5, get=lambda r: "○" if r[1].enabled else "×"),
        Column("severity", "重要度", 7, get=lambda r: SEVERITY_LABELS[r[1].severity]),
        Column("params", "しきい値", 26, get=lambda r: "、".join(f"{k} {v:g}" for k, v in r[1].params.items())),
        Column("hint", "対応のしかた", 60, get=lambda r: CATALOGUE[r[0]].hint),
    ]
    list_table(ws, styles, HEADER_ROW, columns, rows, "適用ルール", data.title)


SHEETS = [overview_sheet, pillar_sheet, achievement_sheet, kpi_sheet, trend_sheet, department_sheet,
          budget_sheet, roadmap_sheet, systems_sheet, system_card_sheets, status_sheet, findings_sheet, rules_sheet]


def write_book(path: Path, data: RoundData, sheets, reader: str = OFFICE, title: str = "") -> Path:
    """Write the given sheet writers into one workbook, atomically."""
    with atomic_path(path) as tmp:
        wb = new_workbook(tmp)
        styles = Styles(wb, data.negative)
        wb.set_properties({"title": title or data.title, "company": "dxdesk"})
        for writer in sheets:
            writer(wb, styles, data, reader)
        wb.close()
    return path


def write_consolidated(path: Path, data: RoundData) -> Path:
    return write_book(path, data, SHEETS, OFFICE, f"{data.title} 集約")

