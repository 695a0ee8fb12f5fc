"""The three packs of a round, from the one dataset: HQ meeting (本部会議), public / council (公表), auditor (監査).
Each pack is a list of sheet writers (outputs.consolidated's, plus the ones here) and is also printed as a PDF
(outputs.pdf)."""
from __future__ import annotations

from pathlib import Path

from dxdesk.forms.definition import KEY_SEP
from dxdesk.labels import LABELS as L
from dxdesk.outputs import consolidated as c
from dxdesk.outputs.columns import AUDIT, HQ, PUBLIC, Column, kpi_columns
from dxdesk.outputs.numfmt import timestamp
from dxdesk.outputs.rounddata import RoundData, fy_label
from dxdesk.outputs.roadmap import roadmap_sheet
from dxdesk.outputs.systems import system_card_sheets, systems_sheet
from dxdesk.outputs.yoshiki1 import yoshiki1_sheets
from dxdesk.outputs.xlsx_out import A4, Styles, list_table, print_setup, row_height, sheet_name, write_value
from dxdesk.plan.model import KPI_MANAGED_STAGES, SCHEDULE_MANAGED_STAGES, STAGE_NAMES
from dxdesk.rules.catalogue import SEVERITY_LABELS

PACK_TITLES = {HQ: "本部会議資料", PUBLIC: "公表資料", AUDIT: "監査資料"}


def is_cd(record) -> bool:
    return record.judgement.grade in ("C", "D") and not record.relisted


def cd_columns(level: str) -> list[Column]:
    return [
        Column("level0", level, 10, get=lambda r: r.measure.levels[0] if r.measure.levels else ""),
        Column("measure", L["measure_name"], 18, get=lambda r: f"{r.measure.measure_id} {r.measure.name}"),
        Column("section", L["section_name"], 10, get=lambda r: r.section.name),
        Column("kpi", L["kpi_name"], 18, get=lambda r: r.kpi.name),
        Column("baseline", L["baseline"], 8, "number", lambda r: r.kpi.baseline),
        Column("target", L["target"], 8, "number", lambda r: r.judgement.target),
        Column("actual", L["actual"], 8, "number", lambda r: r.actual),
        Column("grade", L["computed_grade"], 5, get=lambda r: r.shown_grade),
        Column("cause", L["cause"], 40, get=lambda r: r.cause or "（未記入）"),
    ]


def cd_sheet(wb, styles: Styles, data: RoundData, reader: str) -> None:
    """C・D一覧: the KPIs graded C or D, with the section's cause and next action."""
    ws = wb.add_worksheet("C・D一覧")
    c.heading(ws, styles, data, "算定評価が C・D の指標と、担当課の未達理由・今後の対応。")
    rows = [r for r in data.records if is_cd(r)]
    list_table(ws, styles, c.HEADER_ROW, cd_columns(data.top_level), rows, "CD一覧", data.title)


def cd_measures(data: RoundData) -> list[str]:
    return list(dict.fromkeys(r.measure.measure_id for r in data.records if is_cd(r)))


def hq_trend_sheet(wb, styles: Styles, data: RoundData, reader: str) -> None:
    """指標推移 for the measures with a C or D (what the HQ meeting discusses)."""
    c.trend_sheet(wb, styles, data, reader, cd_measures(data))


# --- the auditor's record per measure ------------------------------------------------------------------

RECORD_WIDTHS = [8, 22, 8, 6, 9, 9, 9, 9, 7, 7, 6, 6, 13]


def _label_value(ws, styles: Styles, row: int, label: str, value: str) -> int:
    ws.write_string(row, 0, label, styles.header)
    ws.merge_range(row, 1, row, len(RECORD_WIDTHS) - 1, value or "", styles.text)
    ws.set_row(row, row_height([value or ""], [sum(RECORD_WIDTHS[1:])]))
    return row + 1


def _block(ws, styles: Styles, row: int, title: str) -> int:
    ws.write_string(row, 0, title, styles.bold)
    return row + 1


def _grid(ws, styles: Styles, row: int, headers: list[str], rows: list[list], kinds: list[str],
          spans: list[int] | None = None) -> int:
    """A small table; `spans` merges a column over several record columns (text that needs room)."""
    spans = spans or [1] * len(headers)
    starts = [sum(spans[:i]) for i in range(len(spans))]
    for h, start, span in zip(headers, starts, spans):
        if span > 1:
            ws.merge_range(row, start, row, start + span - 1, h, styles.header)
        else:
            ws.write_string(row, start, h, styles.header)
    for values in rows:
        row += 1
        widths = [sum(RECORD_WIDTHS[s:s + n]) for s, n in zip(starts, spans)]
        ws.set_row(row, row_height(values, widths))
        for value, start, span, kind in zip(values, starts, spans, kinds):
            fmt = styles.of(kind, value=value)
            if span > 1:
                ws.merge_range(row, start, row, start + span - 1, "", fmt)
            write_value(ws, row, start, value, fmt)
    return row + 2


