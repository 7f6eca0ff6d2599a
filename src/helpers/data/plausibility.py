"""Plausibility, not only validity: a figure far from its own history is worth a second look.

A valid figure can still be wrong: a rate typed as a fraction (0.976 for 97.6%), a count with a digit
too many. Each figure is compared with the same indicator's latest earlier value; what looks off is a
located warning (``--strict`` makes it an error, for publishing).
"""

from __future__ import annotations

from decimal import Decimal

from ..errors import Problem
from .values import Figure

#: How many times larger or smaller than last year a figure may be before it is questioned.
DEFAULT_MAX_CHANGE = Decimal(10)


def _latest(history: dict[int, dict[str, Figure]], indicator: str) -> tuple[int, Figure] | None:
    for year in sorted(history, reverse=True):
        fig = history[year].get(indicator)
        if fig is not None and fig.value is not None:
            return year, fig
    return None


def check_plausible(figures: dict[str, Figure], history: dict[int, dict[str, Figure]]) -> list[Problem]:
    """Warnings for figures that break with their own history."""
    warnings = []
    for fig in figures.values():
        if fig.value is None:
            continue
        earlier = _latest(history, fig.indicator.id)
        if earlier is None:
            continue
        year, prev = earlier
        ind = fig.indicator
        where = f"{ind.name_zh}（{ind.id}）"
        if ind.is_rate and fig.number <= 1 < 10 < prev.number:
            warnings.append(
                Problem(
                    fig.file,
                    fig.row,
                    "value",
                    f"{where}填为{fig.stated or fig.value}，{year}年为{prev.text}：是否把百分数写成了小数？97.6% 应填 97.6",
                    warning=True,
                )
            )
            continue
        limit = ind.max_change or DEFAULT_MAX_CHANGE
        low, high = sorted((fig.number, prev.number))
        if low > 0 and high / low > limit:
            warnings.append(
                Problem(
                    fig.file,
                    fig.row,
                    "value",
                    f"{where}为{fig.text}，{year}年为{prev.text}，相差{high / low:.0f}倍，超过目录允许的{limit}倍：请核对",
                    warning=True,
                )
            )
    return warnings
