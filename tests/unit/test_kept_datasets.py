"""Validated data kept between processes (helpers.data.kept): an office-year or a catalog loaded once is taken
again by the next process, the warm kernels' parent included, while what it read is as it was; the parent learns
the folder from each preload, so one started before its command chose a build folder still takes them."""

from __future__ import annotations

import functools
import time
from pathlib import Path

import pytest

from helpers.data import catalog, dataset, digests, kept
from helpers.data.kept import KEPT, keep_in, kept_folder
from helpers.errors import InputError


@pytest.fixture
def fresh_process(monkeypatch: pytest.MonkeyPatch) -> None:
    """As a new process finds it: nothing loaded, no kept folder chosen."""
    monkeypatch.setattr(dataset, "_LOADED", {})
    monkeypatch.setattr(catalog, "_CATALOGS", {})
    monkeypatch.delenv(KEPT, raising=False)


def _no_loading(*args: object) -> None:
    raise AssertionError("loaded afresh, not taken from the kept datasets")


def _first_office_year(data: Path) -> tuple[str, int]:
    return dataset.office_years(data)[0]


def _loaded_by_a_command(data: Path, build: Path, monkeypatch: pytest.MonkeyPatch, office: str = "", year: int = 0) -> tuple[str, int]:
    """An office-year (the first, unless named) loaded by a command keeping it under ``build``; the caller then
    plays the next process, which has loaded nothing yet."""
    office, year = (office, year) if office else _first_office_year(data)
    keep_in(build)
    dataset.load_dataset(data, office, year)
    monkeypatch.setattr(dataset, "_LOADED", {})
    return office, year


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


def test_a_cold_builds_dataset_is_kept_for_the_warm_parent_before_its_build_folder_exists(
    data_copy: Path, tmp_path: Path, fresh_process, monkeypatch
):
    office, year = _first_office_year(data_copy)
    keep_in(tmp_path / "build")  # no build folder yet: the first build of a fresh clone
    loaded = dataset.load_dataset(data_copy, office, year)
    folder = kept_folder()
    assert list(Path(folder).glob("*.pickle")), "the validated dataset is kept"
    monkeypatch.setattr(dataset, "_LOADED", {})
    monkeypatch.delenv(KEPT)
    monkeypatch.setattr(dataset, "_load", _no_loading)  # the warm parent validates nothing again
    dataset.preload(data_copy, office, year, kept=folder)
    assert dataset.load_dataset(data_copy, office, year).record.entries == loaded.record.entries


