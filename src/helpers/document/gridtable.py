"""Pandoc grid tables with merged cells: the one Markdown table that carries row and column spans into HTML,
Typst and Word alike (pandoc 3 reads them; its HTML, Typst and docx writers keep the spans).

A table is given as rows of :class:`Cell` (a cell spanning rows is given once, in its first row) and each
column's width in display columns (a Chinese character is two). The widths are what pandoc takes as the
columns' relative widths; a cell's text is wrapped to its width here, and the line breaks inside a cell are
taken out again between Chinese characters when the document is made (report/filters/blocks.lua).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

#: Which border character wins where two boxes draw on the same place.
_RANK = {" ": 0, "-": 1, "=": 2, "|": 3, "+": 4}


#: Marks that never begin a line (GB/T 15834): the character before them goes down with them.
CLOSING = "，。、；：？！）》」』”’"


@dataclass(frozen=True)
class Cell:
    text: str
    colspan: int = 1
    rowspan: int = 1


def width(text: str) -> int:
    """Display columns: a wide (Chinese) character takes two, as pandoc counts them in a grid table."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def wrap(text: str, columns: int) -> list[str]:
    """``text`` in lines of at most ``columns`` display columns (a character wider than that gets a line)."""
    lines, line = [], ""
    for ch in text:
        if line and width(line + ch) > columns:
            carried = line[-1] if ch in CLOSING and len(line) > 1 else ""  # no line starts with ，or ）
            lines.append(line[: len(line) - len(carried)])
            line = carried
        line += ch
    return [*lines, line] if line or not lines else lines


def _place(rows: list[list[Cell]], ncols: int) -> list[tuple[int, int, Cell]]:
    """Each cell's top row and left column, the way a table's rows fill the columns a span leaves free."""
    taken: set[tuple[int, int]] = set()
    placed = []
    for r, row in enumerate(rows):
        c = 0
        for cell in row:
            while (r, c) in taken:
                c += 1
            if c + cell.colspan > ncols or r + cell.rowspan > len(rows):
                raise ValueError(f"第{r + 1}行的“{cell.text}”超出表格")
            placed.append((r, c, cell))
            taken |= {(r + i, c + j) for i in range(cell.rowspan) for j in range(cell.colspan)}
        while (r, c) in taken:
            c += 1
        if c != ncols:
            raise ValueError(f"第{r + 1}行有{c}列，表格有{ncols}列")
    return placed


def grid_table(rows: list[list[Cell]], widths: list[int], header_rows: int = 0, aligns: str = "") -> str:
    """The grid table of ``rows``; the first ``header_rows`` are its head. ``aligns`` gives each column's
    alignment (``l``, ``r`` or ``c``), marked in the head's separator (or the top line of a table with none)."""
    ncols = len(widths)
    placed = _place(rows, ncols)
    inner = {(r, c, cell): _inner(widths, c, cell.colspan) for r, c, cell in placed}
    texts = {key: wrap(key[2].text, inner[key]) for key in placed}
    heights = [1] * len(rows)
    for key in sorted(placed, key=lambda k: k[2].rowspan):  # single rows first: a span then takes what is left
        r, _, cell = key
        room = sum(heights[r : r + cell.rowspan]) + cell.rowspan - 1
        heights[r + cell.rowspan - 1] += max(0, len(texts[key]) - room)
    xs = [0]
    for w in widths:
        xs.append(xs[-1] + w + 3)
    ys = [0]
    for h in heights:
        ys.append(ys[-1] + h + 1)
    canvas = [[" "] * (xs[-1] + 1) for _ in range(ys[-1] + 1)]

    def put(y: int, x: int, ch: str) -> None:
        if _RANK.get(ch, 5) >= _RANK.get(canvas[y][x], 5):  # a border never gives way to a weaker one
            canvas[y][x] = ch

    head_line = ys[header_rows] if header_rows else -1
    for key in placed:
        r, c, cell = key
        left, right, top, bottom = xs[c], xs[c + cell.colspan], ys[r], ys[r + cell.rowspan]
        for y in (top, bottom):
            for x in range(left + 1, right):
                put(y, x, "=" if y == head_line else "-")
        for x in (left, right):
            for y in range(top + 1, bottom):
                put(y, x, "|")
        for y in (top, bottom):
            for x in (left, right):
                put(y, x, "+")
        for i, line in enumerate(texts[key]):
            x = left + 2
            for ch in line:
                canvas[top + 1 + i][x] = ch
                if width(ch) == 2:
                    canvas[top + 1 + i][x + 1] = ""  # the second column of a wide character
                x += width(ch)
    mark = head_line if header_rows else 0
    if aligns:  # pandoc reads a column's alignment from its own piece of this line: every column gets one
        for x in xs:
            canvas[mark][x] = "+"
    for c, align in enumerate(aligns):
        if align in "lc":
            canvas[mark][xs[c] + 1] = ":"
        if align in "rc":
            canvas[mark][xs[c + 1] - 1] = ":"
    return "\n".join("".join(line) for line in canvas)


def _inner(widths: list[int], column: int, span: int) -> int:
    """The text width of a cell spanning ``span`` columns: theirs and the borders between them."""
    return sum(widths[column : column + span]) + 3 * (span - 1)
