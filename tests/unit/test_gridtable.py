"""Grid tables with merged cells: what helpers.document.gridtable writes is read back by pandoc (the reader of
both engines) with every span and every cell's text where it was put."""

from __future__ import annotations

import json
import subprocess

import pypandoc
import pytest

from helpers.document.gridtable import Cell, grid_table, width, wrap


def _read(markdown: str) -> dict:
    """pandoc's table: head and body rows as (text, rowspan, colspan) per cell."""
    out = subprocess.run([pypandoc.get_pandoc_path(), "-f", "markdown", "-t", "json"], input=markdown, capture_output=True, text=True, check=True)
    table = next(b for b in json.loads(out.stdout)["blocks"] if b["t"] == "Table")
    _, _, colspecs, head, bodies, _ = table["c"]

    def text(inlines: list) -> str:  # a line break inside a cell joins Chinese lines (report/filters/blocks.lua)
        return "".join(i["c"] if i["t"] == "Str" else " " if i["t"] == "Space" else "" for i in inlines)

    def rows(raw: list) -> list[list[tuple[str, int, int]]]:
        return [[(" ".join(text(b["c"]) for b in cell[4]), cell[2], cell[3]) for cell in row[1]] for row in raw]

    return {"columns": len(colspecs), "aligns": [c[0]["t"] for c in colspecs], "head": rows(head[1]), "body": rows(bodies[0][3])}


def test_merged_header_cells_keep_their_spans_and_text():
    rows = [
        [Cell("勾稽关系", 2, 2), Cell("申请人情况", 3)],
        [Cell("自然人"), Cell("法人或其他组织"), Cell("总计")],
        [Cell("一、本年新收政府信息公开申请数量", 2), Cell("14"), Cell("3"), Cell("17")],
        [Cell("三、本年度办理结果", 1, 2), Cell("（一）予以公开"), Cell("5"), Cell("/"), Cell("5")],
        [Cell("（二）部分公开"), Cell("0"), Cell("0"), Cell("0")],
    ]
    table = _read(grid_table(rows, [6, 14, 6, 6, 6], header_rows=2, aligns="llccc"))
    assert table["columns"] == 5
    assert table["head"] == [[("勾稽关系", 2, 2), ("申请人情况", 1, 3)], [("自然人", 1, 1), ("法人或其他组织", 1, 1), ("总计", 1, 1)]]
    assert table["body"][0] == [("一、本年新收政府信息公开申请数量", 1, 2), ("14", 1, 1), ("3", 1, 1), ("17", 1, 1)]
    assert table["body"][1][0] == ("三、本年度办理结果", 2, 1) and table["body"][1][3] == ("/", 1, 1)
    assert table["body"][2] == [("（二）部分公开", 1, 1), ("0", 1, 1), ("0", 1, 1), ("0", 1, 1)]
    assert table["aligns"][2:] == ["AlignCenter"] * 3


def test_a_long_cell_is_wrapped_to_its_width_and_no_line_begins_with_a_closing_mark():
    lines = wrap("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", 20)
    assert all(width(line) <= 20 for line in lines) and "".join(lines).startswith("（本列")
    assert not any(line[0] in "，。、；：）" for line in lines[1:])
    markdown = grid_table([[Cell("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"), Cell("1")]], [20, 4])
    assert len(markdown.splitlines()) > 3  # wrapped over lines in the source, one cell for pandoc
    assert _read(markdown)["body"][0][1] == ("1", 1, 1)


def test_a_row_that_does_not_fill_the_columns_is_refused():
    with pytest.raises(ValueError, match="第2行"):
        grid_table([[Cell("a"), Cell("b")], [Cell("c")]], [4, 4])
