"""Preflight finds, located, what a reviewer would see on the page: documents made to fail, one fault each,
set with the report's own Typst layout (report/typst/header.typ), and Word files with one fault each."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from helpers import fonts
from helpers.document import wordstyles
from helpers.document.preflight import check

ROOT = Path(__file__).parents[2]
OVERPRINT = ROOT / "tests" / "fixtures" / "preflight" / "table-rows-overprint.pdf"
TEXT = "坚持依法行政推进法治政府建设提高执法水平维护群众合法权益" * 12
PARAGRAPHS = "\n\n".join([TEXT[:300], TEXT[300:560]])


def typeset(folder: Path, body: str, *, title: str | None = "测试报告", name: str = "doc") -> Path:
    """A PDF set as the report sets its pages, with ``body`` as its content."""
    import typst

    header = (ROOT / "report" / "typst" / "header.typ").read_text(encoding="utf-8")
    head = f'#set document(title: "{title}")\n' if title else ""
    source = folder / f"{name}.typ"
    source.write_text(
        f'{head}#set text(lang: "zh", region: "CN")\n#set page(paper: "a4", margin: (top: 37mm, bottom: 35mm, '
        f"left: 28mm, right: 26mm))\n{fonts.typst_declarations()}\n{header}\n#show: official\n{body}\n",
        encoding="utf-8",
    )
    output = folder / f"{name}.pdf"
    typst.compile(str(source), output=str(output), root=str(folder))
    return output


def messages(path: Path) -> list[str]:
    return [str(f) for f in check([path])]


def test_a_document_set_as_the_report_is_clean(tmp_path):
    assert messages(typeset(tmp_path, PARAGRAPHS)) == []


CASES = {
    "text-overprints": (
        "#place(top + left, dy: 2cm)[重叠的文字重叠的文字]\n#place(top + left, dy: 2cm, dx: 0.2em)[重叠的文字重叠的文字]\n" + PARAGRAPHS,
        "doc.pdf:第1页: 3 行文字互相重叠（自“重叠的文字重叠的文字”起）",
    ),
    "text-outside-the-type-area": ("#place(top + left, dx: -20mm, dy: 3cm)[出界的文字]\n" + PARAGRAPHS, "doc.pdf:第1页: 文字超出版心左边"),
    "a-nearly-empty-page": ("只有一行。\n\n#pagebreak()\n\n" + PARAGRAPHS, "doc.pdf:第1页: 本页只用了版心的"),
    "a-heading-last-on-its-page": (
        PARAGRAPHS[:200] + "\n\n= 一、最后的标题\n\n#pagebreak()\n\n" + PARAGRAPHS,
        "doc.pdf:第1页: 标题“一、最后的标题”在页末",
    ),
    "a-caption-away-from-its-chart": (
        PARAGRAPHS + "\n\n#figure([文字而非图片], kind: image, caption: [某图])",
        "doc.pdf:第1页: 图1 的图题与图不在同一页",
    ),
    "a-signature-alone-on-its-page": (
        PARAGRAPHS + "\n\n#pagebreak()\n#signature([某某街道办事处], [2024年12月9日])",
        "doc.pdf:第2页: 落款和成文日期独占一页",
    ),
    "a-signature-under-its-attachments-list-alone": (
        PARAGRAPHS + "\n\n#pagebreak()\n#attachments([年度指标对比], [数据来源])\n#signature([某某街道办事处], [2024年12月9日])",
        "doc.pdf:第2页: 落款和成文日期独占一页",
    ),
    "a-blank-page": (PARAGRAPHS + "\n\n#pagebreak()\n#pagebreak()\n\n" + PARAGRAPHS, "doc.pdf:第2页: 空白页"),
    "lines-too-far-apart": ("#set par(leading: 1.2em, spacing: 1.2em)\n" + PARAGRAPHS, "doc.pdf:全文: 正文每页 18 行"),
    "characters-too-wide": ("#set text(tracking: 2pt)\n" + PARAGRAPHS, "doc.pdf:全文: 正文每行 24 字，应为 28 字"),
    "a-japanese-face": (PARAGRAPHS + '\n\n#text(font: "Noto Serif CJK JP")[日本の文字]', "不是简体中文字体"),
    "letter-paper": ('#set page(paper: "us-letter")\n' + PARAGRAPHS, "doc.pdf:第1页: 页面 216×279 毫米，应为 A4"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_document_made_to_fail_is_reported_located(case, tmp_path):
    body, expected = CASES[case]
    found = messages(typeset(tmp_path, body))
    assert any(expected in m for m in found), found


def test_a_picture_is_found_on_its_page_and_only_there(tmp_path):
    """A page whose only content is a raster picture is neither blank nor nearly empty; the pages without
    one hold none (their images are looked for only where the page shows one)."""
    from PIL import Image

    from helpers.document.preflight import _pages, _read_pdf

    Image.new("RGB", (400, 300), "steelblue").save(tmp_path / "photo.png")
    body = PARAGRAPHS + '\n\n#pagebreak()\n#image("photo.png", width: 60mm)\n#pagebreak()\n' + PARAGRAPHS
    pdf = typeset(tmp_path, body)
    assert messages(pdf) == []
    assert [bool(page.images) for page in _pages(_read_pdf(pdf))] == [False, True, False]


def test_a_pdf_without_a_title_is_reported(tmp_path):
    assert "doc.pdf:全文: PDF 没有标题（文档属性 Title）" in messages(typeset(tmp_path, PARAGRAPHS, title=None))


def test_quartos_pdf_whose_table_rows_piled_up_is_reported_with_its_table_and_page():
    found = messages(OVERPRINT)
    assert any(m.startswith("table-rows-overprint.pdf:第1页: 表9 的 ") and "行文字互相重叠" in m for m in found), found
    assert any("文字超出版心下边" in m for m in found), found


def test_the_command_prints_every_finding_and_exits_2(tmp_path):
    exe = Path(sys.executable).with_name("annual-report")
    clean = typeset(tmp_path, PARAGRAPHS, name="clean")
    ok = subprocess.run([str(exe), "preflight", str(clean)], capture_output=True, text=True)
    assert ok.returncode == 0 and "版面检查通过" in ok.stdout, ok.stderr
    bad = subprocess.run([str(exe), "preflight", str(OVERPRINT), str(clean)], capture_output=True, text=True)
    assert bad.returncode == 2
    assert "table-rows-overprint.pdf:第1页: 表9 的" in bad.stderr and "处版面问题" in bad.stderr
    assert "Traceback" not in bad.stderr


def test_a_file_that_is_not_a_pdf_is_reported_not_raised(tmp_path):
    fake = tmp_path / "report.pdf"
    fake.write_text("not a pdf", encoding="utf-8")
    assert [m for m in messages(fake) if m.startswith("report.pdf:全文: 不是可读的 PDF 文件")]


# ------------------------------------------------------------------------------------------------ Word


def word_copy(folder: Path, change=None) -> Path:
    """A Word copy in the project's styles, with a chart and its caption, changed by ``change(document)``."""
    import docx
    from docx.shared import Mm
    from PIL import Image

    reference = wordstyles.build_reference(folder / "reference.docx")
    document = docx.Document(str(reference))
    for paragraph in list(document.paragraphs):
        paragraph._p.getparent().remove(paragraph._p)
    document.add_paragraph("一、标题", style="Heading 1")
    document.add_paragraph(TEXT[:200], style="Body Text")
    Image.new("RGB", (40, 20), "white").save(folder / "chart.png")
    document.add_paragraph(style="Captioned Figure").add_run().add_picture(str(folder / "chart.png"), width=Mm(80))
    document.add_paragraph("图1　某图", style="Image Caption")
    if change:
        change(document)
    path = folder / "report.docx"
    document.save(str(path))
    return path


