"""Reading a CSV as a person saved it: every cell a string, rows numbered as a spreadsheet shows them."""

from __future__ import annotations

import csv
import io
import os
import re
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import Problem
from . import record

if TYPE_CHECKING:  # imported where a CSV is read: an up-to-date build never needs it
    import pandas as pd

#: Encodings tried in turn: UTF-8 with or without BOM, then what Excel saves on Chinese Windows.
ENCODINGS = ("utf-8-sig", "gb18030")
FIRST_DATA_ROW = 2  # row 1 is the header


#: What makes a spreadsheet read a cell as a formula (or a command, in some): = + - @, a tab, a carriage return.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def formula_safe(value: object) -> object:
    """A cell as a spreadsheet may take it: text that would start a formula is quoted as text (a leading
    apostrophe); a number such as -3 stays a number. Every CSV the project writes goes through this."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS) and re.fullmatch(r"-?\d+(\.\d+)?", value) is None:
        return "'" + value
    return value


def display_path(path: Path) -> str:
    """A path as the user typed it: relative to the working directory where possible, and never through a
    link (a linked folder is named where it is, not where it points)."""
    here = Path(os.path.abspath(path))
    for base in (Path(os.path.abspath(Path.cwd())), Path.cwd().resolve()):
        if here.is_relative_to(base):
            return str(here.relative_to(base))
    return str(path)


def _utf8_cells(raw: bytes) -> list[tuple[int, str]]:
    """Where a file that is not UTF-8 as a whole has UTF-8 text: whole lines, or single cells of a line whose
    other cells are GB18030 (a note pasted from another program). Chinese in GB18030 is almost never valid
    UTF-8, and never decodes to Chinese characters only. Returns (row, column name or ``*``)."""
    lines = raw.split(b"\n")
    header = [c.strip() for c in lines[0].decode("gb18030", "replace").split(",")] if lines else []
    found = []
    for row, line in enumerate(lines, start=1):
        if line.isascii():
            continue
        if _is_utf8_text(line):
            found.append((row, "*"))
            continue
        for n, cell in enumerate(line.split(b",")):
            if not cell.isascii() and _is_utf8_text(cell):
                found.append((row, header[n] if row > 1 and n < len(header) and header[n] else str(n + 1)))
    return found


def _is_utf8_text(data: bytes) -> bool:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    wide = [c for c in text if ord(c) > 0x7F]
    return bool(wide) and all("\u3000" <= c <= "\u9fff" or "\uff00" <= c <= "\uffef" or c in "“”‘’—…·" for c in wide)


def read_csv(path: Path) -> tuple[pd.DataFrame | None, list[Problem]]:
    """Read ``path`` into a string DataFrame indexed by spreadsheet row number.

    Returns the problems instead of raising, so a caller can report every file at once. A row with more
    cells than the header is a problem of its own; its first cells, and the other rows, are still checked.
    """
    name = display_path(path)
    raw = record.read_if_file(path)
    if raw is None:
        return None, [Problem(name, 0, "*", "文件不存在")]
    if raw.startswith(b"PK\x03\x04"):
        return None, [Problem(name, 1, "*", "这是 Excel 工作簿，不是 CSV：请用 annual-report import 导入，或在 Excel 中另存为 CSV")]
    for encoding in ENCODINGS:
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        encoding, text = "", ""
    if encoding != ENCODINGS[0]:
        mixed = _utf8_cells(raw)
        if mixed:  # UTF-8 text in a GB18030 file: read as GB18030 it would be published as mojibake
            return None, [
                Problem(
                    name,
                    row,
                    column,
                    f"{'本行' if column == '*' else '这个单元格'}是 UTF-8 编码，而文件其余部分是"
                    " GB18030（GBK）编码：请把整个文件用同一种编码另存（建议 UTF-8）",
                )
                for row, column in mixed
            ]
    if not encoding:
        return None, [Problem(name, 1, "*", "无法识别文件编码：请另存为 UTF-8 或 GB18030 编码的 CSV")]
    rows = list(csv.reader(io.StringIO(text)))
    if not any(cell.strip() for row in rows for cell in row):
        return None, [Problem(name, 1, "*", "文件为空：至少需要表头一行")]
    header = [cell.strip() for cell in rows[0]]
    problems, records, index = [], [], []
    for number, row in enumerate(rows[1:], start=FIRST_DATA_ROW):
        cells = [cell.strip() for cell in row]
        if not any(cells):
            continue  # a blank line, or a line of empty cells
        if len(cells) > len(header) and any(cells[len(header) :]):
            problems.append(
                Problem(name, number, "*", f"本行有{len(cells)}列，表头只有{len(header)}列：是否多了逗号？数值中的逗号请去掉或给整个单元格加引号")
            )
        records.append((cells + [""] * len(header))[: len(header)])
        index.append(number)
    import pandas as pd

    return pd.DataFrame(records, index=index, columns=header, dtype=str), problems
