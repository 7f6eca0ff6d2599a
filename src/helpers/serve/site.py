"""A district's site: every office's reports, each office's trends and the offices' comparisons, as one
static folder (``<out>/site/``) that works opened from disk or served, and asks nothing of the network.

The model (helpers.serve.listing: which office-years, final or draft, their files, each office's trends) is
made apart from its pages (helpers.serve.pages: Markdown from the templates in ``report/site/``), which are
rendered by Quarto as a website project where Quarto is installed, else by pandoc, and the whole folder is
published in one swap, as a report is. The reports and comparisons are the site's steps
(helpers.serve.steps), planned and then carried out by ``build`` and ``compare`` (so from their caches); the
pages are cached on everything they show.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from functools import partial
from pathlib import Path

import yaml

from ..data import record
from ..data.kept import keep_in
from ..document.render import quarto_env, run_step
from ..errors import RenderError
from ..notebooks.kernels import Kernels
from ..project import CACHE
from ..publish.cache import Cache, _digest, environment_key, programs_key
from ..publish.request import BuildRequest
from ..publish.staging import check_out_dir, new_stage, output_lock, publish, published_digests
from .listing import Site
from .pages import TEMPLATES, write_pages
from .request import SITE, SitePlan, SiteRequest, SiteResult, plan_site
from .steps import carry_out, plan_steps

#: The site's own styles, beside the report's (report/README.md).
STYLESHEETS = ("report/fonts.css", "report/site.css")


def make_site(
    request: SiteRequest,
    kernels: Kernels | None = None,
    cache: Cache | None = None,
    seen: dict | None = None,
    early: Callable[[Site], None] | None = None,
) -> Site:
    """The site's model, its steps carried out (helpers.serve.steps): every report and comparison it lists,
    built or taken as they are. ``seen`` is what the site's plan read (helpers.serve.request.SitePlan): the
    steps go on from it, through one view of the data folder for the whole site, each file hashed once.
    ``early`` is given the model expected once the last notebook has run (helpers.serve.steps.carry_out)."""
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
    with record.steady(seen):
        steps = plan_steps(request, public)
        request.say(steps.said())
        return carry_out(steps, cache, early)


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
                behind=True,  # the pages are written while the last comparison renders: it is the one waited for
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


def site_pages(site: Site, engine: str, project_root: Path, cache: Cache, build_dir: Path) -> tuple[Path, bool]:
    """The cache entry of the site's pages, and whether they were made now: cached on everything they show
    (:func:`pages_key`), so pages written ahead for the site expected are taken only where it is this one."""
    key = pages_key(site, engine, project_root)
    entry = cache.get(SITE, key)
    if entry is not None:
        return entry, False
    stage = new_stage(build_dir, SITE, 0)
    try:
        pages = write_pages(site, stage / "pages", cache, project_root)
        rendered = render_pages(stage / "pages", pages, engine, project_root, cache)

        def fill(folder: Path) -> None:
            for name, path in rendered.items():
                (folder / name).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(path, folder / name)

        return cache.put(SITE, key, fill), True
    finally:
        shutil.rmtree(stage, ignore_errors=True)


def build_site(request: SiteRequest, planned: SitePlan | None = None, kernels: Kernels | None = None) -> SiteResult:
    """Build every report and comparison the site lists, write its pages, and publish ``<out>/site/``.
    ``planned`` is the request's plan where the caller has made it (helpers.serve.request.plan_site);
    ``kernels`` the caller's, where it owns them (and started their warm parent before this module loaded)."""
    planned = planned or plan_site(request)
    if planned.answer is not None:
        return planned.answer
    request, engine, target, code = planned.request, planned.engine, planned.target, planned.code
    check_out_dir(request.out_dir, request.data_dir, request.project_root)
    keep_in(request.build_dir)
    cache = Cache(request.build_dir / CACHE)
    pages = partial(site_pages, engine=engine, project_root=request.project_root, cache=cache, build_dir=request.build_dir)
    ahead: list[Future[tuple[Path, bool]]] = []
    with (
        ThreadPoolExecutor(max_workers=1, thread_name_prefix="pages") as writer,  # pages written ahead, while the last render runs
        kernels or Kernels() as kernels,  # stopped once the steps are done
        record.recording(request.data_dir) as read,
    ):
        kernels.expect()  # a comparison to make runs a notebook: the warm parent and papermill import while the reports are checked
        site = make_site(request, kernels, cache, planned.seen, early=lambda expected: ahead.append(writer.submit(pages, expected)))
    made_ahead = [future.result()[0] for future in ahead if future.exception() is None and future.result()[1]]
    entry, made = pages(site)  # the pages written ahead are these where the site is as expected: then taken as made
    reused = not made and entry not in made_ahead
    request.say("网站页面：沿用缓存" if reused else "网站页面：生成")
    files = {str(p.relative_to(entry)): p for p in sorted(entry.rglob("*.html"))}
    for item in site.listings:
        files.update({f"{item.folder}/{path.name}": path for path in item.files.values()})
    for year, formats in site.comparisons.items():
        files.update({f"compare/{year}/{path.name}": path for path in formats.values()})
    listed, drafts = [item.folder for item in site.listings], [item.folder for item in site.listings if not item.final]
    reports = [path for item in site.listings for path in item.files.values()]
    known = published_digests(reports + [path for formats in site.comparisons.values() for path in formats.values()])
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
            known,
        )
    return SiteResult(target, reused, engine, listed, drafts, sorted(site.comparisons))
