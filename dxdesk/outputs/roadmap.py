"""ロードマップ: measures × fiscal years, a Gantt-like view from the milestones — each year's entries in its
cell, coloured by status, delays marked 遅 — with each measure's schedule grade."""
from __future__ import annotations

from dxdesk.labels import LABELS as L
from dxdesk.outputs.xlsx_out import FONT, print_setup
from dxdesk.plan.milestones import CANCELLED, DONE, IN_PROGRESS, NOT_STARTED
from dxdesk.years import short_wareki

LATE = "遅"
COLOURS = {LATE: ("#F8CBAD", "#C00000"), IN_PROGRESS: ("#C6E0B4", "#000000"), NOT_STARTED: ("#F2F2F2", "#000000"),
           DONE: ("#9DC3E6", "#000000"), CANCELLED: ("#D9D9D9", "#7F7F7F"), "": ("#FFFFFF", "#000000")}
ORDER = (LATE, IN_PROGRESS, NOT_STARTED, "", DONE, CANCELLED)  # the cell takes the first present
LEGEND = ((DONE, "完了"), (IN_PROGRESS, "実施中"), (NOT_STARTED, "未着手"), (LATE, "遅（延期・期限を過ぎて未完了）"),
          (CANCELLED, "中止"), ("", "状況の報告なし（計画）"))
HEADER_ROW = 3


def _formats(wb) -> dict[str, object]:
    base = {"font_name": FONT, "font_size": 9, "border": 1, "valign": "top", "text_wrap": True}
    return {key: wb.add_format({**base, "bg_color": bg, "font_color": fg, "bold": key == LATE,
                                "font_strikeout": key == CANCELLED}) for key, (bg, fg) in COLOURS.items()}


def _entry(m) -> str:
    when = f"（{m.milestone.period}）" if m.milestone.period else ""
    mark = f"{LATE} " if m.late else ""
    status = f"［{m.status}］" if m.status else ""
    return f"{mark}{m.milestone.content}{when}{status}"


def _key(m) -> str:
    if m.late:
        return LATE
    return m.status if m.status in COLOURS else ""


def roadmap_sheet(wb, styles, data, reader: str) -> None:
    schedule = getattr(data, "schedule", None)
    if schedule is None or not schedule.milestones:
        return
    ws = wb.add_worksheet("ロードマップ")
    formats = _formats(wb)
    years = schedule.years
    ws.write_string(0, 0, f"{data.title} ロードマップ", styles.title)
    ws.write_string(1, 0, f"データ作成日時: {data.generated_at}　各年度のマイルストーン（［ ］は報告された状況）。"
                          f"「{LATE}」は延期、または期限（{short_wareki(data.round_.fy)}年度末まで）を過ぎて未完了。"
                          "評価はスケジュール管理の施策（段階1・3・4）のマイルストーンから判定（A 完了・B 予定どおり・C 遅れ・D 未着手）。",
                    styles.note)
    headers = [(data.top_level, 12), (L["measure_id"], 8), (L["measure_name"], 26), (L["section_name"], 12),
               (L["stage"], 5), ("評価", 5)] + [(f"{short_wareki(fy)}({fy})", 24) for fy in years] + [
               (L["delay_reason"], 30)]
    for c, (text, width) in enumerate(headers):
        ws.set_column(c, c, width)
        ws.write_string(HEADER_ROW, c, text, styles.header)
    measures = list(dict.fromkeys(m.measure.measure_id for m in schedule.milestones))
    r = HEADER_ROW
    for measure_id in measures:
        items = schedule.of_measure(measure_id)
        measure = items[0].measure
        r += 1
        graded = measure.stage in ("1", "3・4")
        for c, value in enumerate([measure.levels[0] if measure.levels else "", measure.measure_id, measure.name,
                                   items[0].section.name, measure.stage,
                                   (schedule.grade(measure_id) or "") if graded else "—"]):
            ws.write_string(r, c, str(value), styles.text)
        lines = 1
        for i, fy in enumerate(years):
            cell = [m for m in items if m.milestone.fy == fy]
            c = 6 + i
            if not cell:
                ws.write_blank(r, c, None, styles.text)
                continue
            keys = {_key(m) for m in cell}
            key = next((k for k in ORDER if k in keys), "")
            ws.write_string(r, c, "\n".join(_entry(m) for m in cell), formats.get(key, formats[""]))
            lines = max(lines, sum(1 + len(_entry(m)) // 12 for m in cell))
        undated = [m for m in items if m.milestone.fy is None]
        reasons = [f"{m.milestone.content}: {m.delay_reason}" for m in items if m.late and m.delay_reason]
        reasons += [f"時期未定: {m.milestone.content}" for m in undated]
        ws.write_string(r, 6 + len(years), "\n".join(reasons), styles.text)
        ws.set_row(r, min(12.5 * lines, 160))
    legend = r + 2
    ws.write_string(legend, 0, "凡例", styles.note)
    for i, (key, text) in enumerate(LEGEND):
        ws.write_string(legend, 1 + i * 2, text, formats[key])
    ws.freeze_panes(HEADER_ROW + 1, 3)
    print_setup(ws, HEADER_ROW, data.title, 8)
    ws.print_area(0, 0, legend, len(headers) - 1)
