"""A district's site: every office's reports, each office's trends and the offices' comparisons, as one
static folder (``<out>/site/``) that works opened from disk or served, and asks nothing of the network.

The model (which office-years, final or draft, their files, each office's trends) is made apart from
its pages; the pages are Markdown, rendered by Quarto as a website project where Quarto is installed,
else by pandoc, and the whole folder is published in one swap, as a report is. Reports and comparisons
come from ``build`` and ``compare`` (so from their caches); the pages are cached on everything they show.
"""

from __future__ import annotations

import html
import json
import re
import shutil
from dataclasses import dataclass, field, replace
from pathlib import Path

import yaml

from ..data import record
from ..data.catalog import Office, load_catalog
from ..data.dataset import Dataset, keep_in, load_dataset, office_years
from ..data.disclosure_report import DisclosureReport, load_disclosure_report
from ..data.kinds import DEFAULT_KIND, KINDS
from ..data.markup import literal, plain
from ..data.reports import ReportPlace, places
from ..document.render import quarto_env, run_step
from ..errors import InputError, RenderError, ReportError, UsageError
from ..model.charts import Trend, draw_trends, to_svg
from ..model.disclosure import listing_facts as disclosure_facts
from ..model.publication import Publication, publications
from ..model.section import listing_facts, trends_from
from ..notebooks.kernels import Kernels
from ..publish.build import build, build_comparison
from ..publish.cache import Cache, _digest, environment_key, programs_key
from ..publish.request import BuildRequest, up_to_date
from ..publish.staging import check_out_dir, new_stage, output_lock, publish
from .request import SITE, SITE_OUT, SitePlan, SiteRequest, SiteResult, plan_site

FORMAT_NAMES = {"html": "网页", "pdf": "PDF", "docx": "Word"}
#: The site's own styles, beside the report's (report/README.md).
STYLESHEETS = ("report/fonts.css", "report/site.css")


@dataclass(frozen=True)
class Listing:
    """One office-year on the site: its status and the files of its report."""

    office: Office
    year: int
    final: bool
    illustrative: bool  # the report shows illustrative (not real) figures
    files: dict[str, Path]  # format → the report file as ``build`` published it
    demo: bool = False  # every figure of the year is illustrative: a demonstration, never listed as a report
    record: str = ""  # the digest of every data file the office-year was read from (its trends are on the pages)
    kind: str = ""  # the report's kind where it is not the office's year folders' own (helpers.data.reports)
    kind_id: str = DEFAULT_KIND  # the report's kind, wherever it lives

    @property
    def folder(self) -> str:
        return f"{self.office.id}/{self.kind}/{self.year}" if self.kind else f"{self.office.id}/{self.year}"

    @property
    def kind_zh(self) -> str:
        return KINDS[self.kind_id].short_zh if self.kind_id in KINDS else ""

    @property
    def status_zh(self) -> str:
        return ("定稿" if self.final else "草稿") + ("（含示例数据）" if self.illustrative else "")


@dataclass
class Site:
    """What the site shows, before any page is written."""

    listings: list[Listing]
    comparisons: dict[int, dict[str, Path]] = field(default_factory=dict)  # year → format → file
    trends: dict[str, list[Trend]] = field(default_factory=dict)  # office → its headline trends, section by section
    final_only: bool = False
    published: list[Publication] = field(default_factory=list)  # every office and year: final, draft or missing

    @property
    def offices(self) -> list[Office]:
        seen: dict[str, Office] = {}
        for listing in self.listings:
            seen.setdefault(listing.office.id, listing.office)
        return list(seen.values())

    def of(self, office: str) -> list[Listing]:
        return sorted((item for item in self.listings if item.office.id == office), key=lambda item: (-item.year, item.kind))

    @property
    def title(self) -> str:
        return "法治政府建设年度报告"


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


