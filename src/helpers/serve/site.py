"""A district's site: every office's reports, each office's trends and the offices' comparisons, as one
static folder (``<out>/site/``) that works opened from disk or served, and asks nothing of the network.

The model (helpers.serve.listing: which office-years, final or draft, their files, each office's trends) is
made apart from its pages (helpers.serve.pages: Markdown from the templates in ``report/site/``), which are
rendered by Quarto as a website project where Quarto is installed, else by pandoc, and the whole folder is
published in one swap, as a report is. Reports and comparisons
come from ``build`` and ``compare`` (so from their caches); the pages are cached on everything they show.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path

import yaml

from ..data import record
from ..data.catalog import Office, load_catalog
from ..data.dataset import Dataset, keep_in, load_dataset, office_years
from ..data.disclosure_report import DisclosureReport, load_disclosure_report
from ..data.kinds import DEFAULT_KIND
from ..data.reports import ReportPlace, places
from ..document.render import quarto_env, run_step
from ..errors import InputError, RenderError, ReportError, UsageError
from ..model.charts import Trend
from ..model.disclosure import listing_facts as disclosure_facts
from ..model.publication import publications
from ..model.section import listing_facts, trends_from
from ..notebooks.kernels import Kernels
from ..publish.build import build, build_comparison
from ..publish.cache import Cache, _digest, environment_key, programs_key
from ..publish.request import BuildRequest, up_to_date
from ..publish.staging import check_out_dir, new_stage, output_lock, publish
from .listing import Listing, Site
from .pages import TEMPLATES, draw_trend_charts, write_pages
from .request import SITE, SITE_OUT, SitePlan, SiteRequest, SiteResult, plan_site

#: The site's own styles, beside the report's (report/README.md).
STYLESHEETS = ("report/fonts.css", "report/site.css")


def targets(request: SiteRequest) -> list[tuple[str, int]]:
    """Every office-year the site may list; which offices and years exist is an input of the site (recorded
    by :func:`office_years`)."""
    found = office_years(request.data_dir)
    unknown = set(request.offices) - {o for o, _ in found}
    if unknown:
        raise UsageError(f"数据目录中没有这些单位的数据：{'、'.join(sorted(unknown))}")
    return [(o, y) for o, y in found if (not request.offices or o in request.offices) and (not request.years or y in request.years)]


def kind_targets(request: SiteRequest) -> list[ReportPlace]:
    """Every report of another kind than its office's year folders (the 政府信息公开工作年度报告 beside the
    法治政府建设 report) the site may list, read through the record as :func:`targets` reads the years."""
    return [
        p
        for p in places(request.data_dir)
        if p.own_folder and (not request.offices or p.office in request.offices) and (not request.years or p.year in request.years)
    ]


@dataclass
class _Entry:
    """One office-year on its way to the site: taken from its report's manifest, or loaded to be built."""

    office: str
    year: int
    facts: dict | None = None  # listing_facts, from an up-to-date report's manifest
    files: dict[str, Path] = field(default_factory=dict)
    record: str = ""
    data: Dataset | DisclosureReport | None = None  # loaded: its report must be built
    kind: str = ""  # a report in its kind's own folder

    @property
    def final(self) -> bool:
        if self.facts is not None:
            return self.facts["final"]
        return self.data is not None and self.data.final


