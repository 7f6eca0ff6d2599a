"""Chart style and the section charts: counts by unit, rates against their counts, trends, in Chinese.

matplotlib is imported where a chart is drawn, so a rebuild that draws nothing does not pay for it.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from ..fonts import chart_faces

if TYPE_CHECKING:
    from matplotlib.figure import Figure as MplFigure

ACCENT = "#1F4E79"
EARLIER = "#9DB3CC"  # last year's bar: lighter, so this year's stands out
TRACK = "#E3E8EF"
TEXT = "#222222"
#: A chart is drawn 4.5 in wide with no text under 11 pt: shrunk to a phone's 358 CSS px that text is
#: still 12 px (11 / 72 × 358 / 4.5 ≈ 12.2), and on A4 it prints at its natural size.
WIDTH_IN = 4.5
MIN_FONT_PT = 11
TITLE_PT = 11
ROW_IN = 0.34
ROW_MIN_IN = 0.24  # a 10.5 pt label still has air above and below it
PANEL_PAD_IN = 0.55
#: The tallest chart printed at its width: 70 % of the type area's height (GB/T 9704: 225 mm), the room
#: report/typst/header.typ gives an image beside its caption. A taller one is shrunk into it, labels and all.
PAGE_IN = 0.7 * 225 / 25.4
DPI = 200
#: The tallest any chart is drawn: with its caption under it, it fits the type area of a Word copy's page.
TALLEST_IN = 0.85 * 225 / 25.4


def report_style() -> dict:
    """rcParams for every chart of the report: the body's CJK faces, no minus-sign glyph gaps, quiet axes."""
    return {
        "font.family": list(chart_faces()),  # the body's faces, each standing in for the one before
        "font.size": MIN_FONT_PT,
        "axes.unicode_minus": False,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.spines.bottom": False,
        "axes.titlesize": TITLE_PT,
        "axes.titleweight": "normal",  # a 仿宋 face has no bold
        "axes.titlelocation": "left",
        "text.color": TEXT,
        "svg.fonttype": "none",
    }


@lru_cache(maxsize=1)
def report_figure_class():
    """matplotlib's Figure that a notebook shows as the chart (not ``<Figure size …>``) by itself, with no
    backend set: the report's charts are made without pyplot, so nothing else would draw them."""
    from matplotlib.figure import Figure

    class ReportFigure(Figure):
        def _repr_svg_(self) -> str:
            return to_svg(self).decode("utf-8")

    return ReportFigure


class Chart:
    """A chart as a notebook shows it: in vector form only (SVG, its text drawn as outlines, so no viewer needs
    the faces). The browser and Typst draw it as it is; the Word copy's print-resolution PNG is drawn from it
    when a Word copy is rendered (helpers.document.raster), not in every kernel for every chart."""

    def __init__(self, fig: MplFigure | None = None, *, svg: str = "", key: str = ""):
        self.svg = svg or (to_svg(fig).decode("utf-8") if fig is not None else "")
        self.key = key  # what it is drawn from (helpers.model.chartstore), where it was drawn by :meth:`drawn`

    @classmethod
    def drawn(cls, draw: Callable[..., MplFigure | None], *args: object, **kwargs: object) -> Chart | None:
        """The chart ``draw(*args, **kwargs)`` makes, taken from the chart store where the same chart was
        drawn before (helpers.model.chartstore), else drawn; None where ``draw`` draws nothing."""
        from .chartstore import chart_key, kept_svg

        key = chart_key(draw, *args, **kwargs)
        svg = kept_svg(key)
        if svg is not None:
            return cls(svg=svg, key=key)
        fig = draw(*args, **kwargs)
        return None if fig is None else cls(fig, key=key)

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict | tuple[dict, dict]:
        data = {"image/svg+xml": self.svg}
        return (data, {"image/svg+xml": {"chart": self.key}}) if self.key else data


@dataclass(frozen=True)
class Bar:
    """One row of a chart: its label, its length, and the text written at its end; with last year's
    value beside it where there is one, so the chart shows the change the report is about."""

    label: str
    value: float
    text: str
    previous: float | None = None
    previous_text: str = ""
    previous_illustrative: bool = False


@dataclass(frozen=True)
class Panel:
    """A group of bars sharing a scale: one unit of counts, or percentages (``share`` panels run to 100)."""

    title: str
    bars: tuple[Bar, ...]
    share: bool = False


