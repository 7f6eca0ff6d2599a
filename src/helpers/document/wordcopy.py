"""The Word copy finished as an office sets one: figures and tables as paragraphs, not boxed; an appendix
starts a page by "page break before", never by a break that could leave a page blank.

Quarto puts every figure and every captioned table of a notebook's output in a one-cell layout table; in the
template's ruled table style that draws a box round each, and its cells centre the numbers of the table
inside. Its captions carry two paragraph-property blocks (Word reads the first, LibreOffice either) and a
space each side of the number (图 1　 …). Here each layout table gives way to what it holds, a paragraph
keeps a single property block, a table cell keeps the alignment the source gave it (numbers right), and a
figure and a table's caption keep with what they caption, as in the built-in path's copy. A row that
runs on to the next page takes the header row with it (pandoc marks it to repeat); rows are not kept whole,
for LibreOffice then leaves a page blank in front of a table that follows a page break.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
DOCUMENT = "word/document.xml"
#: ``图 1　 `` as Quarto numbers a caption: the number with no space around it, as the standard prints it.
NUMBER_RUN = re.compile(r"^\s*(\d+)(　)\s*$")


def _q(tag: str) -> str:
    return f"{{{W}}}{tag}"


def settle(path: Path) -> Path:
    """Rewrite the Word copy at ``path`` in place (see the module); a copy with nothing to change is kept as is."""
    from lxml import etree

    with zipfile.ZipFile(path) as package:
        entries = [(info, package.read(info.filename)) for info in package.infolist()]
    parts = dict((info.filename, data) for info, data in entries)
    if DOCUMENT not in parts:
        return path
    root = etree.fromstring(parts[DOCUMENT])
    body = root.find(_q("body"))
    if body is None:
        return path
    changed = _unbox(body) + _one_property_block(root) + _source_alignment(root) + _captions(body) + _breaks_before(body)
    if not changed:
        return path
    parts[DOCUMENT] = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    temporary = path.with_name(path.name + ".settling")
    with zipfile.ZipFile(temporary, "w", zipfile.ZIP_DEFLATED) as out:
        for info, _ in entries:
            out.writestr(info, parts[info.filename])
    temporary.replace(path)
    return path


def _is_layout(table) -> bool:
    """A one-cell table that holds a figure or another table: Quarto's frame, not a table of figures."""
    rows = table.findall(_q("tr"))
    cells = rows[0].findall(_q("tc")) if len(rows) == 1 else []
    return len(cells) == 1 and (cells[0].find(f".//{_q('drawing')}") is not None or cells[0].find(_q("tbl")) is not None)


def _unbox(body) -> int:
    """Each layout table replaced by its cell's content (a nested layout table too)."""
    count = 0
    while True:
        table = next((t for t in body.iter(_q("tbl")) if _is_layout(t)), None)
        if table is None:
            return count
        cell = table.find(f"{_q('tr')}/{_q('tc')}")
        parent, at = table.getparent(), table.getparent().index(table)
        content = [child for child in cell if child.tag != _q("tcPr")]
        if parent.tag == _q("tc") and (not content or content[-1].tag != _q("p")):
            content.append(cell.makeelement(_q("p"), {}))  # a cell ends with a paragraph
        parent.remove(table)
        for offset, child in enumerate(content):
            parent.insert(at + offset, child)
        count += 1


def _one_property_block(root) -> int:
    """A paragraph with several ``w:pPr`` keeps the last (it names the style); its alignment is the style's."""
    count = 0
    for paragraph in root.iter(_q("p")):
        blocks = paragraph.findall(_q("pPr"))
        if len(blocks) < 2:
            continue
        for block in blocks[:-1]:
            paragraph.remove(block)
        last = blocks[-1]
        for jc in last.findall(_q("jc")):
            last.remove(jc)
        style = last.find(_q("pStyle"))
        if style is not None:  # the schema wants the style first
            last.remove(style)
            last.insert(0, style)
        count += 1
    return count


def _source_alignment(root) -> int:
    """A table cell's paragraph with two alignments keeps the first: the source's (numbers right)."""
    count = 0
    for block in root.iter(_q("pPr")):
        alignments = block.findall(_q("jc"))
        for extra in alignments[1:]:
            block.remove(extra)
            count += 1
    return count


def _keep_with_next(paragraph) -> None:
    block = paragraph.find(_q("pPr"))
    if block is None:
        block = paragraph.makeelement(_q("pPr"), {})
        paragraph.insert(0, block)
    if block.find(_q("keepNext")) is None:
        style = block.find(_q("pStyle"))
        block.insert(1 if style is not None else 0, block.makeelement(_q("keepNext"), {}))


def _captions(body) -> int:
    """图 1　 → 图1　; a figure keeps with its caption below, a table's caption with its table below."""
    count = 0
    children = list(body)
    for k, element in enumerate(children):
        if element.tag != _q("p"):
            continue
        runs = [t for t in element.iter(_q("t"))]
        text = "".join(t.text or "" for t in runs)
        if re.match(r"^[图表]\s+\d", text):
            for t in runs[1:3]:
                match = NUMBER_RUN.match(t.text or "")
                if match:
                    t.text = match.group(1) + match.group(2)
                    count += 1
            nxt = children[k + 1] if k + 1 < len(children) else None
            if text.startswith("表") and nxt is not None and nxt.tag == _q("tbl"):
                _keep_with_next(element)
                count += 1
        elif element.find(f".//{_q('drawing')}") is not None and k + 1 < len(children):
            after = "".join(t.text or "" for t in children[k + 1].iter(_q("t")))
            if re.match(r"^图\s*\d", after):
                _keep_with_next(element)
                count += 1
    return count


def _breaks_before(body) -> int:
    """A paragraph that holds only a page break (before an appendix) becomes "page break before" on the
    paragraph after it: a break that falls at the top of a page, because the signature filled the one
    before, would otherwise leave that page blank."""
    count = 0
    for paragraph in list(body.findall(_q("p"))):
        runs = paragraph.findall(_q("r"))
        breaks = [b for r in runs for b in r if b.tag == _q("br") and b.get(_q("type")) == "page"]
        text = "".join(t.text or "" for t in paragraph.iter(_q("t")))
        if len(runs) != 1 or len(breaks) != 1 or len(runs[0]) != 1 or text:
            continue
        after = paragraph.getnext()
        while after is not None and after.tag != _q("p") and after.tag.endswith(("bookmarkStart", "bookmarkEnd")):
            after = after.getnext()
        if after is None or after.tag != _q("p"):
            continue
        block = after.find(_q("pPr"))
        if block is None:
            block = after.makeelement(_q("pPr"), {})
            after.insert(0, block)
        if block.find(_q("pageBreakBefore")) is None:
            ahead = [child for child in block if child.tag in (_q("pStyle"), _q("keepNext"), _q("keepLines"))]
            block.insert(len(ahead), block.makeelement(_q("pageBreakBefore"), {}))
        body.remove(paragraph)
        count += 1
    return count
