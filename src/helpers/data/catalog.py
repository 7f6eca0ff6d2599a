"""The indicator catalog, the report's sections and the offices: what every year's data is checked against."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import pandas as pd

from ..errors import InputError, Problem
from ..phrasing import chinese_ordinal
from . import record, schemas
from .csvfile import display_path, read_csv
from .kinds import DISCLOSURE_KIND, KINDS, pattern_problems

#: First segments of variable keys the report uses itself; an indicator id may not start with them.
RESERVED_ROOTS = ("period", "yoy", "prev", "meta", "report")
#: The levels an outline may have (GB/T 9704 7.3.3): 一、 （一） 1. （1）.
MAX_DEPTH = 4
#: Folder names under the output folder that are not offices.
RESERVED_OFFICES = ("compare", "site")


@dataclass(frozen=True)
class Indicator:
    """One row of ``indicators.csv``."""

    id: str
    section: str
    name_zh: str
    unit: str
    kind: str
    polarity: str
    numerator: str = ""
    denominator: str = ""
    part_of: str = ""
    headline: bool = False
    row: int = 0
    max_change: Decimal | None = None  # how many times last year's value a figure may be before a warning
    definition_zh: str = ""  # what exactly is counted: printed in the sources appendix, used to compare offices
    parts_complete: bool = False  # on a whole: its parts (part_of) cover it, so they must add up to it
    max_value: Decimal | None = None  # a score's declared maximum (满分)
    concept: str = ""  # the shared measure (concepts.csv) it is a figure of, whatever the office calls it

    @property
    def is_rate(self) -> bool:
        return self.kind == "rate"

    @property
    def is_whole_number(self) -> bool:
        """A count of cases, events or people, or a rank, cannot be fractional."""
        return self.kind in ("count", "rank")

    @property
    def is_honour(self) -> bool:
        """A text value (入选…, 获评…): stated and compared as words, never charted or summed."""
        return self.kind == "honour"

    @property
    def is_rank(self) -> bool:
        """An ordinal (第1名): a lower number is better, and it is never drawn as a length."""
        return self.kind == "rank"


@dataclass(frozen=True)
class Section:
    """One row of ``sections.csv``: a heading of the report, in the seed's order."""

    id: str
    parent: str
    title_template: str
    notebook: str
    number: int
    role: str = ""
    row: int = 0
    caption_zh: str = ""  # a short name for figure and table captions; the title where empty
    depth: int = 1  # 1 一、, 2 （一）, 3 1., 4 （1）: from the parents, never from the title

    def caption(self, year: int) -> str:
        return self.caption_zh or self.title(year)

    @property
    def level(self) -> int:
        return self.depth

    def title(self, year: int) -> str:
        """The title with {year} and {prev_year} filled in, without its number."""
        return self.title_template.format(year=year, prev_year=year - 1)

    def heading(self, year: int) -> str:
        """一、… for a top section, （一）… for a subsection, with {year} and {prev_year} filled in."""
        return f"{self.numeral}{self.title(year)}"

    @property
    def numeral(self) -> str:
        """GB/T 9704 7.3.3's numbering of the four levels: 一、 （一） 1. （1）."""
        if self.depth == 1:
            return f"{chinese_ordinal(self.number)}、"
        if self.depth == 2:
            return f"（{chinese_ordinal(self.number)}）"
        return f"{self.number}." if self.depth == 3 else f"（{self.number}）"


@dataclass(frozen=True)
class Concept:
    """One row of ``concepts.csv``: a measure the reports repeat (第一议题学习, 行政复议 …), defined once,
    so offices that count the same thing under their own names are compared on it."""

    id: str
    name_zh: str
    kind: str
    unit: str
    definition_zh: str
    row: int = 0


#: 《法治政府建设与责任落实督察工作规定》第二十四条: the year's report is made public before 1 April of the next year.
DEFAULT_DEADLINE = "04-01"


@dataclass(frozen=True)
class Office:
    id: str
    name_zh: str
    short_name_zh: str
    timezone: str = "Asia/Shanghai"  # the colophon's clock reads the office's own time
    title_zh: str = ""  # the office's own title pattern (helpers.data.kinds), e.g. {short}法治政府建设年度报告({year}年度)
    district_zh: str = ""
    population: int | None = None  # 常住人口: counts are also shown per 10,000 residents
    communities: int | None = None
    villages: int | None = None
    deadline: str = DEFAULT_DEADLINE  # MM-DD of the next year: the report is to be public before that day
    disclosure_deadline: str = ""  # the same for its 政府信息公开工作年度报告, where the office sets its own

    def deadline_for(self, year: int, kind: str = "") -> date:
        """The day before which the report of ``year`` (of ``kind``) is to be public: the office's own date,
        else the kind's (the 政府信息公开工作年度报告 is due by 31 January), else 1 April."""
        chosen = (self.disclosure_deadline or KINDS[kind].deadline) if kind == DISCLOSURE_KIND else self.deadline
        month, day = (int(part) for part in chosen.split("-"))
        return date(year + 1, month, day)


