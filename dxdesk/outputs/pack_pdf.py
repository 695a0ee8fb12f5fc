"""The packs as PDF: the same dataset and column definitions as the workbooks, drawn by outputs.pdf."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from dxdesk.forms.definition import KEY_SEP
from dxdesk.labels import LABELS as L, STATUS_NEEDS_FIX, STATUS_NOT_RETURNED
from dxdesk.outputs import consolidated as c
from dxdesk.outputs import packs as p
from dxdesk.outputs import pdf, schedule_pdf
from dxdesk.outputs.columns import AUDIT, HQ, PUBLIC, for_reader, kpi_columns
from dxdesk.outputs.departments import CITY, metrics
from dxdesk.outputs.numfmt import timestamp
from dxdesk.outputs.rounddata import RoundData, fy_label, year_header
from dxdesk.plan.model import KPI_MANAGED_STAGES, SCHEDULE_MANAGED_STAGES, STAGE_NAMES
from dxdesk.rules.catalogue import CATALOGUE, SEVERITY_LABELS
from dxdesk.xlsx import atomic_path


def _columns_table(doc: pdf.Document, columns, rows, data: RoundData, size: float = 8.5) -> None:
    printed = [col for col in columns if col.printed]
    doc.table([col.label for col in printed], [[col.get(r) for col in printed] for r in rows],
              [col.width for col in printed], [col.kind for col in printed], size, data.negative)


def _headline(doc: pdf.Document, data: RoundData, reader: str, width: float) -> None:
    city = next(d for d in data.departments if d.dept == CITY)
    rows, kinds = [], []
    for m in metrics(data.round_.grade_scale):
        diff = city.difference(m.key)
        rows.append([m.label, pdf.shown(city.current.get(m.key), m.kind, data.negative),
                     pdf.shown(city.previous.get(m.key), m.kind, data.negative),
                     pdf.shown(diff * 100 if diff is not None and m.kind == "percent" else diff,
                               "points" if m.kind == "percent" else m.kind, data.negative)])
    budget = sum(b.budget or 0 for b in data.budgets if b.counted)
    settled = sum(b.settlement or 0 for b in data.budgets if b.counted)
    rows += [["予算額の合計（千円）", pdf.shown(budget, "integer"), "", ""],
             ["決算額の合計（千円）", pdf.shown(settled, "integer"), "", ""]]
    if reader != PUBLIC:
        rows.append(["未解決のエラー", pdf.shown(sum(f.blocking for f in data.findings), "integer"), "", ""])
    kinds = ["text", "integer", "integer", "integer"]
    doc.table(["項目", "今回", "前回", "増減"], rows, [14, 6, 6, 6], kinds, 9, total_width=width)


def _grade_chart(doc: pdf.Document, data: RoundData, height: float, width: float, x: float) -> None:
    columns = c.grade_columns(data.round_.grade_scale)
    names = [g for g, _ in columns]
    counts = c.pillar_counts(data.plan, data.records, names)
    if not counts:
        return
    series = [(g, colour if colour != "#FFFFFF" else "#F2F2F2", [cnt[g] for _, cnt in counts]) for g, colour in columns]
    doc.chart(lambda ax: pdf.grade_bars(ax, [pillar for pillar, _ in counts], series), height, width, x)


def _budget_chart(doc: pdf.Document, data: RoundData, height: float, width: float | None = None,
                  x: float = pdf.MARGIN) -> None:
    totals = c.pillar_budgets(data)
    if totals:
        doc.chart(lambda ax: pdf.budget_bars(ax, [t[0] for t in totals], [t[1] for t in totals],
                                             [t[2] for t in totals]), height, width, x)


def _summary_page(doc: pdf.Document, data: RoundData, reader: str, heading: str) -> None:
    """One A4 landscape page: headline figures (今回 / 前回 / 増減) left, grade distribution and budget right."""
    done = sum(s.status != STATUS_NOT_RETURNED for s in data.statuses)
    doc.page(heading, f"対象年度: {fy_label(data.round_.fy)}　データ作成日時: {data.generated_at}　"
                      f"提出 {done} / {len(data.statuses)} 課　前回: {data.previous.source}")
    top = doc.y
    _headline(doc, data, reader, 4.6)
    doc.text("増減の pt はポイント（率の差）、△ は減少。", 8)
    doc.space()
    names = [g for g, _ in c.grade_columns(data.round_.grade_scale)]
    counts = c.pillar_counts(data.plan, data.records, names)
    doc.table([data.top_level] + names + ["計"], [[pillar] + [cnt[g] for g in names] + [sum(cnt.values())]
                                              for pillar, cnt in counts],
              [10] + [4] * (len(names) + 1), ["text"] + ["integer"] * (len(names) + 1), 8, total_width=4.6)
    doc.y = top
    right = pdf.MARGIN + 4.9
    _grade_chart(doc, data, 3.4, doc.w - right - pdf.MARGIN, right)
    doc.space(0.3)  # room for the axis label above the next chart's title
    _budget_chart(doc, data, 2.9, doc.w - right - pdf.MARGIN, right)


def _achievement_pages(doc: pdf.Document, data: RoundData) -> None:
    by_pillar: dict[str, list] = {}
    for r in data.records:
        if not r.relisted and r.judgement.achievement is not None:
            by_pillar.setdefault(c.pillar_of(r), []).append(r)
    doc.page("達成率（指標ごと）", "達成率 = 実績値 ÷ 判定基準の目標値（減少が良い指標は 目標値 ÷ 実績値）。赤の破線が 100 %。")
    for pillar, items in by_pillar.items():
        for part in range(0, len(items), 40):
            piece = items[part:part + 40]
            doc.chart(lambda ax, piece=piece, pillar=pillar: pdf.achievement_bars(
                ax, [r.kpi.kpi_id for r in piece], [r.judgement.achievement for r in piece], f"{pillar} 達成率"), 3.4)


def _trend_pages(doc: pdf.Document, data: RoundData, measures: list[str], heading: str) -> None:
    years = data.years
    categories = ["基準値"] + [year_header(fy) for fy in years] + ["目標値"]
    charts = []
    for measure_id in measures:
        series = []
        for kpi in data.plan.kpis_of_measure(measure_id):
            if kpi.relisted_of or (kpi.baseline is None and kpi.target is None):
                continue
            by_fy = data.trend.get(kpi.kpi_id, {})
            series.append((f"{kpi.kpi_id} {kpi.name}", [kpi.baseline] + [by_fy.get(fy) for fy in years] + [kpi.target]))
        if series:
            charts.append((f"{measure_id} {data.plan.measures[measure_id].name}", series))
    if not charts:
        return
    half = (doc.size[0] - 2 * pdf.MARGIN) / 2
    for i, (title, series) in enumerate(charts):
        if i % 4 == 0:
            doc.page(heading, "基準値 → 各年度の実績値 → 目標値")
            top = doc.y
        doc.y = top + (i % 4 // 2) * 3.3
        doc.chart(lambda ax, s=series, t=title: pdf.trend_lines(ax, categories, s, t), 3.3, half,
                  pdf.MARGIN + (i % 2) * half)


def _department_page(doc: pdf.Document, data: RoundData) -> None:
    found = metrics(data.round_.grade_scale)
    doc.page("部局別の状況", f"今回・前回・増減（前回: {data.previous.source}、{fy_label(data.previous.fy)}）")
    headers = [L["dept"]] + [f"{m.label}\n{part}" for m in found for part in ("今回", "前回", "増減")]
    rows, bold = [], set()
    for i, d in enumerate(data.departments):
        row = [d.dept]
        for m in found:
            diff = d.difference(m.key)
            row += [pdf.shown(d.current.get(m.key), m.kind, data.negative),
                    pdf.shown(d.previous.get(m.key), m.kind, data.negative),
                    pdf.shown(diff * 100 if diff is not None and m.kind == "percent" else diff,
                              "points" if m.kind == "percent" else m.kind, data.negative)]
        rows.append(row)
        if d.dept == CITY:
            bold.add(i)
    doc.table(headers, rows, [12] + [6] * (3 * len(found)), ["text"] + ["integer"] * (3 * len(found)), 8,
              bold_rows=bold)
    doc.text("【定義】", 8.5, bold=True)
    for m in found:
        doc.text(f"・{m.definition}", 8)


def hq_pdf(path: Path, data: RoundData) -> None:
    doc = pdf.Document(path, f"{data.title} {p.PACK_TITLES[HQ]}")
    try:
        _summary_page(doc, data, HQ, "本部会議資料　概要")
        doc.page("評価 C・D の指標（未達理由・今後の対応）", "算定評価が C・D の指標。担当課の記入どおり。")
        rows = [r for r in data.records if p.is_cd(r)]
        if rows:
            _columns_table(doc, p.cd_columns(data.top_level), rows, data)
        else:
            doc.text("評価 C・D の指標はありません。")
        _department_page(doc, data)
        _achievement_pages(doc, data)
        _trend_pages(doc, data, p.cd_measures(data), "指標の推移（C・D の施策）")
        schedule_pdf.roadmap_pages(doc, data)
        schedule_pdf.systems_pages(doc, data, HQ)
    finally:
        doc.close()


def public_pdf(path: Path, data: RoundData) -> None:
    doc = pdf.Document(path, f"{data.title} {p.PACK_TITLES[PUBLIC]}")
    try:
        _summary_page(doc, data, PUBLIC, "進捗状況の概要")
        columns = for_reader(kpi_columns(data.plan.level_names, data.plan), PUBLIC)
        for pillar in dict.fromkeys(c.pillar_of(r) for r in data.records):
            doc.page(f"{pillar}　指標の実績と目標", "達成率 = 実績値 ÷ 目標値（減少が良い指標は 目標値 ÷ 実績値）。"
                     "差 = 実績値 − 前年度実績。")
            _columns_table(doc, columns, [r for r in data.records if c.pillar_of(r) == pillar], data)
        _achievement_pages(doc, data)
        doc.page("予算・決算（分野別）", "単位: 千円")
        totals = c.pillar_budgets(data)
        doc.table([data.top_level, L["budget"], L["settlement"], L["execution_rate"]],
                  [[k, b, s, s / b if b else None] for k, b, s in totals], [16, 8, 8, 6],
                  ["text", "thousand_yen", "thousand_yen", "percent"], 9, data.negative, total_width=6.5)
        _budget_chart(doc, data, 3.2, 6.5)
        schedule_pdf.yoshiki1_pages(doc, data)
    finally:
        doc.close()


def _record_pages(doc: pdf.Document, data: RoundData, measure_id: str) -> None:
    plan, measure = data.plan, data.plan.measures[measure_id]
    records = [r for r in data.records if r.measure.measure_id == measure_id]
    track = ("指標（KPI）で評価" if measure.stage in KPI_MANAGED_STAGES else
             "スケジュール（進捗状況）で評価" if measure.stage in SCHEDULE_MANAGED_STAGES else "評価の対象外")
    doc.page(f"施策記録　{measure.measure_id} {measure.name}"[:60], f"対象年度: {fy_label(data.round_.fy)}")
    doc.table(["項目", "内容"], [
        ["計画上の位置", " ＞ ".join(measure.levels)], ["施策概要", measure.summary],
        ["関連課所室", "、".join(plan.sections[s].name for s in measure.section_codes if s in plan.sections)],
        ["関連事業名", measure.project],
        ["ライフサイクル段階", f"{measure.stage}（{STAGE_NAMES.get(measure.stage, '')}）　{track}"]],
        [14, 90], size=8.5, max_lines=4)
    doc.table([L["kpi_id"], L["kpi_name"], "成果/活動", L["unit"], L["baseline"], L["target"], L["last_actual"],
               L["actual"], L["achievement"], "進捗率", "算定", "自己", L["grade_basis"]],
              [[r.kpi.kpi_id, r.kpi.name, r.kpi.kind, r.kpi.unit,
                r.kpi.baseline if r.kpi.baseline is not None else r.kpi.baseline_text,
                r.judgement.target if r.judgement.target is not None else r.kpi.target_text, r.previous, r.actual,
                r.judgement.achievement, r.judgement.progress, r.shown_grade, r.self_grade, r.judgement.basis]
               for r in records], [7, 22, 7, 5, 7, 7, 7, 7, 6, 6, 4, 4, 12],
              ["text"] * 4 + ["number"] * 4 + ["percent"] * 2 + ["text"] * 3, 8, data.negative)
    texts = [[f"{r.kpi.kpi_id} {label}", value] for r in records
             for label, value in (("目標値の考え方", r.kpi.rationale), (L["result"], r.result), ("未達理由・今後", r.cause))
             if value]
    if texts:
        doc.table(["項目", "内容"], texts, [14, 90], size=8, max_lines=4)
    lines = [ln for ln in data.budget_lines.get(measure_id, []) if ln.budget is not None or ln.settlement is not None]
    if lines:
        doc.table(["区分", "項目", L["budget"], L["settlement"], L["execution_rate"], "出典セル"],
                  [[ln.budget_class, ln.item, ln.budget, ln.settlement,
                    ln.settlement / ln.budget if ln.budget and ln.settlement is not None else None, ln.cell]
                   for ln in lines], [5, 14, 9, 9, 6, 10],
                  ["text", "text", "thousand_yen", "thousand_yen", "percent", "text"], 8, data.negative,
                  total_width=7.5)
    source = data.provenance.get(measure.owner, {})
    doc.table(["値", "シート!セル", "ファイル", "受付日時", "SHA-256（原本）"],
              [[f"{r.kpi.kpi_id} {L['actual']}", r.source_cell, source.get("file", f"（{STATUS_NOT_RETURNED}）"),
                timestamp(source.get("received_at", "")), source.get("sha256", "")] for r in records],
              [9, 9, 26, 12, 40], size=8)
    keys = {r.kpi.kpi_id for r in records}
    trail = [t for t in data.trail if t.section == measure.owner
             and (t.row_key in keys or t.row_key.startswith(measure_id + KEY_SEP) or t.row_key == measure_id)]
    doc.table(["重要度", "コード", "セル", "内容", "対応（解消・免除: 誰が・いつ・なぜ）"],
              [[SEVERITY_LABELS[t.severity], t.code, f"{t.sheet}!{t.cell}", t.message, t.resolution] for t in trail]
              or [["", "", "", "指摘はありません。", ""]], [5, 4, 9, 46, 32], size=8, max_lines=4)


def audit_pdf(path: Path, data: RoundData, progress=None, measures: list[str] | None = None) -> None:
    doc = pdf.Document(path, f"{data.title} {p.PACK_TITLES[AUDIT]}")
    try:
        _summary_page(doc, data, AUDIT, "監査資料　概要")
        doc.page("適用した規則", f"規則集の版: {data.rulebook.version}")
        doc.table(["コード", "規則", "適用", "重要度", "しきい値"],
                  [[code, CATALOGUE[code].title, "○" if s.enabled else "×", SEVERITY_LABELS[s.severity],
                    "、".join(f"{k} {v:g}" for k, v in s.params.items())]
                   for code, s in ((code, data.rulebook.setting(code)) for code in CATALOGUE)],
                  [5, 30, 4, 6, 20], size=8)
        doc.page("指摘と対応（全件）", "再提出で解消したもの、免除（誰が・いつ・なぜ）、受理時に確認したものを含む。")
        doc.table(["課", "ファイル", "重要度", "コード", "セル", "内容", "対応"],
                  [[t.section, t.file, SEVERITY_LABELS[t.severity], t.code, f"{t.sheet}!{t.cell}", t.message,
                    t.resolution] for t in data.trail], [4, 18, 5, 4, 9, 40, 26], size=8, max_lines=4)
        doc.page("執行率一覧", "単位: 千円。共有予算は最初の施策で1回だけ合計に数えます。")
        _columns_table(doc, for_reader(c.budget_columns(data.top_level), AUDIT), data.budgets, data, 8)
        doc.page("成果・活動指標の一覧（区分）")
        chosen = {col.key: col for col in kpi_columns(data.plan.level_names, data.plan)}
        _columns_table(doc, [chosen[k] for k in ("measure_id", "measure_name", "stage", "kpi_id", "kpi_name",
                                                   "kpi_kind", "unit", "actual")], data.records, data, 8)
        schedule_pdf.roadmap_pages(doc, data)
        schedule_pdf.systems_pages(doc, data, AUDIT)
        measures = list(data.plan.measures) if measures is None else measures
        for i, measure_id in enumerate(measures):
            if progress is not None:
                progress.fraction(0.5 + 0.5 * i / max(1, len(measures)))
            _record_pages(doc, data, measure_id)
    finally:
        doc.close()


def status_list_pdf(path: Path, statuses, title: str, deadline, reminded: dict[str, str], negative: str = "△") -> Path:
    """回収状況 to print (one A4 landscape page for a round of ordinary size): who has returned, who is reminded."""
    from dxdesk.outputs.numfmt import era_date
    done = sum(s.status != STATUS_NOT_RETURNED for s in statuses)
    with atomic_path(path) as tmp:
        doc = pdf.Document(tmp, f"{title} 回収状況")
        try:
            doc.page("回収状況", f"{title}　締切 {era_date(deadline)}　提出 {done} / {len(statuses)} 課　"
                              f"作成 {timestamp(dt.datetime.now().replace(microsecond=0).isoformat())}")
            size = 8.5 if len(statuses) <= 24 else 8
            doc.table([L["section_code"], L["dept"], L["section_name"], "担当者", "状況", L["received_at"], "エラー",
                       "警告", "催促"],
                      [[s.section.code, s.section.dept, s.section.name, s.section.person, s.status,
                        timestamp(s.received_at), s.errors if s.received_at else None,
                        s.warnings if s.received_at else None,
                        {STATUS_NOT_RETURNED: "提出のお願い", STATUS_NEEDS_FIX: "修正のお願い"}.get(reminded.get(s.section.code, ""), "")]
                       for s in statuses], [6, 10, 14, 10, 6, 14, 5, 5, 10],
                      ["text"] * 6 + ["integer", "integer", "text"], size, negative, max_lines=1)
        finally:
            doc.close()
    return path


WRITERS = {HQ: hq_pdf, PUBLIC: public_pdf, AUDIT: audit_pdf}


def write_pack_pdf(path: Path, data: RoundData, pack: str, progress=None, measures: list[str] | None = None) -> Path:
    """The pack's PDF, atomically; `measures` limits the auditor's record pages (default: every measure)."""
    with atomic_path(path) as tmp:
        if pack == AUDIT:
            audit_pdf(tmp, data, progress, measures)
        else:
            WRITERS[pack](tmp, data)
    return path
