"""One report section as a notebook sees it: its figures, table, chart, sentences and metrics file.

The section shows whatever indicators the catalog gives it; a rate with its counts, or a part with
its whole, becomes a share bar instead of two unrelated counts.
"""

from __future__ import annotations

from functools import cached_property
from pathlib import Path

import pandas as pd

from ..data.catalog import Section
from ..data.commitments import KINDS
from ..data.dataset import Dataset, load_dataset, resolve_data_dir
from ..data.markup import literal, plain
from ..data.values import Figure
from ..document.markdown import pipe_table
from .charts import Bar, Panel, Point, Trend, draw, draw_trends, to_png
from .comparison import Comparison, compare

METRIC_COLUMNS = ["indicator", "section", "name_zh", "unit", "kind", "polarity", "value", "qualifier", "period_end",
                  "text", "period_text", "source", "note", "file", "row",
                  "prev_text", "yoy", "verdict", "verdict_label", "illustrative", "definition"]
MAX_TRENDS = 6
#: Bars more than this many times apart are not drawn on one scale: the shorter would have no visible width.
MAX_RATIO = 20


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


class SectionView:
    def __init__(self, dataset: Dataset, section_id: str):
        if section_id not in dataset.outline.sections:
            known = "、".join(dataset.outline.sections)
            raise KeyError(f"章节“{section_id}”不在本单位的大纲中（已有：{known}）")
        self.dataset = dataset
        self.section: Section = dataset.outline.sections[section_id]

    @property
    def year(self) -> int:
        return self.dataset.year

    @property
    def heading(self) -> str:
        return self.section.heading(self.year)

    @property
    def indicators(self):
        """What the office's outline places in this section, in its order."""
        return self.dataset.outline.in_section(self.section.id, self.dataset.catalog)

    @cached_property
    def figures(self) -> list[Figure]:
        """The section's figures that have a value, in the outline's order."""
        figs = self.dataset.figures
        return [figs[i.id] for i in self.indicators if i.id in figs and figs[i.id].has_value]

    @property
    def not_applicable(self) -> list[str]:
        """Names of the section's indicators marked 不适用 this year."""
        figs = self.dataset.figures
        return [i.name_zh for i in self.indicators if i.id in figs and figs[i.id].not_applicable]

    @property
    def missing(self) -> list[str]:
        """Names of the section's indicators with no value this year (不适用 is not missing)."""
        figs = self.dataset.figures
        return [i.name_zh for i in self.indicators if i.id not in figs or not figs[i.id].reported]

    @staticmethod
    def _marks(fig: Figure, year: int) -> str:
        """（截至10月，示例）: the period and the illustrative mark that go with a figure wherever it is shown."""
        notes = [n for n in (fig.period_text(year), "示例" if fig.is_illustrative else "") if n]
        return f"（{'，'.join(notes)}）" if notes else ""

    def label(self, fig: Figure) -> str:
        return fig.indicator.name_zh + self._marks(fig, self.year)

    # --- year over year ---------------------------------------------------------------------
    def comparison(self, fig: Figure) -> Comparison:
        return compare(fig, self.dataset.previous.get(fig.indicator.id), self.year)

    @cached_property
    def _comparisons(self) -> list[Comparison]:
        return [self.comparison(fig) for fig in self.figures]

    def comparisons(self) -> list[Comparison]:
        return self._comparisons

    def stated(self, fig: Figure | None, year: int) -> str:
        if fig is None or not fig.has_value:
            return "—"
        return fig.text + self._marks(fig, year)

    # --- table -----------------------------------------------------------------------------
    def table_markdown(self) -> str:
        """The section's figures as stated, last year's, the change, and the verdict in symbol and words."""
        if not self.figures:
            return "本节暂无量化指标。"
        names = self._row_names()
        if not self.dataset.has_history:  # a first year: its figures, no comparison columns to fill with dashes
            return pipe_table([("指标", "l", 40), (f"{self.year}年", "r", 24)],
                              [(names[f.indicator.id], self.stated(f, self.year)) for f in self._in_table_order()])
        columns = [("指标", "l", 26), (f"{self.year}年", "r", 17), (f"{self.year - 1}年", "r", 17),
                   ("较上年", "l", 26), ("评价", "l", 14)]
        order = {f.indicator.id: n for n, f in enumerate(self._in_table_order())}
        rows = sorted(self.comparisons(), key=lambda c: order[c.current.indicator.id])
        return pipe_table(columns, [
            (names[c.current.indicator.id], self.stated(c.current, self.year), self.stated(c.previous, self.year - 1),
             c.phrase.removeprefix("较上年"), self.dataset.outline.verdict_label(c.verdict)) for c in rows])

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

    def _row_names(self) -> dict[str, str]:
        """Each figure's name in the table: a part of a whole reads 其中：… under it, the next ones indented."""
        names, ids, seen = {}, {f.indicator.id for f in self.figures}, set()
        for fig in self._in_table_order():
            whole = fig.indicator.part_of
            if whole in ids:
                names[fig.indicator.id] = ("　　　" if whole in seen else "其中：") + fig.indicator.name_zh
                seen.add(whole)
            else:
                names[fig.indicator.id] = fig.indicator.name_zh
        return names

    def table(self):
        """The table as a Markdown display object: a notebook shows it, Quarto embeds it."""
        from IPython.display import Markdown

        return Markdown(self.table_markdown())

    # --- chart -----------------------------------------------------------------------------
    def _earlier(self, fig: Figure) -> dict:
        """Last year's value for a bar, where the two years compare (same period, exact figures)."""
        comparison = self.comparison(fig)
        if comparison.change is None or comparison.previous is None:
            return {}
        previous = comparison.previous
        return {"previous": float(previous.value), "previous_text": previous.text,
                "previous_illustrative": previous.is_illustrative}

    def panels(self) -> list[Panel]:
        """The bars the chart draws: rates (with their counts) and parts of a whole as shares of 100, the
        other figures in panels of similar size (``_quantity_panels``); each with last year beside it."""
        shares, covered = self._share_bars
        panels = [Panel(title, tuple(bars)) for title, bars in self._quantity_panels(covered)]
        rates = [bar for bar, whole in shares if whole is None]
        for whole in dict.fromkeys(w for _, w in shares if w is not None):  # a whole's parts together, apart from rates
            panels.append(Panel(f"{whole}的构成（%）", tuple(bar for bar, w in shares if w == whole), share=True))
        if rates:
            panels.append(Panel("比率（%）", tuple(rates), share=True))
        return panels

    @cached_property
    def _share_bars(self) -> tuple[list[tuple[Bar, str | None]], set[str]]:
        """The share bars (each with the name of the whole it is a part of, None for a rate), and the counts
        they stand for (the table states those)."""
        figs = {f.indicator.id: f for f in self.figures}
        previous = self.dataset.previous
        shares, covered = [], set()
        for fig in self.figures:
            ind = fig.indicator
            if ind.is_rate:
                num, den = figs.get(ind.numerator), figs.get(ind.denominator)
                covered |= {ind.numerator, ind.denominator} if num and den else set()  # the table states the counts
                shares.append((Bar(self.label(fig), float(fig.value), fig.text, **self._earlier(fig)), None))
        for fig in self.figures:
            whole = figs.get(fig.indicator.part_of)
            if whole and fig.indicator.id not in covered and whole.value:
                share = float(fig.value / whole.value * 100)
                covered |= {fig.indicator.id, whole.indicator.id}
                before = {}
                part_then, whole_then = previous.get(fig.indicator.id), previous.get(whole.indicator.id)
                if self._earlier(fig) and self._earlier(whole) and whole_then.value:
                    then = float(part_then.value / whole_then.value * 100)
                    before = {"previous": then, "previous_text": f"{then:.1f}%",
                              "previous_illustrative": part_then.is_illustrative or whole_then.is_illustrative}
                shares.append((Bar(f"{fig.indicator.name_zh}占{whole.indicator.name_zh}", share, f"{share:.1f}%", **before),
                               whole.indicator.name_zh))
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
            groups.setdefault(kind, []).append(Bar(self.label(fig), float(fig.value), fig.text, **self._earlier(fig)))
            units[self.label(fig)] = fig.indicator.unit
        panels = []
        for kind, bars in groups.items():
            clusters = _by_size(bars)
            sizes = ["数值较大", "数值居中", "数值较小"] if len(clusters) == 3 else ["数值较大", "数值较小"]
            name = {"amount": "金额", "score": "得分", "average": "平均值"}.get(kind, "数量")
            for n, cluster in enumerate(clusters):
                shared = {units[b.label] for b in cluster}
                notes = ([f"单位：{next(iter(shared))}"] if len(shared) == 1 else []) + \
                        ([sizes[min(n, len(sizes) - 1)]] if len(clusters) > 1 else [])
                panels.append((f"{name}（{'，'.join(notes)}）" if notes else name, cluster))
        if len(panels) > 1:  # a lone bar without last year beside it would be scaled alone: the table states it
            panels = [(title, bars) for title, bars in panels if len(bars) > 1 or bars[0].previous is not None]
        return panels

    @property
    def left_out(self) -> list[str]:
        """The figures the chart leaves to the table: each alone in its size."""
        drawn = {bar.label for panel in self.panels() for bar in panel.bars}
        covered = self._share_bars[1]
        return [self.label(f) for f in self.figures if not f.indicator.is_rate and not f.indicator.is_rank
                and not f.indicator.is_honour and f.indicator.id not in covered and self.label(f) not in drawn]

    @property
    def chartable(self) -> bool:
        """Two bars at least (a figure and last year's counts): a single value is stated, not charted."""
        return sum(1 + (b.previous is not None) for p in self.panels() for b in p.bars) >= 2

    def chart(self):
        """The section's chart as a matplotlib Figure to tune: this year against last year; None when
        there is nothing to compare on a scale."""
        return draw(self.panels(), (self.year - 1, self.year)) if self.chartable else None

    @staticmethod
    def _png_or(fig, fallback: str):
        """A chart as a PNG display object (a fixed resolution, so every run embeds the same image),
        or a sentence saying why there is none."""
        from IPython.display import Image, Markdown

        return Markdown(fallback) if fig is None else Image(data=to_png(fig), format="png")

    def figure(self):
        return self._png_or(self.chart(), "本节暂无量化指标。")

    @cached_property
    def _trends(self) -> list[Trend]:
        figures = [f for f in self.figures if not (f.indicator.is_honour or f.indicator.is_rank)
                   and len(self.dataset.series(f.indicator.id)) >= 2]
        chosen = [f for f in figures if f.indicator.headline] or figures
        trends = []
        for fig in chosen[:MAX_TRENDS]:
            period = fig.period_text(self.year)  # only years counted over the same period are comparable
            points = tuple(Point(y, float(f.value), f.text, f.is_illustrative)
                           for y, f in self.dataset.series(fig.indicator.id).items() if f.period_text(y) == period)
            if len(points) >= 2:
                trends.append(Trend(f"{fig.indicator.name_zh}（{period}）" if period else fig.indicator.name_zh, points))
        return trends

    def trends(self) -> list[Trend]:
        """Every comparable year (two at least) of the section's main indicators (catalog ``headline``),
        or of its first few."""
        return self._trends

    @property
    def has_trend(self) -> bool:
        return bool(self._trends)

    def trend_chart(self):
        return draw_trends(self.trends())

    def trend_figure(self):
        return self._png_or(self.trend_chart(), "本节指标尚无两个以上年度的数据，暂无趋势图。")

    # --- last year's commitments ----------------------------------------------------------------
    def followup_markdown(self) -> str:
        """Each of last year's shortcomings and plans: its status, and the figures that show it."""
        if not self.dataset.followups:
            return f"{self.year - 1}年未记录不足和工作计划事项。"
        rows = []
        for item in self.dataset.followups:
            evidence = []
            for ind in item.commitment.indicators:
                fig = self.dataset.figures.get(ind)
                if fig is not None and fig.has_value:
                    c = self.comparison(fig)
                    change = f"，{c.phrase}" if c.change is not None else ""
                    evidence.append(f"{fig.indicator.name_zh}{fig.text}{change}")
            title = item.commitment.title_zh + ("（示例）" if item.commitment.is_illustrative else "")
            rows.append((title, KINDS[item.commitment.kind], item.status_label, "；".join(evidence) or "—", item.note or "—"))
        columns = [("事项", "l", 24), ("类别", "l", 7), ("状态", "l", 11), ("相关数据", "l", 32), ("说明", "l", 26)]
        return pipe_table(columns, rows)

    def followup_table(self):
        from IPython.display import Markdown

        return Markdown(self.followup_markdown())

    # --- words and metrics ---------------------------------------------------------------------
    def sentence(self) -> str:
        """The generated sentence that stands in for prose when an office has written none."""
        if not self.figures:
            return ""
        parts = [f"{(fig.period_text(self.year) + '，') if fig.period_text(self.year) else ''}{fig.indicator.name_zh}{fig.text}"
                 for fig in self.figures]
        return f"{self.year}年，本节各项数据为：" + "；".join(parts) + "。"

    def trend_sentence(self) -> str:
        """The generated sentence for the trend chart: each main indicator's first and latest year."""
        parts = []
        for trend in self.trends():
            first, last = trend.points[0], trend.points[-1]
            mark = "（示例）" if first.illustrative else ""
            parts.append(f"{trend.title}{first.year}年为{first.text}{mark}，{last.year}年为{last.text}")
        return "历年变化：" + "；".join(parts) + "。" if parts else ""

    def metrics(self) -> pd.DataFrame:
        """The tidy metrics table the report reads: one row per figure, with where it came from."""
        rows = [{
            "indicator": f.indicator.id, "section": self.section.id, "name_zh": f.indicator.name_zh,
            "unit": f.indicator.unit, "kind": f.indicator.kind, "polarity": f.indicator.polarity,
            "value": f.words or str(f.value), "qualifier": f.qualifier,
            "period_end": f.period_end.isoformat() if f.period_end else "", "text": f.text,
            "period_text": f.period_text(self.year), "source": f.source, "note": f.note, "file": f.file, "row": f.row,
            "prev_text": self.stated(c.previous, self.year - 1), "yoy": c.phrase, "verdict": c.verdict.key,
            "verdict_label": self.dataset.outline.verdict_label(c.verdict), "illustrative": c.illustrative,
            "definition": self.dataset.outline.definition(f.indicator),
        } for f, c in zip(self.figures, self.comparisons(), strict=True)]
        return pd.DataFrame(rows, columns=METRIC_COLUMNS)

    # --- what the report says about the section's outputs ----------------------------------------
    def data(self) -> pd.DataFrame:
        """Every year's figure of the section's indicators, one row each: the tidy table to explore."""
        rows = []
        years = {**self.dataset.history, self.year: self.dataset.figures}
        for ind in self.indicators:
            for year, figures in sorted(years.items()):
                fig = figures.get(ind.id)
                if fig is None or not fig.reported:
                    continue
                rows.append({"indicator": ind.id, "name": ind.name_zh, "year": year,
                             "value": fig.words or _number(fig.value), "unit": ind.unit,
                             "qualifier": fig.qualifier, "period": fig.period_text(year) or "全年",
                             "source": fig.source, "illustrative": fig.is_illustrative})
        columns = ["indicator", "name", "year", "value", "unit", "qualifier", "period", "source", "illustrative"]
        frame = pd.DataFrame(rows, columns=columns)
        frame["value"] = pd.Series([row["value"] for row in rows], index=frame.index, dtype=object)  # 12 stays 12 beside 97.6
        return frame

    def shown(self) -> str:
        """Everything the section notebook displays, as one text: the notebook's input, so a figure
        changed in another section does not re-run this one (owid/etl's way: the step declares its inputs)."""
        parts = [self.heading, self.data().to_csv(index=False), self.table_markdown(), repr(self.panels()),
                 repr(self.trends()), self.followup_markdown(), str(self.chartable), str((self.year - 1, self.year))]
        return "\n\0".join(parts)

    def cell_options(self) -> dict[str, dict[str, str]]:
        """Caption and alt text of each output, from the outline and the catalog, describing what is drawn."""
        title = self.section.caption(self.year)
        return {
            "table": {"tbl-cap": literal(f"{title}主要数据" + ("及同比" if self.dataset.has_history else ""))},
            "chart": {"fig-cap": literal(f"{title}主要指标"), "fig-alt": plain(self.chart_alt())},
            "trend": {"fig-cap": literal(f"{title}主要指标历年变化"), "fig-alt": plain(self.trend_alt())},
            "followup": {"tbl-cap": literal(f"{self.year - 1}年存在问题和工作计划的落实情况")},
        }

    def chart_alt(self) -> str:
        """The chart in words: every bar it draws, group by group, with the figure written at its end."""
        def bar_words(bar: Bar) -> str:
            mark = "，示例" if bar.previous_illustrative else ""
            then = f"（{self.year - 1}年{bar.previous_text}{mark}）" if bar.previous is not None else ""
            return f"{bar.label}{bar.text}{then}"

        groups = [f"{panel.title}——" + "、".join(bar_words(bar) for bar in panel.bars)
                  for panel in self.panels() if panel.bars]
        if not groups or not self.chartable:
            return "本节暂无可比较的量化指标。"
        paired = any(bar.previous is not None for panel in self.panels() for bar in panel.bars)
        years = f"{self.year}年与{self.year - 1}年并列" if paired else f"{self.year}年"
        made_up = any(bar.previous_illustrative for panel in self.panels() for bar in panel.bars)
        hatched = f"；{self.year - 1}年的斜线条为示例数据（非真实）" if made_up else ""
        apart = f"；{'、'.join(self.left_out)}与其他指标数值相差较大，只列在表中" if self.left_out else ""
        ranks = [self.label(f) for f in self.figures if f.indicator.is_rank]
        apart += f"；{'、'.join(ranks)}是名次，只列在表中" if ranks else ""
        honours = [self.label(f) for f in self.figures if f.indicator.is_honour]
        apart += f"；{'、'.join(honours)}是荣誉（文字），只列在表中" if honours else ""
        return f"条形图，共{len(groups)}组，{years}：" + "；".join(groups) + hatched + apart + "。"

    def trend_alt(self) -> str:
        trends = self.trends()
        if not trends:
            return "本节指标尚无两个以上年度的数据。"
        parts = [f"{t.title}：" + "、".join(f"{p.year}年{p.text}{'（示例）' if p.illustrative else ''}" for p in t.points)
                 for t in trends]
        hatched = "；斜线柱为示例数据" if any(p.illustrative for t in trends for p in t.points) else ""
        return "分年柱状图，每个指标一格：" + "；".join(parts) + hatched + "。"


def open_section(section_id: str, *, office: str, year: int, data_dir: str | Path) -> SectionView:
    """Load and validate the office-year, then view one section of it: what every notebook starts with."""
    return SectionView(load_dataset(resolve_data_dir(data_dir), office, int(year)), section_id)