@dataclass
class Catalog:
    indicators: dict[str, Indicator] = field(default_factory=dict)
    sections: dict[str, Section] = field(default_factory=dict)
    offices: dict[str, Office] = field(default_factory=dict)
    concepts: dict[str, Concept] = field(default_factory=dict)  # concepts.csv, where the project has one

    def in_words_of(self, words: dict[str, dict[str, str]]) -> Catalog:
        """The catalog as one office says it: its own name and unit for the indicators it names
        (``definitions.csv``); the catalog itself is unchanged."""
        if not words:
            return self
        indicators = {
            i: replace(ind, name_zh=words[i].get("name_zh", ind.name_zh), unit=words[i].get("unit", ind.unit)) if i in words else ind
            for i, ind in self.indicators.items()
        }
        return Catalog(indicators, self.sections, self.offices, self.concepts)

    def unknown_office(self, office: str, data_dir: Path) -> list[Problem]:
        """The problem of naming an office that ``offices.csv`` does not have; none when it does."""
        if office in self.offices:
            return []
        known = "、".join(self.offices) or "无"
        return [Problem(display_path(data_dir / "offices.csv"), 0, "id", f"单位“{office}”不在 offices.csv 中，已有：{known}")]


def read_frame(path: Path, schema, problems: list[Problem]) -> pd.DataFrame | None:
    """A CSV checked against its schema; None when its rows cannot be read (a required column is missing)."""
    frame, found = read_csv(path)
    problems.extend(found)
    if frame is None:
        return None
    failures = schemas.check(schema, frame, display_path(path))
    problems.extend(failures)
    if any(p.row == 1 for p in failures):  # a required column is missing: rows cannot be read
        return None
    return frame


def _duplicates(frame: pd.DataFrame, column: str, file: str) -> list[Problem]:
    seen: dict[str, int] = {}
    problems = []
    for row, value in frame[column].items():
        if value and value in seen:
            problems.append(Problem(file, row, column, f"“{value}”与第{seen[value]}行重复"))
        seen.setdefault(value, row)
    return problems


#: Catalogs read in this process, each with its record: reused while the files read the same.
_CATALOGS: dict[tuple[str, str], tuple[dict[str, str], Catalog]] = {}


def _day_of_year(text: str, file: str, row: int, column: str, problems: list[Problem]) -> str:
    """A deadline written 月-日, or "" (and the problem said) where it is no day of a year."""
    if not text:
        return ""
    try:
        date(2001, *(int(part) for part in text.split("-")))
    except (TypeError, ValueError):  # a deadline not written 月-日 at all is the schema's to say
        if re.fullmatch(r"\d{2}-\d{2}", text):
            problems.append(Problem(file, row, column, f"公开期限“{text}”不是一年中的日期，请写作 月-日，如 04-01"))
        return ""
    return text


def load_catalog(data_dir: Path) -> Catalog:
    """Read and cross-check the three catalog files (once per process while they are unchanged); raise
    InputError with every problem found."""
    root = data_dir.resolve()  # kept by another process: checked without pandera
    return record.kept_while_unchanged(("catalog", str(root)), root, lambda: _read_catalog(data_dir), _CATALOGS)


