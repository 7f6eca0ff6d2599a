"""An office's outline: its headings in order, and the indicators placed under each.

An office with its own ``data/<office>/sections.csv`` (the columns of ``data/sections.csv`` plus
``indicators``, ids separated by spaces) reports exactly what that file places. An office without one
follows ``data/sections.csv``, holding the indicators it has ever reported (a value, or 不适用, in any
year up to the report's), each under the catalog's ``section``. So catalog rows added for one office never
reach another office's report, template, scaffold or scorecard.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import InputError, Problem
from . import record, schemas
from .catalog import Catalog, Indicator, Section, read_frame, read_sections
from .csvfile import display_path
from .verdict import Verdict

if TYPE_CHECKING:
    import pandera.pandas as pa


@functools.cache
def office_sections() -> pa.DataFrameSchema:
    """An office's own ``sections.csv``: the catalog's columns, and the indicators each section shows."""
    return schemas.sections().add_columns({"indicators": schemas.text_column(required=False)})


@dataclass
class Outline:
    sections: dict[str, Section] = field(default_factory=dict)
    placed: dict[str, tuple[str, ...]] = field(default_factory=dict)  # section id → indicator ids, in order
    own: bool = False  # the office's own sections.csv, not the default outline
    definitions: dict[str, str] = field(default_factory=dict)  # the office's own definition_zh, where it differs
    verdict_words: dict[str, str] = field(default_factory=dict)  # the office's own words for verdicts

    def verdict_label(self, verdict: Verdict) -> str:
        """↑ 改善 by default; an office may choose its own words (``verdicts.csv``), never the symbol."""
        return f"{verdict.symbol} {self.verdict_words.get(verdict.key, verdict.words)}"

    def definition(self, indicator: Indicator) -> str:
        """What this office counts under ``indicator``: its own definition, else the catalog's."""
        return self.definitions.get(indicator.id, indicator.definition_zh)

    @property
    def indicators(self) -> list[str]:
        """Every indicator the office reports, in the outline's order."""
        return [i for section in self.sections for i in self.placed.get(section, ())]

    def in_section(self, section_id: str, catalog: Catalog) -> list[Indicator]:
        return [catalog.indicators[i] for i in self.placed.get(section_id, ()) if i in catalog.indicators]

    def children(self, section_id: str) -> list[Section]:
        return [s for s in self.sections.values() if s.parent == section_id]

    def section_number(self, section_id: str) -> str:
        """三（四） for a subsection, 一 for a top section: how a table points back to it."""
        section = self.sections[section_id]
        own = section.numeral.rstrip("、.")  # the heading's numbering without its closing mark: 一, （一）, 1, （1）
        return f"{self.section_number(section.parent)}{own}" if section.parent else own

    def section_of(self, indicator: str) -> str | None:
        return next((s for s, ids in self.placed.items() if indicator in ids), None)


def default_outline(catalog: Catalog, reported: set[str] | None) -> Outline:
    """``data/sections.csv``, each indicator under its catalog ``section``; ``reported`` None means all of them."""
    placed = {
        s: tuple(i.id for i in catalog.indicators.values() if i.section == s and (reported is None or i.id in reported)) for s in catalog.sections
    }
    return Outline(dict(catalog.sections), placed)


@functools.cache
def definitions_schema() -> pa.DataFrameSchema:
    import pandera.pandas as pa

    return pa.DataFrameSchema(
        {
            "indicator": schemas.text_column(),
            "name_zh": schemas.text_column(required=False, optional_column=True),
            "unit": schemas.text_column(required=False, optional_column=True),
            "definition_zh": schemas.text_column(required=False, optional_column=True),
        },
        strict=False,
    )


#: What an office may say in its own words about a catalog indicator.
OWN_WORDS = ("name_zh", "unit", "definition_zh")


def load_definitions(data_dir: Path, office: str, catalog: Catalog) -> tuple[dict[str, dict[str, str]], list[Problem]]:
    """``data/<office>/definitions.csv``: the office's own name, unit or definition of a catalog indicator
    (its source says 调解案件61件 where the catalog counts 宗). A rate's unit stays %."""
    path = data_dir / office / "definitions.csv"
    if not record.is_file(path):
        return {}, []
    problems: list[Problem] = []
    frame = read_frame(path, definitions_schema(), problems)
    file = display_path(path)
    found: dict[str, dict[str, str]] = {}
    for row, r in frame.iterrows() if frame is not None else ():
        ind = catalog.indicators.get(r["indicator"])
        words = {key: str(r.get(key, "") or "").strip() for key in OWN_WORDS if str(r.get(key, "") or "").strip()}
        if ind is None:
            problems.append(Problem(file, row, "indicator", f"指标“{r['indicator']}”不在 indicators.csv 中"))
        elif r["indicator"] in found:
            problems.append(Problem(file, row, "indicator", f"指标“{r['indicator']}”重复"))
        elif not words:
            problems.append(Problem(file, row, "indicator", "这一行没有写本单位的名称（name_zh）、单位（unit）或统计口径（definition_zh）"))
        elif ind.is_rate and words.get("unit", "%") != "%":
            problems.append(Problem(file, row, "unit", f"“{ind.name_zh}”是比率，单位只能是 %，不能是“{words['unit']}”"))
        else:
            found[r["indicator"]] = words
    return found, problems


