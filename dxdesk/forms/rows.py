"""What goes into each row of a section's form: plan values by field key, for one fiscal year."""
from __future__ import annotations

from dxdesk.forms.cached import stage_label
from dxdesk.forms.definition import BUDGET_LINES, BUDGET_TOTAL
from dxdesk.forms.schedule import milestone_rows, system_rows
from dxdesk.plan.model import Plan
from dxdesk.years import short_wareki


def _number_or_text(value: float | None, text: str) -> object:
    return value if value is not None else (text or None)


def parent_name(plan: Plan, measure) -> str:
    """The KPI's parent as a form row shows it: 「【課題】名前」 when the plan hangs KPIs on several levels."""
    if not any(m.level for m in plan.measures.values()):
        return measure.name
    return f"【{plan.level_of(measure)}】{measure.name}"


def _kpi_row(plan: Plan, kpi, fy: int) -> dict[str, object]:
    """A KPI's row as the plan gives it: its measure, names, reference values and last year's actual."""
    measure = plan.measures[kpi.measure_id]
    last = plan.actual(kpi.kpi_id, fy - 1)
    return {
        "kpi_id": kpi.kpi_id, "measure_id": measure.measure_id, "measure_name": parent_name(plan, measure),
        "stage": stage_label(measure.stage), "kpi_name": kpi.name, "kpi_kind": kpi.kind, "unit": kpi.unit,
        "direction": kpi.direction, "baseline": _number_or_text(kpi.baseline, kpi.baseline_text),
        "target": _number_or_text(kpi.target, kpi.target_text), "comparator": kpi.comparator,
        "target_fy": short_wareki(kpi.target_fy) if kpi.target_fy else "",
        "year_target": plan.year_target(kpi.kpi_id, fy),
        "last_actual": last.value if last else None, "schedule_mark": plan.schedule_text(kpi.kpi_id, fy),
    }


def progress_rows(plan: Plan, section_code: str, fy: int) -> list[dict[str, object]]:
    """One row per KPI the section reports, pre-filled with the plan and last year's actual."""
    rows = []
    for kpi in plan.kpis_of_section(section_code):
        rows.append(_kpi_row(plan, kpi, fy))
        if kpi.relisted_of in plan.kpis:  # 再掲: entered once, at home; shown here read-only
            home = plan.kpis[kpi.relisted_of]
            owner = plan.measures[home.measure_id].owner
            where = "この様式" if owner == section_code else f"{plan.sections[owner].name}（{owner}）の様式"
            rows[-1].update({"_home": home.kpi_id,
                             "result": f"再掲: {where}の {home.kpi_id}「{home.name}」で入力します（ここでは入力不要）"})
    for kpi in plan.co_owned_kpis(section_code):  # 共同担当: the 主担当 enters the values; shown here
        measure = plan.measures[kpi.measure_id]
        owner = plan.sections[measure.owner]
        shares = measure.co_input == "分担"
        rows.append(_kpi_row(plan, kpi, fy) | {
            "_home": kpi.kpi_id, "_share": shares,
            "result": None if shares else f"共同担当: 主担当の{owner.name}（{owner.code}）が実績・評価を入力します（参照用）",
        })
    return rows


def budget_rows(plan: Plan, section_code: str, fy: int) -> list[dict[str, object]]:
    """Per measure the section owns: its 科目 rows, the 事業費計 (pre-filled with this year's budget from
    the plan when there is one) and its 財源 rows."""
    rows = []
    for measure in plan.measures_of_section(section_code):
        budget = plan.budget(measure.measure_id, fy)
        if budget and plan.shared_budget_holder(measure.measure_id, fy) not in (None, measure.measure_id):
            budget = None  # a shared budget is entered once, under the first of its measures
        for kind, item in BUDGET_LINES:
            rows.append({"measure_id": measure.measure_id, "measure_name": measure.name, "budget_class": kind,
                         "budget_item": item,
                         "budget": budget.budget if budget and item == BUDGET_TOTAL else None})
    return rows


ROW_SOURCES = {"progress": progress_rows, "budget": budget_rows, "milestone": milestone_rows, "system": system_rows}
