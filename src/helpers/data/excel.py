"""Data entry in Excel: a workbook made from the catalog, and its import back into ``values.csv``.

The workbook is what a clerk on a Chinese Windows machine fills in; its import goes through the same
checks as ``values.csv``, with every problem located by the workbook's own row and column letter.
"""

from __future__ import annotations

import io
import math
import re
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pandas as pd

from ..errors import InputError, Problem
from .catalog import Catalog, load_catalog
from .csvfile import display_path, read_csv
from .dataset import year_dir
from .outline import office_outline
from .values import MAX_HONOUR, QUALIFIERS, check_values
from .writer import DataWriter, WriteLog

SHEET = "数据填报"
#: (contract column, header shown to the clerk, width); the first four are read-only context.
COLUMNS = [
    ("indicator", "指标编号", 34),
    ("name_zh", "指标名称", 30),
    ("unit", "单位", 7),
    ("kind", "类别", 8),
    ("value", "数值", 12),
    ("qualifier", "限定词", 8),
    ("period_end", "统计截止日期", 14),
    ("source", "来源", 36),
    ("note", "备注", 30),
]
VALUE_COLUMNS = ["indicator", "value", "qualifier", "period_end", "source", "note"]
KIND_ZH = {"count": "计数", "amount": "金额", "rate": "比率(%)", "score": "得分", "average": "平均值", "rank": "名次", "honour": "荣誉（文字）"}
FORMULA_STARTS = ("=", "+", "-", "@")
#: Bounds on what a workbook may hold, checked before and while it is read (streamed, never loaded whole):
#: a data-entry sheet of a few hundred indicators is far inside every one.
MAX_BYTES = 5_000_000  # the .xlsx file
MAX_UNZIPPED = 20_000_000  # its parts, unpacked (a shared string of 189 MB packs into 195 KB)
MAX_ROWS = 5_000
MAX_CELL = 2_000  # characters in one cell
HEADER_TO_COLUMN = {header: column for column, header, _ in COLUMNS} | {column: column for column, _, _ in COLUMNS}


def _letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index)


