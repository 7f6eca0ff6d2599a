"""Ingest under attack: nothing of the office lost, no other year changed, nothing fetched from the network,
a hostile document refused within seconds, located, and what it writes always validates."""

from __future__ import annotations

import csv
import http.server
import multiprocessing
import subprocess
import sys
import threading
import time
import zipfile
from pathlib import Path
from typing import ClassVar

import pytest

from helpers.data.dataset import load_dataset
from helpers.errors import InputError
from helpers.ingest.ingestion import ingest
from helpers.ingest.source import MAX_DEPTH, MAX_UNPACKED

from .test_ingest import new_office, rows


@pytest.fixture
def data(data_copy: Path) -> Path:
    return data_copy


REPORT = "一、主要举措\n开展普法活动20场，走访企业28家。\n二、存在的不足\n基层法治力量不足。\n"


def test_force_over_a_gb18030_file_backs_up_its_bytes(data: Path, tmp_path: Path):
    office = new_office(data)
    report = tmp_path / "r.txt"
    report.write_text(REPORT, encoding="utf-8")
    ingest(report, data, office, 2024)
    values = data / office / "2024" / "values.csv"
    original = values.read_text(encoding="utf-8").replace(",20,", ",19,").encode("gb18030")
    values.write_bytes(original)
    result = ingest(report, data, office, 2024, force=True)
    assert [b.read_bytes() for b in result.log.backups if b.name.startswith("values.csv")] == [original]


def test_a_new_years_outline_never_changes_the_outline_an_earlier_year_is_built_from(data: Path, tmp_path: Path):
    office = new_office(data)
    first = tmp_path / "2024.txt"
    first.write_text(REPORT, encoding="utf-8")
    ingest(first, data, office, 2024)
    outline = (data / office / "sections.csv").read_bytes()
    second = tmp_path / "2025.txt"
    second.write_text("一、党建引领\n召开会议3次。\n二、依法行政\n审查合同40件。\n三、下一步打算\n继续努力。\n", encoding="utf-8")
    result = ingest(second, data, office, 2025)
    assert (data / office / "sections.csv").read_bytes() == outline
    assert data / office / "2025" / "sections.csv" in result.log.written
    assert [s.title(2024) for s in load_dataset(data, office, 2024).outline.sections.values()] == ["主要举措", "存在的不足"]
    assert next(iter(load_dataset(data, office, 2025).outline.sections.values())).title(2025) == "党建引领"


def _ingest_in_a_process(report: str, folder: str, office: str) -> None:
    ingest(Path(report), Path(folder), office, 2024)


def test_two_ingests_of_one_office_year_at_once_leave_one_catalog_without_repeats(data: Path, tmp_path: Path):
    office = new_office(data)
    report = tmp_path / "r.txt"
    report.write_text(REPORT, encoding="utf-8")
    shared = (data / "indicators.csv").read_bytes()
    context = multiprocessing.get_context("spawn")
    runs = [context.Process(target=_ingest_in_a_process, args=(str(report), str(data), office)) for _ in range(2)]
    for run in runs:
        run.start()
    for run in runs:
        run.join(120)
    assert [run.exitcode for run in runs] == [0, 0]
    ids = [r["id"] for r in rows(data / office / "indicators.csv")]
    assert ids and len(ids) == len(set(ids)) and (data / "indicators.csv").read_bytes() == shared
    load_dataset(data, office, 2024)


class _Counting(http.server.BaseHTTPRequestHandler):
    hits: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        _Counting.hits.append(self.path)
        body = "<p>共调解案件999宗</p>".encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        pass


def test_a_web_page_that_embeds_a_local_server_reaches_no_network(data: Path, tmp_path: Path):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Counting)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_port}/x.html"
        page = tmp_path / "page.html"
        page.write_text(
            f"<html><body><p>一、主要举措</p><p>开展普法活动20场。</p><iframe src='{url}'></iframe>"
            f"<img src='{url}'><link rel='stylesheet' href='{url}'><object data='{url}'></object></body></html>",
            encoding="utf-8",
        )
        office = new_office(data)
        ingest(page, data, office, 2024)
    finally:
        server.shutdown()
    assert _Counting.hits == []
    assert "999" not in (data / office / "2024" / "values.csv").read_text(encoding="utf-8")


def _refused_fast(path: Path, folder: Path, office: str, said: str) -> None:
    start = time.monotonic()
    with pytest.raises(InputError) as caught:
        ingest(path, folder, office, 2024)
    assert time.monotonic() - start < 60
    assert said in str(caught.value) and str(path) in str(caught.value)
    assert not (folder / office).exists()


def test_a_page_nested_thousands_deep_is_refused_within_seconds(data: Path, tmp_path: Path):
    page = tmp_path / "deep.html"
    page.write_text("<html><body>" + "<div>" * 200_000 + "一、主要举措" + "</div>" * 200_000 + "</body></html>", encoding="utf-8")
    _refused_fast(page, data, new_office(data), f"嵌套超过 {MAX_DEPTH} 层")


def test_a_word_file_that_unpacks_to_gigabytes_is_refused_before_it_is_parsed(data: Path, tmp_path: Path):
    bomb = tmp_path / "bomb.docx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w", force_zip64=True) as part:
            chunk = b"<w:p/>" * (1024 * 1024 // 6)
            for _ in range((MAX_UNPACKED // len(chunk)) + 2):
                part.write(chunk)
    assert bomb.stat().st_size < 1024 * 1024
    _refused_fast(bomb, data, new_office(data), "解压后有")


def test_what_ingest_writes_validates_even_where_the_source_looks_like_markup(data: Path, tmp_path: Path):
    report = tmp_path / "r.txt"
    long = "为民服务。" * 6000  # 30,000 characters in one paragraph
    report.write_text("一、主要举措\n::: signature\n: 表题\n- 一项\n1. 第一，开展普法活动20场。\n" + long + "\n", encoding="utf-8")
    office = new_office(data)
    ingest(report, data, office, 2024)
    dataset = load_dataset(data, office, 2024)
    prose = dataset.narrative["s1"]
    assert "signature" in prose and max(len(line) for line in prose.splitlines()) <= 20_000


@pytest.mark.parametrize(
    "args",
    [
        ["status", "--year", "-1"],
        ["status", "--year", "99999"],
        ["ingest", "x.txt", "--office", "o", "--year", "25"],
        ["ingest", "x.txt", "--office", "o", "--year", "99999999999"],
        ["ingest", "x.txt", "--office", "o", "--year", "0"],
        ["build", "--office", "o", "--year", "２０２４"],
        ["site", "--years", "2024,1"],
    ],
)
def test_a_year_that_is_not_a_four_digit_year_is_refused_without_a_traceback(args: list[str], tmp_path: Path):
    done = subprocess.run([sys.executable, "-m", "helpers.cli", *args], cwd=tmp_path, capture_output=True, text=True)
    assert done.returncode == 2 and "Traceback" not in done.stderr and "不是年份" in done.stderr
    assert list(tmp_path.iterdir()) == []


def test_the_review_and_the_catalog_rows_are_csv_a_spreadsheet_reads(data: Path, tmp_path: Path):
    report = tmp_path / "r.txt"
    report.write_text('一、主要举措\n=HYPERLINK("http://x")开展普法活动20场。\n', encoding="utf-8")
    office = new_office(data)
    ingest(report, data, office, 2024)
    with (data / office / "2024" / "ingest-review.csv").open(encoding="utf-8") as source:
        cells = [c for row in csv.reader(source) for c in row]
    assert not any(c.startswith(("=", "+", "@")) for c in cells)
