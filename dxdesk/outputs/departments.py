"""部局別 (by department), in the layout of the HQ meeting tables (Koriyama): one row per department and one
for the whole city; for each figure 今回 / 前回 / 増減, with the definitions printed under the table."""
from __future__ import annotations

from dataclasses import dataclass

from dxdesk.outputs.dataset import BudgetRecord, KpiRecord
from dxdesk.outputs.previous import PreviousYear
from dxdesk.plan.model import KPI_MANAGED_STAGES, Plan
from dxdesk.rules.scales import scale

CITY = "全体"


@dataclass(frozen=True)
class Metric:
    key: str
    label: str
    kind: str        # integer / percent (its difference is then in points)
    definition: str


def metrics(scale_key: str) -> list[Metric]:
    shown = scale(scale_key).shown
    grades = [Metric(f"grade_{g}", f"評価{shown[g]}", "integer",
                     f"評価{shown[g]}: 算定評価が{shown[g]}の指標の数（再掲は1回だけ）。") for g in "ABCD"]
    return [Metric("returned", "提出課数", "integer", "提出課数: 照会に回答した課所室の数（前回: 前年度の照会。"
                   "照会がなければ計画マスタに実績のある課の数）。")] + grades + [
        Metric("on_target", "目標達成指標数", "integer",
               "目標達成指標数: 指標で評価する施策（段階2・4）のうち、実績が判定基準の目標値に達した指標の数。"),
        Metric("execution", "予算執行率", "percent",
               "予算執行率: 決算額の合計 ÷ 予算額の合計（決算額のある施策。共有予算は1回だけ）。増減はポイント。"),
    ]


@dataclass(frozen=True)
class DeptRow:
    dept: str
    current: dict[str, float | None]
    previous: dict[str, float | None]

    def difference(self, key: str) -> float | None:
        a, b = self.current.get(key), self.previous.get(key)
        return None if a is None or b is None else a - b


def _figures(plan: Plan, depts: list[str], records: list[KpiRecord], budgets: list[BudgetRecord],
             returned: dict[str, bool] | None) -> dict[str, dict[str, float | None]]:
    out = {d: {"returned": 0 if returned is not None else None, "grade_A": 0, "grade_B": 0, "grade_C": 0,
               "grade_D": 0, "on_target": 0} for d in depts + [CITY]}
    money = {d: [0.0, 0.0, False] for d in depts + [CITY]}
    dept_of = {code: s.dept or "（部局なし）" for code, s in plan.sections.items()}
    for code, done in (returned or {}).items():
        for d in (dept_of.get(code, ""), CITY):
            if done and d in out:
                out[d]["returned"] += 1
    for r in records:
        if r.relisted:
            continue
        for d in (dept_of[r.section.code], CITY):
            if r.judgement.grade in ("A", "B", "C", "D"):
                out[d][f"grade_{r.judgement.grade}"] += 1
            if r.judgement.grade == "A" and r.measure.stage in KPI_MANAGED_STAGES:
                out[d]["on_target"] += 1
    for b in budgets:
        if not b.counted or not b.budget or b.settlement is None:
            continue
        for d in (dept_of[b.section.code], CITY):
            money[d][0] += b.budget
            money[d][1] += b.settlement
            money[d][2] = True
    for d, (budget, settlement, known) in money.items():
        out[d]["execution"] = settlement / budget if known and budget else None
    return out


def department_rows(plan: Plan, records: list[KpiRecord], budgets: list[BudgetRecord],
                    returned: dict[str, bool], previous: PreviousYear) -> list[DeptRow]:
    """Departments in plan order, then the whole city."""
    depts = list(dict.fromkeys(plan.sections[s.code].dept or "（部局なし）" for s in plan.reporting_sections()))
    now = _figures(plan, depts, records, budgets, returned)
    prev_returned = previous.returned
    if prev_returned is None and previous.records:
        prev_returned = {r.section.code: True for r in previous.records if r.actual is not None}
    before = _figures(plan, depts, previous.records, previous.budgets, prev_returned) if previous.source != "なし" \
        else {d: {} for d in depts + [CITY]}
    return [DeptRow(d, now[d], before.get(d, {})) for d in depts + [CITY]]