def make_site(request: SiteRequest, kernels: Kernels | None = None) -> Site:
    """Build (or take as they are) every report and comparison the site lists.

    A report whose plan says it is up to date, in the output folder or in the site's own, is listed from its
    manifest (the build recorded there what the site shows of it), without loading its data; the others are
    loaded and checked, every problem of every one at once, and built into the site's own folder under the
    build folder: the site never replaces an office-year's or a comparison's published folder."""
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
    catalog = load_catalog(request.data_dir)
    entries, problems = [], []
    wanted = targets(request)
    for office, year in wanted:
        entry = _taken(office, year, (public, template), request.data_dir)
        if entry is not None:
            entries.append(entry)
            continue
        try:
            entries.append(_Entry(office, year, data=load_dataset(request.data_dir, office, year)))
        except InputError as exc:
            problems += exc.problems
    for place in kind_targets(request):
        entry = _taken(place.office, place.year, (public, template), request.data_dir, place.kind)
        if entry is not None:
            entries.append(entry)
            continue
        try:
            entries.append(_Entry(place.office, place.year, data=load_disclosure_report(request.data_dir, place.office, place.year), kind=place.kind))
        except InputError as exc:
            problems += exc.problems
    if problems:
        raise InputError(problems)
    chosen = [e for e in entries if e.final or not request.final_only]
    if not chosen:
        raise UsageError("没有可发布的单位年度" + ("（--final-only 只发布定稿，而所选的都是草稿）" if entries else "") + "，网站未发布")
    listings: list[Listing] = []
    failures: list[str] = []
    trends: dict[str, tuple[int, list[Trend]]] = {}
    for entry in chosen:
        name = f"{entry.office}/{entry.kind}/{entry.year}" if entry.kind else f"{entry.office}/{entry.year}"
        if entry.data is not None:
            request.say(f"报告：{name}")
            try:
                entry.files = build(BuildRequest(entry.office, entry.year, **_common(template), kind=entry.kind)).files
            except ReportError as exc:
                failures.append(f"{name}：{_first_line(exc)}")
                continue
            facts = disclosure_facts(entry.data) if isinstance(entry.data, DisclosureReport) else listing_facts(entry.data)
            entry.facts, entry.record = facts, entry.data.record.digest()
        else:
            request.say(f"报告：{name}（已是最新）")
        facts = entry.facts or {}
        listings.append(
            Listing(
                catalog.offices[entry.office],
                entry.year,
                facts["final"],
                facts["illustrative"],
                entry.files,
                facts["demo"],
                entry.record,
                entry.kind,
                str(facts.get("kind") or entry.kind or DEFAULT_KIND),
            )
        )
        if entry.kind:
            continue  # its tables have no trends of the office's indicators, and no comparison of offices
        if entry.office not in trends or entry.year > trends[entry.office][0]:  # the latest year's trends
            trends[entry.office] = (entry.year, trends_from(facts))
    comparisons = {}
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
    if failures:
        raise ReportError("以下报告未能生成，网站未发布（上一次发布的网站保持不变）：\n" + "\n".join(f"  - {f}" for f in failures))
    demo_only = {item.office.id for item in listings if item.demo} - {item.office.id for item in listings if not item.demo}
    years = tuple(sorted({y for _, y in wanted}))
    shown = tuple(o for o in (request.offices or tuple(catalog.offices)) if o not in demo_only)
    published = publications(request.data_dir, years, shown, request.as_of) if shown and years else []
    return Site(listings, comparisons, {office: found for office, (_, found) in trends.items()}, request.final_only, published)


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


# --- pages -----------------------------------------------------------------------------------------

FILTER = """<p class="filter"><label for="site-filter">筛选</label>
<input id="site-filter" type="search" placeholder="单位名称或年份" autocomplete="off"></p>
<script>
document.getElementById("site-filter").addEventListener("input", function (event) {
  var words = event.target.value.trim();
  document.querySelectorAll("[data-search]").forEach(function (item) {
    item.hidden = words !== "" && item.getAttribute("data-search").indexOf(words) < 0;
  });
});
</script>"""


def _links(files: dict[str, Path], folder: str, up: str = "") -> str:
    """Links to a report's files, named by format (网页 · PDF · Word)."""
    ordered = sorted(files.values(), key=lambda path: list(FORMAT_NAMES).index(path.suffix[1:]) if path.suffix[1:] in FORMAT_NAMES else 9)
    return " · ".join(f'<a href="{up}{folder}/{path.name}">{FORMAT_NAMES.get(path.suffix[1:], path.name)}</a>' for path in ordered)


def _escape(text: str) -> str:
    return literal(html.escape(text, quote=True))


def _year_rows(listings: list[Listing], up: str) -> str:
    rows = []
    named = len({item.kind_id for item in listings}) > 1  # an office with reports of two kinds: each row says which
    for item in listings:
        badge = "final" if item.final else "draft"
        search = html.escape(f"{item.office.name_zh} {item.office.short_name_zh} {item.office.id} {item.year}", quote=True)
        kind = f'<br><span class="kind">{_escape(item.kind_zh)}</span>' if named else ""  # 政府信息公开: short on a phone
        rows.append(
            f'<tr data-search="{search}"><td class="year">{item.year}年{kind}</td>'
            f'<td><span class="status {badge}">{_escape(item.status_zh)}</span></td>'
            f"<td>{_links(item.files, item.folder, up)}</td></tr>"
        )
    return '<table class="listing"><thead><tr><th>年度</th><th>状态</th><th>报告</th></tr></thead><tbody>\n' + "\n".join(rows) + "\n</tbody></table>"


