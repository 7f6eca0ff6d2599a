"""Chart style and the section charts: counts by unit, rates against their counts, trends, in Chinese.

matplotlib is imported where a chart is drawn, so a rebuild that draws nothing does not pay for it.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .fonts import chart_family

if TYPE_CHECKING:
    from matplotlib.figure import Figure as MplFigure

ACCENT = "#1F4E79"
TRACK = "#E3E8EF"
TEXT = "#222222"
WIDTH_IN = 6.3
ROW_IN = 0.32
PANEL_PAD_IN = 0.5
DPI = 200


def report_style() -> dict:
    """rcParams for every chart of the report: a CJK font, no minus-sign glyph gaps, quiet axes."""
    return {
        "font.family": [chart_family()],
        "font.size": 10,
        "axes.unicode_minus": False,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.spines.bottom": False,
        "axes.titlesize": 10.5,
        "axes.titleweight": "bold",
        "axes.titlelocation": "left",
        "text.color": TEXT,
        "svg.fonttype": "none",
    }


@dataclass(frozen=True)
class Bar:
    """One row of a chart: its label, its length, and the text written at its end."""

    label: str
    value: float
    text: str


@dataclass(frozen=True)
class Panel:
    """A group of bars sharing a scale: one unit of counts, or percentages (``share`` panels run to 100)."""

    title: str
    bars: tuple[Bar, ...]
    share: bool = False


def draw(panels: list[Panel]) -> MplFigure | None:
    """Stack the panels in one figure, each as tall as its bars need; None when there is nothing to draw."""
    panels = [p for p in panels if p.bars]
    if not panels:
        return None
    import matplotlib
    from matplotlib.figure import Figure as MplFigure

    with matplotlib.rc_context(report_style()):
        heights = [len(p.bars) * ROW_IN + PANEL_PAD_IN for p in panels]
        fig = MplFigure(figsize=(WIDTH_IN, sum(heights)), dpi=DPI, layout="constrained")
        axes = fig.subplots(len(panels), 1, gridspec_kw={"height_ratios": heights}, squeeze=False)[:, 0]
        for ax, panel in zip(axes, panels):
            _draw_panel(ax, panel)
        fig.get_layout_engine().set(h_pad=0.08, hspace=0.04)
    return fig


def _draw_panel(ax, panel: Panel) -> None:
    labels = [b.label for b in panel.bars][::-1]
    values = [b.value for b in panel.bars][::-1]
    texts = [b.text for b in panel.bars][::-1]
    top = 100.0 if panel.share else max(values) or 1.0
    if panel.share:
        ax.barh(labels, [100.0] * len(values), color=TRACK, height=0.62)
    ax.barh(labels, values, color=ACCENT, height=0.62)
    ax.set_xlim(0, top * (1.5 if panel.share else 1.3))
    ax.set_ylim(-0.6, len(values) - 0.4)
    for y, (value, text) in enumerate(zip(values, texts)):
        ax.text((100.0 if panel.share else value) + top * 0.015, y, text, va="center", ha="left", fontsize=9.5)
    ax.set_title(panel.title)
    ax.xaxis.set_visible(False)
    ax.tick_params(axis="y", length=0)


def to_png(fig: MplFigure) -> bytes:
    """The figure as PNG bytes at print resolution."""
    import matplotlib

    with matplotlib.rc_context(report_style()):
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png", dpi=DPI)
    return buffer.getvalue()


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


TREND_COLUMNS = 3
TREND_CELL_IN = (2.1, 1.75)


def draw_trends(trends: list[Trend]) -> MplFigure | None:
    """Small multiples, one per indicator, one bar per year; illustrative years are hatched and say so."""
    trends = [t for t in trends if len(t.points) >= 2]
    if not trends:
        return None
    columns = min(TREND_COLUMNS, len(trends))
    rows = -(-len(trends) // columns)
    import matplotlib
    from matplotlib.figure import Figure as MplFigure

    with matplotlib.rc_context(report_style()):
        fig = MplFigure(figsize=(WIDTH_IN, rows * TREND_CELL_IN[1] + 0.3), dpi=DPI, layout="constrained")
        axes = fig.subplots(rows, columns, squeeze=False).ravel()
        for ax, trend in zip(axes, trends):
            _draw_trend(ax, trend)
        for ax in axes[len(trends):]:
            ax.set_visible(False)
        if any(p.illustrative for t in trends for p in t.points):
            fig.supxlabel("斜线条为示例数据（非真实），仅用于演示同比", fontsize=8.5, color="#8A5A00", x=0.0, ha="left")
    return fig


def _draw_trend(ax, trend: Trend) -> None:
    years = [str(p.year) for p in trend.points]
    values = [p.value for p in trend.points]
    colors = ["white" if p.illustrative else ACCENT for p in trend.points]
    bars = ax.bar(years, values, color=colors, edgecolor=ACCENT, width=0.62)
    for bar, point in zip(bars, trend.points):
        if point.illustrative:
            bar.set_hatch("///")
        ax.annotate(point.text, (bar.get_x() + bar.get_width() / 2, bar.get_height()), xytext=(0, 2),
                    textcoords="offset points", ha="center", va="bottom", fontsize=8.5)
    ax.set_ylim(0, (max(values) or 1) * 1.3)
    ax.set_title(trend.title, fontsize=9.5, loc="left", wrap=True)
    ax.yaxis.set_visible(False)
    ax.spines["left"].set_visible(False)
    ax.spines["bottom"].set_visible(True)
    ax.tick_params(axis="x", length=0, labelsize=9)
