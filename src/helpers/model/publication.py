"""Who has published: each office-year final, draft or missing, its date under the signature, and whether
it is past the publication deadline, as a district's office chasing late reports reads it.

The deadline is the office's (``offices.csv`` ``deadline``, month and day of the next year), by default
that of 《法治政府建设与责任落实督察工作规定》第二十四条: the report is made public before 1 April. Only
``report.yml`` is read for each office-year: the table needs no figures, so a whole district is listed at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from ..data.catalog import Office, load_catalog
from ..data.dataset import office_years, report_meta, year_dir
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
    """Every office of ``offices.csv`` (or those named) for every year asked (default: every year any office
    has data for): final, draft or missing. Raise InputError with every problem of the report.yml files read."""
    catalog = load_catalog(data_dir)
    chosen = [catalog.offices[o] for o in offices if o in catalog.offices] if offices else list(catalog.offices.values())
    existing = set(office_years(data_dir))
    years = tuple(sorted(set(years))) or tuple(sorted({y for _, y in existing}))
    as_of = as_of or today(chosen)
    found, problems = [], []
    for office in chosen:
        for year in years:
            state, signed = "missing", None
            if (office.id, year) in existing:
                meta, trouble = report_meta(year_dir(data_dir, office.id, year) / "report.yml", year)
                problems += [p for p in trouble if not p.warning]
                state, signed = meta.get("status", "draft"), meta.get("date")
            found.append(Publication(office, year, state, signed, office.deadline_for(year), as_of))
    if problems:
        raise InputError(problems)
    return found


def table_lines(found: list[Publication]) -> list[str]:
    """The publication table as aligned lines for a terminal."""
    heads = ("单位", "年度", "状态", "落款日期", "公开期限")
    rows = [(p.office.short_name_zh, f"{p.year}年", p.state_zh, p.signed_zh, p.deadline_zh) for p in found]
    widths = [max(_width(r[i]) for r in [heads, *rows]) for i in range(len(heads))]
    return ["  ".join(_pad(cell, widths[i]) for i, cell in enumerate(row)).rstrip() for row in [heads, *rows]]


def _width(text: str) -> int:
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)  # a Chinese character takes two columns


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))
