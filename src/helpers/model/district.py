"""A district compares its offices: each shared indicator side by side, with each office's own change.

Two offices' figures are put on one scale only when they count the same thing over the same period,
exactly: a different period (截至10月 against a whole year), an approximate figure (约800), or a
different definition (``definition_zh``) or a different unit (an office's own, ``definitions.csv``) is
flagged and left out of the chart, with the reason said; where only the names differ, each is said.
The model (:class:`OfficeComparison`) is kept apart from its display (tables, charts, words).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import pandas as pd

from ..data.catalog import Indicator, Office
from ..data.dataset import Dataset, load_dataset, office_years, resolve_data_dir
from ..data.record import Record
from ..document.markdown import pipe_table
from ..errors import InputError, UsageError
from .charts import Bar, Panel, draw, to_png
from .comparison import Comparison, compare


@dataclass(frozen=True)
class Entry:
    """One office's figure of an indicator, and its change against that office's previous year."""

    office: Office
    dataset: Dataset
    indicator: Indicator

    @property
    def figure(self):
        return self.dataset.figures[self.indicator.id]

    @property
    def change(self) -> Comparison:
        return compare(self.figure, self.dataset.previous.get(self.indicator.id), self.dataset.year)

    @property
    def period(self) -> str:
        return self.figure.period_text(self.dataset.year) or "全年"

    @property
    def definition(self) -> str:
        return self.dataset.outline.definition(self.indicator) or "（目录未注明）"

    def stated(self) -> str:
        marks = [m for m in (self.figure.period_text(self.dataset.year), "示例" if self.figure.is_illustrative else "") if m]
        return self.figure.text + (f"（{'，'.join(marks)}）" if marks else "")


@dataclass
class SharedIndicator:
    """An indicator two or more offices report, and whether their figures may be set side by side."""

    indicator: Indicator
    entries: list[Entry]

    @cached_property
    def reasons(self) -> list[str]:
        """Why the figures are not compared; empty when they are."""
        reasons = []
        periods = {e.period for e in self.entries}
        if len(periods) > 1:
            reasons.append("统计期不同：" + "，".join(f"{e.office.short_name_zh}{e.period}" for e in self.entries))
        approximate = [e for e in self.entries if e.figure.qualifier]
        if approximate:
            reasons.append("含约数：" + "，".join(f"{e.office.short_name_zh}{e.figure.text}" for e in approximate))
        units = {e.indicator.unit for e in self.entries}
        if len(units) > 1:  # an office's own unit (definitions.csv): 件 and 宗 may not count the same thing
            reasons.append("计量单位不同：" + "，".join(f"{e.office.short_name_zh}{e.indicator.unit}" for e in self.entries))
        definitions = {e.definition for e in self.entries}
        if len(definitions) > 1:
            reasons.append("统计口径不同：" + "；".join(f"{e.office.short_name_zh}：{e.definition}" for e in self.entries))
        return reasons

    @property
    def comparable(self) -> bool:
        return not self.reasons

    @property
    def names(self) -> str:
        """Where the offices name the indicator differently, each office's name; empty when they agree."""
        if len({e.indicator.name_zh for e in self.entries}) == 1:
            return ""
        return "各单位名称不同：" + "，".join(f"{e.office.short_name_zh}称“{e.indicator.name_zh}”" for e in self.entries)

    @property
    def drawn(self) -> bool:
        """A place (名次) or words (荣誉) are set side by side in the table, never drawn as lengths."""
        return not (self.indicator.is_rank or self.indicator.is_honour)


