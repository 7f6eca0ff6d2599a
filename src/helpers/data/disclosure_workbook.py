"""The 政府信息公开工作年度报告's tables in Excel, laid out as the national format prints them: a sheet a table,
the merged header cells, the exact row labels, each figure in its own cell with validation (a whole number not
below 0, or ``/`` where the measure does not apply; an amount in 万元 in table 2's 收费 row). ``import`` reads
the figures back into ``disclosure.csv``, located by sheet, row and column letter, and checks every identity.

Where each figure sits is declared once (:func:`layout`): the writer fills it, the reader reads it back and
checks the labels beside it, so a sheet whose rows were moved is refused rather than misread.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from ..errors import InputError, Problem
from .catalog import load_catalog
from .csvfile import display_path
from .disclosure import (
    APPLICANTS,
    NOT_APPLICABLE,
    TABLE2_CELLS,
    TABLE2_COLUMNS,
    TABLE2_ROWS,
    TABLE3_COLUMNS,
    TABLE3_GROUPS,
    TABLE3_ROWS,
    TABLE4_GROUPS,
    TABLE4_OUTCOMES,
    Disclosure,
    cells_of,
    check,
    load_disclosure,
    to_csv,
)
from .excel import _cell_text, _open_problem
from .kinds import DISCLOSURE_KIND
from .reports import locate
from .writer import DataWriter, WriteLog

SHEETS = {"2": "表二 主动公开", "3": "表三 依申请公开", "4": "表四 复议诉讼"}
FIRST = 4  # the first row of figures after a sheet's title and its header rows (table 3's header has three)


@dataclass(frozen=True)
class Label:
    """A printed label: its text and the cells it spans (merged), in one sheet."""

    sheet: str
    cells: str  # A5:C5
    text: str


@dataclass(frozen=True)
class Figure:
    sheet: str
    cell: str  # D5 (the top-left cell where a figure spans merged cells)
    span: str  # D5 or B6:D6
    key: tuple[str, str, str]  # table, row, column


def _letter(n: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(n)


def _range(row: int, first: int, last: int, last_row: int | None = None) -> str:
    start, end = f"{_letter(first)}{row}", f"{_letter(last)}{last_row or row}"
    return start if start == end else f"{start}:{end}"


def layout() -> tuple[list[Label], list[Figure]]:
    """Every label and every figure of the three sheets, where the format prints it."""
    labels: list[Label] = []
    figures: list[Figure] = []
    s2, s3, s4 = SHEETS["2"], SHEETS["3"], SHEETS["4"]
    # table 2: a block per item of 条例 第二十条, columns B–D
    row = 2
    blocks: dict[str, list[str]] = {}
    for name, (item, _) in TABLE2_ROWS.items():
        blocks.setdefault(item, []).append(name)
    for item, names in blocks.items():
        columns = TABLE2_CELLS[names[0]]
        width = 3 // len(columns)
        labels.append(Label(s2, _range(row, 1, 4), item))
        labels.append(Label(s2, f"A{row + 1}", "信息内容"))
        for n, column in enumerate(columns):
            labels.append(Label(s2, _range(row + 1, 2 + n * width, 1 + (n + 1) * width), TABLE2_COLUMNS[column]))
        for k, name in enumerate(names):
            r = row + 2 + k
            labels.append(Label(s2, f"A{r}", TABLE2_ROWS[name][1]))
            for n, column in enumerate(columns):
                first = 2 + n * width
                figures.append(Figure(s2, f"{_letter(first)}{r}", _range(r, first, first + width - 1), ("2", name, column)))
        row += 2 + len(names)
    # table 3: the header in rows 1–3, labels in A–C, the seven columns in D–J
    labels += [
        Label(s3, "A1:C3", "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"),
        Label(s3, "D1:J1", "申请人情况"),
        Label(s3, "D2:D3", TABLE3_COLUMNS["natural"]),
        Label(s3, "E2:I2", "法人或其他组织"),
        Label(s3, "J2:J3", TABLE3_COLUMNS["total"]),
        *(Label(s3, f"{_letter(5 + n)}3", TABLE3_COLUMNS[c]) for n, c in enumerate(a for a in APPLICANTS if a != "natural")),
    ]
    order = list(TABLE3_ROWS)
    at = {name: FIRST + n for n, name in enumerate(order)}
    grouped = {r: heading for heading, rows in TABLE3_GROUPS.items() for r in rows}
    for name in order:
        r = at[name]
        if name in ("new", "carried_in", "carried_out"):
            labels.append(Label(s3, f"A{r}:C{r}", TABLE3_ROWS[name]))
        elif name in grouped:
            labels.append(Label(s3, f"C{r}", TABLE3_ROWS[name]))
        else:
            labels.append(Label(s3, f"B{r}:C{r}", TABLE3_ROWS[name]))
        for n, column in enumerate(TABLE3_COLUMNS):
            figures.append(Figure(s3, f"{_letter(4 + n)}{r}", f"{_letter(4 + n)}{r}", ("3", name, column)))
    labels.append(Label(s3, f"A{at['disclosed']}:A{at['answered']}", "三、本年度办理结果"))
    for heading, rows in TABLE3_GROUPS.items():
        labels.append(Label(s3, f"B{at[rows[0]]}:B{at[rows[-1]]}", heading))
    # table 4: three header rows, one row of fifteen figures
    outcomes = list(TABLE4_OUTCOMES)
    labels += [
        Label(s4, "A1:E1", "行政复议"),
        Label(s4, "F1:O1", "行政诉讼"),
        Label(s4, "F2:J2", "未经复议直接起诉"),
        Label(s4, "K2:O2", "复议后起诉"),
    ]
    labels += [Label(s4, f"{_letter(1 + n)}2:{_letter(1 + n)}3", TABLE4_OUTCOMES[o]) for n, o in enumerate(outcomes)]
    labels += [Label(s4, f"{_letter(6 + n)}3", TABLE4_OUTCOMES[o]) for n, o in enumerate(outcomes * 2)]
    for g, group in enumerate(TABLE4_GROUPS):
        for n, outcome in enumerate(outcomes):
            column = _letter(1 + g * len(outcomes) + n)
            figures.append(Figure(s4, f"{column}{FIRST}", f"{column}{FIRST}", ("4", group, outcome)))
    return labels, figures


def write_disclosure_template(data_dir: Path, office: str, year: int, output: Path) -> Path:
    """The workbook of the office-year's three tables, prefilled with its ``disclosure.csv`` where it has one
    (else zeros: a table of zeros is complete), with validation on every figure."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.worksheet.datavalidation import DataValidation

    catalog = load_catalog(data_dir)
    if catalog.unknown_office(office, data_dir):
        raise InputError(catalog.unknown_office(office, data_dir))
    place = locate(data_dir, office, year, DISCLOSURE_KIND)
    existing, _ = load_disclosure(place.data_file) if place.data_file.is_file() else (None, [])
    wb = Workbook()
    wb.remove(wb.active)
    line = Side(style="thin", color="808080")
    box = Border(left=line, right=line, top=line, bottom=line)
    head = PatternFill("solid", fgColor="F2F2F2")
    for table, name in SHEETS.items():
        ws = wb.create_sheet(name)
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.column_dimensions["A"].width = 18 if table != "4" else 9
        for n in range(2, 16):
            ws.column_dimensions[_letter(n)].width = 9
        if table == "3":
            ws.column_dimensions["B"].width = 14
            ws.column_dimensions["C"].width = 34
    labels, figures = layout()
    for label in labels:
        ws = wb[label.sheet]
        if ":" in label.cells:
            ws.merge_cells(label.cells)
        cell = ws[label.cells.split(":")[0]]
        cell.value = label.text
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center" if label.sheet != SHEETS["3"] else "left")
        cell.fill, cell.font = head, Font(bold=False)
        for row in ws[label.cells] if ":" in label.cells else [[cell]]:
            for part in row:
                part.border = box
    rules = {
        "count": 'OR(AND(ISNUMBER({c}),{c}>=0,{c}=INT({c})),{c}="/")',
        "amount": 'OR(AND(ISNUMBER({c}),{c}>=0),{c}="/")',
    }
    for figure in figures:
        ws = wb[figure.sheet]
        if ":" in figure.span:
            ws.merge_cells(figure.span)
        cell = ws[figure.cell]
        value = existing.values.get(figure.key, Decimal(0)) if existing is not None else Decimal(0)
        cell.value = NOT_APPLICABLE if value is None else (float(value) if figure.key[2] == "amount" else int(value))
        cell.alignment, cell.border = Alignment(horizontal="center", vertical="center"), box
        which = "amount" if figure.key[2] == "amount" else "count"
        rule = DataValidation(
            type="custom",
            formula1=rules[which].format(c=figure.cell),
            allow_blank=True,
            showErrorMessage=True,
            errorTitle="政府信息公开工作年度报告",
            error="请填不小于0的整数（收费金额可有小数，单位万元）；不适用填 /",
        )
        rule.add(figure.cell)
        ws.add_data_validation(rule)
    notes = wb.create_sheet("填写说明")
    for text in (
        "填写说明",
        "1. 三张工作表按《中华人民共和国政府信息公开工作年度报告格式》（国办公开办函〔2021〕30号）的表格排列，灰色为表头和行名，请勿修改。",
        "2. 每格填不小于0的整数；表二“行政事业性收费”填收费金额（万元），可有小数。",
        "3. 不适用的项目填 /（例如街道没有制发规章的职权），不要填0：0表示适用但本年为零。",
        "4. 表三每一列须满足：第一项加第二项之和，等于第三项加第四项之和；总计列等于六类申请人之和。",
        f"5. 填好后运行：annual-report import 本文件.xlsx --office 单位编号 --year {year}",
    ):
        notes.append([text])
    notes.column_dimensions["A"].width = 110
    output.parent.mkdir(parents=True, exist_ok=True)
    wb.save(output)
    return output


