"""The 政府信息公开工作年度报告's words bound to its tables: the sentences that restate table 3 and table 4,
written from them; and an office's own sentences checked against them.

Real reports restate the tables in prose (收到政府信息公开申请27件，答复26件（含上一年度结转1件），结转下年度
继续办理2件。其中，予以公开4件，占15.4%…), and a sentence that contradicts its own table is a common fault: the
sentence is generated here, and where the office writes its own, every count it states is compared with the
cell it restates. A share is of the requests answered (（七）总计), and says so.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING

from ..data.disclosure import (
    TABLE2_CELLS,
    TABLE2_COLUMNS,
    TABLE2_ROWS,
    TABLE3_COLUMNS,
    TABLE3_GROUPS,
    TABLE3_ROWS,
    TABLE4_GROUPS,
    TABLE4_OUTCOMES,
    Disclosure,
    check,
)
from ..data.disclosure_report import DisclosureReport
from ..errors import Problem
from ..phrasing import format_number
from .comparison import amount_change

if TYPE_CHECKING:
    import pandas as pd

#: The result groups as a sentence names them, each with the table 3 rows it adds up.
RESULT_WORDS = {"予以公开": ("disclosed",), "部分公开": ("partly",), **{heading.split("）")[1]: rows for heading, rows in TABLE3_GROUPS.items()}}
#: How a count is written: a whole number and its measure word.
COUNT = r"(\d+)\s*[件宗条个]"
#: What an office's sentence may state, each with the pattern that finds it and the figure it restates.
STATED = {
    "新收": re.compile(r"(?:新收|收到)[^，。；：\d]{0,24}?" + COUNT),
    "上年结转": re.compile(r"上一?年度?结转[^，。；：\d]{0,12}?" + COUNT),
    "结转下年度": re.compile(r"结转下一?年度?[^，。；：\d]{0,12}?" + COUNT),
    "行政复议": re.compile(r"行政复议[^，。；：\d]{0,12}?" + COUNT),
    "行政诉讼": re.compile(r"行政诉讼[^，。；：\d]{0,12}?" + COUNT),
}


def _share(part: Decimal, whole: Decimal) -> str:
    percent = (part * 100 / whole).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return f"{percent.normalize():f}%"


def figures(data: Disclosure) -> dict[str, int]:
    """The totals a report's prose restates, from the 总计 column and row of table 3 and table 4."""
    suits = sum((data.get("4", group, "total") for group in ("suit_direct", "suit_after_review")), Decimal(0))
    return {
        "新收": int(data.get("3", "new", "total")),
        "上年结转": int(data.get("3", "carried_in", "total")),
        "办结": int(data.get("3", "answered", "total")),
        "结转下年度": int(data.get("3", "carried_out", "total")),
        "行政复议": int(data.get("4", "review", "total")),
        "行政诉讼": int(suits),
        **{words: int(sum((data.get("3", r, "total") for r in rows), Decimal(0))) for words, rows in RESULT_WORDS.items()},
    }


def requests_sentence(data: Disclosure) -> str:
    """Part 三's sentences: the requests received, carried, answered and carried out; how the answered ones
    were decided, each with its share of them."""
    f = figures(data)
    said = f"本年新收政府信息公开申请{f['新收']}件，上年结转{f['上年结转']}件；办结{f['办结']}件，结转下年度继续办理{f['结转下年度']}件。"
    if f["办结"]:
        results = [f"{words}{f[words]}件，占{_share(Decimal(f[words]), Decimal(f['办结']))}" for words in RESULT_WORDS if f[words]]
        said += "办结的申请中，" + "；".join(results) + "（占比为占办结总数的比例）。"
    return said


def review_sentence(data: Disclosure) -> str:
    """Part 四's sentence: the reviews and suits the office's disclosure work met."""
    f = figures(data)
    return f"因政府信息公开工作被申请行政复议{f['行政复议']}件，被提起行政诉讼{f['行政诉讼']}件。"


def summary(data: Disclosure) -> str:
    """Part 三's and part 四's sentences, written from the tables."""
    return requests_sentence(data) + review_sentence(data)


#: The rows a year is compared on, each with how it is taken from the tables and its unit.
COMPARED = {
    "本年新收政府信息公开申请": (("3", "new", "total"),),
    "上年结转政府信息公开申请": (("3", "carried_in", "total"),),
    "办结（总计）": (("3", "answered", "total"),),
    **{f"其中{words}": tuple(("3", r, "total") for r in rows) for words, rows in RESULT_WORDS.items()},
    "结转下年度继续办理": (("3", "carried_out", "total"),),
    "制发规章": (("2", "rules", "issued"),),
    "制发行政规范性文件": (("2", "normative", "issued"),),
    "行政许可处理决定": (("2", "licensing", "decisions"),),
    "行政处罚处理决定": (("2", "penalty", "decisions"),),
    "行政强制处理决定": (("2", "enforcement", "decisions"),),
    "行政事业性收费（万元）": (("2", "fees", "amount"),),
    "被申请行政复议": (("4", "review", "total"),),
    "被提起行政诉讼": (("4", "suit_direct", "total"), ("4", "suit_after_review", "total")),
}


