"""Changing any one input and rebuilding gives exactly what a cold build of the same inputs gives.

For each kind of input (figures, prose, an image, report.yml, the office's outline, definitions and
verdict words, the catalog's rows, offices.csv, another office's files, a notebook, the report sources),
the fixtures' second office is built, one input is changed, and it is built again on the same caches; then
a cold build (no cache, no earlier output) is made of the same inputs. The report and the offices'
comparison must read the same, word for word, but for the clock in the colophon.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from PIL import Image

from helpers.project import find_project_root
from helpers.publish.build import BuildRequest, build, build_comparison

from ..conftest import DATA, replace_in
from .test_report import html_text

pytestmark = pytest.mark.e2e
OFFICE, YEAR = "xinhe", 2024


def _new_image(path: Path) -> None:
    Image.new("RGB", (40, 30), (200, 40, 40)).save(path)


def _edit_notebook(root: Path) -> None:
    path = root / "notebooks" / "section.ipynb"
    notebook = json.loads(path.read_text(encoding="utf-8"))
    cell = next(c for c in notebook["cells"] if c["cell_type"] == "code" and "parameters" not in c["metadata"].get("tags", []))
    cell["source"] = "".join(cell["source"]) + "\n# 改动\n"
    path.write_text(json.dumps(notebook, ensure_ascii=False, indent=1), encoding="utf-8")


#: One change per kind of input: (what, how), ``how(data, project)`` edits the copies in place.
CHANGES = {
    "values": lambda d, p: replace_in(d / OFFICE / "2024" / "values.csv", "enforcement.inspections,310,", "enforcement.inspections,320,"),
    "earlier year": lambda d, p: replace_in(d / OFFICE / "2023" / "values.csv", "enforcement.inspections,280,", "enforcement.inspections,290,"),
    "prose": lambda d, p: replace_in(d / OFFICE / "2024" / "narrative" / "a2.md", "开展执法检查", "全年开展执法检查"),
    "image": lambda d, p: _new_image(d / OFFICE / "2024" / "narrative" / "images" / "inspection.png"),
    "report.yml": lambda d, p: replace_in(d / OFFICE / "2024" / "report.yml", "2024-12-20", "2024-12-21"),
    "own outline": lambda d, p: replace_in(d / OFFICE / "sections.csv", "信访工作", "信访工作情况"),
    "definitions deleted": lambda d, p: (d / OFFICE / "definitions.csv").unlink(),
    "verdict words": lambda d, p: replace_in(d / OFFICE / "verdicts.csv", "improved,提升", "improved,上升"),
    "its catalog row": lambda d, p: replace_in(d / "indicators.csv", "enforcement.inspections,,执法检查,", "enforcement.inspections,,行政执法检查,"),
    "offices.csv": lambda d, p: replace_in(d / "offices.csv", "新河街道办（示例）,示例区", "新河街道（示例）,示例区"),
    "population": lambda d, p: replace_in(d / "offices.csv", "Asia/Shanghai,86000", "Asia/Shanghai,90000"),
    "concepts.csv": lambda d, p: replace_in(d / "concepts.csv", "行政复议案件,count,件,", "行政复议,count,件,"),
    "an indicator's concept": lambda d, p: replace_in(d / "indicators.csv", ",,reconsideration_cases\n", ",,\n"),
    "another office": lambda d, p: replace_in(d / "taoyuan" / "2024" / "values.csv", "safety.drills,22,", "safety.drills,23,"),
    "notebook": lambda d, p: _edit_notebook(p),
    "report sources": lambda d, p: (p / "report" / "styles.css").write_text(
        (p / "report" / "styles.css").read_text(encoding="utf-8") + "\n.colophon { color: #333; }\n", encoding="utf-8"
    ),
}


def _texts(out: Path) -> dict[str, str]:
    """The report's and the comparison's words, without the clock of the colophon."""
    return {name: re.sub(r"生成时间[^。]*。", "", html_text(out / name / str(YEAR) / "report.html")) for name in (OFFICE, "compare")}


def _build(data: Path, project: Path, out: Path, cache: Path) -> dict[str, str]:
    request = BuildRequest(OFFICE, YEAR, data, out, cache, ("html",), "builtin", project_root=project)
    build(request)
    build_comparison(request, ("taoyuan", OFFICE))
    return _texts(out)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of the project's notebooks and report sources, to change."""
    root, copy = find_project_root(), tmp_path / "project"
    copy.mkdir()
    for name in ("notebooks", "report"):
        shutil.copytree(root / name, copy / name)
    shutil.copy2(root / "_quarto.yml", copy / "_quarto.yml")
    return copy


@pytest.mark.parametrize("change", sorted(CHANGES))
def test_a_rebuild_after_any_one_change_reads_as_a_cold_build_of_the_same_inputs(change, tmp_path, project):
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    before = _build(data, project, tmp_path / "out", tmp_path / "_build")
    CHANGES[change](data, project)
    after = _build(data, project, tmp_path / "out", tmp_path / "_build")
    cold = _build(data, project, tmp_path / "cold-out", tmp_path / "cold-build")
    assert after == cold, change
    if change not in ("another office", "notebook", "report sources"):
        assert after != before, f"{change}: the change shows in neither the report nor the comparison"
