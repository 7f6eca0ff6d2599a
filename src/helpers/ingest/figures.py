"""The figures a report's sentence states: number (arabic or Chinese), qualifier, unit, the period it
covers, and the words before it that say what was counted (the name it is matched by)."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

#: Measure words and units, longest first so 万元 is not read as 元 and 人次 not as 人.
UNITS = (
    "个百分点",
    "平方米",
    "万元",
    "亿元",
    "人次",
    "场次",
    "户次",
    "件次",
    "万人",
    "小时",
    "课时",
    "学时",
    "公里",
    "%",
    "宗",
    "件",
    "次",
    "场",
    "个",
    "名",
    "人",
    "份",
    "处",
    "条",
    "期",
    "项",
    "家",
    "户",
    "篇",
    "起",
    "批",
    "套",
    "台",
    "辆",
    "所",
    "支",
    "类",
    "封",
    "天",
    "册",
    "张",
    "幅",
    "块",
    "间",
    "栋",
    "座",
    "元",
    "米",
    "本",
    "余人",
)
PREFIX = ("约", "近", "逾", "超过", "超", "不足")  # written before the number
SUFFIX = ("余", "以上", "多")  # between the number and the unit
CHINESE_DIGITS = "零〇一二两三四五六七八九十百千万"
#: Set phrases whose numeral counts nothing (两个维护, 三会一课 …).
FIXED = ("两个确立", "两个维护", "四个意识", "四个自信", "三会一课", "一业一企一策", "一站式", "一网通办", "一窗")
NUMBER = re.compile(
    rf"(?P<prefix>{'|'.join(PREFIX)})?(?P<num>\d+(?:\.\d+)?|[{CHINESE_DIGITS}]{{1,6}})"
    rf"(?P<suffix>{'|'.join(SUFFIX)})?(?P<unit>{'|'.join(re.escape(u) for u in UNITS)})(?P<above>以上)?"
)
#: 截至10月, 截止12月3日, 截至2024年10月底; and a span from January: 1-10月, 1至10月, 2024年1—10月.
PERIOD = re.compile(
    r"(?:截[至止](?:(?P<year>\d{4})年)?(?P<month>\d{1,2})月(?:(?P<day>\d{1,2})日)?(?:底|末)?"
    r"|(?:(?P<span_year>\d{4})年)?1\s*[-—–~～至到]\s*(?P<span_month>\d{1,2})月(?:份)?)"
)
#: How often something is done (每月1次, 每两月1次, 每季度2次): a rule of the office, not a count of its year.
CADENCE = re.compile(r"每[一两二三四五六半]?个?(?:月|周|季度|季|年|天|日|旬)$")
#: Where a figure's name begins: after the last of these before it.
BOUNDARY = re.compile(r"[，,；;。：:！!？?（(）)]")
SEGMENT_END = re.compile(r"[；;。！!？?]")
#: 及 and 和 as a joint, not as the first character of a word (及时跟进处理案件, 和解结案).
LEADING = re.compile(r"^(?:[、与]|及(?!时)|和(?!解)|\d{4}年(?:以来|度)?|其中|全年|今年|年内|本年|共计|累计|共|合计|先后|持续|已|均|并|依法)+")
TRAILING = re.compile(r"(?:达到|达|为|共计|共|累计|合计|约|近|逾|超|均)+$")


@dataclass(frozen=True)
class Found:
    """One figure of a paragraph, where it stands in it, and what it is said to count."""

    start: int
    end: int  # the figure's text is paragraph[start:end] (qualifier, number, unit)
    value: Decimal
    unit: str
    qualifier: str
    name: str  # the words before it: 调解成功率, 安全宣传活动
    after: str  # the words after it, where they name it (依托辖区10个中小企业服务站)
    sentence: str
    period_end: date | None = None
    period_span: tuple[int, int] | None = None  # where 截至10月 stands, for the first figure it covers
    chinese: bool = False  # written in Chinese numerals (十二场): bound to its value, the build writes 12场
    shared: int = 0  # the n-th name of one number said of several (及时受理率、按期办结率均达100%)
    part: bool = False  # said after 其中: a part of the figure before it


def chinese_number(text: str) -> Decimal | None:
    """十二 → 12, 两 → 2; None where the words are not a number."""
    import cn2an

    try:
        return Decimal(str(cn2an.cn2an(text.replace("两", "二").replace("〇", "零"), "smart")))
    except (ValueError, KeyError, TypeError):
        return None


def period_end(match: re.Match, year: int) -> date | None:
    month = int(match["month"] or match["span_month"])
    if not 1 <= month <= 12:
        return None
    year = int(match["year"] or match["span_year"] or year)
    day = int(match["day"]) if match["day"] else calendar.monthrange(year, month)[1]
    try:
        return date(year, month, day)
    except ValueError:
        return None


def sentence_of(paragraph: str, start: int) -> str:
    """The sentence (to 。！？) that holds position ``start``."""
    left = max(paragraph.rfind(mark, 0, start) for mark in "。！？!?") + 1
    ends = [i for i in (paragraph.find(mark, start) for mark in "。！？!?") if i >= 0]
    return paragraph[left : (min(ends) + 1) if ends else len(paragraph)].strip()


def _after(paragraph: str, end: int) -> str:
    """The words right after a figure, to the next mark or figure: what it counts, where the sentence says so there."""
    rest = paragraph[end : end + 24]
    stops = [m.start() for m in (BOUNDARY.search(rest), re.search("、", rest), NUMBER.search(rest)) if m]
    return rest[: min(stops)].strip() if stops else rest.strip()


def _name(paragraph: str, start: int, floor: int) -> str:
    before = paragraph[floor:start]
    cut = [m.end() for m in BOUNDARY.finditer(before)]
    words = before[cut[-1] :] if cut else before
    words = PERIOD.sub("", words).strip()
    words = TRAILING.sub("", LEADING.sub("", words)).strip()
    return words


def _value(paragraph: str, match: re.Match) -> Decimal | None:
    """The number a match states, or None where it counts nothing: a set phrase (两个维护), a Chinese 一 or
    一个, a change in points, a date (2024年), an article (第33条), a cadence (每两月1次)."""
    text, unit, start = match["num"], match["unit"], match.start()
    if any(paragraph.find(phrase, max(0, start - 4)) in range(start - 4, match.end()) for phrase in FIXED if phrase in paragraph):
        return None
    chinese = not text[0].isdigit()
    value = chinese_number(text) if chinese else Decimal(text)
    if value is None or (chinese and (value < 2 or unit == "个")):
        return None
    if unit == "个百分点" or paragraph[match.end() : match.end() + 1] in ("年", "月", "日", "届"):
        return None
    if paragraph[max(0, start - 1) : start] == "第" or CADENCE.search(paragraph, max(0, start - 6), start):
        return None
    return value


def _names(name: str, paragraph: str, start: int) -> list[str]:
    """One name, or the rates one number is said of (及时受理率、按期办结率均达100%)."""
    if "均" in paragraph[max(0, start - 3) : start]:
        for joint in ("、", "及", "和", "与"):
            parts = [n for n in name.split(joint) if n]
            if len(parts) > 1 and all(x.endswith("率") for x in parts):
                return parts
    return [name]


@dataclass
class _Reading:
    """Where a paragraph's reading stands: the period said last (and whether a figure took its words), where
    the next figure's name may begin, and the 其中 list open (its segment's start, its parts' unit, where 其中 is)."""

    period: tuple[date, tuple[int, int]] | None = None
    period_used: bool = False
    floor: int = 0
    listing: tuple[int, str, int] | None = None

    def follow_period(self, paragraph: str, segment_start: int, start: int, year: int) -> None:
        """截至10月 said in this sentence part before the figure covers it; a period said before the part ends."""
        for p in PERIOD.finditer(paragraph, segment_start, start):
            if self.period is None or p.start() != self.period[1][0]:
                end = period_end(p, year)
                if end is not None:
                    self.period, self.period_used = (end, (p.start(), p.end())), False
        if self.period is not None and self.period[1][0] < segment_start:
            self.period = None

    def is_part(self, paragraph: str, segment_start: int, start: int, unit: str, first: bool) -> bool:
        """Every item of 其中简易程序110件，普通程序280件: the same sentence part, the same unit, and not past the
        bracket that closes a list opened inside one (（其中…）, 实施强制措施8件 is no part)."""
        opens = not first and "其中" in paragraph[max(self.floor, segment_start) : start]
        if opens:
            self.listing = (segment_start, unit, paragraph.rfind("其中", 0, start))
        listing = self.listing
        return opens or (listing is not None and listing[:2] == (segment_start, unit) and not re.search(r"[）)]", paragraph[listing[2] : start]))


