"""System cost-effectiveness in the outputs: the systems table (costs, cost per use, year on year, totals of
the numeric values only) and one 様式② sheet per system, as Shizuoka lays it out."""
from __future__ import annotations

from dxdesk.labels import LABELS as L
from dxdesk.outputs.columns import AUDIT, HQ, OFFICE, Column, for_reader
from dxdesk.outputs.xlsx_out import FONT, list_table, row_height, sheet_name, write_value
from dxdesk.plan.systems import Cost
from dxdesk.years import short_wareki

HEADER_ROW = 3
INTERNAL = frozenset({OFFICE, HQ, AUDIT})


def _cost(cost: Cost | None):
    """A number where the plan has one, else its words (未定・無し …) as they are."""
    if cost is None:
        return None
    return cost.value if cost.numeric else cost.shown


def system_columns() -> list[Column]:
    return [
        Column("system_id", L["system_id"], 7, get=lambda s: s.system.system_id),
        Column("system_name", L["system_name"], 22, get=lambda s: s.system.name),
        Column("section", L["system_section"], 12, get=lambda s: s.section.name),
        Column("measures", L["system_measures"], 12, get=lambda s: "、".join(s.system.measure_ids)),
        Column("intro_year", L["intro_year"], 12, get=lambda s: s.system.intro_text),
        Column("intro_cost", L["intro_cost"], 11, "thousand_yen", lambda s: _cost(s.system.intro_cost)),
        Column("planned_opex", "運用経費（計画・最新）", 11, "thousand_yen", lambda s: _cost(s.system.planned_opex)),
        Column("opex", L["opex_actual"], 11, "thousand_yen", lambda s: s.opex),
        Column("previous", L["last_opex"], 11, "thousand_yen", lambda s: s.previous),
        Column("change", L["opex_change"], 8, "percent", lambda s: s.change),
        Column("usage", L["usage"], 10, "integer", lambda s: s.usage),
        Column("unit", "単位", 5, get=lambda s: s.usage_unit if s.usage is not None else ""),
        Column("cost_per_use", L["cost_per_use"], 10, "number", lambda s: round(s.cost_per_use, 3)
               if s.cost_per_use is not None else None),
        Column("reason", L["opex_reason"], 24, get=lambda s: s.reason, readers=INTERNAL),
        Column("source", "出典", 14, get=lambda s: s.source, readers=frozenset({OFFICE, AUDIT}), printed=False),
    ]


def systems_sheet(wb, styles, data, reader: str) -> None:
    """システム一覧: each system once (even when listed under several measures), totals of numbers only."""
    schedule = getattr(data, "schedule", None)
    if schedule is None or not schedule.systems:
        return
    ws = wb.add_worksheet("システム一覧")
    counts, totals = schedule.counts(), schedule.totals()
    ws.write_string(0, 0, f"{data.title} システムの費用対効果", styles.title)
    ws.write_string(1, 0, f"データ作成日時: {data.generated_at}　単位: 千円。再掲のシステムは1回だけ数えます。"
                          "金額欄の文字（未定・無し・シナリオにより異なる など）は数値にせずそのまま表示し、合計に含めていません"
                          f"（導入経費: 数値 {counts['intro_numeric']} 件・文字 {counts['intro_status']} 件、"
                          f"運用経費（計画）: 数値 {counts['opex_numeric']} 件・文字 {counts['opex_status']} 件）。"
                          "1件あたり運用経費 = 今年度の運用経費 ÷ 利用実績。", styles.note)
    columns = for_reader(system_columns(), reader)
    last = list_table(ws, styles, HEADER_ROW, columns, schedule.systems, "システム一覧", data.title)
    at = {c.key: i for i, c in enumerate(columns)}
    r = last + 1
    ws.write_string(r, 0, "合計（数値のみ）", styles.bold)
    for key, total in (("intro_cost", totals["intro"]), ("planned_opex", totals["planned_opex"]),
                       ("opex", totals["opex"]), ("previous", totals["previous"])):
        if key in at:
            write_value(ws, r, at[key], total, styles.of("thousand_yen", True))
    ws.print_area(0, 0, r, len([c for c in columns if c.printed]) - 1)


def _card_rows(record, fy: int) -> list[tuple[str, str, object]]:
    s = record.system
    cost_per_use = round(record.cost_per_use, 3) if record.cost_per_use is not None else None
    return [
        ("", L["system_id"], s.system_id), ("", L["system_name"], s.name), ("", L["system_section"], record.section.name),
        ("", L["system_measures"], "、".join(s.measure_ids)),
        ("PLAN/DO 内容", L["system_summary"], s.summary), ("PLAN/DO 内容", L["system_config"], s.configuration),
        ("PLAN/DO 経費", L["intro_year"], s.intro_text), ("PLAN/DO 経費", L["intro_cost"], _cost(s.intro_cost)),
        ("PLAN/DO 経費", L["planned_opex"], s.opex_shown),
        (f"DO {short_wareki(fy)}", L["opex_actual"], record.opex),
        (f"DO {short_wareki(fy)}", L["last_opex"], record.previous),
        (f"DO {short_wareki(fy)}", L["usage"], f"{record.usage:,.0f} {record.usage_unit}" if record.usage is not None else ""),
        (f"DO {short_wareki(fy)}", L["cost_per_use"], cost_per_use),
        (f"DO {short_wareki(fy)}", L["opex_reason"], record.reason),
        ("CHECK", L["effect"], record.effect), ("CHECK", L["issue"], record.issue),
        ("ACT", L["action"], record.action),
    ]


def system_card_sheets(wb, styles, data, reader: str) -> None:
    """様式② per system: PLAN/DO (内容・経費, this year's cost and use), CHECK (効果・課題), ACT."""
    schedule = getattr(data, "schedule", None)
    if schedule is None:
        return
    money = wb.add_format({"font_name": FONT, "font_size": 9, "border": 1, "valign": "top", "num_format": "#,##0",
                           "align": "left"})
    for record in schedule.systems:
        ws = wb.add_worksheet(sheet_name(f"様式②_{record.system.system_id}"))
        ws.set_column(0, 0, 11)
        ws.set_column(1, 1, 22)
        ws.set_column(2, 2, 56)
        ws.write_string(0, 0, f"様式② システムの費用対効果　{record.system.name}", styles.title)
        ws.write_string(1, 0, f"{data.title}　単位: 千円。文字の金額（未定・無し など）は計画の記載のまま。", styles.note)
        rows = _card_rows(record, data.round_.fy)
        groups: dict[str, list[int]] = {}
        for i, (group, label, value) in enumerate(rows, start=HEADER_ROW):
            groups.setdefault(group, []).append(i)
            ws.write_string(i, 1, label, styles.header)
            write_value(ws, i, 2, value, money if isinstance(value, (int, float)) else styles.text)
            ws.set_row(i, max(15, row_height([str(value or "")], [56], max_lines=12)))
        for group, rs in groups.items():
            if len(rs) > 1:
                ws.merge_range(rs[0], 0, rs[-1], 0, group, styles.header)
            else:
                ws.write_string(rs[0], 0, group, styles.header)
        ws.set_portrait()
        ws.set_paper(9)
        ws.fit_to_pages(1, 0)
        ws.set_margins(left=0.5, right=0.5, top=0.6, bottom=0.6)
        ws.print_area(0, 0, HEADER_ROW + len(rows), 2)
