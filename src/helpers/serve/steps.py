"""The steps of making a site, decided before any is carried out: which reports it lists as they are (up to
date, in the output folder or the site's own, listed from their manifests without loading their data),
which reports it builds into its own folder, and then each year's comparison of the offices listed.

:func:`plan_steps` surveys and loads; :func:`carry_out` runs the steps as ``build --all`` runs its own
(helpers.publish.pipeline: one rendering while the next one's notebook runs) and gives the site's model
(helpers.serve.listing.Site), which the pages then display. A step is a build's or a comparison's two halves
(helpers.publish.build), so it has their caches and their checks; the site never replaces an office-year's or
a comparison's published folder.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path

from ..data import record
from ..data.catalog import Catalog, Office, load_catalog
from ..data.dataset import Dataset, load_dataset, office_years
from ..data.disclosure_report import DisclosureReport, load_disclosure_report
from ..data.kinds import DEFAULT_KIND
from ..data.reports import places
from ..errors import InputError, ReportError, UsageError
from ..model.charts import Trend
from ..model.disclosure import listing_facts as disclosure_facts
from ..model.publication import publications
from ..model.section import listing_facts, trends_from
from ..publish import pipeline
from ..publish.build import BuildResult, Staged, prepare, prepare_comparison
from ..publish.cache import Cache
from ..publish.pipeline import Ready, Rest
from ..publish.request import BuildRequest, up_to_date, with_kernels
from .listing import Listing, Site
from .pages import draw_trend_charts
from .request import SITE_OUT, SiteRequest


@dataclass
class Entry:
    """One office-year on its way to the site: taken from its report's manifest, or loaded to be built."""

    office: str
    year: int
    facts: dict | None = None  # listing_facts, from an up-to-date report's manifest or once built
    files: dict[str, Path] = field(default_factory=dict)
    record: str = ""
    data: Dataset | DisclosureReport | None = None  # loaded: its report must be built
    kind: str = ""  # a report in its kind's own folder

    @property
    def name(self) -> str:
        return f"{self.office}/{self.kind}/{self.year}" if self.kind else f"{self.office}/{self.year}"

    @property
    def final(self) -> bool:
        if self.facts is not None:
            return self.facts["final"]
        return self.data is not None and self.data.final

    def listed(self) -> None:
        """What the site lists of a report it builds, known from its data before the build."""
        assert self.data is not None
        self.facts = disclosure_facts(self.data) if isinstance(self.data, DisclosureReport) else listing_facts(self.data)
        self.record = self.data.record.digest()

    def prepare(self, template: BuildRequest) -> Staged:
        """The report step's first half (helpers.publish.pipeline), into ``template``'s folder."""
        return prepare(replace(template, office=self.office, year=self.year, kind=self.kind))


@dataclass(frozen=True)
class ComparisonStep:
    """One year's comparison of the offices listed that year (two or more, reports of the office's own kind)."""

    year: int
    offices: tuple[str, ...]

    @property
    def name(self) -> str:
        return f"{self.year}年（{'、'.join(self.offices)}）"

    def prepare(self, template: BuildRequest) -> Staged | Ready[BuildResult]:
        """The comparison step's first half (helpers.publish.pipeline); Ready where its published one answers."""
        return prepare_comparison(replace(template, year=self.year), self.offices)


@dataclass
class SiteSteps:
    """What making the site must do: the reports it lists, those among them to build, and the site's own
    folder they are built in."""

    request: SiteRequest
    catalog: Catalog
    wanted: list[tuple[str, int]]  # every office-year of the office's own kind the site may list
    entries: list[Entry]  # every report the site may list, taken or loaded
    own: BuildRequest  # the site's own folder under the build folder: where the site builds a report

    @property
    def chosen(self) -> list[Entry]:
        return [e for e in self.entries if e.final or not self.request.final_only]

    @property
    def to_build(self) -> list[Entry]:
        return [e for e in self.chosen if e.data is not None]

    def said(self) -> str:
        chosen, to_build = self.chosen, self.to_build
        return f"计划：{len(chosen)} 份报告，{len(to_build)} 份需生成，{len(chosen) - len(to_build)} 份已是最新"


