"""The form's schedule and system sheets: one 工程 sheet per measure with milestones (status, month done,
delay reason) and one 様式② card per system a section looks after (PLAN/DO, CHECK, ACT, this year's
running cost and use) — definitions and what goes into their rows."""
from __future__ import annotations

from dxdesk.forms.cached import stage_label
from dxdesk.forms.definition import FieldDef, SheetDef, plan_fields
from dxdesk.plan.milestones import MILESTONE_STATUSES
from dxdesk.plan.model import SCHEDULE_MANAGED_STAGES, STAGE_NAMES, Plan
from dxdesk.years import short_wareki

MILESTONE_CHECK = (
    '=TRIM(IF(AND(OR({stage}="1",{stage}="3・4"),{milestone_status}=""),"状況が未入力 ","")'
    '&IF(AND({milestone_status}="延期",{delay_reason}=""),"遅延理由が未入力 ","")'
    '&IF(AND({milestone_status}="完了",{done_month}=""),"実施月が未入力 ",""))'
)
COST_PER_USE = '=IF(AND(ISNUMBER({opex_actual}),ISNUMBER({usage})),IF({usage}>0,{opex_actual}/{usage},""),"")'

MILESTONE_SHEET = SheetDef(
    key="milestone", name="工程", row_key="milestone_id", repeat="measure_id", header_row=6,
    caption="施策 {measure_id} {measure_name}（段階{stage}）\n{how}", fields=(
        FieldDef("milestone_id", "key", width=14),
        *plan_fields(("measure_id", 8), ("stage", 10), ("milestone_content", 40), ("planned_fy", 8),
                     ("planned_period", 9), ("milestone_due", 10)),
        FieldDef("milestone_status", "input", "choice", width=9, choices=MILESTONE_STATUSES, prefilled=True,
                 help="未着手・実施中・完了・延期・中止 から選択（段階1・3・4 の施策は必須）"),
        FieldDef("done_month", "input", "date", width=10, number_format="yyyy/m",
                 help="完了・実施した月（例 2025/3、R7.3）"),
        FieldDef("delay_reason", "input", width=34, help="延期したとき、期限を過ぎて完了していないときは必須: 理由と今後の予定"),
        FieldDef("milestone_note", "input", width=20, help="補足があれば"),
        FieldDef("milestone_check", "formula", width=18, formula=MILESTONE_CHECK),
    ))

SYSTEM_SHEET = SheetDef(
    key="system", name="様式②", row_key="system_id", repeat="system_id", layout="card", header_row=4,
    caption="システムの費用対効果（{system_name}）", fields=(
        FieldDef("system_id", "key", width=60),
        *plan_fields("system_name", "system_section", "system_measures"),
        *plan_fields("system_summary", "system_config", group="PLAN/DO 内容"),
        *plan_fields("intro_year", "intro_cost", "planned_opex", "last_opex", group="PLAN/DO 経費"),
        FieldDef("opex_actual", "input", "number", number_format="#,##0", group="DO 今年度の実績",
                 help="今年度の運用経費（千円）。費用がなければ 0"),
        FieldDef("usage", "input", "number", number_format="#,##0", group="DO 今年度の実績",
                 help="今年度の利用件数など（単位は次の欄）"),
        FieldDef("usage_unit", "input", prefilled=True, group="DO 今年度の実績", help="件・人・時間 など"),
        FieldDef("opex_reason", "input", group="DO 今年度の実績",
                 help="運用経費が前年度・計画から大きく増減したときは、その理由"),
        FieldDef("cost_per_use", "formula", number_format="#,##0.000", group="DO 今年度の実績",
                 formula=COST_PER_USE),
        FieldDef("effect", "input", prefilled=True, group="CHECK", help="導入による効果（昨年度の記載を更新してください）"),
        FieldDef("issue", "input", prefilled=True, group="CHECK", help="運用上の課題"),
        FieldDef("action", "input", prefilled=True, group="ACT", help="利益を最大化するために今後何をすべきか"),
    ))


def milestone_rows(plan: Plan, section_code: str, fy: int) -> list[dict[str, object]]:
    """One row per milestone of each measure the section owns (the plan's roadmap, with its status)."""
    rows = []
    for measure in plan.measures_of_section(section_code):
        scheduled = measure.stage in SCHEDULE_MANAGED_STAGES
        how = ("スケジュールで管理する施策です。各マイルストーンの状況を選んでください（評価はこの状況から判定します）。"
               if scheduled else "ロードマップ（参考）です。状況の記入は任意です。")
        for m in plan.milestones_of(measure.measure_id):
            due = m.due
            rows.append({
                "milestone_id": m.milestone_id, "measure_id": measure.measure_id, "measure_name": measure.name,
                "stage": stage_label(measure.stage), "stage_name": STAGE_NAMES.get(measure.stage, ""), "how": how,
                "milestone_content": m.content, "planned_fy": short_wareki(m.fy) if m.fy else "時期未定",
                "planned_period": m.period, "milestone_due": f"{due.year}/{due.month}/{due.day}" if due else "",
                "milestone_status": m.status or None,
            })
    return rows


def system_rows(plan: Plan, section_code: str, fy: int) -> list[dict[str, object]]:
    """One card per system the section is 所管課 of."""
    rows = []
    for system in plan.systems_of_section(section_code):
        last = system.opex_for(fy - 1)
        usage = plan.kpis.get(system.usage_kpi)
        rows.append({
            "system_id": system.system_id, "system_name": system.name,
            "system_section": plan.sections[system.section_code].name if system.section_code in plan.sections else "",
            "system_measures": "、".join(f"{m} {plan.measures[m].name}" for m in system.measure_ids if m in plan.measures),
            "system_summary": system.summary, "system_config": system.configuration,
            "intro_year": system.intro_text or (short_wareki(system.intro_fy) if system.intro_fy else ""),
            "intro_cost": system.intro_cost.shown,
            "planned_opex": "、".join(c.shown + (f"（{short_wareki(c.fy)}）" if c.fy else "") for c in system.opex),
            "last_opex": last.shown if last and last.fy == fy - 1 else "",
            "usage_unit": usage.unit if usage else "件",
            "effect": system.effect or None, "issue": system.issue or None, "action": system.action or None,
        })
    return rows