def test_a_word_copy_in_the_projects_styles_is_clean(tmp_path):
    assert messages(word_copy(tmp_path)) == []


def _fandol_body(document):
    from docx.oxml.ns import qn

    document.styles["Body Text"].element.rPr.find(qn("w:rFonts")).set(qn("w:eastAsia"), "FandolFang R")


def _no_grid(document):
    from docx.oxml.ns import qn

    sectpr = document.sections[0]._sectPr
    sectpr.remove(sectpr.find(qn("w:docGrid")))


def _letter(document):
    from docx.shared import Mm

    document.sections[0].page_width, document.sections[0].page_height = Mm(216), Mm(279)


def _loose_figure(document):
    figure = next(p for p in document.paragraphs if p.style.name == "Captioned Figure")
    figure.paragraph_format.keep_with_next = False


def _page_break(paragraph) -> None:
    paragraph.paragraph_format.page_break_before = True


def _signed(document, attachments: bool = False):
    document.add_paragraph(TEXT[:120], style="Signed Text")  # as report/filters/blocks.lua sets it
    listing = document.add_paragraph("附件：1．年度指标对比", style="Attachments") if attachments else None
    signature = document.add_paragraph("示例街道办事处", style="Signature")
    signature.add_run().add_break()
    signature.add_run("2024年12月20日")
    return listing or signature


