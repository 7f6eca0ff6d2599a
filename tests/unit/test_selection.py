"""A notebook run as it is names no office: the office with the most years is chosen, and its latest year."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from helpers.data.selection import chosen
from helpers.errors import InputError


def test_the_office_with_the_most_years_and_its_latest_year_is_chosen(data_copy: Path):
    counts = {
        p.name: len([y for y in p.iterdir() if (y / "values.csv").is_file()])
        for p in data_copy.iterdir()
        if p.is_dir() and any(y.name.isdigit() for y in p.iterdir())
    }
    office, year = chosen(data_copy)
    assert counts[office] == max(counts.values())
    assert year == max(int(y.name) for y in (data_copy / office).iterdir() if y.name.isdigit())
    other = next(o for o in counts if o != office)  # give another office more years: it is chosen now
    latest = max(int(y.name) for y in (data_copy / other).iterdir() if y.name.isdigit())
    for n in range(1, max(counts.values()) + 1):
        shutil.copytree(data_copy / other / str(latest), data_copy / other / str(latest - 10 - n))
    assert chosen(data_copy) == (other, latest)


def test_a_given_office_or_year_is_kept(data_copy: Path):
    office, year = chosen(data_copy)
    assert chosen(data_copy, office, year - 1) == (office, year - 1)
    assert chosen(data_copy, year=year)[1] == year


def test_no_office_with_data_is_one_located_sentence(data_copy: Path):
    with pytest.raises(InputError) as refused:
        chosen(data_copy, year=1999)
    assert "1999年" in str(refused.value) and "offices.csv" in str(refused.value)
