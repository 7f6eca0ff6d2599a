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
    for name in ("office", "year", "data_dir", "metrics_dir"):
        assert f"{name} =" in parameters


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_a_notebook_holds_no_logic_of_its_own(path: Path):
    source = "\n".join("".join(c["source"]) for c in json.loads(path.read_text(encoding="utf-8"))["cells"] if c["cell_type"] == "code")
    assert "def " not in source and "class " not in source and "for " not in source
    assert len(source.splitlines()) <= 25


def test_every_section_with_a_notebook_has_one_on_disk():
    from helpers.catalog import load_catalog

    from ..conftest import DATA

    named = {s.notebook for s in load_catalog(DATA).sections.values() if s.notebook} | {"scorecard"}
    assert named == {p.stem for p in NOTEBOOKS}
