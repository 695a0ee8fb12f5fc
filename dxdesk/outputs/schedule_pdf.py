"""The roadmap, the systems table and the 様式① prints in the packs' PDFs (same data and columns as the sheets)."""
from __future__ import annotations

from dxdesk.outputs.columns import for_reader
from dxdesk.outputs.roadmap import _entry
from dxdesk.outputs.systems import system_columns
from dxdesk.outputs.yoshiki1 import _items, _value
from dxdesk.years import short_wareki


def systems_pages(doc, data, reader: str) -> None:
    schedule = data.schedule
    if schedule is None or not schedule.systems:
        return
    totals = schedule.totals()
    doc.page("システムの費用対効果（様式②の一覧）",
             "単位: 千円。金額欄の文字（未定・無し など）は計画の記載のまま、合計は数値の欄だけ"
             f"（導入経費 {totals['intro']:,.0f}・運用経費（計画） {totals['planned_opex']:,.0f}・"
             f"今年度の運用経費 {totals['opex']:,.0f}）。")
    columns = [c for c in for_reader(system_columns(), reader) if c.printed]
    doc.table([c.label for c in columns], [[c.get(r) for c in columns] for r in schedule.systems],
              [c.width for c in columns], [c.kind for c in columns], 8, data.negative, max_lines=3)


def roadmap_pages(doc, data) -> None:
    schedule = data.schedule
    if schedule is None or not schedule.milestones:
        return
    years = schedule.years
    doc.page("ロードマップ", "各年度のマイルストーン（［ ］は報告された状況、「遅」は延期または期限を過ぎて未完了）。")
    rows = []
    for measure_id in dict.fromkeys(m.measure.measure_id for m in schedule.milestones):
        items = schedule.of_measure(measure_id)
        graded = items[0].measure.stage in ("1", "3・4")
        rows.append([measure_id, items[0].measure.name, items[0].section.name,
                     (schedule.grade(measure_id) or "") if graded else "—"]
                    + ["\n".join(_entry(m) for m in items if m.milestone.fy == fy) for fy in years])
    doc.table(["施策ID", "施策名", "担当課", "評価"] + [f"{short_wareki(fy)}({fy})" for fy in years], rows,
              [6, 18, 9, 4] + [16] * len(years), size=8, max_lines=5)


def yoshiki1_pages(doc, data) -> None:
    plan, schedule = data.plan, data.schedule
    years = schedule.years if schedule else []
    actual = {r.kpi.kpi_id: r.actual for r in data.records}
    for path, measures in _items(plan):
        texts = plan.items.get(path[-1], {})
        doc.page(f"様式①　{' ＞ '.join(path)}")
        for key in ("As-Is", "Gap", "To-Be"):
            doc.text(f"{key}: {texts.get(key) or '—'}", 9)
        systems = [s for s in plan.systems.values() if any(m.measure_id in s.measure_ids for m in measures)]
        doc.text("システム: " + ("、".join(f"{s.name}（{plan.sections[s.section_code].name}）" for s in systems)
                               or "—"), 9)
        doc.space()
        rows = []
        for measure in measures:
            roadmap = {fy: "\n".join(m.milestone.content for m in schedule.of_measure(measure.measure_id)
                                     if m.milestone.fy == fy) for fy in years} if schedule else {}
            for i, kpi in enumerate(plan.kpis_of_measure(measure.measure_id) or [None]):
                rows.append([measure.measure_id, measure.name, kpi.name if kpi else "（スケジュールで管理）",
                             _value(kpi.baseline, kpi.baseline_text, kpi.unit, kpi.baseline_fy) if kpi else "",
                             _value(kpi.target, kpi.target_text, kpi.unit, kpi.target_fy) if kpi else "",
                             actual.get(kpi.kpi_id) if kpi else None]
                            + [roadmap.get(fy, "") if i == 0 else "" for fy in years])
        doc.table(["施策ID", "取組", "KPI", "基準値", "目標値", f"実績（{short_wareki(data.round_.fy)}）"]
                  + [f"{short_wareki(fy)}({fy})" for fy in years], rows,
                  [6, 16, 18, 9, 9, 7] + [13] * len(years), ["text"] * 5 + ["number"] + ["text"] * len(years),
                  8, data.negative, max_lines=4)