def index_page(site: Site) -> str:
    """The district's front page: every office and year, with status and files, and each year's comparison."""
    blocks = [_front(site.title)]
    reports = [item for item in site.listings if not item.demo]
    demos = [item for item in site.listings if item.demo]
    drafts = [item for item in reports if not item.final]
    offices = {item.office.id for item in reports}
    intro = f"本站收录 {len(offices)} 个单位、{len(reports)} 份年度报告"
    intro += f"，其中 {len(drafts)} 份为草稿（标为“草稿”，数据可能还会改动）。" if drafts else "，均为定稿。"
    if site.final_only:
        intro += "草稿未收录。"
    blocks += [literal(intro), FILTER]

    def office_block(office: Office, items: list[Listing]) -> str:
        search = html.escape(f"{office.name_zh} {office.short_name_zh} {office.id}", quote=True)
        return (
            f'<section class="office" data-search="{search} ' + " ".join(str(i.year) for i in items) + '">\n'
            f'<h2><a href="offices/{office.id}.html">{_escape(office.name_zh)}</a></h2>\n' + _year_rows(items, "") + "\n</section>"
        )

    for office in site.offices:
        items = [item for item in site.of(office.id) if not item.demo]
        if items:
            blocks.append(office_block(office, items))
    if site.published:
        blocks += [
            "## 公开情况",
            literal(
                "每个单位每年每类报告是否定稿、落款日期，以及是否已过公开期限（法治政府建设年度报告默认为次年4月1日前，"
                "《法治政府建设与责任落实督察工作规定》第二十四条；政府信息公开工作年度报告为次年1月31日前，"
                "《中华人民共和国政府信息公开条例》第四十九条；单位另有规定的见 offices.csv）。"
                f"按{site.published[0].as_of.year}年{site.published[0].as_of.month}月"
                f"{site.published[0].as_of.day}日判断。"
            ),
            publication_table(site.published),
        ]
    if site.comparisons:
        blocks.append("## 各单位对比")
        compared = [
            f'<li data-search="{year} 对比">{year}年：{_links(files, f"compare/{year}")}</li>'
            for year, files in sorted(site.comparisons.items(), reverse=True)
        ]
        blocks.append('<ul class="comparisons">\n' + "\n".join(compared) + "\n</ul>")
    if demos:  # not reports: every figure is made up, to show how the tool compares the years
        blocks += [
            "## 示例（虚构单位，数据非真实）",
            literal("以下单位年度的数据全部为示例数据，不是任何单位的真实报告，仅用于演示逐年比较；不计入上面的报告数。"),
        ]
        for office in site.offices:
            items = [item for item in site.of(office.id) if item.demo]
            if items:
                blocks.append(office_block(office, items))
    return _page(blocks)


def publication_table(found: list[Publication]) -> str:
    """Offices and their kinds of report by year: final, draft or missing, the date under the signature, and
    the deadline's state (each kind has its own)."""
    years = sorted({p.year for p in found})
    head = "<tr><th>单位</th><th>报告</th>" + "".join(f'<th class="year">{y}年</th>' for y in years) + "</tr>"
    rows = []
    for office, kind in dict.fromkeys((p.office, p.kind) for p in found):
        cells = {p.year: p for p in found if p.office == office and p.kind == kind}
        tds = []
        for year in years:
            item = cells[year]
            badge = {"final": "final", "draft": "draft"}.get(item.state, "missing")
            late = ' class="late"' if item.late else ""
            tds.append(
                f'<td><span class="status {badge}">{item.state_zh}</span>'
                + (f"<br>{_escape(item.signed_zh)}" if item.signed else "")
                + f"<br><span{late}>{_escape(item.deadline_zh)}</span></td>"
            )
        rows.append(f"<tr><td>{_escape(office.short_name_zh)}</td><td>{_escape(cells[years[0]].kind_zh)}</td>" + "".join(tds) + "</tr>")
    return f'<div class="scroll"><table class="listing published"><thead>{head}</thead><tbody>\n' + "\n".join(rows) + "\n</tbody></table></div>"