@dataclass
class OfficeComparison:
    year: int
    datasets: list[Dataset]
    shared: list[SharedIndicator] = field(default_factory=list)
    single: list[Entry] = field(default_factory=list)  # indicators only one office reports

    @property
    def offices(self) -> list[Office]:
        return [d.office for d in self.datasets]

    @property
    def illustrative(self) -> bool:
        return any(e.figure.is_illustrative for s in self.shared for e in s.entries)

    @property
    def drafts(self) -> list[Office]:
        """Offices whose figures for the year are not final yet (report.yml ``status: draft``)."""
        return [d.office for d in self.datasets if not d.final]

    @property
    def title(self) -> str:
        return f"{self.year}年各单位法治政府建设指标对比"

    @property
    def record(self) -> Record:
        """Every file the offices' data was read from."""
        found = Record(self.datasets[0].record.root)
        for data in self.datasets:
            found = found.merged(data.record)
        return found

    def tidy(self, shared: bool) -> pd.DataFrame:
        """The shared (or the single-office) figures, one row each, with the office (helpers.document.downloads)."""
        entries = [e for item in self.shared for e in item.entries] if shared else self.single
        rows = [{"indicator": e.indicator.id, "name": e.indicator.name_zh, "office": e.office.short_name_zh,
                 "year": self.year, "value": e.figure.words or e.figure.value, "unit": e.indicator.unit,
                 "qualifier": e.figure.qualifier, "period": e.period, "source": e.figure.source,
                 "illustrative": e.figure.is_illustrative} for e in entries]
        return pd.DataFrame(rows, columns=["indicator", "name", "office", "year", "value", "unit", "qualifier", "period",
                                           "source", "illustrative"])

    def shown(self) -> str:
        """Everything the comparison notebook displays, as one text: its key."""
        return "\n\0".join([self.title, self.table_markdown(), self.single_markdown(), repr(self.panels()),
                              self.chart_alt()])

    # --- display -------------------------------------------------------------------------------
    def table_markdown(self) -> str:
        if not self.shared:
            return "所选单位本年没有共同填报的指标。"
        columns = [("指标", "l", 22), ("单位", "l", 16), (f"{self.year}年", "r", 16), ("较本单位上年", "l", 24),
                   ("可比性", "l", 24)]
        rows = []
        for item in self.shared:
            verdict = ("可比" if item.comparable else "不作比较：" + "；".join(item.reasons)) + \
                (f"（{item.names}）" if item.names else "")
            for i, entry in enumerate(item.entries):
                rows.append((item.indicator.name_zh if i == 0 else "", entry.office.short_name_zh, entry.stated(),
                             entry.change.phrase.removeprefix("较上年"), verdict if i == 0 else ""))
        return pipe_table(columns, rows)

    def single_markdown(self) -> str:
        if not self.single:
            return "无。"
        columns = [("指标", "l", 30), ("单位", "l", 20), (f"{self.year}年", "r", 20)]
        return pipe_table(columns, [(e.indicator.name_zh, e.office.short_name_zh, e.stated()) for e in self.single])

    def panels(self) -> list[Panel]:
        """One panel per comparable indicator, one bar per office: never two units on one scale."""
        return [Panel(f"{item.indicator.name_zh}（{item.indicator.unit}）",
                      tuple(Bar(e.office.short_name_zh + ("（示例）" if e.figure.is_illustrative
                                                          and "示例" not in e.office.short_name_zh else ""),
                                float(e.figure.value), e.figure.text) for e in item.entries),
                      share=item.indicator.is_rate)
                for item in self.shared if item.comparable and item.drawn]

    def chart(self):
        return draw(self.panels())

    def chart_alt(self) -> str:
        panels = self.panels()
        if not panels:
            return "没有可直接比较的共同指标。"
        parts = [f"{p.title}：" + "、".join(f"{b.label}{b.text}" for b in p.bars) for p in panels]
        return "条形图，每个可比指标一组，各单位一条：" + "；".join(parts) + "。"

    def figure(self):
        from IPython.display import Image, Markdown

        chart = self.chart()
        return Markdown("没有可直接比较的共同指标。") if chart is None else Image(data=to_png(chart), format="png")

    def table(self):
        from IPython.display import Markdown

        return Markdown(self.table_markdown())

    def single_table(self):
        from IPython.display import Markdown

        return Markdown(self.single_markdown())


def compare_offices(datasets: list[Dataset]) -> OfficeComparison:
    """What the offices report in common (a value this year), and what only one of them reports."""
    result = OfficeComparison(datasets[0].year, datasets)
    order: list[str] = []
    by_indicator: dict[str, list[Entry]] = {}
    for data in datasets:
        for indicator in data.outline.indicators:
            fig = data.figures.get(indicator)
            if fig is None or not fig.has_value:
                continue
            if indicator not in by_indicator:
                order.append(indicator)
            by_indicator.setdefault(indicator, []).append(Entry(data.office, data, data.catalog.indicators[indicator]))
    for indicator in order:
        entries = by_indicator[indicator]
        if len(entries) >= 2:
            result.shared.append(SharedIndicator(entries[0].indicator, entries))
        else:
            result.single.append(entries[0])
    return result


def choose_offices(data_dir: Path, year: int, offices: tuple[str, ...], minimum: int = 2) -> list[str]:
    """The offices asked for, or every office with data for ``year``; two at least for a report."""
    available = [o for o, y in office_years(data_dir) if y == year]
    chosen = list(offices) or available
    if len(chosen) < minimum:
        raise UsageError(f"对比至少需要两个单位；{year}年有数据的单位：{'、'.join(available) or '无'}")
    return chosen


def load_comparison(year: int, offices: tuple[str, ...] | str, data_dir: str | Path, minimum: int = 2) -> OfficeComparison:
    """Load and validate every office's year, then compare them: what the comparison notebook starts with
    (``minimum=1`` there, so a notebook opened where one office has data still shows it)."""
    data_dir = resolve_data_dir(data_dir)
    if isinstance(offices, str):
        offices = tuple(o.strip() for o in offices.split(",") if o.strip())
    datasets, problems = [], []
    for office in choose_offices(data_dir, int(year), offices, minimum):
        try:
            datasets.append(load_dataset(data_dir, office, int(year)))
        except InputError as exc:
            problems += exc.problems
    if problems:
        raise InputError(problems)
    return compare_offices(datasets)

