"""The Excel workbook: made from the catalog, imported with located errors, lossless both ways."""

from __future__ import annotations

import csv
import hashlib
import io
from datetime import datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook

from helpers.data.excel import SHEET, import_workbook, write_template
from helpers.errors import InputError

from ..conftest import DATA


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize("year", [2022, 2023, 2024])
def test_a_round_trip_through_the_workbook_keeps_every_value(data_copy: Path, tmp_path: Path, year: int):
    book = write_template(data_copy, "taoyuan", year, tmp_path / "t.xlsx")
    values = data_copy / "taoyuan" / str(year) / "values.csv"
    original = values.read_bytes()
    log = import_workbook(book, data_copy, "taoyuan", year, force=True)
    assert values.read_bytes() == original
    assert log.unchanged == [values] and not log.backups  # the same figures: nothing to back up


def test_the_template_lists_every_indicator_with_validation(tmp_path: Path):
    book = write_template(DATA, "taoyuan", 2024, tmp_path / "t.xlsx")
    ws = load_workbook(book)[SHEET]
    assert [c.value for c in ws[1]][:5] == ["指标编号", "指标名称", "单位", "类别", "数值"]
    assert ws.max_row == 1 + 38
    rules = {(str(dv.sqref), dv.type) for dv in ws.data_validations.dataValidation}
    assert ("F2:F39", "list") in rules and ("G2:G39", "date") in rules
    assert any(t == "whole" for _, t in rules) and any(t == "decimal" for _, t in rules)


def test_a_percent_cell_and_a_date_cell_mean_what_the_clerk_typed(data_copy: Path, tmp_path: Path):
    book = write_template(data_copy, "taoyuan", 2024, tmp_path / "t.xlsx")
    wb = load_workbook(book)
    ws = wb[SHEET]
    row = next(r for r in ws.iter_rows(min_row=2) if r[0].value == "appeals.resolution_rate")
    row[4].value, row[4].number_format = 0.916, "0.0%"
    row = next(r for r in ws.iter_rows(min_row=2) if r[0].value == "mediation.cases")
    row[6].value = datetime(2024, 10, 31)
    wb.save(book)
    import_workbook(book, data_copy, "taoyuan", 2024, force=True)
    text = (data_copy / "taoyuan" / "2024" / "values.csv").read_text(encoding="utf-8")
    assert "appeals.resolution_rate,91.6," in text and "mediation.cases,502,,2024-10-31," in text


def test_workbook_errors_name_the_sheet_row_and_column_letter_and_nothing_is_written(data_copy: Path, tmp_path: Path):
    book = write_template(data_copy, "taoyuan", 2024, tmp_path / "t.xlsx")
    wb = load_workbook(book)
    ws = wb[SHEET]
    ws["E19"] = -3  # safety.drills
    ws["E23"] = "很多"  # mediation.cases
    ws["A24"] = "mediation.won"
    wb.save(book)
    before, values = sha(book), data_copy / "taoyuan" / "2024" / "values.csv"
    original = values.read_bytes()
    with pytest.raises(InputError) as caught:
        import_workbook(book, data_copy, "taoyuan", 2024, force=True)
    lines = [str(p) for p in caught.value.problems]
    assert any(line.endswith("t.xlsx:19:E: “-3”为负数：应急演练活动不能小于0") for line in lines), lines
    assert any(":23:E: “很多”不是数字" in line for line in lines), lines
    assert any(":24:A: 未知指标“mediation.won”" in line for line in lines), lines
    assert sha(book) == before and values.read_bytes() == original


def test_import_does_not_overwrite_without_force(data_copy: Path, tmp_path: Path):
    book = write_template(data_copy, "taoyuan", 2024, tmp_path / "t.xlsx")
    values = data_copy / "taoyuan" / "2024" / "values.csv"
    original = values.read_bytes()
    log = import_workbook(book, data_copy, "taoyuan", 2024)
    assert log.unchanged == [values] and values.read_bytes() == original


@pytest.mark.parametrize("text", ['=HYPERLINK("http://evil.example","点此")', "+cmd|' /C calc'!A0", "-1+2", "@SUM(1,2)"])
def test_text_from_data_never_becomes_a_live_formula_in_the_template(data_copy: Path, tmp_path: Path, text: str):
    values = data_copy / "taoyuan" / "2024" / "values.csv"
    rows = list(csv.reader(io.StringIO(values.read_text(encoding="utf-8"))))
    for row in rows:
        if row[0] == "safety.drills":
            row[4] = text
    with values.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)
    book = write_template(data_copy, "taoyuan", 2024, tmp_path / "t.xlsx")
    cells = [c for row in load_workbook(book)[SHEET].iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    assert any(c.value == text and c.data_type == "s" for c in cells)


def test_import_into_a_new_years_empty_values_needs_no_force(data_copy: Path, tmp_path: Path):
    from helpers.data.scaffold import new_year

    new_year(data_copy, "taoyuan", 2025)
    book = write_template(data_copy, "taoyuan", 2024, tmp_path / "t.xlsx")
    wb = load_workbook(book)
    for row in wb[SHEET].iter_rows(min_row=2):
        row[6].value = None  # 2024's period ends do not belong to 2025
    wb.save(book)
    log = import_workbook(book, data_copy, "taoyuan", 2025)
    year = data_copy / "taoyuan" / "2025"
    assert log.written == [year / "values.csv"] and not log.backups
    assert "mediation.cases,502," in (year / "values.csv").read_text(encoding="utf-8")
    assert not list(year.glob("*.bak-*"))
