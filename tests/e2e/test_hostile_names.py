"""Markup typed into any name field (an office's names, an indicator's, a concept's, a figure's source)
reaches every output as the characters typed: never a live tag in the HTML, never code in Typst or Word."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from ..conftest import DATA
from ..district import DISTRICT, make_district
from .conftest import ENGINES, annual_report
from .test_report import docx_text, pdf_blocks, pdf_text

pytestmark = pytest.mark.e2e
#: Each short enough for the narrow columns it lands in (a long unbreakable word would overflow its cell).
SVG, BOLD, ITALIC, IMG, TYPST = "<svg onload=alert(1)>", "<b>", "<i>", "<img src=x>", "#x"
LIVE = re.compile(r"<svg\b|<b>|<i>|<img src=x>", re.I)  # the hostile strings as live tags (the charts are <img src="data:…)


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new), encoding="utf-8")


def _hostile(data: Path) -> None:
    make_district(data)
    _replace(data / "offices.csv", "北山镇（示例）,北山镇（示例）", f"北山镇{SVG}（示例）,北山镇{BOLD}（示例）")
    _replace(data / "indicators.csv", ",行政复议案件,", f",行政复议{ITALIC}案件,")
    _replace(data / "concepts.csv", "依法治街（镇）委员会会议,", f"依法治街（镇）委员会会议{TYPST},")
    values = data / "beishan" / "2024" / "values.csv"
    lines = values.read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    cells = lines[1].split(",")
    cells[header.index("source")] = f"镇司法所{IMG}"
    values.write_text("\n".join([lines[0], ",".join(cells), *lines[2:]]) + "\n", encoding="utf-8")


@pytest.mark.parametrize("engine", ENGINES)
def test_markup_in_every_name_field_is_text_in_the_comparison_and_the_report(tmp_path: Path, engine: str):
    shutil.copytree(DATA, tmp_path / "data")
    _hostile(tmp_path / "data")
    compared = annual_report(
        "compare", "--year", "2024", "--district", DISTRICT, "--out", "out", "--engine", engine, "--formats", "html,pdf", cwd=tmp_path
    )
    assert compared.returncode == 0, compared.stderr
    built = annual_report(
        "build", "--office", "beishan", "--year", "2024", "--out", "out", "--engine", engine, "--formats", "html,pdf,docx", cwd=tmp_path
    )
    assert built.returncode == 0, built.stderr
    expected = {"compare": (BOLD, ITALIC, TYPST), "beishan": (SVG, IMG, ITALIC)}  # what each shows of the names
    for folder in (tmp_path / "out" / "compare" / "2024", tmp_path / "out" / "beishan" / "2024"):
        page = (folder / "report.html").read_text(encoding="utf-8")
        assert not LIVE.search(page), LIVE.search(page)
        shown = re.sub(r"\s+", "", pdf_text(folder / "report.pdf") + pdf_blocks(folder / "report.pdf"))
        assert all(re.sub(r"\s+", "", text) in shown for text in expected[folder.parent.name]), shown
    compared_page = (tmp_path / "out" / "compare" / "2024" / "report.html").read_text(encoding="utf-8")
    assert "北山镇&lt;b&gt;（示例）" in compared_page and "行政复议&lt;i&gt;案件" in compared_page
    report_page = (tmp_path / "out" / "beishan" / "2024" / "report.html").read_text(encoding="utf-8")
    assert "&lt;svg onload=alert(1)&gt;" in report_page and "镇司法所&lt;img src=x&gt;" in report_page
    assert "<svgonload=alert(1)>" in docx_text(tmp_path / "out" / "beishan" / "2024" / "report.docx")  # spaces dropped there
    status = annual_report("status", "--year", "2024", cwd=tmp_path)
    assert status.returncode == 0 and BOLD in status.stdout  # a terminal shows the characters typed
