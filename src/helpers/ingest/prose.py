"""A published report's plain text as narrative Markdown: exactly the characters it says, nothing Markdown
would read as markup (a tag, a shortcode, a list), paragraphs of bounded length."""

from __future__ import annotations

import re

#: Characters Markdown would read as markup, written so the prose says them: angle brackets and braces as
#: their full-width forms (a tag or a shortcode can then never open), the rest escaped.
MARKDOWN = re.compile(r"([\\`*_\[\]#|~^$@])")
FULL_WIDTH = str.maketrans({"<": "＜", ">": "＞", "{": "｛", "}": "｝"})

#: What at the start of a line Markdown reads as a block (a fenced div or definition, a list item, a rule).
LINE_START = re.compile(r"^(\s*)([:+=-]|\d+[.)])")
#: A paragraph longer than this is cut at the end of a sentence: the narrative's lines are bounded.
MAX_PARAGRAPH = 5000


def prose(text: str) -> str:
    """Plain text as narrative Markdown that says exactly those characters, and that validates."""
    escaped = MARKDOWN.sub(r"\\\1", text.translate(FULL_WIDTH))
    return LINE_START.sub(lambda m: m.group(1) + "".join("\\" + c if not c.isdigit() else c for c in m.group(2)), escaped)


def bounded(paragraphs: list[str]) -> list[str]:
    """Each paragraph, a very long one cut after a sentence (。；) into pieces of at most :data:`MAX_PARAGRAPH`."""
    out = []
    for paragraph in paragraphs:
        while len(paragraph) > MAX_PARAGRAPH:
            cut = max(paragraph.rfind(mark, 0, MAX_PARAGRAPH) for mark in "。；！？") + 1 or MAX_PARAGRAPH
            out.append(paragraph[:cut])
            paragraph = paragraph[cut:]
        out.append(paragraph)
    return [p for p in out if p.strip()]