def make_site(request: SiteRequest, kernels: Kernels | None = None, cache: Cache | None = None, seen: dict | None = None) -> Site:
    """Build (or take as they are) every report and comparison the site lists, step by step: survey what is
    up to date and load the rest, build each report to make, build each year's comparison, then the model.

    A report whose plan says it is up to date, in the output folder or in the site's own, is listed from its
    manifest (the build recorded there what the site shows of it), without loading its data; the others are
    loaded and checked, every problem of every one at once, and built into the site's own folder under the
    build folder: the site never replaces an office-year's or a comparison's published folder. With a
    ``cache``, the offices' trend charts are drawn into it while the comparisons' kernels run. ``seen`` is what
    the site's plan read (helpers.serve.request.SitePlan): the survey does not read those files again."""
    public = BuildRequest(
        "",
        0,
        request.data_dir,
        request.out_dir,
        request.build_dir,
        formats=request.formats,
        engine=request.engine,
        project_root=request.project_root,
        kernels=kernels,
    )
    template = replace(public, out_dir=request.build_dir / SITE_OUT)
    with record.steady(seen):  # one view of the data folder for the whole site: each file is hashed once
        catalog = load_catalog(request.data_dir)
        wanted = targets(request)
        entries = survey(request, wanted, (public, template))
        chosen = [e for e in entries if e.final or not request.final_only]
        if not chosen:
            raise UsageError("没有可发布的单位年度" + ("（--final-only 只发布定稿，而所选的都是草稿）" if entries else "") + "，网站未发布")
        failures = build_reports(request, chosen, template)
        made = [e for e in chosen if e.facts is not None]
        listings = [_listing(catalog.offices[e.office], e) for e in made]
        trends = latest_trends(made)
        with ThreadPoolExecutor(max_workers=1) as drawing:  # the comparisons mostly wait on their kernel and Typst
            if cache is not None:
                drawing.submit(draw_trend_charts, trends, cache)  # ahead of the pages; a failure is met again there
            comparisons, failed = build_comparisons(request, listings, template)
    if failures + failed:
        raise ReportError("以下报告未能生成，网站未发布（上一次发布的网站保持不变）：\n" + "\n".join(f"  - {f}" for f in failures + failed))
    demo_only = {item.office.id for item in listings if item.demo} - {item.office.id for item in listings if not item.demo}
    years = tuple(sorted({y for _, y in wanted}))
    shown = tuple(o for o in (request.offices or tuple(catalog.offices)) if o not in demo_only)
    published = publications(request.data_dir, years, shown, request.as_of) if shown and years else []
    return Site(listings, comparisons, trends, request.final_only, published)


def survey(request: SiteRequest, wanted: list[tuple[str, int]], places: tuple[BuildRequest, ...], seen: dict | None = None) -> list[_Entry]:
    """Every report the site may list: taken from its manifest where up to date, else loaded to be built.
    Raise InputError with every problem of every report loaded."""
    entries, problems = [], []
    asked = [(office, year, "") for office, year in wanted] + [(p.office, p.year, p.kind) for p in kind_targets(request)]
    with record.steady(seen):  # the reports' shared files are checked once, and not again after the site's plan
        for office, year, kind in asked:
            entry = _taken(office, year, places, request.data_dir, kind)
            if entry is not None:
                entries.append(entry)
                continue
            try:
                data = load_disclosure_report(request.data_dir, office, year) if kind else load_dataset(request.data_dir, office, year)
            except InputError as exc:
                problems += exc.problems
                continue
            entries.append(_Entry(office, year, data=data, kind=kind))
    if problems:
        raise InputError(problems)
    return entries


def build_reports(request: SiteRequest, entries: list[_Entry], template: BuildRequest) -> list[str]:
    """Build each report that is not up to date into the site's own folder; return what failed, one line each."""
    failures = []
    for entry in entries:
        name = f"{entry.office}/{entry.kind}/{entry.year}" if entry.kind else f"{entry.office}/{entry.year}"
        if entry.data is None:
            request.say(f"报告：{name}（已是最新）")
            continue
        request.say(f"报告：{name}")
        try:
            entry.files = build(BuildRequest(entry.office, entry.year, **_common(template), kind=entry.kind)).files
        except ReportError as exc:
            failures.append(f"{name}：{_first_line(exc)}")
            continue
        entry.facts = disclosure_facts(entry.data) if isinstance(entry.data, DisclosureReport) else listing_facts(entry.data)
        entry.record = entry.data.record.digest()
    return failures


def build_comparisons(request: SiteRequest, listings: list[Listing], template: BuildRequest) -> tuple[dict[int, dict[str, Path]], list[str]]:
    """Each year's comparison of the offices listed that year (two or more, reports of the office's own kind);
    return them by year, and what failed, one line each."""
    comparisons, failures = {}, []
    for year in sorted({item.year for item in listings if not item.kind}):  # a comparison marks illustrative figures as such
        offices = tuple(item.office.id for item in listings if item.year == year and not item.kind)
        if len(offices) < 2:
            continue
        request.say(f"对比：{year}年（{'、'.join(offices)}）")
        try:
            made = build_comparison(BuildRequest("", year, **_common(template)), offices)
        except ReportError as exc:
            failures.append(f"{year}年对比：{_first_line(exc)}")
            continue
        if request.final_only and not made.facts.get("shared", 1):
            request.say(f"对比：{year}年各单位没有共同填报的指标，不收录")
            continue
        comparisons[year] = made.files
    return comparisons, failures


