"""One report section as a notebook and the document show it: its table as Markdown, its charts as
images, its sentences, captions and alt text, all read from the section's model (``section``).

Nothing here computes a figure: the view only says in words, tables and pictures what the model holds.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..data.catalog import Section
from ..data.dataset import Dataset, load_dataset, resolve_data_dir
from ..data.markdown import pipe_table
from ..data.markup import literal, plain
from ..data.values import Figure
from .charts import Bar, Chart, Panel, Trend, draw, draw_trends
from .comparison import Comparison
from .section import SectionModel


class SectionView:
    """The display of one section's model; a notebook's ``section``."""

    def __init__(self, dataset: Dataset, section_id: str):
        self.model = SectionModel.of(dataset, section_id)

    # --- what the model holds, as a notebook reads it -------------------------------------------
    @property
    def section(self) -> Section:
        return self.model.section

    @property
    def year(self) -> int:
        return self.model.year

    @property
    def heading(self) -> str:
        return self.model.heading

    @property
    def indicators(self) -> tuple:
        return self.model.indicators

    @property
    def figures(self) -> tuple[Figure, ...]:
        return self.model.figures

    @property
    def missing(self) -> tuple[str, ...]:
        return self.model.missing

    @property
    def not_applicable(self) -> tuple[str, ...]:
        return self.model.not_applicable

    @property
    def chartable(self) -> bool:
        return self.model.chartable

    @property
    def has_trend(self) -> bool:
        return self.model.has_trend

    def comparisons(self) -> tuple[Comparison, ...]:
        return self.model.comparisons

    def panels(self) -> list[Panel]:
        """The bars the chart draws, panel by panel: the data to draw a chart of one's own."""
        return list(self.model.panels)

    def trends(self) -> list[Trend]:
        """Every comparable year (two at least) of the section's main indicators."""
        return list(self.model.trends)

    def data(self) -> pd.DataFrame:
        """Every year's figure of the section's indicators, one row each: the tidy table to explore."""
        return self.model.data.copy()

    def metrics(self) -> pd.DataFrame:
        """The tidy metrics table the report reads: one row per figure, with where it came from."""
        return self.model.metrics.copy()

    # --- the table ----------------------------------------------------------------------------
    def table_markdown(self) -> str:
        """The section's figures as stated, last year's, the change, and the verdict in symbol and words."""
        model = self.model
        if not model.rows:
            return "本节暂无量化指标。"
        if not model.has_history:  # a first year: its figures, no comparison columns to fill with dashes
            return pipe_table([("指标", "l", 40), (f"{self.year}年", "r", 24)], [(r.name, r.stated) for r in model.rows])
        columns = [("指标", "l", 26), (f"{self.year}年", "r", 17), (f"{self.year - 1}年", "r", 17), ("较上年", "l", 26), ("评价", "l", 14)]
        return pipe_table(columns, [(r.name, r.stated, r.previous, r.change, r.verdict) for r in model.rows])

    def table(self):
        """The table as a Markdown display object: a notebook shows it, Quarto embeds it."""
        from IPython.display import Markdown

        return Markdown(self.table_markdown())

    def followup_markdown(self) -> str:
        """Each of last year's shortcomings and plans: its status, and the figures that show it."""
        if self.model.followups is None:
            return f"{self.year - 1}年未记录不足和工作计划事项。"
        columns = [("事项", "l", 24), ("类别", "l", 7), ("状态", "l", 11), ("相关数据", "l", 32), ("说明", "l", 26)]
        return pipe_table(columns, [(r.title, r.kind, r.status, r.evidence, r.note) for r in self.model.followups])

    def followup_table(self):
        from IPython.display import Markdown

        return Markdown(self.followup_markdown())

    # --- the charts ---------------------------------------------------------------------------
    def chart(self):
        """The section's chart as a matplotlib Figure to tune: this year against last year; None when
        there is nothing to compare on a scale."""
        return draw(list(self.model.panels), (self.year - 1, self.year)) if self.model.chartable else None

    def figure(self):
        chart = Chart.drawn(draw, list(self.model.panels), (self.year - 1, self.year)) if self.model.chartable else None
        return _chart_or(chart, "本节暂无量化指标。")

    def trend_chart(self):
        return draw_trends(self.trends())

    def trend_figure(self):
        return _chart_or(Chart.drawn(draw_trends, self.trends()), "本节指标尚无两个以上年度的数据，暂无趋势图。")

    # --- words --------------------------------------------------------------------------------
    def sentence(self) -> str:
        """The generated sentence that stands in for prose when an office has written none."""
        if not self.figures:
            return ""
        parts = [
            f"{(fig.period_text(self.year) + '，') if fig.period_text(self.year) else ''}{fig.indicator.name_zh}{fig.text}" for fig in self.figures
        ]
        return f"{self.year}年，本节各项数据为：" + "；".join(parts) + "。"

    def trend_sentence(self) -> str:
        """The generated sentence for the trend chart: each main indicator's first and latest year."""
        parts = []
        for trend in self.model.trends:
            first, last = trend.points[0], trend.points[-1]
            mark = "（示例）" if first.illustrative else ""
            parts.append(f"{trend.title}{first.year}年为{first.text}{mark}，{last.year}年为{last.text}")
        return "历年变化：" + "；".join(parts) + "。" if parts else ""

    def cell_options(self) -> dict[str, dict[str, str]]:
        """Caption and alt text of each output, from the outline and the catalog, describing what is drawn."""
        title = self.model.caption
        return {
            "table": {"tbl-cap": literal(f"{title}主要数据" + ("及同比" if self.model.has_history else ""))},
            "chart": {"fig-cap": literal(f"{title}主要指标"), "fig-alt": plain(self.chart_alt())},
            "trend": {"fig-cap": literal(f"{title}主要指标历年变化"), "fig-alt": plain(self.trend_alt())},
            "followup": {"tbl-cap": literal(f"{self.year - 1}年存在问题和工作计划的落实情况")},
        }

    def chart_alt(self) -> str:
        """The chart in words: every bar it draws, group by group, with the figure written at its end."""
        model = self.model

        def bar_words(bar: Bar) -> str:
            mark = "，示例" if bar.previous_illustrative else ""
            then = f"（{self.year - 1}年{bar.previous_text}{mark}）" if bar.previous is not None else ""
            return f"{bar.label}{bar.text}{then}"

        groups = [f"{panel.title}——" + "、".join(bar_words(bar) for bar in panel.bars) for panel in model.panels if panel.bars]
        if not groups or not model.chartable:
            return "本节暂无可比较的量化指标。"
        bars = [bar for panel in model.panels for bar in panel.bars]
        years = f"{self.year}年与{self.year - 1}年并列" if any(b.previous is not None for b in bars) else f"{self.year}年"
        hatched = f"；{self.year - 1}年的斜线条为示例数据（非真实）" if any(b.previous_illustrative for b in bars) else ""
        apart = f"；{'、'.join(model.left_out)}与其他指标数值相差较大，只列在表中" if model.left_out else ""
        apart += f"；{'、'.join(model.ranks)}是名次，只列在表中" if model.ranks else ""
        apart += f"；{'、'.join(model.honours)}是荣誉（文字），只列在表中" if model.honours else ""
        return f"条形图，共{len(groups)}组，{years}：" + "；".join(groups) + hatched + apart + "。"

    def trend_alt(self) -> str:
        trends = self.model.trends
        if not trends:
            return "本节指标尚无两个以上年度的数据。"
        parts = [f"{t.title}：" + "、".join(f"{p.year}年{p.text}{'（示例）' if p.illustrative else ''}" for p in t.points) for t in trends]
        hatched = "；斜线柱为示例数据" if any(p.illustrative for t in trends for p in t.points) else ""
        return "分年柱状图，每个指标一格：" + "；".join(parts) + hatched + "。"

    def shown(self) -> str:
        """Everything the section notebook displays, as one text: the notebook's input, so a figure
        changed in another section does not re-run this one (owid/etl's way: the step declares its inputs)."""
        model = self.model
        parts = [
            model.heading,
            model.data.to_csv(index=False),
            self.table_markdown(),
            repr(model.panels),
            repr(model.trends),
            self.followup_markdown(),
            str(model.chartable),
            str((self.year - 1, self.year)),
        ]
        return "\n\0".join(parts)


def _chart_or(chart: Chart | None, fallback: str):
    """A chart as the notebook shows it (helpers.model.charts.Chart), or a sentence saying why there is none."""
    from IPython.display import Markdown

    return Markdown(fallback) if chart is None else chart


def open_section(section_id: str = "", *, office: str = "", year: int = 0, data_dir: str | Path = "") -> SectionView:
    """Load and validate the office-year, then view one section of it: what every notebook starts with. An
    office, year or section left empty is chosen (helpers.data.selection): the office with the most years,
    its latest year, the first section with figures of that year."""
    from ..data.selection import chosen

    office, year = chosen(data_dir, office, year)
    data = load_dataset(resolve_data_dir(data_dir), office, int(year))
    if not section_id:
        sections = list(data.outline.sections)
        section_id = next(
            (s for s in sections if any(i.id in data.figures for i in data.outline.in_section(s, data.catalog))), sections[0] if sections else ""
        )
    return SectionView(data, section_id)