def _sum(data: Disclosure, cells: tuple[tuple[str, str, str], ...]) -> Decimal | None:
    """The cells' sum; None where every one of them is ``/`` (the measure does not apply)."""
    if all(cell in data.values and data.values[cell] is None for cell in cells):
        return None
    return sum((data.get(*cell) for cell in cells), Decimal(0))


def year_over_year(data: Disclosure, previous: Disclosure) -> list[tuple[str, str, str, str]]:
    """Each compared row: its name, last year's, this year's, and the change in the project's words (a count
    of requests or decisions is neither better nor worse: the change is said, not judged)."""
    rows = []
    for name, cells in COMPARED.items():
        now, before = _sum(data, cells), _sum(previous, cells)
        unit = "万元" if cells[0][2] == "amount" else "件"
        if now is None or before is None:
            phrase = "不适用，不作比较"
        elif now == before:
            phrase = "与上年持平"
        else:
            phrase = amount_change(now, before, now - before, unit)[0]
        rows.append((name.replace("（万元）", ""), _text(before, unit), _text(now, unit), phrase))
    return rows


def _text(value: Decimal | None, unit: str) -> str:
    return "/" if value is None else f"{format_number(value)}{unit}"


def narrative_problems(text: str, data: Disclosure, file: str) -> list[Problem]:
    """Every count an office's own prose states that its tables do not: located at the line of ``file``."""
    expected = figures(data)
    problems = []
    for number, line in enumerate(text.splitlines(), 1):
        for words, pattern in STATED.items():
            for match in pattern.finditer(line):
                said = int(match.group(1))
                if said != expected[words]:
                    problems.append(Problem(file, number, "*", f"正文说“{match.group(0)}”，但表中{words}为{expected[words]}件"))
    return problems


def listing_facts(report: DisclosureReport) -> dict:
    """What a district's site shows of the report (as helpers.model.section.listing_facts does for the first
    kind), recorded in its manifest: final or draft, made-up tables or not; it has no trends of indicators."""
    return {"final": report.final, "illustrative": report.illustrative, "demo": report.tables.illustrative, "trends": [], "kind": report.place.kind}


def frame(data: Disclosure, table: str) -> pd.DataFrame:
    """A table as an analyst looks at it: its printed row labels down, its columns across; ``/`` where a
    measure does not apply (the document lays the same cells out as the format prints them)."""
    import pandas as pd

    if table == "3":
        rows = {label: {TABLE3_COLUMNS[c]: cell_text(data, "3", r, c) for c in TABLE3_COLUMNS} for r, label in TABLE3_ROWS.items()}
    elif table == "4":
        rows = {TABLE4_GROUPS[g]: {TABLE4_OUTCOMES[o]: cell_text(data, "4", g, o) for o in TABLE4_OUTCOMES} for g in TABLE4_GROUPS}
    else:
        rows = {label: {TABLE2_COLUMNS[c]: cell_text(data, "2", r, c) for c in TABLE2_CELLS[r]} for r, (_, label) in TABLE2_ROWS.items()}
    return pd.DataFrame.from_dict(rows, orient="index").fillna("")


def cell_text(data: Disclosure, table: str, row: str, column: str) -> str:
    """A cell as the table prints it: ``/`` where the measure does not apply, else the figure (0 included)."""
    key = (table, row, column)
    return "/" if key in data.values and data.values[key] is None else format_number(data.get(table, row, column))


def checks_said(data: Disclosure, previous: Disclosure | None, final: bool = False) -> str:
    """Every identity that does not hold, a line each (Markdown), or that all hold."""
    found = check(data, previous, final)
    return "\n".join(f"- {'（警告）' if p.warning else ''}{p.message}" for p in found) if found else "各项勾稽关系均成立。"


def comparison_frame(data: Disclosure, previous: Disclosure | None, year: int) -> pd.DataFrame | str:
    """The rows compared with last year as a table; a sentence where there is no last year."""
    import pandas as pd

    if previous is None:
        return "没有上年的报告，不作对比。"
    return pd.DataFrame(year_over_year(data, previous), columns=["项目", f"{year - 1}年", f"{year}年", "变化"])
