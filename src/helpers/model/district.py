"""A district compares its offices: each shared measure side by side, with each office's own name and change.

Offices line up on the concepts of ``concepts.csv`` (an indicator names the concept it measures), so
依法治街委员会会议 and 依法治镇委员会专题会议 are one row; an indicator that names no concept lines up with
itself. A figure is put on the concept's scale only when it counts the same thing over the same period,
exactly: another period (截至10月 against a whole year), an approximate figure (约800), or another
definition (``definition_zh``, or for an amount, score or average another unit) is flagged, said, and left
out of the chart. A count's measure word (宗, 件, 起) is the office's own wording, not another definition.
The model (:class:`OfficeComparison`) is kept apart from its display (tables, charts, words).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from enum import Enum
from functools import cached_property
from pathlib import Path
from statistics import median

import pandas as pd

from ..data import record
from ..data.catalog import Concept, Indicator, Office
from ..data.dataset import Dataset, load_dataset, office_years, resolve_data_dir
from ..data.markdown import pipe_table
from ..data.record import Record
from ..errors import InputError, UsageError
from ..phrasing import format_number
from .charts import Bar, Chart, Panel, draw, fit_page
from .comparison import Comparison, compare

#: Fewer comparable measures than this and the comparison draws no chart: it says so.
MIN_COMPARED = 3
#: Per-capita figures are per this many residents (每万人).
PER = 10_000
#: A coverage table names its offices in its header up to this many; beyond, it numbers them.
NAMED_COLUMNS = 8
#: The most offices a coverage table sets side by side, a column each, within the type area's 156 mm (GB/T
#: 9704) beside the concept's column; for more, it counts how many offices stand each way.
COVERAGE_COLUMNS = 15
#: Up to this many offices a comparison sets every office's figure side by side; beyond it (a city of hundreds)
#: the printed document summarises each measure across offices (how many report it, its range) and every
#: office's figure is in the comparison's data files: a table of thousands of rows is read by no one, and
#: its typesetting would grow without bound.
SIDE_BY_SIDE = 60


class Standing(Enum):
    """How one office's figure of a measure stands against the measure's definition (a coverage cell)."""

    REPORTED = ("reported", "●", "已填报，可比")
    APPROXIMATE = ("approximate", "约", "含约数")
    OTHER_PERIOD = ("other_period", "期", "统计期不同")
    OTHER_DEFINITION = ("other_definition", "径", "统计口径不同")
    MISSING = ("missing", "—", "未填报")

    def __init__(self, key: str, mark: str, words: str):
        self.key, self.mark, self.words = key, mark, words


@dataclass(frozen=True)
class Entry:
    """One office's figure of a measure, and its change against that office's previous year."""

    office: Office
    dataset: Dataset
    indicator: Indicator  # in the office's own words (its name and unit)
    concept: Concept | None = None

    @property
    def figure(self):
        return self.dataset.figures[self.indicator.id]

    @property
    def change(self) -> Comparison:
        return compare(self.figure, self.dataset.previous.get(self.indicator.id), self.dataset.year)

    @property
    def period(self) -> str:
        return self.figure.period_text(self.dataset.year) or "全年"

    @property
    def definition(self) -> str:
        """What the office counts: its own words (definitions.csv), the indicator's, else the concept's."""
        return self.dataset.outline.definition(self.indicator) or (self.concept.definition_zh if self.concept else "")

    @property
    def per_capita(self) -> Decimal | None:
        """The figure per 10,000 residents, for a count or an amount of an office whose population is known."""
        if self.office.population is None or self.indicator.kind not in ("count", "amount") or self.figure.value is None:
            return None
        return (self.figure.value * PER / self.office.population).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)

    def stated(self) -> str:
        marks = [m for m in (self.figure.period_text(self.dataset.year), "示例" if self.figure.is_illustrative else "") if m]
        return self.figure.text + (f"（{'，'.join(marks)}）" if marks else "")

    def per_capita_text(self) -> str:
        value = self.per_capita
        return f"每万人{format_number(value)}{self.indicator.unit}" if value is not None else ""


@dataclass
class Measure:
    """A concept (or an indicator that names none) as the offices report it, and how each figure stands."""

    key: str
    name_zh: str
    reference: Indicator  # the catalog's indicator: kind and, without a concept, the unit and definition compared against
    entries: list[Entry]
    concept: Concept | None = None

    @property
    def unit(self) -> str:
        return self.concept.unit if self.concept else self.reference.unit

    @property
    def indicator(self) -> Indicator:
        """The first office's indicator: what the measure is drawn and phrased as."""
        return self.entries[0].indicator

    def other_unit(self, entry: Entry) -> bool:
        """An amount, score or average in another unit than the measure's (a count's 宗 or 件 is wording)."""
        return self.reference.kind not in ("count", "rank", "honour", "rate") and entry.indicator.unit != self.unit

    def standing(self, entry: Entry) -> Standing:
        """Another definition before another period before an approximation: the first reason said is the weightiest."""
        reference = self.concept.definition_zh if self.concept else self.reference.definition_zh
        if entry.definition != reference or self.other_unit(entry):
            return Standing.OTHER_DEFINITION
        if entry.period != "全年":
            return Standing.OTHER_PERIOD
        if entry.figure.qualifier:
            return Standing.APPROXIMATE
        return Standing.REPORTED

    @cached_property
    def comparable_entries(self) -> list[Entry]:
        return [e for e in self.entries if self.standing(e) is Standing.REPORTED]

    @property
    def comparable(self) -> bool:
        """Two offices at least count it the same way, over the same whole year, exactly."""
        return len(self.comparable_entries) >= 2

    @cached_property
    def reasons(self) -> list[str]:
        """What keeps figures out of the comparison, by reason, naming the offices; empty when none does."""
        said = []
        for standing in (Standing.OTHER_DEFINITION, Standing.OTHER_PERIOD, Standing.APPROXIMATE):
            flagged = [e for e in self.entries if self.standing(e) is standing]
            if flagged:
                said.append(f"{standing.words}：" + "，".join(f"{e.office.short_name_zh}{self.why(e, standing)}" for e in flagged))
        return said

    def why(self, entry: Entry, standing: Standing) -> str:
        if standing is Standing.OTHER_PERIOD:
            return entry.period
        if standing is Standing.APPROXIMATE:
            return entry.figure.text
        if self.other_unit(entry):
            return f"以{entry.indicator.unit}计"
        return f"口径为“{entry.definition}”" if entry.definition else "未注明口径"

    @property
    def names(self) -> str:
        """Where the offices name the measure differently, each office's name; empty when they agree."""
        if len({e.indicator.name_zh for e in self.entries}) == 1 and self.entries[0].indicator.name_zh == self.name_zh:
            return ""
        return "各单位名称：" + "，".join(f"{e.office.short_name_zh}称“{e.indicator.name_zh}”" for e in self.entries)

    @property
    def drawn(self) -> bool:
        """A place (名次) or words (荣誉) are set side by side in the table, never drawn as lengths."""
        return not (self.reference.is_rank or self.reference.is_honour)