def write_template(data_dir: Path, office: str, year: int, output: Path) -> Path:
    """A workbook with one row per catalog indicator, prefilled with the year's figures where there are any."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.worksheet.datavalidation import DataValidation

    catalog = load_catalog(data_dir)
    if catalog.unknown_office(office, data_dir):
        raise InputError(catalog.unknown_office(office, data_dir))
    existing = _existing(year_dir(data_dir, office, year) / "values.csv")
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    ws.append([header for _, header, _ in COLUMNS])
    for i, (_, _, width) in enumerate(COLUMNS, start=1):
        ws.column_dimensions[_letter(i)].width = width
        ws.cell(1, i).font = Font(bold=True)
        ws.cell(1, i).fill = PatternFill("solid", fgColor="DDE6F0")
    grey = PatternFill("solid", fgColor="F2F2F2")
    for ind in (catalog.indicators[i] for i in office_outline(data_dir, office, catalog, year).indicators):
        row = existing.get(ind.id, {})
        ws.append(
            [
                ind.id,
                ind.name_zh,
                ind.unit,
                KIND_ZH.get(ind.kind, ind.kind),
                _number(row.get("value", "")),
                row.get("qualifier", ""),
                _day(row.get("period_end", "")),
                row.get("source", ""),
                row.get("note", ""),
            ]
        )
        for c in range(1, len(COLUMNS) + 1):
            _as_text(ws.cell(ws.max_row, c))
        for c in range(1, 5):
            ws.cell(ws.max_row, c).fill = grey
        _validate_value(ws, ind, ws.max_row, year)
    last = ws.max_row
    qualifiers = DataValidation(
        type="list",
        formula1='"' + ",".join(q for q in QUALIFIERS if q) + '"',
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="限定词",
        error="请从列表中选择：余、约、以上……",
    )
    qualifiers.add(f"F2:F{last}")
    period = DataValidation(
        type="date",
        operator="between",
        formula1=f"DATE({year},1,1)",
        formula2=f"DATE({year},12,31)",
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="统计截止日期",
        error=f"请填写{year}年内的日期；全年数据留空",
    )
    period.add(f"G2:G{last}")
    ws.add_data_validation(qualifiers)
    ws.add_data_validation(period)
    for r in range(2, last + 1):
        ws.cell(r, 7).number_format = "yyyy-mm-dd"
        ws.cell(r, 5).alignment = Alignment(horizontal="right")
        stated = existing.get(ws.cell(r, 1).value, {}).get("value", "")
        if "." in stated:  # 90.0 stays 90.0: the decimals a figure was stated with are part of it
            ws.cell(r, 5).number_format = "0." + "0" * len(stated.split(".")[1])
    ws.freeze_panes = "E2"
    _instructions(wb.create_sheet("填写说明"), year)
    output.parent.mkdir(parents=True, exist_ok=True)
    wb.save(output)
    return output


def _as_text(cell) -> None:
    """A text cell from data stays text: '=HYPERLINK(…)', '+cmd|…', '@SUM(…)' are never live formulas."""
    if isinstance(cell.value, str) and cell.value[:1] in FORMULA_STARTS:
        cell.data_type = "s"
        cell.quotePrefix = True


def _validate_value(ws, ind, row: int, year: int) -> None:
    from openpyxl.worksheet.datavalidation import DataValidation

    if ind.is_honour:
        rule = DataValidation(
            type="textLength",
            operator="lessThanOrEqual",
            formula1=str(MAX_HONOUR),
            allow_blank=True,
            showErrorMessage=True,
            errorTitle=ind.name_zh,
            error=f"{ind.name_zh}是荣誉，请填文字，如 入选…、获评…",
        )
    elif ind.kind in ("count", "rank"):
        rule = DataValidation(
            type="whole",
            operator="greaterThanOrEqual",
            formula1="0",
            allow_blank=True,
            showErrorMessage=True,
            errorTitle=ind.name_zh,
            error=f"{ind.name_zh}是计数（{ind.unit}），请填不小于0的整数",
        )
    elif ind.kind == "rate":
        rule = DataValidation(
            type="decimal",
            operator="between",
            formula1="0",
            formula2="100",
            allow_blank=True,
            showErrorMessage=True,
            errorTitle=ind.name_zh,
            error="比率请填0到100之间的数，如97.6（不要填0.976）",
        )
    else:
        rule = DataValidation(
            type="decimal",
            operator="greaterThanOrEqual",
            formula1="0",
            allow_blank=True,
            showErrorMessage=True,
            errorTitle=ind.name_zh,
            error=f"请填不小于0的数（单位：{ind.unit}）",
        )
    rule.add(f"E{row}")
    ws.add_data_validation(rule)


def _instructions(ws, year: int) -> None:
    lines = [
        "填写说明",
        "1. 只在“数值”“限定词”“统计截止日期”“来源”“备注”列填写；灰色列来自指标目录，请勿修改。",
        "2. 数值只填数字：502、97.6、61.7。比率填百分数的数值（97.6 表示 97.6%）。",
        "3. 约数：数值填 1000，限定词选“余”，报告写作“1000余份”。",
        f"4. 只统计到年中某日的数据，填统计截止日期（如 {year}-10-31，报告写作“截至10月”）；全年数据留空。",
        "5. 每个数值都要填来源（如 街道司法所台账），以便核对。",
        f"6. 填好后运行：annual-report import 本文件.xlsx --office 单位编号 --year {year}",
    ]
    for line in lines:
        ws.append([line])
    ws.column_dimensions["A"].width = 100


def _existing(path: Path) -> dict[str, dict[str, str]]:
    if not path.is_file():
        return {}
    frame, _ = read_csv(path)
    if frame is None or "indicator" not in frame:
        return {}
    return {r["indicator"]: dict(r) for _, r in frame.iterrows()}


def _number(text: str):
    """A figure as an Excel number where it is one (so Excel's validation applies), else as typed."""
    try:
        value = Decimal(text)
    except ArithmeticError:
        return text
    return int(value) if value == value.to_integral_value() and "." not in text else float(text)


def _day(text: str):
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return text


def _cell_text(cell) -> str:
    """What the clerk meant: 97.6% typed into a percent-formatted cell is 97.6, a date is YYYY-MM-DD."""
    value = cell.value
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)  # nan, inf: refused as "not a number", as in a CSV
    if isinstance(value, (int, float)):
        number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
        fmt = cell.number_format or ""
        if "%" in fmt:
            number *= 100
        number = number.normalize()
        decimals = re.match(r"^0\.(0+)%?$", fmt)
        if decimals:  # shown with fixed decimals: 90.0 is read as stated, not as 90
            number = number.quantize(Decimal(1).scaleb(-len(decimals.group(1))))
        return format(number, "f")
    return str(value).strip()


