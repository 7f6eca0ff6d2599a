"""Who has published: each office-year final, draft or missing, its date under the signature, and whether
it is past the publication deadline, as a district's office chasing late reports reads it.

Each office is listed for each kind of report (helpers.data.kinds): the 法治政府建设年度报告, the
政府信息公开工作年度报告, and any other kind an office of the data folder publishes. The deadline is the office's
(``offices.csv`` ``deadline``, and ``disclosure_deadline`` for the second report, month and day of the next
year), by default the kind's: before 1 April (《法治政府建设与责任落实督察工作规定》第二十四条), and by 31
January for the 政府信息公开工作年度报告 (《政府信息公开条例》第四十九条). Only ``report.yml`` is read for each
report: the table needs no figures, so a whole district is listed at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from ..data.catalog import Office, load_catalog
from ..data.dataset import report_meta
from ..data.kinds import DEFAULT_KIND, DISCLOSURE_KIND, KINDS
from ..data.reports import ReportPlace, places
from ..errors import InputError
from ..phrasing import date_zh

STATES = {"final": "定稿", "draft": "草稿", "missing": "未提交"}


@dataclass(frozen=True)
class Publication:
    """One office-year as the district sees it."""

    office: Office
    year: int
    state: str  # final, draft or missing
    signed: date | None  # the date under the signature (report.yml ``date``)
    deadline: date  # to be public before this day
    as_of: date
    kind: str = DEFAULT_KIND  # which report (helpers.data.kinds)

    @property
    def kind_zh(self) -> str:
        return KINDS[self.kind].short_zh

    @property
    def late(self) -> bool:
        """A final report signed on or after the deadline, or no final report once the deadline has come."""
        if self.state == "final":
            return self.signed is not None and self.signed >= self.deadline
        return self.as_of >= self.deadline

    @property
    def state_zh(self) -> str:
        return STATES[self.state]

    @property
    def deadline_zh(self) -> str:
        """What the deadline means for it now, in words."""
        due = f"{date_zh(self.deadline)}前"
        if self.state == "final":
            return f"落款晚于期限（{due}）" if self.late else "按期"
        return f"已过公开期限（{due}）" if self.late else f"未到期（{due}）"

    @property
    def signed_zh(self) -> str:
        return date_zh(self.signed) if self.signed else "—"


def today(offices: list[Office]) -> date:
    """Today where the offices are (the first office's time zone: a district shares one)."""
    zone = offices[0].timezone if offices else "Asia/Shanghai"
    return datetime.now(ZoneInfo(zone)).date()


def publications(data_dir: Path, years: tuple[int, ...] = (), offices: tuple[str, ...] = (), as_of: date | None = None) -> list[Publication]:
    """Every office of ``offices.csv`` (or those named), for each kind and every year asked (default: every
    year any office has a report for): final, draft or missing. Raise InputError with every problem of the
    report.yml files read."""
    catalog = load_catalog(data_dir)
    chosen = [catalog.offices[o] for o in offices if o in catalog.offices] if offices else list(catalog.offices.values())
    existing = {(p.office, p.kind, p.year): p for p in places(data_dir)}
    years = tuple(sorted(set(years))) or tuple(sorted({y for _, _, y in existing}))
    as_of = as_of or today(chosen)
    found, problems = [], []
    for office in chosen:
        for kind in _kinds_of(office.id, list(existing.values())):
            for year in years:
                state, signed = "missing", None
                place = existing.get((office.id, kind, year))
                if place is not None:
                    meta, trouble = report_meta(place.folder / "report.yml", year)
                    problems += [p for p in trouble if not p.warning]
                    state, signed = meta.get("status", "draft"), meta.get("date")
                found.append(Publication(office, year, state, signed, office.deadline_for(year, kind), as_of, kind))
    if problems:
        raise InputError(problems)
    return found


def _kinds_of(office: str, found: list[ReportPlace]) -> list[str]:
    """The kinds an office is listed for: the kind of its year folders (the 法治政府建设年度报告 where they hold
    none, or only the second report), the 政府信息公开工作年度报告, and any other kind it has a report of."""
    own = [p for p in found if p.office == office]
    main = next((p.kind for p in own if not p.own_folder and p.kind != DISCLOSURE_KIND), DEFAULT_KIND)
    return list(dict.fromkeys([main, DISCLOSURE_KIND, *(p.kind for p in own)]))


def table_lines(found: list[Publication]) -> list[str]:
    """The publication table as aligned lines for a terminal."""
    heads = ("单位", "报告", "年度", "状态", "落款日期", "公开期限")
    rows = [(p.office.short_name_zh, p.kind_zh, f"{p.year}年", p.state_zh, p.signed_zh, p.deadline_zh) for p in found]
    widths = [max(_width(r[i]) for r in [heads, *rows]) for i in range(len(heads))]
    return ["  ".join(_pad(cell, widths[i]) for i, cell in enumerate(row)).rstrip() for row in [heads, *rows]]


def _width(text: str) -> int:
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)  # a Chinese character takes two columns


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))
