"""Analysts run the notebooks as papermill's own docs show: from the project root, with only the
parameters they change; a wrong data folder is one sentence, not a traceback."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e
ROOT = Path(__file__).resolve().parents[2]


def papermill(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    exe = Path(sys.executable).with_name("papermill")
    return subprocess.run([str(exe), *args], cwd=cwd, capture_output=True, text=True, timeout=300)


@pytest.mark.parametrize("notebook", ["section", "scorecard", "compare"])
def test_any_notebook_runs_from_the_project_root_with_only_a_year(tmp_path: Path, notebook: str):
    out = tmp_path / "out.ipynb"
    result = papermill(f"notebooks/{notebook}.ipynb", str(out), "-p", "year", "2023", cwd=ROOT)
    assert result.returncode == 0, result.stderr[-2000:]
    cells = json.loads(out.read_text(encoding="utf-8"))["cells"]
    assert any(o.get("output_type") in ("display_data", "execute_result") for c in cells for o in c.get("outputs", []))


def test_a_wrong_data_folder_is_one_sentence(tmp_path: Path):
    result = papermill("notebooks/section.ipynb", str(tmp_path / "out.ipynb"), "-p", "data_dir", str(tmp_path / "nope"), cwd=ROOT)
    assert result.returncode != 0
    assert "数据目录" in result.stderr and "不存在" in result.stderr
    assert "site-packages" not in result.stderr.split("Exception encountered")[-1]  # no Python traceback of ours


def test_run_as_they_are_the_notebooks_show_an_office_with_several_years_and_its_trend(tmp_path: Path):
    """No office is named in a notebook: left empty, it is the office with the most years, so the trend shows."""
    out = tmp_path / "out.ipynb"
    result = papermill("notebooks/section.ipynb", str(out), cwd=ROOT)
    assert result.returncode == 0, result.stderr[-2000:]
    cells = json.loads(out.read_text(encoding="utf-8"))["cells"]
    trend = next(c for c in cells if "#| label: trend" in "".join(c["source"]))
    assert any("image/png" in o.get("data", {}) or "image/svg+xml" in o.get("data", {}) for o in trend["outputs"])
    for name in ("section", "scorecard"):
        source = json.loads((ROOT / "notebooks" / f"{name}.ipynb").read_text(encoding="utf-8"))["cells"]
        parameters = next("".join(c["source"]) for c in source if "parameters" in c["metadata"].get("tags", []))
        assert 'office = ""' in parameters


def test_a_chart_an_analyst_draws_in_the_kernel_shows_chinese_not_boxes(tmp_path: Path):
    """A new pyplot figure in a notebook that imported helpers draws Chinese in the report's faces: a glyph
    missing from the face is a warning matplotlib gives, made an error here."""
    notebook = {
        "cells": [
            {
                "cell_type": "code",
                "execution_count": None,
                "id": "draw",
                "metadata": {},
                "outputs": [],
                "source": "import warnings\nimport helpers\nimport matplotlib.pyplot as plt\n"
                "warnings.simplefilter('error')\nfig, ax = plt.subplots()\n"
                "ax.set_title('法治政府建设年度报告')\nax.bar(['行政复议', '行政诉讼'], [3, 2])\nfig.canvas.draw()",
            }
        ],
        "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    source = tmp_path / "draw.ipynb"
    source.write_text(json.dumps(notebook, ensure_ascii=False), encoding="utf-8")
    result = papermill(str(source), str(tmp_path / "out.ipynb"), cwd=ROOT)
    assert result.returncode == 0, result.stderr[-2000:]