#: The first bytes of what people save under a .xlsx name, and what each one is.
_NOT_A_WORKBOOK = {
    b"\xd0\xcf\x11\xe0": "是加密的工作簿（设置了打开密码）或旧版 .xls 文件：请在 Excel 中取消密码，另存为 .xlsx",
}


def _open_problem(path: Path, file: str) -> Problem | None:
    """One located sentence for a file that is not a workbook at all, before openpyxl sees it."""
    try:
        with path.open("rb") as workbook:  # the first bytes only: the size is judged before anything is read
            head = workbook.read(8)
    except OSError as exc:
        return Problem(file, 0, "*", f"无法读取：{exc.strerror}")
    if not head:
        return Problem(file, 0, "*", "文件为空：请用 annual-report template 生成工作簿后填写")
    for magic, message in _NOT_A_WORKBOOK.items():
        if head.startswith(magic):
            return Problem(file, 0, "*", message)
    if not head.startswith(b"PK\x03\x04"):
        return Problem(file, 0, "*", "不是 Excel 工作簿（.xlsx）：可能是改了扩展名的 CSV 或其他文件。CSV 请直接放到 values.csv")
    size = path.stat().st_size
    if size > MAX_BYTES:
        return Problem(
            file,
            0,
            "*",
            f"工作簿有{size // 1_000_000} MB，超过{MAX_BYTES // 1_000_000} MB 的上限：填报表只需各指标一行，请用 annual-report template 生成的工作簿",
        )
    from zipfile import BadZipFile, ZipFile

    try:
        with ZipFile(path) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (BadZipFile, OSError, ValueError):
        return None  # openpyxl says why, below
    if unpacked > MAX_UNZIPPED:
        return Problem(
            file, 0, "*", f"工作簿解压后有{unpacked // 1_000_000} MB，超过{MAX_UNZIPPED // 1_000_000} MB 的上限：其中的内容远多于一张填报表，未读取"
        )
    return None


def _sheet(wb, file: str) -> tuple[Any, list[Problem]]:
    """The sheet to import, or why none: a hidden sheet could hold figures nobody sees, so it is refused."""
    hidden = [ws.title for ws in wb.worksheets if getattr(ws, "sheet_state", "visible") != "visible"]
    if hidden:
        return None, [
            Problem(file, 0, "*", f"工作簿中有隐藏的工作表“{'”“'.join(hidden)}”：导入只读看得见的内容，请在 Excel 中删除或取消隐藏后再导入")
        ]
    if not wb.worksheets:
        return None, [Problem(file, 0, "*", "工作簿中没有工作表")]
    return (wb[SHEET] if SHEET in wb.sheetnames else wb.worksheets[0]), []


def _structure_problems(path: Path, file: str, positions: dict[str, int]) -> list[Problem]:
    """Cells whose value import cannot trust: a formula Excel never calculated, a merged value cell."""
    from openpyxl import load_workbook

    wb = load_workbook(path, data_only=False)
    calculated = load_workbook(path, data_only=True)
    ws = wb[SHEET] if SHEET in wb.sheetnames else wb.worksheets[0]
    values = calculated[ws.title]
    columns = {positions[c] + 1 for c in VALUE_COLUMNS if c in positions}
    problems = []
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            if cell.column in columns and cell.data_type == "f" and values[cell.coordinate].value is None:
                problems.append(
                    Problem(
                        file,
                        cell.row,
                        cell.column_letter,
                        f"单元格 {cell.coordinate} 是公式（{str(cell.value)[:30]}）但没有计算结果：请在 Excel 中打开并保存，或直接填写数值",
                    )
                )
    for merged in ws.merged_cells.ranges:
        if merged.max_row >= 2 and any(merged.min_col <= c <= merged.max_col for c in columns):
            problems.append(
                Problem(file, merged.min_row, _letter(merged.min_col), f"单元格 {merged.coord} 是合并单元格：每个指标的数值须各占一格，请取消合并")
            )
    return problems