def test_a_kept_dataset_is_not_taken_once_what_it_read_changed(data_copy: Path, tmp_path: Path, fresh_process, monkeypatch):
    office, year = _loaded_by_a_command(data_copy, tmp_path / "build", monkeypatch)
    values = data_copy / office / str(year) / "values.csv"
    values.write_text(values.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    with pytest.raises(AssertionError, match="loaded afresh"):
        monkeypatch.setattr(dataset, "_load", _no_loading)
        dataset.load_dataset(data_copy, office, year)


def test_a_kept_dataset_is_not_taken_by_a_process_with_another_package_installed(data_copy: Path, tmp_path: Path, fresh_process, monkeypatch):
    office, year = _loaded_by_a_command(data_copy, tmp_path / "build", monkeypatch)
    site = tmp_path / "site-packages"
    (site / "pandera-99.0.dist-info").mkdir(parents=True)  # pandera upgraded between the two processes
    monkeypatch.syspath_prepend(str(site))
    monkeypatch.setattr(kept, "_code_digest", functools.cache(kept._code_digest.__wrapped__))
    monkeypatch.setattr(dataset, "_load", _no_loading)
    with pytest.raises(AssertionError, match="loaded afresh"):
        dataset.load_dataset(data_copy, office, year)


def test_after_a_prose_edit_the_figures_are_taken_as_checked_and_the_prose_alone_is_checked_again(
    data_copy: Path, tmp_path: Path, fresh_process, monkeypatch
):
    office, year, prose = _with_markup(data_copy)
    _loaded_by_a_command(data_copy, tmp_path / "build", monkeypatch, office, year)
    prose.write_text(prose.read_text(encoding="utf-8") + "\n此后继续推进。\n", encoding="utf-8")
    real_check = dataset._check_figures
    monkeypatch.setattr(dataset, "_check_figures", _no_loading)
    edited = dataset.load_dataset(data_copy, office, year)
    monkeypatch.setattr(dataset, "_LOADED", {})
    monkeypatch.delenv(KEPT)  # a cold load of the same files
    monkeypatch.setattr(dataset, "_check_figures", real_check)
    cold = dataset.load_dataset(data_copy, office, year)
    assert "此后继续推进" in "".join(edited.narrative.values())
    assert (edited.figures, edited.history, edited.narrative, edited.warnings) == (cold.figures, cold.history, cold.narrative, cold.warnings)
    assert edited.record.entries == cold.record.entries  # what it read, the figures' files included
    keep_in(tmp_path / "build")
    monkeypatch.setattr(dataset, "_LOADED", {})
    prose.write_text(prose.read_text(encoding="utf-8") + "\n见[说明](javascript:alert(1))。\n", encoding="utf-8")
    monkeypatch.setattr(dataset, "_check_figures", _no_loading)
    with pytest.raises(InputError) as raised:  # the changed prose is judged afresh
        dataset.load_dataset(data_copy, office, year)
    assert any(p.file.endswith(prose.name) and "javascript" in p.message for p in raised.value.problems)


def test_a_changed_figure_is_checked_again_though_the_prose_is_unchanged(data_copy: Path, tmp_path: Path, fresh_process, monkeypatch):
    office, year = _loaded_by_a_command(data_copy, tmp_path / "build", monkeypatch)
    values = data_copy / office / str(year) / "values.csv"
    lines = values.read_text(encoding="utf-8").splitlines()
    values.write_text("\n".join([*lines, lines[1]]) + "\n", encoding="utf-8")  # one indicator twice
    with pytest.raises(InputError) as raised:
        dataset.load_dataset(data_copy, office, year)
    assert any(p.file.endswith("values.csv") and p.row == len(lines) + 1 for p in raised.value.problems)


def test_a_kept_catalog_is_taken_by_the_next_process_while_its_files_read_the_same(data_copy: Path, tmp_path: Path, fresh_process, monkeypatch):
    keep_in(tmp_path / "build")
    (tmp_path / "build" / "cache").mkdir(parents=True)
    first = catalog.load_catalog(data_copy)
    monkeypatch.setattr(catalog, "_CATALOGS", {})  # the next process
    monkeypatch.setattr(catalog, "_read_catalog", _no_loading)
    taken = catalog.load_catalog(data_copy)
    assert taken.indicators.keys() == first.indicators.keys() and taken.offices.keys() == first.offices.keys()


def test_a_kept_catalog_whose_file_changed_is_read_again_and_its_problem_said(data_copy: Path, tmp_path: Path, fresh_process, monkeypatch):
    keep_in(tmp_path / "build")
    (tmp_path / "build" / "cache").mkdir(parents=True)
    catalog.load_catalog(data_copy)
    monkeypatch.setattr(catalog, "_CATALOGS", {})
    offices = data_copy / "offices.csv"
    lines = offices.read_text(encoding="utf-8").splitlines()
    offices.write_text("\n".join([*lines, lines[1]]) + "\n", encoding="utf-8")  # an office twice
    with pytest.raises(InputError) as raised:
        catalog.load_catalog(data_copy)
    assert any(p.file.endswith("offices.csv") and p.column == "id" for p in raised.value.problems)


def test_the_warm_parent_a_kept_dataset_and_a_prose_edit_import_no_pandera(data_copy: Path, tmp_path: Path):
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
        "data = Path(sys.argv[1])\n"
        "office, year = next((o, y) for o, y in office_years(data) if (data / o / str(y) / 'narrative').is_dir())\n"
        "load_dataset(data, office, year)\n"
        "from helpers.data.catalog import load_catalog\n"
        "load_catalog(Path(sys.argv[1]))  # as a site's survey reads it\n"
        "print('pandera' in sys.modules)\n"
    )
    (tmp_path / "build" / "cache").mkdir(parents=True)
    run = [sys.executable, "-c", script, str(data_copy), str(tmp_path / "build")]
    validated = subprocess.run([*run, "validate"], capture_output=True, text=True, check=True).stdout.split()
    assert validated == ["True"]  # the first process validates, with pandera, and keeps the dataset
    warm = subprocess.run([*run, "warm"], capture_output=True, text=True, check=True).stdout.split()
    assert warm == ["False"]
    office, year = next((o, y) for o, y in dataset.office_years(data_copy) if (data_copy / o / str(y) / "narrative").is_dir())
    prose = sorted((data_copy / office / str(year) / "narrative").glob("*.md"))[0]
    prose.write_text(prose.read_text(encoding="utf-8") + "\n此后继续推进。\n", encoding="utf-8")
    edited = subprocess.run([*run, "prose edited"], capture_output=True, text=True, check=True).stdout.split()
    assert edited == ["False"]  # a prose edit checks the prose: the figures are taken as they were checked


