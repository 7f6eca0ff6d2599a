"""Quarto's Word copy finished as the built-in path's: no figure or table in a box, one property block a
paragraph, the source's alignment in table cells, captions kept with what they caption."""

from __future__ import annotations

from pathlib import Path

from helpers.document import wordcopy

from .test_preflight import messages, word_copy

W = wordcopy._q


def _boxed(document):
    """What Quarto writes: a figure with its caption, and a caption with its table, each in a one-cell table."""
    from docx.oxml import OxmlElement

    body = document.element.body
    figure = next(p for p in document.paragraphs if p._p.xpath(".//w:drawing"))
    caption = next(p for p in document.paragraphs if p.text.startswith("图1"))
    caption.runs[0].text = "图"
    caption.add_run(" 1　 ")
    caption.add_run("某图")
    second = OxmlElement("w:pPr")  # Quarto's second property block on a caption
    caption._p.append(second)
    frame = document.add_table(rows=1, cols=1)
    cell = frame.rows[0].cells[0]._tc
    cell.remove(cell.findall(W("p"))[0])
    cell.append(figure._p)
    cell.append(caption._p)
    body.insert(2, frame._tbl)
    data = document.add_table(rows=3, cols=2)
    for n, row in enumerate(data.rows):
        row.cells[0].text, row.cells[1].text = f"事项{n}", f"{n}件"
        paragraph = row.cells[1].paragraphs[0]
        props = paragraph._p.get_or_add_pPr()
        for value in ("right", "center"):
            jc = OxmlElement("w:jc")
            jc.set(W("val"), value)
            props.append(jc)
    table_frame = document.add_table(rows=1, cols=1)
    tc = table_frame.rows[0].cells[0]._tc
    title = document.add_paragraph("表", style="Image Caption")
    title.add_run(" 1　 ")
    title.add_run("某表")
    tc.remove(tc.findall(W("p"))[0])
    tc.append(title._p)
    tc.append(data._tbl)
    tc.append(OxmlElement("w:p"))


def test_quartos_boxes_give_way_to_what_they_hold_and_the_copy_is_clean(tmp_path: Path):
    import docx

    path = word_copy(tmp_path, _boxed)
    before = docx.Document(str(path))
    assert sum(wordcopy._is_layout(t._tbl) for t in before.tables) == 2
    wordcopy.settle(path)
    after = docx.Document(str(path))
    assert not any(wordcopy._is_layout(t._tbl) for t in after.tables)
    data = next(t for t in after.tables if t.rows[0].cells[0].text == "事项0")  # the table of figures stays a table
    body = after.element.body
    assert not body.xpath(".//w:p[count(w:pPr) > 1]")
    cells = [p for row in data.rows for p in row.cells[1].paragraphs]
    assert all([jc.get(W("val")) for jc in p._p.findall(f"{W('pPr')}/{W('jc')}")] == ["right"] for p in cells)
    texts = [p.text for p in after.paragraphs]
    assert "图1　某图" in texts and "表1　某表" in texts
    figure = next(p for p in after.paragraphs if p._p.xpath(".//w:drawing"))
    assert figure._p.xpath("./w:pPr/w:keepNext")
    title = next(p for p in after.paragraphs if p.text.startswith("表1"))
    assert title._p.xpath("./w:pPr/w:keepNext")
    assert messages(path) == []


def test_a_copy_with_nothing_to_change_is_left_byte_for_byte(tmp_path: Path):
    path = word_copy(tmp_path)
    wordcopy.settle(path)
    once = path.read_bytes()
    wordcopy.settle(path)
    assert path.read_bytes() == once


def _full_page_then_appendix(document):
    from docx.enum.text import WD_BREAK

    for paragraph in list(document.paragraphs):
        paragraph._p.getparent().remove(paragraph._p)
    for table in list(document.tables):  # the template's sample table
        table._tbl.getparent().remove(table._tbl)
    for n in range(22):  # the grid's 22 lines: the page is full
        document.add_paragraph(f"第{n + 1}行。", style="Body Text")
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)  # how pandoc's filter starts an appendix
    document.add_paragraph("附件1　数据来源", style="Heading 1")
    document.add_paragraph("本报告中的每个数字均取自下表。", style="Body Text")


def test_an_appendix_after_a_full_page_starts_the_next_page_with_none_left_blank(tmp_path: Path):
    import docx

    path = word_copy(tmp_path, _full_page_then_appendix)
    assert any("空白页" in m for m in messages(path))  # the break falls at the top of page 2: a blank page
    wordcopy.settle(path)
    assert messages(path) == []
    heading = next(p for p in docx.Document(str(path)).paragraphs if p.text.startswith("附件1"))
    assert heading._p.xpath("./w:pPr/w:pageBreakBefore")
