"""What changed between two editions of the plan (策定 → 改定): measures and KPIs added, removed or renamed,
targets, target years, owner sections, stages, levels (階層), 工程 marks and budgets — as plain data for the CLI
and the window."""
from __future__ import annotations

from dataclasses import dataclass, field

from dxdesk.normalize import format_number
from dxdesk.plan.model import Plan


@dataclass(frozen=True)
class Change:
    kind: str      # 施策 / 指標 / 予算
    change: str    # 追加 / 削除 / 名称変更 / 目標値 / 目標年度 / 担当課 / 段階 / 階層 / 基準値 / 2025年度工程 / 予算額 …
    item_id: str
    name: str
    before: str = ""
    after: str = ""


@dataclass
class PlanDiff:
    before: str    # edition labels, e.g. 「第1版 R7.3 策定」
    after: str
    changes: list[Change] = field(default_factory=list)

    def of(self, kind: str, change: str | None = None) -> list[Change]:
        return [c for c in self.changes if c.kind == kind and (change is None or c.change == change)]

    def lines(self) -> list[str]:
        if not self.changes:
            return [f"{self.before} と {self.after} に違いはありません。"]
        out = [f"{self.before} → {self.after}: 変更 {len(self.changes)} 件"]
        for c in self.changes:
            detail = f"「{c.before}」→「{c.after}」" if c.before or c.after else ""
            out.append(f"  {c.kind} {c.item_id} {c.name}: {c.change} {detail}".rstrip())
        return out


def _value(number: float | None, text: str) -> str:
    return format_number(number, 3) if number is not None else (text or "")


def _year(fy: int | None) -> str:
    return f"{fy}年度" if fy else ""


def _budget_total(plan: Plan, measure_id: str) -> dict[int, float | None]:
    return {b.fy: b.budget for b in plan.budgets if b.measure_id == measure_id}


def plan_diff(old: Plan, new: Plan, before: str = "旧版", after: str = "新版") -> PlanDiff:
    """Compare two plans item by item (by 施策ID and 指標ID; same id and another name is a rename)."""
    diff = PlanDiff(before, after)
    add = diff.changes.append
    for mid in [m for m in new.measures if m not in old.measures]:
        add(Change("施策", "追加", mid, new.measures[mid].name))
    for mid in [m for m in old.measures if m not in new.measures]:
        add(Change("施策", "削除", mid, old.measures[mid].name))
    for mid in [m for m in new.measures if m in old.measures]:
        a, b = old.measures[mid], new.measures[mid]
        for change, x, y in (("名称変更", a.name, b.name),
                             ("担当課", "・".join(a.section_codes), "・".join(b.section_codes)),
                             ("段階", a.stage, b.stage)):
            if x != y:
                add(Change("施策", change, mid, b.name, x, y))
        if a.level != b.level:  # 課題 → プロジェクト …; the leaf's name alone changing (施策の階層名) is no row's move
            add(Change("施策", "階層", mid, b.name, old.level_of(a), new.level_of(b)))
        before_budget, after_budget = _budget_total(old, mid), _budget_total(new, mid)
        for fy in sorted(set(before_budget) | set(after_budget)):
            x, y = before_budget.get(fy), after_budget.get(fy)
            if x != y:
                add(Change("予算", f"{fy}年度 予算額", mid, b.name, format_number(x) if x is not None else "",
                           format_number(y) if y is not None else ""))
    for kid in [k for k in new.kpis if k not in old.kpis]:
        add(Change("指標", "追加", kid, new.kpis[kid].name))
    for kid in [k for k in old.kpis if k not in new.kpis]:
        add(Change("指標", "削除", kid, old.kpis[kid].name))
    for kid in [k for k in new.kpis if k in old.kpis]:
        a, b = old.kpis[kid], new.kpis[kid]
        for change, x, y in (("名称変更", a.name, b.name), ("単位", a.unit, b.unit), ("方向", a.direction, b.direction),
                             ("基準値", _value(a.baseline, a.baseline_text), _value(b.baseline, b.baseline_text)),
                             ("目標値", _value(a.target, a.target_text) + a.comparator,
                              _value(b.target, b.target_text) + b.comparator),
                             ("目標年度", _year(a.target_fy), _year(b.target_fy)),
                             ("施策", a.measure_id, b.measure_id)):
            if x != y:
                add(Change("指標", change, kid, b.name, x, y))
        years = sorted({fy for (k, fy) in list(old.year_targets) + list(new.year_targets) if k == kid})
        for fy in years:
            x, y = old.year_targets.get((kid, fy)), new.year_targets.get((kid, fy))
            if x != y:
                add(Change("指標", f"{fy}年度目標", kid, b.name, format_number(x, 3) if x is not None else "",
                           format_number(y, 3) if y is not None else ""))
        for fy in sorted({fy for (k, fy) in list(old.marks) + list(new.marks) if k == kid}):
            if old.mark(kid, fy) != new.mark(kid, fy):  # 工程 ○ ⇒ …: a year started, continued or only prepared
                add(Change("指標", f"{fy}年度工程", kid, b.name, old.mark(kid, fy), new.mark(kid, fy)))
    return diff
