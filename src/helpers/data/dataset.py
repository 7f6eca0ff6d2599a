"""Everything one office-year's report is made from, loaded and validated in one step."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import yaml

from ..errors import InputError, Problem
from . import record
from .catalog import Catalog, Office, load_catalog
from .commitments import Commitment, Followup, load_commitments, load_followups
from .csvfile import display_path
from .kept import keep_at
from .kinds import DEFAULT_KIND, KINDS, ReportKind, fill, kind_of, missing_parts
from .narrative import load_narrative
from .outline import Outline, load_definitions, load_outline, outline_path
from .plausibility import check_plausible
from .record import Record
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
    status: str = "draft"  # report.yml ``status``: draft (being filled in) or final (to publish)
    warnings: list[Problem] = field(default_factory=list)  # worth a look, not in the way of a draft
    images: list[Path] = field(default_factory=list)  # image files the prose shows
    pending: set[str] = field(default_factory=set)  # indicators the prose binds that have no value yet
    outline: Outline = field(default_factory=Outline)  # the office's headings and what each holds
    meta: dict = field(default_factory=dict)  # report.yml's title, signature, kind and publication date, checked
    record: Record = field(default_factory=lambda: Record(Path(".")))  # every file it was read from
    #: Each section's model (helpers.model.section), computed once from this dataset and read by every view.
    models: dict[str, object] = field(default_factory=dict, repr=False, compare=False)

    @property
    def final(self) -> bool:
        return self.status == "final"

    @property
    def kind(self) -> ReportKind:
        return KINDS[self.meta.get("kind", DEFAULT_KIND)]

    @property
    def title(self) -> str:
        """report.yml's ``title``, else the office's title pattern, else the kind's."""
        if self.meta.get("title"):
            return self.meta["title"]
        return fill(self.office.title_zh or self.kind.title, self.office.name_zh, self.office.short_name_zh, self.year)

    @property
    def signature(self) -> list[str]:
        """The lines over the date: report.yml's ``signature``, else the office's full name."""
        return list(self.meta.get("signature") or [self.office.name_zh])

    @property
    def has_history(self) -> bool:
        """Whether any earlier year holds a figure: without one, nothing is compared and the report says so once."""
        return any(f.has_value for figures in self.history.values() for f in figures.values())

    @property
    def previous(self) -> dict[str, Figure]:
        """Last year's figures; empty when there is no data for last year."""
        return self.history.get(self.year - 1, {})

    def series(self, indicator: str) -> dict[int, Figure]:
        """Every year's figure of one indicator that has a value, this year included."""
        years = {**self.history, self.year: self.figures}
        return {y: figs[indicator] for y, figs in sorted(years.items()) if indicator in figs and figs[indicator].has_value}


#: Where notebooks look for data when their ``data_dir`` is left empty (the tests point it at fixtures).
DATA_ENV = "ANNUAL_REPORT_DATA"


def resolve_data_dir(data_dir: str | Path) -> Path:
    """The data folder as given; empty: ``$ANNUAL_REPORT_DATA`` or the project's ``data/``; a relative
    path that is not there is tried from the project's ``notebooks/`` folder, so ``../data`` works from
    the project root, from ``notebooks/`` and from anywhere papermill is run."""
    if not str(data_dir):
        from ..project import find_project_root

        data_dir = os.environ.get(DATA_ENV) or find_project_root() / "data"
    path = Path(data_dir)
    if path.is_dir():
        return path
    if not path.is_absolute():
        from ..project import find_project_root

        candidate = (find_project_root() / "notebooks" / path).resolve()
        if candidate.is_dir():
            return candidate
    raise InputError(
        [Problem(str(data_dir), 0, "*", f"数据目录“{data_dir}”不存在（当前目录 {Path.cwd()}）：请用 -p data_dir 给出 data 文件夹的路径")]
    )


def year_dir(data_dir: Path, office: str, year: int) -> Path:
    return data_dir / office / str(year)