def _listing(office: Office, entry: _Entry) -> Listing:
    facts = entry.facts or {}
    kind_id = str(facts.get("kind") or entry.kind or DEFAULT_KIND)
    return Listing(office, entry.year, facts["final"], facts["illustrative"], entry.files, facts["demo"], entry.record, entry.kind, kind_id)


def latest_trends(entries: list[_Entry]) -> dict[str, list[Trend]]:
    """Each office's trends as its latest year's report shows them (a report of another kind has none)."""
    latest: dict[str, _Entry] = {}
    for entry in entries:
        if not entry.kind and (entry.office not in latest or entry.year > latest[entry.office].year):
            latest[entry.office] = entry
    return {office: trends_from(entry.facts or {}) for office, entry in latest.items()}


def _taken(office: str, year: int, places: tuple[BuildRequest, ...], data_dir: Path, kind: str = "") -> _Entry | None:
    """The office-year as a report already made, up to date, in the first of ``places`` that has one."""
    for place in places:
        one = replace(place, office=office, year=year, kind=kind)
        manifest = up_to_date(one)
        facts = manifest.get("listing") if manifest is not None else None
        if manifest is not None and isinstance(facts, dict) and {"final", "illustrative", "demo", "trends"} <= facts.keys():
            record.replay(manifest["record"], data_dir)  # the site was made from these files
            return _Entry(
                office,
                year,
                facts,
                {name: one.target / name for name in manifest["files"]},
                record.Record(data_dir.resolve(), manifest["record"]).digest(),
                kind=kind,
            )
    return None


def _common(template: BuildRequest) -> dict:
    return {
        "data_dir": template.data_dir,
        "out_dir": template.out_dir,
        "build_dir": template.build_dir,
        "formats": template.formats,
        "engine": template.engine,
        "project_root": template.project_root,
        "kernels": template.kernels,
    }


def _first_line(exc: Exception) -> str:
    if isinstance(exc, InputError):
        return "；".join(str(p) for p in exc.problems[:3])
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__


# --- rendering -------------------------------------------------------------------------------------

PAGE = "site-page"  # the cache kind of one page rendered by pandoc, keyed by its source, images and styles
IMAGE = re.compile(r"!\[[^\]]*\]\(([^)\s]+)\)")


def page_key(source: Path, stylesheets: list[Path]) -> str:
    """Everything one page is rendered from: its Markdown, the images it shows, the styles, the code."""
    text = source.read_bytes()
    images = [source.parent / name for name in IMAGE.findall(text.decode("utf-8"))]
    return _digest([environment_key(), text, *(p.name.encode() + p.read_bytes() for p in images + stylesheets)])


def render_pages(stage: Path, pages: list[str], engine: str, project_root: Path, cache: Cache | None = None) -> dict[str, Path]:
    """Each page as HTML (images and styles inlined), by Quarto's website project or by pandoc. With
    pandoc each page is its own step, cached on what it is made from: one office's change renders its page."""
    for sheet in STYLESHEETS:
        shutil.copy2(project_root / sheet, stage / Path(sheet).name)
    if engine == "quarto":
        return _render_quarto(stage, pages)
    import pypandoc

    sheets = [stage / Path(sheet).name for sheet in STYLESHEETS]
    pandoc = pypandoc.get_pandoc_path()

    def one(page: str) -> tuple[str, Path]:
        source = stage / page
        target = source.with_suffix(".html")

        def render(folder: Path) -> None:
            css = [arg for sheet in sheets for arg in ("--css", str(sheet))]
            proc = run_step(
                [
                    pandoc,
                    "--standalone",
                    "--embed-resources",
                    "--quiet",
                    "--from",
                    "markdown",
                    "--to",
                    "html5",
                    "--resource-path",
                    str(source.parent),
                    *css,
                    "--output",
                    str(folder / "page.html"),
                    str(source),
                ],
                f"pandoc 生成 {page} ",
                cwd=source.parent,
            )
            if proc.returncode != 0:
                raise RenderError(f"pandoc 生成 {page} 失败：{proc.stderr.strip()[-2000:]}")

        if cache is None:
            render(target.parent)
            (target.parent / "page.html").replace(target)
        else:
            key = page_key(source, sheets)
            entry = cache.get(PAGE, key) or cache.put(PAGE, key, render)
            shutil.copy2(entry / "page.html", target)
        return str(Path(page).with_suffix(".html")), target

    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:  # one pandoc a core; the first failure is raised
        return dict(pool.map(one, pages))


