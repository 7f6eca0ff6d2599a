"""The PDF and the Word copy are set as a Chinese official document (GB/T 9704): faces by role, 3号 body
on a grid of 22 lines of 28 characters, page numbers — n — at the outside edge, no box for any character."""

from __future__ import annotations

import itertools
import os
import re
import statistics
import subprocess
import unicodedata
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from helpers import fonts
from helpers.document import wordstyles

from .test_report import CJK, is_face

pytestmark = pytest.mark.e2e
MM = 72 / 25.4
TYPE_AREA = (28 * MM, 37 * MM, (210 - 26) * MM, (297 - 35) * MM)  # left, top, right, bottom in points


def spans(pdf: Path):
    """(page number, span) of every text span of the PDF."""
    import pymupdf

    for page in pymupdf.open(pdf):
        for block in page.get_text("dict")["blocks"]:
            for line in block.get("lines", []):
                for span in line["spans"]:
                    yield page.number + 1, span


def width(text: str) -> float:
    """Characters as a line counts them: a Chinese character or full-width mark is one, a Latin one half."""
    return sum(1 if unicodedata.east_asian_width(c) in "WFA" and ord(c) > 0x2000 else 0.5 for c in text)


def text_lines(pdf: Path) -> dict[int, list[tuple[float, float, str]]]:
    """Per page, each line of text as pdftotext reads it: (top, bottom, text), words on one baseline joined."""
    out = subprocess.run(["pdftotext", "-bbox-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    ns = {"x": "http://www.w3.org/1999/xhtml"}
    pages = {}
    for number, page in enumerate(ET.fromstring(out).iter("{http://www.w3.org/1999/xhtml}page"), 1):
        rows: list[list] = []
        for line in page.iterfind(".//x:line", ns):
            top, bottom = float(line.get("yMin")), float(line.get("yMax"))
            text = "".join(word.text or "" for word in line.iterfind("x:word", ns))
            row = next((r for r in rows if abs(r[1] - bottom) < 4), None)  # a mark set a little low is one line
            if row:
                row[2] += text
            else:
                rows.append([top, bottom, text])
        pages[number] = sorted((top, bottom, text) for top, bottom, text in rows)
    return pages


def running_text_pages(pdf: Path) -> dict[int, list[tuple[float, float, str]]]:
    """Pages of running text only (no picture, no small type in the type area), a dozen lines at least."""
    import pymupdf

    doc = pymupdf.open(pdf)
    small = {number for number, span in spans(pdf) if span["size"] < 15 and span["bbox"][3] < TYPE_AREA[3]}
    found = {}
    for number, lines in text_lines(pdf).items():
        body = [line for line in lines if line[1] <= TYPE_AREA[3] + 2]
        contents = any(re.search(r"\.{6}", text) for _, _, text in body)
        if number in small or contents or doc[number - 1].get_image_info() or len(body) < 12:
            continue
        found[number] = body
    return found


def test_body_text_is_set_in_fangsong_headings_in_hei_and_kai(built):
    listed = subprocess.run(["pdffonts", str(built / "report.pdf")], capture_output=True, text=True, check=True).stdout
    assert any(is_face(row.split()[0], fonts.face("body")) for row in listed.splitlines()[2:]), listed
    roles = {"一是加强理论学习": "body", "一、深入学习贯彻": "heading", "（一）推进": "subheading"}
    seen = {}
    for _, span in spans(built / "report.pdf"):
        for start in roles:
            if span["text"].strip().startswith(start) and span["size"] > 15:
                seen[start] = (span["font"], round(span["size"]))  # the last: the text's, not the contents'
    assert set(seen) == set(roles), seen
    for start, role in roles.items():
        assert is_face(seen[start][0], fonts.face(role)), (start, seen[start], fonts.face(role))
    assert {size for _, size in seen.values()} == {16}  # 3号 for body and headings alike


def test_the_title_is_2hao_xiaobiaosong_centred(built):
    title = next(span for _, span in spans(built / "report.pdf") if span["text"].startswith("深圳市南山区桃源街道"))
    assert round(title["size"]) == 22 and is_face(title["font"], fonts.face("title"))
    centre = (title["bbox"][0] + title["bbox"][2]) / 2
    assert abs(centre - (TYPE_AREA[0] + TYPE_AREA[2]) / 2) < 3
    # broken between words, as a trapezoid: the office, then the year and the kind of report
    lines = [span["text"].strip() for n, span in spans(built / "report.pdf") if n == 1 and round(span["size"]) == 22]
    assert lines == ["深圳市南山区桃源街道办事处", "2024年法治政府建设年度报告"], lines


def test_the_print_has_no_contents_and_its_text_starts_under_the_title(built):
    import pymupdf

    first = pymupdf.open(built / "report.pdf")[0].get_text()
    assert "目录" not in first and "为深入贯彻习近平法治思想" in first


def test_each_appendix_starts_a_page_under_its_label(built):
    import pymupdf

    starts = [page.get_text().split("\n")[:2] for page in pymupdf.open(built / "report.pdf")]
    assert ["附件1", "年度指标对比"] in starts and ["附件2", "数据来源"] in starts


def test_a_page_of_running_text_has_22_lines_of_28_characters(built):
    """Read by pdftotext, a second opinion beside preflight's: the lines' pitch fits 22 in the type area's
    height, and a full line holds 28 characters."""
    pages = running_text_pages(built / "report.pdf")
    assert pages, "no page of running text in the report"
    for number, lines in pages.items():
        bottoms = [bottom for _, bottom, _ in lines]
        pitch = statistics.median(b - a for a, b in itertools.pairwise(bottoms) if 16 < b - a < 40)
        assert int((TYPE_AREA[3] - TYPE_AREA[1] - 16) / pitch + 1e-6) + 1 == 22, (number, pitch)
        # a paragraph's last line is short; punctuation set half-width (）》，) lets a line hold one more
        full = [width(text) for _, _, text in lines if width(text) >= 20]
        assert 27 <= statistics.median(full) <= 29, (number, full)


def test_page_numbers_are_dashed_4hao_at_the_outside_edge(built):
    numbers = {}
    for number, span in spans(built / "report.pdf"):
        if span["bbox"][1] > TYPE_AREA[3] and re.fullmatch(r"—\s*\d+\s*—", span["text"].strip()):
            numbers[number] = span
    assert set(numbers) >= {1, 2, 3}
    for number, span in numbers.items():
        assert span["text"].strip().replace(" ", "") == f"—{number}—"
        assert round(span["size"]) == 14
        if number % 2:
            assert TYPE_AREA[2] - span["bbox"][2] < 20, (number, span["bbox"])  # right, a character in
        else:
            assert span["bbox"][0] - TYPE_AREA[0] < 20, (number, span["bbox"])


def test_the_unsealed_signature_sits_two_characters_in_with_the_date_two_characters_right_of_it(built):
    """GB/T 9704 7.3.5.2: the office two characters in from the right, the date under it starting two
    characters right of the office's first character; both on the page of the last lines they sign."""
    date = [(n, span) for n, span in spans(built / "report.pdf") if re.fullmatch(r"\d{4}年\d{1,2}月\d{1,2}日", span["text"].strip())]
    assert date, "no date under the report"
    office = [(n, span) for n, span in spans(built / "report.pdf") if span["text"].strip() == "深圳市南山区桃源街道办事处"][-1]
    assert TYPE_AREA[2] - office[1]["bbox"][2] == pytest.approx(2 * 16, abs=3)
    assert date[-1][1]["bbox"][0] - office[1]["bbox"][0] == pytest.approx(2 * 16, abs=3)
    assert date[-1][0] == office[0]
    above = [span for n, span in spans(built / "report.pdf") if n == office[0] and span["bbox"][3] < office[1]["bbox"][1] and span["size"] > 15]
    assert above, "the signature opens a page of its own"


def test_no_character_is_drawn_as_a_box(built):
    """Glyph 0 is a font's "missing" box: no character of the PDF may be drawn with it."""
    import pymupdf

    boxes = [
        (page.number + 1, chr(char[0]))
        for page in pymupdf.open(built / "report.pdf")
        for trace in page.get_texttrace()
        for char in trace["chars"]
        if char[1] == 0 and char[0] > 32
    ]
    assert boxes == []


def _style_faces(docx_path: Path) -> dict[str, dict[str, str]]:
    import docx
    from docx.oxml.ns import qn

    found = {}
    for style in docx.Document(str(docx_path)).styles:
        rpr = style.element.rPr
        fonts_ = rpr.find(qn("w:rFonts")) if rpr is not None else None
        if fonts_ is not None:
            found[style.name] = {k.split("}")[1]: v for k, v in fonts_.attrib.items()}
    return found


def test_the_word_styles_carry_east_asian_faces_and_the_official_page(built):
    import docx

    faces = _style_faces(built / "report.docx")
    for spec in wordstyles.STYLES:  # the names an office PC knows, whatever faces the building machine has
        assert faces[spec.name].get("eastAsia") == fonts.ROLES[spec.role].office[0], (spec.name, faces.get(spec.name))
        assert not [k for k in faces[spec.name] if k.endswith("Theme")], spec.name  # no theme font to override it
    document = docx.Document(str(built / "report.docx"))
    section = document.sections[-1]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert [round(m.mm) for m in (section.top_margin, section.bottom_margin, section.left_margin, section.right_margin)] == [37, 35, 28, 26]
    footers = [section.footer, section.even_page_footer]
    assert all("PAGE" in footer._element.xml and "—" in footer._element.xml for footer in footers)
    assert document.settings.odd_and_even_pages_header_footer
    body = document.element.body.xml
    assert "TOC \\o" not in body and "w:instrText" not in body  # no contents field left for Word to fill
    assert any(p.style.name == "Signature" for p in document.paragraphs)


def test_the_shipped_word_template_is_what_the_styles_declare(tmp_path):
    made = wordstyles.build_reference(tmp_path / "reference.docx")
    shipped = Path(__file__).parents[2] / "report" / "reference.docx"
    assert made.read_bytes() == shipped.read_bytes(), "run: python -m helpers.document.wordstyles report/reference.docx"


def test_the_word_copy_opens_in_libreoffice_with_the_same_faces(built, tmp_path):
    """LibreOffice (as WPS would) sets the Word copy in the styles' faces, with no box and no empty contents."""
    from helpers.document.wordlayout import lay_out, soffice

    if not soffice():
        if os.environ.get("CI"):
            pytest.fail("LibreOffice is not installed: tools/system-packages.sh --for-tests installs it")
        pytest.skip("LibreOffice (soffice) is not installed here")
    import pymupdf
    from PIL import Image

    pdf = lay_out(built / "report.docx", tmp_path)  # as preflight lays it out: its own profile, a time limit
    assert pdf is not None and pdf.is_file()
    used = {span["font"] for _, span in spans(pdf) if CJK.search(span["text"])}
    for role in ("body", "heading", "subheading", "title"):
        assert any(is_face(font, fonts.face(role)) for font in used), (role, used)
    allowed = {face for role in fonts.ROLES for face in fonts.faces(role)}
    assert all(any(is_face(font, face) for face in allowed) for font in used), used
    doc = pymupdf.open(pdf)
    boxes = [chr(c[0]) for page in doc for trace in page.get_texttrace() for c in trace["chars"] if c[1] == 0 and c[0] > 32]
    assert boxes == []
    assert "目录" not in doc[0].get_text()
    # LibreOffice, as WPS and Word do, sets the grid: 22 lines of 28 characters in 仿宋 (drawn with its open face)
    from helpers.document.preflight import check

    grid = [str(f) for f in check([pdf]) if "每页" in f.message or "每行" in f.message or "字体" in f.message]
    assert grid == [], grid
    shots = []
    for name, source in (("typst", built / "report.pdf"), ("word", pdf)):
        subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile", str(source), str(tmp_path / name)], check=True)
        shots.append(Image.open(tmp_path / f"{name}.png"))
    sheet = Image.new("RGB", (sum(s.width for s in shots) + 20, max(s.height for s in shots)), "gray")
    sheet.paste(shots[0], (0, 0))
    sheet.paste(shots[1], (shots[0].width + 20, 0))
    sheet.save(tmp_path / "pdf-and-word.png")
    print(f"PDF and Word page 1 side by side: {tmp_path / 'pdf-and-word.png'}")
