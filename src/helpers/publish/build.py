"""One office-year, end to end: validate, run the section notebooks, compose, render, publish.

Notebooks run in parallel (one per core) and are reused from the cache when nothing they depend on
changed; a rendered document is reused when none of its sources changed.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

import yaml

from .. import fonts
from ..data.dataset import Dataset, load_dataset
from ..data.disclosure_report import load_disclosure_report
from ..data.kept import keep_in
from ..data.kinds import DISCLOSURE_KIND
from ..data.markup import plain
from ..data.record import Record
from ..document import downloads
from ..document.disclosure import compose_disclosure
from ..document.disclosure import open_items as disclosure_open_items
from ..document.document import compose, compose_comparison, open_items
from ..document.mupdf import import_pymupdf
from ..document.preflight import check as preflight_check
from ..document.render import render, resolve_engine
from ..document.wordstyles import stage_reference
from ..errors import ExecutionError, Finding, PreflightError
from ..model.chartstore import FOLDER as CHARTS
from ..model.chartstore import keep_charts, store_in
from ..model.disclosure import listing_facts as disclosure_facts
from ..model.district import load_comparison
from ..model.scorecard import shown as scorecard_shown
from ..model.section import listing_facts
from ..model.sectionview import SectionView
from ..model.variables import all_metrics, all_metrics_empty, write_variables
from ..notebooks.execute import NotebookRun, execute
from ..notebooks.labels import COMPARE_NOTEBOOK, SCORECARD_NOTEBOOK, SECTION_NOTEBOOK, annotate, executed_name, set_options
from ..project import CACHE
from .cache import Cache, environment_key, notebook_key, render_key
from .pipeline import Ready
from .plan import Plan, answered, code_key
from .request import COMPARE, BuildRequest, plan_of, resolved, with_kernels
from .staging import check_out_dir, new_stage, output_lock, publish
from .version import code_version

#: The project's own notebooks, whose charts are kept for the next run (helpers.model.chartstore).
PROJECT_NOTEBOOKS = (SECTION_NOTEBOOK, SCORECARD_NOTEBOOK, COMPARE_NOTEBOOK)


@dataclass
class BuildResult:
    files: dict[str, Path]
    executed: list[str] = field(default_factory=list)  # notebooks run this time
    reused: list[str] = field(default_factory=list)  # notebooks taken from the cache
    rendered: list[str] = field(default_factory=list)  # formats rendered this time (the rest were reused)
    removed: list[str] = field(default_factory=list)  # earlier files of the output folder not made this time
    preflight: list = field(default_factory=list)  # the layout problems of the PDF and Word copy (helpers.document.preflight)
    warnings: list = field(default_factory=list)  # the dataset's warnings, for the summary
    engine: str = ""  # quarto or builtin
    open_items: list[str] = field(default_factory=list)  # what the office still has to do, for the summary
    facts: dict = field(default_factory=dict)  # a comparison's: how much its offices have in common (manifest)

    @property
    def fully_reused(self) -> bool:
        return not self.executed and not self.rendered


def stage_project(request: BuildRequest, stage: Path) -> None:
    """Copy the Quarto project (``_quarto.yml``, ``report/``) into the stage, set in the faces installed here."""
    config = yaml.safe_load((request.project_root / "_quarto.yml").read_text(encoding="utf-8"))
    config["format"]["typst"]["mainfont"] = fonts.face("body")
    (stage / "_quarto.yml").write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    shutil.copytree(request.project_root / "report", stage / "report")
    (stage / "report" / "typst" / "fonts.typ").write_text(fonts.typst_declarations(), encoding="utf-8")
    if "docx" in request.formats:
        stage_reference(stage / "report" / "reference.docx")


@dataclass(frozen=True)
class NotebookJob:
    """One notebook run: the source notebook, its parameters, and the executed copy's name in the stage."""

    source: Path
    parameters: dict
    name: str
    section: str = ""  # the section it shows; empty for the scorecard
    inputs: str = ""  # what it displays: its outputs can change only when this does