def office_years(data_dir: Path) -> list[tuple[str, int]]:
    """Every office-year that has a values.csv, in order. Read through the record: which office-years exist
    is an input of whatever is being recorded (a site, a comparison), so an office, a year folder, or a year
    folder's values.csv that appears or goes away is a change."""
    found = []
    for office in record.listing(data_dir):
        if not office.is_dir() or office.name.startswith("."):
            continue
        for year in record.listing(office):
            if year.name.isdigit() and record.is_file(year / "values.csv"):
                found.append((office.name, int(year.name)))
    return sorted(found)


def _office_years(data_dir: Path, office: str, up_to: int) -> list[int]:
    """The office's years with figures up to ``up_to``, read through the record (a later year, or another
    office's, is not an input)."""
    return [int(f.name) for f in record.years(data_dir / office, up_to) if record.is_file(f / "values.csv")]


def latest_year(data_dir: Path, office: str) -> int | None:
    years = [y for o, y in office_years(data_dir) if o == office]
    return max(years) if years else None


#: Office-years loaded in this process (and, ahead, by the warm kernels' parent, helpers.notebooks.forkserver,
#: which every kernel it forks then has in memory): each is reused only while every file of its record reads
#: the same, so a file changed since is read afresh. A site or a district's comparison loads each once.
_LOADED: dict[tuple, tuple[dict[str, str], Dataset]] = {}


def preload(data_dir: Path | str, office: str, year: int, kept: str = "") -> None:
    """Load an office-year once in the warm parent, before any kernel is forked from it; ``kept`` is the
    folder of kept datasets of the command that asks (the parent may have started before it chose one)."""
    if kept:
        keep_at(kept)
    load_dataset(resolve_data_dir(data_dir), office, int(year))  # kept beside earlier ones: a comparison reads many


def load_dataset(data_dir: Path | str, office: str, year: int, strict: bool = False) -> Dataset:
    """Load catalog, figures, narrative and report metadata; raise InputError listing every problem.

    Warnings (an implausible figure, prose bound to a figure not yet filled in, no signature date) are
    kept on the dataset; in a final year or with ``strict`` they are errors."""
    data_dir, year = resolve_data_dir(data_dir), int(year)
    key = ("dataset", str(data_dir.resolve()), office, year, strict)
    read, data = record.kept_with_record(key, data_dir, lambda: _load(data_dir, office, year, strict), _LOADED)
    data.record = read
    return data


def _history(data_dir: Path, office: str, year: int, catalog: Catalog) -> tuple[dict[int, dict[str, Figure]], list[Problem]]:
    """The office's earlier years' figures, each checked as its own year's."""
    history, problems = {}, []
    for earlier in (y for y in _office_years(data_dir, office, year) if y < year):
        history[earlier], found = load_values(year_dir(data_dir, office, earlier) / "values.csv", catalog, earlier)
        problems += found
    return history, problems


def _commitments(data_dir: Path, office: str, year: int, catalog: Catalog) -> tuple[dict[str, Commitment], list[Followup], list[Problem]]:
    """This year's commitments, and how this year reports on last year's."""
    previous, problems = load_commitments(year_dir(data_dir, office, year - 1) / "commitments.csv", catalog, year - 1)
    folder = year_dir(data_dir, office, year)
    commitments, found = load_commitments(folder / "commitments.csv", catalog, year)
    followups, more = load_followups(folder / "followup.csv", previous)
    return commitments, followups, problems + found + more


def _known(figures: dict[str, Figure], problems: list[Problem]) -> set[str] | None:
    """The figures the prose may bind; None where values.csv could not be read, so the prose is not also
    refused for each figure it names."""
    errors = [p for p in problems if p.file.endswith("values.csv") and not p.warning]
    unreadable = any(p.row <= 1 for p in errors) or (not figures and bool(errors))
    return None if unreadable else {i for i, f in figures.items() if f.stated}