@functools.cache
def verdicts_schema() -> pa.DataFrameSchema:
    import pandera.pandas as pa

    return pa.DataFrameSchema(
        {"verdict": schemas.text_column(schemas.one_of(tuple(v.key for v in Verdict), "verdict ")), "words": schemas.text_column()}, strict=False
    )


def load_verdict_words(data_dir: Path, office: str) -> tuple[dict[str, str], list[Problem]]:
    """``data/<office>/verdicts.csv``: the words an office prints for each verdict (下降 for 退步 …)."""
    path = data_dir / office / "verdicts.csv"
    if not record.is_file(path):
        return {}, []
    problems: list[Problem] = []
    frame = read_frame(path, verdicts_schema(), problems)
    words = {r["verdict"]: r["words"] for _, r in frame.iterrows()} if frame is not None else {}
    return words, problems


def load_outline(
    data_dir: Path, office: str, catalog: Catalog, reported: set[str] | None, own_words: dict[str, dict[str, str]], year: int | None = None
) -> tuple[Outline, list[Problem]]:
    """The office's own outline where it has one (the year's ``sections.csv`` before the office's), else the
    default one; with every problem located. ``own_words`` is the office's ``definitions.csv``
    (``load_definitions``), read once by the caller, which reports its problems: the same words also name the
    office's figures."""
    outline, problems = _sections(outline_path(data_dir, office, year), catalog, reported)
    outline.definitions = {i: w["definition_zh"] for i, w in own_words.items() if "definition_zh" in w}
    outline.verdict_words, more = load_verdict_words(data_dir, office)
    return outline, problems + more


def outline_path(data_dir: Path, office: str, year: int | None) -> Path:
    """Where the office-year's own outline is: a year that changed its outline keeps it in its own folder
    (``data/<office>/<year>/sections.csv``), so the office's earlier years keep theirs."""
    if year is not None and record.is_file(data_dir / office / str(year) / "sections.csv"):
        return data_dir / office / str(year) / "sections.csv"
    return data_dir / office / "sections.csv"


def _sections(path: Path, catalog: Catalog, reported: set[str] | None) -> tuple[Outline, list[Problem]]:
    if not record.is_file(path):
        return default_outline(catalog, reported), []
    problems: list[Problem] = []
    frame = read_frame(path, office_sections(), problems)
    if frame is None:
        return default_outline(catalog, reported), problems
    file = display_path(path)
    outline = Outline(own=True)
    read_sections(frame, file, outline.sections, problems)
    where: dict[str, int] = {}
    for row, r in frame.iterrows():
        ids = tuple(r["indicators"].split())
        for indicator in ids:
            if indicator not in catalog.indicators:
                problems.append(Problem(file, row, "indicators", f"指标“{indicator}”不在 indicators.csv 中"))
            elif indicator in where:
                problems.append(Problem(file, row, "indicators", f"指标“{indicator}”已放在第{where[indicator]}行的章节中：每个指标只能放一处"))
            else:
                where[indicator] = row
        outline.placed[r["id"]] = tuple(i for i in ids if i in catalog.indicators)
    return outline, problems


def reported_indicators(data_dir: Path, office: str, catalog: Catalog, up_to: int) -> set[str]:
    """Indicators the office gave a value, or marked 不适用, in any year up to ``up_to``."""
    from .values import load_values

    found: set[str] = set()
    office_dir = data_dir / office
    for folder in record.years(office_dir, up_to):
        if record.is_file(folder / "values.csv"):
            figures, _ = load_values(folder / "values.csv", catalog, int(folder.name))
            found |= {i for i, f in figures.items() if f.reported}
    return found


def office_outline(data_dir: Path, office: str, catalog: Catalog, year: int) -> Outline:
    """The outline a new year or a workbook starts from: the office's own, or what it has reported so far
    (the whole default outline for an office that has reported nothing yet)."""
    reported = reported_indicators(data_dir, office, catalog, year)
    own_words, problems = load_definitions(data_dir, office, catalog)
    outline, found = load_outline(data_dir, office, catalog, reported or None, own_words, year)
    problems += found
    if problems:
        raise InputError(problems)
    return outline
