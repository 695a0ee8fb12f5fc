"""達成率 and 進捗率 beside each grade, asserted against values worked out by hand from DOMAIN §4:
達成率 = 実績 ÷ 目標 (減少: 目標 ÷ 実績); 進捗率 = (実績 − 基準) ÷ (目標 − 基準), shown only when the target lies
on the better side of the baseline. Each row says where its figures come from."""
import pytest
from hypothesis import given, strategies as st

from dxdesk.plan.model import Kpi
from dxdesk.rules.kpi import achievement_ratio, judge, judge_kpi, progress_ratio


def kpi(baseline, target, direction="増加", comparator="", basis="単年度", unit="件", target_fy=2027):
    return Kpi("K1", "M1", "指標", "アウトカム", unit, direction, basis, baseline=baseline, target=target,
               target_fy=target_fy, comparator=comparator)


# (case, kpi, actual, this year's target, expected grade, 達成率, 進捗率) — every figure worked by hand
CASES = [
    # higher is better: 100 → 200
    ("up, achieved", kpi(100, 200), 250, None, "A", 250 / 200, (250 - 100) / (200 - 100)),      # 1.25, 1.5
    ("up, exactly the target", kpi(100, 200), 200, None, "A", 1.0, 1.0),
    ("up, halfway", kpi(100, 200), 150, None, "B", 0.75, 0.5),
    ("up, unchanged", kpi(100, 200), 100, None, "C", 0.5, 0.0),
    ("up, fell", kpi(100, 200), 90, None, "D", 0.45, -0.1),
    # lower is better (Sasebo ペーパーレス度 100% → 30%): 達成率 inverted
    ("down, R5 81.7%", kpi(100, 30, "減少", unit="%"), 81.7, None, "B", 30 / 81.7, 18.3 / 70),   # 0.3672, 0.2614
    ("down, beyond the target", kpi(100, 30, "減少", unit="%"), 20, None, "A", 1.5, 80 / 70),
    ("down, rose", kpi(100, 30, "減少", unit="%"), 120, None, "D", 0.25, -20 / 70),
    # a floor below the baseline (Shizuoka K30: 98.2% → 80.0%以上): no 進捗率, the floor decides
    ("floor met", kpi(98.2, 80.0, comparator="以上", unit="%"), 95.0, None, "A", 95 / 80, None),  # 1.1875
    ("floor met, +0.5 point", kpi(98.2, 80.0, comparator="以上", unit="%"), 98.7, None, "A", 98.7 / 80, None),
    ("floor missed", kpi(98.2, 80.0, comparator="以上", unit="%"), 75.0, None, "D", 0.9375, None),
    # a floor above the baseline: 進捗率 means something again
    ("floor above baseline", kpi(30, 50, comparator="以上", unit="%"), 40, None, "B", 0.8, 0.5),
    # a ceiling (15 → 10以下)
    ("ceiling met", kpi(15, 10, "減少", comparator="以下"), 9.5, None, "A", 10 / 9.5, 1.1),
    ("ceiling, part way", kpi(15, 10, "減少", comparator="以下"), 12, None, "B", 10 / 12, 0.6),
    # maintenance (60回/年 → 60回/年): never divides by zero, no 進捗率
    ("maintenance kept", kpi(60, 60, "維持", unit="回"), 60, None, "A", 1.0, None),
    ("maintenance above", kpi(60, 60, "維持", unit="回"), 65, None, "A", 65 / 60, None),
    ("maintenance missed", kpi(60, 60, "維持", unit="回"), 55, None, "D", 55 / 60, None),
    # interim (this year's) target 40 on the way from 10 to 100
    ("interim met", kpi(10, 100), 40, 40, "A", 1.0, 1.0),
    ("interim, end view", kpi(10, 100), 40, None, "B", 0.4, 30 / 90),
    # cumulative (累計) KPI judged against this year's cumulative target (test_two_track_history K5: 10 → 40 → 100)
    ("cumulative ahead", kpi(10, 100, basis="累計", unit="手続"), 45, 40, "A", 45 / 40, 35 / 30),
    ("cumulative behind", kpi(10, 100, basis="累計", unit="手続"), 30, 40, "B", 0.75, 20 / 30),
    ("cumulative fell", kpi(10, 100, basis="累計", unit="手続"), 8, 40, "D", 0.2, -2 / 30),
    # this year's target below the baseline (Sasebo K012: 78% → 70%, R5 target 57%): no 進捗率
    ("interim below baseline, fell", kpi(78, 70, unit="%"), 45.4, 57, "D", 45.4 / 57, None),
    ("interim below baseline, met", kpi(78, 70, unit="%"), 78.5, 57, "A", 78.5 / 57, None),
    ("Sasebo K043 R5", kpi(60.3, 100, unit="%"), 92.6, 60.0, "A", 92.6 / 60, None),
    # +0.5 point: Koriyama 市民部 オンライン化率 27.6% → 28.1% (target 40%), and a rate that should fall
    ("+0.5 point up", kpi(27.6, 40, unit="%"), 28.1, None, "B", 28.1 / 40, 0.5 / 12.4),          # 0.7025, 0.0403
    ("0.5 point down is better", kpi(12.0, 10.0, "減少", comparator="以下", unit="%"), 11.5, None, "B",
     10 / 11.5, 0.25),
    ("+0.5 point from zero", kpi(0.0, 5.0, unit="ポイント"), 0.5, None, "B", 0.1, 0.1),
    # zero actual or target: no 達成率 rather than a division by zero
    ("down, zero actual", kpi(10, 5, "減少"), 0, None, "A", None, 2.0),
    ("up, zero target", kpi(0, 0), 0, None, "A", None, None),
]


