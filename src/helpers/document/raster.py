"""The Word copy's picture of a chart: a PNG drawn from the SVG the notebook shows, at print resolution.

A notebook shows each chart once, in vector form (helpers.model.charts: text as outlines); the browser and
Typst draw that. Only the Word copy needs pixels, for Word and WPS read no SVG of their own, so its PNGs are
drawn here by MuPDF when a Word copy is rendered, instead of by matplotlib in every kernel for every chart.
"""

from __future__ import annotations

import re

from ..errors import RenderError
from ..model.charts import DPI
from .mupdf import import_pymupdf

#: A reference from inside the SVG to anything but itself (``#id``) or inline data: a file or an address
#: MuPDF would open. The project's charts have none; an SVG with one is not drawn.
OUTSIDE = re.compile(r"""(?:href|src)\s*=\s*["']\s*(?!#|data:)|url\(\s*["']?\s*(?!#)""", re.I)


def png_of(svg: str, name: str = "") -> bytes:
    """The SVG drawn at the charts' print resolution (``DPI``), with that resolution recorded in the PNG, so
    pandoc sets it in the Word copy at the chart's own width."""
    if OUTSIDE.search(svg):
        raise RenderError(f"图表 {name} 的 SVG 引用了外部文件或网址：Word 版不绘制这样的图，请让笔记本只输出自包含的图")
    pymupdf = import_pymupdf()
    try:
        with pymupdf.open(stream=svg.encode("utf-8"), filetype="svg") as document:
            return document[0].get_pixmap(dpi=DPI).tobytes("png")
    except (RuntimeError, ValueError, IndexError) as exc:
        raise RenderError(f"图表 {name} 的 SVG 无法绘制为 Word 版的图片：{exc}") from None
