"""Validated datasets kept between processes (helpers.data.kept): an office-year loaded once is taken again by
the next process, the warm kernels' parent included, while what it read is as it was; the parent learns the
folder from each preload, so one started before its command chose a build folder still takes them."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers.data import dataset
from helpers.data.kept import KEPT, keep_in, kept_folder


@pytest.fixture
def fresh_process(monkeypatch: pytest.MonkeyPatch) -> None:
    """As a new process finds it: nothing loaded, no kept folder chosen."""
    monkeypatch.setattr(dataset, "_LOADED", {})
    monkeypatch.delenv(KEPT, raising=False)


def _no_loading(*args: object) -> None:
    raise AssertionError("loaded afresh, not taken from the kept datasets")


def _first_office_year(data: Path) -> tuple[str, int]:
    return dataset.office_years(data)[0]


def test_a_preload_takes_the_kept_dataset_from_the_folder_it_names(data_copy: Path, tmp_path: Path, fresh_process, monkeypatch):
    office, year = _first_office_year(data_copy)
    keep_in(tmp_path / "build")
    (tmp_path / "build" / "cache").mkdir(parents=True)
    loaded = dataset.load_dataset(data_copy, office, year)
    folder = kept_folder()
    assert list(Path(folder).glob("*.pickle")), "the validated dataset is kept"
    monkeypatch.setattr(dataset, "_LOADED", {})
    monkeypatch.delenv(KEPT)  # the warm parent started before the command chose its build folder
    monkeypatch.setattr(dataset, "_load", _no_loading)
    dataset.preload(data_copy, office, year, kept=folder)
    taken = dataset.load_dataset(data_copy, office, year)
    assert taken.figures.keys() == loaded.figures.keys() and taken.record.entries == loaded.record.entries


def test_a_kept_dataset_is_not_taken_once_what_it_read_changed(data_copy: Path, tmp_path: Path, fresh_process, monkeypatch):
    office, year = _first_office_year(data_copy)
    keep_in(tmp_path / "build")
    (tmp_path / "build" / "cache").mkdir(parents=True)
    dataset.load_dataset(data_copy, office, year)
    monkeypatch.setattr(dataset, "_LOADED", {})
    values = data_copy / office / str(year) / "values.csv"
    values.write_text(values.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    with pytest.raises(AssertionError, match="loaded afresh"):
        monkeypatch.setattr(dataset, "_load", _no_loading)
        dataset.load_dataset(data_copy, office, year)


def test_the_warm_parents_imports_and_a_kept_dataset_import_no_pandera(data_copy: Path, tmp_path: Path):
    """pandera is imported by a process that validates, at its first check: the kernels' warm parent, whose
    office-years come from the kept datasets, never pays for it (helpers.data.schemas)."""
    import subprocess
    import sys

    script = (
        "import importlib, sys\n"
        "from pathlib import Path\n"
        "from helpers.data.kept import keep_in\n"
        "keep_in(Path(sys.argv[2]))\n"
        "from helpers.data.dataset import load_dataset, office_years\n"
        "from helpers.notebooks.forkserver import PRELOAD\n"
        "for name in PRELOAD if sys.argv[3] == 'warm' else ():\n"
        "    importlib.import_module(name)\n"
        "office, year = office_years(Path(sys.argv[1]))[0]\n"
        "load_dataset(Path(sys.argv[1]), office, year)\n"
        "print('pandera' in sys.modules)\n"
    )
    (tmp_path / "build" / "cache").mkdir(parents=True)
    run = [sys.executable, "-c", script, str(data_copy), str(tmp_path / "build")]
    validated = subprocess.run([*run, "validate"], capture_output=True, text=True, check=True).stdout.split()
    assert validated == ["True"]  # the first process validates, with pandera, and keeps the dataset
    warm = subprocess.run([*run, "warm"], capture_output=True, text=True, check=True).stdout.split()
    assert warm == ["False"]