def measure_sheet(wb, styles: Styles, data: RoundData, measure_id: str, used: set[str]) -> None:
    """One measure in the record layout of the Akita audit (DOMAIN §3/§5)."""
    plan, measure = data.plan, data.plan.measures[measure_id]
    name = sheet_name(measure_id)
    while name in used:
        name = sheet_name(name[:28] + f"_{len(used)}")
    used.add(name)
    ws = wb.add_worksheet(name)
    for col, width in enumerate(RECORD_WIDTHS):
        ws.set_column(col, col, width)
    ws.write_string(0, 0, f"施策記録　{measure.measure_id} {measure.name}", styles.title)
    ws.write_string(1, 0, f"{data.plan.name}　対象年度: {fy_label(data.round_.fy)}　データ作成日時: {data.generated_at}",
                    styles.note)
    records = [r for r in data.records if r.measure.measure_id == measure_id]
    track = ("指標（KPI）で評価" if measure.stage in KPI_MANAGED_STAGES else
             "スケジュール（進捗状況）で評価" if measure.stage in SCHEDULE_MANAGED_STAGES else "評価の対象外")
    row = _block(ws, styles, 3, "1. 施策の概要")
    for label, value in (
            ("施策ID・施策名", f"{measure.measure_id}　{measure.name}"),
            ("計画上の位置", " ＞ ".join(measure.levels)),
            ("施策概要", measure.summary),
            ("関連課所室", "、".join(plan.sections[s].name for s in measure.section_codes if s in plan.sections)),
            ("関連事業名", measure.project),
            ("ライフサイクル段階", f"{measure.stage}（{STAGE_NAMES.get(measure.stage, '')}）　{track}")):
        row = _label_value(ws, styles, row, label, value)
    row = _block(ws, styles, row + 1, "2. 評価指標（KPI）")
    row = _grid(ws, styles, row, [L["kpi_id"], L["kpi_name"], "成果/活動", L["unit"], L["baseline"], L["target"],
                                  L["last_actual"], L["actual"], L["achievement"], "進捗率", "算定", "自己",
                                  L["grade_basis"]],
                [[r.kpi.kpi_id, r.kpi.name, r.kpi.kind, r.kpi.unit,
                  r.kpi.baseline if r.kpi.baseline is not None else r.kpi.baseline_text,
                  r.judgement.target if r.judgement.target is not None else r.kpi.target_text, r.previous, r.actual,
                  r.judgement.achievement, r.judgement.progress, r.shown_grade, r.self_grade, r.judgement.basis]
                 for r in records],
                ["text", "text", "text", "text", "number", "number", "number", "number", "percent", "percent",
                 "text", "text", "text"])
    for r in records:
        if r.kpi.rationale:
            row = _label_value(ws, styles, row, f"{r.kpi.kpi_id} 目標値の考え方", r.kpi.rationale)
    row = _block(ws, styles, row, "3. 取組結果・未達理由")
    for r in records:
        row = _label_value(ws, styles, row, f"{r.kpi.kpi_id} {L['result']}", r.result)
        if r.cause:
            row = _label_value(ws, styles, row, f"{r.kpi.kpi_id} 未達理由・今後", r.cause)
    row = _block(ws, styles, row + 1, "4. 事業費（千円）・財源・執行率")
    lines = data.budget_lines.get(measure_id, [])
    row = _grid(ws, styles, row, ["区分", "項目", L["budget"], L["settlement"], L["execution_rate"], "出典セル"],
                [[ln.budget_class, ln.item, ln.budget, ln.settlement,
                  ln.settlement / ln.budget if ln.budget and ln.settlement is not None else None, ln.cell]
                 for ln in lines if ln.budget is not None or ln.settlement is not None],
                ["text", "text", "thousand_yen", "thousand_yen", "percent", "text"], [1, 3, 2, 2, 2, 3])
    total = next((b for b in data.budgets if b.measure.measure_id == measure_id), None)
    if total and total.settlement:
        for r in records:
            if r.actual and r.kpi.kind == "アウトカム":
                row = _label_value(ws, styles, row - 1, f"{r.kpi.kpi_id} 単位当たり費用",
                                   f"決算額 ÷ 実績値 = {total.settlement:,.0f} 千円 ÷ {r.actual:,g} {r.kpi.unit}"
                                   f" = {total.settlement / r.actual:,.1f} 千円/{r.kpi.unit}") + 1
    row = _block(ws, styles, row, "5. 値の出典（ファイル・シート・セル・受付日時・SHA-256）")
    source = data.provenance.get(measure.owner, {})
    sources = [[f"{r.kpi.kpi_id} {L['actual']}", r.source_cell, source.get("file", "（未提出）"),
                timestamp(source.get("received_at", "")), source.get("sha256", "")] for r in records]
    sources += [[f"{measure_id} {ln.item}", ln.cell, source.get("file", ""), timestamp(source.get("received_at", "")),
                 source.get("sha256", "")] for ln in lines if ln.item == "事業費計"]
    row = _grid(ws, styles, row, ["値", "シート!セル", "ファイル", "受付日時", "SHA-256（原本）"], sources,
                ["text"] * 5, [2, 2, 3, 2, 4])
    row = _block(ws, styles, row, "6. 指摘と対応（この施策の行。再提出前のものを含む）")
    keys = {r.kpi.kpi_id for r in records}
    trail = [t for t in data.trail if t.section == measure.owner
             and (t.row_key in keys or t.row_key.startswith(measure_id + KEY_SEP) or t.row_key == measure_id)]
    _grid(ws, styles, row, ["重要度", "コード", "セル", "内容", "対応（解消・免除: 誰が・いつ・なぜ）"],
          [[SEVERITY_LABELS[t.severity], t.code, f"{t.sheet}!{t.cell}", t.message, t.resolution] for t in trail]
          or [["", "", "", "指摘はありません。", ""]], ["text"] * 5, [1, 1, 2, 5, 4])
    print_setup(ws, 0, data.title, A4)
    ws.repeat_rows(0, 0)


