"""Pipe tables for pandoc and Quarto, with column widths that survive into Typst and Word."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from .markup import literal

#: Total dashes of a separator line; pandoc reads relative column widths from them once a row is wider
#: than its line length, which a width this large guarantees.
SEPARATOR_WIDTH = 100


def cell(text: object) -> str:
    """A value safe inside a pipe table: no line break, no bare pipe, nothing Markdown or Quarto would act on."""
    return literal(text)


def pipe_table(columns: Sequence[tuple[str, str, int]], rows: Iterable[Sequence[object]]) -> str:
    """``columns`` are (header, align 'l' or 'r', width share); widths are shares of the text width."""
    total = sum(width for _, _, width in columns)
    separators = []
    for _, align, width in columns:
        dashes = "-" * max(3, round(SEPARATOR_WIDTH * width / total))
        separators.append(f"{dashes}:" if align == "r" else f":{dashes}")
    lines = ["| " + " | ".join(cell(h) for h, _, _ in columns) + " |", "|" + "|".join(separators) + "|"]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in rows]
    return "\n".join(lines)
