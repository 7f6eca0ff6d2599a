"""The 政府信息公开工作年度报告's tables as a clerk fills them in Excel: laid out as the format prints them
(merged headers, exact labels), every figure validated, read back into disclosure.csv exactly; a broken identity,
a moved label or a formula refused, located by sheet, row and column letter; the file kept as it was."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook

from helpers.data.disclosure import load_disclosure
from helpers.data.disclosure_workbook import SHEETS, import_disclosure_workbook, write_disclosure_template
from helpers.errors import InputError

ROOT = Path(__file__).resolve().parents[2]
CSV = Path("xinhe", "gov-info-disclosure", "2024", "disclosure.csv")


def test_the_workbook_is_laid_out_as_printed_with_every_figure_validated(data_copy: Path, tmp_path: Path):
    book = write_disclosure_template(data_copy, "xinhe", 2024, tmp_path / "表格.xlsx")
    wb = load_workbook(book)
    assert wb.sheetnames == [*SHEETS.values(), "填写说明"]
    three = wb[SHEETS["3"]]
    merged = {str(r) for r in three.merged_cells.ranges}
    assert {"A1:C3", "D1:J1", "E2:I2", "D2:D3", "J2:J3", "A6:A27"} <= merged  # the format's merged headings
    assert three["A4"].value == "一、本年新收政府信息公开申请数量" and three["J4"].value == 18
    assert three["A6"].value == "三、本年度办理结果" and three["B8"].value == "（三）不予公开" and three["C8"].value == "1.属于国家秘密"
    assert wb[SHEETS["2"]]["B4"].value == "/"  # 规章 does not apply to a 街道
    validated = {str(ref) for rule in three.data_validations.dataValidation for ref in rule.sqref.ranges}
    assert {f"{c}{r}" for c in "DEFGHIJ" for r in range(4, 29)} <= validated


def test_a_filled_workbook_becomes_the_same_tables_and_keeps_each_source(data_copy: Path, tmp_path: Path):
    before, _ = load_disclosure(data_copy / CSV)
    book = write_disclosure_template(data_copy, "xinhe", 2024, tmp_path / "表格.xlsx")
    import_disclosure_workbook(book, data_copy, "xinhe", 2024, force=True)
    after, problems = load_disclosure(data_copy / CSV)
    assert problems == [] and {k: v for k, v in after.values.items() if v != 0} == {k: v for k, v in before.values.items() if v != 0}
    assert after.illustrative  # the 示例 mark of every cell stays


def test_every_fault_of_a_workbook_is_refused_located_and_nothing_is_written(data_copy: Path, tmp_path: Path):
    book = write_disclosure_template(data_copy, "xinhe", 2024, tmp_path / "表格.xlsx")
    wb = load_workbook(book)
    three, four = wb[SHEETS["3"]], wb[SHEETS["4"]]
    three["D4"] = 15  # 新收·自然人: the column and the row no longer add up
    three["E5"] = "两"  # no figure
    four["A4"] = "=1+1"  # a formula
    wb[SHEETS["2"]]["A4"] = "规章制度"  # a label rewritten
    wb.save(book)
    before = (data_copy / CSV).read_bytes()
    result = subprocess.run(
        [sys.executable, "-m", "helpers.cli", "import", str(book), "--office", "xinhe", "--year", "2024", "--data-dir", str(data_copy), "--force"],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert result.returncode == 2 and "Traceback" not in result.stderr
    said = result.stderr
    assert f"{book}:5:E: 表三 依申请公开 E5（“二、上年结转政府信息公开申请数量”·商业企业）：“两”不是数字（不适用请填 /）" in said
    assert f"{book}:4:A: 表四 复议诉讼 A4（行政复议·结果维持）是公式：请直接填写数值" in said
    assert f"{book}:4:A: 表二 主动公开 A4 应为“规章”，却是“规章制度”：表格的行列不可移动或改写" in said
    assert (data_copy / CSV).read_bytes() == before


def test_a_workbook_whose_tables_do_not_add_up_is_refused_at_the_cell_of_the_total(data_copy: Path, tmp_path: Path):
    book = write_disclosure_template(data_copy, "xinhe", 2024, tmp_path / "表格.xlsx")
    wb = load_workbook(book)
    wb[SHEETS["3"]]["D4"] = 15
    wb.save(book)
    with pytest.raises(InputError) as caught:
        import_disclosure_workbook(book, data_copy, "xinhe", 2024, force=True)
    where = {(p.row, p.column) for p in caught.value.problems}
    assert (4, "表三 依申请公开!J") in where  # 新收's 总计 column is not the sum of the six
    assert (27, "表三 依申请公开!D") in where  # 自然人: 新收 + 上年结转 ≠ 总计 + 结转下年度
