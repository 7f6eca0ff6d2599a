"""The HTML report in a real browser (Debian's Chromium, driven by Playwright): it opens from disk with
no network, shows every image with alt text, every contents link lands, a phone needs no sideways
scroll, and each table downloads as CSV."""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import axe_violations

pytestmark = pytest.mark.e2e


def open_report(browser, built: Path, **context):
    page = browser.new_context(**context).new_page()
    errors, requests = [], []
    page.on("console", lambda msg: msg.type == "error" and errors.append(msg.text))
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("request", lambda req: requests.append(req.url))
    page.goto((built / "report.html").as_uri(), wait_until="load")
    return page, errors, requests


def test_the_report_opens_from_disk_with_no_error_and_no_network(browser, built, tmp_path_factory):
    page, errors, requests = open_report(browser, built, viewport={"width": 1280, "height": 900})
    assert errors == []
    outside = [url for url in requests if not url.startswith(("file:", "data:"))]
    assert outside == []
    shot = tmp_path_factory.mktemp("screenshots") / "report.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 50_000
    print(f"screenshot: {shot}")


def test_axe_finds_no_accessibility_violation_in_the_report(browser, built):
    """GB/T 37668-2019 (WCAG 2.1 AA) for a government web page: landmarks, contrast, captioned tables, alt text."""
    page, _, _ = open_report(browser, built, viewport={"width": 1280, "height": 900})
    assert axe_violations(page) == []


def test_every_table_has_a_caption_and_header_cells_with_scope(browser, built):
    page, _, _ = open_report(browser, built)
    tables = page.eval_on_selector_all(
        "main table",
        """els => els.map(t => [
        !!t.querySelector('caption') && t.querySelector('caption').textContent.trim().length > 0,
        [...t.querySelectorAll('thead th')].every(th => th.getAttribute('scope') === 'col')])""",
    )
    assert len(tables) >= 5
    assert all(caption and scoped for caption, scoped in tables), tables


def test_every_image_loaded_and_has_alt_text(browser, built):
    page, _, _ = open_report(browser, built)
    images = page.eval_on_selector_all("img", "els => els.map(e => [e.complete && e.naturalWidth > 0, e.alt])")
    assert len(images) >= 7
    assert [alt for ok, alt in images if not ok] == []
    assert all(len(alt) >= 4 for _, alt in images)


def test_every_contents_link_has_its_target(browser, built):
    page, _, _ = open_report(browser, built)
    targets = page.eval_on_selector_all("nav#TOC a", "els => els.map(e => e.getAttribute('href'))")
    assert len(targets) >= 7
    missing = page.evaluate("ids => ids.filter(h => !document.getElementById(decodeURIComponent(h.slice(1))))", targets)
    assert missing == []


def test_a_phone_reads_it_without_sideways_scrolling(browser, built, tmp_path_factory):
    page, errors, _ = open_report(browser, built, viewport={"width": 375, "height": 812}, device_scale_factor=2, is_mobile=True)
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0 and errors == []
    page.screenshot(path=str(tmp_path_factory.mktemp("screenshots") / "phone.png"))


def test_each_table_downloads_its_tidy_data_as_csv_with_numbers_excel_can_add_up(browser, built):
    """The build writes each download from the data the table was made from: one row a figure, the number
    apart from its unit and qualifier; nothing is parsed out of the page."""
    import csv
    import io

    from helpers.document.downloads import TIDY

    page, _, _ = open_report(browser, built)
    tables = page.eval_on_selector_all("table", "els => els.length")
    links = page.locator("a.csv-download")
    assert links.count() == tables >= 8
    tidy = 0
    for i in range(links.count()):
        with page.expect_download() as download:
            links.nth(i).click()
        assert download.value.suggested_filename.endswith(".csv")
        rows = list(csv.DictReader(io.StringIO(Path(download.value.path()).read_text(encoding="utf-8-sig"))))
        assert rows, download.value.suggested_filename
        if list(rows[0]) != TIDY:
            continue  # last year's commitments: their own columns
        tidy += 1
        values = [row["value"] for row in rows if row["value"]]
        assert values and all(float(v) >= 0 for v in values), values
        assert all(row["unit"] for row in rows) and {row["illustrative"] for row in rows} <= {"是", "否"}
    assert tidy >= tables - 1
    assert "/* Under every table" not in (built / "report.html").read_text(encoding="utf-8")  # no re-parsing script


