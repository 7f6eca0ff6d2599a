"""A published 政府信息公开工作年度报告's tables read back from text as pages give them: cells apart by | (a
table as text) or one a line (flattened), in the 2021 format and the 2019 trial format, then checked by the
same identities. The layouts are those of published pages; the numbers are made up here."""

from __future__ import annotations

from helpers.data.disclosure import TABLE3_COLUMNS, TABLE3_ROWS, check
from helpers.ingest.disclosure_tables import read_tables

HEAD = (
    "三、收到和处理政府信息公开申请情况\n（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和） | 申请人情况 |\n"
    "自然人 | 法人或其他组织 | 总计 |\n商业企业 | 科研机构 | 社会公益组织 | 法律服务机构 | 其他 |\n"
)
#: 6 new (5 persons, 1 business), 1 carried in; 5 answered: 2 disclosed, 1 partly, 1 not held, 1 repeat; 2 carried out.
ROWS = {
    "new": (5, 1),
    "carried_in": (1, 0),
    "disclosed": (2, 0),
    "partly": (1, 0),
    "unable_not_held": (0, 1),
    "declined_repeat": (1, 0),
    "answered": (4, 1),
    "carried_out": (2, 0),
}
TABLE2 = (
    "二、主动公开政府信息情况\n第二十条第(一)项 | |||\n信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |\n"
    "规章 | 0 | 0 | 0 |\n行政规范性文件 | 4 | 0 | 4 |\n第二十条第(五)项 | |||\n信息内容 | 本年处理决定数量 | ||\n行政许可 | 0 | ||\n"
    "第二十条第(六)项 | |||\n信息内容 | 本年处理决定数量 | ||\n行政处罚 | 12 | ||\n行政强制 | 0 | ||\n"
)
TABLE4 = (
    "四、政府信息公开行政复议、行政诉讼情况\n行政复议 | 行政诉讼 |\n"
    "结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计 | 未经复议直接起诉 | 复议后起诉 |\n"
    + " | ".join(["1", "0", "0", "0", "1", *["0"] * 10])
    + " |\n五、存在的主要问题及改进情况\n"
)


def _row(row: str, sep: str) -> str:
    person, business = ROWS.get(row, (0, 0))
    cells = [person, business, 0, 0, 0, 0, person + business]
    label = TABLE3_ROWS[row].replace("（", "(").replace("）", ")")  # pages print half-width brackets as often
    return sep.join([label, *map(str, cells)]) + sep


def page(sep: str = " | ", trial: bool = False) -> str:
    rows = [r for r in TABLE3_ROWS if not (trial and r in ("other_overdue", "other_unpaid", "other_rest"))]
    text = [_row(r, sep) for r in rows]
    if trial:
        at = [r for r in rows].index("answered")
        text.insert(at, "（六）其他处理" + sep + sep.join(["0"] * 7) + sep)
    head = TABLE2 if not trial else "第二十条第(一)项\n信息内容 | 本年新制作数量 | 本年新公开数量 | 对外公开总数量 |\n规范性文件 | 0 | 0 | 0 |\n"
    return head + HEAD + "三、本年度办理结果" + sep + "\n".join(text) + "\n" + TABLE4


def test_a_table_as_text_is_read_cell_by_cell_and_adds_up():
    read = read_tables(page(), "page.html")
    assert read.layout == "2021" and read.notes == [], read.notes
    data = read.data
    assert data.get("3", "new", "natural") == 5 and data.get("3", "new", "business") == 1 and data.get("3", "new", "total") == 6
    assert data.get("3", "declined_repeat", "total") == 1 and data.get("2", "normative", "in_force") == 4
    assert data.get("2", "penalty", "decisions") == 12 and data.get("4", "review", "total") == 1
    assert check(data) == []


def test_a_table_flattened_one_cell_a_line_is_read_the_same():
    flat = read_tables(page(sep="\n"), "page.html")
    assert flat.data.values == read_tables(page(), "page.html").data.values


def test_a_published_table_that_does_not_add_up_is_reported_located_by_table_row_and_column():
    broken = page().replace("四、结转下年度继续办理 | 2 |", "四、结转下年度继续办理 | 3 |")
    found = [p.message for p in check(read_tables(broken, "page.html").data)]
    assert any("表三" in m and "“（七）总计”·自然人" in m and "结转下年度3" in m for m in found), found


def test_the_2019_trial_format_is_recognised_its_single_other_row_mapped_and_said():
    read = read_tables(page(trial=True), "page.html")
    assert read.layout == "2019" and any("2019年试行格式" in note and "（六）3.其他" in note for note in read.notes)
    assert ("3", "other_rest", "total") in read.data.values and ("2", "normative", "in_force") not in read.data.values
    assert check(read.data) == []


def test_a_row_with_too_few_numbers_and_a_missing_table_are_said():
    short = page().replace(_row("partly", " | "), "(二)部分公开(区分处理的，只计这一情形，不计其他情形) | 1 | 0 |")
    read = read_tables(short.replace(TABLE4, ""), "page.html")
    assert any("部分公开" in note and "只读到2个数" in note for note in read.notes), read.notes
    assert not any(key[0] == "4" for key in read.data.values) and any("没有找到表四" in note for note in read.notes)
    assert len(TABLE3_COLUMNS) == 7
