"""Preflight: what a printed or Word copy looks like, checked where a reviewer looks — on the page.

A fact being in the text is not enough: a table whose rows pile up at the page foot still holds every
figure. The checks here read the built PDF (PyMuPDF) or Word file (python-docx) and measure it against
the national layout for official documents (GB/T 9704-2012): A4, a type area of 156 × 225 mm, 22 lines of
28 characters, the page number under the type area, captions with what they caption, the signature with
the text it signs, every face embedded and simplified Chinese.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from itertools import pairwise
from pathlib import Path

from ..errors import Finding, PreflightError
from ..fonts import ROLES, office_faces
from ..standard import BODY_PT, CHARS_PER_LINE, LINES_PER_PAGE, MARGINS_MM, MM, PAGE_MM, TYPE_AREA_MM
from .mupdf import import_pymupdf

#: How far (points) ink may pass the type area's edge before it counts as outside.
EDGE_TOLERANCE = 1.5
#: A page holding less than this share of the type area's height is nearly empty.
MIN_FILL = 0.2

#: Marks of CJK faces for other scripts: Japanese, Korean and traditional-Chinese glyph forms.
OTHER_SCRIPTS = re.compile(r"(?:^|[-_ ]|CJK)(JP|KR|TC|HK|Japanese|Korean|Traditional|Mincho|Gothic|Batang|Gulim|MingLiU|PMingLiU)\b", re.I)

CAPTION = re.compile(r"^(图|表)\s*(\d+)[\s　:：]")
PAGE_NUMBER = re.compile(r"^[—–-]\s*\d+\s*[—–-]$")
DATE_LINE = re.compile(r"^\d{4}年\d{1,2}月\d{1,2}日$")
#: An appendix's label: alone on its line in the PDF, before its title in the Word copy (附件2　数据来源).
APPENDIX_LABEL = re.compile(r"^附件\s*\d*(?:[\s　]+\S.*)?$")
#: The first line of the 附件 list above the signature: 附件：1．…
ATTACHMENTS = re.compile(r"^附件[:：]")


# ---------------------------------------------------------------------------------------------- PDF


@dataclass(frozen=True)
class Line:
    """One line of text on a page, as PyMuPDF reads it."""

    text: str
    x0: float
    y0: float
    x1: float
    y1: float
    size: float
    baseline: float
    font: str
    advance: float = 0.0  # the usual step from one ideograph to the next (size plus tracking), 0 if none


@dataclass(frozen=True)
class Page:
    number: int
    lines: list[Line]
    images: list[tuple[float, float, float, float]]
    width: float
    height: float
    faces: list[tuple[str, str]] = field(default_factory=list)  # each span's face and the Han or kana it sets

    @cached_property
    def body(self) -> list[Line]:
        """The lines of the page but its page number (found once: every check reads them)."""
        return [line for line in self.lines if not PAGE_NUMBER.match(line.text)]


def _read_pdf(path: Path):
    pymupdf = import_pymupdf()
    try:
        return pymupdf.open(path)
    except Exception as exc:  # PyMuPDF raises its own family for a file that is not a PDF
        raise PreflightError([Finding(path.name, 0, f"不是可读的 PDF 文件（{exc}）")]) from None


#: Punctuation whose ink sits in one half of its em box: a line may end on a closing mark, or start on an
#: opening one, set in half its width (CJK punctuation compression); its ink is still inside the line.
CLOSING_MARKS = set("，。、；：？！”’）》」』】〕…")
OPENING_MARKS = set("“‘（《「『【〔")


def _ink_extent(spans: list[dict]) -> tuple[float, float]:
    """Where a line's ink starts and ends: its first and last character, a compressed mark counted by its ink half."""
    chars = [c for s in spans for c in s["chars"] if not c["c"].isspace()]
    first, last = chars[0], chars[-1]
    size = max(s["size"] for s in spans)
    x0 = first["origin"][0] + (0.5 * size if first["c"] in OPENING_MARKS else 0.0)
    x1 = last["origin"][0] + 0.5 * size if last["c"] in CLOSING_MARKS else last["bbox"][2]
    return x0, x1


