"""The naive baseline: every notebook through papermill, one after another, then the render.

What one would write without this project's cache and parallel runs; bench/run.py times it.
"""

from __future__ import annotations

import sys
from pathlib import Path

import papermill

from helpers.build import BuildRequest, notebook_names, stage_project
from helpers.dataset import load_dataset
from helpers.document import compose
from helpers.render import render
from helpers.staging import fresh_dir
from helpers.variables import read_metrics, write_variables


def main(data_dir: Path, stage: Path, office: str, year: int) -> None:
    request = BuildRequest(office, year, data_dir)
    data = load_dataset(data_dir, office, year)
    fresh_dir(stage)
    stage_project(request, stage)
    (stage / "notebooks").mkdir()
    for name in notebook_names(data):
        source = request.project_root / "notebooks" / f"{name}.ipynb"
        papermill.execute_notebook(str(source), str(stage / "notebooks" / source.name), progress_bar=False, cwd=str(source.parent),
                                   parameters={"office": office, "year": year, "data_dir": str(data_dir.resolve()),
                                               "metrics_dir": str((stage / "metrics").resolve())})
    metrics = read_metrics(stage / "metrics")
    write_variables(metrics, stage / "_variables.yml")
    (stage / "report.qmd").write_text(compose(data, metrics), encoding="utf-8")
    render(stage, ["html", "pdf"], "builtin")


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3], int(sys.argv[4]))
