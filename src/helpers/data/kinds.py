"""The kinds of yearly report an office publishes, declared once: each with its title pattern, who signs it,
and the parts the regulation requires (《法治政府建设与责任落实督察工作规定》 art. 25; the principal's duty report
of 《党政主要负责人履行推进法治建设第一责任人职责规定》). ``report.yml`` names one with ``kind:``; an office may
set its own title pattern in ``offices.csv`` (``title_zh``), and a year its whole title (``title:``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: What a title pattern may hold: the office's full name, its short name, the year.
PLACEHOLDERS = ("office", "short", "year")


@dataclass(frozen=True)
class ReportKind:
    id: str
    name_zh: str
    title: str  # the default title pattern
    signed_by_office: bool  # False: a person signs it (their post and name, in report.yml ``signature:``)
    parts: tuple[str, ...]  # words a heading of each required part holds (any of them, | between)
    short_zh: str = ""  # its name in a table of who has published
    data_file: str = "values.csv"  # the file a year folder of this kind holds its figures in
    deadline: str = ""  # MM-DD of the next year it is due by, where the kind fixes one (else the office's)


KINDS: dict[str, ReportKind] = {
    kind.id: kind
    for kind in (
        ReportKind(
            "rule-of-law",
            "法治政府建设年度报告",
            "{office}{year}年法治政府建设年度报告",
            True,
            ("举措|成效|情况", "不足|问题", "计划|安排|打算"),
            short_zh="法治政府建设",
        ),
        ReportKind(
            "principal-duty",
            "党政主要负责人履行推进法治建设第一责任人职责情况报告",
            "{office}党政主要负责人{year}年度履行推进法治建设第一责任人职责情况报告",
            False,
            ("履行|职责|情况", "不足|问题", "计划|安排|打算"),
            short_zh="第一责任人述职",
        ),
        ReportKind(
            "gov-info-disclosure",
            "政府信息公开工作年度报告",
            "{office}{year}年政府信息公开工作年度报告",
            True,
            ("总体情况", "主动公开", "收到和处理", "行政复议", "存在的主要问题", "其他需要报告"),
            short_zh="政府信息公开",
            data_file="disclosure.csv",  # its three tables (helpers.data.disclosure); its outline is the national format's
            deadline="01-31",  # 《政府信息公开条例》第四十九条: by 31 January
        ),
    )
}
#: The kind whose figures are the national format's tables, not an outline of indicators.
DISCLOSURE_KIND = "gov-info-disclosure"
DEFAULT_KIND = "rule-of-law"


def kind_of(word: str) -> str | None:
    """A kind's id from its id or its Chinese name (report.yml ``kind:`` takes either)."""
    return next((k.id for k in KINDS.values() if word in (k.id, k.name_zh)), None)


def pattern_problems(pattern: str) -> list[str]:
    """What is wrong with a title pattern: an unknown placeholder, or braces that do not pair."""
    found = re.findall(r"\{([^{}]*)\}", pattern)
    problems = [
        f"标题模式中的“{{{name}}}”不认识，只能用 " + "、".join(f"{{{p}}}" for p in PLACEHOLDERS) for name in found if name not in PLACEHOLDERS
    ]
    rest = re.sub(r"\{[^{}]*\}", "", pattern)
    if "{" in rest or "}" in rest:
        problems.append("标题模式中的花括号不成对")
    return problems


def fill(pattern: str, office: str, short: str, year: int) -> str:
    return pattern.replace("{office}", office).replace("{short}", short).replace("{year}", str(year))


def missing_parts(kind: ReportKind, headings: list[str]) -> list[str]:
    """The required parts no top heading of the outline names (e.g. 不足|问题)."""
    return [part for part in kind.parts if not any(re.search(part, heading) for heading in headings)]
