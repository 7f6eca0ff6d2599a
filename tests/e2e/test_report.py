"""End to end: the 2024 Taoyuan report built from data states every figure of the seed, in HTML and PDF."""

from __future__ import annotations

import html.parser
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from helpers.fonts import ROLES
from helpers.fonts import faces as fonts_of

from ..conftest import DATA, SEED, replace_in
from .conftest import annual_report

pytestmark = pytest.mark.e2e
UNITS = "宗|份|名|万元|个|次|场|期|处|条|人|%"
CJK = re.compile(r"[\u3400-\u9fff]")


def seed_figures() -> list[str]:
    """Every quantitative statement of the seed: a number, its qualifier, its unit (502宗, 1000余份, 97.6%)."""
    return re.findall(rf"\d+(?:\.\d+)?(?:余)?(?:{UNITS})", SEED.read_text(encoding="utf-8"))


class _Text(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        self._skip += tag in ("style", "script")

    def handle_endtag(self, tag):
        self._skip -= tag in ("style", "script")

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def html_text(path: Path) -> str:
    parser = _Text()
    parser.feed(path.read_text(encoding="utf-8"))
    return re.sub(r"\s+", "", "".join(parser.parts))


def data_tables(tables) -> list:
    """The tables that hold data: Quarto's Word writer wraps each captioned table and figure in a layout
    table, with the data table nested inside."""
    found = []
    for table in tables:
        nested = [t for row in table.rows for cell in row.cells for t in cell.tables]
        found += data_tables(nested) if nested else ([table] if len(table.rows) > 1 else [])
    return found


def docx_text(path: Path) -> str:
    """Every paragraph and table cell of the Word copy, nested tables included, without spaces."""
    import docx

    def cells(tables) -> list[str]:
        out = []
        for table in tables:
            for row in table.rows:
                for cell in row.cells:
                    out += [p.text for p in cell.paragraphs] + cells(cell.tables)
        return out

    document = docx.Document(str(path))
    return re.sub(r"\s+", "", "".join(p.text for p in document.paragraphs) + "".join(cells(document.tables)))


def _letters(name: str) -> str:
    return re.sub(r"[^a-z]", "", name.lower())


def is_face(pdf_font: str, family: str) -> bool:
    """Whether a PDF's font (ABCDEF+FandolFang-Regular) is the family ``family`` (FandolFang R)."""
    font, face = _letters(pdf_font.split("+")[-1].split("-")[0]), _letters(family)
    return font.startswith(face) or face.startswith(font)


def engine_of(built: Path) -> str:
    import json

    return json.loads((built / "manifest.json").read_text(encoding="utf-8"))["engine"]


def pdf_text(path: Path) -> str:
    out = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return re.sub(r"\s+", "", out)


def pdf_blocks(path: Path) -> str:
    """The PDF's text block by block (a table row is one block), so a phrase wrapped inside a cell is found whole."""
    import pymupdf

    return "|".join(re.sub(r"\s+", "", block[4]) for page in pymupdf.open(path) for block in page.get_text("blocks"))


def test_the_seed_has_the_figures_this_test_looks_for():
    figures = seed_figures()
    assert len(figures) == 36 and "502宗" in figures and "1000余份" in figures and "61.7万元" in figures


@pytest.mark.parametrize("reader, name", [(html_text, "report.html"), (pdf_text, "report.pdf")])
def test_every_seed_figure_is_stated_as_the_seed_states_it(built, reader, name):
    text = reader(built / name)
    missing = [f for f in seed_figures() if f not in text]
    assert missing == [], f"{name} lacks {missing}"
    assert "截至10月共调解案件502宗" in text
    assert "调解成功率97.6%" in text


def test_the_html_is_one_self_contained_file_with_a_table_of_contents(built):
    page = (built / "report.html").read_text(encoding="utf-8")
    assert 'lang="zh-CN"' in page
    assert '<nav id="TOC"' in page
    assert not re.search(r'(src|href)="(https?:)?//', page), "the page loads something from the network"
    images = re.findall(r'<img [^>]*src="([^"]+)"', page)
    qmd = built.parents[2] / "_build" / "taoyuan" / "2024" / "stage" / "report.qmd"
    embedded = re.findall(r"\{\{< embed \S+#fig-", qmd.read_text(encoding="utf-8"))
    assert len(images) == len(embedded) >= 7 and all(src.startswith("data:image/svg+xml;base64,") for src in images)
    assert all(re.search(r'(alt|aria-label)="[^"]{4,}"', tag) for tag in re.findall(r"<img [^>]*>", page))


def test_sections_appear_in_the_seed_order_and_none_is_empty(built):
    page = (built / "report.html").read_text(encoding="utf-8")
    headings = re.findall(r"<h([23])[^>]*>(.*?)</h\1>", page, re.S)
    titles = [re.sub(r"<[^>]+>", "", t).strip() for _, t in headings]
    tops = [t[:2] for t in titles if re.match(r"^[一二三四五]、", t)]
    assert tops == ["一、", "二、", "三、", "四、", "五、"]
    levels = [int(level) for level, _ in headings] + [0]
    chunks = re.split(r"<h[23][^>]*>.*?</h[23]>", page, flags=re.S)[1:]
    for i, (title, chunk) in enumerate(zip(titles, chunks, strict=True)):
        has_text = len(re.sub(r"<[^>]+>|\s", "", chunk)) > 20
        assert has_text or levels[i + 1] > levels[i], f"section {title} is empty"  # or its text is in subsections


def test_the_pdf_is_a4_with_every_font_embedded_and_chinese_set_in_a_cjk_font(built):
    import pymupdf

    doc = pymupdf.open(built / "report.pdf")
    assert doc.page_count >= 5
    for page in doc:
        assert abs(page.rect.width - 595.3) < 1 and abs(page.rect.height - 841.9) < 1
    fonts = subprocess.run(["pdffonts", str(built / "report.pdf")], capture_output=True, text=True, check=True).stdout
    rows = fonts.strip().splitlines()[2:]
    assert rows and all(row.split()[-5] == "yes" for row in rows), fonts
    names = [row.split()[0].split("+")[-1] for row in rows]
    assert not [n for n in names if re.search(r"CJK(jp|kr|tc|hk)|Libertinus", n, re.I)], names  # simplified Chinese only
    faces = {face for role in ROLES for face in fonts_of(role)}
    wrong = set()
    for page in doc:
        for block in page.get_text("rawdict")["blocks"]:
            for line in block.get("lines", []):
                for span in line["spans"]:
                    chars = "".join(c["c"] for c in span["chars"])
                    if CJK.search(chars) and not any(is_face(span["font"], face) for face in faces):
                        wrong.add((span["font"], chars[:10]))
    assert wrong == set(), wrong


def test_every_pdf_page_renders_and_figures_carry_alt_text(built, tmp_path):
    import pymupdf

    subprocess.run(["pdftoppm", "-png", "-r", "40", str(built / "report.pdf"), str(tmp_path / "page")], check=True)
    pages = sorted(tmp_path.glob("page-*.png"))
    doc = pymupdf.open(built / "report.pdf")
    assert len(pages) == doc.page_count
    for png in pages:
        pixels = pymupdf.Pixmap(str(png))
        assert len(set(pixels.samples[::97])) > 3, f"{png.name} is blank"
    images = len(re.findall(r"<img ", (built / "report.html").read_text(encoding="utf-8")))
    if engine_of(built) == "quarto":
        return  # Quarto 1.7 drives Typst 0.13, which writes no tagged PDF: test_offline checks the Typst source
    alts = [doc.xref_get_key(x, "Alt")[1] for x in range(1, doc.xref_length()) if doc.xref_get_key(x, "Alt")[0] != "null"]
    assert len(alts) >= images


def test_the_word_copy_holds_every_section_table_and_figure_with_real_heading_styles(built):
    import docx

    document = docx.Document(str(built / "report.docx"))
    headings = [(p.style.name, p.text) for p in document.paragraphs if p.style.name.startswith("Heading")]
    tops = [text[:2] for style, text in headings if style == "Heading 1" and re.match(r"^[一二三四五]、", text)]
    assert tops == ["一、", "二、", "三、", "四、", "五、"]
    assert any(style == "Heading 2" and text.startswith("（四）强化落实安全生产") for style, text in headings)
    page = (built / "report.html").read_text(encoding="utf-8")
    assert len(document.inline_shapes) == len(re.findall(r"<img ", page))
    assert len(data_tables(document.tables)) == len(re.findall(r"<table", page))
    alts = [shape._inline.docPr.get("descr") for shape in document.inline_shapes]
    assert all(alt and len(alt) >= 4 for alt in alts)


@pytest.mark.parametrize("reader, name", [(html_text, "report.html"), (pdf_blocks, "report.pdf")])
def test_the_scorecard_and_comparisons_render_with_symbols_and_words(built, reader, name):
    text = reader(built / name)
    for label in ("↑改善", "↓退步", "→持平", "·仅作描述", "–未比较"):
        assert label in text, label
    assert "提高0.5个百分点" in text  # 调解成功率 97.6% against 97.1%
    assert "增加22宗、增长4.6%" in text
    prose = (html_text if name.endswith("html") else pdf_text)(built / name)
    assert "附件1" in prose and "年度指标对比" in prose and "用到了2022年、2023年的示例数据" in prose


def test_a_scaffolded_new_year_builds_and_lists_its_missing_figures(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    assert annual_report("new-year", "--office", "taoyuan", "--year", "2025", "--data-dir", str(data), cwd=tmp_path).returncode == 0
    result = annual_report(
        "build", "--office", "taoyuan", "--year", "2025", "--data-dir", str(data), "--out", str(tmp_path / "out"), "--formats", "html", cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr
    text = html_text(tmp_path / "out" / "taoyuan" / "2025" / "report.html")
    assert ("本报告尚有38项数据待补" in text and "本节以下指标本年尚无数据：人民调解案件" not in text) or "人民调解案件" in text
    assert "502宗" not in text


def test_a_build_changes_no_input_file(built, data_before_build):
    from .conftest import fingerprint

    assert fingerprint(DATA) == data_before_build


def test_a_failed_build_leaves_the_last_report_byte_identical(built, tmp_path):
    before = {p.name: p.read_bytes() for p in built.iterdir()}
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    replace_in(data / "taoyuan" / "2024" / "values.csv", "safety.drills,22,", "safety.drills,abc,")
    out = built.parent.parent
    result = annual_report("build", "--office", "taoyuan", "--year", "2024", "--data-dir", str(data), "--out", str(out), cwd=tmp_path)
    assert result.returncode == 2 and "“abc”不是数字" in result.stderr
    assert {p.name: p.read_bytes() for p in built.iterdir()} == before


def test_every_caption_is_on_the_page_of_its_table_or_figure(built):
    """表N captions sit above their tables, 图N captions below their charts (vector: runs of filled paths,
    helpers.document.preflight): each on the same page."""
    import pymupdf

    from helpers.document.preflight import _vector_charts

    doc = pymupdf.open(built / "report.pdf")
    seen = 0
    for page in doc:
        blocks = sorted((b for b in page.get_text("blocks") if b[4].strip()), key=lambda b: (b[1], b[0]))
        images = [pymupdf.Rect(box) for box in _vector_charts(page)]
        images += [page.get_image_bbox(item) for item in page.get_images(full=True)]
        for i, block in enumerate(blocks):
            text = re.sub(r"\s+", "", block[4])
            if re.match(r"^表\d+", text):
                seen += 1
                below = [b for b in blocks[i + 1 :] if b[1] >= block[3] - 1]
                assert below, f"page {page.number + 1}: {text[:20]} ends the page without its table"
            elif re.match(r"^图\d+", text):
                seen += 1
                assert any(img.y1 <= block[1] + 2 for img in images), f"page {page.number + 1}: {text[:20]} has no image above"
    assert seen >= 15


def test_a_final_report_prints_the_offices_text_only_and_keeps_its_provenance_in_the_file(built):
    """The shipped year is final: its PDF and Word copy print no colophon, fingerprint or machine notice; the
    provenance is in their document properties, and the HTML shows it in its colophon."""
    import zipfile

    import pymupdf

    machine = ("版本信息", "数据指纹", "manifest.json", "git ", "不作同比比较")
    printed = pdf_text(built / "report.pdf") + docx_text(built / "report.docx")
    assert [word for word in machine if word in printed] == []
    assert "版本信息" in html_text(built / "report.html") and "数据指纹" in html_text(built / "report.html")
    keywords = pymupdf.open(built / "report.pdf").metadata["keywords"]
    assert all(f"{key}: " in keywords for key in ("report-office", "report-year", "report-record", "report-code")), keywords
    with zipfile.ZipFile(built / "report.docx") as package:
        custom = package.read("docProps/custom.xml").decode("utf-8")
    assert all(f'name="{key}"' in custom for key in ("report-office", "report-year", "report-record", "report-code"))
