"""One report section as data: its figures, their comparisons, the table's rows, the chart's bars, the
trends, last year's commitments and the tidy tables, computed once from a dataset.

This is the model, kept apart from its display (``sectionview``) as great_tables keeps a table's model
apart from its renderers: the notebook, the document, the alt text and the CSV downloads all read it.
A rate with its counts, or a part with its whole, becomes a share bar instead of two unrelated counts.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, cast

import pandas as pd

from ..data.catalog import Section
from ..data.commitments import KINDS
from ..data.dataset import Dataset
from ..data.values import Figure
from .charts import Bar, Panel, Point, Trend, trend_rows, trends_of
from .comparison import Comparison, compare

METRIC_COLUMNS = [
    "indicator",
    "section",
    "name_zh",
    "unit",
    "kind",
    "polarity",
    "value",
    "qualifier",
    "period_end",
    "text",
    "period_text",
    "source",
    "note",
    "file",
    "row",
    "prev_text",
    "yoy",
    "verdict",
    "verdict_label",
    "illustrative",
    "definition",
]
DATA_COLUMNS = ["indicator", "name", "year", "value", "unit", "qualifier", "period", "source", "illustrative"]
MAX_TRENDS = 6
#: Bars more than this many times apart are not drawn on one scale: the shorter would have no visible width.
MAX_RATIO = 20


@dataclass(frozen=True)
class Row:
    """One row of the section's table: a figure as stated, last year's, the change and the verdict."""

    indicator: str
    name: str  # a part of a whole reads 其中：… under it
    stated: str
    previous: str
    change: str
    verdict: str


@dataclass(frozen=True)
class FollowupRow:
    """One of last year's shortcomings or plans: its status and the figures that show it."""

    title: str
    kind: str
    status: str
    evidence: str
    note: str


@dataclass(frozen=True, eq=False)
class SectionModel:
    """Everything a section shows, as data; built once by ``SectionModel.of``."""

    section: Section
    year: int
    heading: str
    caption: str
    has_history: bool
    indicators: tuple  # what the office's outline places in this section, in its order (catalog Indicators)
    figures: tuple[Figure, ...]
    comparisons: tuple[Comparison, ...]
    rows: tuple[Row, ...]
    panels: tuple[Panel, ...]
    left_out: tuple[str, ...]  # figures the chart leaves to the table: each alone in its size
    ranks: tuple[str, ...]  # labels of the places (名次) the table alone states
    honours: tuple[str, ...]  # labels of the honours (words) the table alone states
    trends: tuple[Trend, ...]
    followups: tuple[FollowupRow, ...] | None  # None: last year recorded no commitments
    missing: tuple[str, ...]
    not_applicable: tuple[str, ...]
    data: pd.DataFrame  # every year's figure of the section's indicators, one row each
    metrics: pd.DataFrame  # one row per figure of the year, with where it came from

    @classmethod
    def of(cls, dataset: Dataset, section_id: str) -> SectionModel:
        if section_id not in dataset.outline.sections:
            known = "、".join(dataset.outline.sections)
            raise KeyError(f"章节“{section_id}”不在本单位的大纲中（已有：{known}）")
        if section_id not in dataset.models:
            dataset.models[section_id] = _Builder(dataset, dataset.outline.sections[section_id]).model()
        return cast(SectionModel, dataset.models[section_id])  # the dataset keeps them untyped: it is the lower layer

    @property
    def chartable(self) -> bool:
        """Two bars at least (a figure and last year's counts): a single value is stated, not charted."""
        return sum(1 + (b.previous is not None) for p in self.panels for b in p.bars) >= 2

    @property
    def has_trend(self) -> bool:
        return bool(self.trends)


def stated(fig: Figure | None, year: int) -> str:
    """A figure as the report states it, with its period and illustrative marks; — for none."""
    if fig is None or not fig.has_value:
        return "—"
    return fig.text + marks(fig, year)


def marks(fig: Figure, year: int) -> str:
    """（截至10月，示例）: the period and the illustrative mark that go with a figure wherever it is shown."""
    notes = [n for n in (fig.period_text(year), "示例" if fig.is_illustrative else "") if n]
    return f"（{'，'.join(notes)}）" if notes else ""


def _number(value) -> int | float | None:
    """A figure as an analyst reads it: 12 for a count of 12, not 12.0; 97.6 for a rate."""
    if value is None:
        return None
    return int(value) if value == int(value) else float(value)


