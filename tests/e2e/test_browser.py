"""The HTML report in a real browser (Debian's Chromium, driven by Playwright): it opens from disk with
no network, shows every image with alt text, every contents link lands, a phone needs no sideways
scroll, and each table downloads as CSV."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"]

if CHROMIUM is None and os.environ.get("CI"):
    raise RuntimeError("CI must run the browser test: Chromium is missing (tools/system-packages.sh --for-tests installs it)")


@pytest.fixture(scope="module")
def browser():
    if CHROMIUM is None:
        pytest.skip("Chromium is not installed: apt-get install chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
        yield browser
        browser.close()


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
    page, errors, _ = open_report(browser, built, viewport={"width": 375, "height": 812}, device_scale_factor=2,
                                  is_mobile=True)
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0 and errors == []
    page.screenshot(path=str(tmp_path_factory.mktemp("screenshots") / "phone.png"))


def test_each_table_downloads_as_csv(browser, built):
    page, _, _ = open_report(browser, built)
    tables = page.eval_on_selector_all("table", "els => els.length")
    links = page.locator("a.csv-download")
    assert links.count() == tables >= 8
    with page.expect_download() as download:
        links.first.click()
    text = Path(download.value.path()).read_text(encoding="utf-8-sig")
    assert text.splitlines()[0].startswith("指标,2024年,2023年,较上年,评价")
    assert "干部学法考试参考率,100%" in text


def test_print_hides_the_download_links(browser, built):
    page, _, _ = open_report(browser, built)
    page.emulate_media(media="print")
    assert page.locator("a.csv-download").first.is_hidden()
