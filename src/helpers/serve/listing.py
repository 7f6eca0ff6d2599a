"""What a district's site shows, before any page is written: each office-year listed (its status and files),
each office's trends, each year's comparison and who has published. The pages (helpers.serve.pages) display
this model; nothing here knows HTML."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..data.catalog import Office
from ..data.kinds import DEFAULT_KIND, KINDS
from ..model.charts import Trend
from ..model.publication import Publication


@dataclass(frozen=True)
class Listing:
    """One office-year on the site: its status and the files of its report."""

    office: Office
    year: int
    final: bool
    illustrative: bool  # the report shows illustrative (not real) figures
    files: dict[str, Path]  # format → the report file as ``build`` published it
    demo: bool = False  # every figure of the year is illustrative: a demonstration, never listed as a report
    record: str = ""  # the digest of every data file the office-year was read from (its trends are on the pages)
    kind: str = ""  # the report's kind where it is not the office's year folders' own (helpers.data.reports)
    kind_id: str = DEFAULT_KIND  # the report's kind, wherever it lives

    @property
    def folder(self) -> str:
        return f"{self.office.id}/{self.kind}/{self.year}" if self.kind else f"{self.office.id}/{self.year}"

    @property
    def kind_zh(self) -> str:
        return KINDS[self.kind_id].short_zh if self.kind_id in KINDS else ""

    @property
    def status_zh(self) -> str:
        return ("定稿" if self.final else "草稿") + ("（含示例数据）" if self.illustrative else "")


@dataclass
class Site:
    """What the site shows, before any page is written."""

    listings: list[Listing]
    comparisons: dict[int, dict[str, Path]] = field(default_factory=dict)  # year → format → file
    trends: dict[str, list[Trend]] = field(default_factory=dict)  # office → its headline trends, section by section
    final_only: bool = False
    published: list[Publication] = field(default_factory=list)  # every office and year: final, draft or missing

    @property
    def offices(self) -> list[Office]:
        seen: dict[str, Office] = {}
        for listing in self.listings:
            seen.setdefault(listing.office.id, listing.office)
        return list(seen.values())

    def of(self, office: str) -> list[Listing]:
        return sorted((item for item in self.listings if item.office.id == office), key=lambda item: (-item.year, item.kind))

    @property
    def title(self) -> str:
        return "法治政府建设年度报告"