def _is_ideograph(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"


def _advance(spans: list[dict]) -> float:
    chars = [c for s in spans for c in s["chars"]]
    steps = sorted(b["origin"][0] - a["origin"][0] for a, b in pairwise(chars) if _is_ideograph(a["c"]) and _is_ideograph(b["c"]))
    return steps[len(steps) // 2] if steps else 0.0


#: Text extraction without the images' bytes (PyMuPDF copies every image into its text blocks by default,
#: which costs most of the time on pages of charts); where the images are comes from ``get_image_info``.
TEXT_ONLY = 199 & ~4  # pymupdf.TEXTFLAGS_DICT without TEXT_PRESERVE_IMAGES


#: A figure's caption (图1　…), as both engines set it.
FIGURE_CAPTION = re.compile(r"^图\s*\d+")


def _pages(doc) -> list[Page]:
    pages = []
    for page in doc:
        lines, images, faces = [], [], []
        for block in page.get_text("rawdict", flags=TEXT_ONLY)["blocks"]:
            if block["type"] == 1:
                images.append(tuple(block["bbox"]))
                continue
            for line in block.get("lines", []):
                for span in line["spans"]:  # for check_fonts: the text is read once a page
                    han = "".join(c["c"] for c in span["chars"] if _is_ideograph(c["c"]) or "\u3040" <= c["c"] <= "\u30ff")
                    if han:
                        faces.append((span["font"].split("+", 1)[-1], han))
                spans = [s for s in line["spans"] if "".join(c["c"] for c in s["chars"]).strip()]
                if not spans:
                    continue
                text = "".join(c["c"] for s in spans for c in s["chars"]).strip()
                x0, x1 = _ink_extent(spans)
                size = max(s["size"] for s in spans)
                baseline = max(s["origin"][1] for s in spans)
                # the ink of a line: from its baseline up to the cap height, down a little for descenders
                lines.append(Line(text, x0, baseline - 0.8 * size, x1, baseline + 0.12 * size, size, baseline, spans[0]["font"], _advance(spans)))
        if page.get_images(full=True):  # where it shows one: placing images lays the page's text out again
            images += [tuple(r) for info in page.get_image_info() for r in [info["bbox"]] if tuple(r) not in images]
        ordered = sorted(lines, key=lambda ln: (round(ln.baseline), ln.x0))
        pages.append(Page(page.number + 1, ordered, images, page.rect.width, page.rect.height, faces))
    # a vector chart is looked for only where a figure's caption is, on its page or the next (a caption pushed
    # over the page): reading every page's drawings costs more than the rest of the checks
    captioned = {p.number for p in pages if any(FIGURE_CAPTION.match(ln.text) for ln in p.lines)}
    for page, found in zip(doc, pages, strict=True):
        if found.number in captioned or found.number + 1 in captioned:
            found.images.extend(_vector_charts(page))
    return pages


#: Filled paths nearer than this (points) belong to one vector chart: its bars and the outlines of its labels
#: (a paired row of bars is some 33 pt high).
CHART_GAP = 40.0
WHITE = (1.0, 1.0, 1.0)


def _vector_charts(page) -> list[tuple[float, float, float, float]]:
    """Where vector charts (SVG drawn by Typst) stand on a page: runs of filled paths, bars and the outlines
    of their labels, each within :data:`CHART_GAP` of the one above, at least 30 pt each way (a figure holds
    one chart, so charts follow each other down the page). A table's rules are strokes, a notice's box too."""
    rects = sorted(
        (
            tuple(d["rect"])
            for d in page.get_cdrawings()  # the paths as plain tuples: a chart's hundreds of paths, read fast
            if d.get("type") == "f" and d.get("fill") not in (None, WHITE) and (d["rect"][2] - d["rect"][0]) * (d["rect"][3] - d["rect"][1]) > 1
        ),
        key=lambda r: r[1],
    )  # fills only: a hatch's tiles ("fs") are reported where its pattern space is
    boxes: list[list[float]] = []
    for x0, y0, x1, y1 in rects:
        if boxes and y0 <= boxes[-1][3] + CHART_GAP:
            box = boxes[-1]
            box[:] = [min(box[0], x0), box[1], max(box[2], x1), max(box[3], y1)]
        else:
            boxes.append([x0, y0, x1, y1])
    return [(x0, y0, x1, y1) for x0, y0, x1, y1 in boxes if x1 - x0 > 30 and y1 - y0 > 30]


def _type_area(page: Page) -> tuple[float, float, float, float]:
    left, top = MARGINS_MM["left"] * MM, MARGINS_MM["top"] * MM
    return left, top, left + TYPE_AREA_MM[0] * MM, top + TYPE_AREA_MM[1] * MM


def _overlap(a: Line, b: Line) -> float:
    """The share of the smaller line's ink that the other line's ink covers."""
    w = min(a.x1, b.x1) - max(a.x0, b.x0)
    h = min(a.y1, b.y1) - max(a.y0, b.y0)
    if w <= 0 or h <= 0:
        return 0.0
    smaller = min((a.x1 - a.x0) * (a.y1 - a.y0), (b.x1 - b.x0) * (b.y1 - b.y0)) or 1.0
    return w * h / smaller


def _last_caption(pages: list[Page], number: int, line: Line | None = None) -> str:
    """The caption (表9) nearest above a place, on its page or an earlier one: to name what is broken."""
    for page in reversed(pages[:number]):
        for candidate in reversed(page.lines):
            if page.number == number and line is not None and candidate.baseline > line.baseline:
                continue
            match = CAPTION.match(candidate.text)
            if match and candidate.size < BODY_PT - 1:
                return f"{match.group(1)}{match.group(2)}"
    return ""


def check_overprint(name: str, pages: list[Page]) -> list[Finding]:
    findings = []
    for page in pages:
        lines = page.lines
        piled: set[int] = set()
        for i, a in enumerate(lines):
            for j in range(i + 1, len(lines)):
                b = lines[j]
                if b.y0 > a.y1:
                    break
                if _overlap(a, b) > 0.2:
                    piled.update((i, j))
        if piled:
            first = lines[min(piled)]
            where = _last_caption(pages, page.number, first)
            findings.append(Finding(name, page.number, f"{where + ' 的 ' if where else ''}{len(piled)} 行文字互相重叠（自“{first.text[:12]}”起）"))
    return findings


def _past(line: Line, right: float, hanging: bool) -> bool:
    """Whether a line's ink passes the type area's right edge (a hanging closing mark, where allowed, aside)."""
    hangs = hanging and line.text[-1] in CLOSING_MARKS
    return line.x1 > right + EDGE_TOLERANCE + (0.5 * line.size if hangs else 0.0)


def check_type_area(name: str, pages: list[Page], hanging: bool = False) -> list[Finding]:
    """Every line and image inside the type area, the page number under it. With ``hanging``, a closing mark
    may hang past the line's end (悬挂标点: Word, WPS and LibreOffice set a line's last comma so)."""
    findings = []
    for page in pages:
        left, top, right, bottom = _type_area(page)
        t = EDGE_TOLERANCE
        outside = [ln for ln in page.body if ln.x0 < left - t or _past(ln, right, hanging) or ln.y0 < top - t or ln.baseline > bottom + t]
        for line in outside[:3]:
            side = "左" if line.x0 < left - t else "右" if _past(line, right, hanging) else "上" if line.y0 < top - t else "下"
            findings.append(Finding(name, page.number, f"文字超出版心{side}边（“{line.text[:12]}”）"))
        if len(outside) > 3:
            findings.append(Finding(name, page.number, f"另有 {len(outside) - 3} 行文字超出版心"))
        for box in page.images:
            if box[0] < left - t or box[2] > right + t or box[1] < top - t or box[3] > bottom + t:
                findings.append(Finding(name, page.number, "图片超出版心"))
        numbers = [ln for ln in page.lines if PAGE_NUMBER.match(ln.text)]
        if not numbers:
            findings.append(Finding(name, page.number, "没有页码（“— N —”）"))
        for number in numbers:
            if number.y0 < bottom:
                findings.append(Finding(name, page.number, "页码不在版心之下"))
    return findings


def _starts_appendix(page: Page) -> bool:
    body = page.body
    return bool(body) and bool(APPENDIX_LABEL.match(body[0].text))


def check_fill(name: str, pages: list[Page]) -> list[Finding]:
    """No page less than a fifth full, but the last page of the text or of an appendix, and a page with a figure."""
    findings = []
    for i, page in enumerate(pages):
        last_of_part = i == len(pages) - 1 or _starts_appendix(pages[i + 1])
        if last_of_part or page.images:
            continue
        body = page.body
        _, top, _, bottom = _type_area(page)
        used = (max(ln.y1 for ln in body) - min(ln.y0 for ln in body)) if body else 0.0
        share = used / (bottom - top)
        if share < MIN_FILL:
            findings.append(Finding(name, page.number, f"本页只用了版心的 {share:.0%}（不足五分之一）"))
    return findings


def check_headings(name: str, pages: list[Page], toc: list) -> list[Finding]:
    """No heading is the last thing on its page: the text it heads starts on the same page."""
    findings = []
    for entry in toc:
        title, number = str(entry[1]).strip(), int(entry[2])
        if not 1 <= number <= len(pages) or not title:
            continue
        body = pages[number - 1].body
        start = next((k for k, ln in enumerate(body) if title.startswith(ln.text[:8]) or ln.text.startswith(title[:8])), None)
        if start is None:
            continue
        k, taken = start, body[start].text
        while k + 1 < len(body) and title.replace(" ", "").startswith((taken + body[k + 1].text).replace(" ", "")):
            k += 1
            taken += body[k].text
        if k == len(body) - 1 and number < len(pages):
            findings.append(Finding(name, number, f"标题“{title[:16]}”在页末，正文在下一页"))
    return findings


def check_captions(name: str, pages: list[Page]) -> list[Finding]:
    """Every 图N caption is on the page of its chart, every 表N caption on the page where its table starts."""
    findings = []
    for page in pages:
        body = page.body
        for k, line in enumerate(body):
            match = CAPTION.match(line.text)
            if not match or line.size >= BODY_PT - 1:
                continue
            label = match.group(1) + match.group(2)
            if match.group(1) == "图" and not any(box[3] <= line.y0 + 2 for box in page.images):
                findings.append(Finding(name, page.number, f"{label} 的图题与图不在同一页"))
            if match.group(1) == "表" and k == len(body) - 1:
                findings.append(Finding(name, page.number, f"{label} 的表题在页末，表格从下一页开始"))
    return findings


def check_signature(name: str, pages: list[Page]) -> list[Finding]:
    """The signature (office or signatory over the date) shares its page with the last lines it signs; the
    附件 list between them is no text it signs (GB/T 9704 7.3.4 sets it under the text, above the signature)."""
    findings = []
    for page in pages:
        body = page.body
        for k, line in enumerate(body):
            if DATE_LINE.match(line.text.replace(" ", "")) and line.x0 > page.width / 2 - 20 and abs(line.size - BODY_PT) < 1:
                above = body[:k]
                signers = [ln for ln in above if ln.baseline > line.baseline - 2.5 * BODY_PT * 1.9]
                text_above = [ln for ln in above if ln not in signers]
                listing = next((n for n, ln in enumerate(text_above) if ATTACHMENTS.match(ln.text.replace(" ", ""))), None)
                if listing is not None:
                    text_above = text_above[:listing]
                if not text_above:
                    findings.append(Finding(name, page.number, "落款和成文日期独占一页，与所签署的正文不在同一页"))
    return findings


def check_blank(name: str, pages: list[Page]) -> list[Finding]:
    """No page without a line of text or an image (a page break left over, a paragraph pushed on alone)."""
    return [Finding(name, page.number, "空白页：本页没有文字也没有图") for page in pages if not page.body and not page.images]


def check_grid(name: str, pages: list[Page]) -> list[Finding]:
    """22 lines of 28 characters on a page of running text (body size, no figure)."""
    pitches: list[float] = []
    advances: list[float] = []
    for page in pages:
        body = [ln for ln in page.body if abs(ln.size - BODY_PT) < 0.5]
        if len(body) < 10 or page.images:
            continue
        for a, b in pairwise(body):
            gap = b.baseline - a.baseline
            if BODY_PT < gap < 2.5 * BODY_PT:  # two lines in a row, not across a heading's or a table's gap
                pitches.append(gap)
        advances += [ln.advance for ln in body if ln.advance and len(ln.text) >= 20]
    findings = []
    if pitches:
        pitch = sorted(pitches)[len(pitches) // 2]
        lines = int((TYPE_AREA_MM[1] * MM - BODY_PT) / pitch + 1e-6) + 1
        if lines != LINES_PER_PAGE:
            findings.append(Finding(name, 0, f"正文每页 {lines} 行（行距 {pitch:.1f} 磅），应为 {LINES_PER_PAGE} 行"))
    if advances:
        advances.sort()
        advance = advances[len(advances) // 2]
        chars = round(TYPE_AREA_MM[0] * MM / advance)
        if chars != CHARS_PER_LINE:
            findings.append(Finding(name, 0, f"正文每行 {chars} 字，应为 {CHARS_PER_LINE} 字"))
    return findings


def check_fonts(name: str, doc, pages: list[Page]) -> list[Finding]:
    """Every face embedded; Chinese set in simplified-Chinese faces (a Japanese face's 直 or 骨 is not the
    Chinese glyph; a symbol such as ✓ that only such a face holds is harmless)."""
    findings: list[Finding] = []
    seen: set = set()
    for page, read in zip(doc, pages, strict=True):
        for font in page.get_fonts(full=True):
            ext, face = font[1], font[3].split("+", 1)[-1]
            if face not in seen and ext == "n/a":
                findings.append(Finding(name, page.number + 1, f"字体 {face} 未嵌入"))
            seen.add(face)
        for face, han in read.faces:
            if OTHER_SCRIPTS.search(face) and (face, "script") not in seen:
                seen.add((face, "script"))
                findings.append(Finding(name, read.number, f"字体 {face} 不是简体中文字体（“{han[:6]}”）"))
    return findings


def check_metadata(name: str, doc) -> list[Finding]:
    findings = []
    if not (doc.metadata or {}).get("title", "").strip():
        findings.append(Finding(name, 0, "PDF 没有标题（文档属性 Title）"))
    kind, value = doc.xref_get_key(doc.pdf_catalog(), "Lang")
    if kind == "null" or not value.strip("()").lower().startswith("zh"):
        findings.append(Finding(name, 0, "PDF 没有标明语言 zh-CN（/Lang）"))
    return findings


def check_pdf(path: Path) -> list[Finding]:
    try:
        doc = _read_pdf(path)
    except PreflightError as exc:
        return exc.findings
    name = path.name
    pages = _pages(doc)
    findings = check_overprint(name, pages) + check_type_area(name, pages) + check_fill(name, pages) + check_blank(name, pages)
    findings += check_headings(name, pages, doc.get_toc()) + check_captions(name, pages) + check_signature(name, pages)
    findings += check_grid(name, pages) + check_fonts(name, doc, pages) + check_metadata(name, doc)
    for page in pages:
        if abs(page.width - PAGE_MM[0] * MM) > 2 or abs(page.height - PAGE_MM[1] * MM) > 2:
            findings.append(Finding(name, page.number, f"页面 {page.width / MM:.0f}×{page.height / MM:.0f} 毫米，应为 A4"))
            break
    return findings


# --------------------------------------------------------------------------------------------- Word

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _inherited(style, read):
    """What ``read(style)`` finds on a style or, where it says nothing (None), on its base styles in turn."""
    while style is not None:
        found = read(style)
        if found is not None:
            return found
        style = style.base_style
    return None


def _run_property(style, tag: str, attribute: str) -> str | None:
    """An attribute of one run property a style sets itself (``w:rFonts`` ``w:eastAsia``), or None."""
    rpr = style.element.find(f"{W}rPr")
    element = rpr.find(f"{W}{tag}") if rpr is not None else None
    return (element.get(f"{W}{attribute}") or None) if element is not None else None


def _east_asian(style) -> str | None:
    """The East Asian face a style names, following its base styles (the document defaults come after)."""
    return _inherited(style, lambda s: _run_property(s, "rFonts", "eastAsia"))


def _default_east_asian(document) -> str | None:
    defaults = document.styles.element.find(f"{W}docDefaults")
    fonts = defaults.find(f"{W}rPrDefault/{W}rPr/{W}rFonts") if defaults is not None else None
    return fonts.get(f"{W}eastAsia") if fonts is not None else None


def _tracking(style) -> float:
    """A style's character spacing in points (w:spacing of its run properties), following its bases."""
    value = _inherited(style, lambda s: _run_property(s, "spacing", "val"))
    return int(value) / 20 if value is not None else 0.0


def _keeps_with_next(paragraph) -> bool:
    own = paragraph.paragraph_format.keep_with_next
    if own is not None:
        return bool(own)
    return bool(_inherited(paragraph.style, lambda s: s.paragraph_format.keep_with_next))


def check_docx(path: Path) -> list[Finding]:
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    name = path.name
    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, KeyError, ValueError, OSError) as exc:
        return [Finding(name, 0, f"不是可读的 Word 文件（{exc}）")]
    findings = []
    default = _default_east_asian(document)
    used = {p.style.name: p.style for p in document.paragraphs if p.style is not None}
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                used.update({p.style.name: p.style for p in cell.paragraphs if p.style is not None})
    for style_name, style in sorted(used.items()):
        face = _east_asian(style) or default
        if face is None:
            findings.append(Finding(name, 0, f"样式“{style_name}”没有指定中文字体"))
        elif face not in office_faces():
            findings.append(
                Finding(name, 0, f"样式“{style_name}”的中文字体“{face}”不是办公电脑常备字体（应为{'、'.join(ROLES['body'].office[:2])}等）")
            )
    for number, section in enumerate(document.sections, 1):
        if section.page_width is None or section.page_height is None:
            findings.append(Finding(name, 0, f"第{number}节没有设定页面大小，应为 A4"))
            continue
        width, height = section.page_width.mm, section.page_height.mm
        if abs(width - PAGE_MM[0]) > 1 or abs(height - PAGE_MM[1]) > 1:
            findings.append(Finding(name, 0, f"第{number}节页面 {width:.0f}×{height:.0f} 毫米，应为 A4"))
        for side, value in {
            "top": section.top_margin,
            "bottom": section.bottom_margin,
            "left": section.left_margin,
            "right": section.right_margin,
        }.items():
            if value is None or abs(value.mm - MARGINS_MM[side]) > 1:
                findings.append(
                    Finding(
                        name,
                        0,
                        f"第{number}节{ {'top': '上', 'bottom': '下', 'left': '左', 'right': '右'}[side] }"
                        f"页边距 {value.mm if value is not None else 0:.0f} 毫米，应为 {MARGINS_MM[side]:.0f} 毫米",
                    )
                )
        grid = section._sectPr.find(f"{W}docGrid")
        if grid is None or grid.get(f"{W}type") not in ("lines", "linesAndChars"):
            findings.append(Finding(name, 0, f"第{number}节没有文档网格（docGrid），每页行数、每行字数不定"))
        else:
            pitch = int(grid.get(f"{W}linePitch", "0")) / 20  # twentieths of a point
            lines = int((TYPE_AREA_MM[1] * MM) / pitch + 1e-6) if pitch else 0
            if lines != LINES_PER_PAGE:
                findings.append(Finding(name, 0, f"第{number}节文档网格每页 {lines} 行，应为 {LINES_PER_PAGE} 行"))
            space = (
                int(grid.get(f"{W}charSpace", "0")) / 4096
                if grid.get(f"{W}type") == "linesAndChars"
                else _tracking(document.styles["Body Text"] if "Body Text" in [s.name for s in document.styles] else None)
            )
            chars = int(TYPE_AREA_MM[0] * MM / (BODY_PT + space) + 1e-6)
            if chars != CHARS_PER_LINE:
                findings.append(Finding(name, 0, f"第{number}节正文每行 {chars} 字，应为 {CHARS_PER_LINE} 字"))
    findings += _docx_captions(name, document)
    return findings + check_word_pages(path, document)


def check_word_pages(path: Path, document) -> list[Finding]:
    """The Word copy's pages as LibreOffice sets them (helpers.document.wordlayout), under the checks of a PDF's
    pages: nothing outside the type area or in the footer, no blank or nearly empty page, captions with what
    they caption, the signature with its text, a table's header row again on every page it runs on to."""
    import tempfile

    from .wordlayout import check_heads, lay_out, table_heads

    name = path.name
    with tempfile.TemporaryDirectory(prefix="annual-report-layout-") as folder:
        laid = lay_out(path, Path(folder))
        if laid is None:
            return [
                Finding(
                    name,
                    0,
                    "没有 LibreOffice（或它未能排出这份文件）：Word 版式（分页、落款、图题、续页表头）未检查。"
                    "请安装 LibreOffice Writer（tools/system-packages.sh）后再检查",
                )
            ]
        try:
            pages = _pages(_read_pdf(laid))
        except PreflightError as exc:
            return exc.findings
    found = (
        check_type_area(name, pages, hanging=True)
        + check_fill(name, pages)
        + check_blank(name, pages)
        + check_captions(name, pages)
        + check_signature(name, pages)
        + check_heads(name, pages, table_heads(document))
    )
    return [Finding(f.file, f.page, f"{f.message}（Word 版式，LibreOffice 排出）") for f in found]


def _docx_captions(name: str, document) -> list[Finding]:
    """A chart's paragraph keeps with its caption below; a table's caption keeps with the table below."""
    findings = []
    body = list(document.element.body.iterchildren())
    paragraphs = {p._p: p for p in document.paragraphs}
    for i, element in enumerate(body):
        paragraph = paragraphs.get(element)
        if paragraph is None:
            continue
        text = paragraph.text.strip()
        match = CAPTION.match(text)
        if not match:
            continue
        label = match.group(1) + match.group(2)
        if match.group(1) == "图":
            before = paragraphs.get(body[i - 1]) if i else None
            if before is None or not before._p.xpath(".//w:drawing") or not _keeps_with_next(before):
                findings.append(Finding(name, 0, f"{label} 的图与图题未设“与下段同页”，可能分在两页"))
        elif i + 1 < len(body) and body[i + 1].tag == f"{W}tbl" and not _keeps_with_next(paragraph):
            findings.append(Finding(name, 0, f"{label} 的表题未设“与下段同页”，可能与表格分在两页"))
    return findings


def check(paths: list[Path]) -> list[Finding]:
    """Every finding of every document, in order."""
    findings = []
    for path in paths:
        suffix = path.suffix.lower()
        if not path.is_file():
            findings.append(Finding(path.name, 0, "文件不存在"))
        elif suffix == ".pdf":
            findings += check_pdf(path)
        elif suffix == ".docx":
            findings += check_docx(path)
        else:
            findings.append(Finding(path.name, 0, "只能检查 .pdf 和 .docx 文件"))
    return findings