def test_a_process_told_the_kept_folder_writes_nothing_into_it(data_copy: Path, tmp_path: Path):
    """The warm parent is told the folder and may be stopped at any moment, even while it writes: only the
    command that chose the folder writes there (datasets, catalogs, files' digests), so no half-written file is
    left beside them."""
    import subprocess
    import sys

    script = (
        "import sys\n"
        "from pathlib import Path\n"
        "from helpers.data import kept\n"
        "if sys.argv[3] == 'told':\n"
        "    kept.keep_at(sys.argv[2])\n"
        "else:\n"
        "    kept.keep_in(Path(sys.argv[2]).parent.parent)\n"
        "from helpers.data.dataset import load_dataset, office_years\n"
        "from helpers.data import record\n"
        "office, year = office_years(Path(sys.argv[1]))[0]\n"
        "data = load_dataset(Path(sys.argv[1]), office, year)\n"
        "record.unchanged(data.record.root, data.record.entries)\n"
    )
    folder = tmp_path / "build" / "cache" / "datasets"
    folder.parent.mkdir(parents=True)
    time.sleep(digests.STEADY_NS / 1e9 + 0.1)  # the data left alone long enough for its digests to be kept
    run = [sys.executable, "-c", script, str(data_copy), str(folder)]
    subprocess.run([*run, "told"], check=True)
    assert not folder.exists() or not list(folder.iterdir())
    subprocess.run([*run, "chose"], check=True)
    assert sorted(p.suffix for p in folder.iterdir()) == [".json", *[".pickle"] * 3]  # digests, catalog, figures, dataset


def _counting_pandoc(monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    """Every pandoc parse of prose from now on (helpers.data.markup), run as it would be."""
    from helpers.data import markup

    runs: list[list[str]] = []
    real = markup.subprocess.run

    def run(command, *args, **kwargs):
        if "--sandbox" in command and "json" in command:  # a parse of prose, not another program
            runs.append(command)
        return real(command, *args, **kwargs)

    monkeypatch.setattr(markup.subprocess, "run", run)
    return runs


def _with_markup(data: Path) -> tuple[str, int, Path]:
    """An office-year whose prose holds markup pandoc parses (an image, a link), and that prose file."""
    for office, year in dataset.office_years(data):
        for prose in sorted((data / office / str(year) / "narrative").glob("*.md")):
            if "](" in prose.read_text(encoding="utf-8"):
                return office, year, prose
    raise AssertionError("no fixture prose holds markup")


def test_unchanged_prose_is_not_parsed_again_after_a_figure_changed(data_copy: Path, tmp_path: Path, fresh_process, monkeypatch):
    office, year, _ = _with_markup(data_copy)
    keep_in(tmp_path / "build")
    (tmp_path / "build" / "cache").mkdir(parents=True)
    runs = _counting_pandoc(monkeypatch)
    first = dataset.load_dataset(data_copy, office, year)
    assert runs
    parsed = len(runs)
    monkeypatch.setattr(dataset, "_LOADED", {})  # the next process, after one figure changed
    values = data_copy / office / str(year) / "values.csv"
    values.write_text(values.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    again = dataset.load_dataset(data_copy, office, year)
    assert len(runs) == parsed, "the prose, unchanged, is taken as parsed"
    assert again.narrative == first.narrative and again.images == first.images


def test_changed_prose_or_another_pandoc_is_parsed_again_and_judged(data_copy: Path, tmp_path: Path, fresh_process, monkeypatch):
    from helpers.data import markup

    office, year, prose = _with_markup(data_copy)
    keep_in(tmp_path / "build")
    (tmp_path / "build" / "cache").mkdir(parents=True)
    runs = _counting_pandoc(monkeypatch)
    dataset.load_dataset(data_copy, office, year)
    parsed = len(runs)
    monkeypatch.setattr(dataset, "_LOADED", {})
    monkeypatch.setattr(markup, "program_file", lambda path: (path, 0, 0))  # pandoc upgraded in place
    values = data_copy / office / str(year) / "values.csv"
    values.write_text(values.read_text(encoding="utf-8") + "\n", encoding="utf-8")  # and a figure changed
    dataset.load_dataset(data_copy, office, year)
    assert len(runs) == 2 * parsed
    monkeypatch.setattr(dataset, "_LOADED", {})
    prose.write_text(prose.read_text(encoding="utf-8") + "\n见[说明](javascript:alert(1))。\n", encoding="utf-8")
    with pytest.raises(InputError) as raised:
        dataset.load_dataset(data_copy, office, year)
    assert len(runs) == 2 * parsed + 1  # only the changed file is parsed again, and its new link refused
    assert any(p.file.endswith(prose.name) and "javascript" in p.message for p in raised.value.problems)
