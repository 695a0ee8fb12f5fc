"""The results the form's formulas have before anyone types: written as the formulas' cached values.

A workbook written by XlsxWriter carries no computed results; Excel recalculates on opening, but Protected View,
LibreOffice (by default) and every reader (calamine, pandas) show the cached value — 0 unless one is written.
These functions give, for a row's values as distributed (plan values and pre-filled inputs), what each live
formula of forms/definition.py and forms/schedule.py evaluates to, so the untouched form reads right
everywhere (tests/test_form_cached_values.py compares them with LibreOffice's own recalculation).
"""
from __future__ import annotations

from dxdesk.plan.model import STAGE_NAMES
from dxdesk.rules.kpi import SCHEDULE_GRADES
from dxdesk.rules.scales import Scale


def stage_label(code: object) -> str:
    """What the 段階 cell shows: 2（拡大期）. The formulas read the code before 「（」."""
    code = str(code or "")
    return f"{code}（{STAGE_NAMES[code]}）" if code in STAGE_NAMES else code


def stage_code(value: object) -> str:
    """The stage code of a 段階 cell: 2（拡大期） → 2."""
    return str(value or "").split("（")[0]


def stage_code_expression(cell: str) -> str:
    """The formula expression that reads the stage code back out of a 段階 cell showing 2（拡大期）."""
    return f'LEFT({cell},FIND("（",{cell}&"（")-1)'


def _num(value) -> float | None:
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def _target(v: dict) -> float | None:
    return _num(v.get("year_target")) if _num(v.get("year_target")) is not None else _num(v.get("target"))


def _lower(v: dict) -> bool:
    comparator = v.get("comparator") or ""
    return comparator == "以下" or (comparator != "以上" and v.get("direction") == "減少")


def achievement(v: dict, scale: Scale | None = None):
    actual, target = _num(v.get("actual")), _target(v)
    if actual is None or target is None:
        return ""
    if _lower(v):
        return "" if actual == 0 else target / actual
    return "" if target == 0 else actual / target


def grade_ad(v: dict) -> str:
    stage = stage_code(v.get("stage"))
    if stage in ("3", "5"):
        return "対象外"
    if stage in ("1", "3・4"):
        return SCHEDULE_GRADES.get(v.get("schedule") or "", "")
    actual, target, baseline = _num(v.get("actual")), _target(v), _num(v.get("baseline"))
    if actual is None or target is None:
        return ""
    if (actual <= target) if _lower(v) else (actual >= target):
        return "A"
    if baseline is None:
        return ""
    if actual == baseline:
        return "C"
    return "B" if (-1 if _lower(v) else 1) * (actual - baseline) > 0 else "D"


def computed_grade(v: dict, scale: Scale) -> str:
    grade = grade_ad(v)
    return scale.shown.get(grade, grade) if grade in ("A", "B", "C", "D") else grade


def self_check(v: dict, scale: Scale) -> str:
    stage = stage_code(v.get("stage"))
    actual, grade, schedule = v.get("actual"), v.get("self_grade") or "", v.get("schedule") or ""
    blank = actual in (None, "")
    parts = []
    if stage in ("2", "4") and blank and grade != "評価未実施":
        parts.append("実績値が未入力")
    if not blank and _num(actual) is None:
        parts.append("実績値が数値でない")
    if stage in ("1", "3・4") and not schedule:
        parts.append("進捗状況が未入力")
    if stage not in ("3", "5") and not grade:
        parts.append("自己評価が未入力")
    computed = computed_grade(v, scale)
    if (grade and computed and computed != "対象外" and grade not in scale.special
            and grade not in scale.accepts.get(computed, (computed,))):
        parts.append("自己評価と算定評価が異なる")
    if grade in scale.bad and not v.get("cause"):
        parts.append("未達理由が未入力")
    return " ".join(parts)


def execution_rate(v: dict, scale: Scale | None = None):
    budget, settlement = _num(v.get("budget")), _num(v.get("settlement"))
    return "" if budget in (None, 0) or settlement is None else settlement / budget


def budget_check(v: dict, scale: Scale | None = None) -> str:
    """事業費計 = the sum of its 科目 = the sum of its 財源, for the budget and the settlement."""
    if v.get("budget_item") != "事業費計":
        return ""
    sums = v.get("group_sums", {})
    parts = []
    for key, what in (("budget", "予算額"), ("settlement", "決算額")):  # in the formula's order
        total = _num(v.get(key)) or 0.0
        for group, name in (("subjects", "科目"), ("sources", "財源")):
            if round(sums.get(f"{group}_{key}", 0.0) - total, 3) != 0:
                parts.append(f"{name}の合計が{what}と違う")
    return " ".join(parts)


def milestone_check(v: dict, scale: Scale | None = None) -> str:
    stage, status = stage_code(v.get("stage")), v.get("milestone_status") or ""
    parts = []
    if stage in ("1", "3・4") and not status:
        parts.append("状況が未入力")
    if status == "延期" and not v.get("delay_reason"):
        parts.append("遅延理由が未入力")
    if status == "完了" and not v.get("done_month"):
        parts.append("実施月が未入力")
    return " ".join(parts)


def cost_per_use(v: dict, scale: Scale | None = None):
    opex, usage = _num(v.get("opex_actual")), _num(v.get("usage"))
    return "" if opex is None or usage is None or usage <= 0 else opex / usage


CACHED = {"achievement": achievement, "computed_grade": computed_grade, "self_check": self_check,
          "execution_rate": execution_rate, "milestone_check": milestone_check, "cost_per_use": cost_per_use,
          "budget_check": budget_check}


def group_refs(rows: list[dict], first_row: int, columns: dict[str, int], cell) -> list[tuple[dict, dict]]:
    """For the 予算・決算 sheet: per row, the cell ranges of its measure's 科目 and 財源 rows (for the formula) and
    their sums (for the cached value); ({}, {}) on other sheets."""
    if "budget_class" not in columns:
        return [({}, {})] * len(rows)
    where: dict[tuple[str, str], list[int]] = {}
    for i, row in enumerate(rows):
        where.setdefault((row.get("measure_id"), row.get("budget_class")), []).append(i)
    result = []
    for row in rows:
        refs, sums = {}, {}
        for cls, group in (("科目", "subjects"), ("財源", "sources")):
            indices = where.get((row.get("measure_id"), cls), [])
            for key in ("budget", "settlement"):
                refs[f"{group}_{key}"] = (f"{cell(first_row + indices[0], columns[key])}:"
                                          f"{cell(first_row + indices[-1], columns[key])}") if indices else "0"
                sums[f"{group}_{key}"] = sum(_num(rows[i].get(key)) or 0.0 for i in indices)
        result.append((refs, sums))
    return result


def cached_value(key: str, values: dict, scale: Scale):
    """The value the formula field `key` shows for a row's values (computed fields filled in order)."""
    function = CACHED.get(key)
    return function(values, scale) if function else ""