def _signature_alone(document):
    _page_break(_signed(document))


def _signature_under_attachments_alone(document):
    _page_break(_signed(document, attachments=True))  # the 附件 list moves with it: still no text it signs


def _blank_page(document):
    _page_break(document.add_paragraph(style="Body Text"))
    _page_break(document.add_paragraph(TEXT[:40], style="Body Text"))


def _caption_apart(document):
    from docx.enum.text import WD_BREAK

    caption = next(p for p in document.paragraphs if p.text.startswith("图1"))
    caption.runs[0]._r.addprevious(caption.add_run()._r)
    caption.runs[0].add_break(WD_BREAK.PAGE)


def _chart_too_tall(document):
    from docx.shared import Mm

    document.paragraphs[1].insert_paragraph_before(TEXT[:300], style="Body Text")
    document.inline_shapes[0].height = Mm(215)  # taller than the page holds under the text above it


def _long_table(document, header: bool = False):
    from docx.oxml import OxmlElement

    document.add_paragraph("表1　某表", style="Table Caption")
    table = document.add_table(rows=40, cols=3)
    for n, row in enumerate(table.rows):
        for k, cell in enumerate(row.cells):
            cell.text = "指标" if (n, k) == (0, 0) else f"第{n}行{k}" if k else f"事项{n:02d}"
    if header:
        props = table.rows[0]._tr.get_or_add_trPr()
        props.append(OxmlElement("w:tblHeader"))


WORD_CASES = {
    "a-face-no-office-pc-has": (_fandol_body, "report.docx:全文: 样式“Body Text”的中文字体“FandolFang R”不是办公电脑常备字体"),
    "no-grid": (_no_grid, "report.docx:全文: 第1节没有文档网格"),
    "letter-paper": (_letter, "report.docx:全文: 第1节页面 216×279 毫米，应为 A4"),
    "a-chart-that-may-part-from-its-caption": (_loose_figure, "report.docx:全文: 图1 的图与图题未设“与下段同页”"),
    # laid out in LibreOffice: what only the pages show
    "a-signature-alone-on-a-page": (_signature_alone, "report.docx:第2页: 落款和成文日期独占一页"),
    "a-signature-under-its-attachments-list-alone": (_signature_under_attachments_alone, "report.docx:第2页: 落款和成文日期独占一页"),
    "a-blank-page": (_blank_page, "report.docx:第2页: 空白页"),
    "a-chart-too-tall-to-keep-its-caption": (_chart_too_tall, "report.docx:第4页: 图1 的图题与图不在同一页"),
    "a-caption-a-page-after-its-chart": (_caption_apart, "report.docx:第2页: 图1 的图题与图不在同一页"),
    "a-table-whose-header-is-not-repeated": (_long_table, "report.docx:第2页: 表格续页没有重复表头"),
}