def office_page(site: Site, office: Office, images: dict[str, str]) -> str:
    """One office: its years (linked), and the trend of its headline indicators across them."""
    blocks = [
        _front(office.name_zh),
        '<p class="back"><a href="../index.html">← 全部单位</a></p>',
        "## 年度报告",
        _year_rows(site.of(office.id), "../"),
    ]
    trends = site.trends.get(office.id, [])
    if trends:
        blocks += ["## 主要指标趋势", literal("各部分主要指标历年的数值；斜线条为示例数据（非真实）。")]
        if images:
            name, alt = next(iter(images.items()))
            blocks.append(f'![]({name}){{fig-alt="{plain(alt)}" alt="{plain(alt)}"}}')
        blocks.append(trend_table(trends))
    else:
        blocks.append(literal("本单位只有一年的数据，尚无趋势可看。"))
    return _page(blocks)


def trend_table(trends: list[Trend]) -> str:
    """The trends' figures as a table, indicator by year: what the chart shows, to read and to copy."""
    years = sorted({p.year for t in trends for p in t.points})
    head = "<tr><th>指标</th>" + "".join(f'<th class="year">{y}年</th>' for y in years) + "</tr>"
    rows = []
    for trend in trends:
        by_year = {p.year: p.text + ("（示例）" if p.illustrative else "") for p in trend.points}
        rows.append(f"<tr><td>{_escape(trend.title)}</td>" + "".join(f"<td>{_escape(by_year.get(y, '—'))}</td>" for y in years) + "</tr>")
    return f'<div class="scroll"><table class="listing trends"><thead>{head}</thead><tbody>\n' + "\n".join(rows) + "\n</tbody></table></div>"


def _page(blocks: list[str]) -> str:
    """A page's Markdown: its front matter, then its content as the page's main landmark (GB/T 37668)."""
    return "\n\n".join([blocks[0], '<main id="site-main">', *blocks[1:], "</main>"]) + "\n"


def _front(title: str) -> str:
    return "---\n" + yaml.safe_dump({"title": literal(title), "lang": "zh-CN"}, allow_unicode=True) + "---\n"


def trend_alt(trends: list[Trend]) -> str:
    return "柱形图，历年数值：" + "；".join(
        f"{t.title}：" + "、".join(f"{p.year}年{p.text}{'（示例）' if p.illustrative else ''}" for p in t.points) for t in trends
    )


CHART = "site-chart"  # the cache kind of an office's trend chart, keyed by the trends it draws


def trend_svg(trends: list[Trend], cache: Cache | None) -> bytes:
    """An office's trend chart in vector form (empty bytes for none), drawn again only when what it draws
    changed: one office's change redraws one chart."""

    def svg() -> bytes:
        fig = draw_trends(trends)
        return to_svg(fig) if fig is not None else b""

    if cache is None:
        return svg()
    key = _digest([environment_key(), repr(trends), "svg"])
    entry = cache.get(CHART, key) or cache.put(CHART, key, lambda folder: (folder / "trends.svg").write_bytes(svg()))
    return (entry / "trends.svg").read_bytes()


def write_pages(site: Site, folder: Path, cache: Cache | None = None) -> list[str]:
    """The site's Markdown pages and trend images into ``folder``; returns the pages (relative paths)."""
    (folder / "offices").mkdir(parents=True, exist_ok=True)
    (folder / "index.md").write_text(index_page(site), encoding="utf-8")
    pages = ["index.md"]
    for office in site.offices:
        images = {}
        trends = site.trends.get(office.id, [])
        chart = trend_svg(trends, cache) if trends else b""
        if chart:
            name = f"{office.id}-trends.svg"
            (folder / "offices" / name).write_bytes(chart)
            images[name] = trend_alt(trends)
        (folder / "offices" / f"{office.id}.md").write_text(office_page(site, office, images), encoding="utf-8")
        pages.append(f"offices/{office.id}.md")
    return pages


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
    out = {}
    for page in pages:
        source = stage / page
        target = source.with_suffix(".html")

        def render(folder: Path, source: Path = source, page: str = page) -> None:
            css = [arg for sheet in sheets for arg in ("--css", str(sheet))]
            proc = run_step(
                [
                    pypandoc.get_pandoc_path(),
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
        out[str(Path(page).with_suffix(".html"))] = target
    return out


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
    """Everything the pages show: each listing, its report files, the trends' data, the styles, the engine."""
    parts = [environment_key(), programs_key(engine), engine, site.final_only, *(project_root / s for s in STYLESHEETS)]
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
        kernels.warm_up()  # a comparison to make runs a notebook: the warm parent imports while the reports are checked
        site = make_site(request, kernels)
    cache = Cache(request.build_dir / "cache")
    key = pages_key(site, engine, request.project_root)
    entry = cache.get(SITE, key)
    reused = entry is not None
    if entry is None:
        request.say("网站页面：生成")
        stage = new_stage(request.build_dir, SITE, 0)
        try:
            pages = write_pages(site, stage / "pages", cache)
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
