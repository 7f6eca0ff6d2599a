"""Which office-years exist is a recorded fact: a record made over it changes when an office-year appears,
including a year folder that was there, empty, and gains its values.csv."""

from __future__ import annotations

import shutil
from pathlib import Path

from helpers.data import record
from helpers.data.dataset import office_years


def _recorded(data: Path) -> tuple[list[tuple[str, int]], dict[str, str]]:
    with record.recording(data) as made:
        found = office_years(data)
    return found, made.entries


def test_a_year_folder_that_gains_its_values_is_a_change_of_the_record(data_copy: Path):
    found, entries = _recorded(data_copy)
    office, year = found[0]
    assert record.unchanged(data_copy, entries)
    empty = data_copy / office / str(year + 20)
    empty.mkdir()  # a year folder made ahead of its data
    found, entries = _recorded(data_copy)
    assert (office, year + 20) not in found and record.unchanged(data_copy, entries)
    shutil.copy(data_copy / office / str(year) / "values.csv", empty / "values.csv")
    assert not record.unchanged(data_copy, entries)  # a site built from the record is made again
    assert (office, year + 20) in _recorded(data_copy)[0]


def test_a_new_office_and_a_removed_year_are_changes_too(data_copy: Path):
    found, entries = _recorded(data_copy)
    office, year = found[-1]
    shutil.copytree(data_copy / office, data_copy / "newoffice")
    assert not record.unchanged(data_copy, entries)
    found, entries = _recorded(data_copy)
    (data_copy / office / str(year) / "values.csv").unlink()
    assert not record.unchanged(data_copy, entries)


def test_plans_inside_steady_read_each_file_once_and_see_changes_after_it(data_copy: Path):
    office, year = _recorded(data_copy)[0][0]
    values = data_copy / office / str(year) / "values.csv"
    with record.recording(data_copy) as made:
        record.read_bytes(values)
    with record.steady():
        assert record.unchanged(data_copy, made.entries)
        values.write_bytes(values.read_bytes() + b"\n")
        with record.steady():  # a nested block keeps the outer one's reads
            assert record.unchanged(data_copy, made.entries)  # as first read in the block: one view for all plans
    assert not record.unchanged(data_copy, made.entries)  # the block over, the change is seen
    with record.steady():
        assert not record.unchanged(data_copy, made.entries)


def test_a_replayed_record_is_noted_by_every_recording_over_its_folder(data_copy: Path):
    found, entries = _recorded(data_copy)
    with record.recording(data_copy) as outer, record.recording(data_copy / found[0][0]) as other:
        record.replay(entries, data_copy)
    assert outer.entries == entries and other.entries == {}
