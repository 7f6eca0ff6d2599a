"""Published-style web pages of a 政府信息公开工作年度报告, as a government site prints one: a headline, the six
parts, the three tables as HTML tables with merged header cells (rowspan, colspan) and the exact row labels
(half-width brackets, as many sites print them), and the signature. The figures are made up (示例)."""

from __future__ import annotations

import html

from helpers.data.disclosure import (
    TABLE2_CELLS,
    TABLE2_COLUMNS,
    TABLE2_ROWS,
    TABLE3_COLUMNS,
    TABLE3_GROUPS,
    TABLE3_ROWS,
    TABLE4_GROUPS,
    TABLE4_OUTCOMES,
)

NAME = "示例市示例区南湖街道办事处（示例）"


def _td(text: object, rows: int = 1, cols: int = 1) -> str:
    span = (f' rowspan="{rows}"' if rows > 1 else "") + (f' colspan="{cols}"' if cols > 1 else "")
    return f"<td{span}><p>{html.escape(str(text))}</p></td>"


def _half(label: str) -> str:
    return label.replace("（", "(").replace("）", ")")


def page(year: int, cells: dict[tuple[str, str, str], str], signed: str, overview: str = "") -> str:
    """The page of ``year``'s report with ``cells`` (a cell not given is 0)."""

    def v(table: str, row: str, column: str) -> str:
        return cells.get((table, row, column), "0")

    two = []
    blocks: dict[str, list[str]] = {}
    for row, (item, _) in TABLE2_ROWS.items():
        blocks.setdefault(item, []).append(row)
    for item, rows in blocks.items():
        columns = TABLE2_CELLS[rows[0]]
        span = 3 // len(columns)
        two.append(f"<tr>{_td(_half(item), cols=4)}</tr>")
        two.append("<tr>" + _td("信息内容") + "".join(_td(TABLE2_COLUMNS[c], cols=span) for c in columns) + "</tr>")
        for row in rows:
            two.append("<tr>" + _td(TABLE2_ROWS[row][1]) + "".join(_td(v("2", row, c), cols=span) for c in columns) + "</tr>")
    figures = lambda row: "".join(_td(v("3", row, c)) for c in TABLE3_COLUMNS)  # noqa: E731
    three = [
        "<tr>" + _td("(本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和)", 3, 3) + _td("申请人情况", cols=7) + "</tr>",
        "<tr>" + _td("自然人", 2) + _td("法人或其他组织", cols=5) + _td("总计", 2) + "</tr>",
        "<tr>" + "".join(_td(TABLE3_COLUMNS[c]) for c in ("business", "research", "public_interest", "legal", "other_org")) + "</tr>",
        "<tr>" + _td(TABLE3_ROWS["new"], cols=3) + figures("new") + "</tr>",
        "<tr>" + _td(TABLE3_ROWS["carried_in"], cols=3) + figures("carried_in") + "</tr>",
        "<tr>" + _td("三、本年度办理结果", 22) + _td(_half(TABLE3_ROWS["disclosed"]), cols=2) + figures("disclosed") + "</tr>",
        "<tr>" + _td(_half(TABLE3_ROWS["partly"]), cols=2) + figures("partly") + "</tr>",
    ]
    for heading, rows in TABLE3_GROUPS.items():
        for n, row in enumerate(rows):
            three.append("<tr>" + (_td(_half(heading), len(rows)) if n == 0 else "") + _td(TABLE3_ROWS[row]) + figures(row) + "</tr>")
    three.append("<tr>" + _td(_half(TABLE3_ROWS["answered"]), cols=2) + figures("answered") + "</tr>")
    three.append("<tr>" + _td(TABLE3_ROWS["carried_out"], cols=3) + figures("carried_out") + "</tr>")
    outcomes = list(TABLE4_OUTCOMES.values())
    four = [
        "<tr>" + _td("行政复议", cols=5) + _td("行政诉讼", cols=10) + "</tr>",
        "<tr>" + "".join(_td(o, 2) for o in outcomes) + _td("未经复议直接起诉", cols=5) + _td("复议后起诉", cols=5) + "</tr>",
        "<tr>" + "".join(_td(o) for o in outcomes * 2) + "</tr>",
        "<tr>" + "".join(_td(v("4", g, o)) for g in TABLE4_GROUPS for o in TABLE4_OUTCOMES) + "</tr>",
    ]
    title = f"{NAME}{year}年政府信息公开工作年度报告"
    overview = overview or f"{year}年，本街道坚持以公开为常态、不公开为例外，做好主动公开和依申请公开工作。"
    return f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>{title}</title></head>
