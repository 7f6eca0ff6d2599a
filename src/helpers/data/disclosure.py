"""The 政府信息公开工作年度报告's tables in the national format (国办公开办函〔2021〕30号), declared once, and
the arithmetic between their cells, checked to the unit.

An office fills the tables in as a tidy CSV, ``data/<office>/<year>/disclosure.csv``: one row a cell, with
the columns ``table`` (2, 3 or 4), ``row`` and ``column`` (the ids below) and ``value`` (a whole number; an
amount in 万元 in table 2's 收费 row; ``/`` where the measure does not apply, which is not 0), and optionally ``source`` (示例 marks made-up
figures). A cell left out
is 0, as a printed table of zeros says. Every failed identity names the table, the printed row label and
column, all at once.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from ..errors import Problem
from .csvfile import display_path, formula_safe, read_csv

FILE = "disclosure.csv"
NOT_APPLICABLE = "/"

# --- the format ------------------------------------------------------------------------------------

#: Table 2 (主动公开政府信息情况): sub-tables keyed to 条例 第二十条, their rows and columns.
TABLE2_ROWS = {
    "rules": ("第二十条第（一）项", "规章"),
    "normative": ("第二十条第（一）项", "行政规范性文件"),
    "licensing": ("第二十条第（五）项", "行政许可"),
    "penalty": ("第二十条第（六）项", "行政处罚"),
    "enforcement": ("第二十条第（六）项", "行政强制"),
    "fees": ("第二十条第（八）项", "行政事业性收费"),
}
TABLE2_COLUMNS = {
    "issued": "本年制发件数",
    "repealed": "本年废止件数",
    "in_force": "现行有效件数",
    "decisions": "本年处理决定数量",
    "amount": "本年收费金额（单位：万元）",
}
#: Which columns each row of table 2 has.
TABLE2_CELLS = {
    "rules": ("issued", "repealed", "in_force"),
    "normative": ("issued", "repealed", "in_force"),
    "licensing": ("decisions",),
    "penalty": ("decisions",),
    "enforcement": ("decisions",),
    "fees": ("amount",),
}

#: Table 3 (收到和处理政府信息公开申请情况): the applicant columns, the 总计 column last.
TABLE3_COLUMNS = {
    "natural": "自然人",
    "business": "商业企业",
    "research": "科研机构",
    "public_interest": "社会公益组织",
    "legal": "法律服务机构",
    "other_org": "其他",
    "total": "总计",
}
APPLICANTS = tuple(c for c in TABLE3_COLUMNS if c != "total")
#: Its 25 numeric rows with their labels as printed, in order; ``(三)``…``(六)`` group the rows under them.
TABLE3_ROWS = {
    "new": "一、本年新收政府信息公开申请数量",
    "carried_in": "二、上年结转政府信息公开申请数量",
    "disclosed": "（一）予以公开",
    "partly": "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
    "withheld_secret": "1.属于国家秘密",
    "withheld_law": "2.其他法律行政法规禁止公开",
    "withheld_safety": "3.危及“三安全一稳定”",
    "withheld_third_party": "4.保护第三方合法权益",
    "withheld_internal": "5.属于三类内部事务信息",
    "withheld_process": "6.属于四类过程性信息",
    "withheld_case_file": "7.属于行政执法案卷",
    "withheld_query": "8.属于行政查询事项",
    "unable_not_held": "1.本机关不掌握相关政府信息",
    "unable_to_make": "2.没有现成信息需要另行制作",
    "unable_unclear": "3.补正后申请内容仍不明确",
    "declined_petition": "1.信访举报投诉类申请",
    "declined_repeat": "2.重复申请",
    "declined_publication": "3.要求提供公开出版物",
    "declined_mass": "4.无正当理由大量反复申请",
    "declined_confirm": "5.要求行政机关确认或重新出具已获取信息",
    "other_overdue": "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
    "other_unpaid": "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
    "other_rest": "3.其他",
    "answered": "（七）总计",
    "carried_out": "四、结转下年度继续办理",
}
#: The groups of 三、本年度办理结果, each with its heading as printed.
TABLE3_GROUPS = {
    "（三）不予公开": tuple(r for r in TABLE3_ROWS if r.startswith("withheld_")),
    "（四）无法提供": tuple(r for r in TABLE3_ROWS if r.startswith("unable_")),
    "（五）不予处理": tuple(r for r in TABLE3_ROWS if r.startswith("declined_")),
    "（六）其他处理": ("other_overdue", "other_unpaid", "other_rest"),
}
RESULTS = ("disclosed", "partly", *(r for rows in TABLE3_GROUPS.values() for r in rows))

#: Table 4 (政府信息公开行政复议、行政诉讼情况): three groups of five, each closed by its 总计.
TABLE4_GROUPS = {"review": "行政复议", "suit_direct": "行政诉讼·未经复议直接起诉", "suit_after_review": "行政诉讼·复议后起诉"}
TABLE4_OUTCOMES = {"upheld": "结果维持", "corrected": "结果纠正", "other": "其他结果", "pending": "尚未审结", "total": "总计"}

#: The six parts of the report, in order (ids name the office's prose files, ``narrative/<id>.md``).
PARTS = {
    "overview": "总体情况",
    "proactive": "主动公开政府信息情况",
    "requests": "收到和处理政府信息公开申请情况",
    "review": "政府信息公开行政复议、行政诉讼情况",
    "problems": "存在的主要问题及改进情况",
    "other": "其他需要报告的事项",
}
#: The parts only the office can write: the tables write none of them.
OWN_PARTS = ("overview", "problems", "other")

TABLES = {"2": "表二（主动公开政府信息情况）", "3": "表三（收到和处理政府信息公开申请情况）", "4": "表四（行政复议、行政诉讼情况）"}


def cells_of(table: str) -> dict[tuple[str, str], str]:
    """Every cell a table has, (row, column) → what a reader sees: the printed row label and column."""
    if table == "2":
        return {(r, c): f"{TABLE2_ROWS[r][1]}·{TABLE2_COLUMNS[c]}" for r, cols in TABLE2_CELLS.items() for c in cols}
    if table == "3":
        return {(r, c): f"“{label}”·{TABLE3_COLUMNS[c]}" for r, label in TABLE3_ROWS.items() for c in TABLE3_COLUMNS}
    return {(g, o): f"{TABLE4_GROUPS[g]}·{TABLE4_OUTCOMES[o]}" for g in TABLE4_GROUPS for o in TABLE4_OUTCOMES}


# --- the data --------------------------------------------------------------------------------------


@dataclass
class Disclosure:
    """One office-year's three tables: each cell's value (None: ``/``, does not apply) and the CSV row it was
    given on (0: left out, so 0)."""

    file: str
    values: dict[tuple[str, str, str], Decimal | None] = field(default_factory=dict)
    rows: dict[tuple[str, str, str], int] = field(default_factory=dict)
    illustrative: bool = False  # a ``source`` cell says 示例: made-up figures, said wherever they are shown
    columns: dict[tuple[str, str, str], str] = field(default_factory=dict)  # where a cell is not the CSV's ``value``
    sources: dict[tuple[str, str, str], str] = field(default_factory=dict)  # each cell's ``source``, where given

    def get(self, table: str, row: str, column: str) -> Decimal:
        """A cell as a number: a cell left out, or marked ``/``, counts 0 in a sum."""
        return self.values.get((table, row, column)) or Decimal(0)

    def row_of(self, table: str, row: str, column: str) -> int:
        return self.rows.get((table, row, column), 0)


def load_disclosure(path: Path) -> tuple[Disclosure | None, list[Problem]]:
    """The tables of ``path``, and every problem of its cells, located: an unknown table, row or column, a
    cell given twice, a value that is not a whole number (or ``/``), a negative one."""
    frame, problems = read_csv(path)
    name = display_path(path)
    if frame is None:
        return None, problems
    missing = [c for c in ("table", "row", "column", "value") if c not in frame.columns]
    if missing:
        return None, [*problems, Problem(name, 1, "*", f"缺少列：{'、'.join(missing)}（应为 table,row,column,value）")]
    data = Disclosure(name)
    for number, cell in frame.iterrows():
        table, row, column, text = (str(cell[c]).strip() for c in ("table", "row", "column", "value"))
        if table not in TABLES:
            problems.append(Problem(name, int(number), "table", f"没有表“{table}”：应为 2、3 或 4"))
            continue
        if (row, column) not in cells_of(table):
            where = "row" if row not in {r for r, _ in cells_of(table)} else "column"
            problems.append(Problem(name, int(number), where, f"{TABLES[table]}没有这一格：{row}·{column}"))
            continue
        key = (table, row, column)
        if key in data.rows:
            problems.append(Problem(name, int(number), "value", f"{cells_of(table)[(row, column)]} 已在第{data.rows[key]}行填写"))
            continue
        value, problem = _value(text, key)
        if problem:
            problems.append(Problem(name, int(number), "value", f"{cells_of(table)[(row, column)]}：{problem}"))
            continue
        data.values[key], data.rows[key] = value, int(number)
        source = str(cell.get("source", "") or "").strip()
        if source:
            data.sources[key] = source
        data.illustrative |= "示例" in source
    return data, problems


def _value(text: str, key: tuple[str, str, str]) -> tuple[Decimal | None, str]:
    if text == NOT_APPLICABLE:
        return None, ""
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None, f"“{text}”不是数字（不适用请写 /）"
    if value < 0:
        return None, f"不能为负数（{text}）"
    if key[2] != "amount" and value != value.to_integral_value():
        return None, f"件数须为整数（{text}）"
    return value, ""


# --- the arithmetic --------------------------------------------------------------------------------


def check(data: Disclosure, previous: Disclosure | None = None, final: bool = False) -> list[Problem]:
    """Every identity of the format that does not hold, each located at the cell that states the total:

    - 表三, per column: 新收 + 上年结转 = 总计 + 结转下年度; 总计 = the sum of the result rows;
    - 表三, per row: the 总计 column = the sum of the six applicant columns;
    - 表四, per group: 维持 + 纠正 + 其他 + 尚未审结 = 总计;
    - this year's 上年结转 = last year's 结转下年度 (an error in a final year, a warning in a draft);
    - 表二: 现行有效 = last year's + 本年制发 − 本年废止 (a warning: offices count their documents in force anew).
    """
    problems = []
    for column in TABLE3_COLUMNS:
        given = data.get("3", "new", column) + data.get("3", "carried_in", column)
        closed = data.get("3", "answered", column) + data.get("3", "carried_out", column)
        if given != closed:
            problems.append(
                _problem(
                    data,
                    "3",
                    "answered",
                    column,
                    f"新收{_n(data.get('3', 'new', column))} + 上年结转{_n(data.get('3', 'carried_in', column))} = {_n(given)}，"
                    f"但总计{_n(data.get('3', 'answered', column))} + 结转下年度{_n(data.get('3', 'carried_out', column))} = {_n(closed)}",
                )
            )
        results = sum((data.get("3", r, column) for r in RESULTS), Decimal(0))
        if results != data.get("3", "answered", column):
            problems.append(
                _problem(data, "3", "answered", column, f"总计为{_n(data.get('3', 'answered', column))}，但各项办理结果之和为{_n(results)}")
            )
    for row in TABLE3_ROWS:
        applicants = sum((data.get("3", row, c) for c in APPLICANTS), Decimal(0))
        if applicants != data.get("3", row, "total"):
            problems.append(_problem(data, "3", row, "total", f"总计列为{_n(data.get('3', row, 'total'))}，但六类申请人之和为{_n(applicants)}"))
    for group in TABLE4_GROUPS:
        parts = sum((data.get("4", group, o) for o in TABLE4_OUTCOMES if o != "total"), Decimal(0))
        if parts != data.get("4", group, "total"):
            problems.append(
                _problem(data, "4", group, "total", f"总计为{_n(data.get('4', group, 'total'))}，但维持、纠正、其他、尚未审结之和为{_n(parts)}")
            )
    if previous is not None:
        for column in TABLE3_COLUMNS:
            carried, left = data.get("3", "carried_in", column), previous.get("3", "carried_out", column)
            if carried != left:
                problems.append(
                    _problem(data, "3", "carried_in", column, f"上年结转为{_n(carried)}，但上年报告的结转下年度为{_n(left)}", warning=not final)
                )
        for row in ("rules", "normative"):
            if ("2", row, "in_force") not in data.values or ("2", row, "in_force") not in previous.values:
                continue
            expected = previous.get("2", row, "in_force") + data.get("2", row, "issued") - data.get("2", row, "repealed")
            if expected != data.get("2", row, "in_force"):
                problems.append(
                    _problem(
                        data,
                        "2",
                        row,
                        "in_force",
                        f"现行有效为{_n(data.get('2', row, 'in_force'))}，按上年现行有效加本年制发减本年废止应为{_n(expected)}",
                        warning=True,
                    )
                )
    return problems


def _n(value: Decimal) -> str:
    return format(value.normalize(), "f") if value == value.to_integral_value() else str(value)


def _problem(data: Disclosure, table: str, row: str, column: str, message: str, warning: bool = False) -> Problem:
    label = cells_of(table)[(row, column)]
    where = data.columns.get((table, row, column), "value")  # a workbook's sheet and column letter
    return Problem(data.file, data.row_of(table, row, column), where, f"{TABLES[table]} {label}：{message}", warning=warning)


def to_csv(data: Disclosure, sources: dict[tuple[str, str, str], str] | None = None) -> str:
    """The tables as ``disclosure.csv``: every cell (a table of zeros is complete), with the ``source`` each was
    given where there is one (a workbook or a published page has figures only: a re-import keeps where each
    came from, and a 示例 mark stays a 示例 mark)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["table", "row", "column", "value", "source"])
    for table in TABLES:
        for row, column in cells_of(table):
            value = data.values.get((table, row, column), Decimal(0))
            shown = NOT_APPLICABLE if value is None else format(value.normalize(), "f")
            writer.writerow([table, row, column, shown, formula_safe((sources or {}).get((table, row, column), ""))])
    return out.getvalue()


def template_rows() -> list[list[str]]:
    """Every cell of the three tables as a tidy CSV to fill in, zeros in place: a table of zeros is complete."""
    rows = [["table", "row", "column", "value"]]
    for table in TABLES:
        rows += [[table, row, column, "0"] for row, column in cells_of(table)]
    return rows
