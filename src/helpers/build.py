"""One office-year, end to end: validate, run the section notebooks, compose, render, publish."""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .dataset import Dataset, load_dataset
from .document import SCORECARD, compose
from .execute import NotebookRun, execute
from .fonts import cjk_family
from .render import render
from .staging import fresh_dir, publish
from .variables import read_metrics, write_variables



def find_project_root(start: Path | None = None) -> Path:
    """The folder holding ``_quarto.yml``, ``notebooks/`` and ``report/``: the working directory or
    one above it, else the checkout this package was installed from (``pip install -e .``)."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "_quarto.yml").is_file() and (folder / "notebooks").is_dir():
            return folder
    return Path(__file__).resolve().parents[2]


FORMATS = ("html", "pdf", "docx")


@dataclass(frozen=True)
class BuildRequest:
    office: str
    year: int
    data_dir: Path = Path("data")
    out_dir: Path = Path("_output")
    build_dir: Path = Path("_build")
    formats: tuple[str, ...] = ("html", "pdf")
    engine: str = "auto"
    project_root: Path = field(default_factory=find_project_root)

    @property
    def stage(self) -> Path:
        return self.build_dir / self.office / str(self.year)

    @property
    def target(self) -> Path:
        return self.out_dir / self.office / str(self.year)


def stage_project(request: BuildRequest, stage: Path) -> None:
    """Copy the Quarto project (``_quarto.yml``, ``report/``) into the stage, with this machine's CJK font."""
    config = yaml.safe_load((request.project_root / "_quarto.yml").read_text(encoding="utf-8"))
    config["format"]["typst"]["mainfont"] = cjk_family("serif")
    (stage / "_quarto.yml").write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    shutil.copytree(request.project_root / "report", stage / "report")


def notebook_names(data: Dataset) -> list[str]:
    """Every notebook one report needs: one per section that has one, then the scorecard."""
    return [s.notebook for s in data.catalog.sections.values() if s.notebook] + [Path(SCORECARD).stem]


def run_notebooks(request: BuildRequest, data: Dataset, stage: Path) -> None:
    params = {"office": request.office, "year": request.year, "data_dir": str(request.data_dir.resolve()),
              "metrics_dir": str((stage / "metrics").resolve())}
    for name in notebook_names(data):
        source = request.project_root / "notebooks" / f"{name}.ipynb"
        execute(NotebookRun(source, stage / "notebooks" / source.name, params))


def build(request: BuildRequest) -> dict[str, Path]:
    """Build the report; return the published files. Nothing is published unless every step succeeded."""
    data = load_dataset(request.data_dir, request.office, request.year)
    cjk_family("serif")  # fail early, before any notebook runs, on a machine without a CJK font
    stage = fresh_dir(request.stage)
    stage_project(request, stage)
    run_notebooks(request, data, stage)
    metrics = read_metrics(stage / "metrics")
    write_variables(metrics, stage / "_variables.yml")
    (stage / "report.qmd").write_text(compose(data, metrics), encoding="utf-8")
    rendered = render(stage, list(request.formats), request.engine)
    return publish({f"report.{fmt}": path for fmt, path in rendered.items()}, request.target)
