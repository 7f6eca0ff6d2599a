"""Notebooks are committed clean and thin: no outputs, a `parameters` cell, and no logic of their own."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

NOTEBOOKS = sorted((Path(__file__).resolve().parents[2] / "notebooks").glob("*.ipynb"))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_a_notebook_is_committed_without_outputs_and_with_a_parameters_cell(path: Path):
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    code = [c for c in cells if c["cell_type"] == "code"]
    assert all(not c["outputs"] and c["execution_count"] is None for c in code)
    tagged = [c for c in code if "parameters" in c["metadata"].get("tags", [])]
    assert len(tagged) == 1
    parameters = "".join(tagged[0]["source"])
    for name in ("year", "data_dir") + (("office",) if path.stem != "compare" else ("offices",)):
        assert f"{name} =" in parameters


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_a_notebook_holds_no_logic_of_its_own(path: Path):
    source = "\n".join("".join(c["source"]) for c in json.loads(path.read_text(encoding="utf-8"))["cells"] if c["cell_type"] == "code")
    assert "def " not in source and "class " not in source and "for " not in source
    assert len(source.splitlines()) <= 25


def test_every_notebook_the_outline_names_exists_and_carries_the_declared_cells():
    """The labels the document embeds are declared once (helpers.notebooks.labels); every notebook that serves a
    section carries each key, and the scorecard its own labels."""
    from helpers.data.catalog import load_catalog
    from helpers.notebooks.labels import SCORECARD_CELLS, SCORECARD_NOTEBOOK, SECTION_CELLS, SECTION_NOTEBOOK, cell_keys

    from ..conftest import DATA

    folder = NOTEBOOKS[0].parent
    serving = {SECTION_NOTEBOOK} | {s.notebook for s in load_catalog(DATA).sections.values() if s.notebook}
    assert {p.stem for p in NOTEBOOKS} >= serving | {SCORECARD_NOTEBOOK}
    for name in serving:
        keys = cell_keys(json.loads((folder / f"{name}.ipynb").read_text(encoding="utf-8")))
        assert sorted(keys) == sorted(SECTION_CELLS), name
    scorecard = json.loads((folder / f"{SCORECARD_NOTEBOOK}.ipynb").read_text(encoding="utf-8"))
    assert cell_keys(scorecard) == list(SCORECARD_CELLS)


def test_the_section_notebook_is_annotated_with_its_sections_label_caption_and_alt_text():
    from helpers.data.dataset import load_dataset
    from helpers.document.shortcodes import cell_options
    from helpers.model.sectionview import SectionView
    from helpers.notebooks.labels import annotate, cell_keys

    from ..conftest import DATA

    notebook = json.loads((NOTEBOOKS[0].parent / "section.ipynb").read_text(encoding="utf-8"))
    view = SectionView(load_dataset(DATA, "taoyuan", 2024), "s3-4")
    annotate(notebook, "s3-4", view.cell_options())
    assert cell_keys(notebook) == ["tbl-s3-4", "fig-s3-4", "fig-s3-4-trend", "tbl-s3-4-followup"]
    chart = next(c for c in notebook["cells"] if "fig-s3-4\n" in c["source"])
    options = cell_options(chart["source"])
    assert options["fig-cap"] == "安全生产与矛盾纠纷化解主要指标"
    assert "应急演练活动22场" in options["fig-alt"] and "调解成功率（截至10月）97.6%" in options["fig-alt"]
    assert "干部学法" not in options["fig-alt"]  # only what this chart draws
