"""A report's title broken into lines as GB/T 9704 (7.3.1) asks: between words, never inside one, in the
shape of a trapezoid (two lines, the upper no longer than the lower) or a diamond (three, the middle longest).

A title is an office's name, a year and the kind of report; the places a line may end are found from
those parts, not from a dictionary: after a level of the administration (市, 区, 街道办事处, 镇人民政府 …),
after the year, before the kind's own words (法治政府建设…, 关于…) and before a bracket.
"""

from __future__ import annotations

import re
from itertools import combinations, pairwise

#: 2号 (22 pt) in the 156 mm type area: 20 characters a line.
CHARS_PER_LINE = 20
#: Where a line may end: after one of these, unless a longer word goes on (街道|办事处).
_ENDS = re.compile(r"(?:自治区|省|自治州|市|区|县|旗|街道办事处|办事处|人民政府|街道(?!办)|镇(?!人民)|乡(?!人民)|\d{4}年度|\d{4}年(?!度))")
#: Where a line may start: the kind of the report, a bracket, a year.
_STARTS = re.compile(r"(?:法治政府建设|党政主要负责人|履行|关于|[（(]|\d{4}年)")
#: Words a line never ends on: what follows belongs to them.
_NEVER_LAST = ("关于", "（", "(")


def width(text: str) -> float:
    """The width of a line in characters: digits and Latin letters are half a character."""
    return sum(0.5 if ch.isascii() else 1.0 for ch in text)


def breaks(title: str) -> list[int]:
    """The positions at which a line of the title may end."""
    found = {m.end() for m in _ENDS.finditer(title)} | {m.start() for m in _STARTS.finditer(title)}
    return sorted(p for p in found if 0 < p < len(title) and not title[:p].endswith(_NEVER_LAST))


def _shape(lines: list[str]) -> tuple:
    """Lower is better: a trapezoid or a diamond first, then lines of even length."""
    w = [width(line) for line in lines]
    if len(w) == 2:
        shaped = w[0] <= w[1]
    elif len(w) == 3:
        shaped = w[1] >= w[0] and w[1] >= w[2]
    else:
        shaped = True
    return (not shaped, max(w) - min(w))


def title_lines(title: str, per_line: int = CHARS_PER_LINE) -> list[str]:
    """The title's lines: one where it fits, else as few as fit, broken between words in the standard's shape."""
    if width(title) <= per_line:
        return [title]
    points = breaks(title)
    for count in range(2, 5):
        candidates = []
        for cut in combinations(points, count - 1):
            edges = (0, *cut, len(title))
            lines = [title[a:b] for a, b in pairwise(edges)]
            if all(width(line) <= per_line for line in lines):
                candidates.append(lines)
        if candidates:
            return min(candidates, key=_shape)
    return [title]  # no place to break between words: the engine wraps it
