"""A chart drawn before from the same bars, code and settings is taken from the store; only the command keeps
charts, and only under a key a chart can have."""

from __future__ import annotations

import os
from pathlib import Path

import matplotlib
import pytest

from helpers.data import kept
from helpers.data.dataset import load_dataset
from helpers.model import chartstore
from helpers.model.charts import draw
from helpers.model.sectionview import SectionView

from ..conftest import DATA


@pytest.fixture(scope="module")
def view():
    return SectionView(load_dataset(DATA, "taoyuan", 2024), "s3-4")


@pytest.fixture
def store(tmp_path: Path, monkeypatch) -> Path:
    monkeypatch.setenv(chartstore.STORE, str(tmp_path / "charts"))
    return tmp_path / "charts"


def _shown(notebook_output) -> tuple[str, str]:
    data, metadata = notebook_output._repr_mimebundle_()
    return data["image/svg+xml"], metadata["image/svg+xml"]["chart"]


def test_a_chart_kept_under_its_key_is_taken_instead_of_drawn(view, store: Path):
    svg, key = _shown(view.figure())
    assert svg.lstrip().startswith("<?xml") and chartstore.kept_svg(key) is None  # nothing kept yet: drawn
    store.mkdir()
    (store / f"{key}.svg").write_text("<svg>kept</svg>", encoding="utf-8")
    assert _shown(view.figure()) == ("<svg>kept</svg>", key)


def test_other_bars_years_or_settings_make_another_key(view):
    panels = list(view.model.panels)
    key = chartstore.chart_key(draw, panels, (2023, 2024))
    assert chartstore.chart_key(draw, panels, (2023, 2024)) == key
    assert chartstore.chart_key(draw, panels[:1], (2023, 2024)) != key
    assert chartstore.chart_key(draw, panels, (2022, 2024)) != key
    with matplotlib.rc_context({"font.size": 20}):  # a user's matplotlibrc
        assert chartstore.chart_key(draw, panels, (2023, 2024)) != key


def test_without_a_store_every_chart_is_drawn(view, monkeypatch):
    monkeypatch.delenv(chartstore.STORE, raising=False)
    svg, key = _shown(view.figure())
    assert "<svg" in svg and chartstore.kept_svg(key) is None


def _notebook(*outputs: dict) -> dict:
    return {"cells": [{"cell_type": "code", "outputs": list(outputs)}]}


def _output(svg: str, key: object) -> dict:
    return {"output_type": "display_data", "data": {"image/svg+xml": svg}, "metadata": {"image/svg+xml": {"chart": key}}}


def test_the_command_keeps_each_keyed_chart_once_and_nothing_under_another_name(store: Path, monkeypatch):
    monkeypatch.setattr(kept, "_CHOSEN_BY", {os.getpid()})
    good = "a" * 64
    notebook = _notebook(
        _output("<svg>good</svg>", good),
        _output("<svg>bad</svg>", "../../evil"),
        _output("<svg>bad</svg>", 7),
        {"output_type": "display_data", "data": {"image/svg+xml": "<svg>no key</svg>"}, "metadata": {}},
    )
    assert chartstore.keep_charts(notebook) == 1
    assert [p.name for p in store.iterdir()] == [f"{good}.svg"] and (store / f"{good}.svg").read_text() == "<svg>good</svg>"
    assert chartstore.keep_charts(notebook) == 0  # kept once
    assert not (store.parent / "evil").exists()


def test_a_process_only_told_the_store_keeps_nothing(store: Path, monkeypatch):
    monkeypatch.setattr(kept, "_CHOSEN_BY", set())  # a kernel or the warm parent: stopped at any moment
    assert chartstore.keep_charts(_notebook(_output("<svg/>", "b" * 64))) == 0 and not store.exists()