def _read_catalog(data_dir: Path) -> Catalog:
    problems: list[Problem] = []
    catalog = Catalog()
    sections = read_frame(data_dir / "sections.csv", schemas.sections(), problems)
    indicators = read_frame(data_dir / "indicators.csv", schemas.indicators(), problems)
    offices = read_frame(data_dir / "offices.csv", schemas.offices(), problems)

    if sections is not None:
        read_sections(sections, display_path(data_dir / "sections.csv"), catalog.sections, problems)
    if offices is not None:
        file = display_path(data_dir / "offices.csv")
        problems += _duplicates(offices, "id", file)
        for row, r in offices.iterrows():
            if r["id"] in RESERVED_OFFICES:
                problems.append(Problem(file, row, "id", f"单位编号不能是“{r['id']}”：输出目录 <out>/{r['id']}/ 另有用途"))
            zone = r.get("timezone", "") or "Asia/Shanghai"
            try:
                ZoneInfo(zone)
            except (ZoneInfoNotFoundError, ValueError):
                problems.append(Problem(file, row, "timezone", f"时区“{zone}”无法识别，请写作 Asia/Shanghai 这样的名称"))
                zone = "Asia/Shanghai"
            pattern = r.get("title_zh", "") or ""
            for message in pattern_problems(pattern):
                problems.append(Problem(file, row, "title_zh", message))
            deadline = _day_of_year(r.get("deadline", "") or DEFAULT_DEADLINE, file, row, "deadline", problems) or DEFAULT_DEADLINE
            disclosure_deadline = _day_of_year(r.get("disclosure_deadline", "") or "", file, row, "disclosure_deadline", problems)
            counts = {key: int(r[key]) if str(r.get(key, "") or "").isdigit() else None for key in ("population", "communities", "villages")}
            catalog.offices[r["id"]] = Office(
                r["id"],
                r["name_zh"],
                r.get("short_name_zh", "") or r["name_zh"],
                zone,
                pattern,
                r.get("district_zh", "") or "",
                **counts,
                deadline=deadline,
                disclosure_deadline=disclosure_deadline,
            )
    concepts_path = data_dir / "concepts.csv"
    if record.is_file(concepts_path):
        concepts = read_frame(concepts_path, schemas.concepts(), problems)
        if concepts is not None:
            _read_concepts(concepts, display_path(concepts_path), catalog, problems)
    if indicators is not None:
        _read_indicators(indicators, display_path(data_dir / "indicators.csv"), catalog, problems)
    for office in catalog.offices:
        _read_own_indicators(data_dir / office / OWN_INDICATORS, office, catalog, problems)
    if problems:
        raise InputError(problems)
    return catalog


#: An office's own indicators (what ``ingest`` proposed for it, until someone maps them to the catalog or a
#: concept): ``data/<office>/indicators.csv``, the catalog's columns, every id ``<office>.…``. Kept with the
#: office, so no other office's ingest ever sees them and the order of ingests changes nothing.
OWN_INDICATORS = "indicators.csv"


def own_prefix(office: str) -> str:
    """The id prefix of an office's own indicators: its id as an indicator id may spell it (nan-shan → nan_shan.)."""
    return office.replace("-", "_") + "."


def _read_own_indicators(path: Path, office: str, catalog: Catalog, problems: list[Problem]) -> None:
    if not record.is_file(path):
        return
    frame = read_frame(path, schemas.indicators(), problems)
    if frame is None:
        return
    file, prefix = display_path(path), own_prefix(office)
    for row, r in frame.iterrows():
        if not r["id"].startswith(prefix):
            problems.append(Problem(file, row, "id", f"本单位自己的指标，编号须以“{prefix}”开头（如 {prefix}s1_1）"))
        elif r["id"] in catalog.indicators:
            problems.append(Problem(file, row, "id", f"编号“{r['id']}”已在 indicators.csv 中：每个指标只写一处"))
    _read_indicators(frame, file, catalog, problems, known=set(catalog.indicators))


def read_sections(frame: pd.DataFrame, file: str, sections: dict[str, Section], problems: list[Problem]) -> None:
    """Sections in order; the numbering (一、（一）) comes from order and level, never from the title."""
    problems += _duplicates(frame, "id", file)
    counters: dict[str, int] = {}
    for row, r in frame.iterrows():
        parent = r["parent"]
        if parent and parent not in sections:
            problems.append(Problem(file, row, "parent", f"上级章节“{parent}”未在此前各行定义（上级须写在下级之前，所以不会成环）"))
        elif parent and sections[parent].depth >= MAX_DEPTH:
            problems.append(
                Problem(
                    file,
                    row,
                    "parent",
                    f"上级章节“{parent}”已是第{MAX_DEPTH}级（{sections[parent].numeral}）：大纲最多{MAX_DEPTH}级：一、（一）1.（1）",
                )
            )
            continue
        try:
            r["title_zh"].format(year=2000, prev_year=1999)
        except (KeyError, IndexError, ValueError):
            problems.append(Problem(file, row, "title_zh", "标题中的花括号只能是 {year} 或 {prev_year}"))
            continue
        counters[parent] = counters.get(parent, 0) + 1
        depth = sections[parent].depth + 1 if parent in sections else 1
        sections[r["id"]] = Section(
            r["id"], parent, r["title_zh"], r.get("notebook", ""), counters[parent], r.get("role", ""), row, r.get("caption_zh", ""), depth
        )