def find(paragraph: str, year: int) -> list[Found]:
    """Every figure of ``paragraph`` (of the report of ``year``), in order."""
    found: list[Found] = []
    reading = _Reading()
    for match in NUMBER.finditer(paragraph):
        value = _value(paragraph, match)
        if value is None:
            continue
        start, unit = match.start(), match["unit"]
        segment_start = max((m.end() for m in SEGMENT_END.finditer(paragraph, 0, start)), default=0)
        reading.follow_period(paragraph, segment_start, start, year)
        qualifier = match["prefix"] or match["suffix"] or match["above"] or ""
        if unit == "余人":
            unit, qualifier = "人", "余"
        part = reading.is_part(paragraph, segment_start, start, unit, first=not found)
        after, period = _after(paragraph, match.end()), reading.period
        for n, one in enumerate(_names(_name(paragraph, start, reading.floor), paragraph, start)):
            span = period[1] if period and not reading.period_used and n == 0 else None
            found.append(
                Found(
                    start,
                    match.end(),
                    value,
                    unit,
                    qualifier,
                    one,
                    after,
                    sentence_of(paragraph, start),
                    period[0] if period else None,
                    span,
                    not match["num"][0].isdigit(),
                    n,
                    part,
                )
            )
            if period and n == 0:
                reading.period_used = True
        reading.floor = match.end() + len(after)  # what names this figure names no later one
    return found