<body>
<div class="nav"><a href="/">首页</a> &gt; <a href="/zwgk">政务公开</a> &gt; 政府信息公开年报</div>
<div class="article">
<h1>{title}</h1>
<p>发布时间：{signed}</p>
<div class="content">
<p>本报告依据《中华人民共和国政府信息公开条例》和《中华人民共和国政府信息公开工作年度报告格式》编制。统计期限为{year}年1月1日至{year}年12月31日。</p>
<p>一、总体情况</p>
<p>{html.escape(overview)}</p>
<p>二、主动公开政府信息情况</p>
<table border="1">{"".join(two)}</table>
<p>三、收到和处理政府信息公开申请情况</p>
<table border="1">{"".join(three)}</table>
<p>四、政府信息公开行政复议、行政诉讼情况</p>
<table border="1">{"".join(four)}</table>
<p>五、存在的主要问题及改进情况</p>
<p>栏目更新不够及时。下一步将建立更新提醒机制。</p>
<p>六、其他需要报告的事项</p>
<p>本年度未收取信息处理费。</p>
<p>{NAME}</p>
<p>{signed}</p>
</div></div>
<div class="footer">主办单位：示例市示例区人民政府 网站标识码 0000000000</div>
</body></html>
"""


def _three(columns: dict[str, dict[str, int]]) -> dict[tuple[str, str, str], str]:
    """Table 3's cells from each applicant column's rows; the 总计 column is their sum."""
    cells, total = {}, {}
    for column, rows in columns.items():
        for row, n in rows.items():
            cells[("3", row, column)] = str(n)
            total[row] = total.get(row, 0) + n
    return cells | {("3", row, "total"): str(n) for row, n in total.items()}


#: Two years of one office, each adding up, the second carrying in what the first carried out.
YEARS = {
    2024: {
        ("2", "rules", "issued"): "/",
        ("2", "rules", "repealed"): "/",
        ("2", "rules", "in_force"): "/",
        ("2", "normative", "issued"): "2",
        ("2", "normative", "in_force"): "5",
        ("2", "penalty", "decisions"): "27",
        ("2", "fees", "amount"): "0.5",
        **_three(
            {
                "natural": {"new": 6, "answered": 5, "carried_out": 1, "disclosed": 2, "unable_not_held": 2, "declined_repeat": 1},
                "legal": {"new": 1, "answered": 1, "partly": 1},
            }
        ),
        ("4", "review", "upheld"): "1",
        ("4", "review", "total"): "1",
    },
    2025: {
        ("2", "rules", "issued"): "/",
        ("2", "rules", "repealed"): "/",
        ("2", "rules", "in_force"): "/",
        ("2", "normative", "issued"): "1",
        ("2", "normative", "repealed"): "1",
        ("2", "normative", "in_force"): "5",
        ("2", "penalty", "decisions"): "31",
        **_three(
            {
                "natural": {"new": 9, "carried_in": 1, "answered": 10, "disclosed": 4, "withheld_third_party": 1, "unable_not_held": 5},
                "business": {"new": 2, "answered": 2, "other_rest": 2},
            }
        ),
        ("4", "suit_direct", "pending"): "1",
        ("4", "suit_direct", "total"): "1",
    },
}
SIGNED = {2024: "2025年1月20日", 2025: "2026年1月19日"}
