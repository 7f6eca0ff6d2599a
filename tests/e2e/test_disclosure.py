"""The 政府信息公开工作年度报告 end to end, on each engine: a new office's two published pages ingested, its
latest year built to HTML, PDF and Word (each PDF and Word copy through preflight, the Word copy laid out by
LibreOffice), every row label and figure of the three tables in the page with the format's merged header cells;
the fixture office's second kind built beside its 法治政府建设 report; the HTML readable and accessible."""

from __future__ import annotations

import html
import re
import shutil
import zipfile
from pathlib import Path

import pytest

from helpers.data.disclosure import TABLE2_ROWS, TABLE3_COLUMNS, TABLE3_ROWS

from ..conftest import DATA, replace_in
from ..disclosure_pages import NAME, SIGNED, YEARS, page
from .conftest import ENGINES, annual_report, axe_violations


@pytest.fixture(scope="module", params=ENGINES)
def built(request, tmp_path_factory) -> tuple[str, Path]:
    """nanhu's 2024 and 2025 pages ingested, 2025 built; xinhe's disclosure report of 2024 built beside."""
    engine = request.param
    work = tmp_path_factory.mktemp(f"disclosure-{engine}")
    shutil.copytree(DATA, work / "data")
    replace_in(work / "data" / "offices.csv", "\ntaoyuan,", f"\nnanhu,{NAME},南湖街道办（示例）,示例区,示例市,Asia/Shanghai,\ntaoyuan,")
    for year in (2024, 2025):
        (work / f"nanhu-{year}.html").write_text(page(year, YEARS[year], SIGNED[year]), encoding="utf-8")
        result = annual_report("ingest", f"nanhu-{year}.html", "--office", "nanhu", "--year", str(year), "--data-dir", "data", cwd=work)
        assert result.returncode == 0, result.stderr
    common = ["--data-dir", "data", "--out", "out", "--formats", "html,pdf,docx", "--engine", engine]
    for args in (["--office", "nanhu", "--year", "2025"], ["--office", "xinhe", "--year", "2024", "--kind", "政府信息公开工作年度报告"]):
        result = annual_report("build", *args, *common, cwd=work)  # preflight on every PDF and Word copy
        assert result.returncode == 0, result.stderr
    return engine, work


def _text(page_html: str) -> str:
    return re.sub(r"\s+", "", html.unescape(re.sub(r"<[^>]+>", "", page_html)))


def test_the_page_has_every_row_label_and_figure_under_merged_headers(built):
    _, work = built
    report = work / "out" / "nanhu" / "2025"
    assert {p.name for p in report.iterdir()} >= {"report.html", "report.pdf", "report.docx"}
    page_html = (report / "report.html").read_text(encoding="utf-8")
    text = _text(page_html)
    for label in [*TABLE3_ROWS.values(), *(label for _, label in TABLE2_ROWS.values()), *TABLE3_COLUMNS.values()]:
        assert label.replace(" ", "") in text, label
    assert re.search(r'<th[^>]*colspan="7"[^>]*>\s*申请人情况', page_html)  # the format's merged headings
    assert re.search(r'<th[^>]*rowspan="3"[^>]*>\s*（本列数据的勾稽关系为', page_html)
    assert re.search(r'<td[^>]*rowspan="22"[^>]*>\s*三、本年度办理结果', page_html)
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", page_html, re.S)
    new = next(r for r in rows if "一、本年新收政府信息公开申请数量" in r)
    assert re.findall(r"<td[^>]*>\s*([\d/.]+)\s*</td>", new) == ["9", "2", "0", "0", "0", "0", "11"]
    rules = next(r for r in rows if re.search(r">\s*规章\s*<", r))
    assert re.findall(r"<td[^>]*>\s*([\d/.]+)\s*</td>", rules) == ["/", "/", "/"]  # does not apply: not 0
    assert "本年新收政府信息公开申请11件，上年结转1件；办结12件" in text
    assert "统计期限为2025年1月1日至2025年12月31日" in text and "2026年1月19日" in text
    assert "较上年增加4件、增长57.1%" in text  # 新收 7 → 11, compared with the year before


