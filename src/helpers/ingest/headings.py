"""A report's outline from its own headings: 一、 （一） 1. （1）, standalone or run in ("（一）推进…。落实…"),
the preamble before them, and the signature and date after them. The depth of a heading is the order in
which its style first appears, so a report that goes from 一、 straight to 1. still nests."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

ORDINALS = "一二三四五六七八九十"
STYLES = {
    "chinese": re.compile(rf"^(?P<n>[{ORDINALS}]+)、(?P<rest>.+)$"),
    "paren-chinese": re.compile(rf"^[（(](?P<n>[{ORDINALS}]+)[）)]、?(?P<rest>.+)$"),
    "arabic": re.compile(r"^(?P<n>\d{1,2})[.．、](?!\d)(?P<rest>.+)$"),
    "paren-arabic": re.compile(r"^[（(](?P<n>\d{1,2})[）)](?P<rest>.+)$"),
}
DATE = re.compile(r"^(?P<y>\d{4})\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日$")
#: A run-in heading is cut at its first full stop when what follows is this long at least.
RUN_IN_BODY = 12
MAX_TITLE = 60


@dataclass
class Part:
    """One heading of the report and the paragraphs under it (before its first sub-heading)."""

    id: str
    parent: str
    title: str
    depth: int
    paragraphs: list[str] = field(default_factory=list)


@dataclass
class Parsed:
    title: str = ""
    preamble: list[str] = field(default_factory=list)
    parts: list[Part] = field(default_factory=list)
    signature: list[str] = field(default_factory=list)
    signed: date | None = None
    published: date | None = None  # a web page's publication date


def heading(paragraph: str) -> tuple[str, str, str] | None:
    """(style, title, run-in body) where ``paragraph`` opens with a heading number; None otherwise."""
    for style, pattern in STYLES.items():
        match = pattern.match(paragraph)
        if not match:
            continue
        rest = match["rest"].strip()
        stop = re.search(r"[。！？]", rest)
        if stop and len(rest) - stop.end() >= RUN_IN_BODY:
            title, body = rest[: stop.start()], rest[stop.end() :].strip()
        elif stop is None or stop.end() == len(rest):
            title, body = rest.rstrip("。"), ""
        else:
            continue
        if style == "arabic" and re.match(r"^\d", rest):  # 1.5万元 is no heading
            continue
        if len(title) <= MAX_TITLE and not title.startswith(("是", "要")):
            return style, title, body
    return None


def split_signature(paragraphs: list[str]) -> tuple[list[str], list[str], date | None]:
    """The report's paragraphs without the lines under it, those lines, and the date among them."""
    signed, end = None, len(paragraphs)
    if paragraphs and (match := DATE.match(paragraphs[-1].replace(" ", ""))):
        try:
            signed = date(int(match["y"]), int(match["m"]), int(match["d"]))
        except ValueError:
            signed = None
        end -= 1
        while end > 0 and len(paragraphs[end - 1]) <= 30 and not re.search(r"[。，,；;：:]", paragraphs[end - 1]) and end >= len(paragraphs) - 3:
            end -= 1
    return paragraphs[:end], [p for p in paragraphs[end:] if not DATE.match(p.replace(" ", ""))], signed


def parse(paragraphs: list[str]) -> Parsed:
    """The title (a first line that names the report), preamble, headings with their paragraphs, and signature."""
    parsed = Parsed()
    body, parsed.signature, parsed.signed = split_signature(paragraphs)
    if body and "报告" in body[0] and len(body[0]) <= MAX_TITLE and not re.search(r"[。，,；;]", body[0]):
        parsed.title, body = body[0], body[1:]
    depth_of: dict[str, int] = {}
    counters: dict[str, int] = {}
    stack: list[Part] = []
    for paragraph in body:
        found = heading(paragraph)
        if found is None:
            (stack[-1].paragraphs if stack else parsed.preamble).append(paragraph)
            continue
        style, title, run_in = found
        depth = depth_of.setdefault(style, len(depth_of) + 1)
        while stack and stack[-1].depth >= depth:
            stack.pop()
        if depth > len(stack) + 1:  # a level skipped: nest under what is open
            depth = len(stack) + 1
        parent = stack[-1].id if stack else ""
        counters[parent] = counters.get(parent, 0) + 1
        part_id = f"{parent}-{counters[parent]}" if parent else f"s{counters[parent]}"
        part = Part(part_id, parent, title, depth, [run_in] if run_in else [])
        parsed.parts.append(part)
        stack.append(part)
    return parsed
