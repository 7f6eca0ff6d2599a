"""A published 政府信息公开工作年度报告's tables read back into cells, as its page or Word file gives them as
text: each printed row label followed by its numbers, cells apart by ``|`` (a table as text) or one a line
(a table a browser's reader mode or pandoc flattened). Both national layouts are known: the 2021 format and
the 2019 trial format (国办公开办函〔2019〕60号), whose differences are mapped and said.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from ..data.disclosure import NOT_APPLICABLE, TABLE2_CELLS, TABLE2_ROWS, TABLE3_COLUMNS, TABLE3_ROWS, TABLE4_GROUPS, TABLE4_OUTCOMES, Disclosure

#: Words only the 2019 trial format prints (table 2's columns and rows).
TRIAL_2019 = ("本年新制作数量", "对外公开总数量", "其他对外管理服务事项", "政府集中采购")
#: The 2019 table 3 has one （六）其他处理 row: read as the 2021 row （六）3.其他.
TRIAL_OTHER = "（六）其他处理"
TABLE4_HEADINGS = ("政府信息公开行政复议、行政诉讼情况", "被申请行政复议、提起行政诉讼情况")
NUMBER = re.compile(r"^(?:\d+(?:\.\d+)?|/|／)$")
WIDTH = str.maketrans({"(": "（", ")": "）", "．": ".", "／": "/", "“": None, "”": None, '"': None})


def _plain(text: str) -> str:
    """A label as compared: no spaces or quotation marks, full-width brackets, ASCII dots."""
    return re.sub(r"\s+", "", text).translate(WIDTH)


@dataclass
class ReadTables:
    """What was read: the cells, which layout, and what a clerk should know (a row not found, a 2019 mapping)."""

    data: Disclosure
    layout: str = "2021"
    notes: list[str] = field(default_factory=list)


def _tokens(text: str) -> list[str]:
    """Cells as pandoc's plain text gives them: apart by ``|`` (a grid table), a line, a tab, or two spaces
    or more (a table pandoc sets in columns)."""
    return [t.strip() for t in re.split(r"[|\n\t]+| {2,}", text) if t.strip()]


def _numbers(tokens: list[str], start: int, count: int) -> list[str]:
    """Up to ``count`` numeric cells right after position ``start`` (a label); stops at the next word."""
    found = []
    for token in tokens[start + 1 : start + 1 + count]:
        if not NUMBER.match(token.translate(WIDTH)):
            break
        found.append(token.translate(WIDTH))
    return found


def _put(data: Disclosure, table: str, row: str, columns: tuple[str, ...], cells: list[str]) -> None:
    for column, cell in zip(columns, cells, strict=False):
        data.values[(table, row, column)] = None if cell == NOT_APPLICABLE else Decimal(cell)


def _ends_with_label(token: str, labels: dict[str, str]) -> str | None:
    """The row whose label ends ``token``: a page's text may set a merged cell (三、本年度办理结果) right
    against the label beside it, with no space between."""
    found = [label for label in labels if len(label) >= 4 and token.endswith(label) and token != label]
    return labels[max(found, key=len)] if found else None


def read_tables(text: str, name: str) -> ReadTables:
    """The three tables of a published report's text (see the module)."""
    tokens = _tokens(text)
    plain = [_plain(t) for t in tokens]
    read = ReadTables(Disclosure(name))
    if any(word in p for word in TRIAL_2019 for p in plain):
        read.layout = "2019"
        read.notes.append("按2019年试行格式读取：表二的列与2021年格式不同，未读入；表三的“（六）其他处理”一行读作2021年格式的“（六）3.其他”")
    labels = {_plain(label): row for row, label in TABLE3_ROWS.items()}
    if read.layout == "2019":
        labels[_plain(TRIAL_OTHER)] = "other_rest"
    seen: set[str] = set()
    for k, token in enumerate(plain):
        row = labels.get(token) or _ends_with_label(token, labels)
        if row is None or row in seen:
            continue
        cells = _numbers(tokens, k, len(TABLE3_COLUMNS))
        if cells:
            _put(read.data, "3", row, tuple(TABLE3_COLUMNS), cells)
            seen.add(row)
            if len(cells) < len(TABLE3_COLUMNS):
                read.notes.append(f"表三“{TABLE3_ROWS[row]}”只读到{len(cells)}个数，应为{len(TABLE3_COLUMNS)}个")
    missing = [TABLE3_ROWS[r] for r in TABLE3_ROWS if r not in seen and not (read.layout == "2019" and r in ("other_overdue", "other_unpaid"))]
    if missing and seen:
        read.notes.append(f"表三有{len(missing)}行没有读到：{'、'.join(missing[:3])}{'等' if len(missing) > 3 else ''}")
    if read.layout == "2021":
        _table2(read, tokens, plain)
    _table4(read, tokens, plain)
    return read


def _table2(read: ReadTables, tokens: list[str], plain: list[str]) -> None:
    for row, (_, label) in TABLE2_ROWS.items():
        if _plain(label) in plain:
            k = plain.index(_plain(label))
            columns = TABLE2_CELLS[row]
            cells = _numbers(tokens, k, len(columns))
            _put(read.data, "2", row, columns, cells)


def _table4(read: ReadTables, tokens: list[str], plain: list[str]) -> None:
    """Table 4 is one row of 15 numbers under its headings: the first such run after its title."""
    start = next((k for k, p in enumerate(plain) if any(h in p for h in TABLE4_HEADINGS)), None)
    if start is None:
        read.notes.append("没有找到表四（政府信息公开行政复议、行政诉讼情况）")
        return
    cells = [(g, o) for g in TABLE4_GROUPS for o in TABLE4_OUTCOMES]
    for k in range(start, len(tokens)):
        run = _numbers(tokens, k - 1, len(cells))
        if len(run) == len(cells):
            for (group, outcome), cell in zip(cells, run, strict=True):
                read.data.values[("4", group, outcome)] = None if cell == NOT_APPLICABLE else Decimal(cell)
            return
    read.notes.append("表四没有读到一行15个数")
