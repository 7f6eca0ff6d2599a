"""Year over year: one indicator's change between two years, phrased and judged as a report would.

Judgement follows the indicator's polarity: more mediated cases is not by itself an improvement
(neutral: described, not judged); a higher success rate is (up); more lawsuits is not (down).
Where a comparison would mislead, none is made and the reason is said.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from ..data.numbers import decimal_places
from ..data.values import Figure
from ..data.verdict import Verdict
from ..phrasing import format_number


@dataclass(frozen=True)
class Comparison:
    current: Figure | None
    previous: Figure | None
    verdict: Verdict
    phrase: str  # 较上年增加22宗、增长4.6% … or why no comparison is made
    change: Decimal | None = None  # absolute change, or percentage points for a rate
    relative: Decimal | None = None  # percent

    @property
    def illustrative(self) -> bool:
        """An illustrative (示例) figure takes part: the report must say so beside it."""
        return any(f is not None and f.is_illustrative for f in (self.current, self.previous)) and self.change is not None


def _round(value: Decimal, places: int) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def _not_compared(current: Figure | None, previous: Figure | None, year: int) -> str | None:
    """Why these two figures cannot honestly be compared, or None when they can."""
    if current is None or current.value is None:
        return "本年无数据，不作比较"
    if previous is None:
        return "无上年数据，不作比较"
    if previous.value is None:
        return "上年数据缺失，不作比较"
    if current.qualifier or previous.qualifier:
        return f"本年{current.text}、上年{previous.text}含约数，不作精确比较"
    now = current.period_text(year) or "全年"
    before = previous.period_text(year - 1) or "全年"
    if now != before:
        return f"本年{now}、上年{before}，统计期不同，不作比较"
    return None


def _compare_words(current: Figure, previous: Figure | None) -> Comparison:
    """An honour is compared as words: the same as last year, or what last year's was; never judged."""
    if not current.words:
        return Comparison(current, previous, Verdict.NOT_COMPARED, "本年无数据，不作比较")
    if previous is None or not previous.words:
        return Comparison(current, previous, Verdict.DESCRIBED, "上年无此项")
    if previous.words == current.words:
        return Comparison(current, previous, Verdict.UNCHANGED, "与上年相同")
    return Comparison(current, previous, Verdict.DESCRIBED, f"上年为“{previous.words}”")


def amount_change(now: Decimal, before: Decimal, change: Decimal, unit: str) -> tuple[str, Decimal | None]:
    """较上年增加22宗、增长4.6%: a count's or an amount's change (not zero), and its percentage where last
    year's was not zero."""
    rising = change > 0
    amount = f"{'增加' if rising else '减少'}{format_number(abs(change))}{unit}"
    if before == 0:
        return f"较上年{amount}（上年为0，不计算增幅）", None
    relative = _round((now - before) / before * 100, 1)
    return f"较上年{amount}、{'增长' if rising else '下降'}{format_number(abs(relative))}%", relative


def compare(current: Figure | None, previous: Figure | None, year: int, polarity: str = "") -> Comparison:
    """Compare ``current`` (of ``year``) with ``previous`` (of ``year - 1``)."""
    if current is not None and current.indicator.is_honour:
        return _compare_words(current, previous)
    reason = _not_compared(current, previous, year)
    if reason or current is None or previous is None:  # no reason: both exist, with values
        return Comparison(current, previous, Verdict.NOT_COMPARED, reason or "无数据，不作比较")
    ind = current.indicator
    polarity = polarity or ind.polarity
    places = max(decimal_places(current.number), decimal_places(previous.number))
    change = _round(current.number - previous.number, places)
    if change == 0:
        return Comparison(current, previous, Verdict.UNCHANGED, "与上年持平", change, Decimal(0))
    rising = change > 0
    if ind.is_rate:
        phrase = f"较上年{'提高' if rising else '下降'}{format_number(abs(change))}个百分点"
        relative = None
    elif ind.kind == "score":  # points, never a percentage of a score
        phrase = f"较上年{'提高' if rising else '降低'}{format_number(abs(change))}{ind.unit}"
        relative = None
    elif ind.is_rank:  # a lower number is a better place
        phrase = f"较上年{'后退' if rising else '前进'}{format_number(abs(change))}位"
        relative = None
    else:
        phrase, relative = amount_change(current.number, previous.number, change, ind.unit)
    if polarity == "neutral":
        verdict = Verdict.DESCRIBED
    elif ind.is_rank:
        verdict = Verdict.DECLINED if rising else Verdict.IMPROVED
    else:
        verdict = Verdict.IMPROVED if rising == (polarity == "up") else Verdict.DECLINED
    return Comparison(current, previous, verdict, phrase, change, relative)
