"""A district's site (`annual-report site`): every office-year linked with its status, each office's trends,
each year's comparison; every link resolves from disk and over a local server, with no console error, no
remote request and no sideways scroll on a phone; drafts marked or left out; a rebuild reuses everything."""

from __future__ import annotations

import functools
import html.parser
import http.server
import json
import re
import shutil
import subprocess
import sys
import threading
import urllib.request
from dataclasses import replace
from pathlib import Path

import pytest

from ..conftest import DATA, replace_in
from .conftest import ENGINES, annual_report, axe_violations
from .test_report import html_text

pytestmark = pytest.mark.e2e
YEARS = ("2023", "2024")


def site_args(
    engine: str, *, out: object = "out", years: str = ",".join(YEARS), formats: str = "html,pdf", final_only: bool = False
) -> tuple[str, ...]:
    """The command line's arguments for the site of the generated district's years, as the tests give them."""
    return (
        "site",
        "--data-dir",
        "data",
        "--out",
        str(out),
        "--years",
        years,
        *(["--final-only"] if final_only else []),
        "--formats",
        formats,
        "--engine",
        engine,
    )


LISTED = {(office, year) for office in ("taoyuan", "xinhe", "qingshi") for year in YEARS}
#: The fixture office's second kind of report, in its own folder beside its year folders.
SECOND = {f"xinhe/gov-info-disclosure/{year}" for year in YEARS}


class _Links(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])


def links(page: Path) -> list[str]:
    parser = _Links()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser.links


_SITES: dict[str, Path] = {}


@pytest.fixture(scope="module", params=ENGINES)
def work(request, tmp_path_factory) -> Path:
    """A scratch copy of the fixtures with the site of 2023 and 2024 built in it, once per engine."""
    if request.param not in _SITES:
        folder = tmp_path_factory.mktemp(f"site-{request.param}")
        shutil.copytree(DATA, folder / "data")
        result = annual_report(*site_args(request.param), cwd=folder)
        assert result.returncode == 0, result.stderr
        assert "页面已重新生成" in result.stdout
        _SITES[request.param] = folder
        (folder / "engine").write_text(request.param)
    return _SITES[request.param]


@pytest.fixture(scope="module")
def site(work) -> Path:
    return work / "out" / "site"


def pages(site: Path) -> list[Path]:
    return [site / "index.html", *sorted((site / "offices").glob("*.html"))]


def test_the_index_links_every_office_year_in_html_and_pdf_and_each_year_comparison(site):
    found = set(links(site / "index.html"))
    for office, year in LISTED:
        assert {f"{office}/{year}/report.html", f"{office}/{year}/report.pdf"} <= found
    assert {f"compare/{year}/report.html" for year in YEARS} <= found
    assert {f"{folder}/{name}" for folder in SECOND for name in ("report.html", "report.pdf")} <= found  # both kinds listed
    index = (site / "index.html").read_text(encoding="utf-8")  # an office with two kinds says which row is which
    assert '<span class="kind">法治政府建设</span>' in index and '<span class="kind">政府信息公开</span>' in index
    assert not [link for link in found if "/2022/" in link]  # --years 2023,2024


def test_every_link_of_every_page_resolves_on_disk(site):
    for page in pages(site):
        for link in links(page):
            assert not re.match(r"^[a-z]+:", link), (page.name, link)  # nothing leaves the site
            target = (page.parent / link.split("#")[0]).resolve()
            assert target.is_file() and site.resolve() in target.parents, (page.name, link)


def test_each_office_page_shows_its_headline_trends_as_a_chart_and_a_table(site):
    page = (site / "offices" / "taoyuan.html").read_text(encoding="utf-8")
    chart = re.search(r'<img[^>]+src="data:image/svg\+xml;base64,[^"]+"[^>]*>', page)  # vector, in the page
    assert chart and re.search(r'alt="柱形图，历年数值：[^"]+', chart.group(0)), page[:2000]
    table = page[page.index('class="listing trends"') :]
    assert "2022年" in table and "2024年" in table and "干部学法考试优秀率" in table


