"""Reading a CSV as a person saved it: every cell a string, rows numbered as a spreadsheet shows them."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import Problem
from . import record

if TYPE_CHECKING:  # imported where a CSV is read: an up-to-date build never needs it
    import pandas as pd

#: Encodings tried in turn: UTF-8 with or without BOM, then what Excel saves on Chinese Windows.
ENCODINGS = ("utf-8-sig", "gb18030")
FIRST_DATA_ROW = 2  # row 1 is the header


def display_path(path: Path) -> str:
    """A path as the user typed it: relative to the working directory where possible."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


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
        if len(cells) > len(header) and any(cells[len(header):]):
            problems.append(Problem(name, number, "*", f"本行有{len(cells)}列，表头只有{len(header)}列："
                                                       "是否多了逗号？数值中的逗号请去掉或给整个单元格加引号"))
        records.append((cells + [""] * len(header))[: len(header)])
        index.append(number)
    import pandas as pd

    return pd.DataFrame(records, index=index, columns=header, dtype=str), problems