def _report_checks(
    data_dir: Path,
    office: str,
    year: int,
    meta: dict,
    figures: dict[str, Figure],
    outline: Outline,
    outline_valid: bool,
    catalog: Catalog,
    problems: list[Problem],
) -> list[Problem]:
    """What the report as a whole needs: a final year complete and decided (on top of a clean read of its
    figures, not its echo), the parts its kind must report (where the outline is sound), a date to sign."""
    folder, found = year_dir(data_dir, office, year), []
    if meta.get("status") == "final":
        if not any(not p.warning and p.file.endswith(("values.csv", "sections.csv", "indicators.csv")) for p in problems):
            found += final_gaps(folder / "values.csv", figures, outline, catalog)
        found += open_review(folder / "ingest-review.csv")
    kind = KINDS.get(meta.get("kind", DEFAULT_KIND))
    if kind is not None and outline_valid:  # the parts the regulation requires, named by the outline's headings
        tops = [sec.title(year) for sec in outline.sections.values() if not sec.parent]
        outline_file = display_path(outline_path(data_dir, office, year) if outline.own else data_dir / "sections.csv")
        found += [
            Problem(outline_file, 0, "title_zh", f"大纲中没有写“{part.replace('|', '”或“')}”的一级标题：{kind.name_zh}须报告这一部分", warning=True)
            for part in missing_parts(kind, tops)
        ]
    if meta.get("date") is None and not any(p.file.endswith("report.yml") for p in problems):
        found.append(
            Problem(
                display_path(folder / "report.yml"), 1, "date", "没有成文日期：落款将不带日期。请在 report.yml 中写 date: YYYY-MM-DD", warning=True
            )
        )
    return found


@dataclass
class _Figures:
    """What an office-year's files say before its prose is read: the catalog in the office's words,
    ``report.yml``, the figures and their history, the outline and the commitments, with their problems.
    Kept on a record of its own, so a prose edit checks the prose alone (no pandera, no figure re-read)."""

    catalog: Catalog
    meta: dict
    final: bool
    figures: dict[str, Figure]
    history: dict[int, dict[str, Figure]]
    outline: Outline
    outline_valid: bool
    commitments: dict[str, Commitment]
    followups: list[Followup]
    problems: list[Problem]


def _figures_of(data_dir: Path, office: str, year: int, strict: bool) -> _Figures:
    """The office-year's checked figures, taken from the kept ones (helpers.data.kept) while every file they
    were read from reads the same, else read and checked, and kept."""
    key = ("figures", str(data_dir.resolve()), office, year, strict)
    return record.kept_while_unchanged(key, data_dir, lambda: _check_figures(data_dir, office, year, strict))


def _check_figures(data_dir: Path, office: str, year: int, strict: bool) -> _Figures:
    catalog = load_catalog(data_dir)
    folder = year_dir(data_dir, office, year)
    if catalog.unknown_office(office, data_dir):
        raise InputError(catalog.unknown_office(office, data_dir))
    if not record.is_file(folder / "values.csv"):
        years = [str(y) for o, y in office_years(data_dir) if o == office]  # the error names them all
        raise InputError([Problem(display_path(folder / "values.csv"), 0, "*", f"没有{office}的{year}年数据，已有年份：{'、'.join(years) or '无'}")])

    meta, problems = report_meta(folder / "report.yml", year)
    own_words, definition_problems = load_definitions(data_dir, office, catalog)
    catalog = catalog.in_words_of(own_words)  # the office's own names and units, in its figures and its report
    final = strict or meta.get("status", "draft") == "final"
    figures, found = load_values(folder / "values.csv", catalog, year)
    problems += found
    history, found = _history(data_dir, office, year, catalog)
    problems += found + check_plausible(figures, history)
    reported = {i for figs in (*history.values(), figures) for i, f in figs.items() if f.reported}
    outline, found = load_outline(data_dir, office, catalog, reported, own_words, year)
    found += definition_problems
    problems += found
    outline_valid = not any(not p.warning for p in found)
    commitments, followups, found = _commitments(data_dir, office, year, catalog)
    problems += found
    return _Figures(catalog, meta, final, figures, history, outline, outline_valid, commitments, followups, problems)


