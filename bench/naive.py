"""The naive baseline: every notebook through papermill, one after another, then the render.

What one would write without this project's cache and parallel runs; bench/run.py times it.
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import papermill

from helpers.data.dataset import load_dataset
from helpers.document.document import compose
from helpers.document.render import render
from helpers.model.sectionview import SectionView
from helpers.model.variables import all_metrics, write_variables
from helpers.notebooks.labels import annotate
from helpers.publish.build import BuildRequest, notebook_jobs, stage_project


def main(data_dir: Path, stage: Path, office: str, year: int) -> None:
    request = BuildRequest(office, year, data_dir.resolve())
    data = load_dataset(data_dir, office, year)
    shutil.rmtree(stage, ignore_errors=True)
    stage.mkdir(parents=True)
    stage_project(request, stage)
    (stage / "notebooks").mkdir()
    for job in notebook_jobs(request, data):
        output = stage / "notebooks" / job.name
        papermill.execute_notebook(str(job.source), str(output), progress_bar=False, cwd=str(job.source.parent), parameters=job.parameters)
        if job.section:
            notebook = json.loads(output.read_text(encoding="utf-8"))
            annotate(notebook, job.section, SectionView(data, job.section).cell_options())
            output.write_text(json.dumps(notebook, ensure_ascii=False), encoding="utf-8")
    metrics = all_metrics(data)
    write_variables(metrics, stage / "_variables.yml")
    (stage / "report.qmd").write_text(compose(data, metrics), encoding="utf-8")
    render(stage, ["html", "pdf"], "builtin")


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3], int(sys.argv[4]))
