"""The Quarto source of a 政府信息公开工作年度报告: the national format's six parts in order, the statistical
period, the office's prose, and the three tables laid out as the format prints them (merged header cells,
the exact row labels, ``/`` apart from 0), then the comparison with last year as an appendix.

The tables are the format's display of helpers.data.disclosure's cells: the model says what is in a cell,
this module only where it stands.
"""

from __future__ import annotations

from ..data.disclosure import (
    APPLICANTS,
    OWN_PARTS,
    PARTS,
    TABLE2_CELLS,
    TABLE2_COLUMNS,
    TABLE2_ROWS,
    TABLE3_COLUMNS,
    TABLE3_GROUPS,
    TABLE3_ROWS,
    TABLE4_GROUPS,
    TABLE4_OUTCOMES,
    Disclosure,
)
from ..data.disclosure_report import DisclosureReport
from ..data.markdown import pipe_table
from ..data.markup import inert_prose, literal
from ..model.disclosure import cell_text, requests_sentence, review_sentence, year_over_year
from ..phrasing import chinese_ordinal
from .document import appendix_heading, attachments, colophon, draft_notice, front_matter, notice, screen_only, signature_block
from .gridtable import Cell, grid_table

FORMAT_NAME = "《中华人民共和国政府信息公开工作年度报告格式》（国办公开办函〔2021〕30号）"


def cell(data: Disclosure, table: str, row: str, column: str) -> Cell:
    return Cell(cell_text(data, table, row, column))


def table_two(data: Disclosure) -> str:
    """主动公开政府信息情况: a block per item of 条例 第二十条, each with its own columns."""
    rows: list[list[Cell]] = []
    items: dict[str, list[str]] = {}
    for row, (item, _) in TABLE2_ROWS.items():
        items.setdefault(item, []).append(row)
    for item, names in items.items():
        columns = TABLE2_CELLS[names[0]]
        span = 3 // len(columns)  # three columns of figures; a single one spans them
        rows.append([Cell(item, 4)])
        rows.append([Cell("信息内容"), *(Cell(TABLE2_COLUMNS[c], span) for c in columns)])
        for name in names:
            rows.append([Cell(TABLE2_ROWS[name][1]), *(Cell(cell(data, "2", name, c).text, span) for c in columns)])
    return grid_table(rows, [22, 14, 14, 14], header_rows=2, aligns="lccc") + "\n\n: 主动公开政府信息情况 {#tbl-proactive}"


def table_three(data: Disclosure) -> str:
    """收到和处理政府信息公开申请情况: the applicant columns under their merged headings, the result rows
    grouped under 三、本年度办理结果 and their (三)…(六) headings."""
    note = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
    head = [
        [Cell(note, 3, 3), Cell("申请人情况", 7)],
        [Cell(TABLE3_COLUMNS["natural"], 1, 2), Cell("法人或其他组织", 5), Cell(TABLE3_COLUMNS["total"], 1, 2)],
        [Cell(TABLE3_COLUMNS[c]) for c in APPLICANTS if c != "natural"],
    ]

    def figures(row: str) -> list[Cell]:
        return [cell(data, "3", row, c) for c in TABLE3_COLUMNS]

    body = [[Cell(TABLE3_ROWS[r], 3), *figures(r)] for r in ("new", "carried_in")]
    grouped = [r for rows in TABLE3_GROUPS.values() for r in rows]
    results = 2 + len(grouped) + 1  # 予以公开, 部分公开, the groups' rows, 总计
    body.append([Cell("三、本年度办理结果", 1, results), Cell(TABLE3_ROWS["disclosed"], 2), *figures("disclosed")])
    body.append([Cell(TABLE3_ROWS["partly"], 2), *figures("partly")])
    for heading, rows in TABLE3_GROUPS.items():
        for n, r in enumerate(rows):
            body.append(([Cell(heading, 1, len(rows))] if n == 0 else []) + [Cell(TABLE3_ROWS[r]), *figures(r)])
    body.append([Cell(TABLE3_ROWS["answered"], 2), *figures("answered")])
    body.append([Cell(TABLE3_ROWS["carried_out"], 3), *figures("carried_out")])
    widths = [4, 10, 26, *([6] * len(TABLE3_COLUMNS))]
    return grid_table(head + body, widths, header_rows=3, aligns="lll" + "c" * len(TABLE3_COLUMNS)) + (
        "\n\n: 收到和处理政府信息公开申请情况 {#tbl-requests}"
    )