@dataclass
class OfficeComparison:
    year: int
    datasets: list[Dataset]
    shared: list[Measure] = field(default_factory=list)  # measures two or more offices report
    single: list[Entry] = field(default_factory=list)  # measures only one office reports
    concepts: list[Concept] = field(default_factory=list)  # the vocabulary, for the coverage table
    district: str = ""  # the district named in the title (compare --district)
    standings: dict[tuple[str, str], Standing] = field(default_factory=dict)  # (office, concept) → how it stands

    @property
    def offices(self) -> list[Office]:
        return [d.office for d in self.datasets]

    @property
    def illustrative(self) -> bool:
        return any(e.figure.is_illustrative for s in self.shared for e in s.entries)

    @property
    def drafts(self) -> list[Office]:
        """Offices whose figures for the year are not final yet (report.yml ``status: draft``)."""
        return [d.office for d in self.datasets if not d.final]

    @property
    def title(self) -> str:
        return f"{self.year}年{self.district}各单位法治政府建设指标对比"

    @property
    def compared(self) -> list[Measure]:
        """The measures two offices or more report in the same way: what the chart may show."""
        return [m for m in self.shared if m.comparable]

    @property
    def charted(self) -> bool:
        """Enough in common to draw: ``MIN_COMPARED`` comparable measures, at least one of them drawable."""
        return not self.large and len(self.compared) >= MIN_COMPARED and bool(self.panels())

    @property
    def per_capita(self) -> bool:
        return any(o.population is not None for o in self.offices)

    @property
    def record(self) -> Record:
        """Every file the offices' data was read from."""
        found = Record(self.datasets[0].record.root)
        for data in self.datasets:
            found = found.merged(data.record)
        return found

    def standing(self, office: str, concept: str) -> Standing:
        return self.standings.get((office, concept), Standing.MISSING)

    def tidy(self, shared: bool) -> pd.DataFrame:
        """The shared (or the single-office) figures, one row each, with the office (helpers.document.downloads)."""
        pairs = [(m, e) for m in self.shared for e in m.entries] if shared else [(None, e) for e in self.single]
        rows = [
            {
                "concept": e.concept.id if e.concept else "",
                "indicator": e.indicator.id,
                "name": e.indicator.name_zh,
                "office": e.office.short_name_zh,
                "year": self.year,
                "value": e.figure.words or e.figure.value,
                "unit": e.indicator.unit,
                "per_10k": e.per_capita,
                "qualifier": e.figure.qualifier,
                "period": e.period,
                "comparable": (m.standing(e) is Standing.REPORTED) if m else "",
                "source": e.figure.source,
                "illustrative": e.figure.is_illustrative,
            }
            for m, e in pairs
        ]
        return pd.DataFrame(
            rows,
            columns=[
                "concept",
                "indicator",
                "name",
                "office",
                "year",
                "value",
                "unit",
                "per_10k",
                "qualifier",
                "period",
                "comparable",
                "source",
                "illustrative",
            ],
        )

    def coverage_tidy(self) -> pd.DataFrame:
        """The coverage table as data: one row per office and concept."""
        rows = [
            {
                "concept": c.id,
                "name": c.name_zh,
                "office": o.short_name_zh,
                "standing": self.standing(o.id, c.id).key,
                "words": self.standing(o.id, c.id).words,
            }
            for c in self.concepts
            for o in self.offices
        ]
        return pd.DataFrame(rows, columns=["concept", "name", "office", "standing", "words"])

    def shown(self) -> str:
        """Everything the comparison notebook displays, as one text: its key."""
        return "\n\0".join(
            [self.title, self.table_markdown(), self.coverage_markdown(), self.single_markdown(), repr(self.chart_panels()), self.chart_alt()]
        )

    @property
    def large(self) -> bool:
        """Too many offices to set side by side (:data:`SIDE_BY_SIDE`)."""
        return len(self.offices) > SIDE_BY_SIDE

    @property
    def coverage_counted(self) -> bool:
        """Too many offices for a column each in the coverage table (:data:`COVERAGE_COLUMNS`), or to set
        side by side at all."""
        return self.large or len(self.offices) > COVERAGE_COLUMNS

    # --- display -------------------------------------------------------------------------------
    def table_markdown(self) -> str:
        if not self.shared:
            return "所选单位本年没有共同填报的指标。"
        if self.large:
            return self.summary_markdown()
        own = any(m.names for m in self.shared)
        columns = (
            [("指标", "l", 16), ("单位", "l", 13)]
            + ([("本单位名称", "l", 19)] if own else [])
            + [(f"{self.year}年", "r", 16)]
            + ([("每万人", "r", 11)] if self.per_capita else [])
            + [("较本单位上年", "l", 15), ("可比性", "l", 15)]
        )
        rows = []
        for measure in self.shared:
            for i, entry in enumerate(measure.entries):
                standing = measure.standing(entry)
                verdict = (
                    "可比"
                    if standing is Standing.REPORTED and measure.comparable
                    else ("无其他单位可比" if standing is Standing.REPORTED else f"不作比较：{standing.words}（{measure.why(entry, standing)}）")
                )
                row = [measure.name_zh if i == 0 else "", entry.office.short_name_zh]
                row += [entry.indicator.name_zh] if own else []
                row += [entry.stated()] + ([entry.per_capita_text().removeprefix("每万人") or "—"] if self.per_capita else [])
                row += [entry.change.phrase.removeprefix("较上年"), verdict]
                rows.append(row)
        return pipe_table(columns, rows)

    def summary_markdown(self) -> str:
        """Each shared measure across many offices: how many report it, how many comparably, and the range of
        the comparable figures (every office's own figure is in the data file beside the table)."""
        columns = [("指标", "l", 30), ("填报单位", "r", 12), ("可比单位", "r", 12), ("最小", "r", 15), ("中位数", "r", 15), ("最大", "r", 15)]
        rows = []
        for measure in self.shared:
            values = sorted(e.figure.value for e in measure.comparable_entries if e.figure.value is not None)
            said = [f"{format_number(v)}{measure.unit}" for v in (values[0], median(values), values[-1])] if values else ["—"] * 3
            rows.append([measure.name_zh, str(len(measure.entries)), str(len(values)), *said])
        return pipe_table(columns, rows)

    def coverage_markdown(self) -> str:
        """Offices × concepts: how each office's figure of each concept stands (a mark, explained above it);
        for many offices, how many offices stand each way."""
        if not self.concepts:
            return "没有共享的指标概念（data/concepts.csv）。"
        if self.coverage_counted:
            columns = [("概念", "l", 30)] + [(s.words, "r", 14) for s in Standing]
            counts = [[c.name_zh] + [str(sum(self.standing(o.id, c.id) is s for o in self.offices)) for s in Standing] for c in self.concepts]
            return pipe_table(columns, counts)
        named = len(self.offices) <= NAMED_COLUMNS
        heads = [o.short_name_zh if named else str(n) for n, o in enumerate(self.offices, start=1)]
        width = max(6, 60 // max(1, len(self.offices)))
        columns = [("概念", "l", 30)] + [(head, "l", width) for head in heads]
        rows = [[c.name_zh] + [self.standing(o.id, c.id).mark for o in self.offices] for c in self.concepts]
        return pipe_table(columns, rows)

    def coverage_key(self) -> str:
        """What the coverage table's marks, and its numbered columns, stand for."""
        if self.coverage_counted:
            return f"单位较多（{len(self.offices)}个），表中为各种情况的单位数；各单位逐项情况见所附数据文件。"
        marks = "；".join(f"{s.mark} {s.words}" for s in Standing)
        if len(self.offices) <= NAMED_COLUMNS:
            return f"表中符号：{marks}。"
        numbers = "，".join(f"{n} {o.short_name_zh}" for n, o in enumerate(self.offices, start=1))
        return f"表中符号：{marks}。列序号：{numbers}。"

    def single_markdown(self) -> str:
        if not self.single:
            return "无。"
        columns = [("指标", "l", 30), ("单位", "l", 20), (f"{self.year}年", "r", 20)]
        return pipe_table(columns, [(e.indicator.name_zh, e.office.short_name_zh, e.stated()) for e in self.single])

    def panels(self) -> list[Panel]:
        """One panel per comparable measure, one bar per office that counts it the same way: never two
        units on one scale."""
        return [
            Panel(
                f"{m.name_zh}（{m.unit}）",
                tuple(
                    Bar(
                        e.office.short_name_zh + ("（示例）" if e.figure.is_illustrative and "示例" not in e.office.short_name_zh else ""),
                        float(e.figure.value),
                        e.figure.text,
                    )
                    for e in m.comparable_entries
                ),
                share=m.reference.is_rate,
            )
            for m in self.compared
            if m.drawn
        ]

    def chart_panels(self) -> tuple[list[Panel], float]:
        """The panels the chart draws (as many as fit one printed page) and their row height."""
        if self.large or len(self.compared) < MIN_COMPARED:
            return [], 0.0
        return fit_page(self.panels())

    @property
    def left_out(self) -> int:
        """Comparable measures the chart leaves to the table, for want of room on its page."""
        return len(self.panels()) - len(self.chart_panels()[0])

    def chart(self):
        panels, row = self.chart_panels()
        return draw(panels, row_in=row) if panels else None

    def chart_alt(self) -> str:
        panels, _ = self.chart_panels()
        if not panels:
            return self.nothing_drawn()
        parts = [f"{p.title}：" + "、".join(f"{b.label}{b.text}" for b in p.bars) for p in panels]
        return "条形图，每个可比指标一组，各单位一条：" + "；".join(parts) + "。"

    def nothing_drawn(self) -> str:
        """Why there is no chart, plainly."""
        count = len(self.compared)
        if self.large:
            return f"单位较多（{len(self.offices)}个），不逐一作图；各指标的数值范围见下表，各单位的数值见所附数据文件。"
        if not count:
            return "所选单位本年没有统计口径、统计期相同的共同指标，不作对比图。"
        return f"所选单位本年统计口径、统计期相同的共同指标只有{count}项（少于{MIN_COMPARED}项），不作对比图，数值见下表。"

    def figure(self):
        from IPython.display import Markdown

        panels, row = self.chart_panels()
        chart = Chart.drawn(draw, panels, row_in=row) if panels else None
        return Markdown(self.nothing_drawn()) if chart is None else chart

    def table(self):
        from IPython.display import Markdown

        return Markdown(self.table_markdown())

    def coverage_table(self):
        from IPython.display import Markdown

        return Markdown(self.coverage_markdown())

    def single_table(self):
        from IPython.display import Markdown

        return Markdown(self.single_markdown())


def compare_offices(datasets: list[Dataset], district: str = "") -> OfficeComparison:
    """What the offices report in common (a value this year), measure by measure, and what only one reports."""
    catalog = datasets[0].catalog
    concepts = list(catalog.concepts.values())
    result = OfficeComparison(datasets[0].year, datasets, concepts=concepts, district=district)
    order: list[str] = []
    found: dict[str, list[Entry]] = {}
    for data in datasets:
        taken: set[str] = set()
        for indicator in data.outline.indicators:
            fig = data.figures.get(indicator)
            if fig is None or not fig.has_value:
                continue
            own = data.catalog.indicators[indicator]
            concept = catalog.concepts.get(own.concept)
            key = f"concept:{concept.id}" if concept else indicator
            if key in taken:  # an office with two figures of one concept: the first (in its outline) is its figure
                continue
            taken.add(key)
            if key not in found:
                order.append(key)
            found.setdefault(key, []).append(Entry(data.office, data, own, concept))
    for key in order:
        entries = found[key]
        concept = entries[0].concept
        reference = catalog.indicators[entries[0].indicator.id]
        measure = Measure(key, concept.name_zh if concept else reference.name_zh, reference, entries, concept)
        if concept:
            for entry in entries:
                result.standings[(entry.office.id, concept.id)] = measure.standing(entry)
        if len(entries) >= 2:
            result.shared.append(measure)
        else:
            result.single.append(entries[0])
    return result


def choose_offices(data_dir: Path, year: int, offices: tuple[str, ...], minimum: int = 2, district: str = "") -> list[str]:
    """The offices asked for, or every office with data for ``year`` (of ``district`` where one is named);
    two at least for a report."""
    available = [o for o, y in office_years(data_dir) if y == year]
    chosen = list(offices) or available
    if district:
        from ..data.catalog import load_catalog

        known = load_catalog(data_dir).offices
        districts = sorted({o.district_zh for o in known.values() if o.district_zh})
        if district not in districts:
            raise UsageError(f"offices.csv 中没有区“{district}”；已有：{'、'.join(districts) or '无（district_zh 列为空）'}")
        chosen = [o for o in chosen if o in known and known[o].district_zh == district]
    if len(chosen) < minimum:
        where = f"{district}" if district else ""
        raise UsageError(f"对比至少需要两个单位；{where}{year}年有数据的单位：{'、'.join(chosen if district else available) or '无'}")
    return chosen


def load_comparison(year: int, offices: tuple[str, ...] | str, data_dir: str | Path, minimum: int = 2, district: str = "") -> OfficeComparison:
    """Load and validate every office's year, then compare them: what the comparison notebook starts with
    (``minimum=1`` there, so a notebook opened where one office has data still shows it)."""
    data_dir = resolve_data_dir(data_dir)
    if isinstance(offices, str):
        offices = tuple(o.strip() for o in offices.split(",") if o.strip())
    datasets, problems = [], []
    with record.steady():  # the offices' shared files are checked once
        for office in choose_offices(data_dir, int(year), offices, minimum, district):
            try:
                datasets.append(load_dataset(data_dir, office, int(year)))
            except InputError as exc:
                problems += exc.problems
    if problems:
        raise InputError(problems)
    return compare_offices(datasets, district)