def test_a_draft_is_marked_on_every_page_that_lists_it(site):
    index = (site / "index.html").read_text(encoding="utf-8")
    row = re.search(r'<tr data-search="[^"]*xinhe 2024">.*?</tr>', index, re.S).group(0)
    assert "草稿" in row and "draft" in row
    final = re.search(r'<tr data-search="[^"]*taoyuan 2024">.*?</tr>', index, re.S).group(0)
    assert "定稿" in final and "草稿" not in final
    assert "草稿" in (site / "offices" / "xinhe.html").read_text(encoding="utf-8")
    comparison = re.sub(r"<[^>]+>", "", (site / "compare" / "2024" / "report.html").read_text(encoding="utf-8"))
    assert re.search(r"草稿：[^。]*新河街道办事处（示例）2024年的数据尚未定稿", comparison)


def test_a_rebuild_with_nothing_changed_reuses_every_page_and_report(work, site):
    before = {p.relative_to(site): p.read_bytes() for p in site.rglob("*.html")}
    result = annual_report(*site_args((work / "engine").read_text()), cwd=work)
    assert result.returncode == 0, result.stderr
    assert "页面沿用缓存" in result.stdout
    after = {p.relative_to(site): p.read_bytes() for p in site.rglob("*.html")}
    assert after == before


def test_the_sites_manifest_gives_every_file_its_true_digest_those_of_the_reports_taken_from_theirs(site):
    from helpers.publish import staging

    manifest = json.loads((site / "manifest.json").read_text(encoding="utf-8"))
    assert {f"{office}/{year}/report.pdf" for office, year in LISTED} <= manifest["files"].keys()
    assert staging.is_complete(site)  # every digest read from a report's manifest is the copied file's own


@pytest.fixture
def builtin_copy(work, tmp_path) -> Path:
    """A scratch copy of the built site's folder, for what is the engines' same code: shown on the built-in one."""
    if (work / "engine").read_text() != "builtin":
        pytest.skip("the engines' same code (the plan, where the site writes): shown once, on the built-in engine")
    copy = tmp_path / "work"
    shutil.copytree(work, copy, symlinks=True)
    return copy


def test_an_unchanged_site_is_answered_from_its_manifest_and_any_data_change_makes_it_again(builtin_copy):
    """The site's record (every office-year it lists, and which exist) decides: nothing is loaded when it holds."""
    copy, engine = builtin_copy, "builtin"
    command = site_args(engine)
    first = annual_report(*command, cwd=copy)
    assert first.returncode == 0, first.stderr
    again = subprocess.run([sys.executable, "-X", "importtime", "-m", "helpers.cli", *command], cwd=copy, capture_output=True, text=True)
    assert again.returncode == 0 and "未重新生成" in again.stderr + again.stdout
    imported = {line.split("|")[-1].strip() for line in again.stderr.splitlines() if line.startswith("import time:")}
    assert not {"pandas", "matplotlib", "papermill", "helpers.serve.site", "helpers.publish.build"} & imported  # answered by the plan alone
    values = copy / "data" / "xinhe" / "2024" / "values.csv"
    values.write_text(values.read_text(encoding="utf-8").replace("enforcement.inspections,310,", "enforcement.inspections,311,"), encoding="utf-8")
    changed = annual_report(*command, cwd=copy)
    assert changed.returncode == 0, changed.stderr
    assert "未重新生成" not in changed.stderr + changed.stdout and "页面已重新生成" in changed.stdout
    assert "执法检查311次" in html_text(copy / "out" / "site" / "xinhe" / "2024" / "report.html")