def table_four(data: Disclosure) -> str:
    """政府信息公开行政复议、行政诉讼情况: one row of fifteen figures under three levels of headings."""
    outcomes = list(TABLE4_OUTCOMES.values())
    head = [
        [Cell("行政复议", len(outcomes)), Cell("行政诉讼", 2 * len(outcomes))],
        [*(Cell(o, 1, 2) for o in outcomes), Cell("未经复议直接起诉", len(outcomes)), Cell("复议后起诉", len(outcomes))],
        [Cell(o) for o in outcomes * 2],
    ]
    body = [[cell(data, "4", g, o) for g in TABLE4_GROUPS for o in TABLE4_OUTCOMES]]
    n = len(TABLE4_GROUPS) * len(outcomes)
    return grid_table(head + body, [4] * n, header_rows=3, aligns="c" * n) + "\n\n: 政府信息公开行政复议、行政诉讼情况 {#tbl-review}"


def opening(report: DisclosureReport) -> str:
    """What the report follows and the period it covers: the office's preamble, else the format's words;
    the statistical period is said in either case."""
    period = f"统计期限为{report.year}年1月1日至{report.year}年12月31日。"
    own = report.narrative.get("preamble", "")
    if own:
        return inert_prose(own) + ("" if "统计期限" in own else "\n\n" + period)
    parts = "、".join(PARTS.values())
    return literal(f"本报告依据《中华人民共和国政府信息公开条例》和{FORMAT_NAME}要求编制，全文包括{parts}六个部分。{period}")


def part_block(report: DisclosureReport, number: int, part: str) -> str:
    """A part's heading, the office's prose (or, for the parts the tables tell, the sentences written from
    them), then its table."""
    blocks = [f"## {chinese_ordinal(number)}、{PARTS[part]} {{#sec-{part}}}"]
    prose = report.narrative.get(part, "")
    written = {"requests": requests_sentence, "review": review_sentence}
    if prose:
        blocks.append(inert_prose(prose))
    elif part in written:
        blocks.append(literal(written[part](report.tables)))
    elif part in OWN_PARTS:
        blocks.append(notice(f"本部分正文待撰写（narrative/{part}.md）。"))
    tables = {"proactive": table_two, "requests": table_three, "review": table_four}
    if part in tables:
        blocks.append(tables[part](report.tables))
    return "\n\n".join(blocks)


def comparison_block(report: DisclosureReport, number: int) -> str:
    """附件: each compared row of this year against last year's report."""
    assert report.previous is not None
    rows = [list(row) for row in year_over_year(report.tables, report.previous)]
    columns = [("项目", "l", 30), (f"{report.year - 1}年", "r", 12), (f"{report.year}年", "r", 12), ("变化", "l", 34)]
    return "\n\n".join(
        [
            appendix_heading(number, "sec-scorecard", "与上年对比"),
            literal(f"下表把本年各项主要数字与{report.year - 1}年报告的数字逐项对比。申请和决定的件数多少本身不说明工作好坏，只列变化，不作评价。"),
            pipe_table(columns, rows) + "\n\n: 主要数字与上年对比 {#tbl-scorecard}",
        ]
    )


def compose_disclosure(report: DisclosureReport, code: str = "", digest: str = "") -> str:
    """The whole ``report.qmd`` of this kind."""
    printed = screen_only if report.final else (lambda block: block)
    blocks = [front_matter(report.title, report.office, report.year, digest, code)]
    if report.illustrative:
        blocks.append(notice("注意：本报告表格中的数字为示例数据（非真实数据），仅用于演示，不能作为任何单位工作情况的依据。"))
    if report.warnings:
        blocks.append(draft_notice(report.warnings, report.office.id))
    blocks.append(opening(report))
    blocks += [part_block(report, n, part) for n, part in enumerate(PARTS, 1)]
    if report.previous is not None:
        blocks.append(attachments(["与上年对比"]))
    blocks.append(signature_block(report.signature, report.report_date))
    if report.previous is not None:
        blocks.append(comparison_block(report, 1))
    if code and digest:
        blocks.append(printed(colophon(code, digest)))
    return "\n\n".join(b for b in blocks if b) + "\n"


def open_items(report: DisclosureReport) -> list[str]:
    """What the office still has to do for this report."""
    lines = [f"正文待撰写：narrative/{part}.md（{PARTS[part]}）" for part in OWN_PARTS if part not in report.narrative]
    if report.report_date is None:
        lines.append("落款没有成文日期：请在 report.yml 中写 date: YYYY-MM-DD")
    if report.illustrative:
        lines.append("表格为示例数据（报告中已注明）")
    return lines
