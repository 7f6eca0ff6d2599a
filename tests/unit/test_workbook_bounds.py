"""A workbook is untrusted: hidden sheets, enormous sheets and enormous cells are refused, located,
before they can cost memory or slip figures past the clerk's eyes."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from helpers.data.excel import MAX_CELL, MAX_ROWS, SHEET, import_workbook, write_template
from helpers.errors import InputError


def refused(book: Path, data: Path) -> list[str]:
    values = data / "taoyuan" / "2024" / "values.csv"
    before = values.read_bytes()
    with pytest.raises(InputError) as caught:
        import_workbook(book, data, "taoyuan", 2024, force=True)
    assert values.read_bytes() == before
    return [str(p) for p in caught.value.problems]


def test_a_hidden_sheet_is_refused_and_named(data_copy: Path, tmp_path: Path):
    book = write_template(data_copy, "taoyuan", 2024, tmp_path / "t.xlsx")
    wb = load_workbook(book)
    wb[SHEET]["E19"] = 999  # the figure nobody sees
    wb[SHEET].sheet_state = "hidden"
    visible = wb.copy_worksheet(wb[SHEET])
    visible.title, visible.sheet_state, visible["E19"] = "数据", "visible", 22
    wb.active = wb.sheetnames.index("数据")
    wb.save(book)
    assert refused(book, data_copy) == [f"{book}:0:*: 工作簿中有隐藏的工作表“{SHEET}”：导入只读看得见的内容，请在 Excel 中删除或取消隐藏后再导入"]


def test_a_cell_longer_than_the_bound_is_refused_where_it_is(data_copy: Path, tmp_path: Path):
    book = write_template(data_copy, "taoyuan", 2024, tmp_path / "t.xlsx")
    wb = load_workbook(book)
    wb[SHEET]["I19"] = "长" * (MAX_CELL + 1)
    wb.save(book)
    assert refused(book, data_copy) == [f"{book}:19:I: 单元格有{MAX_CELL + 1}个字符，超过{MAX_CELL}：请精简"]


def test_a_sheet_with_more_rows_than_the_bound_is_refused(data_copy: Path, tmp_path: Path):
    book = write_template(data_copy, "taoyuan", 2024, tmp_path / "t.xlsx")
    wb = load_workbook(book)
    for row in range(100, MAX_ROWS + 10):
        wb[SHEET].cell(row=row, column=5, value=1)
    wb.save(book)
    assert refused(book, data_copy) == [f"{book}:{MAX_ROWS + 1}:*: 工作表超过{MAX_ROWS}行：填报表只需各指标一行，其余未读取"]


def _raw_workbook(path: Path, sheet_xml: str, shared: str = "") -> None:
    """A minimal .xlsx written part by part, as a hostile file would be (openpyxl would take minutes)."""
    parts = {
        "[Content_Types].xml": '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        "</Types>",
        "_rels/.rels": '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
        "</Relationships>",
        "xl/workbook.xml": '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
        '<sheet name="数据填报" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
        'Target="worksheets/sheet1.xml"/>'
        "</Relationships>",
        "xl/worksheets/sheet1.xml": sheet_xml,
    }
    if shared:
        parts["xl/sharedStrings.xml"] = shared
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            archive.writestr(name, text)


MEASURE = """
import sys, time
from pathlib import Path
from helpers.data.excel import read_workbook
start = time.perf_counter()
frame, letters, problems = read_workbook(Path(sys.argv[1]))
status = Path("/proc/self/status").read_text().split("VmHWM:")[1]  # this process's own peak (maxrss survives exec)
print(time.perf_counter() - start, int(status.split()[0]) // 1024)
print(problems[0])
"""


@pytest.mark.parametrize("case", ["a million rows", "one enormous shared string"])
def test_an_enormous_workbook_is_refused_within_bounded_time_and_memory(tmp_path: Path, case: str):
    book = tmp_path / "big.xlsx"
    head = '<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
    if case == "a million rows":
        rows = "".join(f'<row r="{n}"><c r="A{n}" t="inlineStr"><is><t>x</t></is></c><c r="E{n}"><v>{n}</v></c></row>' for n in range(1, 1_000_001))
        _raw_workbook(book, head + rows + "</sheetData></worksheet>")
    else:
        shared = (
            '<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" '
            'uniqueCount="1"><si><t>' + "a" * 189_000_000 + "</t></si></sst>"
        )
        _raw_workbook(book, head + '<row r="1"><c r="A1" t="s"><v>0</v></c></row></sheetData></worksheet>', shared)
    done = subprocess.run([sys.executable, "-c", MEASURE, str(book)], capture_output=True, text=True, timeout=120, check=True)
    timing, problem = done.stdout.splitlines()
    seconds, megabytes = float(timing.split()[0]), int(timing.split()[1])
    assert problem.startswith(f"{book}:0:*: 工作簿") and "MB 的上限" in problem, problem  # its file or its unpacked size
    assert seconds < 60 and megabytes < 500, (seconds, megabytes)
