from decimal import Decimal

import pytest

from helpers.data.numbers import decimal_places, parse_number


@pytest.mark.parametrize(
    "text, unit, expected",
    [
        ("502", "宗", "502"),
        (" 97.6 ", "%", "97.6"),
        ("97.6%", "%", "97.6"),
        ("９７．６％", "%", "97.6"),
        ("1,549", "宗", "1549"),
        ("１，５４９", "宗", "1549"),
        ("61.7万元", "万元", "61.7"),
    ],
)
def test_numbers_are_read_as_a_clerk_types_them(text, unit, expected):
    assert parse_number(text, unit) == Decimal(expected)


@pytest.mark.parametrize("text", ["abc", "1,54", "12.3.4", "五百", "", "%"])
def test_text_that_is_not_a_number_is_refused_with_the_value_in_the_message(text):
    with pytest.raises(ValueError, match="不是数字"):
        parse_number(text, "%")


def test_decimal_places_follow_what_was_stated():
    assert decimal_places(Decimal("97.6")) == 1
    assert decimal_places(Decimal("100")) == 0
