"""Where each report of an office lives, by kind: the one rule every command follows.

An office's year folders, ``data/<office>/<year>/``, hold the reports of one kind: the kind their
``report.yml`` names (by default the 法治政府建设年度报告). A report of another kind for the same years lives
in a folder named by that kind's id, ``data/<office>/<kind>/<year>/``, with the same files (``report.yml``,
``narrative/``, the kind's data file), and is published to ``<out>/<office>/<kind>/<year>/``: so an office
keeps its 法治政府建设 and its 政府信息公开 reports side by side, and one that publishes only the second
keeps it in its year folders like any other. Which reports exist is read through the record.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

import yaml

from . import record
from .kinds import DEFAULT_KIND, KINDS, kind_of


@dataclass(frozen=True)
class ReportPlace:
    office: str
    year: int
    kind: str
    folder: Path  # its data folder
    own_folder: bool  # in a folder of its kind (data/<office>/<kind>/<year>/), not the office's year folder

    @property
    def output(self) -> Path:
        """Its folder under the output folder."""
        return Path(self.office, self.kind, str(self.year)) if self.own_folder else Path(self.office, str(self.year))

    @property
    def data_file(self) -> Path:
        return self.folder / KINDS[self.kind].data_file


def folder_kind(folder: Path) -> str:
    """The kind a year folder's ``report.yml`` names (its id); the default where it names none, or none known
    (the loader then says what is wrong with it)."""
    return _named_kind(record.read_if_file(folder / "report.yml"))


@functools.lru_cache(maxsize=4096)
def _named_kind(raw: bytes | None) -> str:
    """The kind a ``report.yml`` of these bytes names: parsed once a process (a batch's and a site's plans
    ask it of every report, twice)."""
    try:
        meta = yaml.load(raw.decode("utf-8-sig"), Loader=yaml.BaseLoader) if raw else None  # strings only: nothing converted
    except (yaml.YAMLError, UnicodeDecodeError):
        meta = None
    word = str(meta.get("kind", "")).strip() if isinstance(meta, dict) else ""
    return kind_of(word) or DEFAULT_KIND if word else DEFAULT_KIND


def _holds_report(folder: Path, kind: str) -> bool:
    return record.is_file(folder / KINDS[kind].data_file)


def places(data_dir: Path) -> list[ReportPlace]:
    """Every report the data folder holds, of every kind, in order of office, kind and year."""
    found = []
    for office in record.listing(data_dir):
        if not office.is_dir() or office.name.startswith("."):
            continue
        for child in record.listing(office):
            if child.name.isdigit():
                kind = folder_kind(child)
                if _holds_report(child, kind):
                    found.append(ReportPlace(office.name, int(child.name), kind, child, False))
            elif child.name in KINDS and child.is_dir():
                found += [
                    ReportPlace(office.name, int(year.name), child.name, year, True)
                    for year in record.listing(child)
                    if year.name.isdigit() and _holds_report(year, child.name)
                ]
    return sorted(found, key=lambda p: (p.office, p.own_folder, p.kind, p.year))


def locate(data_dir: Path, office: str, year: int, kind: str | None = None) -> ReportPlace:
    """The office-year's report of ``kind`` (None: the year folder's; where the office has no year folder for
    ``year``, its one report of another kind that year). It may not exist yet: the loader says so."""
    year_folder = data_dir / office / str(year)
    wanted = kind_of(kind) if kind else None
    if wanted is None and kind:
        raise ValueError(kind)
    own = folder_kind(year_folder)
    if wanted in (None, own) and (record.is_file(year_folder / "report.yml") or _holds_report(year_folder, own) or wanted is None):
        if wanted is None and not _holds_report(year_folder, own):
            others = [p for p in places_of(data_dir, office) if p.year == year and p.own_folder]
            if len(others) == 1:
                return others[0]
        return ReportPlace(office, year, own, year_folder, False)
    return ReportPlace(office, year, wanted or own, data_dir / office / (wanted or own) / str(year), True)


def places_of(data_dir: Path, office: str) -> list[ReportPlace]:
    return [p for p in places(data_dir) if p.office == office]


def new_place(data_dir: Path, office: str, year: int, kind: str) -> ReportPlace:
    """Where a report of ``kind`` written for the office goes (ingested or started): its year folder where the
    office keeps only this kind there, else the folder of its kind; where one exists already, that one."""
    office_dir = data_dir / office
    found = locate(data_dir, office, year, kind)
    if found.data_file.is_file() or (found.own_folder is False and (found.folder / "report.yml").is_file()):
        return found
    years = [p for p in office_dir.iterdir() if p.name.isdigit() and p.is_dir()] if office_dir.is_dir() else []
    other = [p for p in years if (p / KINDS[DEFAULT_KIND].data_file).is_file() or ((p / "report.yml").is_file() and folder_kind(p) != kind)]
    if other:
        return ReportPlace(office, year, kind, office_dir / kind / str(year), True)
    return ReportPlace(office, year, kind, office_dir / str(year), False)
