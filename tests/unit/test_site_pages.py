"""The site's pages come from the templates in report/site/ and write every value as text: an office's name
full of Markdown and HTML shows as typed on the index and on its page, in pandoc's HTML."""

from __future__ import annotations

import html
import re
import subprocess
from dataclasses import replace
from pathlib import Path

import pypandoc

from helpers.data.catalog import load_catalog
from helpers.serve.listing import Listing, Site
from helpers.serve.pages import TEMPLATES, write_pages

from ..conftest import DATA

ROOT = Path(__file__).resolve().parents[2]
HOSTILE = "桃源<b>街道</b>*办事处* & [x](y) {z} $m$ @c \\ `t` ~s~ ^u^ #h"


def shown(page: Path) -> str:
    """The page's text as a browser shows it (pandoc's HTML, tags dropped, entities read)."""
    out = subprocess.run(
        [pypandoc.get_pandoc_path(), "--standalone", "--from", "markdown", "--to", "html5", str(page)], capture_output=True, text=True, check=True
    )
    return html.unescape(re.sub(r"<[^>]+>", "", out.stdout))


def test_an_office_name_full_of_markup_shows_as_typed_on_the_index_and_its_page(tmp_path):
    office = replace(load_catalog(DATA).offices["taoyuan"], name_zh=HOSTILE)
    files = {"html": Path("/x/report.html"), "pdf": Path("/x/report.pdf")}
    site = Site([Listing(office, 2024, True, False, files), Listing(office, 2023, False, True, files)])
    write_pages(site, tmp_path)
    for page in (tmp_path / "index.md", tmp_path / "offices" / "taoyuan.md"):
        text = " ".join(shown(page).split())
        assert " ".join(HOSTILE.split()) in text, page.name
    index = (tmp_path / "index.md").read_text(encoding="utf-8")
    assert '<a href="taoyuan/2024/report.html">网页</a> · <a href="taoyuan/2024/report.pdf">PDF</a>' in index
    assert "<b>" not in index and "<i>" not in index  # nothing of the name became markup


def test_every_template_of_the_site_is_used_and_an_unknown_name_in_one_is_an_error(tmp_path):
    import jinja2
    import pytest

    from helpers.serve import pages

    templates = {p.name for p in (ROOT / TEMPLATES).glob("*.j2")}
    assert templates == {"page.md.j2", "index.md.j2", "office.md.j2", "listing.html.j2", "filter.html.j2"}
    copy = tmp_path / "project"
    (copy / TEMPLATES).mkdir(parents=True)
    for name in templates:
        text = (ROOT / TEMPLATES / name).read_text(encoding="utf-8")
        (copy / TEMPLATES / name).write_text(text.replace("{{ office.name_zh }}", "{{ office.nmae_zh }}"), encoding="utf-8")
    office = load_catalog(DATA).offices["taoyuan"]
    with pytest.raises(jinja2.UndefinedError):
        pages.index_page(Site([Listing(office, 2024, True, False, {})]), copy)


def test_an_index_of_demonstration_offices_alone_says_it_lists_no_report_rather_than_none_all_final():
    from helpers.serve.pages import index_page

    office = load_catalog(DATA).offices["taoyuan"]
    files = {"html": Path("/x/report.html")}
    demo_only = index_page(Site([Listing(office, 2024, False, True, files, True)]), ROOT)
    assert "本站尚未收录任何单位的年度报告；下面的示例单位仅用于演示，不是真实报告。" in demo_only
    assert "均为定稿" not in demo_only and "0 份" not in demo_only and "不计入上面的报告数" not in demo_only
    real = index_page(Site([Listing(office, 2024, True, False, files), Listing(office, 2023, False, False, files)]), ROOT)
    assert "本站收录 1 个单位、2 份年度报告，其中 1 份为草稿" in real and "尚未收录" not in real
    beside = index_page(Site([Listing(office, 2024, True, False, files), Listing(office, 2024, False, True, files, True)]), ROOT)
    assert "本站收录 1 个单位、1 份年度报告，均为定稿。" in beside and "不计入上面的报告数" in beside