def read_workbook(path: Path) -> tuple[pd.DataFrame | None, dict[str, str], list[Problem]]:
    """The workbook's figures as a ``values.csv``-shaped table indexed by Excel row, and each column's letter."""
    from zipfile import BadZipFile

    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    file = display_path(path)
    problem = _open_problem(path, file)
    if problem:
        return None, {}, [problem]
    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, BadZipFile, OSError, KeyError, ValueError, TypeError) as exc:
        return None, {}, [Problem(file, 0, "*", f"无法打开工作簿（{type(exc).__name__}）：请在 Excel 中打开后另存为 .xlsx")]
    ws, problems = _sheet(wb, file)
    if ws is None:
        wb.close()
        return None, {}, problems
    rows = ws.iter_rows()
    header = next(rows, None)
    if header is None:
        wb.close()
        return None, {}, [Problem(file, 1, "*", "工作表为空：至少需要表头一行")]
    letters, positions = {}, {}
    for i, cell in enumerate(header):
        column = HEADER_TO_COLUMN.get(_cell_text(cell))
        if column:
            letters[column], positions[column] = _letter(i + 1), i
    missing = [c for c in ("indicator", "value", "source") if c not in positions]
    if missing:
        wb.close()
        wanted = {c: h for c, h, _ in COLUMNS}
        return None, letters, [Problem(file, 1, wanted[c], "缺少必需的列") for c in missing]
    records, index, long = [], [], []
    for number, row in enumerate(rows, start=2):
        if number > MAX_ROWS:
            wb.close()
            return None, letters, [Problem(file, number, "*", f"工作表超过{MAX_ROWS}行：填报表只需各指标一行，其余未读取")]
        record = {c: (_cell_text(row[p]) if p < len(row) else "") for c, p in positions.items()}
        long += [Problem(file, number, letters[c], f"单元格有{len(v)}个字符，超过{MAX_CELL}：请精简") for c, v in record.items() if len(v) > MAX_CELL]
        if not any(record.get(c, "") for c in VALUE_COLUMNS if c != "indicator"):
            continue  # an indicator left blank, or an empty line: nothing to import
        records.append({c: record.get(c, "") for c in VALUE_COLUMNS})
        index.append(number)
    wb.close()
    if long:
        return None, letters, long
    structure = _structure_problems(path, file, positions)
    if structure:
        return None, letters, structure
    return pd.DataFrame(records, index=index, columns=VALUE_COLUMNS), letters, []


def import_workbook(path: Path, data_dir: Path, office: str, year: int, force: bool = False) -> WriteLog:
    """Validate the workbook and write ``data/<office>/<year>/values.csv``; the workbook is only read."""
    file = display_path(path)
    catalog: Catalog = load_catalog(data_dir)
    problems = catalog.unknown_office(office, data_dir)
    frame, letters, found = read_workbook(path)
    problems += found
    if frame is not None:
        _, found = check_values(frame, file, catalog, year)
        problems += [Problem(p.file, p.row, letters.get(p.column, p.column), p.message) for p in found]
    if problems or frame is None:
        raise InputError(problems)
    buffer = io.StringIO()
    frame.to_csv(buffer, index=False, lineterminator="\n")
    target = year_dir(data_dir, office, year) / "values.csv"
    writer = DataWriter(data_dir)
    with writer.locked(office):
        writer.check([target])
        empty = _still_empty(target)
        writer.write(target, buffer.getvalue(), force or empty, backup=not empty)
    return writer.log


def _still_empty(path: Path) -> bool:
    """A ``values.csv`` as ``new-year`` left it, every figure blank: importing over it loses nothing."""
    frame, problems = read_csv(path) if path.is_file() else (None, [])
    if frame is None or problems:
        return False
    return not any(frame[c].str.strip().any() for c in frame.columns if c != "indicator")