def test_the_sites_plan_says_a_changed_figure_before_its_code_key_and_not_a_prose_edit(builtin_copy, monkeypatch):
    """The plan calls ``changed`` (the command's warm parent starts then) as soon as a figure is known to have
    changed, before the code key is worked out; an unchanged site, or a prose edit, needs no kernel."""
    from helpers.publish import plan as plan_module
    from helpers.serve.request import SiteRequest, plan_site

    monkeypatch.chdir(builtin_copy)
    events: list[str] = []
    real = plan_module._code_key
    monkeypatch.setattr(plan_module, "_code_key", lambda *args: events.append("code key") or real(*args))

    def planned():
        events.clear()
        request = SiteRequest(Path("data"), Path("out"), years=tuple(int(y) for y in YEARS), formats=("html", "pdf"), engine="builtin")
        return plan_site(request, changed=lambda: events.append("changed"))

    assert planned().answer is not None and events == ["code key"]
    replace_in(
        builtin_copy / "data" / "xinhe" / "2024" / "narrative" / "a1.md",
        "。",
        "；",
    )
    assert planned().answer is None and events == ["code key"]
    values = builtin_copy / "data" / "xinhe" / "2024" / "values.csv"
    replace_in(values, "enforcement.inspections,310,", "enforcement.inspections,313,")
    assert planned().answer is None and events == ["changed", "code key"]


def test_final_only_leaves_drafts_and_their_comparison_out(work, tmp_path):
    out = tmp_path / "final"
    result = annual_report(*site_args((work / "engine").read_text(), out=out, years="2024", final_only=True), cwd=work)
    assert result.returncode == 0, result.stderr
    index = (out / "site" / "index.html").read_text(encoding="utf-8")
    listed, published = index.split("公开情况", 1)  # who has not published is still said, below the reports
    assert "taoyuan/2024/report.html" in listed and 'href="xinhe/' not in index and "status draft" not in listed
    assert '新河街道办（示例）</td><td>法治政府建设</td><td><spanclass="statusdraft">草稿</span>' in re.sub(r"\s+", "", published)
    assert not (out / "site" / "xinhe").exists() and not (out / "site" / "compare").exists()


def test_the_site_writes_only_under_its_own_folder_and_shows_who_has_published(work, site):
    assert sorted(p.name for p in (work / "out").iterdir()) == ["site"]  # no office-year, no comparison beside it
    index = (site / "index.html").read_text(encoding="utf-8")
    table = re.sub(r"\s+", "", index[index.index("公开情况") : index.index("各单位对比</h2>")])  # pandoc puts cells on lines
    row = re.search(r"<td>桃源街道办</td>.*?</tr>", table).group(0)
    assert '草稿</span><br>2023年12月10日<br><spanclass="late">已过公开期限（2024年4月1日前）</span>' in row  # judged on today
    assert "定稿</span><br>2024年12月9日<br><span>按期</span>" in row
    assert "新河街道办" not in table  # a demonstration office is no office that owes a report


def test_a_site_never_replaces_a_published_comparison_or_report(builtin_copy):
    copy, engine = builtin_copy, "builtin"
    made = annual_report(
        "compare",
        "--year",
        "2024",
        "--offices",
        "taoyuan,xinhe",
        "--data-dir",
        "data",
        "--out",
        "out",
        "--formats",
        "html",
        "--engine",
        engine,
        cwd=copy,
    )
    assert made.returncode == 0, made.stderr
    (copy / "out" / "xinhe" / "2024").mkdir(parents=True)
    (copy / "out" / "xinhe" / "2024" / "report.html").write_text("an earlier report", encoding="utf-8")
    before = {p: p.read_bytes() for p in (copy / "out").rglob("*") if p.is_file() and "site" not in p.parts}
    values = copy / "data" / "xinhe" / "2024" / "values.csv"
    values.write_text(values.read_text(encoding="utf-8").replace("enforcement.inspections,310,", "enforcement.inspections,312,"), encoding="utf-8")
    result = annual_report(*site_args(engine), cwd=copy)
    assert result.returncode == 0, result.stderr
    after = {p: p.read_bytes() for p in (copy / "out").rglob("*") if p.is_file() and "site" not in p.parts}
    assert after == before  # the three-office site made its own comparison and its own xinhe 2024
    assert "执法检查312次" in html_text(copy / "out" / "site" / "xinhe" / "2024" / "report.html")


