"""Every case of a year-over-year comparison: stated, judged by polarity, or declined with its reason."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from helpers.data.catalog import Indicator
from helpers.data.values import Figure
from helpers.model.comparison import Verdict, compare

CASES = Indicator("mediation.cases", "s3-4", "人民调解案件", "宗", "count", "neutral")
RATE = Indicator("mediation.success_rate", "s3-4", "调解成功率", "%", "rate", "up")
SUITS = Indicator("disputes.litigation_cases", "s3-4", "行政诉讼案件", "宗", "count", "down")
DRILLS = Indicator("safety.drills", "s3-4", "应急演练", "场", "count", "up")
FINES = Indicator("enforcement.fines", "s3-3", "罚款", "万元", "amount", "neutral")


def fig(ind: Indicator, value: str | None, qualifier: str = "", period_end: date | None = None, source: str = "报告") -> Figure:
    return Figure(ind, Decimal(value) if value is not None else None, qualifier, period_end, source, "", "values.csv", 2, value or "")


def test_an_increase_is_stated_in_units_and_percent():
    c = compare(fig(DRILLS, "22"), fig(DRILLS, "20"), 2024)
    assert c.phrase == "较上年增加2场、增长10%" and c.verdict is Verdict.IMPROVED
    assert c.change == 2 and c.relative == Decimal("10.0")


def test_a_decrease_is_stated_in_units_and_percent():
    c = compare(fig(DRILLS, "18"), fig(DRILLS, "24"), 2024)
    assert c.phrase == "较上年减少6场、下降25%" and c.verdict is Verdict.DECLINED


def test_the_relative_change_is_rounded_to_one_decimal():
    assert compare(fig(CASES, "502"), fig(CASES, "480"), 2024).phrase == "较上年增加22宗、增长4.6%"


def test_a_rate_changes_in_percentage_points():
    c = compare(fig(RATE, "97.6"), fig(RATE, "96.4"), 2024)
    assert c.phrase == "较上年提高1.2个百分点" and c.verdict is Verdict.IMPROVED and c.relative is None
    c = compare(fig(RATE, "95"), fig(RATE, "96.4"), 2024)
    assert c.phrase == "较上年下降1.4个百分点" and c.verdict is Verdict.DECLINED


def test_an_equal_value_is_unchanged():
    c = compare(fig(RATE, "100"), fig(RATE, "100"), 2024)
    assert c.phrase == "与上年持平" and c.verdict is Verdict.UNCHANGED


def test_down_polarity_judges_a_rise_as_a_decline():
    assert compare(fig(SUITS, "7"), fig(SUITS, "5"), 2024).verdict is Verdict.DECLINED
    assert compare(fig(SUITS, "3"), fig(SUITS, "5"), 2024).verdict is Verdict.IMPROVED


def test_a_neutral_indicator_is_described_not_judged():
    c = compare(fig(CASES, "502"), fig(CASES, "480"), 2024)
    assert c.verdict is Verdict.DESCRIBED and c.verdict.label == "· 仅作描述"


def test_amounts_keep_their_decimals():
    assert compare(fig(FINES, "61.7"), fig(FINES, "55.25"), 2024).phrase == "较上年增加6.45万元、增长11.7%"


def test_a_zero_base_gives_no_growth_rate():
    c = compare(fig(DRILLS, "5"), fig(DRILLS, "0"), 2024)
    assert c.phrase == "较上年增加5场（上年为0，不计算增幅）" and c.relative is None and c.verdict is Verdict.IMPROVED


@pytest.mark.parametrize(
    "current, previous, reason",
    [
        (fig(DRILLS, "22"), None, "无上年数据，不作比较"),
        (fig(DRILLS, "22"), fig(DRILLS, None), "上年数据缺失，不作比较"),
        (fig(DRILLS, None), fig(DRILLS, "20"), "本年无数据，不作比较"),
        (fig(DRILLS, "1000", "余"), fig(DRILLS, "900", "余"), "本年1000余场、上年900余场含约数，不作精确比较"),
        (fig(DRILLS, "1000"), fig(DRILLS, "900", "余"), "本年1000场、上年900余场含约数，不作精确比较"),
        (fig(CASES, "502", period_end=date(2024, 10, 31)), fig(CASES, "600"), "本年截至10月、上年全年，统计期不同，不作比较"),
    ],
)
def test_what_would_mislead_is_not_compared_and_says_why(current, previous, reason):
    c = compare(current, previous, 2024)
    assert c.verdict is Verdict.NOT_COMPARED and c.phrase == reason and c.change is None


def test_the_same_partial_period_is_compared():
    c = compare(fig(CASES, "502", period_end=date(2024, 10, 31)), fig(CASES, "480", period_end=date(2023, 10, 31)), 2024)
    assert c.phrase == "较上年增加22宗、增长4.6%"


def test_an_illustrative_figure_in_a_comparison_is_flagged():
    assert compare(fig(DRILLS, "22"), fig(DRILLS, "20", source="示例数据"), 2024).illustrative
    assert not compare(fig(DRILLS, "22"), fig(DRILLS, "20"), 2024).illustrative
    assert not compare(fig(DRILLS, "22", source="示例"), None, 2024).illustrative