def notebook_jobs(request: BuildRequest, data: Dataset) -> list[NotebookJob]:
    """Every notebook one report embeds: one per section with something to show, then the scorecard.

    A section runs ``notebooks/section.ipynb`` unless its outline row names a notebook of its own. The
    project's notebooks are keyed on what they display (a test proves the digest covers it); a notebook of an
    office's own may show anything the data holds (the signature date, a line of prose), so it is keyed on
    the whole record of what the office-year read."""
    folder = request.project_root / "notebooks"
    base = {"office": request.office, "year": request.year, "data_dir": str(request.data_dir)}
    jobs = []
    for section in data.outline.sections.values():
        view = SectionView(data, section.id)
        if view.figures or (section.role == "followup" and data.followups):
            source = folder / f"{section.notebook or SECTION_NOTEBOOK}.ipynb"
            shown = view.shown() if not section.notebook else f"record:{data.record.digest()}"
            jobs.append(NotebookJob(source, {**base, "section_id": section.id}, executed_name(section.id), section.id, shown))
    if data.has_history:  # a first year compares nothing: no scorecard
        jobs.append(NotebookJob(folder / f"{SCORECARD_NOTEBOOK}.ipynb", base, f"{SCORECARD_NOTEBOOK}.ipynb", "", scorecard_shown(data)))
    return jobs


def run_notebooks(request: BuildRequest, data: Dataset, stage: Path, cache: Cache, result: BuildResult) -> None:
    """Bring every executed notebook into the stage, from the cache or by running it, labelled and captioned."""
    for job, notebook in execute_jobs(request, notebook_jobs(request, data), cache, result):
        if job.section:
            annotate(notebook, job.section, SectionView(data, job.section).cell_options())
        write_notebook(stage / "notebooks" / job.name, notebook)


def write_document(stage: Path, composed: Callable[[], str]) -> None:
    """``report.qmd`` into the stage, and beside it the CSVs too large to give pandoc (helpers.document.downloads)."""
    with downloads.collecting() as large:
        (stage / "report.qmd").write_text(composed(), encoding="utf-8")
    downloads.stage(large, stage)


#: Output types no embedded output uses: Quarto takes any of them in a notebook for a JavaScript widget and puts
#: require.js and jQuery from a CDN into the page (a remote request, and an error offline).
LIVE_OUTPUTS = ("text/html", "application/javascript")


def write_notebook(path: Path, notebook: dict) -> None:
    """The executed notebook into the stage, for ``{{< embed >}}``: without HTML or JavaScript outputs (an
    analyst's table view); the report embeds Markdown and images only."""
    cells = [{**cell, "outputs": [_embeddable(o) for o in cell["outputs"]]} if "outputs" in cell else cell for cell in notebook.get("cells", [])]
    path.write_text(json.dumps({**notebook, "cells": cells}, ensure_ascii=False, indent=1), encoding="utf-8")


def _embeddable(output: dict) -> dict:
    data = output.get("data")
    if not isinstance(data, dict):
        return output
    return {**output, "data": {kind: value for kind, value in data.items() if kind not in LIVE_OUTPUTS}}


def execute_jobs(request: BuildRequest, jobs: list[NotebookJob], cache: Cache, result: BuildResult) -> list[tuple[NotebookJob, dict]]:
    """Run the jobs whose executed copy is not cached (in parallel, one per core); return every job's
    executed notebook. A failure keeps its evidence and stops every kernel."""
    keyed = [(job, notebook_key(job.source, {**job.parameters, "data_dir": ""}, job.inputs)) for job in jobs]
    entries = {key: cache.get("notebooks", key) for _, key in keyed}  # each entry checked once, here
    missing = [(job, key) for job, key in keyed if entries[key] is None]
    request.say(f"笔记本：{len(missing)} 个需运行，{len(keyed) - len(missing)} 个沿用缓存")
    if not missing and not request.keep_warm:
        request.owner.rest()  # no kernel needed: its parent's processor goes to the render

    if missing:
        store_in(cache.root / CHARTS / environment_key())  # the kernels take a chart drawn before from there
    own = {request.project_root / "notebooks" / f"{name}.ipynb" for name in PROJECT_NOTEBOOKS}

    def fill(job: NotebookJob, folder: Path) -> None:
        output = folder / job.name
        try:
            execute(NotebookRun(job.source, output, job.parameters), request.owner)
            request.say(f"  已运行 {job.name}")
            if job.source in own:  # an office's own notebook may show anything under any key: its charts are not kept
                keep_charts(json.loads(output.read_text(encoding="utf-8")))
        except ExecutionError as exc:
            if output.is_file():
                request.failed_dir.mkdir(parents=True, exist_ok=True)
                exc.keep_evidence(Path(shutil.copy2(output, request.failed_dir / job.name)))
            raise

    def run(item: tuple[NotebookJob, str]) -> tuple[str, Path]:
        job, key = item
        return key, cache.put("notebooks", key, lambda folder: fill(job, folder))

    pool = ThreadPoolExecutor(max_workers=max(1, min(request.workers, len(missing) or 1)))
    try:
        entries.update(pool.map(run, missing))
    except BaseException:
        request.owner.kill()  # Ctrl-C, SIGTERM or a failure: no kernel outlives the build
        pool.shutdown(wait=True, cancel_futures=True)
        raise
    pool.shutdown()
    for reason in request.owner.cold_reasons():
        request.say(f"预热内核不可用（{reason}），本次改用普通方式启动内核")
    result.executed += [job.name for job, _ in missing]
    result.reused += [job.name for job, key in keyed if (job, key) not in missing]
    return [(job, json.loads(cache.present("notebooks", key, entries[key], job.name).read_text(encoding="utf-8"))) for job, key in keyed]


