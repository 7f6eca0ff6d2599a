from datetime import date
from decimal import Decimal

import pytest

from helpers.phrasing import chinese_ordinal, date_zh, format_value, period_phrase


@pytest.mark.parametrize(
    "value, unit, qualifier, expected",
    [
        ("502", "宗", "", "502宗"),
        ("97.6", "%", "", "97.6%"),
        ("100", "%", "", "100%"),
        ("61.7", "万元", "", "61.7万元"),
        ("61.70", "万元", "", "61.7万元"),
        ("1000", "份", "余", "1000余份"),
        ("12500", "人", "余", "12500余人"),
        ("300", "人", "约", "约300人"),
        ("50", "场", "以上", "50场以上"),
        ("90", "%", "以上", "90%以上"),
        ("20", "人", "不足", "不足20人"),
    ],
)
def test_a_figure_reads_as_the_report_states_it(value, unit, qualifier, expected):
    assert format_value(Decimal(value), unit, qualifier) == expected


def test_large_numbers_are_written_without_exponent_or_separator():
    assert format_value(Decimal("1E+4"), "人") == "10000人"


@pytest.mark.parametrize(
    "end, expected",
    [
        (None, ""),
        (date(2024, 12, 31), ""),
        (date(2024, 10, 31), "截至10月"),
        (date(2024, 2, 29), "截至2月"),
        (date(2024, 12, 9), "截至12月9日"),
    ],
)
def test_a_partial_year_is_named_by_its_end(end, expected):
    assert period_phrase(end, 2024) == expected


@pytest.mark.parametrize("n, expected", [(1, "一"), (5, "五"), (10, "十"), (11, "十一"), (20, "二十"), (23, "二十三")])
def test_headings_are_numbered_in_chinese(n, expected):
    assert chinese_ordinal(n) == expected


def test_the_signature_date_is_written_in_chinese():
    assert date_zh(date(2024, 12, 9)) == "2024年12月9日"
