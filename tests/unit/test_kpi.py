"""Grades by DOMAIN §4: A achieved, B better than baseline, C equal, D worse — direction- and floor-aware."""
import pytest
from hypothesis import given, strategies as st

from dxdesk.plan.model import Kpi
from dxdesk.rules.kpi import achievement_ratio, judge, judge_kpi, progress_ratio


def kpi(baseline, target, direction="増加", comparator="", target_fy=2027):
    return Kpi("K1", "M1", "指標", "アウトカム", "件", direction, "単年度", baseline=baseline, target=target,
               target_fy=target_fy, comparator=comparator)


@pytest.mark.parametrize("baseline, target, actual, grade", [
    (100, 200, 200, "A"), (100, 200, 250, "A"), (100, 200, 150, "B"), (100, 200, 100, "C"), (100, 200, 90, "D"),
])
def test_higher_is_better(baseline, target, actual, grade):
    assert judge_kpi(kpi(baseline, target), actual, 2023).grade == grade


@pytest.mark.parametrize("baseline, target, actual, grade", [
    (100, 30, 30, "A"), (100, 30, 20, "A"), (100, 30, 81.7, "B"), (100, 30, 100, "C"), (100, 30, 120, "D"),
])
def test_lower_is_better_is_inverted(baseline, target, actual, grade):
    """Sasebo ペーパーレス度: 100% → 30%, 81.7% in R5 is progress (B)."""
    assert judge_kpi(kpi(baseline, target, "減少"), actual, 2023).grade == grade


def test_floor_below_the_baseline_is_achieved_above_the_floor():
    """Shizuoka: "80.0%以上" with baseline 98.2%: 95% meets the floor."""
    assert judge_kpi(kpi(98.2, 80.0, comparator="以上"), 95.0, 2024).grade == "A"
    assert judge_kpi(kpi(98.2, 80.0, comparator="以上"), 75.0, 2024).grade == "D"


def test_ceiling():
    assert judge_kpi(kpi(15.0, 10.0, "減少", comparator="以下"), 9.5, 2024).grade == "A"


def test_maintenance_target_never_divides_by_zero():
    judged = judge_kpi(kpi(60, 60), 60, 2024)
    assert (judged.grade, judged.progress, judged.achievement) == ("A", None, 1.0)
    assert judge_kpi(kpi(60, 60), 55, 2024).grade == "D"


def test_interim_target_is_used_and_said():
    judged = judge_kpi(kpi(10, 100), 40, 2023, year_target=40)
    assert (judged.grade, judged.basis) == ("A", "令和5年度目標")
    end = judge_kpi(kpi(10, 100), 40, 2023)
    assert (end.grade, end.basis) == ("B", "最終目標（令和9年度）")


def test_no_baseline_decides_only_a():
    assert judge_kpi(kpi(None, 8), 9, 2023).grade == "A"
    assert judge_kpi(kpi(None, 8), 5, 2023).grade is None


def test_qualitative_target_is_not_graded_by_numbers():
    assert judge_kpi(kpi(None, None), 5, 2023).grade is None


def test_two_tracks_by_stage():
    k = kpi(100, 200)
    assert judge("2", k, 150, 2023, None).grade == "B"
    assert judge("1", k, 150, 2023, None, schedule="遅れ").grade == "C"
    assert judge("3・4", k, None, 2023, None, schedule="完了").grade == "A"
    assert judge("3", k, 150, 2023, None).grade == "対象外"
    assert judge("5", k, None, 2023, None).grade == "対象外"


RANK = {"D": 0, "C": 1, "B": 2, "A": 3}
values = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, allow_infinity=False)


@given(values, values, values, values)
def test_grade_is_monotonic_in_the_actual(baseline, target, a1, a2):
    low, high = sorted((a1, a2))
    g_low, g_high = judge_kpi(kpi(baseline, target), low, 2023).grade, judge_kpi(kpi(baseline, target), high, 2023).grade
    assert RANK[g_low] <= RANK[g_high]


@given(values, values, values)
def test_direction_inversion_is_symmetric(baseline, target, actual):
    up = judge_kpi(kpi(baseline, target), actual, 2023)
    down = judge_kpi(kpi(-baseline, -target, "減少"), -actual, 2023)
    assert up.grade == down.grade


@given(values, values, values)
def test_never_divides_by_zero(baseline, target, actual):
    achievement_ratio(kpi(baseline, target), actual, target)
    achievement_ratio(kpi(baseline, target, "減少"), actual, target)
    progress_ratio(kpi(baseline, target), actual, target)
    judge_kpi(kpi(baseline, target), actual, 2023)


@pytest.mark.parametrize("typed, status, mark", [
    ("完了", "完了", ""), ("予定どおり", "予定どおり", ""), ("○", "予定どおり", "○"), ("〇", "予定どおり", "○"),
    ("◯", "予定どおり", "○"), ("○：予定どおり", "予定どおり", "○"), ("○ 予定通り", "予定どおり", "○"),
    ("△", "遅れ", "△"), ("▲", "遅れ", "△"), ("△：遅れている", "遅れ", "△"), ("△・遅れ", "遅れ", "△"),
    ("遅れている", "遅れ", ""), ("計画どおり", "予定どおり", ""), (" 遅れ ", "遅れ", ""),
    ("○遅れ", None, "○"), ("△：予定どおり", None, "△"), ("×", None, ""), ("", None, ""), ("○△", None, "○"),
])
def test_progress_as_the_city_writes_it(typed, status, mark):
    """Sasebo's challenge marks: ○ 予定どおり, △ 遅れている (DOMAIN §2); a mark with the other status is not read."""
    from dxdesk.rules.kpi import city_mark, schedule_status
    assert schedule_status(typed) == status
    assert city_mark(typed) == mark


def test_a_judgement_is_immutable():
    import dataclasses

    from dxdesk.rules.kpi import Judgement
    judgement = Judgement("A", 1.0, None, 10, "最終目標")
    with pytest.raises(dataclasses.FrozenInstanceError):
        judgement.grade = "B"
