"""The office's prose for a year: Markdown by section, numbers bound with ``{{< var id >}}``.

A year still being filled in builds: prose bound to a figure that has no value yet shows a visible
placeholder (【待填：名称】) and gets a warning; in a final year (or under ``--strict``) it is an error.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..errors import InputError, Problem
from ..fonts import uncovered
from . import record
from .catalog import Catalog
from .csvfile import display_path
from .markup import Binding, check_prose
from .outline import Outline

#: Files of a year's narrative that are not report sections.
FRAME_PARTS = ("preamble",)
META_KEYS = ("title", "office", "year")
ROOTS = ("period", "prev", "yoy")


def variable_keys(figure_ids: set[str]) -> set[str]:
    """Every key a narrative may bind: the figure, its period phrase, last year's figure, the change."""
    return figure_ids | {f"{root}.{i}" for root in ROOTS for i in figure_ids}


def indicator_of(key: str) -> str:
    """``yoy.mediation.cases`` → ``mediation.cases``."""
    root, _, rest = key.partition(".")
    return rest if root in ROOTS and rest else key


def placeholder(name_zh: str) -> str:
    return f"【待填：{name_zh}】"


@dataclass
class Narrative:
    texts: dict[str, str] = field(default_factory=dict)  # part → prose
    images: list[Path] = field(default_factory=list)  # image files the prose shows, inside narrative/
    pending: set[str] = field(default_factory=set)  # indicators bound in prose that have no value yet


def read_text(path: Path, file: str) -> tuple[str | None, list[Problem]]:
    """A prose file's text, refusing a link out of the data and bytes that are not UTF-8."""
    try:
        return record.read_bytes(path).decode("utf-8-sig"), []
    except InputError as exc:  # a link (helpers.data.record refuses every path through one)
        return None, exc.problems
    except UnicodeDecodeError as exc:
        return None, [Problem(file, 1, "*", f"不是 UTF-8 编码（第{exc.start + 1}个字节处）：请用 UTF-8 另存该文件")]


def read_prose(path: Path, folder: Path) -> tuple[str | None, list[Problem], list, list[str]]:
    """One prose file read and checked: its text (None where it cannot be read: a folder, a link, not UTF-8),
    its problems, the shortcodes it binds and the images it shows."""
    file = display_path(path)
    if not path.is_file():
        return None, [Problem(file, 0, "*", "是文件夹，不是正文文件：正文须是 UTF-8 的 .md 文件，请改名或移走")], [], []
    text, problems = read_text(path, file)
    if text is None:
        return None, problems, [], []
    found, bindings, images = check_prose(text, file, folder)
    return text, problems + found + glyph_warnings(text, file), bindings, images


def glyph_warnings(text: str, file: str) -> list[Problem]:
    """A character no face of the report draws would print as a box: say where, once per character."""
    problems, seen = [], set()
    for offset, char in uncovered(text):
        if char in seen:
            continue
        seen.add(char)
        row = text.count("\n", 0, offset) + 1
        column = offset - (text.rfind("\n", 0, offset) + 1) + 1
        problems.append(
            Problem(
                file,
                row,
                str(column),
                f"字符“{char}”（U+{ord(char):04X}）报告所用字体中没有，PDF 中会显示为方框：请改用常用字，或加注说明",
                warning=True,
            )
        )
    return problems


def load_narrative(
    folder: Path, catalog: Catalog, outline: Outline, figure_ids: set[str] | None, final: bool = False
) -> tuple[Narrative, list[Problem]]:
    """Read ``narrative/*.md`` and check every shortcode it uses; return the prose and the problems.

    ``figure_ids`` None means the year's figures could not be read at all: bindings are then not checked,
    so one unreadable file is reported once, not once per sentence that uses it."""
    narrative = Narrative()
    problems: list[Problem] = []
    known = variable_keys(figure_ids) if figure_ids is not None else None
    try:
        listed = record.listing(folder)  # none yet: a folder made later is a change
    except InputError as exc:  # a linked narrative/ is refused, not passed over
        return narrative, exc.problems
    for path in (p for p in listed if p.suffix == ".md"):
        file = display_path(path)
        part = path.stem
        if path.is_file() and part not in outline.sections and part not in FRAME_PARTS:
            problems.append(Problem(file, 1, "*", f"文件名“{part}”不是本单位大纲（sections.csv）中的章节编号，也不是 {'、'.join(FRAME_PARTS)}"))
            continue
        text, found, bindings, images = read_prose(path, folder)
        problems += found
        if text is None:
            continue
        problems += _check_bindings(bindings, file, catalog, outline, known, final, narrative)
        narrative.images += [folder / image for image in images]
        narrative.texts[part] = text.strip()
    return narrative, problems


def _check_bindings(
    bindings: list[Binding], file: str, catalog: Catalog, outline: Outline, known: set[str] | None, final: bool, narrative: Narrative
) -> list[Problem]:
    """Each ``meta`` must name a key the document has, each ``var`` a figure of the year (or one still to
    fill in, a placeholder in a draft); ``known`` None means the year's figures could not be read."""
    problems = []
    for binding in bindings:
        row, column, arg = binding.at.row, str(binding.at.column), binding.arg
        if binding.name == "meta" and arg not in META_KEYS:
            problems.append(Problem(file, row, column, f"元数据“{arg}”不存在，可用：{'、'.join(META_KEYS)}"))
        if binding.name != "var" or known is None:
            continue
        indicator = catalog.indicators.get(indicator_of(arg))
        if arg in known and indicator is not None and indicator.id in outline.indicators:
            continue
        if indicator is None:
            problems.append(Problem(file, row, column, f"引用的数据“{arg}”不存在：indicators.csv 中没有该指标"))
        elif indicator.id not in outline.indicators:
            problems.append(
                Problem(
                    file,
                    row,
                    column,
                    f"引用的{indicator.name_zh}（{indicator.id}）不在本单位的大纲中：请在大纲（sections.csv）某一节的 indicators 中加上它",
                )
            )
        else:
            narrative.pending.add(indicator.id)
            problems.append(
                Problem(
                    file,
                    row,
                    column,
                    f"引用的{indicator.name_zh}（{indicator.id}）本年尚无数值，报告中显示为{placeholder(indicator.name_zh)}：请在 values.csv 中填写",
                    warning=not final,
                )
            )
    return problems