def test_the_word_copy_keeps_the_merged_cells(built):
    _, work = built
    with zipfile.ZipFile(work / "out" / "nanhu" / "2025" / "report.docx") as docx:
        body = docx.read("word/document.xml").decode("utf-8")
    assert 'w:gridSpan w:val="7"' in body and 'w:vMerge w:val="restart"' in body
    assert "<w:tblHeader" in body  # the three header rows repeat on the next page


def test_the_second_kind_is_published_beside_the_first(built):
    _, work = built
    second = work / "out" / "xinhe" / "gov-info-disclosure" / "2024"
    assert (second / "report.pdf").is_file() and not (work / "out" / "xinhe" / "2024").exists()
    assert "新河街道办事处（示例）2024年政府信息公开工作年度报告" in _text((second / "report.html").read_text(encoding="utf-8"))


def test_the_page_reads_on_a_phone_and_is_accessible(built, browser):
    _, work = built
    page = browser.new_page(viewport={"width": 390, "height": 844})
    page.goto((work / "out" / "nanhu" / "2025" / "report.html").as_uri())
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # wide tables scroll in their own box
    assert axe_violations(page) == []
    page.close()


def test_a_word_copy_is_read_back_into_the_same_tables(built, tmp_path):
    """The Word copy as an office saves it (the tables as Word tables with merged cells) is ingested as the
    published report of another office: every cell comes back."""
    from decimal import Decimal

    from helpers.data.disclosure import load_disclosure

    _, work = built
    data = tmp_path / "data"
    shutil.copytree(work / "data", data)
    replace_in(
        data / "offices.csv", "\ntaoyuan,", "\nbeihu,示例市示例区北湖街道办事处（示例）,北湖街道办（示例）,示例区,示例市,Asia/Shanghai,\ntaoyuan,"
    )
    result = annual_report(
        "ingest", str(work / "out" / "nanhu" / "2025" / "report.docx"), "--office", "beihu", "--year", "2025", "--data-dir", "data", cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr
    read, problems = load_disclosure(data / "beihu" / "2025" / "disclosure.csv")
    expected = {key: (None if text == "/" else Decimal(text)) for key, text in YEARS[2025].items()}
    assert problems == [] and {k: v for k, v in read.values.items() if v != 0} == {k: v for k, v in expected.items() if v != 0}


def test_the_preview_of_the_second_kind_reloads_on_a_saved_edit_and_shows_a_broken_identity(tmp_path, browser):
    """``preview --kind``: an edit of its prose shows in the reloaded page; a cell that breaks an identity is
    said in the page, located, and the preview goes on."""
    import threading

    from helpers.publish.build import BuildRequest
    from helpers.serve.preview import Preview

    shutil.copytree(DATA, tmp_path / "data")
    folder = tmp_path / "data" / "xinhe" / "gov-info-disclosure" / "2024"
    request = BuildRequest(
        "xinhe", 2024, tmp_path / "data", tmp_path / "_build" / "preview", tmp_path / "_build", ("html",), "builtin", kind="gov-info-disclosure"
    )
    shown = Preview(request, 0)
    ready, stop = threading.Event(), threading.Event()
    thread = threading.Thread(target=shown.serve, args=(ready, stop), daemon=True)
    thread.start()
    try:
        assert ready.wait(300)
        page = browser.new_page()
        page.goto(f"http://127.0.0.1:{shown.port}/", wait_until="load")
        assert "政府信息公开工作年度报告" in page.content()

        def saved(edit) -> None:
            page.evaluate("window.__before_reload = true")
            edit()
            page.wait_for_function("window.__before_reload === undefined", timeout=120_000)
            page.wait_for_load_state("load")

        saved(lambda: replace_in(folder / "narrative" / "other.md", "未收取信息处理费", "未收取任何信息处理费"))
        assert "未收取任何信息处理费" in page.content()
        saved(lambda: replace_in(folder / "disclosure.csv", "3,new,natural,14,", "3,new,natural,15,"))
        text = page.inner_text("body")
        assert "报告未能生成" in text and "disclosure.csv" in text and "六类申请人之和为19" in text
        page.close()
    finally:
        stop.set()
        thread.join(60)
