"""Which indicator a figure found in a report is: the office's own indicators first, then the catalog's,
then the shared concepts, by name (rapidfuzz) and unit. A figure binds to an indicator only where what it
counts is the same: the same kind and unit family, a close name, and the words that tell the indicator apart
(信访 in 信访按期办结率, 中心组 in 中心组学习) said of the figure too, not only a generic word they share
(办结率, 学习, 会议). A close name without those words is a doubt: the figure is proposed as the office's own
and marked 待确认 with the indicator it resembled. Another office's own indicators (its proposals) are never
candidates. A figure nothing matches is proposed as a new indicator of the office; nothing is dropped."""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz import fuzz

from ..data.catalog import Catalog, Concept, Indicator, own_prefix
from .figures import Found

#: A name at least this close (0–100) is taken as the same measure.
THRESHOLD = 75
#: The office's own indicators win a tie against the catalog's.
OWN_BONUS = 15
AMOUNTS = ("万元", "亿元", "元")
#: Words many measures share: what is left of a name without them is what tells it apart.
GENERIC = (
    "按期",
    "按时",
    "及时",
    "办结率",
    "办结",
    "受理率",
    "受理",
    "满意率",
    "满意度",
    "成功率",
    "率",
    "开展",
    "组织",
    "召开",
    "举办",
    "参加",
    "集中",
    "专题",
    "活动",
    "会议",
    "学习",
    "培训",
    "案件",
    "工作",
    "全年",
    "累计",
    "共",
    "次数",
    "数量",
    "数",
    "人次",
    "场次",
    "的",
    "和",
    "及",
    "与",
)
#: How much of what tells an indicator apart must be said of the figure (rapidfuzz partial ratio, 0–100).
CORE_SAID = 85
#: A name this close (0–100) binds with at least this share of its telling characters in the sentence.
CLOSE = 85
CORE_SHARE = 0.75
#: Measure words of one family count one kind of thing: a count binds across words of a family (宗 and 件 are
#: both cases) but never across families (124份 opinions are no 件 of reviews, 18项 decisions no 件 of cases).
FAMILIES = (
    ("宗", "件", "起", "件次"),
    ("份", "篇", "册", "本", "封"),
    ("次", "场", "场次", "期", "批"),
    ("人", "名", "人次", "余人", "万人"),
    ("户", "户次", "家"),
    ("个", "处", "所", "座", "栋", "间"),
    ("项", "条", "类"),
    ("小时", "课时", "学时"),
)


@dataclass(frozen=True)
class Match:
    found: Found
    indicator: Indicator | None  # None: proposed as new
    score: float
    concept: Concept | None = None
    tier: str = ""  # office, catalog, concept or new
    doubt: Indicator | None = None  # a close name without the words that tell it apart: proposed, 待确认


def kind_of(found: Found) -> str:
    return "rate" if found.unit == "%" else "amount" if found.unit in AMOUNTS else "count"


def _fits(found: Found, kind: str, unit: str) -> bool:
    """A rate only for a %, an amount only in its own unit, a count in a measure word of its family (宗 or 件)."""
    mine = kind_of(found)
    if mine == "rate" or kind == "rate":
        return mine == kind == "rate"
    if mine == "amount" or kind == "amount":
        return mine == kind and unit == found.unit
    theirs, ours = _family(unit), _family(found.unit)
    if kind == "count" and None not in (theirs, ours) and theirs != ours:
        return False
    return kind in ("count", "average", "score", "rank")


def score(found: Found, name: str) -> float:
    """How closely what the sentence says of the figure (the words before it, after it, or both) names ``name``."""
    best = 0.0
    for said in {found.name, found.after, found.name + found.after} - {""}:
        partial = fuzz.partial_ratio(name, said) * (0.95 if len(name) > len(said) else 1.0)
        best = max(best, fuzz.ratio(name, said), partial if len(said) >= 2 else 0.0)
    return best


def core(name: str) -> str:
    """The words of a name that tell its measure apart from others: the name without :data:`GENERIC` words."""
    for word in GENERIC:
        name = name.replace(word, "")
    return name.strip("、，, ")


def same_object(found: Found, name: str, value: float = 100.0) -> bool:
    """Whether the figure's sentence says what tells ``name`` apart: those words nearly whole, or, for a name
    that is very close (``value`` ≥ :data:`CLOSE`), most of their characters. A name of generic words only
    never binds."""
    own = core(name)
    if len(own) < 2:
        return False
    said = found.sentence or (found.name + found.after)
    return fuzz.partial_ratio(own, said) >= CORE_SAID or (value >= CLOSE and _share(own, said) >= CORE_SHARE)


def _share(words: str, text: str) -> float:
    """The share of the distinct characters of ``words`` that ``text`` holds."""
    distinct = set(words)
    return sum(c in text for c in distinct) / len(distinct) if distinct else 0.0


def named(found: Found) -> str:
    """The name a figure proposed as new is given (helpers.ingest.ingestion), to know it again."""
    return (found.name + found.after).strip("、，, ")[:30]


def _family(unit: str) -> int | None:
    return next((n for n, family in enumerate(FAMILIES) if unit in family), None)


def others(catalog: Catalog, office: str) -> tuple[str, ...]:
    """The id prefixes of the other offices' own indicators (``<office>.…``): never a candidate."""
    return tuple(own_prefix(other) for other in catalog.offices if other != office)


def match_all(found: list[Found], catalog: Catalog, own: set[str], office: str = "") -> list[Match]:
    """Every figure with its indicator, each indicator taken once, the closest pairs first."""
    pairs: list = []
    doubts: dict[int, tuple[float, Indicator | None]] = {}
    foreign = others(catalog, office) if office else ()
    mine = own_prefix(office) if office else None
    for n, one in enumerate(found):
        for indicator in catalog.indicators.values():
            if indicator.is_honour or not _fits(one, indicator.kind, indicator.unit) or indicator.id.startswith(foreign):
                continue
            value = score(one, indicator.name_zh) + (OWN_BONUS if indicator.id in own else 0)
            if value < THRESHOLD:
                continue
            # the office's own indicator of exactly this name was proposed from such a sentence: the same measure
            exact = mine is not None and indicator.id.startswith(mine) and fuzz.ratio(indicator.name_zh, named(one)) == 100
            if exact or same_object(one, indicator.name_zh, value):
                pairs.append((value, n, indicator))
            elif value > doubts.get(n, (0.0, None))[0]:
                doubts[n] = (value, indicator)
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
            # bound to the office's own proposal by its name: the doubt it was proposed under stays until decided
            doubt = doubts.get(n, (0.0, None))[1] if mine is not None and indicator.id.startswith(mine) else None
            matches.append(
                Match(
                    one,
                    indicator,
                    round(min(value, 100.0), 1),
                    catalog.concepts.get(indicator.concept),
                    "office" if indicator.id in own else "catalog",
                    doubt,
                )
            )
            continue
        concepts = [(score(one, c.name_zh), c) for c in catalog.concepts.values() if _fits(one, c.kind, c.unit)]
        best = max(concepts, key=lambda p: p[0], default=(0.0, None))
        candidate = best[1]
        concept = candidate if candidate is not None and best[0] >= THRESHOLD and same_object(one, candidate.name_zh) else None
        doubt = doubts.get(n, (0.0, None))[1]
        matches.append(Match(one, None, round(best[0], 1) if concept else 0.0, concept, "concept" if concept else "new", doubt))
    return matches