def test_a_word_copy_whose_pages_hold_the_signature_with_its_text_and_repeat_table_headers_is_clean(tmp_path):
    def change(document):
        _long_table(document, header=True)
        _signed(document, attachments=True)

    assert messages(word_copy(tmp_path, change)) == []


def test_a_word_copy_cannot_be_said_laid_out_without_libreoffice(tmp_path, monkeypatch):
    from helpers.document import wordlayout

    monkeypatch.setattr(wordlayout, "soffice", lambda: None)
    assert any("没有 LibreOffice" in m for m in messages(word_copy(tmp_path)))


@pytest.mark.parametrize("case", sorted(WORD_CASES))
def test_a_word_copy_made_to_fail_is_reported(case, tmp_path):
    change, expected = WORD_CASES[case]
    found = messages(word_copy(tmp_path, change))
    assert any(m.startswith(expected) for m in found), found


def test_the_word_template_names_office_pc_faces_and_a_grid_of_22_lines_of_28_characters(tmp_path):
    import docx
    from docx.oxml.ns import qn

    document = docx.Document(str(wordstyles.build_reference(tmp_path / "reference.docx")))
    for spec in wordstyles.STYLES:
        style = next(s for s in document.styles if s.name == spec.name)
        face = style.element.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia"))
        assert face == fonts.ROLES[spec.role].office[0], (spec.name, face)
    table = next(p for p in document.part.package.iter_parts() if str(p.partname) == "/word/fontTable.xml").blob.decode()
    assert '<w:font w:name="仿宋_GB2312"><w:altName w:val="仿宋"/>' in table
    assert '<w:font w:name="楷体_GB2312"><w:altName w:val="楷体"/>' in table
    grid = document.sections[0]._sectPr.find(qn("w:docGrid"))
    assert grid.get(qn("w:type")) == "lines" and grid.get(qn("w:linePitch")) == "579"
    assert [m for m in messages(tmp_path / "reference.docx") if "网格" in m or "每行" in m] == []


def test_fontconfig_aliases_draw_every_office_pc_name_with_an_open_face():
    aliases = fonts.fontconfig_aliases()
    for role in fonts.ROLES.values():
        for name in role.office:
            assert f"<family>{name}</family><prefer><family>{role.shipped}</family>" in aliases


def test_text_is_read_with_pymupdfs_own_flags_less_the_image_bytes():
    import pymupdf

    from helpers.document.preflight import TEXT_ONLY

    assert TEXT_ONLY == pymupdf.TEXTFLAGS_DICT & ~pymupdf.TEXT_PRESERVE_IMAGES
    assert TEXT_ONLY == pymupdf.TEXTFLAGS_RAWDICT & ~pymupdf.TEXT_PRESERVE_IMAGES


def test_pymupdf_is_imported_without_its_layout_model_or_pymupdf4llm_and_still_reads_pages():
    """PyMuPDF 2 loads a page-layout model at import (half a second), and pymupdf4llm (0.15 s), for calls
    nothing here makes."""
    script = (
        "import sys\n"
        "from helpers.document.mupdf import import_pymupdf\n"
        "pymupdf = import_pymupdf()\n"
        "doc = pymupdf.open()\n"
        "page = doc.new_page()\n"
        "page.insert_text((72, 72), 'preflight')\n"
        "print(sys.modules.get('pymupdf.layout') is None, sys.modules.get('pymupdf4llm') is None, 'preflight' in page.get_text())\n"
        "print(len(pymupdf.open(stream=doc.tobytes(), filetype='pdf')[0].get_drawings()), bool(page.get_pixmap().tobytes('png')))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=True)
    assert done.stdout.split() == ["True", "True", "True", "0", "True"]
