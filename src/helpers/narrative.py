"""The office's prose for a year: Markdown by section, numbers bound with ``{{< var id >}}``."""

from __future__ import annotations

import re
from pathlib import Path

from .catalog import Catalog
from .csvfile import display_path
from .errors import Problem

SHORTCODE = re.compile(r"\{\{<\s*(?P<name>[\w-]+)\s+(?P<arg>[^>]*?)\s*>\}\}")
RAW_HTML = re.compile(r"<\s*/?\s*[A-Za-z!][^>]*>")
#: Files of a year's narrative that are not report sections.
FRAME_PARTS = ("preamble",)
META_KEYS = ("title", "office", "year")


def variable_keys(figure_ids: set[str]) -> set[str]:
    """Every key a narrative may bind: the figure, its period phrase, last year's figure, the change."""
    return figure_ids | {f"{root}.{i}" for root in ("period", "prev", "yoy") for i in figure_ids}


def load_narrative(folder: Path, catalog: Catalog, figure_ids: set[str] | None) -> tuple[dict[str, str], list[Problem]]:
    """Read ``narrative/*.md`` and check every shortcode it uses; return texts by part and the problems.

    ``figure_ids`` None means the year's figures could not be read at all: bindings are then not checked,
    so one unreadable file is reported once, not once per sentence that uses it."""
    texts: dict[str, str] = {}
    problems: list[Problem] = []
    if not folder.is_dir():
        return texts, problems
    known = variable_keys(figure_ids) if figure_ids is not None else None
    for path in sorted(folder.glob("*.md")):
        file = display_path(path)
        part = path.stem
        if part not in catalog.sections and part not in FRAME_PARTS:
            problems.append(Problem(file, 1, "*", f"文件名“{part}”不是 sections.csv 中的章节编号，也不是 {'、'.join(FRAME_PARTS)}"))
            continue
        text = path.read_text(encoding="utf-8-sig")
        problems += _check_text(text, file, known)
        texts[part] = text.strip()
    return texts, problems


def _check_text(text: str, file: str, known: set[str] | None) -> list[Problem]:
    problems = []
    for number, line in enumerate(text.splitlines(), start=1):
        for match in SHORTCODE.finditer(line):
            name, arg = match["name"], match["arg"].strip()
            column = str(match.start() + 1)
            if name == "var" and known is not None and arg not in known:
                problems.append(Problem(file, number, column, f"引用的数据“{arg}”不存在：本年 values.csv 中没有该指标的数值"))
            elif name == "meta" and arg not in META_KEYS:
                problems.append(Problem(file, number, column, f"元数据“{arg}”不存在，可用：{'、'.join(META_KEYS)}"))
            elif name not in ("var", "meta"):
                problems.append(Problem(file, number, column, f"正文中不能使用短代码“{name}”：只能用 var 和 meta"))
        for match in RAW_HTML.finditer(SHORTCODE.sub(lambda m: " " * len(m.group(0)), line)):
            problems.append(Problem(file, number, str(match.start() + 1), f"正文含原始 HTML“{match.group(0)[:40]}”：请只用 Markdown"))
    return problems
