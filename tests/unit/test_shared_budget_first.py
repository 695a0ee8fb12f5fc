"""A shared budget (共有予算ID) is pre-filled once and counted once, under the same measure — the first of its
measures in the plan's own order (施策 sheet), whatever order the 予算 rows and the IDs are in (issue 8 item 22)."""
from dxdesk.forms.definition import BUDGET_TOTAL
from dxdesk.forms.rows import budget_rows
from dxdesk.plan.model import Budget, Measure, Plan, Section


def plan_with_shared_budget() -> Plan:
    plan = Plan(sections={"S01": Section("S01", "DX推進課")})
    for mid in ("M9", "M10", "M2"):  # the plan's order; IDs neither sorted as text nor as numbers
        plan.measures[mid] = Measure(mid, f"施策{mid}", ("柱",), ("S01",), "2")
    plan.budgets = [Budget("M2", 2024, 500, None, "共有1"), Budget("M10", 2024, 500, None, "共有1"),
                    Budget("M9", 2024, 500, None, "共有1")]
    return plan


def test_shared_budget_is_pre_filled_once_under_the_first_measure_of_the_plan():
    plan = plan_with_shared_budget()
    filled = [r["measure_id"] for r in budget_rows(plan, "S01", 2024) if r["budget_item"] == BUDGET_TOTAL
              and r["budget"]]
    assert filled == ["M9"] == [plan.shared_budget_holder("M2", 2024)]
