"""The Word copy's styles: ``reference.docx``, the template pandoc (and Quarto) set the ``.docx`` in.

Editors finish the wording in Word or WPS, so the layout has to live in the styles, not in the text:
GB/T 9704's faces and sizes, the type area and its grid of 22 lines of 28 characters, ruled tables,
page numbers — 1 — at the outside edge. Every style names its East Asian face (``w:eastAsia``) by the
name an office PC knows (仿宋_GB2312, 黑体, 楷体_GB2312, 方正小标宋简体), with the font table's alternates
(仿宋, 楷体 …) for a PC that has only those, and no theme font, so neither Word nor WPS falls back to a
Latin face. The file does not depend on the machine that builds it: ``report/reference.docx`` is this
module's output, and LibreOffice on Linux draws those names with the open faces through the fontconfig
aliases ``make`` installs (helpers.fonts).
"""

from __future__ import annotations

import math
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from .. import fonts
from ..standard import BODY_PT, MARGINS_MM, PAGE_MM, PAGE_NUMBER_PT, SMALL_PT, TITLE_PT, char_pitch_pt, line_pitch_pt

#: 22 lines in the 225 mm type area: an exact line pitch, as Word and WPS set a 公文.
LINE_PT = line_pitch_pt()
#: Character spacing of 3号 text, in twentieths of a point: 28 characters fill the 156 mm line. A line grid
#: (not a character grid) keeps Word, WPS and LibreOffice alike: LibreOffice gives a 3号 character two
#: cells of a 28-character grid.
TRACKING_TWIPS = math.floor((char_pitch_pt() - BODY_PT) * 20)
FOOTER_MM = 28  # the page number 7 mm under the type area, as far as Word measures footers from the edge
#: The tables' rules: 0.5 pt grey, as the PDF draws them.
RULE = {"val": "single", "sz": "4", "space": "0", "color": "A0A0A0"}


@dataclass(frozen=True)
class ParagraphStyle:
    """One paragraph style of the template: its face role, size, and place on the line."""

    name: str
    role: str
    size: float
    bold: bool = False
    align: str = "justify"  # left, center, right, justify
    indent_chars: int = 2  # first-line indent in characters
    right_chars: int = 0  # right indent in characters
    hang_chars: int = 0  # lines after the first start this many characters in from the first line's text
    boxed: bool = False  # a thin rule round the paragraph (a notice about the report, not its text)
    pitch: float | None = LINE_PT  # exact line pitch; None: single spacing (captions, tables)
    keep_with_next: bool = False
    outline: int | None = None  # the level in Word's navigation pane


#: The report's paragraph styles, by pandoc's names (and the signature's own).
STYLES: tuple[ParagraphStyle, ...] = (
    ParagraphStyle("Normal", "body", BODY_PT),
    ParagraphStyle("Body Text", "body", BODY_PT),
    ParagraphStyle("First Paragraph", "body", BODY_PT),
    ParagraphStyle("Compact", "body", SMALL_PT, align="left", indent_chars=0, pitch=None),  # table cells, tight lists
    ParagraphStyle("Title", "title", TITLE_PT, bold=True, align="center", indent_chars=0, pitch=None),
    ParagraphStyle("Subtitle", "subheading", BODY_PT, align="center", indent_chars=0),
    ParagraphStyle("Date", "body", BODY_PT, align="center", indent_chars=0),
    ParagraphStyle("Heading 1", "heading", BODY_PT, keep_with_next=True, outline=0),
    ParagraphStyle("Heading 2", "subheading", BODY_PT, keep_with_next=True, outline=1),
    ParagraphStyle("Heading 3", "body", BODY_PT, bold=True, keep_with_next=True, outline=2),
    ParagraphStyle("Heading 4", "body", BODY_PT, keep_with_next=True, outline=3),
    ParagraphStyle("Caption", "heading", SMALL_PT, align="center", indent_chars=0, pitch=None),
    ParagraphStyle("Table Caption", "heading", SMALL_PT, align="center", indent_chars=0, pitch=None, keep_with_next=True),
    ParagraphStyle("Image Caption", "heading", SMALL_PT, align="center", indent_chars=0, pitch=None),
    ParagraphStyle("Figure", "body", SMALL_PT, align="center", indent_chars=0, pitch=None),
    ParagraphStyle("Captioned Figure", "body", SMALL_PT, align="center", indent_chars=0, pitch=None, keep_with_next=True),
    ParagraphStyle("Block Text", "body", SMALL_PT, indent_chars=0, pitch=None),
    ParagraphStyle("Footnote Text", "body", SMALL_PT, indent_chars=0, pitch=None),
    ParagraphStyle("Footer", "number", PAGE_NUMBER_PT, indent_chars=0, pitch=None),
    ParagraphStyle("Signature", "body", BODY_PT, align="right", indent_chars=0, right_chars=4),
    # the last paragraph of the text and the 附件 list keep with the signature: it never opens a page alone;
    # the list is set flush left, so a line that ends in a break is not stretched across the line
    ParagraphStyle("Signed Text", "body", BODY_PT, keep_with_next=True),
    ParagraphStyle("Attachments", "body", BODY_PT, align="left", hang_chars=3, keep_with_next=True),
    # a notice about the report (a draft's open points, made-up data), set apart from the office's text
    ParagraphStyle("Notice", "body", SMALL_PT, align="left", indent_chars=0, pitch=None, boxed=True),
)
TABLE_STYLE = "Table"