def targets(request: SiteRequest) -> list[tuple[str, int]]:
    """Every office-year the site may list; which offices and years exist is an input of the site (recorded
    by :func:`office_years`)."""
    found = office_years(request.data_dir)
    unknown = set(request.offices) - {o for o, _ in found}
    if unknown:
        raise UsageError(f"数据目录中没有这些单位的数据：{'、'.join(sorted(unknown))}")
    return [(o, y) for o, y in found if (not request.offices or o in request.offices) and (not request.years or y in request.years)]


def kind_targets(request: SiteRequest) -> list[tuple[str, int, str]]:
    """Every report of another kind than its office's year folders (the 政府信息公开工作年度报告 beside the
    法治政府建设 report) the site may list, read through the record as :func:`targets` reads the years."""
    return [
        (p.office, p.year, p.kind)
        for p in places(request.data_dir)
        if p.own_folder and (not request.offices or p.office in request.offices) and (not request.years or p.year in request.years)
    ]


def plan_steps(request: SiteRequest, public: BuildRequest) -> SiteSteps:
    """Survey every report the site may list: taken from its manifest where up to date (in ``public``, the
    output folder, or the site's own), else loaded to be built. Raise InputError with every problem of every
    report loaded, UsageError where nothing is left to list. Inside a view (helpers.data.record.steady, the
    site's plan's) the files it read are not read again."""
    own = replace(public, out_dir=request.build_dir / SITE_OUT)
    with record.steady():  # the reports' shared files are checked once
        catalog = load_catalog(request.data_dir)
        wanted = targets(request)
        entries = survey(request, wanted, (public, own))
    steps = SiteSteps(request, catalog, wanted, entries, own)
    if not steps.chosen:
        raise UsageError("没有可发布的单位年度" + ("（--final-only 只发布定稿，而所选的都是草稿）" if entries else "") + "，网站未发布")
    return steps


def survey(request: SiteRequest, wanted: list[tuple[str, int]], where: tuple[BuildRequest, ...]) -> list[Entry]:
    """Every report the site may list: taken from its manifest where up to date, else loaded to be built.
    Raise InputError with every problem of every report loaded."""
    entries, problems = [], []
    asked = [(office, year, "") for office, year in wanted] + kind_targets(request)
    for office, year, kind in asked:
        entry = _taken(office, year, where, request.data_dir, kind)
        if entry is not None:
            entries.append(entry)
            continue
        try:
            data = load_disclosure_report(request.data_dir, office, year) if kind else load_dataset(request.data_dir, office, year)
        except InputError as exc:
            problems += exc.problems
            continue
        entries.append(Entry(office, year, data=data, kind=kind))
    if problems:
        raise InputError(problems)
    return entries


def carry_out(steps: SiteSteps, cache: Cache | None = None, early: Callable[[Site], None] | None = None) -> Site:
    """Build each report to build and each year's comparison of the reports listed, one rendering while the
    next one's notebook runs (helpers.publish.pipeline), and give the site's model. Every step is tried; a
    ReportError then names every one that failed. With a ``cache``, the offices' trend charts are drawn into
    it meanwhile. ``early`` is given the model the site will have if the renders left succeed, once the last
    notebook has run: the pages can be written while the last document renders."""
    request = steps.request
    for entry in steps.to_build:
        entry.listed()
    listings = [_listing(steps.catalog.offices[e.office], e) for e in steps.chosen]
    trends = latest_trends(steps.chosen)
    compared = comparison_steps(listings)
    for entry in steps.chosen:
        request.say(f"报告：{entry.name}" + ("" if entry.data is not None else "（已是最新）"))
    for step in compared:
        request.say(f"对比：{step.name}")

    charts: list[Future] = []

    def halves(firsts: list) -> None:
        expected = [f.value if isinstance(f, Ready) else f.expected() if isinstance(f, Staged) else None for f in firsts]
        if early is None or not all(isinstance(e, BuildResult) for e in expected):
            return
        wait(charts)  # the pages take the trend charts drawn, rather than draw them again
        try:
            site = _site(steps, listings, trends, compared, expected, lambda _: None)
        except Exception:  # nothing written ahead: the site made once the renders end says what is wrong
            return
        early(site)

    with ThreadPoolExecutor(max_workers=1) as drawing, with_kernels(steps.own) as own:  # the steps mostly wait on kernels and Typst
        if cache is not None:
            charts.append(drawing.submit(draw_trend_charts, trends, cache, own.owner))  # ahead of the pages; a failure is met again there
        firsts: list[Callable[[], Rest[BuildResult]]] = [partial(e.prepare, own) for e in steps.to_build]
        firsts += [partial(c.prepare, own) for c in compared]
        results = pipeline.carry_out(firsts, halves=halves)
    pipeline.raise_faults(pipeline.faults(results), "site")  # once every step has ended (helpers.publish.pipeline)
    return _site(steps, listings, trends, compared, results, request.say)