@pytest.mark.parametrize("case, k, actual, year_target, grade, achievement, progress", CASES,
                         ids=[c[0] for c in CASES])
def test_numbers_beside_the_grade(case, k, actual, year_target, grade, achievement, progress):
    judged = judge_kpi(k, actual, 2023, year_target)
    assert judged.grade == grade
    assert judged.achievement == (None if achievement is None else pytest.approx(achievement, rel=1e-12))
    assert judged.progress == (None if progress is None else pytest.approx(progress, rel=1e-12, abs=1e-12))
    assert judged.target == (year_target if year_target is not None else k.target)


def test_the_numbers_do_not_depend_on_the_track():
    """A schedule-managed measure still shows the same 達成率 / 進捗率 beside its schedule grade."""
    k = kpi(100, 200)
    judged = judge("1", k, 150, 2023, None, schedule="遅れ")
    assert (judged.grade, judged.achievement, judged.progress) == ("C", 0.75, 0.5)
    assert judge("3", k, 250, 2023, None).progress == 1.5


def test_achievement_ratio_and_progress_ratio_directly():
    assert achievement_ratio(kpi(100, 30, "減少"), 60, 30) == 0.5
    assert achievement_ratio(kpi(100, 30), 60, None) is None
    assert progress_ratio(kpi(None, 30), 60, 30) is None
    assert progress_ratio(kpi(100, 30), 60, None) is None
    assert progress_ratio(kpi(100, 30, "減少"), 65, 30) == pytest.approx(0.5)


values = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, allow_infinity=False)
comparators = st.sampled_from(["", "以上", "以下"])
directions = st.sampled_from(["増加", "減少", "維持"])


@given(values, values, values, directions, comparators)
def test_progress_agrees_with_the_grade(baseline, target, actual, direction, comparator):
    """Where 進捗率 is shown, it is positive exactly when the grade says better than the baseline, and at
    least 100 % exactly when the target is met: never −9900 % beside an A, nor 300 % beside a D."""
    judged = judge_kpi(kpi(baseline, target, direction, comparator), actual, 2023)
    if judged.progress is None or abs(actual - baseline) < 1e-6 * max(1, abs(baseline)) \
            or abs(actual - target) < 1e-6 * max(1, abs(target)):
        return
    assert (judged.progress >= 1) == (judged.grade == "A")
    if judged.grade != "A":
        assert (judged.progress > 0) == (judged.grade == "B")


def test_floating_noise_at_the_target_or_baseline_is_the_target_or_baseline():
    """A sum typed as a formula (1,019.9999999 for 1,020) reaches its target and equals its baseline;
    the tolerance scales with the figures (10⁻⁹ of them), not a fixed 10⁻⁹."""
    noisy = 1020 - 1e-7
    assert judge_kpi(kpi(134, 1100), noisy, 2023, 1020).grade == "A"
    assert judge_kpi(kpi(1020, 1100), noisy, 2023).grade == "C"
    assert judge_kpi(kpi(1020, 1100), 1020 - 1e-3, 2023).grade == "D"
    assert judge_kpi(kpi(0, 10), 1e-12, 2023).grade == "C"  # near zero the tolerance is 10⁻⁹ itself