def test_print_hides_the_download_links(browser, built):
    page, _, _ = open_report(browser, built)
    page.emulate_media(media="print")
    assert page.locator("a.csv-download").first.is_hidden()


def test_every_contents_entry_is_at_most_three_lines_tall(browser, built):
    page, _, _ = open_report(browser, built, viewport={"width": 1280, "height": 900})
    lines = page.eval_on_selector_all(
        "nav#TOC a", "els => els.map(e => e.getBoundingClientRect().height / parseFloat(getComputedStyle(e).lineHeight))"
    )
    assert lines and max(lines) <= 3.05, lines


def test_no_link_leads_to_a_file_that_is_not_published(browser, built):
    page, _, _ = open_report(browser, built)
    hrefs = page.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))")
    internal = [h for h in hrefs if h.startswith("#")]
    missing = page.evaluate("ids => ids.filter(h => h.length > 1 && !document.getElementById(decodeURIComponent(h.slice(1))))", internal)
    assert missing == []
    others = [h for h in hrefs if not h.startswith(("#", "data:", "blob:", "https://", "http://"))]
    assert others == []


def test_both_engines_look_alike_side_by_side(browser, builds, tmp_path_factory):
    """Screenshots of each engine's HTML and PDF page 1, saved side by side; the pages hold the same things."""
    if len(builds) < 2:
        pytest.skip("Quarto is not installed: only the built-in engine to look at")
    import subprocess

    from PIL import Image

    folder = tmp_path_factory.mktemp("engines")
    counts, shots = {}, {}
    for engine, built in builds.items():
        page, errors, _ = open_report(browser, built, viewport={"width": 1280, "height": 1600})
        assert errors == []
        counts[engine] = page.evaluate("""() => ['img', 'table', 'h2', 'h3', '.notice']
            .map(s => document.querySelectorAll(s).length)""")
        page.screenshot(path=str(folder / f"{engine}-html.png"))
        subprocess.run(
            ["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile", str(built / "report.pdf"), str(folder / f"{engine}-pdf")],
            check=True,
        )
        shots[engine] = [Image.open(folder / f"{engine}-html.png"), Image.open(folder / f"{engine}-pdf.png")]
    assert counts["builtin"] == counts["quarto"], counts
    for i, name in enumerate(("html", "pdf")):
        left, right = shots["builtin"][i], shots["quarto"][i]
        sheet = Image.new("RGB", (left.width + right.width + 20, max(left.height, right.height)), "gray")
        sheet.paste(left, (0, 0))
        sheet.paste(right, (left.width + 20, 0))
        sheet.save(folder / f"side-by-side-{name}.png")
    print(f"side-by-side screenshots: {folder}")


def test_on_a_phone_no_table_cell_is_narrower_than_four_characters_and_chart_text_is_readable(browser, built):
    from helpers.model.charts import DPI, MIN_FONT_PT

    page, _, _ = open_report(browser, built, viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True)
    narrow = page.evaluate("""() => [...document.querySelectorAll('td, th')]
        .filter(c => c.textContent.trim().length > 0)
        .map(c => [c.getBoundingClientRect().width / parseFloat(getComputedStyle(c).fontSize), c.textContent.trim()])
        .filter(([chars]) => chars < 4)""")
    assert narrow == []
    scales = page.eval_on_selector_all("figure img", "els => els.map(e => e.getBoundingClientRect().width / e.naturalWidth)")
    assert scales
    smallest_px = MIN_FONT_PT / 72 * DPI * min(scales)  # the smallest chart text, in CSS px as shown
    assert smallest_px >= 12, smallest_px


def test_on_a_phone_a_wide_table_scrolls_in_its_box_with_a_shade_where_columns_are_hidden(browser, built):
    page, _, _ = open_report(browser, built, viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True)
    tables = page.evaluate("""() => [...document.querySelectorAll('table')].map(t => {
        const s = getComputedStyle(t), c = t.querySelector('caption');
        const r = c ? c.getBoundingClientRect() : null;
        return {wide: t.scrollWidth > t.clientWidth + 1, overflow: s.overflowX, shade: s.backgroundImage,
                caption: r ? [r.left, r.right] : null};
    })""")
    wide = [t for t in tables if t["wide"]]
    assert wide and all(t["overflow"] in ("auto", "scroll") for t in tables)
    assert all(t["shade"].count("gradient") == 4 for t in wide), wide
    assert all(t["caption"] is None or (t["caption"][0] >= 0 and t["caption"][1] <= 390) for t in tables), tables
