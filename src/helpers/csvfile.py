"""Reading a CSV as a person saved it: every cell a string, rows numbered as a spreadsheet shows them."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from .errors import Problem

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

    Returns the problems instead of raising, so a caller can report every file at once.
    """
    name = display_path(path)
    if not path.is_file():
        return None, [Problem(name, 0, "*", "文件不存在")]
    raw = path.read_bytes()
    for encoding in ENCODINGS:
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        return None, [Problem(name, 1, "*", "无法识别文件编码：请另存为 UTF-8 或 GB18030 编码的 CSV")]
    lines = [line for line in text.splitlines() if line.strip(" ,\t")]
    if not lines:
        return None, [Problem(name, 1, "*", "文件为空：至少需要表头一行")]
    from io import StringIO

    frame = pd.read_csv(
        StringIO(text),
        dtype=str,
        keep_default_na=False,
        skip_blank_lines=False,
        skipinitialspace=True,
    )
    frame.columns = [str(c).strip() for c in frame.columns]
    frame.index = range(FIRST_DATA_ROW, FIRST_DATA_ROW + len(frame))
    frame = frame.apply(lambda col: col.str.strip())
    blank = frame.eq("").all(axis=1)
    return frame[~blank], []