def _render_quarto(stage: Path, pages: list[str]) -> dict[str, Path]:
    config = {
        "project": {"type": "website", "output-dir": "_site", "render": [str(Path(p).with_suffix(".qmd")) for p in pages]},
        "website": {"title": "法治政府建设年度报告", "search": False},  # Quarto's search fetches a JSON file: not from disk
        "lang": "zh-CN",
        "format": {"html": {"minimal": True, "embed-resources": True, "css": [Path(s).name for s in STYLESHEETS]}},
    }
    (stage / "_quarto.yml").write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    for page in pages:
        (stage / page).rename((stage / page).with_suffix(".qmd"))
    proc = run_step(["quarto", "render"], "quarto render（网站）", cwd=stage, env=quarto_env())
    if proc.returncode != 0:
        raise RenderError(f"quarto render（网站）失败：\n{proc.stderr[-3000:]}")
    return {str(Path(p).with_suffix(".html")): stage / "_site" / Path(p).with_suffix(".html") for p in pages}


def pages_key(site: Site, engine: str, project_root: Path) -> str:
    """Everything the pages show: each listing, its report files, the trends' data, the styles, the templates,
    the engine."""
    sources = [*(project_root / s for s in STYLESHEETS), *sorted((project_root / TEMPLATES).glob("*.j2"))]
    parts = [environment_key(), programs_key(engine), engine, site.final_only, *sources]
    parts = [p.read_bytes() if isinstance(p, Path) else p for p in parts]
    for item in site.listings:
        parts += [
            item.folder,
            item.kind_id,
            item.final,
            item.illustrative,
            item.record,
            json.dumps({fmt: path.name for fmt, path in item.files.items()}),
        ]
    parts += [json.dumps({year: sorted(f.name for f in files.values()) for year, files in site.comparisons.items()})]
    parts += [repr([(p.office.id, p.year, p.state, p.signed, p.deadline_zh, p.as_of) for p in site.published])]
    return _digest(parts)


def build_site(request: SiteRequest, planned: SitePlan | None = None) -> SiteResult:
    """Build every report and comparison the site lists, write its pages, and publish ``<out>/site/``.
    ``planned`` is the request's plan where the caller has made it (helpers.serve.request.plan_site)."""
    planned = planned or plan_site(request)
    if planned.answer is not None:
        return planned.answer
    request, engine, target, code = planned.request, planned.engine, planned.target, planned.code
    check_out_dir(request.out_dir, request.data_dir, request.project_root)
    keep_in(request.build_dir)
    with Kernels() as kernels, record.recording(request.data_dir) as read:
        kernels.expect()  # a comparison to make runs a notebook: the warm parent and papermill import while the reports are checked
        site = make_site(request, kernels, cache := Cache(request.build_dir / "cache"), planned.seen)
    key = pages_key(site, engine, request.project_root)
    entry = cache.get(SITE, key)
    reused = entry is not None
    if entry is None:
        request.say("网站页面：生成")
        stage = new_stage(request.build_dir, SITE, 0)
        try:
            pages = write_pages(site, stage / "pages", cache, request.project_root)
            rendered = render_pages(stage / "pages", pages, engine, request.project_root, cache)

            def fill(folder: Path) -> None:
                for name, path in rendered.items():
                    (folder / name).parent.mkdir(parents=True, exist_ok=True)
                    shutil.copy2(path, folder / name)

            entry = cache.put(SITE, key, fill)
        finally:
            shutil.rmtree(stage, ignore_errors=True)
    else:
        request.say("网站页面：沿用缓存")
    files = {str(p.relative_to(entry)): p for p in sorted(entry.rglob("*.html"))}
    for item in site.listings:
        files.update({f"{item.folder}/{path.name}": path for path in item.files.values()})
    for year, formats in site.comparisons.items():
        files.update({f"compare/{year}/{path.name}": path for path in formats.values()})
    listed, drafts = [item.folder for item in site.listings], [item.folder for item in site.listings if not item.final]
    with output_lock(target, request.build_dir):
        publish(
            files,
            target,
            {
                "site": listed,
                "drafts": drafts,
                "compare": sorted(site.comparisons),
                "engine": engine,
                "final_only": request.final_only,
                "inputs": code,
                "record": read.entries,
            },
        )
    return SiteResult(target, reused, engine, listed, drafts, sorted(site.comparisons))