def render_formats(request: BuildRequest, stage: Path, cache: Cache, result: BuildResult) -> dict[str, Path]:
    engine = result.engine = resolve_engine(request.engine)
    keys = {fmt: render_key(stage, fmt, engine) for fmt in request.formats}
    entries = {fmt: cache.get("render", keys[fmt]) for fmt in request.formats}  # each entry checked once, here
    missing = [fmt for fmt in request.formats if entries[fmt] is None]
    reused = [fmt for fmt in request.formats if fmt not in missing]
    request.say(
        f"渲染：{'、'.join(missing) or '无'}（{'Quarto' if engine == 'quarto' else '内置引擎'}）"
        + (f"；沿用已渲染的 {'、'.join(reused)}" if reused else "")
    )
    if missing:
        for fmt, path in render(stage, missing, engine, meanwhile=lambda: import_preflight(tuple(missing))).items():
            if fmt == "html":
                downloads.fill(path, stage)
            entries[fmt] = cache.put("render", keys[fmt], lambda folder, path=path: keep_rendered(path, folder))
        result.rendered += missing
    kept = {fmt: cache.present("render", keys[fmt], entry, f"report.{fmt}") for fmt, entry in entries.items()}
    for path in kept.values():  # measured once, when rendered: the same file has the same findings
        record = path.parent / PREFLIGHT_RECORD
        if record.is_file():
            result.preflight += [Finding(**f) for f in json.loads(record.read_text(encoding="utf-8"))]
    return kept


PREFLIGHT_RECORD = "preflight.json"


def import_preflight(formats: tuple[str, ...]) -> None:
    """PyMuPDF, which preflight reads a rendered PDF or Word copy with: imported while pandoc and Typst run,
    not after them. Not beside the data check and the notebooks, nor while the render's sources are written:
    there the import would hold the interpreter while this process does the work every later step waits for."""
    if {"pdf", "docx"} & set(formats):
        with contextlib.suppress(ImportError):  # preflight imports it again, and says what is missing
            import_pymupdf()


def keep_rendered(path: Path, folder: Path) -> None:
    """A rendered file into its cache entry, with what preflight found on its pages (PDF and Word)."""
    kept = Path(shutil.copy2(path, folder / path.name))
    if kept.suffix in (".pdf", ".docx"):
        findings = [asdict(f) for f in preflight_check([kept])]
        (folder / PREFLIGHT_RECORD).write_text(json.dumps(findings, ensure_ascii=False), encoding="utf-8")


def build(request: BuildRequest, todo: Plan | None = None) -> BuildResult:
    """Build the report and publish it; nothing is published unless every step succeeded. ``todo`` is the
    request's plan where the caller has made it (helpers.publish.request.plan_of), before reading anything."""
    with with_kernels(request) as owned:
        return prepare(owned, todo).finish()


def prepare(request: BuildRequest, todo: Plan | None = None) -> Staged:
    """The first half of a build, the one that runs kernels: the data checked, the notebooks run (or reused),
    the document composed in its stage. What is left (:meth:`Staged.finish`) runs no kernel. The request
    has its kernels' owner (helpers.publish.request.with_kernels)."""
    request = resolved(request)
    check_out_dir(request.out_dir, request.data_dir, request.project_root)
    keep_in(request.build_dir)
    todo = todo or plan_of(request)  # before anything is read: a change during the build rebuilds next time
    if request.place.kind == DISCLOSURE_KIND:
        return build_disclosure(request, todo)
    kernels = todo.kernels  # none for a prose edit
    if kernels:
        request.owner.expect()  # the warm parent and papermill import while the data is read and checked
    elif request.keep_warm:
        request.owner.warm_up()  # a preview's next save may need a kernel
    request.say(f"校验数据：{request.office}/{request.year}")
    data = load_dataset(request.data_dir, request.office, request.year, strict=request.strict)
    if kernels or request.keep_warm:
        request.owner.preload(request.data_dir, request.office, request.year)  # valid: every kernel reads it, loaded once
    for note in fonts.substitutes():  # fail early, before any notebook runs, on a machine without a CJK font
        request.say(note)
    return stage_report(request, todo, annual(request, data))


