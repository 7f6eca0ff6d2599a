"""One office-year, end to end: validate, run the section notebooks, compose, render, publish.

Notebooks run in parallel (one per core) and are reused from the cache when nothing they depend on
changed; a rendered document is reused when none of its sources changed.
"""

from __future__ import annotations

import json
import os
import shutil
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path

import yaml

from .project import find_project_root
from .cache import Cache, data_key, notebook_key, render_key
from .dataset import Dataset, load_dataset
from .document import compose
from .errors import ExecutionError
from .execute import NotebookRun, execute, kill_kernels
from .fonts import cjk_family
from .render import render, resolve_engine
from .staging import check_out_dir, new_stage, output_lock, publish
from .labels import SCORECARD_NOTEBOOK, SECTION_NOTEBOOK, annotate, executed_name
from .section import SectionView
from .variables import all_metrics, write_variables
from .version import code_version, data_digest

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
    strict: bool = False  # warnings (implausible figures, placeholders, no date) refuse the build
    project_root: Path = field(default_factory=find_project_root)
    workers: int = field(default_factory=lambda: os.cpu_count() or 1)

    @property
    def failed_dir(self) -> Path:
        """Where a failed notebook's executed copy, with papermill's error cell, is kept to open."""
        return self.build_dir / "failed" / self.office / str(self.year)

    @property
    def target(self) -> Path:
        return self.out_dir / self.office / str(self.year)


@dataclass
class BuildResult:
    files: dict[str, Path]
    executed: list[str] = field(default_factory=list)  # notebooks run this time
    reused: list[str] = field(default_factory=list)  # notebooks taken from the cache
    rendered: list[str] = field(default_factory=list)  # formats rendered this time (the rest were reused)
    removed: list[str] = field(default_factory=list)  # earlier files of the output folder not made this time
    warnings: list = field(default_factory=list)  # the dataset's warnings, for the summary

    @property
    def fully_reused(self) -> bool:
        return not self.executed and not self.rendered


def stage_project(request: BuildRequest, stage: Path) -> None:
    """Copy the Quarto project (``_quarto.yml``, ``report/``) into the stage, with this machine's CJK font."""
    config = yaml.safe_load((request.project_root / "_quarto.yml").read_text(encoding="utf-8"))
    config["format"]["typst"]["mainfont"] = cjk_family("serif")
    (stage / "_quarto.yml").write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    shutil.copytree(request.project_root / "report", stage / "report")
    (stage / "report" / "typst" / "fonts.typ").write_text(
        f'#let serif-font = "{cjk_family("serif")}"\n#let sans-font = "{cjk_family("sans")}"\n', encoding="utf-8")


@dataclass(frozen=True)
class NotebookJob:
    """One notebook run: the source notebook, its parameters, and the executed copy's name in the stage."""

    source: Path
    parameters: dict
    name: str
    section: str = ""  # the section it shows; empty for the scorecard


def notebook_jobs(request: BuildRequest, data: Dataset) -> list[NotebookJob]:
    """Every notebook one report embeds: one per section with something to show, then the scorecard.

    A section runs ``notebooks/section.ipynb`` unless its outline row names a notebook of its own."""
    folder = request.project_root / "notebooks"
    base = {"office": request.office, "year": request.year, "data_dir": str(request.data_dir)}
    jobs = []
    for section in data.outline.sections.values():
        view = SectionView(data, section.id)
        if view.figures or (section.role == "followup" and data.followups):
            source = folder / f"{section.notebook or SECTION_NOTEBOOK}.ipynb"
            jobs.append(NotebookJob(source, {**base, "section_id": section.id}, executed_name(section.id), section.id))
    jobs.append(NotebookJob(folder / f"{SCORECARD_NOTEBOOK}.ipynb", base, f"{SCORECARD_NOTEBOOK}.ipynb"))
    return jobs