def fit_page(panels: list[Panel]) -> tuple[list[Panel], float]:
    """The first panels that fit one page at their width, and the row height they are drawn with: rows
    narrow (down to ``ROW_MIN_IN``) before a panel is left out, and the first panel is always kept."""
    panels = [p for p in panels if p.bars]
    kept: list[Panel] = []
    for panel in panels:
        trial = [*kept, panel]
        if kept and sum(len(p.bars) for p in trial) * ROW_MIN_IN + PANEL_PAD_IN * len(trial) > PAGE_IN:
            break
        kept = trial
    bars = sum(len(p.bars) for p in kept)
    room = (PAGE_IN - PANEL_PAD_IN * len(kept)) / bars if bars else ROW_IN
    return kept, max(ROW_MIN_IN, min(ROW_IN, room))


def draw(panels: list[Panel], years: tuple[int, int] | None = None, row_in: float = ROW_IN) -> MplFigure | None:
    """Stack the panels in one figure, each as tall as its bars need; None when there is nothing to draw.

    With ``years`` (last, this), a bar that has last year's value is drawn as a pair."""
    panels = [p for p in panels if p.bars]
    if not panels:
        return None
    import matplotlib

    MplFigure = report_figure_class()
    paired = years is not None and any(b.previous is not None for p in panels for b in p.bars)
    factor = 1.7 if paired else 1.0
    bars = sum(len(p.bars) for p in panels)
    room = (TALLEST_IN - PANEL_PAD_IN * len(panels) - (0.35 if paired else 0)) / (bars * factor)
    row_in = max(ROW_MIN_IN, min(row_in, room))  # rows narrow before the chart outgrows the page
    with matplotlib.rc_context(report_style()):
        heights = [len(p.bars) * row_in * factor + PANEL_PAD_IN for p in panels]
        fig = MplFigure(figsize=(WIDTH_IN, sum(heights) + (0.35 if paired else 0)), dpi=DPI, layout="constrained")
        axes = fig.subplots(len(panels), 1, gridspec_kw={"height_ratios": heights}, squeeze=False)[:, 0]
        for ax, panel in zip(axes, panels, strict=True):
            _draw_panel(ax, panel, paired)
        if paired and years is not None:
            from matplotlib.patches import Patch

            made_up = any(b.previous_illustrative for p in panels for b in p.bars)
            earlier = (
                Patch(facecolor="white", edgecolor=EARLIER, hatch="///", label=f"{years[0]}年（示例）")
                if made_up
                else Patch(color=EARLIER, label=f"{years[0]}年")
            )
            handles = [earlier, Patch(color=ACCENT, label=f"{years[1]}年")]
            fig.legend(handles=handles, loc="outside lower left", ncols=2, frameon=False, fontsize=MIN_FONT_PT)
        fig.get_layout_engine().set(h_pad=0.08, hspace=0.04)
    return fig


def _draw_panel(ax, panel: Panel, paired: bool) -> None:
    bars = panel.bars[::-1]
    rows = range(len(bars))
    height = 0.38 if paired else 0.62
    values = [b.value for b in bars]
    earlier = [b.previous for b in bars if b.previous is not None]
    top = 100.0 if panel.share else max(values + earlier) or 1.0
    this_y = [y - height / 2 if paired else y for y in rows]
    if panel.share and not paired:
        ax.barh(list(rows), [100.0] * len(bars), color=TRACK, height=height)
    ax.barh(this_y, values, color=ACCENT, height=height)
    for y, bar in zip(this_y, bars, strict=True):
        ax.text(bar.value + top * 0.015, y, bar.text, va="center", ha="left", fontsize=MIN_FONT_PT)
    if paired:
        for y, bar in zip(rows, bars, strict=True):
            if bar.previous is None:
                continue
            drawn = ax.barh(y + height / 2, bar.previous, color="white" if bar.previous_illustrative else EARLIER, edgecolor=EARLIER, height=height)
            if bar.previous_illustrative:
                drawn[0].set_hatch("///")
            ax.text(bar.previous + top * 0.015, y + height / 2, bar.previous_text, va="center", ha="left", fontsize=MIN_FONT_PT, color="#4A5A6A")
    ax.set_yticks(list(rows), [b.label for b in bars])
    ax.set_xlim(0, top * (1.55 if panel.share else 1.45))
    ax.set_ylim(-0.6, len(bars) - 0.4)
    # the panel's title from the chart's left edge, over the labels, not from the axis: a long title
    # (数量（单位：宗，数值较小）) beside long labels would run past the right edge; an empty axes title keeps its room
    ax.set_title(" ")
    title = ax.annotate(
        panel.title,
        xy=(0, 1),
        xycoords=("figure fraction", "axes fraction"),
        xytext=(2, 6),
        textcoords="offset points",
        ha="left",
        va="baseline",
        fontsize=TITLE_PT,
        annotation_clip=False,
    )
    title.set_in_layout(False)
    ax.xaxis.set_visible(False)
    ax.tick_params(axis="y", length=0, labelsize=MIN_FONT_PT)