def _by_size(bars: list[Bar]) -> list[list[Bar]]:
    """Bars in groups of similar size (largest first), each group's largest at most MAX_RATIO times its
    smallest non-zero value; the outline's order is kept within a group."""

    def size(bar: Bar) -> float:
        return max(bar.value, bar.previous or 0.0)

    def low(bar: Bar) -> float:
        values = [v for v in (bar.value, bar.previous) if v]
        return min(values) if values else 0.0

    order = sorted(range(len(bars)), key=lambda i: -size(bars[i]))
    groups: list[list[int]] = []
    for i in order:
        if groups and (not low(bars[i]) or size(bars[groups[-1][0]]) <= MAX_RATIO * low(bars[i])):
            groups[-1].append(i)
        else:
            groups.append([i])
    return [[bars[i] for i in sorted(group)] for group in groups]


class _Builder:
    """Computes a section's model from its dataset, each part once."""

    def __init__(self, dataset: Dataset, section: Section):
        self.dataset, self.section, self.year = dataset, section, dataset.year
        self.indicators = dataset.outline.in_section(section.id, dataset.catalog)
        figs = dataset.figures
        self.figures = [figs[i.id] for i in self.indicators if i.id in figs and figs[i.id].has_value]
        self.comparisons = {f.indicator.id: compare(f, dataset.previous.get(f.indicator.id), self.year) for f in self.figures}

    def model(self) -> SectionModel:
        shares, covered = self._share_bars()
        panels = self._panels(shares, covered)
        drawn = {bar.label for panel in panels for bar in panel.bars}
        outline, figs = self.dataset.outline, self.dataset.figures
        return SectionModel(
            section=self.section,
            year=self.year,
            heading=self.section.heading(self.year),
            caption=self.section.caption(self.year),
            has_history=self.dataset.has_history,
            indicators=tuple(self.indicators),
            figures=tuple(self.figures),
            comparisons=tuple(self.comparisons.values()),
            rows=tuple(self._rows()),
            panels=tuple(panels),
            left_out=tuple(
                self.label(f)
                for f in self.figures
                if not f.indicator.is_rate
                and not f.indicator.is_rank
                and not f.indicator.is_honour
                and f.indicator.id not in covered
                and self.label(f) not in drawn
            ),
            ranks=tuple(self.label(f) for f in self.figures if f.indicator.is_rank),
            honours=tuple(self.label(f) for f in self.figures if f.indicator.is_honour),
            trends=tuple(self._trends()),
            followups=self._followups(),
            missing=tuple(i.name_zh for i in self.indicators if i.id not in figs or not figs[i.id].reported),
            not_applicable=tuple(i.name_zh for i in self.indicators if i.id in figs and figs[i.id].not_applicable),
            data=self._data(),
            metrics=self._metrics(outline),
        )

    def label(self, fig: Figure) -> str:
        return fig.indicator.name_zh + marks(fig, self.year)

    # --- the table ----------------------------------------------------------------------------
    def _in_table_order(self) -> list[Figure]:
        """The section's figures, each part of a whole (其中) right under its whole."""
        ids = {f.indicator.id for f in self.figures}
        ordered: list[Figure] = []
        for fig in self.figures:
            if fig.indicator.part_of in ids:
                continue  # placed under its whole
            ordered.append(fig)
            ordered += [f for f in self.figures if f.indicator.part_of == fig.indicator.id]
        return ordered

    def _rows(self) -> list[Row]:
        ids, seen, rows = {f.indicator.id for f in self.figures}, set(), []
        for fig in self._in_table_order():
            whole, name = fig.indicator.part_of, fig.indicator.name_zh
            if whole in ids:
                name = ("　　　" if whole in seen else "其中：") + name
                seen.add(whole)
            c = self.comparisons[fig.indicator.id]
            rows.append(
                Row(
                    fig.indicator.id,
                    name,
                    stated(fig, self.year),
                    stated(c.previous, self.year - 1),
                    c.phrase.removeprefix("较上年"),
                    self.dataset.outline.verdict_label(c.verdict),
                )
            )
        return rows

    # --- the chart ----------------------------------------------------------------------------
    def _earlier(self, fig: Figure) -> dict[str, Any]:
        """Last year's value for a bar, where the two years compare (same period, exact figures)."""
        comparison = self.comparisons[fig.indicator.id]
        if comparison.change is None or comparison.previous is None:
            return {}
        previous = comparison.previous
        return {"previous": float(previous.number), "previous_text": previous.text, "previous_illustrative": previous.is_illustrative}

    def _panels(self, shares: list[tuple[Bar, str | None]], covered: set[str]) -> list[Panel]:
        """Rates (with their counts) and parts of a whole as shares of 100, the other figures in panels of
        similar size; each with last year beside it."""
        panels = [Panel(title, tuple(bars)) for title, bars in self._quantity_panels(covered)]
        rates = [bar for bar, whole in shares if whole is None]
        for whole in dict.fromkeys(w for _, w in shares if w is not None):  # a whole's parts together, apart from rates
            panels.append(Panel(f"{whole}的构成（%）", tuple(bar for bar, w in shares if w == whole), share=True))
        if rates:
            panels.append(Panel("比率（%）", tuple(rates), share=True))
        return panels

    def _share_bars(self) -> tuple[list[tuple[Bar, str | None]], set[str]]:
        """The share bars (each with the name of the whole it is a part of, None for a rate), and the counts
        they stand for (the table states those)."""
        figs = {f.indicator.id: f for f in self.figures}
        previous = self.dataset.previous
        shares: list[tuple[Bar, str | None]] = []
        covered: set[str] = set()
        for fig in self.figures:
            ind = fig.indicator
            if ind.is_rate:
                num, den = figs.get(ind.numerator), figs.get(ind.denominator)
                covered |= {ind.numerator, ind.denominator} if num and den else set()  # the table states the counts
                shares.append((Bar(self.label(fig), float(fig.number), fig.text, **self._earlier(fig)), None))
        for fig in self.figures:
            whole = figs.get(fig.indicator.part_of)
            if whole and fig.indicator.id not in covered and whole.value:
                share = float(fig.number / whole.number * 100)
                covered |= {fig.indicator.id, whole.indicator.id}
                before: dict[str, Any] = {}
                part_then, whole_then = previous.get(fig.indicator.id), previous.get(whole.indicator.id)
                if self._earlier(fig) and self._earlier(whole) and part_then is not None and whole_then is not None and whole_then.value:
                    then = float(part_then.number / whole_then.number * 100)
                    before = {
                        "previous": then,
                        "previous_text": f"{then:.1f}%",
                        "previous_illustrative": part_then.is_illustrative or whole_then.is_illustrative,
                    }
                shares.append((Bar(f"{fig.indicator.name_zh}占{whole.indicator.name_zh}", share, f"{share:.1f}%", **before), whole.indicator.name_zh))
        return shares, covered

    def _quantity_panels(self, covered: set[str]) -> list[tuple[str, list[Bar]]]:
        """Counts and amounts in a few panels: counts together whatever their unit (each bar states its own),
        amounts of money apart; within each, bars no more than MAX_RATIO apart in size share a scale, so
        no bar is too short to see. A bar alone in its size has no scale to share: the table states it."""
        groups: dict[str, list[Bar]] = {}
        units: dict[str, str] = {}  # bar label → its indicator's unit
        for fig in self.figures:
            if fig.indicator.is_rate or fig.indicator.id in covered:
                continue
            if fig.indicator.is_rank or fig.indicator.is_honour:
                continue  # a place or words, not a length: the table states it
            kind = fig.indicator.kind if fig.indicator.kind in ("amount", "score", "average") else "count"
            groups.setdefault(kind, []).append(Bar(self.label(fig), float(fig.number), fig.text, **self._earlier(fig)))
            units[self.label(fig)] = fig.indicator.unit
        panels = []
        for kind, bars in groups.items():
            clusters = _by_size(bars)
            sizes = ["数值较大", "数值居中", "数值较小"] if len(clusters) == 3 else ["数值较大", "数值较小"]
            name = {"amount": "金额", "score": "得分", "average": "平均值"}.get(kind, "数量")
            for n, cluster in enumerate(clusters):
                shared = {units[b.label] for b in cluster}
                notes = ([f"单位：{next(iter(shared))}"] if len(shared) == 1 else []) + ([sizes[min(n, len(sizes) - 1)]] if len(clusters) > 1 else [])
                panels.append((f"{name}（{'，'.join(notes)}）" if notes else name, cluster))
        if len(panels) > 1:  # a lone bar without last year beside it would be scaled alone: the table states it
            panels = [(title, bars) for title, bars in panels if len(bars) > 1 or bars[0].previous is not None]
        return panels

    # --- over the years -----------------------------------------------------------------------
    def _trends(self) -> list[Trend]:
        """Every comparable year (two at least) of the section's main indicators (catalog ``headline``),
        or of its first few."""
        figures = [f for f in self.figures if not (f.indicator.is_honour or f.indicator.is_rank) and len(self.dataset.series(f.indicator.id)) >= 2]
        chosen = [f for f in figures if f.indicator.headline] or figures
        trends = []
        for fig in chosen[:MAX_TRENDS]:
            period = fig.period_text(self.year)  # only years counted over the same period are comparable
            points = tuple(
                Point(y, float(f.number), f.text, f.is_illustrative)
                for y, f in self.dataset.series(fig.indicator.id).items()
                if f.period_text(y) == period
            )
            if len(points) >= 2:
                trends.append(Trend(f"{fig.indicator.name_zh}（{period}）" if period else fig.indicator.name_zh, points))
        return trends

    def _followups(self) -> tuple[FollowupRow, ...] | None:
        """Each of last year's shortcomings and plans: its status, and the figures that show it."""
        if not self.dataset.followups:
            return None
        rows = []
        for item in self.dataset.followups:
            evidence = []
            for ind in item.commitment.indicators:
                fig = self.dataset.figures.get(ind)
                if fig is not None and fig.has_value:
                    c = self.comparisons.get(ind) or compare(fig, self.dataset.previous.get(ind), self.year)
                    change = f"，{c.phrase}" if c.change is not None else ""
                    evidence.append(f"{fig.indicator.name_zh}{fig.text}{change}")
            title = item.commitment.title_zh + ("（示例）" if item.commitment.is_illustrative else "")
            rows.append(FollowupRow(title, KINDS[item.commitment.kind], item.status_label, "；".join(evidence) or "—", item.note or "—"))
        return tuple(rows)

    # --- tidy tables --------------------------------------------------------------------------
    def _data(self) -> pd.DataFrame:
        rows = []
        years = {**self.dataset.history, self.year: self.dataset.figures}
        for ind in self.indicators:
            for year, figures in sorted(years.items()):
                fig = figures.get(ind.id)
                if fig is None or not fig.reported:
                    continue
                rows.append(
                    {
                        "indicator": ind.id,
                        "name": ind.name_zh,
                        "year": year,
                        "value": fig.words or _number(fig.value),
                        "unit": ind.unit,
                        "qualifier": fig.qualifier,
                        "period": fig.period_text(year) or "全年",
                        "source": fig.source,
                        "illustrative": fig.is_illustrative,
                    }
                )
        frame = pd.DataFrame(rows, columns=DATA_COLUMNS)
        frame["value"] = pd.Series([row["value"] for row in rows], index=frame.index, dtype=object)  # 12 stays 12 beside 97.6
        return frame

    def _metrics(self, outline) -> pd.DataFrame:
        rows = []
        for f in self.figures:
            c = self.comparisons[f.indicator.id]
            rows.append(
                {
                    "indicator": f.indicator.id,
                    "section": self.section.id,
                    "name_zh": f.indicator.name_zh,
                    "unit": f.indicator.unit,
                    "kind": f.indicator.kind,
                    "polarity": f.indicator.polarity,
                    "value": f.words or str(f.value),
                    "qualifier": f.qualifier,
                    "period_end": f.period_end.isoformat() if f.period_end else "",
                    "text": f.text,
                    "period_text": f.period_text(self.year),
                    "source": f.source,
                    "note": f.note,
                    "file": f.file,
                    "row": f.row,
                    "prev_text": stated(c.previous, self.year - 1),
                    "yoy": c.phrase,
                    "verdict": c.verdict.key,
                    "verdict_label": outline.verdict_label(c.verdict),
                    "illustrative": c.illustrative,
                    "definition": outline.definition(f.indicator),
                }
            )
        return pd.DataFrame(rows, columns=METRIC_COLUMNS)


def office_trends(dataset: Dataset) -> list[Trend]:
    """Each section's headline trends over the office's years (as its report draws them), in outline order."""
    return [t for s in dataset.outline.sections for t in SectionModel.of(dataset, s).trends if len(t.points) >= 2]


def listing_facts(dataset: Dataset) -> dict:
    """What a district's site shows of one office-year, recorded in its report's manifest by the build, so
    the site takes an up-to-date report as it is without loading its data."""
    stated = [f for f in dataset.figures.values() if f.has_value]
    return {
        "final": dataset.final,
        "illustrative": any(f.is_illustrative for f in dataset.figures.values()) or any(f.is_illustrative for f in dataset.previous.values()),
        "demo": bool(stated) and all(f.is_illustrative for f in stated),  # it demonstrates the tool, reports nothing
        "trends": trend_rows(office_trends(dataset)),
        "kind": dataset.kind.id,  # the site names it where an office has reports of two kinds
    }


def trends_from(facts: dict) -> list[Trend]:
    return trends_of(facts["trends"])
