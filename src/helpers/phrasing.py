"""Chinese number phrasing: how an official report writes a figure (502宗, 97.6%, 1000余份)."""

from __future__ import annotations

import calendar
from datetime import date
from decimal import Decimal

_DIGITS = "零一二三四五六七八九"
_UNITS_WITHOUT_SPACE = {"%"}


def format_number(value: Decimal) -> str:
    """Write a number as stated: no exponent, no trailing zeros, no thousands separator."""
    text = format(value.normalize(), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def format_value(value: Decimal, unit: str, qualifier: str = "") -> str:
    """The figure as the report states it: number, qualifier (余, 约 …), unit.

    约, 近, 逾, 超, 超过 and 不足 go before the number (约300人); 余 and 多 between number and unit (1000余份);
    以上 after the unit (90%以上, 100人以上), as Chinese reports write them.
    """
    number = format_number(value)
    if qualifier in ("约", "近", "逾", "超", "超过", "不足"):  # the prefix qualifiers of values.PREFIX_QUALIFIERS
        return f"{qualifier}{number}{unit}"
    if qualifier == "以上":
        return f"{number}{unit}以上"
    return f"{number}{qualifier}{unit}"


def period_phrase(period_end: date | None, year: int) -> str:
    """截至10月 for a figure counted to a month's end, 截至12月9日 for another day; '' for the whole year."""
    if period_end is None or period_end == date(year, 12, 31):
        return ""
    last_day = calendar.monthrange(period_end.year, period_end.month)[1]
    if period_end.day == last_day:
        return f"截至{period_end.month}月"
    return f"截至{period_end.month}月{period_end.day}日"


def chinese_ordinal(n: int) -> str:
    """一, 二 … 十九, 二十 …: the numbering of headings (一、 and （一）)."""
    if n <= 0 or n >= 100:
        raise ValueError(f"heading number out of range: {n}")
    tens, ones = divmod(n, 10)
    if tens == 0:
        return _DIGITS[ones]
    prefix = "" if tens == 1 else _DIGITS[tens]
    return f"{prefix}十{_DIGITS[ones] if ones else ''}"


def date_zh(day: date) -> str:
    """2024年12月9日: the date under the signature."""
    return f"{day.year}年{day.month}月{day.day}日"