def test_final_only_leaves_out_a_comparison_with_nothing_in_common(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    shutil.rmtree(data / "xinhe")
    for name in ("2023", "2024"):
        folder = data / "qingshi" / name
        values = folder / "values.csv"
        values.write_text(
            values.read_text(encoding="utf-8").replace("示例数据（非真实，用于测试述职报告）", "镇党政办统计（测试）"), encoding="utf-8"
        )
        report = folder / "report.yml"
        report.write_text(report.read_text(encoding="utf-8").replace("status: draft", "status: final").replace("（示例）", ""), encoding="utf-8")
    result = annual_report(*site_args("builtin", years="2024", formats="html", final_only=True), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "2024年各单位没有共同填报的指标，不收录" in result.stderr + result.stdout
    index = (tmp_path / "out" / "site" / "index.html").read_text(encoding="utf-8")
    assert "qingshi/2024/report.html" in index and "taoyuan/2024/report.html" in index and "compare/" not in index
    assert not (tmp_path / "out" / "site" / "compare").exists()


def test_a_site_of_only_drafts_with_final_only_is_refused_with_a_sentence(work, tmp_path):
    result = annual_report("site", "--data-dir", "data", "--out", str(tmp_path / "none"), "--offices", "xinhe", "--final-only", cwd=work)
    assert result.returncode != 0 and "Traceback" not in result.stderr
    assert "--final-only" in result.stderr and "网站未发布" in result.stderr


# --- in a browser ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def server(site):
    """The site over HTTP on 127.0.0.1, as a web server would publish it."""
    handler = functools.partial(_QuietHandler, directory=str(site))
    httpd = _QuietServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


class _QuietServer(http.server.ThreadingHTTPServer):
    def handle_error(self, request, client_address):
        """A browser that closes a connection early (navigating on) is not an error of the site."""
        import sys

        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


def visit(browser, url: str, width: int = 1280):
    page = browser.new_context(viewport={"width": width, "height": 900}).new_page()
    errors, requests = [], []
    page.on("console", lambda msg: msg.type == "error" and errors.append(msg.text))
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("request", lambda req: requests.append(req.url))
    page.goto(url, wait_until="load")
    return page, errors, requests


@pytest.mark.parametrize("how", ["file", "http"])
def test_every_page_opens_with_no_error_no_remote_request_and_fits_a_phone(browser, site, server, how):
    base = site.as_uri() + "/" if how == "file" else server
    for page_path in pages(site):
        url = base + page_path.relative_to(site).as_posix()
        for width in (1280, 390):
            page, errors, requests = visit(browser, url, width)
            assert errors == [], (url, errors)
            own = ("file:", "data:") if how == "file" else (server, "data:")
            assert [r for r in requests if not r.startswith(own)] == [], url
            assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), (url, width)
            assert page.evaluate("[...document.images].every(i => i.complete && i.naturalWidth > 0 && i.alt)"), url
            page.context.close()


def test_axe_finds_no_accessibility_violation_on_any_page_or_in_the_comparison(browser, site):
    comparisons = sorted((site / "compare").rglob("report.html")) if (site / "compare").is_dir() else []
    for page_path in [*pages(site), *comparisons]:
        page, _, _ = visit(browser, page_path.as_uri())
        assert axe_violations(page) == [], page_path.relative_to(site)
        page.context.close()


def test_over_http_every_link_answers(site, server):
    for page_path in pages(site):
        folder = page_path.relative_to(site).parent.as_posix()
        for link in links(page_path):
            url = server + (f"{folder}/" if folder != "." else "") + link
            with urllib.request.urlopen(url, timeout=10) as answer:
                assert answer.status == 200, url


def test_the_filter_narrows_the_index_to_what_is_typed(browser, site):
    page, errors, _ = visit(browser, (site / "index.html").as_uri())
    page.fill("#site-filter", "新河")
    visible = page.evaluate("[...document.querySelectorAll('tr[data-search]')].filter(r => r.offsetParent).length")
    assert visible == len(YEARS) + len(SECOND)  # its 法治政府建设 and its 政府信息公开 reports
    page.fill("#site-filter", "")
    assert page.evaluate("[...document.querySelectorAll('tr[data-search]')].filter(r => r.offsetParent).length") == len(LISTED) + len(SECOND)
    assert errors == []
    shot = site.parent.parent / "index.png"
    page.set_viewport_size({"width": 390, "height": 900})
    page.screenshot(path=str(shot), full_page=True)
    print(f"site screenshot: {shot}")


def test_the_sites_survey_goes_on_from_what_its_plan_read_and_reads_no_file_twice(builtin_copy, monkeypatch):
    """The plan hashes the site's record and finds a change; the survey then checks every report's record,
    most of the same files: read through the plan's view, each is read once in the whole command."""
    from helpers.data import record
    from helpers.publish.build import BuildRequest
    from helpers.serve import steps
    from helpers.serve.request import SITE_OUT, SiteRequest, plan_site

    copy = builtin_copy
    values = copy / "data" / "xinhe" / "2024" / "values.csv"
    values.write_text(values.read_text(encoding="utf-8").replace("enforcement.inspections,310,", "enforcement.inspections,312,"), encoding="utf-8")
    monkeypatch.chdir(copy)

    def reads(shared: bool) -> dict:
        counted: dict = {}
        real = record._current

        def counting(root, key):
            counted[(root, key)] = counted.get((root, key), 0) + 1
            return real(root, key)

        monkeypatch.setattr(record, "_current", counting)
        planned = plan_site(SiteRequest(Path("data"), Path("out"), years=tuple(int(y) for y in YEARS), formats=("html", "pdf"), engine="builtin"))
        assert planned.answer is None  # a value changed: the site is made again
        request = planned.request
        public = BuildRequest("", 0, request.data_dir, request.out_dir, request.build_dir, formats=request.formats, engine=request.engine)
        template = BuildRequest("", 0, request.data_dir, request.build_dir / SITE_OUT, request.build_dir, formats=request.formats, engine="builtin")
        with record.steady(planned.seen if shared else None):
            entries = steps.survey(request, steps.targets(request), (public, template))
        assert any(e.data is not None and e.office == "xinhe" and e.year == 2024 for e in entries)  # the change is seen
        monkeypatch.setattr(record, "_current", real)
        return counted

    assert max(reads(shared=True).values()) == 1
    assert max(reads(shared=False).values()) == 2  # without the plan's view, the survey read them again


def _steps_after_one_change(copy: Path, monkeypatch):
    """The site's steps planned over ``copy`` after one value of xinhe's 2024 changed."""
    from helpers.data import record
    from helpers.publish.build import BuildRequest
    from helpers.serve import steps
    from helpers.serve.request import SiteRequest, plan_site

    values = copy / "data" / "xinhe" / "2024" / "values.csv"
    values.write_text(values.read_text(encoding="utf-8").replace("enforcement.inspections,310,", "enforcement.inspections,312,"), encoding="utf-8")
    monkeypatch.chdir(copy)
    planned = plan_site(SiteRequest(Path("data"), Path("out"), years=tuple(int(y) for y in YEARS), formats=("html", "pdf"), engine="builtin"))
    request = planned.request
    public = BuildRequest("", 0, request.data_dir, request.out_dir, request.build_dir, formats=request.formats, engine=request.engine)
    with record.steady(planned.seen):
        return steps.plan_steps(request, public)


def test_the_sites_steps_build_only_the_changed_report_and_compare_each_year_of_what_is_listed(builtin_copy, monkeypatch):
    """The site is planned as steps before any is carried out: every report it lists, those to build (here
    the one whose value changed), and then one comparison a year of the offices listed that year."""
    from helpers.serve import steps

    copy = builtin_copy
    planned_steps = _steps_after_one_change(copy, monkeypatch)
    request = planned_steps.request
    listed = {e.name for e in planned_steps.chosen}
    assert listed == {f"{o}/{y}" for o, y in LISTED} | SECOND
    assert [e.name for e in planned_steps.to_build] == ["xinhe/2024"]
    assert planned_steps.said() == f"计划：{len(listed)} 份报告，1 份需生成，{len(listed) - 1} 份已是最新"
    said: list[str] = []
    site = steps.carry_out(steps.SiteSteps(**{**vars(planned_steps), "request": replace(request, say=said.append)}))
    assert said.count("报告：xinhe/2024") == 1 and sum("（已是最新）" in line for line in said) == len(listed) - 1
    assert sorted(site.comparisons) == [int(y) for y in YEARS]
    assert [s.offices for s in steps.comparison_steps(site.listings)] == [("qingshi", "taoyuan", "xinhe")] * len(YEARS)
    rebuilt = next(item for item in site.listings if item.folder == "xinhe/2024")
    assert all(path.is_relative_to(copy / "_build") for path in rebuilt.files.values())  # into the site's own folder


def test_a_site_step_that_fails_is_named_once_every_other_step_has_run_and_a_fault_of_the_code_is_raised_as_it_is(builtin_copy, monkeypatch):
    """A report's render refused is told with the report's name after every comparison was still made; an
    exception that is not a ReportError is the code's own fault: raised as it is, in a group with any other,
    also once every other step has run (helpers.publish.pipeline)."""
    from types import SimpleNamespace

    from helpers.errors import RenderError, ReportError
    from helpers.serve import steps

    planned_steps = _steps_after_one_change(builtin_copy, monkeypatch)

    def refused():
        raise RenderError("Typst 排版失败：第 3 页")

    compared, real = [], steps.prepare_comparison
    monkeypatch.setattr(steps, "prepare", lambda request: SimpleNamespace(finish=refused))
    monkeypatch.setattr(steps, "prepare_comparison", lambda request, offices: compared.append(request.year) or real(request, offices))
    with pytest.raises(ReportError) as caught:
        steps.carry_out(planned_steps)
    assert "xinhe/2024：Typst 排版失败：第 3 页" in str(caught.value) and "网站未发布" in str(caught.value)
    assert compared == [int(y) for y in YEARS]  # every comparison was still made
    compared.clear()
    monkeypatch.setattr(steps, "prepare", lambda request: SimpleNamespace(finish=lambda: 1 / 0))
    with pytest.raises(ExceptionGroup) as faults:
        steps.carry_out(planned_steps)
    assert [type(e) for e in faults.value.exceptions] == [ZeroDivisionError]  # raised as it is, traceback and all
    assert compared == [int(y) for y in YEARS]  # after every other step, as a report's own failure is


def test_pages_written_while_the_last_comparison_renders_are_taken_only_where_the_site_is_as_expected(builtin_copy, monkeypatch):
    """The pages are written from the site expected once the last notebook has run, beside the last render;
    where a step's result is not the one expected, the pages are written again from the site as it is."""
    from helpers.publish.build import Staged
    from helpers.serve import site as site_module
    from helpers.serve.request import SiteRequest

    copy = builtin_copy
    monkeypatch.chdir(copy)
    values = copy / "data" / "xinhe" / "2024" / "values.csv"
    rendered: list[str] = []
    real_render = site_module.render_pages
    monkeypatch.setattr(site_module, "render_pages", lambda *a, **k: rendered.append(threading.current_thread().name) or real_render(*a, **k))

    def site_after(old: str, new: str) -> list[str]:
        values.write_text(values.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
        said: list[str] = []
        years = tuple(int(y) for y in YEARS)
        site_module.build_site(SiteRequest(Path("data"), Path("out"), years=years, formats=("html", "pdf"), engine="builtin", say=said.append))
        return said

    said = site_after("enforcement.inspections,310,", "enforcement.inspections,312,")
    assert [name.split("_")[0] for name in rendered] == ["pages"] and "网站页面：生成" in said  # once, ahead, and taken
    rendered.clear()
    real_expected = Staged.expected
    monkeypatch.setattr(Staged, "expected", lambda self: replace(real_expected(self), files={"report.htm": self.request.target / "report.htm"}))
    site_after("enforcement.inspections,312,", "enforcement.inspections,313,")
    assert [name.split("_")[0] for name in rendered] == ["pages", "MainThread"]  # not as expected: written again
    index = (copy / "out" / "site" / "index.html").read_text(encoding="utf-8")
    assert "compare/2024/report.html" in index and 'report.htm"' not in index
    for link in links(copy / "out" / "site" / "index.html"):
        assert (copy / "out" / "site" / link.split("#")[0]).is_file(), link
