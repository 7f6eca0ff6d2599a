"""A title is broken between words, in the standard's shape (GB/T 9704 7.3.1)."""

from __future__ import annotations

import pytest

from helpers.document.titles import title_lines, width

TITLES = {
    "深圳市南山区桃源街道办事处2024年法治政府建设年度报告": ["深圳市南山区桃源街道办事处", "2024年法治政府建设年度报告"],
    "塘栖镇法治政府建设年度报告(2024年度)": ["塘栖镇法治政府建设年度报告(2024年度)"],
    "长沙县黄花镇党政主要负责人2024年度履行推进法治建设第一责任人职责情况报告": [
        "长沙县黄花镇党政主要负责人2024年度",
        "履行推进法治建设第一责任人职责情况报告",
    ],
    "广州市南沙区南沙街道办事处关于2024年法治政府建设工作情况的报告": ["广州市南沙区南沙街道办事处", "关于2024年法治政府建设工作情况的报告"],
}


@pytest.mark.parametrize("title", sorted(TITLES))
def test_a_title_breaks_between_words_into_a_trapezoid(title):
    lines = title_lines(title)
    assert lines == TITLES[title]
    assert "".join(lines) == title
    assert all(width(line) <= 20 for line in lines)
    if len(lines) == 2:
        assert width(lines[0]) <= width(lines[1])


def test_a_title_never_breaks_inside_the_words_of_its_kind():
    for line in title_lines("示例市示例区示例街道办事处（示例）2024年法治政府建设年度报告"):
        assert not line.endswith("法治政府") and not line.startswith("建设")