def _pandoc_reference() -> bytes:
    import pypandoc

    return subprocess.run([pypandoc.get_pandoc_path(), "--print-default-data-file", "reference.docx"], capture_output=True, check=True).stdout


def _fonts_element(face: str):
    """``w:rFonts`` naming ``face`` for every script, with no theme font to override it."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    element = OxmlElement("w:rFonts")
    for script in ("ascii", "hAnsi", "eastAsia", "cs"):
        element.set(qn(f"w:{script}"), face)
    return element


def _set_run(rpr, face: str, size: float, bold: bool) -> None:
    """Replace a run-properties element's faces, size and weight; Chinese is its language."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    for tag in ("w:rFonts", "w:b", "w:bCs", "w:i", "w:iCs", "w:color", "w:spacing", "w:sz", "w:szCs", "w:lang"):
        for old in rpr.findall(qn(tag)):
            rpr.remove(old)
    children = [_fonts_element(face)]
    if bold:
        children += [OxmlElement("w:b"), OxmlElement("w:bCs")]
    if size == BODY_PT:  # 3号 text on the grid of 28 characters: a hair of negative tracking, as the PDF sets
        tracking = OxmlElement("w:spacing")
        tracking.set(qn("w:val"), str(TRACKING_TWIPS))
        children.append(tracking)
    for tag in ("w:sz", "w:szCs"):
        element = OxmlElement(tag)
        element.set(qn("w:val"), str(round(size * 2)))
        children.append(element)
    lang = OxmlElement("w:lang")
    lang.set(qn("w:eastAsia"), "zh-CN")
    children.append(lang)
    for child in reversed(children):  # rFonts first: the schema's order
        rpr.insert(0, child)


