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

from ..data.disclosure import TABLE3_GROUPS, Disclosure
from ..errors import Problem

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


def _int(value: Decimal) -> int:
    return int(value)


def _share(part: Decimal, whole: Decimal) -> str:
    percent = (part * 100 / whole).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return f"{percent.normalize():f}%"


def figures(data: Disclosure) -> dict[str, int]:
    """The totals a report's prose restates, from the 总计 column and row of table 3 and table 4."""
    suits = sum((data.get("4", group, "total") for group in ("suit_direct", "suit_after_review")), Decimal(0))
    return {
        "新收": _int(data.get("3", "new", "total")),
        "上年结转": _int(data.get("3", "carried_in", "total")),
        "办结": _int(data.get("3", "answered", "total")),
        "结转下年度": _int(data.get("3", "carried_out", "total")),
        "行政复议": _int(data.get("4", "review", "total")),
        "行政诉讼": _int(suits),
        **{words: _int(sum((data.get("3", r, "total") for r in rows), Decimal(0))) for words, rows in RESULT_WORDS.items()},
    }


def summary(data: Disclosure) -> str:
    """Part 三's and part 四's sentences, written from the tables: the requests received, carried, answered and
    carried out; how the answered ones were decided, each with its share of them; the reviews and suits."""
    f = figures(data)
    said = f"本年新收政府信息公开申请{f['新收']}件，上年结转{f['上年结转']}件；办结{f['办结']}件，结转下年度继续办理{f['结转下年度']}件。"
    if f["办结"]:
        results = [f"{words}{f[words]}件，占{_share(Decimal(f[words]), Decimal(f['办结']))}" for words in RESULT_WORDS if f[words]]
        said += "办结的申请中，" + "；".join(results) + "（占比为占办结总数的比例）。"
    said += f"因政府信息公开工作被申请行政复议{f['行政复议']}件，被提起行政诉讼{f['行政诉讼']}件。"
    return said


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
