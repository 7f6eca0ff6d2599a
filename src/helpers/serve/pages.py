"""The site's pages, written from the templates in ``report/site/`` (Jinja2) over the site's model
(helpers.serve.listing), with each office's trend chart beside its page.

Every value a template writes is text: Markdown, HTML and Quarto read it as those characters, in an
element or in an attribute (:func:`text`), so an office's name can never become markup. Only what this
module builds as markup (``Markup``) is written as it is.
"""

from __future__ import annotations

import functools
import json
import shutil
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from ..data.markup import literal, plain
from ..model.charts import Trend, trend_chart_svg, trend_rows
from ..model.publication import Publication
from ..project import find_project_root
from ..publish.cache import Cache, _digest, environment_key
from .listing import Listing, Site

if TYPE_CHECKING:
    from ..notebooks.kernels import Kernels

#: The templates of the site's pages, under the project root.
TEMPLATES = Path("report") / "site"
FORMAT_NAMES = {"html": "网页", "pdf": "PDF", "docx": "Word"}
CHART = "site-chart"  # the cache kind of an office's trend chart, keyed by the trends it draws


def text(value: object) -> Markup:
    """What a template's ``{{ value }}`` writes: markup (made here, or a macro's) as it is, anything else as text."""
    if isinstance(value, Markup):
        return value
    return Markup(literal(value).replace('"', "&quot;"))


def _by_format(files: object) -> list[Path]:
    order = list(FORMAT_NAMES)
    return sorted(files, key=lambda path: order.index(path.suffix[1:]) if path.suffix[1:] in order else len(order))  # type: ignore[call-overload]


def _by_office_and_kind(found: list[Publication]) -> list[tuple]:
    rows = dict.fromkeys((p.office, p.kind) for p in found)
    return [(office, kind, {p.year: p for p in found if p.office == office and p.kind == kind}) for office, kind in rows]


@functools.cache
def environment(folder: Path) -> Environment:
    """The templates of ``folder``, loaded once a process; an undefined name is an error, not an empty string."""
    env = Environment(
        loader=FileSystemLoader(folder), finalize=text, undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True, autoescape=True
    )
    env.filters.update(
        yaml=lambda value: Markup(json.dumps(literal(value), ensure_ascii=False)),  # a JSON string is a YAML scalar
        attribute=lambda value: Markup(plain(str(value))),  # a pandoc attribute's value: one line, no quote
        format_name=lambda path: FORMAT_NAMES.get(path.suffix[1:], path.name),
        by_format=_by_format,
        by_office_and_kind=_by_office_and_kind,
        trend_years=lambda trends: sorted({p.year for t in trends for p in t.points}),
        by_year=lambda points: {p.year: p.text + ("（示例）" if p.illustrative else "") for p in points},
    )
    return env


def _render(name: str, project_root: Path | None, **values: object) -> str:
    template = environment((project_root or find_project_root()) / TEMPLATES).get_template(name)
    return template.render(**values).rstrip() + "\n"


def index_page(site: Site, project_root: Path | None = None) -> str:
    """The district's front page: every office and year, with status and files, and each year's comparison."""
    reports = [item for item in site.listings if not item.demo]
    real = [(office, items) for office in site.offices if (items := [i for i in site.of(office.id) if not i.demo])]
    demos = [(office, items) for office in site.offices if (items := [i for i in site.of(office.id) if i.demo])]
    return _render(
        "index.md.j2",
        project_root,
        title=site.title,
        offices_listed=len({item.office.id for item in reports}),
        reports=reports,
        drafts=sum(not item.final for item in reports),
        final_only=site.final_only,
        real=real,
        demos=demos,
        published=site.published,
        as_of=site.published[0].as_of if site.published else None,
        comparisons=[(year, _by_format(files.values())) for year, files in sorted(site.comparisons.items(), reverse=True)],
    )


def office_page(site: Site, office_id: str, chart: str = "", project_root: Path | None = None) -> str:
    """One office: its years (linked), and the trend of its headline indicators across them."""
    listings: list[Listing] = site.of(office_id)
    trends = site.trends.get(office_id, [])
    return _render(
        "office.md.j2", project_root, title=listings[0].office.name_zh, listings=listings, trends=trends, chart=chart, alt=trend_alt(trends)
    )


def trend_alt(trends: list[Trend]) -> str:
    return "柱形图，历年数值：" + "；".join(
        f"{t.title}：" + "、".join(f"{p.year}年{p.text}{'（示例）' if p.illustrative else ''}" for p in t.points) for t in trends
    )


def trend_key(trends: list[Trend]) -> str:
    """An office's trend chart's cache key: what it draws, and the code that draws it."""
    return _digest([environment_key(), repr(trends), "svg"])


def trend_svg(trends: list[Trend], cache: Cache | None) -> bytes:
    """An office's trend chart in vector form (empty bytes for none), drawn again only when what it draws
    changed: one office's change redraws one chart."""
    if cache is None:
        return trend_chart_svg(trends)
    key = trend_key(trends)
    entry = cache.get(CHART, key) or cache.put(CHART, key, lambda folder: (folder / "trends.svg").write_bytes(trend_chart_svg(trends)))
    return (entry / "trends.svg").read_bytes()


def draw_trend_charts(trends: dict[str, list[Trend]], cache: Cache, kernels: Kernels | None = None) -> None:
    """Every office's trend chart into the cache, ahead of its page (a site draws them while its comparisons
    run in their kernels): ``write_pages`` then takes them as they are. With ``kernels``, the charts not cached
    are drawn in a child of their warm parent, which has matplotlib and the faces loaded, so this process
    neither imports them nor holds the interpreter from the steps it runs meanwhile; any the child did not
    leave are drawn here, where a failure is said."""
    keyed = {trend_key(t): t for t in trends.values() if t}
    missing = {key: t for key, t in keyed.items() if cache.get(CHART, key) is None}
    if kernels is not None and missing:
        cache.root.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(dir=cache.root, prefix=".charts-") as folder:
            drawn = {key: Path(folder) / f"{n}.svg" for n, key in enumerate(missing)}
            charts = [[str(drawn[key]), trend_rows(t)] for key, t in missing.items()]
            if kernels.run_job("trend-charts", {"charts": charts}):
                for key, path in drawn.items():
                    if path.is_file():
                        cache.put(CHART, key, lambda entry, path=path: shutil.copyfile(path, entry / "trends.svg"))
                        del missing[key]
    for office_trends in missing.values():  # what the child did not leave
        trend_svg(office_trends, cache)


def write_pages(site: Site, folder: Path, cache: Cache | None = None, project_root: Path | None = None) -> list[str]:
    """The site's Markdown pages and trend images into ``folder``; returns the pages (relative paths)."""
    (folder / "offices").mkdir(parents=True, exist_ok=True)
    (folder / "index.md").write_text(index_page(site, project_root), encoding="utf-8")
    pages = ["index.md"]
    for office in site.offices:
        trends = site.trends.get(office.id, [])
        chart = trend_svg(trends, cache) if trends else b""
        name = f"{office.id}-trends.svg" if chart else ""
        if chart:
            (folder / "offices" / name).write_bytes(chart)
        (folder / "offices" / f"{office.id}.md").write_text(office_page(site, office.id, name, project_root), encoding="utf-8")
        pages.append(f"offices/{office.id}.md")
    return pages
