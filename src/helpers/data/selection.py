"""Which office-year a notebook shows when an analyst names none: the notebooks name no office.

Opened in JupyterLab and run as they are, the notebooks show the office of the data folder with the most
years of data (in the shipped data, the demo office, whose name says its figures are made up), so the
year-over-year cells have something to compare; a year left out is that office's latest.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import InputError, Problem
from .catalog import load_catalog
from .csvfile import display_path
from .dataset import resolve_data_dir, year_dir


def _years(data_dir: Path, office: str) -> list[int]:
    folder = data_dir / office
    if not folder.is_dir():
        return []
    return sorted(int(p.name) for p in folder.iterdir() if p.name.isdigit() and (year_dir(data_dir, office, int(p.name)) / "values.csv").is_file())


def chosen(data_dir: str | Path, office: str = "", year: int | str = 0) -> tuple[str, int]:
    """``office`` and ``year`` where given; else the office with the most years (of ``year``, where given,
    first in ``offices.csv`` on a tie) and its latest year."""
    folder = resolve_data_dir(data_dir)
    year = int(year or 0)
    if not office:
        catalog = load_catalog(folder)
        counts = [(len(found), office_id) for office_id in catalog.offices if (found := _years(folder, office_id)) and (not year or year in found)]
        if not counts:
            raise InputError(
                [
                    Problem(
                        display_path(folder / "offices.csv"),
                        0,
                        "id",
                        f"没有哪个单位有{f'{year}年的' if year else ''}数据：请在参数中写明 office 和 year",
                    )
                ]
            )
        office = max(counts, key=lambda c: c[0])[1]  # max keeps the first of equals: the order of offices.csv
    if not year:
        found = _years(folder, office)
        if not found:
            raise InputError([Problem(display_path(folder / office), 0, "*", f"单位“{office}”没有任何年度的数据（values.csv）")])
        year = found[-1]
    return office, year


def chosen_report(data_dir: str | Path, kind: str, office: str = "", year: int | str = 0) -> tuple[str, int]:
    """As :func:`chosen`, among the reports of ``kind`` (helpers.data.reports): the office with the most years
    of it, and its latest year, where they are not given."""
    from .reports import places

    folder = resolve_data_dir(data_dir)
    found = [p for p in places(folder) if p.kind == kind and (not office or p.office == office) and (not year or p.year == int(year))]
    if not found:
        where = f"单位“{office}”" if office else "数据目录中"
        raise InputError([Problem(display_path(folder), 0, "*", f"{where}没有这一类报告的数据：请在参数中写明 office 和 year")])
    counts: dict[str, int] = {}
    for place in found:
        counts[place.office] = counts.get(place.office, 0) + 1
    office = office or max(counts, key=lambda o: counts[o])
    return office, int(year) if year else max(p.year for p in found if p.office == office)