def build_disclosure(request: BuildRequest, todo: Plan) -> Staged:
    """A 政府信息公开工作年度报告: its tables checked, composed and rendered (no notebook: the tables are
    the format's, laid out by helpers.document.disclosure)."""
    request.say(f"校验数据：{request.office}/{request.year}（{request.place.kind}）")
    report = load_disclosure_report(request.data_dir, request.office, request.year, strict=request.strict)

    def fill(stage: Path, cache: Cache, result: BuildResult) -> Callable[[str, str], str]:
        write_variables(all_metrics_empty(), stage / "_variables.yml")
        return lambda code, digest: compose_disclosure(report, code, digest)

    listing = disclosure_facts(report)  # what a site lists of it, without loading it again
    fields = {"kind": request.place.kind}
    return stage_report(request, todo, Checked(report.record, report.warnings, disclosure_open_items(report), listing, report.final, fill, fields))


@dataclass(frozen=True)
class Checked:
    """A report's checked data as the steps every kind shares see it (stage, compose, render, publish): what
    it read, what it warns of and leaves open, what a site lists of it, and how its kind fills the stage."""

    record: Record
    warnings: list
    open_items: list[str]
    listing: dict
    final: bool
    fill: Callable[[Path, Cache, BuildResult], Callable[[str, str], str]]  # its sources into the stage; gives its composer
    fields: dict = field(default_factory=dict)  # its kind's own fields of the manifest


def annual(request: BuildRequest, data: Dataset) -> Checked:
    """The 法治政府建设年度报告: its notebooks run (or reused), its figures as variables, its images beside."""

    def fill(stage: Path, cache: Cache, result: BuildResult) -> Callable[[str, str], str]:
        (stage / "notebooks").mkdir()
        run_notebooks(request, data, stage, cache, result)
        metrics = all_metrics(data)
        pending = {i: data.catalog.indicators[i].name_zh for i in sorted(data.pending)}
        write_variables(metrics, stage / "_variables.yml", pending)
        for image in data.images:  # checked by the narrative: PNG or JPEG files inside narrative/
            target = stage / image.relative_to(request.data_dir / request.office / str(request.year) / "narrative")
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(image, target)
        return lambda code, digest: compose(data, metrics, code, digest)

    return Checked(data.record, data.warnings, open_items(data), listing_facts(data), data.final, fill)


@dataclass
class Staged:
    """A report composed in its stage: what is left of its build is to render, check and publish it, with no
    kernel. ``build --all`` hands it to a render thread and goes on with the next report's notebooks
    (helpers.publish.batch)."""

    request: BuildRequest
    stage: Path
    cache: Cache
    result: BuildResult
    manifest: dict
    final: bool = False

    def expected(self) -> BuildResult:
        """The result :meth:`finish` gives where it succeeds, known before it runs: what a site's pages show of
        the report, to write them while it renders (the site checks them against the result it gives)."""
        return replace(self.result, files={f"report.{fmt}": self.request.target / f"report.{fmt}" for fmt in self.request.formats})

    def finish(self) -> BuildResult:
        """Render and publish; the stage is removed however it ends (the published one kept: :func:`keep_last_stage`)."""
        try:
            return render_and_publish(self.request, self.stage, self.cache, self.result, self.manifest, final=self.final)
        finally:
            shutil.rmtree(self.stage, ignore_errors=True)


def stage_report(request: BuildRequest, todo: Plan, checked: Checked) -> Staged:
    """Stage the project and the kind's sources and compose ``report.qmd``, with the manifest to publish it
    with; the stage is removed where this fails."""
    cache = Cache(request.build_dir / CACHE)
    stage = new_stage(request.build_dir, request.place.output.parent.as_posix(), request.year)
    try:
        stage_project(request, stage)
        result = BuildResult(files={}, warnings=checked.warnings, open_items=checked.open_items)
        composer = checked.fill(stage, cache, result)
        code, digest = code_version(request.project_root), checked.record.digest()[:12]
        write_document(stage, lambda: composer(code, digest))
        manifest = {"office": request.office, "year": request.year, **checked.fields, "code": code, "data": digest}
        manifest |= {"inputs": todo.code, "notebook_inputs": todo.notebooks, "record": checked.record.entries}
        manifest |= {"notes": {"warnings": [str(w) for w in checked.warnings], "open_items": checked.open_items}, "listing": checked.listing}
    except BaseException:
        shutil.rmtree(stage, ignore_errors=True)
        raise
    return Staged(request, stage, cache, result, manifest, checked.final)


