"""様式① per 重点項目 (the plan's lowest level), as Shizuoka publishes it: As-Is / Gap / To-Be, the systems
with their 所管課, and each 取組 with its KPI, baseline, target, this year's actual and the roadmap by year.
For the public pack: nothing internal (no result or cause text, no delay reason, no staff, no file)."""
from __future__ import annotations

from dxdesk.normalize import format_number
from dxdesk.outputs.xlsx_out import print_setup, row_height, sheet_name, write_value
from dxdesk.years import short_wareki

WIDTHS = [8, 24, 11, 24, 12, 12, 10]  # 施策ID, 取組, 担当課, 指標, 基準値, 目標値, 実績; then one per year (18)


def _value(number, text, unit, fy) -> str:
    shown = format_number(number, 3) if number is not None else (text or "—")
    if number is not None and unit and unit != "%":
        shown += unit
    elif number is not None:
        shown += "%"
    return shown + (f"（{short_wareki(fy)}）" if fy else "")


def _items(plan) -> list[tuple[tuple[str, ...], list]]:
    """(level path, measures) per item of the lowest level, in plan order."""
    found: dict[tuple[str, ...], list] = {}
    for measure in plan.measures.values():
        found.setdefault(tuple(measure.levels) or ("（計画全体）",), []).append(measure)
    return list(found.items())


def yoshiki1_sheets(wb, styles, data, reader: str) -> None:
    plan, schedule = data.plan, getattr(data, "schedule", None)
    years = schedule.years if schedule else []
    actual = {r.kpi.kpi_id: r.actual for r in data.records}
    for n, (path, measures) in enumerate(_items(plan), start=1):
        ws = wb.add_worksheet(sheet_name(f"様式①_{n:02d}"))
        widths = WIDTHS + [18] * len(years)
        for c, width in enumerate(widths):
            ws.set_column(c, c, width)
        last_col = len(widths) - 1
        ws.write_string(0, 0, f"様式①　{' ＞ '.join(path)}", styles.title)
        ws.write_string(1, 0, f"{data.title}", styles.note)
        r = 3
        texts = plan.items.get(path[-1], {})
        for key in ("As-Is", "Gap", "To-Be"):
            ws.write_string(r, 0, key, styles.header)
            value = texts.get(key, "") or "—"
            ws.merge_range(r, 1, r, last_col, value, styles.text)
            ws.set_row(r, max(15, row_height([value], [sum(widths[1:])])))
            r += 1
        systems = [s for s in plan.systems.values() if any(m.measure_id in s.measure_ids for m in measures)]
        r += 1
        ws.write_string(r, 0, "システム", styles.header)
        ws.merge_range(r, 1, r, last_col, "、".join(
            f"{s.name}（{plan.sections[s.section_code].name}）" for s in systems) or "—", styles.text)
        r += 2
        headers = ["施策ID", "取組", "担当課", "KPI", "基準値", "目標値", f"実績（{short_wareki(data.round_.fy)}）"] + [
            f"{short_wareki(fy)}({fy})" for fy in years]
        header_row = r
        for c, text in enumerate(headers):
            ws.write_string(r, c, text, styles.header)
        for measure in measures:
            kpis = plan.kpis_of_measure(measure.measure_id) or [None]
            roadmap = {fy: "\n".join(m.milestone.content for m in schedule.of_measure(measure.measure_id)
                                     if m.milestone.fy == fy) for fy in years} if schedule else {}
            for i, kpi in enumerate(kpis):
                r += 1
                row = [measure.measure_id, measure.name, plan.sections[measure.owner].name,
                       kpi.name if kpi else "（スケジュールで管理）",
                       _value(kpi.baseline, kpi.baseline_text, kpi.unit, kpi.baseline_fy) if kpi else "",
                       _value(kpi.target, kpi.target_text, kpi.unit, kpi.target_fy) if kpi else "",
                       actual.get(kpi.kpi_id) if kpi else None]
                row += [roadmap.get(fy, "") if i == 0 else "" for fy in years]
                for c, value in enumerate(row):
                    write_value(ws, r, c, value, styles.of("number", value=value) if c == 6 else styles.text)
                ws.set_row(r, row_height([str(v or "") for v in row], widths, max_lines=8))
        print_setup(ws, header_row, data.title, 8)
        ws.print_area(0, 0, r, last_col)
