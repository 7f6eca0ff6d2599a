"""Which indicator a figure found in a report is: the office's own indicators first, then the catalog's,
then the shared concepts, by name (rapidfuzz) and unit. A figure nothing matches is proposed as a new
indicator of the office, named from its sentence; nothing is dropped."""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz import fuzz

from ..data.catalog import Catalog, Concept, Indicator
from .figures import Found

#: A name at least this close (0–100) is taken as the same measure.
THRESHOLD = 75
#: The office's own indicators win a tie against the catalog's.
OWN_BONUS = 15
AMOUNTS = ("万元", "亿元", "元")


@dataclass(frozen=True)
class Match:
    found: Found
    indicator: Indicator | None  # None: proposed as new
    score: float
    concept: Concept | None = None
    tier: str = ""  # office, catalog, concept or new


def kind_of(found: Found) -> str:
    return "rate" if found.unit == "%" else "amount" if found.unit in AMOUNTS else "count"


def _fits(found: Found, kind: str, unit: str) -> bool:
    """A rate only for a %, an amount only in its own unit, a count in any measure word (宗 or 件)."""
    mine = kind_of(found)
    if mine == "rate" or kind == "rate":
        return mine == kind == "rate"
    if mine == "amount" or kind == "amount":
        return mine == kind and unit == found.unit
    return kind in ("count", "average", "score", "rank")


def score(found: Found, name: str) -> float:
    """How closely what the sentence says of the figure (the words before it, after it, or both) names ``name``."""
    best = 0.0
    for said in {found.name, found.after, found.name + found.after} - {""}:
        partial = fuzz.partial_ratio(name, said) * (0.95 if len(name) > len(said) else 1.0)
        best = max(best, fuzz.ratio(name, said), partial if len(said) >= 2 else 0.0)
    return best


def match_all(found: list[Found], catalog: Catalog, own: set[str]) -> list[Match]:
    """Every figure with its indicator, each indicator taken once, the closest pairs first."""
    pairs = []
    for n, one in enumerate(found):
        for indicator in catalog.indicators.values():
            if indicator.is_honour or not _fits(one, indicator.kind, indicator.unit):
                continue
            value = score(one, indicator.name_zh) + (OWN_BONUS if indicator.id in own else 0)
            if value >= THRESHOLD:
                pairs.append((value, n, indicator))
    pairs.sort(key=lambda p: (-p[0], p[1]))
    taken, chosen = set(), {}
    for value, n, indicator in pairs:
        if n in chosen or indicator.id in taken:
            continue
        chosen[n] = (indicator, value)
        taken.add(indicator.id)
    matches = []
    for n, one in enumerate(found):
        if n in chosen:
            indicator, value = chosen[n]
            matches.append(Match(one, indicator, round(min(value, 100.0), 1), catalog.concepts.get(indicator.concept),
                                 "office" if indicator.id in own else "catalog"))
            continue
        concepts = [(score(one, c.name_zh), c) for c in catalog.concepts.values() if _fits(one, c.kind, c.unit)]
        best = max(concepts, key=lambda p: p[0], default=(0.0, None))
        concept = best[1] if best[0] >= THRESHOLD else None
        matches.append(Match(one, None, round(best[0], 1) if concept else 0.0, concept, "concept" if concept else "new"))
    return matches
