"""Everything one office-year's report is made from, loaded and validated in one step."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import yaml

from .catalog import Catalog, Office, load_catalog
from .commitments import Commitment, Followup, load_commitments, load_followups
from .csvfile import display_path
from .errors import InputError, Problem
from .narrative import load_narrative
from .values import Figure, load_values


@dataclass
class Dataset:
    catalog: Catalog
    office: Office
    year: int
    figures: dict[str, Figure]
    narrative: dict[str, str] = field(default_factory=dict)
    report_date: date | None = None
    history: dict[int, dict[str, Figure]] = field(default_factory=dict)  # earlier years, oldest first
    commitments: dict[str, Commitment] = field(default_factory=dict)  # this year's 不足 and 计划
    followups: list[Followup] = field(default_factory=list)  # last year's commitments, as this year reports them

    @property
    def title(self) -> str:
        return f"{self.office.name_zh}{self.year}年法治政府建设年度报告"

    @property
    def previous(self) -> dict[str, Figure]:
        """Last year's figures; empty when there is no data for last year."""
        return self.history.get(self.year - 1, {})

    def series(self, indicator: str) -> dict[int, Figure]:
        """Every year's figure of one indicator that has a value, this year included."""
        years = {**self.history, self.year: self.figures}
        return {y: figs[indicator] for y, figs in sorted(years.items())
                if indicator in figs and figs[indicator].value is not None}


def year_dir(data_dir: Path, office: str, year: int) -> Path:
    return data_dir / office / str(year)


def office_years(data_dir: Path) -> list[tuple[str, int]]:
    """Every office-year that has a values.csv, in order."""
    found = []
    for values in sorted(data_dir.glob("*/*/values.csv")):
        office, year = values.parent.parent.name, values.parent.name
        if year.isdigit():
            found.append((office, int(year)))
    return sorted(found)


def latest_year(data_dir: Path, office: str) -> int | None:
    years = [y for o, y in office_years(data_dir) if o == office]
    return max(years) if years else None


def load_dataset(data_dir: Path | str, office: str, year: int) -> Dataset:
    """Load catalog, figures, narrative and report metadata; raise InputError listing every problem."""
    data_dir, year = Path(data_dir), int(year)
    catalog = load_catalog(data_dir)
    folder = year_dir(data_dir, office, year)
    if catalog.unknown_office(office, data_dir):
        raise InputError(catalog.unknown_office(office, data_dir))
    if not (folder / "values.csv").is_file():
        years = [str(y) for o, y in office_years(data_dir) if o == office]
        raise InputError([Problem(display_path(folder / "values.csv"), 0, "*", f"没有{office}的{year}年数据，已有年份：{'、'.join(years) or '无'}")])

    figures, problems = load_values(folder / "values.csv", catalog, year)
    history = {}
    for earlier in sorted(y for o, y in office_years(data_dir) if o == office and y < year):
        history[earlier], found = load_values(year_dir(data_dir, office, earlier) / "values.csv", catalog, earlier)
        problems += found
    previous_commitments, found = load_commitments(year_dir(data_dir, office, year - 1) / "commitments.csv", catalog, year - 1)
    problems += found
    commitments, found = load_commitments(folder / "commitments.csv", catalog, year)
    problems += found
    followups, found = load_followups(folder / "followup.csv", previous_commitments)
    problems += found
    unreadable = any(p.row <= 1 and p.file.endswith("values.csv") for p in problems)  # empty, or a column missing
    known = None if unreadable else {i for i, f in figures.items() if f.stated}
    narrative, found = load_narrative(folder / "narrative", catalog, known)
    problems += found
    report_date, found = _report_date(folder / "report.yml", year)
    problems += found
    if problems:
        raise InputError(problems)
    return Dataset(catalog, catalog.offices[office], year, figures, narrative, report_date, history,
                   commitments, followups)


def _report_date(path: Path, year: int) -> tuple[date | None, list[Problem]]:
    """The date under the signature (``report.yml``: ``date: 2024-12-09``); optional."""
    if not path.is_file():
        return None, []
    try:
        meta = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        return None, [Problem(display_path(path), (mark.line + 1) if mark else 1, "*", f"YAML 格式错误：{exc}")]
    value = meta.get("date")
    if value is None:
        return None, []
    if not isinstance(value, date):
        return None, [Problem(display_path(path), 1, "date", f"“{value}”不是日期，请写作 YYYY-MM-DD")]
    if value.year not in (year, year + 1):
        return None, [Problem(display_path(path), 1, "date", f"成文日期{value}应在{year}年或{year + 1}年")]
    return value, []