def keep_last_stage(stage: Path, request: BuildRequest) -> None:
    """The sources of the last published report stay in ``_build/<office>/<year>/stage/`` to inspect or
    to render by hand (``quarto render report.qmd``)."""
    last = request.build_dir / request.folder / "stage"
    shutil.rmtree(last, ignore_errors=True)
    os.replace(stage, last)
    stage.mkdir()  # for the caller's clean-up


def render_and_publish(request: BuildRequest, stage: Path, cache: Cache, result: BuildResult, record: dict, final: bool = False) -> BuildResult:
    """Render the asked formats (or reuse them) and swap them, with their manifest, into the output folder.

    The PDF and Word copy go through preflight first: its findings are warnings in a draft, and in a final
    year (or with ``--strict``) errors, and nothing is published."""
    rendered = render_formats(request, stage, cache, result)
    if result.preflight and (final or request.strict):
        raise PreflightError(result.preflight)
    record = {**record, "engine": result.engine, "formats": list(request.formats)}
    if result.preflight:
        record.setdefault("notes", {})["preflight"] = [str(f) for f in result.preflight]
    with output_lock(request.target):
        result.files, result.removed = publish({f"report.{fmt}": path for fmt, path in rendered.items()}, request.target, record)
        keep_last_stage(stage, request)
    return result


def build_comparison(request: BuildRequest, offices: tuple[str, ...], district: str = "") -> BuildResult:
    """The offices' comparison for ``request.year`` (of ``district``'s offices where one is named), made by
    the comparison notebook, published to ``<out>/compare/<year>/`` as the reports are (staged, checked,
    swapped whole)."""
    with with_kernels(request) as owned:
        return prepare_comparison(owned, offices, district).finish()


def prepare_comparison(request: BuildRequest, offices: tuple[str, ...], district: str = "") -> Staged | Ready[BuildResult]:
    """The first half of a comparison (its notebook run, its document composed), as :func:`prepare` is of a
    report; Ready where its published one answers for it."""
    request = replace(
        request, office=COMPARE, data_dir=request.data_dir.resolve(), out_dir=request.out_dir.resolve(), build_dir=request.build_dir.resolve()
    )
    check_out_dir(request.out_dir, request.data_dir, request.project_root)
    keep_in(request.build_dir)
    code = code_key(request.project_root, request.formats, request.engine, request.strict, COMPARE, sorted(offices), district)
    manifest = answered(request.target, request.data_dir, code) if offices else None  # "all" depends on the listing
    if manifest is not None:  # the same offices, made by this code from a record that reads the same: nothing is loaded
        files = {name: request.target / name for name in manifest["files"]}
        return Ready(BuildResult(files=files, engine=manifest.get("engine", ""), facts=manifest.get("facts", {})))
    request.owner.expect()  # a comparison runs its notebook: the warm parent and papermill import while the offices are checked
    if offices:  # the warm parent loads them for the notebook's kernel while this process checks them
        for office in offices:
            request.owner.preload(request.data_dir, office, request.year)
    comparison = load_comparison(request.year, offices, request.data_dir, district=district)
    chosen = tuple(o.id for o in comparison.offices)
    for office in () if offices and not district else chosen:  # the kernel then reads every office from memory
        request.owner.preload(request.data_dir, office, request.year)
    cache = Cache(request.build_dir / CACHE)
    stage = new_stage(request.build_dir, COMPARE, request.year)
    try:
        stage_project(request, stage)
        (stage / "notebooks").mkdir()
        facts = {"shared": len(comparison.shared), "compared": len(comparison.compared), "district": district}
        result = BuildResult(files={}, facts=facts)
        compare_job = NotebookJob(
            request.project_root / "notebooks" / f"{COMPARE_NOTEBOOK}.ipynb",
            {"year": request.year, "offices": ",".join(chosen), "district": district, "data_dir": str(request.data_dir)},
            f"{COMPARE_NOTEBOOK}.ipynb",
            "",
            comparison.shown(),
        )
        for job, notebook in execute_jobs(request, [compare_job], cache, result):
            set_options(notebook, {"fig-compare": {"fig-alt": plain(comparison.chart_alt())}})
            write_notebook(stage / "notebooks" / job.name, notebook)
        version, digest = code_version(request.project_root), comparison.record.digest()[:12]
        write_variables(all_metrics_empty(), stage / "_variables.yml")
        write_document(stage, lambda: compose_comparison(comparison, version, digest))
    except BaseException:
        shutil.rmtree(stage, ignore_errors=True)
        raise
    manifest = {"compare": list(chosen), "year": request.year, "code": version, "facts": facts, "data": digest}
    return Staged(request, stage, cache, result, manifest | {"inputs": code, "record": comparison.record.entries})
