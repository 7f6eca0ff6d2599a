"""The numbers of GB/T 9704-2012 (the layout of official documents), declared once: the Word template is
made to them and preflight measures every PDF and Word copy against them. report/typst/header.typ sets
the same page for Typst (and _quarto.yml its margins), and preflight is what proves the two agree.
"""

from __future__ import annotations

MM = 72 / 25.4  # points per millimetre

#: 5.2: A4 paper, the type area on it, and the margins around it (天头 37 mm, 订口 28 mm).
PAGE_MM = (210.0, 297.0)
TYPE_AREA_MM = (156.0, 225.0)
MARGINS_MM = {"top": 37.0, "bottom": 35.0, "left": 28.0, "right": 26.0}
#: 5.2.2: 22 lines a page, 28 characters a line, in 3号 (16 pt).
LINES_PER_PAGE = 22
CHARS_PER_LINE = 28
#: Sizes in points: 2号 (the title), 3号 (the text), 4号 (the page number), 小四 (tables, captions).
TITLE_PT, BODY_PT, PAGE_NUMBER_PT, SMALL_PT = 22.0, 16.0, 14.0, 12.0


def type_area_pt() -> tuple[float, float]:
    return TYPE_AREA_MM[0] * MM, TYPE_AREA_MM[1] * MM


def line_pitch_pt() -> float:
    """The pitch that fits exactly 22 lines in the type area's height (a hair under, never over)."""
    return int(type_area_pt()[1] / LINES_PER_PAGE * 20) / 20


def char_pitch_pt() -> float:
    """The pitch that fits exactly 28 characters in the type area's width."""
    return type_area_pt()[0] / CHARS_PER_LINE