def _load(data_dir: Path, office: str, year: int, strict: bool) -> Dataset:
    part = _figures_of(data_dir, office, year, strict)
    catalog, meta, figures, outline, final = part.catalog, part.meta, part.figures, part.outline, part.final
    problems = list(part.problems)
    folder = year_dir(data_dir, office, year)
    narrative, found = load_narrative(folder / "narrative", catalog, outline, _known(figures, problems), final)
    problems += found
    problems += _report_checks(data_dir, office, year, meta, figures, outline, part.outline_valid, catalog, problems)
    if final:
        problems = [p.as_error() if p.warning else p for p in problems]
    errors = [p for p in problems if not p.warning]
    if errors:
        raise InputError(errors + [p for p in problems if p.warning])
    return Dataset(
        catalog,
        catalog.offices[office],
        year,
        figures,
        narrative.texts,
        meta.get("date"),
        part.history,
        part.commitments,
        part.followups,
        meta.get("status", "draft"),
        sorted(set(problems), key=Problem.sort_key),
        narrative.images,
        narrative.pending,
        outline,
        {k: v for k, v in meta.items() if k in ("title", "signature", "kind", "published")},
    )


def open_review(path: Path) -> list[Problem]:
    """An ingested year's review rows still marked 待确认: a final year is decided, so it has none."""
    if not record.is_file(path):
        return []
    from .csvfile import read_csv

    frame, problems = read_csv(path)
    if frame is None or problems or "状态" not in frame.columns:
        return problems
    return [
        Problem(
            display_path(path),
            int(row),
            "状态",
            f"“{frame.at[row, '原文']}”的指标匹配仍待确认：核对后把状态改为“已确认”（或改用相近的已有指标），定稿前须全部确认",
        )
        for row in frame.index
        if frame.at[row, "状态"] == "待确认"
    ]


def final_gaps(values: Path, figures: dict[str, Figure], outline: Outline, catalog: Catalog) -> list[Problem]:
    """A final year is complete and real: every figure of its outline given (or 不适用), none illustrative."""
    file, problems = display_path(values), []
    for section in outline.sections.values():
        for ind in outline.in_section(section.id, catalog):
            fig = figures.get(ind.id)
            if fig is None or not fig.reported:
                problems.append(
                    Problem(
                        file, fig.row if fig else 0, "value", f"定稿（status: final）的年度缺少“{ind.name_zh}”（{ind.id}）：请填写数值，或写 不适用"
                    )
                )
            elif fig.has_value and fig.is_illustrative:
                problems.append(Problem(file, fig.row, "source", f"定稿（status: final）的年度不能含示例数据：“{ind.name_zh}”的来源写着示例"))
    return problems


STATUSES = ("draft", "final")
#: Every key report.yml may hold, and what it says; any other key is refused, located.
REPORT_KEYS = {
    "date": "成文日期（落款日期），YYYY-MM-DD",
    "published": "公开日期（网站上的发布日期），YYYY-MM-DD",
    "status": "draft（草稿）或 final（定稿）",
    "title": "报告的完整标题（不写则按报告类型或单位的标题模式生成）",
    "signature": "落款：一行或多行（单位名称，或职务和姓名）",
    "kind": "报告类型：" + "、".join(f"{k}（{v.name_zh}）" for k, v in KINDS.items()),
}


def _key_lines(text: str) -> dict[str, int]:
    """The line of each top-level key of a YAML mapping, to locate a problem with it."""
    try:
        node = yaml.compose(text)
    except yaml.YAMLError:
        return {}
    if not isinstance(node, yaml.MappingNode):
        return {}
    return {str(k.value): k.start_mark.line + 1 for k, _ in node.value}