def to_svg(fig: MplFigure) -> bytes:
    """The figure as SVG: text as outlines, no date and fixed ids, so the same chart gives the same bytes."""
    import matplotlib

    with matplotlib.rc_context({**report_style(), "svg.fonttype": "path", "svg.hashsalt": "annual-report"}):
        buffer = io.BytesIO()
        fig.savefig(buffer, format="svg", metadata={"Date": None})
    return buffer.getvalue()


def warm_up() -> None:
    """Draw one small chart in the form a notebook shows (SVG): the faces' glyph tables and the renderer load
    here, once, in the warm kernels' parent, instead of in every kernel's first chart."""
    import matplotlib

    with matplotlib.rc_context(report_style()):
        fig = report_figure_class()(figsize=(2, 1))
        ax = fig.subplots()
        ax.barh([0, 1], [1, 2])
        ax.set_title("法治政府建设年度报告 2024年 12.5% −")
        ax.set_yticks([0, 1], ["行政复议案件", "执法检查"])
    to_svg(fig)


@dataclass(frozen=True)
class Point:
    """One year of a trend: its value, the text written over its bar, and whether it is illustrative."""

    year: int
    value: float
    text: str
    illustrative: bool = False


@dataclass(frozen=True)
class Trend:
    title: str
    points: tuple[Point, ...]


def trend_rows(trends: list[Trend]) -> list:
    """Trends as JSON rows (a manifest's listing facts, a job's arguments): ``[title, [[year, value, text,
    illustrative], …]]`` each."""
    return [[t.title, [[p.year, p.value, p.text, p.illustrative] for p in t.points]] for t in trends]


def trends_of(rows: list) -> list[Trend]:
    """The trends :func:`trend_rows` wrote."""
    return [Trend(title, tuple(Point(int(y), float(v), str(text), bool(mark)) for y, v, text, mark in points)) for title, points in rows]


def trend_chart_svg(trends: list[Trend]) -> bytes:
    """An office's trend chart (:func:`draw_trends`) as SVG; empty bytes where it draws nothing."""
    fig = draw_trends(trends)
    return to_svg(fig) if fig is not None else b""


def write_trend_charts(charts: list) -> None:
    """Each ``[path, rows]`` of ``charts`` drawn (:func:`trend_chart_svg`) and written to its path: a site's
    charts, drawn in a child of the warm kernels' parent, which has matplotlib and the faces loaded
    (helpers.notebooks.forkserver.JOBS)."""
    for path, rows in charts:
        Path(path).write_bytes(trend_chart_svg(trends_of(rows)))


TREND_COLUMNS = 2
TREND_CELL_IN = (2.25, 1.9)


def draw_trends(trends: list[Trend]) -> MplFigure | None:
    """Small multiples, one per indicator, one bar per year; illustrative years are hatched and say so."""
    trends = [t for t in trends if len(t.points) >= 2]
    if not trends:
        return None
    columns = min(TREND_COLUMNS, len(trends))
    rows = -(-len(trends) // columns)
    import matplotlib

    MplFigure = report_figure_class()
    with matplotlib.rc_context(report_style()):
        fig = MplFigure(figsize=(WIDTH_IN, rows * TREND_CELL_IN[1] + 0.3), dpi=DPI, layout="constrained")
        axes = fig.subplots(rows, columns, squeeze=False).ravel()
        for ax, trend in zip(axes, trends, strict=False):
            _draw_trend(ax, trend)
        for ax in axes[len(trends) :]:
            ax.set_visible(False)
        if any(p.illustrative for t in trends for p in t.points):
            fig.supxlabel("斜线条为示例数据（非真实）", fontsize=MIN_FONT_PT, color="#8A5A00", x=0.0, ha="left")
    return fig


def _draw_trend(ax, trend: Trend) -> None:
    years = [str(p.year) for p in trend.points]
    values = [p.value for p in trend.points]
    colors = ["white" if p.illustrative else ACCENT for p in trend.points]
    bars = ax.bar(years, values, color=colors, edgecolor=ACCENT, width=0.62)
    for bar, point in zip(bars, trend.points, strict=True):
        if point.illustrative:
            bar.set_hatch("///")
        ax.annotate(
            point.text,
            (bar.get_x() + bar.get_width() / 2, bar.get_height()),
            xytext=(0, 2),
            textcoords="offset points",
            ha="center",
            va="bottom",
            fontsize=MIN_FONT_PT,
        )
    ax.set_ylim(0, (max(values) or 1) * 1.3)
    ax.set_title(trend.title, fontsize=MIN_FONT_PT, loc="left", wrap=True)
    ax.yaxis.set_visible(False)
    ax.spines["left"].set_visible(False)
    ax.spines["bottom"].set_visible(True)
    ax.tick_params(axis="x", length=0, labelsize=MIN_FONT_PT)