def is_disclosure_workbook(path: Path) -> bool:
    """A workbook of this kind: it has the sheet of table 3 (one that is no workbook at all, or too large, is
    left to the values importer to refuse, located)."""
    from zipfile import BadZipFile

    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    if _open_problem(path, display_path(path)) is not None:
        return False
    try:
        wb = load_workbook(path, read_only=True)
    except (InvalidFileException, BadZipFile, OSError, KeyError, ValueError, TypeError):
        return False
    try:
        return SHEETS["3"] in wb.sheetnames
    finally:
        wb.close()


def read_disclosure_workbook(path: Path) -> tuple[Disclosure | None, list[Problem]]:
    """The three tables of the workbook, every problem located by sheet, row and column letter: a label moved
    or changed, a cell that is no figure, a formula, a hidden sheet."""
    from openpyxl import load_workbook

    file = display_path(path)
    problem = _open_problem(path, file)
    if problem:
        return None, [problem]
    wb = load_workbook(path, data_only=False)
    problems: list[Problem] = []
    hidden = [ws.title for ws in wb.worksheets if ws.sheet_state != "visible"]
    if hidden:
        return None, [Problem(file, 0, "*", f"工作簿中有隐藏的工作表“{'”“'.join(hidden)}”：请删除或取消隐藏后再导入")]
    missing = [name for name in SHEETS.values() if name not in wb.sheetnames]
    if missing:
        return None, [
            Problem(file, 0, "*", f"缺少工作表“{'”“'.join(missing)}”：请用 annual-report template --kind 政府信息公开工作年度报告 生成的工作簿")
        ]
    labels, figures = layout()
    for label in labels:
        cell = wb[label.sheet][label.cells.split(":")[0]]
        said = _cell_text(cell).replace(" ", "")
        if said != label.text.replace(" ", ""):
            problems.append(
                Problem(
                    file, cell.row, cell.column_letter, f"{label.sheet} {cell.coordinate} 应为“{label.text}”，却是“{said}”：表格的行列不可移动或改写"
                )
            )
    data = Disclosure(file)
    for figure in figures:
        cell = wb[figure.sheet][figure.cell]
        # every identity is said at the cell it names, as the sheet shows it
        data.rows[figure.key], data.columns[figure.key] = cell.row, f"{figure.sheet}!{cell.column_letter}"
        where = f"{figure.sheet} {cell.coordinate}（{cells_of(figure.key[0])[figure.key[1:]]}）"
        if cell.data_type == "f":
            problems.append(Problem(file, cell.row, cell.column_letter, f"{where}是公式：请直接填写数值"))
            continue
        text = _cell_text(cell)
        if text == "":
            continue  # left blank: 0, as a cell left out of disclosure.csv
        if text in (NOT_APPLICABLE, "／"):
            data.values[figure.key] = None
            continue
        try:
            value = Decimal(text)
        except ArithmeticError:
            problems.append(Problem(file, cell.row, cell.column_letter, f"{where}：“{text}”不是数字（不适用请填 /）"))
            continue
        if value < 0 or (figure.key[2] != "amount" and value != value.to_integral_value()):
            problems.append(Problem(file, cell.row, cell.column_letter, f"{where}：须为不小于0的整数，却是{text}"))
            continue
        data.values[figure.key] = value
    wb.close()
    return (None if problems else data), problems


def import_disclosure_workbook(path: Path, data_dir: Path, office: str, year: int, force: bool = False) -> WriteLog:
    """Check the workbook's tables (cells, then every identity) and write the office-year's ``disclosure.csv``."""
    catalog = load_catalog(data_dir)
    problems = catalog.unknown_office(office, data_dir)
    data, found = read_disclosure_workbook(path)
    problems += found
    place = locate(data_dir, office, year, DISCLOSURE_KIND)
    if data is not None:
        last = locate(data_dir, office, year - 1, DISCLOSURE_KIND).data_file
        previous = load_disclosure(last)[0] if last.is_file() else None
        problems += [p for p in check(data, previous) if not p.warning]  # at the workbook's cell that states the total
    if problems:
        raise InputError(problems)
    assert data is not None
    writer = DataWriter(data_dir)
    with writer.locked(office):
        writer.check([place.data_file])
        before = load_disclosure(place.data_file)[0] if place.data_file.is_file() else None
        writer.write(place.data_file, to_csv(data, before.sources if before is not None else {}), force)
    return writer.log
