"""Starting a new year from the latest one (a published year's figures are kept by helpers.model.published).

It never overwrites a file silently: it writes through the data folder's guarded writer
(:mod:`helpers.data.writer`): without ``force`` an existing file is kept; with it, the old file is first
copied into ``.backup/`` beside it.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from ..errors import InputError, Problem
from .catalog import load_catalog
from .commitments import load_commitments
from .csvfile import display_path
from .dataset import office_years, year_dir
from .disclosure import load_disclosure, template_rows
from .kinds import DISCLOSURE_KIND
from .outline import office_outline, outline_path
from .reports import new_place, places
from .writer import DataWriter, WriteLog


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
