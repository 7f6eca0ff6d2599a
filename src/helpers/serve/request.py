"""What is asked of a site, and whether the published site already answers it. Light on purpose, like
helpers.publish.request: the CLI plans the site before pandas or any build is imported, so a site with
nothing changed is answered from its manifest in a moment."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from ..data import record
from ..data.kept import keep_in
from ..document.engine import resolve_engine
from ..project import BUILD_DIR, FORMATS, find_project_root
from ..publish.plan import figures_changed, site_plan

SITE = "site"
#: Under the build folder: the reports and comparisons the site makes itself, never published elsewhere.
SITE_OUT = "site-out"
#: The day a site's publication deadlines are judged on, where none is asked: China's (a district shares one zone).
ZONE = "Asia/Shanghai"


@dataclass(frozen=True)
class SiteRequest:
    data_dir: Path
    out_dir: Path
    build_dir: Path = BUILD_DIR
    offices: tuple[str, ...] = ()  # empty: every office with data
    years: tuple[int, ...] = ()  # empty: every year
    final_only: bool = False  # leave drafts, and comparisons with nothing in common, out
    as_of: date | None = None  # the day the publication deadlines are judged on (None: today)
    engine: str = "auto"
    formats: tuple[str, ...] = FORMATS
    project_root: Path = field(default_factory=find_project_root)
    say: Callable[[str], None] = field(default=lambda text: None, compare=False, repr=False)


@dataclass
class SiteResult:
    folder: Path
    reused_pages: bool
    engine: str
    listed: list[str]  # office/year of every report listed
    drafts: list[str]  # those not final
    comparisons: list[int]
    up_to_date: bool = False  # nothing it is made from changed: nothing was loaded, built or written


@dataclass(frozen=True)
class SitePlan:
    """A site request made absolute (its paths, its engine, its day), and what building it must do."""

    request: SiteRequest
    engine: str
    target: Path
    code: str  # the code key, recorded in the manifest for the next plan
    answer: SiteResult | None  # the published site, where nothing it is made from changed
    seen: dict = field(default_factory=dict, repr=False)  # the files the plan read (helpers.data.record.steady): the survey goes on from them


def plan_site(request: SiteRequest, changed: Callable[[], None] = lambda: None) -> SitePlan:
    """Compare what the published site was made from with what it would be made from now. ``changed`` is
    called as soon as the figures are known to differ, before the code key is worked out (the caller's warm
    parent then imports meanwhile)."""
    request = replace(request, data_dir=request.data_dir.resolve(), out_dir=request.out_dir.resolve(), build_dir=request.build_dir.resolve())
    engine = resolve_engine(request.engine)
    target = request.out_dir / SITE
    as_of = request.as_of or datetime.now(ZoneInfo(ZONE)).date()  # reading offices.csv's zones would load pandas
    request = replace(request, as_of=as_of)  # one day for the whole site, and the site is made again the next day
    asked = (request.final_only, sorted(request.offices), sorted(request.years), as_of.isoformat())
    keep_in(request.build_dir)  # the files' digests kept by the last command (helpers.data.digests)
    with record.steady() as seen:
        if figures_changed(target, request.data_dir):
            changed()
        manifest, code = site_plan(target, request.data_dir, request.project_root, request.formats, engine, *asked)
    answer = None
    if manifest is not None:
        request.say("网站：数据、代码和设置都与上次发布时相同，未重新生成")
        answer = SiteResult(target, True, engine, manifest["site"], manifest.get("drafts", []), manifest["compare"], True)
    return SitePlan(request, engine, target, code, answer, seen)