def _read_concepts(frame: pd.DataFrame, file: str, catalog: Catalog, problems: list[Problem]) -> None:
    problems += _duplicates(frame, "id", file)
    for row, r in frame.iterrows():
        if r["kind"] == "rate" and r["unit"] != "%":
            problems.append(Problem(file, row, "unit", f"“{r['name_zh']}”是比率，单位只能是 %"))
        catalog.concepts.setdefault(r["id"], Concept(r["id"], r["name_zh"], r["kind"], r["unit"], r["definition_zh"], row))


def _concept_problems(ind: Indicator, catalog: Catalog, file: str) -> list[Problem]:
    """An indicator may name only a concept of ``concepts.csv``, and only one of its own kind."""
    if not ind.concept:
        return []
    concept = catalog.concepts.get(ind.concept)
    if concept is None:
        known = "没有 concepts.csv" if not catalog.concepts else "concepts.csv 中没有这个编号"
        return [Problem(file, ind.row, "concept", f"概念“{ind.concept}”未定义（{known}）")]
    if concept.kind != ind.kind:
        return [
            Problem(
                file,
                ind.row,
                "concept",
                f"“{ind.name_zh}”的 kind 是 {ind.kind}，而概念“{concept.name_zh}”的是 {concept.kind}：不是同一种量，不能归入这个概念",
            )
        ]
    return []


def _read_indicators(frame: pd.DataFrame, file: str, catalog: Catalog, problems: list[Problem], known: set[str] | None = None) -> None:
    """The rows of an indicator file; ``known``: the ids read before it (an office's own file may refer to them)."""
    problems += _duplicates(frame, "id", file)
    ids = set(frame["id"]) | (known or set())
    honours = set(frame.loc[frame["kind"] == "honour", "id"]) | {i for i in known or () if catalog.indicators[i].is_honour}
    for row, r in frame.iterrows():
        fields = {k: r[k] for k in ("id", "section", "name_zh", "unit", "kind", "polarity", "numerator", "denominator", "part_of")}
        limit = r.get("max_change", "")
        ind = Indicator(
            **fields,
            headline=r.get("headline", "") == "yes",
            row=row,
            max_change=Decimal(limit) if limit and Decimal(limit) > 0 else None,
            definition_zh=r.get("definition_zh", ""),
            parts_complete=r.get("parts_complete", "") == "yes",
            max_value=Decimal(r["max_value"]) if r.get("max_value", "") else None,
            concept=r.get("concept", "") or "",
        )
        problems += _concept_problems(ind, catalog, file)
        if ind.id.split(".")[0] in RESERVED_ROOTS:
            problems.append(Problem(file, row, "id", f"编号不能以“{ind.id.split('.')[0]}.”开头：报告自身使用该前缀"))
        if any(other.startswith(ind.id + ".") for other in ids):
            problems.append(Problem(file, row, "id", f"编号“{ind.id}”是另一指标编号的前缀，报告变量会冲突"))
        if catalog.sections and ind.section and ind.section not in catalog.sections:
            problems.append(Problem(file, row, "section", f"章节“{ind.section}”不在 sections.csv 中"))
        for column in ("numerator", "denominator", "part_of"):
            ref = getattr(ind, column)
            if ref and ref not in ids:
                problems.append(Problem(file, row, column, f"引用的指标“{ref}”不在目录中"))
            elif ref in honours:
                problems.append(Problem(file, row, column, f"引用的指标“{ref}”是荣誉（文字），不能作为总数、分子或分母"))
        if ind.is_rate and bool(ind.numerator) != bool(ind.denominator):
            problems.append(Problem(file, row, "denominator", "比率的分子和分母须同时填写或同时留空"))
        if ind.is_rank and ind.polarity == "up":
            problems.append(Problem(file, row, "polarity", "名次（rank）越小越好：polarity 应为 down（或 neutral）"))
        if ind.max_value is not None and ind.kind != "score":
            problems.append(Problem(file, row, "max_value", "只有 kind 为 score 的指标才有满分（max_value）"))
        if ind.is_honour and ind.polarity != "neutral":
            problems.append(Problem(file, row, "polarity", "荣誉（honour）是文字，只作描述：polarity 应为 neutral"))
        if ind.is_honour and ind.part_of:
            problems.append(Problem(file, row, "part_of", "荣誉（honour）是文字，不能是某一总数的一部分"))
        if not ind.is_rate and (ind.numerator or ind.denominator):
            problems.append(Problem(file, row, "numerator", "只有 kind 为 rate 的指标才能填写分子、分母"))
        catalog.indicators[ind.id] = ind