def _impossible_dates(text: str, file: str) -> list[Problem]:
    """Each ``key: YYYY-MM-DD`` line whose date does not exist, located."""
    import re

    problems = []
    for row, line in enumerate(text.splitlines(), start=1):
        found = re.match(r"^\s*([^:#]+):\s*(\d{4}-\d{1,2}-\d{1,2})\b", line)
        if found:
            try:
                date(*(int(n) for n in found.group(2).split("-")))
            except ValueError:
                problems.append(
                    Problem(file, row, found.group(1).strip(), f"“{found.group(2)}”不是有效的日期（没有这一天）：请写作 YYYY-MM-DD，如 2024-12-09")
                )
    return problems or [Problem(file, 1, "*", "含无效的日期：请写作 YYYY-MM-DD，如 2024-12-09")]


def report_meta(path: Path, year: int) -> tuple[dict, list[Problem]]:
    """``report.yml``: the date under the signature, the ``status`` (draft or final), and optionally the
    ``title``, the ``signature`` lines and the report's ``kind``. A key it does not know is refused."""
    if not record.is_file(path):
        return {}, []
    file = display_path(path)
    try:
        text = record.read_text(path)
        meta = yaml.safe_load(text) or {}
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        mark = getattr(exc, "problem_mark", None)
        return {}, [Problem(file, (mark.line + 1) if mark else 1, "*", f"YAML 格式错误：{exc}")]
    except ValueError:  # YAML read a date that is no day of the calendar (2024-13-45)
        return {}, _impossible_dates(text, file)
    if not isinstance(meta, dict):
        return {}, [Problem(file, 1, "*", "report.yml 应为“键: 值”的形式，如 date: 2024-12-09")]
    lines = _key_lines(text)
    problems: list[Problem] = []
    found: dict[str, object] = {}
    for key in meta:
        if str(key) not in REPORT_KEYS:
            known = "；".join(f"{k}：{v}" for k, v in REPORT_KEYS.items())
            problems.append(Problem(file, lines.get(str(key), 1), str(key), f"report.yml 不认识“{key}”。可用的键：{known}"))
    value = meta.get("date")
    if value is not None:
        if not isinstance(value, date):
            problems.append(Problem(file, lines.get("date", 1), "date", f"“{value}”不是日期，请写作 YYYY-MM-DD"))
        elif value.year not in (year, year + 1):
            problems.append(Problem(file, lines.get("date", 1), "date", f"成文日期{value}应在{year}年或{year + 1}年"))
        else:
            found["date"] = value
    published = meta.get("published")
    if published is not None:
        if not isinstance(published, date):
            problems.append(Problem(file, lines.get("published", 1), "published", f"“{published}”不是日期，请写作 YYYY-MM-DD"))
        elif published.year not in (year, year + 1, year + 2):
            problems.append(Problem(file, lines.get("published", 1), "published", f"公开日期{published}应在{year}年至{year + 2}年之间"))
        else:
            found["published"] = published
    status = meta.get("status", "draft")
    if status not in STATUSES:
        problems.append(Problem(file, lines.get("status", 1), "status", f"status 须为 draft（草稿）或 final（定稿），不能是“{status}”"))
    else:
        found["status"] = status
    kind = kind_of(str(meta.get("kind", DEFAULT_KIND)).strip())  # its id or its Chinese name
    if kind is None:
        problems.append(
            Problem(file, lines.get("kind", 1), "kind", f"报告类型“{meta.get('kind')}”不认识，可用：{REPORT_KEYS['kind'].split('：', 1)[1]}")
        )
    else:
        found["kind"] = kind
    title = meta.get("title")
    if title is not None:
        if not isinstance(title, str) or not title.strip() or "\n" in title.strip():
            problems.append(Problem(file, lines.get("title", 1), "title", "title 须为一行文字：报告的完整标题"))
        else:
            found["title"] = title.strip()
    signature = meta.get("signature")
    if signature is not None:
        entries = [signature] if isinstance(signature, str) else signature
        if not isinstance(entries, list) or not entries or not all(isinstance(e, str) and e.strip() for e in entries):
            problems.append(Problem(file, lines.get("signature", 1), "signature", "signature 须为一行文字，或几行文字的列表（如职务一行、姓名一行）"))
        else:
            found["signature"] = [e.strip() for e in entries]
    return found, problems
