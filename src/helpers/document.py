"""The Quarto source of one office-year's report: headings in the seed's order, prose, embedded outputs."""

from __future__ import annotations

import pandas as pd
import yaml

from .catalog import Section
from .dataset import Dataset
from .phrasing import date_zh
from .section import SectionView


def notebook_file(section: Section) -> str:
    return f"notebooks/{section.notebook}.ipynb"


def front_matter(data: Dataset) -> str:
    meta = {"title": data.title, "office": data.office.name_zh, "year": data.year, "lang": "zh-CN"}
    return "---\n" + yaml.safe_dump(meta, allow_unicode=True, sort_keys=False) + "---\n"


def section_block(data: Dataset, section: Section) -> str:
    """Heading, the office's prose (or a generated sentence), then the section's chart and table."""
    marks = "#" * (section.level + 1)
    parts = [f"{marks} {section.heading(data.year)} {{#sec-{section.id}}}"]
    view = SectionView(data, section.id)
    prose = data.narrative.get(section.id, "")
    if prose:
        parts.append(prose)
    elif view.figures:
        parts.append(view.sentence())
    if section.notebook and view.figures:
        nb = notebook_file(section)
        parts.append(f"{{{{< embed {nb}#fig-{section.id} >}}}}")
        parts.append(f"{{{{< embed {nb}#tbl-{section.id} >}}}}")
    if view.missing:
        parts.append("::: {.callout-warning}\n本节以下指标本年尚无数据：" + "、".join(view.missing) + "。\n:::")
    return "\n\n".join(parts)


def appendix(metrics: pd.DataFrame) -> str:
    """Where every figure comes from: the figure, its source, and the data row that holds it."""
    lines = ["## 附录　数据来源 {#sec-sources .unnumbered}", "",
             "本报告中的每个数字均取自下表所列数据行（本年度 values.csv 的行号），可逐项核对。", "",
             "| 指标 | 数值 | 统计期 | 来源 | 数据行 |",
             "|:---------------------------|------------:|:-------------|:-------------------------------|:--------|"]
    for r in metrics.itertuples(index=False):
        where = f"第{r.row}行"
        lines.append(f"| {r.name_zh} | {r.text} | {r.period_text or '全年'} | {r.source} | {where} |")
    lines += ["", ": 各项数据的来源 {#tbl-sources}"]
    return "\n".join(lines)


def compose(data: Dataset, metrics: pd.DataFrame) -> str:
    """The whole ``report.qmd``."""
    blocks = [front_matter(data)]
    if data.narrative.get("preamble"):
        blocks.append(data.narrative["preamble"])
    for section in data.catalog.sections.values():
        blocks.append(section_block(data, section))
    signature = [data.office.name_zh] + ([date_zh(data.report_date)] if data.report_date else [])
    blocks.append("::: {.signature}\n" + "\\\n".join(signature) + "\n:::")
    blocks.append(appendix(metrics))
    return "\n\n".join(blocks) + "\n"
