"""One office-year's 政府信息公开工作年度报告, loaded and checked: its ``report.yml``, its three tables
(``disclosure.csv``, helpers.data.disclosure), last year's tables for the carry-over and the comparison, and
the office's prose for the parts it writes (``narrative/<part>.md``).

Every problem, of every file, is raised at once; in a final year the warnings are errors too.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from ..errors import InputError, Problem
from . import record
from .catalog import Office, load_catalog
from .csvfile import display_path
from .dataset import report_meta, resolve_data_dir
from .disclosure import PARTS, Disclosure, check, load_disclosure
from .kinds import DISCLOSURE_KIND, KINDS, fill
from .narrative import read_prose
from .reports import ReportPlace, locate


@dataclass
class DisclosureReport:
    office: Office
    year: int
    place: ReportPlace
    tables: Disclosure
    previous: Disclosure | None = None  # last year's tables, where last year's report of this kind exists
    narrative: dict[str, str] = field(default_factory=dict)  # part id (or preamble) → the office's prose
    meta: dict = field(default_factory=dict)
    warnings: list[Problem] = field(default_factory=list)
    record: record.Record = field(default_factory=lambda: record.Record(Path(".")))  # every file it was read from

    @property
    def kind(self):
        return KINDS[DISCLOSURE_KIND]

    @property
    def final(self) -> bool:
        return self.meta.get("status") == "final"

    @property
    def report_date(self) -> date | None:
        return self.meta.get("date")

    @property
    def title(self) -> str:
        return self.meta.get("title") or fill(self.kind.title, self.office.name_zh, self.office.short_name_zh, self.year)

    @property
    def signature(self) -> list[str]:
        return list(self.meta.get("signature") or [self.office.name_zh])

    @property
    def illustrative(self) -> bool:
        """Made-up tables (the demo office's): any cell whose ``source`` says 示例."""
        return self.tables.illustrative or bool(self.previous and self.previous.illustrative)


def load_disclosure_report(data_dir: Path | str, office: str, year: int, strict: bool = False) -> DisclosureReport:
    """The office-year's report of this kind; InputError with every problem, located."""
    data_dir = resolve_data_dir(data_dir)
    with record.recording(data_dir) as read:
        report = _load(data_dir, office, int(year), strict)
    report.record = read
    return report


def _load(data_dir: Path, office: str, year: int, strict: bool) -> DisclosureReport:
    catalog = load_catalog(data_dir)
    if catalog.unknown_office(office, data_dir):
        raise InputError(catalog.unknown_office(office, data_dir))
    place = locate(data_dir, office, year, DISCLOSURE_KIND)
    if not record.is_file(place.data_file):
        raise InputError(
            [Problem(display_path(place.data_file), 0, "*", f"没有{office}{year}年的政府信息公开工作年度报告数据（{place.data_file.name}）")]
        )
    meta, problems = report_meta(place.folder / "report.yml", year)
    final = strict or meta.get("status") == "final"
    tables, found = load_disclosure(place.data_file)
    problems += found
    last = locate(data_dir, office, year - 1, DISCLOSURE_KIND)
    previous = None
    if record.is_file(last.data_file):
        previous, found = load_disclosure(last.data_file)
        if found:  # last year's own problems are its own: said once, as a warning of this year
            problems.append(Problem(display_path(last.data_file), 0, "*", f"上年的表格有{len(found)}处问题，未用于同比和结转核对", warning=True))
            previous = None
    if tables is not None:
        problems += check(tables, previous, final)
    narrative, found = _narrative(place.folder / "narrative")
    problems += found
    if meta.get("date") is None and not any(p.file.endswith("report.yml") for p in problems):
        file = display_path(place.folder / "report.yml")
        problems.append(Problem(file, 1, "date", "没有成文日期：落款将不带日期。请在 report.yml 中写 date: YYYY-MM-DD", warning=True))
    if final:
        problems = [p.as_error() if p.warning else p for p in problems]
    errors = [p for p in problems if not p.warning]
    if errors or tables is None:
        raise InputError(errors + [p for p in problems if p.warning])
    return DisclosureReport(catalog.offices[office], year, place, tables, previous, narrative, meta, sorted(set(problems), key=Problem.sort_key))


def _narrative(folder: Path) -> tuple[dict[str, str], list[Problem]]:
    """``narrative/<part>.md`` for the parts of the format (and a preamble): plain prose, no figure bound."""
    texts: dict[str, str] = {}
    problems: list[Problem] = []
    try:
        listed = record.listing(folder)
    except InputError as exc:
        return texts, exc.problems
    for path in (p for p in listed if p.suffix == ".md"):
        file = display_path(path)
        if path.is_file() and path.stem not in PARTS and path.stem != "preamble":
            problems.append(
                Problem(file, 1, "*", f"文件名“{path.stem}”不是本类报告的部分：应为 {'、'.join(f'{k}（{v}）' for k, v in PARTS.items())} 或 preamble")
            )
            continue
        text, found, bindings, images = read_prose(path, folder)
        problems += found
        if text is None:
            continue
        if bindings or images:
            problems.append(Problem(file, 1, "*", "本类报告的正文不引用指标或图片：表中的数字由表格数据生成"))
        texts[path.stem] = text.strip()
    return texts, problems