def _set_paragraph(ppr, style: ParagraphStyle) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    for tag in ("w:keepNext", "w:pBdr", "w:overflowPunct", "w:spacing", "w:ind", "w:jc", "w:outlineLvl"):
        for old in ppr.findall(qn(tag)):
            ppr.remove(old)
    children = []
    if style.keep_with_next:
        children.append(OxmlElement("w:keepNext"))
    inside = OxmlElement("w:overflowPunct")  # no punctuation hangs past the type area
    inside.set(qn("w:val"), "0")
    children.append(inside)
    spacing = OxmlElement("w:spacing")
    spacing.set(qn("w:before"), "0")
    spacing.set(qn("w:after"), "0" if style.pitch else "60")
    # an exact pitch for running text; single spacing elsewhere, or a picture would be cut to one line's height
    spacing.set(qn("w:line"), str(round(style.pitch * 20)) if style.pitch else "240")
    spacing.set(qn("w:lineRule"), "exact" if style.pitch else "auto")
    children.append(spacing)
    indent = OxmlElement("w:ind")
    if style.hang_chars:  # 附件：1．… with 2．… under 1．
        indent.set(qn("w:leftChars"), str((style.indent_chars + style.hang_chars) * 100))
        indent.set(qn("w:left"), str(round((style.indent_chars + style.hang_chars) * style.size * 20)))
        indent.set(qn("w:hangingChars"), str(style.hang_chars * 100))
        indent.set(qn("w:hanging"), str(round(style.hang_chars * style.size * 20)))
    else:
        indent.set(qn("w:firstLineChars"), str(style.indent_chars * 100))
        indent.set(qn("w:firstLine"), str(round(style.indent_chars * style.size * 20)))
    if style.right_chars:
        indent.set(qn("w:rightChars"), str(style.right_chars * 100))
        indent.set(qn("w:right"), str(round(style.right_chars * style.size * 20)))
    children.append(indent)
    jc = OxmlElement("w:jc")
    jc.set(qn("w:val"), {"justify": "both"}.get(style.align, style.align))
    children.append(jc)
    if style.boxed:  # after keepNext and before spacing, as the schema orders them
        borders = OxmlElement("w:pBdr")
        for side in ("top", "left", "bottom", "right"):
            rule = OxmlElement(f"w:{side}")
            for key, value in {"val": "single", "sz": "4", "space": "4", "color": "B26B00"}.items():
                rule.set(qn(f"w:{key}"), value)
            borders.append(rule)
        children.insert(1 if style.keep_with_next else 0, borders)
    if style.outline is not None:
        level = OxmlElement("w:outlineLvl")
        level.set(qn("w:val"), str(style.outline))
        children.append(level)
    for child in children:  # after pStyle/keepNext/etc. the schema allows; Word and LibreOffice read any order
        ppr.append(child)