def _site(
    steps: SiteSteps,
    listings: list[Listing],
    trends: dict[str, list[Trend]],
    compared: list[ComparisonStep],
    results: list,
    say: Callable[[str], None],
) -> Site:
    """The site's model from its steps' results (a BuildResult or the exception that stopped the step)."""
    request = steps.request
    failures, comparisons, files = [], {}, {}
    for entry, made in zip(steps.to_build, results[: len(steps.to_build)], strict=True):
        if isinstance(made, Exception):
            failures.append(f"{entry.name}：{_first_line(made)}")
        else:
            files[entry.name] = made.files
    for step, made in zip(compared, results[len(steps.to_build) :], strict=True):
        if isinstance(made, Exception):
            failures.append(f"{step.year}年对比：{_first_line(made)}")
        elif request.final_only and not made.facts.get("shared", 1):
            say(f"对比：{step.year}年各单位没有共同填报的指标，不收录")
        else:
            comparisons[step.year] = made.files
    if failures:
        raise ReportError("以下报告未能生成，网站未发布（上一次发布的网站保持不变）：\n" + "\n".join(f"  - {f}" for f in failures))
    listings = [replace(item, files=files.get(entry.name, entry.files)) for item, entry in zip(listings, steps.chosen, strict=True)]
    demo_only = {item.office.id for item in listings if item.demo} - {item.office.id for item in listings if not item.demo}
    years = tuple(sorted({y for _, y in steps.wanted}))
    shown = tuple(o for o in (request.offices or tuple(steps.catalog.offices)) if o not in demo_only)
    published = publications(request.data_dir, years, shown, request.as_of) if shown and years else []
    return Site(listings, comparisons, trends, request.final_only, published)


def comparison_steps(listings: list[Listing]) -> list[ComparisonStep]:
    """Each year's comparison of the offices listed that year, where two or more are (a comparison marks
    illustrative figures as such)."""
    steps = []
    for year in sorted({item.year for item in listings if not item.kind}):
        offices = tuple(item.office.id for item in listings if item.year == year and not item.kind)
        if len(offices) >= 2:
            steps.append(ComparisonStep(year, offices))
    return steps


def _listing(office: Office, entry: Entry) -> Listing:
    facts = entry.facts or {}
    kind_id = str(facts.get("kind") or entry.kind or DEFAULT_KIND)
    return Listing(office, entry.year, facts["final"], facts["illustrative"], entry.files, facts["demo"], entry.record, entry.kind, kind_id)


def latest_trends(entries: list[Entry]) -> dict[str, list[Trend]]:
    """Each office's trends as its latest year's report shows them (a report of another kind has none)."""
    latest: dict[str, Entry] = {}
    for entry in entries:
        if not entry.kind and (entry.office not in latest or entry.year > latest[entry.office].year):
            latest[entry.office] = entry
    return {office: trends_from(entry.facts or {}) for office, entry in latest.items()}


def _taken(office: str, year: int, where: tuple[BuildRequest, ...], data_dir: Path, kind: str = "") -> Entry | None:
    """The office-year as a report already made, up to date, in the first of ``where`` that has one."""
    for place in where:
        one = replace(place, office=office, year=year, kind=kind)
        manifest = up_to_date(one)
        facts = manifest.get("listing") if manifest is not None else None
        if manifest is not None and isinstance(facts, dict) and {"final", "illustrative", "demo", "trends"} <= facts.keys():
            record.replay(manifest["record"], data_dir)  # the site was made from these files
            return Entry(
                office,
                year,
                facts,
                {name: one.target / name for name in manifest["files"]},
                record.Record(data_dir.resolve(), manifest["record"]).digest(),
                kind=kind,
            )
    return None


def _first_line(exc: Exception) -> str:
    if isinstance(exc, InputError):
        return "；".join(str(p) for p in exc.problems[:3])
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