def run_notebooks(request: BuildRequest, data: Dataset, stage: Path, cache: Cache, result: BuildResult) -> None:
    """Bring every executed notebook into the stage, from the cache or by running it, labelled and captioned."""
    fingerprint = data_key(request.data_dir, request.office, request.year)
    keyed = [(job, notebook_key(job.source, {**job.parameters, "data_dir": ""}, fingerprint))
             for job in notebook_jobs(request, data)]
    missing = [(job, key) for job, key in keyed if not cache.get("notebooks", key)]

    def run(item) -> None:
        job, key = item

        def fill(folder: Path) -> None:
            output = folder / job.name
            try:
                execute(NotebookRun(job.source, output, job.parameters))
            except ExecutionError as exc:
                if output.is_file():
                    request.failed_dir.mkdir(parents=True, exist_ok=True)
                    kept = shutil.copy2(output, request.failed_dir / job.name)
                    exc.keep_evidence(Path(kept))
                raise

        cache.put("notebooks", key, fill)

    pool = ThreadPoolExecutor(max_workers=max(1, min(request.workers, len(missing) or 1)))
    try:
        list(pool.map(run, missing))  # list() re-raises the first failure
    except BaseException:
        kill_kernels()  # Ctrl-C, SIGTERM or a failure: no kernel outlives the build
        pool.shutdown(wait=True, cancel_futures=True)
        raise
    pool.shutdown()
    result.executed += [job.name for job, _ in missing]
    result.reused += [job.name for job, key in keyed if (job, key) not in missing]

    for job, key in keyed:
        entry = cache.get("notebooks", key) or cache.put("notebooks", key, lambda folder, job=job: execute(
            NotebookRun(job.source, folder / job.name, job.parameters)))
        notebook = json.loads((entry / job.name).read_text(encoding="utf-8"))
        if job.section:
            annotate(notebook, job.section, SectionView(data, job.section).cell_options())
        (stage / "notebooks" / job.name).write_text(json.dumps(notebook, ensure_ascii=False, indent=1), encoding="utf-8")


def render_formats(request: BuildRequest, stage: Path, cache: Cache, result: BuildResult) -> dict[str, Path]:
    engine = resolve_engine(request.engine)
    keys = {fmt: render_key(stage, fmt, engine) for fmt in request.formats}
    missing = [fmt for fmt in request.formats if not cache.get("render", keys[fmt])]
    if missing:
        for fmt, path in render(stage, missing, engine).items():
            cache.put("render", keys[fmt], lambda folder, path=path: shutil.copy2(path, folder / path.name))
        result.rendered += missing
    return {fmt: cache.get("render", keys[fmt]) / f"report.{fmt}" for fmt in request.formats}


def build(request: BuildRequest) -> BuildResult:
    """Build the report and publish it; nothing is published unless every step succeeded."""
    request = replace(request, data_dir=request.data_dir.resolve(), out_dir=request.out_dir.resolve(),
                      build_dir=request.build_dir.resolve())
    check_out_dir(request.out_dir, request.data_dir, request.project_root)
    data = load_dataset(request.data_dir, request.office, request.year, strict=request.strict)
    cjk_family("serif")  # fail early, before any notebook runs, on a machine without a CJK font
    cache = Cache(request.build_dir / "cache")
    stage = new_stage(request.build_dir, request.office, request.year)
    try:
        return _build_in(request, data, cache, stage)
    finally:
        shutil.rmtree(stage, ignore_errors=True)


def keep_last_stage(stage: Path, request: BuildRequest) -> None:
    """The sources of the last published report stay in ``_build/<office>/<year>/stage/`` to inspect or
    to render by hand (``quarto render report.qmd``)."""
    last = request.build_dir / request.office / str(request.year) / "stage"
    shutil.rmtree(last, ignore_errors=True)
    os.replace(stage, last)
    stage.mkdir()  # for the caller's clean-up


def _build_in(request: BuildRequest, data: Dataset, cache: Cache, stage: Path) -> BuildResult:
    stage_project(request, stage)
    (stage / "notebooks").mkdir()
    result = BuildResult(files={}, warnings=data.warnings)
    run_notebooks(request, data, stage, cache, result)
    metrics = all_metrics(data)
    pending = {i: data.catalog.indicators[i].name_zh for i in sorted(data.pending)}
    write_variables(metrics, stage / "_variables.yml", pending)
    for image in data.images:  # checked by the narrative: PNG or JPEG files inside narrative/
        target = stage / image.relative_to(request.data_dir / request.office / str(request.year) / "narrative")
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(image, target)
    code, digest = code_version(request.project_root), data_digest(request.data_dir, request.office, request.year)
    (stage / "report.qmd").write_text(compose(data, metrics, code, digest), encoding="utf-8")
    rendered = render_formats(request, stage, cache, result)
    record = {"office": request.office, "year": request.year, "code": code, "data": digest,
              "engine": resolve_engine(request.engine), "formats": list(request.formats)}
    with output_lock(request.target):
        result.files, result.removed = publish({f"report.{fmt}": path for fmt, path in rendered.items()},
                                               request.target, record)
        keep_last_stage(stage, request)
    return result
