"""What a person would accept is accepted, with the right number; number parsing holds for any figure."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from helpers.data.dataset import load_dataset
from helpers.data.numbers import parse_number
from helpers.phrasing import format_number

from ..conftest import replace_in

FULLWIDTH = str.maketrans("0123456789.,%", "０１２３４５６７８９．，％")


@pytest.mark.parametrize(
    "old, new, indicator, expected",
    [
        ("appeals.cases,2859,", 'appeals.cases,"2,859",', "appeals.cases", "2859宗"),
        ("appeals.cases,2859,", "appeals.cases,２８５９,", "appeals.cases", "2859宗"),
        ("appeals.resolution_rate,91.6,", "appeals.resolution_rate,91.6%,", "appeals.resolution_rate", "91.6%"),
        ("appeals.resolution_rate,91.6,", "appeals.resolution_rate,９１．６％,", "appeals.resolution_rate", "91.6%"),
        ("decision.legal_opinions,1000,余,", "decision.legal_opinions,1000余,,", "decision.legal_opinions", "1000余份"),
        ("enforcement.fines,61.7,", "enforcement.fines,61.7万元,", "enforcement.fines", "61.7万元"),
        ("safety.drills,22,", "safety.drills,  22 ,", "safety.drills", "22场"),
        ("safety.drills,22,", "safety.drills,约22,", "safety.drills", "约22场"),
    ],
)
def test_a_tolerated_form_is_read_as_the_right_figure(data_copy: Path, old, new, indicator, expected):
    replace_in(data_copy / "taoyuan" / "2024" / "values.csv", old, new)
    assert load_dataset(data_copy, "taoyuan", 2024).figures[indicator].text == expected


def test_blank_lines_and_a_bom_are_ignored(data_copy: Path):
    path = data_copy / "taoyuan" / "2024" / "values.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    text = "\n".join([*lines[:10], "", ",,,,,", "   ", *lines[10:]]) + "\n\n"
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    data = load_dataset(data_copy, "taoyuan", 2024)
    assert len(data.figures) == 38 and data.figures["safety.drills"].row == 22


def test_a_windows_chinese_excel_csv_is_read(data_copy: Path):
    path = data_copy / "taoyuan" / "2024" / "values.csv"
    path.write_bytes(path.read_text(encoding="utf-8").replace("\n", "\r\n").encode("gbk"))
    assert load_dataset(data_copy, "taoyuan", 2024).figures["mediation.success_rate"].text == "97.6%"


figures = st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False, allow_infinity=False)


@given(figures)
def test_any_figure_written_plainly_parses_back(value: Decimal):
    assert parse_number(format_number(value)) == value


@given(figures)
def test_any_figure_in_full_width_digits_parses_back(value: Decimal):
    assert parse_number(format_number(value).translate(FULLWIDTH)) == value


@given(figures, st.sampled_from(["宗", "%", "万元", "人"]))
def test_any_figure_with_its_unit_and_thousands_separators_parses_back(value: Decimal, unit: str):
    whole, _, fraction = format_number(value).partition(".")
    grouped = f"{int(whole):,}" + (f".{fraction}" if fraction else "")
    assert parse_number(f" {grouped}{unit} ", unit) == value


@given(st.text(alphabet="abc一二三,.%-+ ", min_size=1))
def test_text_is_either_a_number_or_refused_with_a_reason(text: str):
    try:
        value = parse_number(text)
    except ValueError as exc:
        assert "不是数字" in str(exc)
    else:
        assert isinstance(value, Decimal)
