"""The scorecard: every indicator, this year against last, with its verdict in symbol and words."""

from __future__ import annotations

from collections import Counter

from ..data.dataset import Dataset
from ..data.markdown import pipe_table
from .comparison import Verdict
from .section import SectionModel, stated


def scorecard_rows(data: Dataset) -> list[tuple[str, SectionModel]]:
    return [(s.id, SectionModel.of(data, s.id)) for s in data.outline.sections.values()]


def summary(data: Dataset) -> str:
    """改善9项、退步2项 …: the scorecard in one sentence."""
    verdicts = Counter(c.verdict for _, model in scorecard_rows(data) for c in model.comparisons)
    total = sum(verdicts.values())
    if not total:
        return "本年尚无已填写的指标。"
    words = data.outline.verdict_words
    parts = [f"{words.get(v.key, v.words)}{verdicts[v]}项" for v in Verdict if verdicts[v]]
    return f"本年共{total}项指标：" + "，".join(parts) + "。“仅作描述”的指标多少本身无所谓好坏，只说明变化，不作评价。"


def scorecard_markdown(data: Dataset) -> str:
    rows = scorecard_rows(data)
    if not any(model.figures for _, model in rows):
        return "本年尚无数据可与上年比较。"
    columns = [
        ("章节", "l", 11),
        ("指标", "l", 22),
        (f"{data.year}年", "r", 16),
        (f"{data.year - 1}年", "r", 17),
        ("较上年", "l", 21),
        ("评价", "l", 13),
    ]
    return pipe_table(
        columns,
        [
            (
                data.outline.section_number(section_id),
                c.current.indicator.name_zh,
                stated(c.current, data.year),
                stated(c.previous, data.year - 1),
                c.phrase.removeprefix("较上年"),
                data.outline.verdict_label(c.verdict),
            )
            for section_id, model in rows
            for c in model.comparisons
            if c.current is not None  # a comparison of the scorecard is of a figure of this year
        ],
    )


def shown(data: Dataset) -> str:
    """Everything the scorecard notebook displays, as one text: its key, so it re-runs exactly when this changes."""
    return summary(data) + "\n\0" + scorecard_markdown(data)


def scorecard_summary(data: Dataset):
    from IPython.display import Markdown

    return Markdown(summary(data))


def scorecard(data: Dataset):
    from IPython.display import Markdown

    return Markdown(scorecard_markdown(data))
