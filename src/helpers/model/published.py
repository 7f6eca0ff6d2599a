"""A year's figures as its report states them, kept beside its data (``published.csv``) once the report is
published, and checked against what today's code states for that year (the backtest): a change of code
that would alter a published figure is caught.

Kept through the data folder's guarded writer (:mod:`helpers.data.writer`): without ``force`` an existing
file is kept; with it, the old file is first copied into ``.backup/`` beside it.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..data.csvfile import formula_safe
from ..data.dataset import Dataset, year_dir
from ..data.writer import DataWriter, WriteLog
from .section import SectionModel

PUBLISHED = "published.csv"
PUBLISHED_COLUMNS = ["indicator", "text", "period_text"]


def published_figures(data: Dataset) -> pd.DataFrame:
    """The figures of a report as a reader sees them, one row per indicator."""
    frames = [SectionModel.of(data, s).metrics[PUBLISHED_COLUMNS] for s in data.outline.sections]
    return pd.concat(frames, ignore_index=True)


def keep_published(data: Dataset, data_dir: Path, force: bool = False) -> WriteLog:
    """Record the figures of a published report beside its data, for the backtest."""
    frame = published_figures(data)
    writer = DataWriter(data_dir)
    with writer.locked(data.office.id):
        writer.write(year_dir(data_dir, data.office.id, data.year) / PUBLISHED, frame.map(formula_safe).to_csv(index=False), force)
    return writer.log


def backtest(data: Dataset, data_dir: Path) -> list[str]:
    """Differences between a kept year's published figures and what today's code states for it."""
    path = year_dir(data_dir, data.office.id, data.year) / PUBLISHED
    kept = pd.read_csv(path, dtype=str, keep_default_na=False).set_index("indicator")
    now = published_figures(data).set_index("indicator")
    changes = []
    for indicator, row in kept.iterrows():
        known = data.catalog.indicators.get(indicator)
        named = f"{known.name_zh}（{indicator}）" if known else indicator
        if indicator not in now.index:
            changes.append(f"{named}：已发布为“{row['text']}”，现已不在报告中")
            continue
        for column, what in (("text", "数值"), ("period_text", "统计期")):
            if now.at[indicator, column] != row[column]:
                changes.append(f"{named}：{what}已发布为“{row[column]}”，现为“{now.at[indicator, column]}”")
    return changes