def trail_sheet(wb, styles: Styles, data: RoundData, reader: str) -> None:
    """指摘と対応: every finding of every submission and how it was resolved."""
    ws = wb.add_worksheet("指摘と対応")
    c.heading(ws, styles, data, "再提出で解消したもの、免除（誰が・いつ・なぜ）、受理時に確認したものを含む全件。")
    columns = [
        Column("section", L["section_code"], 6, get=lambda t: t.section),
        Column("file", "ファイル", 24, get=lambda t: t.file),
        Column("received", L["received_at"], 14, get=lambda t: timestamp(t.received_at)),
        Column("severity", "重要度", 6, get=lambda t: SEVERITY_LABELS[t.severity]),
        Column("code", "コード", 5, get=lambda t: t.code),
        Column("cell", "シート!セル", 12, get=lambda t: f"{t.sheet}!{t.cell}" if t.cell else t.sheet),
        Column("message", "内容", 44, get=lambda t: t.message),
        Column("resolution", "対応", 34, get=lambda t: t.resolution),
        Column("sha", "SHA-256（原本）", 20, get=lambda t: t.sha256, printed=False),
    ]
    list_table(ws, styles, c.HEADER_ROW, columns, data.trail, "指摘と対応", data.title)


def outcome_sheet(wb, styles: Styles, data: RoundData, reader: str) -> None:
    """成果・活動指標: each KPI's classification (アウトカム / アウトプット), per measure and stage."""
    ws = wb.add_worksheet("成果・活動指標")
    only_output = {m for m in data.plan.measures if data.plan.kpis_of_measure(m)
                   and all(k.kind != "アウトカム" for k in data.plan.kpis_of_measure(m))}
    c.heading(ws, styles, data, f"アウトプット指標だけの施策: {len(only_output)} 件（KPI管理の施策は要確認）。")
    keys = ("measure_id", "measure_name", "stage", "kpi_id", "kpi_name", "kpi_kind", "unit", "actual")
    chosen = {col.key: col for col in kpi_columns(data.plan.level_names, data.plan)}
    columns = [chosen[k] for k in keys] + [
        Column("only_output", "成果指標なし", 8, get=lambda r: "○" if r.measure.measure_id in only_output else "")]
    list_table(ws, styles, c.HEADER_ROW, columns, data.records, "成果活動指標", data.title)


def audit_records_writer(wb, styles: Styles, data: RoundData, reader: str) -> None:
    used = set(wb.sheetnames)
    for measure_id in data.plan.measures:
        measure_sheet(wb, styles, data, measure_id, used)


PACKS = {
    HQ: [c.overview_sheet, cd_sheet, c.department_sheet, c.pillar_sheet, c.achievement_sheet, hq_trend_sheet,
         c.budget_sheet, roadmap_sheet, systems_sheet, system_card_sheets],
    PUBLIC: [c.overview_sheet, c.pillar_sheet, c.achievement_sheet, c.kpi_sheet, c.budget_sheet, yoshiki1_sheets],
    AUDIT: [c.overview_sheet, c.rules_sheet, trail_sheet, c.budget_sheet, outcome_sheet, c.kpi_sheet,
            roadmap_sheet, systems_sheet, system_card_sheets, audit_records_writer],
}


def write_pack_xlsx(path: Path, data: RoundData, pack: str) -> Path:
    return c.write_book(path, data, PACKS[pack], pack, f"{data.title} {PACK_TITLES[pack]}")

