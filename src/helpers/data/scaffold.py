"""Starting a new year from the latest one, and keeping a published year's figures to check against.

Neither ever overwrites a file silently: both write through the data folder's guarded writer
(:mod:`helpers.data.writer`): without ``force`` an existing file is kept; with it, the old file is first
copied into ``.backup/`` beside it.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pandas as pd

from ..errors import InputError, Problem
from ..model.section import SectionModel
from .catalog import load_catalog
from .commitments import load_commitments
from .csvfile import display_path, formula_safe
from .dataset import Dataset, office_years, year_dir
from .disclosure import load_disclosure, template_rows
from .kinds import DISCLOSURE_KIND
from .outline import office_outline, outline_path
from .reports import new_place, places
from .writer import DataWriter, WriteLog

PUBLISHED = "published.csv"
PUBLISHED_COLUMNS = ["indicator", "text", "period_text"]


def _csv(header: list[str], rows: list[list[str]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


def _drafts(source: Path, target: Path) -> dict[Path, str | bytes]:
    """Last year's prose, as drafts of this year's (``narrative/drafts/``): a link is not followed."""
    found = sorted(p for p in (source / "narrative").glob("*.md") if p.is_file() and not p.is_symlink())
    return {target / "narrative" / "drafts" / draft.name: draft.read_bytes() for draft in found}


def new_year(data_dir: Path, office: str, year: int, force: bool = False) -> WriteLog:
    """Scaffold ``data/<office>/<year>/`` from the latest earlier year: empty values, prose drafts, follow-ups."""
    catalog = load_catalog(data_dir)
    if catalog.unknown_office(office, data_dir):
        raise InputError(catalog.unknown_office(office, data_dir))
    earlier = [y for o, y in office_years(data_dir) if o == office and y < year]
    if not earlier:
        raise InputError([Problem(display_path(data_dir / office), 0, "*", f"{office}没有{year}年以前的数据可作起点")])
    source, target = year_dir(data_dir, office, max(earlier)), year_dir(data_dir, office, year)
    outline = office_outline(data_dir, office, catalog, max(earlier))  # the latest year's, its own where it has one
    commitments, problems = load_commitments(source / "commitments.csv", catalog, max(earlier))
    if problems:
        raise InputError(problems)
    rows = [[indicator, "", "", "", "", ""] for indicator in outline.indicators]
    files: dict[Path, str | bytes] = {target / "values.csv": _csv(["indicator", "value", "qualifier", "period_end", "source", "note"], rows)}
    if outline_path(data_dir, office, max(earlier)).parent == source:  # the year's own outline goes on with it
        files[target / "sections.csv"] = (source / "sections.csv").read_bytes()
    files |= _drafts(source, target)
    if commitments:
        files[target / "followup.csv"] = _csv(["commitment", "status", "note"], [[c, "", ""] for c in commitments])
    # no date is written for the owner to forget to change: a draft without one says so, a final year refuses it
    files[target / "report.yml"] = (
        f"# 成文日期（落款日期）：成文后去掉下一行的 # 并填写实际日期；定稿后把 status 改为 final\n# date: {year}-12-DD\nstatus: draft\n"
    )
    writer = DataWriter(data_dir)
    with writer.locked(office):
        writer.write_all(files, force)
    return writer.log


def new_disclosure_year(data_dir: Path, office: str, year: int, force: bool = False) -> WriteLog:
    """Start the office's 政府信息公开工作年度报告 of ``year`` from its latest earlier one: every cell of the
    three tables at 0, but 上年结转 already last year's 结转下年度 (the one cell a year owes the last) and 现行有效
    carried on; last year's prose as drafts; a draft ``report.yml`` naming the kind."""
    catalog = load_catalog(data_dir)
    if catalog.unknown_office(office, data_dir):
        raise InputError(catalog.unknown_office(office, data_dir))
    earlier = sorted((p for p in places(data_dir) if p.office == office and p.kind == DISCLOSURE_KIND and p.year < year), key=lambda p: p.year)
    if not earlier:
        raise InputError([Problem(display_path(data_dir / office), 0, "*", f"{office}没有{year}年以前的政府信息公开工作年度报告可作起点")])
    source = earlier[-1]
    last, problems = load_disclosure(source.data_file)
    if last is None or problems:
        raise InputError(problems)
    target = new_place(data_dir, office, year, DISCLOSURE_KIND)
    rows = []
    for table, row, column, _ in template_rows()[1:]:
        key = (table, row, column)
        value = "0"
        if (table, row) == ("3", "carried_in"):
            value = format(last.get("3", "carried_out", column).normalize(), "f")
        elif column == "in_force" and key in last.values:  # as in force as last year, until this year's changes
            value = "/" if last.values[key] is None else format(last.get(*key).normalize(), "f")
        elif key in last.values and last.values[key] is None:
            value = "/"  # a measure that did not apply last year (规章 for a 街道) is said the same way
        rows.append([table, row, column, value, ""])
    files: dict[Path, str | bytes] = {target.data_file: _csv(["table", "row", "column", "value", "source"], rows)}
    files |= _drafts(source.folder, target.folder)
    files[target.folder / "report.yml"] = (
        "kind: 政府信息公开工作年度报告\n"
        f"# 成文日期（落款日期）：成文后去掉下一行的 # 并填写实际日期；定稿后把 status 改为 final\n# date: {year + 1}-01-DD\nstatus: draft\n"
    )
    writer = DataWriter(data_dir)
    with writer.locked(office):
        writer.write_all(files, force)
    return writer.log


def published_figures(data: Dataset) -> pd.DataFrame:
    """The figures of a report as a reader sees them, one row per indicator."""
    frames = [SectionModel.of(data, s).metrics[PUBLISHED_COLUMNS] for s in data.outline.sections]
    return pd.concat(frames, ignore_index=True)


def keep_published(data: Dataset, data_dir: Path, force: bool = False) -> WriteLog:
    """Record the figures of a published report beside its data, for the backtest."""
    frame = published_figures(data)
    writer = DataWriter(data_dir)
    with writer.locked(data.office.id):
        writer.write(year_dir(data_dir, data.office.id, data.year) / PUBLISHED, frame.map(formula_safe).to_csv(index=False), force)
    return writer.log


def backtest(data: Dataset, data_dir: Path) -> list[str]:
    """Differences between a kept year's published figures and what today's code states for it."""
    path = year_dir(data_dir, data.office.id, data.year) / PUBLISHED
    kept = pd.read_csv(path, dtype=str, keep_default_na=False).set_index("indicator")
    now = published_figures(data).set_index("indicator")
    changes = []
    for indicator, row in kept.iterrows():
        known = data.catalog.indicators.get(indicator)
        named = f"{known.name_zh}（{indicator}）" if known else indicator
        if indicator not in now.index:
            changes.append(f"{named}：已发布为“{row['text']}”，现已不在报告中")
            continue
        for column, what in (("text", "数值"), ("period_text", "统计期")):
            if now.at[indicator, column] != row[column]:
                changes.append(f"{named}：{what}已发布为“{row[column]}”，现为“{now.at[indicator, column]}”")
    return changes