def _page_number_paragraph(paragraph, outside: str) -> None:
    """``— n —`` with a PAGE field, one character in from the ``outside`` edge (right or left)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    paragraph.style = "Footer"
    ppr = paragraph._p.get_or_add_pPr()
    jc = OxmlElement("w:jc")
    jc.set(qn("w:val"), outside)
    indent = OxmlElement("w:ind")
    indent.set(qn(f"w:{outside}Chars"), "100")
    indent.set(qn(f"w:{outside}"), str(PAGE_NUMBER_PT * 20))
    ppr.append(indent)
    ppr.append(jc)
    paragraph.add_run("— ")
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), " PAGE ")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)
    paragraph.add_run(" —")


def _grid(section) -> None:
    """The document grid of 22 lines (Word's 文档网格, 只指定行网格); the 28 characters come from the tracking."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    sectpr = section._sectPr
    for old in sectpr.findall(qn("w:docGrid")):
        sectpr.remove(old)
    grid = OxmlElement("w:docGrid")
    grid.set(qn("w:type"), "lines")
    grid.set(qn("w:linePitch"), str(round(LINE_PT * 20)))
    sectpr.append(grid)


def _ruled(table_style) -> None:
    """The table style: every cell ruled, a little inner margin, as the PDF's tables."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    tblpr = table_style.element.find(qn("w:tblPr"))
    if tblpr is None:
        tblpr = OxmlElement("w:tblPr")
        table_style.element.append(tblpr)
    for tag in ("w:tblBorders", "w:tblCellMar"):
        for old in tblpr.findall(qn(tag)):
            tblpr.remove(old)
    borders = OxmlElement("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        rule = OxmlElement(f"w:{side}")
        for key, value in RULE.items():
            rule.set(qn(f"w:{key}"), value)
        borders.append(rule)
    tblpr.append(borders)
    margins = OxmlElement("w:tblCellMar")
    for side, twips in (("left", 80), ("right", 80)):
        margin = OxmlElement(f"w:{side}")
        margin.set(qn("w:w"), str(twips))
        margin.set(qn("w:type"), "dxa")
        margins.append(margin)
    tblpr.append(margins)


def _font_table(document) -> None:
    """Declare every office-PC face in the font table with its alternates (w:altName) and the GB2312
    character set, so Word and WPS pick 仿宋 where 仿宋_GB2312 is missing."""
    from lxml import etree

    part = next(p for p in document.part.package.iter_parts() if str(p.partname) == "/word/fontTable.xml")
    root = etree.fromstring(part.blob)
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    declared = {el.get(f"{{{w}}}name") for el in root.findall(f"{{{w}}}font")}
    for role in fonts.ROLES.values():
        for i, name in enumerate(role.office):
            if name in declared:
                continue
            font = etree.SubElement(root, f"{{{w}}}font", {f"{{{w}}}name": name})
            alternates = role.office[i + 1 :]
            if alternates:
                etree.SubElement(font, f"{{{w}}}altName", {f"{{{w}}}val": alternates[0]})
            etree.SubElement(font, f"{{{w}}}charset", {f"{{{w}}}val": "86"})
            etree.SubElement(font, f"{{{w}}}family", {f"{{{w}}}val": "modern" if role.name != "heading" else "swiss"})
            etree.SubElement(font, f"{{{w}}}pitch", {f"{{{w}}}val": "fixed"})
            declared.add(name)
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def build_reference(target: Path, faces: dict[str, str] | None = None) -> Path:
    """Write ``reference.docx`` to ``target`` in ``faces`` (role → face; default: the office-PC names)."""
    import io

    import docx
    from docx.enum.style import WD_STYLE_TYPE
    from docx.oxml.ns import qn
    from docx.shared import Mm

    faces = faces or OFFICE_FACES
    document = docx.Document(io.BytesIO(_pandoc_reference()))
    styles = document.styles
    _set_run(styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr")), faces["body"], BODY_PT, False)
    for spec in STYLES:
        style = next((style for style in styles if style.name == spec.name), None)  # by name: "Caption" is
        if style is None:  # also a built-in id python-docx would translate
            style = styles.add_style(spec.name, WD_STYLE_TYPE.PARAGRAPH)
            style.base_style = styles["Normal"]
        style.font.color.rgb = None
        _set_run(style.element.get_or_add_rPr(), faces[spec.role], spec.size, spec.bold)
        _set_paragraph(style.element.get_or_add_pPr(), spec)
    for name in (
        "Title Char",
        "Subtitle Char",
        "Heading 1 Char",
        "Heading 2 Char",
        "Heading 3 Char",
        "Heading 4 Char",
        "Body Text Char",
    ):  # linked character styles follow their paragraph style
        linked = next(s for s in STYLES if s.name == name.removesuffix(" Char"))
        _set_run(styles[name].element.get_or_add_rPr(), faces[linked.role], linked.size, linked.bold)
    table = styles[TABLE_STYLE]
    _set_run(table.element.get_or_add_rPr(), faces["body"], SMALL_PT, False)
    _ruled(table)
    _font_table(document)
    section = document.sections[0]
    section.page_width, section.page_height = Mm(PAGE_MM[0]), Mm(PAGE_MM[1])
    section.top_margin, section.bottom_margin = Mm(MARGINS_MM["top"]), Mm(MARGINS_MM["bottom"])
    section.left_margin, section.right_margin = Mm(MARGINS_MM["left"]), Mm(MARGINS_MM["right"])
    section.footer_distance = Mm(FOOTER_MM)
    _grid(section)
    document.settings.odd_and_even_pages_header_footer = True
    section.footer.is_linked_to_previous = False
    _page_number_paragraph(section.footer.paragraphs[0], "right")
    section.even_page_footer.is_linked_to_previous = False
    _page_number_paragraph(section.even_page_footer.paragraphs[0], "left")
    buffer = io.BytesIO()
    document.save(buffer)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(_without_timestamps(buffer.getvalue()))
    return target


def _without_timestamps(package: bytes) -> bytes:
    """The same package with every member dated 1980-01-01, so equal styles make equal bytes (and cache keys)."""
    import io
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(package)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(zipfile.ZipInfo(info.filename, (1980, 1, 1, 0, 0, 0)), source.read(info.filename), compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def stage_reference(target: Path) -> None:
    """The staged template: the shipped one, which names office-PC faces whatever this machine has."""
    if not target.is_file():
        build_reference(target)


def main(argv: list[str] | None = None) -> None:
    """``python -m helpers.document.wordstyles report/reference.docx``: rewrite the shipped template (first-choice faces)."""
    args = sys.argv[1:] if argv is None else argv
    target = Path(args[0] if args else "report/reference.docx")
    build_reference(target)
    print(target)


#: The faces ``report/reference.docx`` names: each role's first office-PC name.
OFFICE_FACES = {name: role.office[0] for name, role in fonts.ROLES.items()}

if __name__ == "__main__":
    main()
