"""The scorecard: every indicator, this year against last, with its verdict in symbol and words."""

from __future__ import annotations

from collections import Counter

from .comparison import Verdict
from .dataset import Dataset
from .section import SectionView


def scorecard_rows(data: Dataset) -> list[tuple[str, SectionView]]:
    return [(s.id, SectionView(data, s.id)) for s in data.catalog.sections.values()]


def summary(data: Dataset) -> str:
    """改善9项、退步2项 …: the scorecard in one sentence."""
    verdicts = Counter(c.verdict for _, view in scorecard_rows(data) for c in view.comparisons())
    total = sum(verdicts.values())
    parts = [f"{v.words}{verdicts[v]}项" for v in Verdict if verdicts[v]]
    return f"本年共{total}项指标：" + "，".join(parts) + "。“仅作描述”的指标多少本身无所谓好坏，只说明变化，不作评价。"


def scorecard_markdown(data: Dataset) -> str:
    lines = [f"| 章节 | 指标 | {data.year}年 | {data.year - 1}年 | 较上年 | 评价 |", "|:---|:---|---:|---:|:---|:---|"]
    for section_id, view in scorecard_rows(data):
        for c in view.comparisons():
            lines.append(f"| {data.catalog.section_number(section_id)} | {c.current.indicator.name_zh} | {view.stated(c.current, data.year)} | "
                         f"{view.stated(c.previous, data.year - 1)} | {c.phrase.removeprefix('较上年')} | {c.verdict.label} |")
    return "\n".join(lines)


def scorecard_summary(data: Dataset):
    from IPython.display import Markdown

    return Markdown(summary(data))


def scorecard(data: Dataset):
    from IPython.display import Markdown

    return Markdown(scorecard_markdown(data))
