"""``annual-report ingest``: a published report into an office-year's data, for its owner to review.

It writes the office's outline (``sections.csv``), the year's figures (``values.csv``), its prose with
every figure bound (``narrative/``), ``report.yml`` with the date under the signature, and
``ingest-review.csv`` (and ``ingest-review.html``): every figure found, its sentence, what it was matched to
and how closely. A measure nothing matches is proposed as a new indicator of the office (a row of the
office's own ``data/<office>/indicators.csv``). Nothing is overwritten without ``force``, and then only after
a backup; a problem with any target is said before anything is written.
"""

from __future__ import annotations

import csv
import html
import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path

import yaml

from ..data import record
from ..data.catalog import OWN_INDICATORS, load_catalog, own_prefix
from ..data.csvfile import display_path, formula_safe
from ..data.dataset import year_dir
from ..data.outline import reported_indicators
from ..data.writer import DataWriter, WriteLog
from ..errors import InputError, Problem
from ..phrasing import format_value
from .disclosure import DisclosureIngest, ingest_disclosure, is_disclosure
from .figures import Found, find, sentence_of
from .headings import MAX_TITLE, Parsed, parse
from .matching import Match, kind_of, match_all, named
from .prose import bounded, prose
from .source import Document, read_document

REVIEW = "ingest-review"
#: The most of an earlier review read back for its decisions.
MAX_REVIEW = 8 * 1024 * 1024
#: A stated rate within this many points of two counts' quotient is taken as their rate (97.6% of 490/502).
RATE_TOLERANCE = Decimal("0.5")


@dataclass
class IngestResult:
    log: WriteLog
    matches: list[Match]
    sections: int
    proposed: list[str] = field(default_factory=list)  # ids of the new indicators
    notes: list[str] = field(default_factory=list)  # what was done to the text before it was read

    @property
    def summary(self) -> str:
        matched = sum(m.indicator is not None for m in self.matches)
        return (
            f"找到 {len(self.matches)} 个数字，均已在正文中绑定；其中 {matched} 个对应已有指标，"
            f"{len(self.proposed)} 个作为本单位的新指标提出（请在 {REVIEW}.csv 中核对）；大纲 {self.sections} 节"
            + "".join(f"；{note}" for note in self.notes)
        )


def _template(title: str, year: int) -> str:
    title = title.replace("{", "（").replace("}", "）")
    return title.replace(f"{year}年", "{year}年").replace(f"{year - 1}年", "{prev_year}年")


@dataclass
class _Figure:
    paragraph: int  # index in its part's paragraphs (-1: the preamble's)
    part: str
    match: Match
    id: str = ""


def ingest(
    source: Path, data_dir: Path, office: str, year: int, force: bool = False, say: Callable[[str], None] = lambda text: None
) -> IngestResult | DisclosureIngest:
    """Read ``source``, match its figures, and write the office-year's data files (see the module); ``say``
    hears each step, for a long report. The office stays locked from the first read to the last write, so two
    ingests of it at once do one after the other."""
    say(f"读取 {display_path(source)}")
    document = read_document(source)
    writer = DataWriter(data_dir)
    with writer.locked(office):
        if is_disclosure(document):  # the 政府信息公开工作年度报告: its tables, not figures in sentences
            say("这是一份政府信息公开工作年度报告：读取表二、表三、表四")
            return ingest_disclosure(document, source, writer, data_dir, office, year, force, say)
        return _ingest(document, source, writer, data_dir, office, year, force, say)


def _notes(document: Document) -> list[str]:
    return (["网页只取正文，网站的栏目、导航和页脚已略去"] if document.article else []) + (
        [f"原文为繁体字，已转为简体（{document.converted} 字）"] if document.converted else []
    )


def _published(document: Document, year: int) -> date | None:
    """The web page's publication date, where it is a day of the report's year or the two after."""
    try:
        day = date.fromisoformat(document.published)
    except ValueError:
        return None
    return day if year <= day.year <= year + 2 else None


def _ingest(
    document: Document, source: Path, writer: DataWriter, data_dir: Path, office: str, year: int, force: bool, say: Callable[[str], None]
) -> IngestResult:
    catalog = load_catalog(data_dir)
    problems = catalog.unknown_office(office, data_dir)
    if problems:
        raise InputError(problems)
    for note in _notes(document):
        say(note)
    paragraphs = bounded(document.paragraphs)
    parsed = parse(paragraphs)
    if not parsed.title and "报告" in document.title and len(document.title) <= MAX_TITLE:
        parsed.title = document.title  # the page's headline, where the text itself does not repeat it
    parsed.published = _published(document, year)
    say(f"大纲 {len(parsed.parts)} 节，正文 {len(paragraphs)} 段")
    if not parsed.parts:
        raise InputError([Problem(display_path(source), 0, "*", "没有找到任何标题（一、（一）1.（1））：无法拆分章节")])
    own = reported_indicators(data_dir, office, catalog, year - 1) if (data_dir / office).is_dir() else set()
    texts = [("preamble", i, p) for i, p in enumerate(parsed.preamble)]
    texts += [(part.id, i, p) for part in parsed.parts for i, p in enumerate(part.paragraphs)]
    found: list[tuple[str, int, Found]] = [(where, i, f) for where, i, p in texts for f in find(p, year)]
    say(f"找到 {len(found)} 个数字，与指标目录和指标概念比对")
    matches = match_all([f for _, _, f in found], catalog, own, office)
    prefix, proposed, figures = own_prefix(office), [], []
    counters: dict[str, int] = {}
    for (where, i, _), match in zip(found, matches, strict=True):
        figure = _Figure(i, where, match)
        if match.indicator is not None:
            figure.id = match.indicator.id
        else:
            figure.id = ""
            while not figure.id or figure.id in catalog.indicators:  # an earlier year's proposal keeps its id
                counters[where] = counters.get(where, 0) + 1
                figure.id = f"{prefix}{where.replace('-', '_')}_{counters[where]}"
            proposed.append(figure.id)
        figures.append(figure)
    folder = year_dir(data_dir, office, year)
    unplaced = [(where, number, sentence) for where, _, p in texts for number, sentence in unread(p, [f for w, _, f in found if w == where])]
    files = _files(parsed, figures, catalog, office, year, source, unplaced, _confirmed(folder / f"{REVIEW}.csv"))
    indicators_rows = _proposed_rows(figures)
    paths = {name: folder / name for name in files}
    paths["sections.csv"] = _outline_target(data_dir, office, year, files["sections.csv"])
    targets = {paths[name]: text for name, text in files.items()}
    own_path = data_dir / office / OWN_INDICATORS  # the office's own indicators: never the shared catalog
    writer.check([*targets, own_path])
    existing = [
        path
        for name, path in paths.items()
        if not name.startswith(REVIEW)  # the review is this run's own
        and path.is_file()
        and path.read_bytes() != files[name].encode("utf-8")
    ]
    if existing and not force:
        raise InputError(
            [
                Problem(display_path(path), 0, "*", "已存在且内容不同：未写入任何文件。核对后可加 --force 覆盖（先备份到 .backup/）")
                for path in existing
            ]
        )
    writer.write_all(targets, force=True, always=frozenset(targets))
    if indicators_rows:
        shared = (data_dir / "indicators.csv").read_bytes().decode("utf-8-sig").splitlines()[0]
        header = next(csv.reader([shared]))
        text = own_path.read_bytes().decode("utf-8-sig") if own_path.is_file() else shared + "\n"
        rows = [[row.get(column, "") for column in header] for row in indicators_rows]
        writer.write(own_path, text.rstrip("\n") + "\n" + _csv(rows), force=True)
    return IngestResult(writer.log, matches, len(parsed.parts), proposed, _notes(document))


def _outline_target(data_dir: Path, office: str, year: int, text: str) -> Path:
    """The office's ``sections.csv`` where no other year depends on it; else the year's own, so that an ingest
    never changes the outline an earlier (perhaps published) year is built from."""
    office_wide, own = data_dir / office / "sections.csv", year_dir(data_dir, office, year) / "sections.csv"
    if own.is_file():
        return own
    if office_wide.is_file() and office_wide.read_bytes() == text.encode("utf-8"):
        return office_wide
    others = [y for y in record.years(data_dir / office, 9999) if y.name != str(year)] if (data_dir / office).is_dir() else []
    return own if others else office_wide


def _bind(paragraph: str, own: list[_Figure]) -> str:
    """The paragraph with each figure (and the period it covers) replaced by its binding, as prose."""
    spans = []
    for figure in own:
        f = figure.match.found
        if f.shared:
            continue
        spans.append((f.start, f.end, f"{{{{< var {figure.id} >}}}}"))
        if f.period_span:
            spans.append((*f.period_span, f"{{{{< var period.{figure.id} >}}}}"))
    out, last = [], 0
    for start, end, code in sorted(spans):
        out += [prose(paragraph[last:start]), code]
        last = end
    out.append(prose(paragraph[last:]))
    return "".join(out)


def _confirmed(review: Path) -> frozenset[str]:
    """The indicators whose doubt the clerk decided in the last review (状态 已确认): a re-run keeps them decided.
    A review that is a link, unreadable or not a review decides nothing."""
    if review.is_symlink() or not review.is_file():
        return frozenset()
    try:
        rows = list(csv.DictReader(io.StringIO(review.read_bytes()[:MAX_REVIEW].decode("utf-8-sig"))))
    except (UnicodeDecodeError, csv.Error):
        return frozenset()
    return frozenset(row.get("指标编号") or "" for row in rows if row.get("状态") == "已确认") - {""}


def _files(
    parsed: Parsed,
    figures: list[_Figure],
    catalog,
    office: str,
    year: int,
    source: Path,
    unplaced: list[tuple[str, str, str]],
    confirmed: frozenset[str] = frozenset(),
) -> dict[str, str]:
    """Every file to write, by its path under the office-year (``sections.csv``: the office's)."""
    files: dict[str, str] = {}
    by_part: dict[str, list[_Figure]] = {}
    for figure in figures:
        by_part.setdefault(figure.part, []).append(figure)
    rows = [["id", "parent", "title_zh", "role", "caption_zh", "indicators"]]
    for n, part in enumerate(parsed.parts):
        # a figure of the opening paragraph is placed in the first section: every bound figure is in the outline
        ids = [f.id for f in (by_part.get("preamble", []) if n == 0 else []) + by_part.get(part.id, [])]
        rows.append([part.id, part.parent, _template(part.title, year), "", "", " ".join(dict.fromkeys(ids))])
    files["sections.csv"] = _csv(rows)
    for where, paragraphs in [("preamble", parsed.preamble)] + [(p.id, p.paragraphs) for p in parsed.parts]:
        if not paragraphs:
            continue
        own = by_part.get(where, [])
        bound = [_bind(text, [f for f in own if f.paragraph == i]) for i, text in enumerate(paragraphs)]
        files[f"narrative/{where}.md"] = "\n\n".join(bound) + "\n"
    office_row = catalog.offices[office]
    title = parsed.title or f"{office_row.short_name_zh}{year}年法治政府建设年度报告"
    said = f"{title}（{parsed.signed.isoformat()}）" if parsed.signed else title
    values = [["indicator", "value", "qualifier", "period_end", "source", "note"]]
    for figure in figures:
        f = figure.match.found
        values.append(
            [figure.id, str(f.value), f.qualifier, f.period_end.isoformat() if f.period_end else "", said, "由正文中文数字读出" if f.chinese else ""]
        )
    files["values.csv"] = _csv(values)
    meta: dict[str, object] = {"status": "draft"}
    if parsed.signed:
        meta["date"] = parsed.signed
    if parsed.published:
        meta["published"] = parsed.published
    if parsed.title:
        meta["title"] = parsed.title
    if parsed.signature and parsed.signature != [office_row.name_zh]:
        meta["signature"] = parsed.signature
    files["report.yml"] = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False)
    files[f"{REVIEW}.csv"], files[f"{REVIEW}.html"] = _review(figures, unplaced, title, source, confirmed)
    return files


def _proposed_name(found: Found) -> str:
    return named(found) or f"未命名数字（{format_value(found.value, found.unit, found.qualifier)}）"


def _proposed_rows(figures: list[_Figure]) -> list[dict[str, str]]:
    """The new indicators, each a part of the whole said before it (其中…) and a rate of the two counts of its
    sentence it is the quotient of, where the text says so."""
    rows = []
    for n, figure in enumerate(figures):
        if figure.match.indicator is not None:
            continue
        f = figure.match.found
        row = {
            "id": figure.id,
            "section": "",
            "name_zh": _proposed_name(f),
            "unit": f.unit,
            "kind": kind_of(f),
            "polarity": "up" if kind_of(f) == "rate" else "neutral",
            "concept": figure.match.concept.id if figure.match.concept else "",
        }
        earlier = [
            g
            for g in figures[:n]
            if g.part == figure.part
            and g.paragraph == figure.paragraph
            and g.match.found.sentence == f.sentence
            and kind_of(g.match.found) == "count"
        ]
        if f.part and kind_of(f) == "count":
            whole = next((g for g in reversed(earlier) if not g.match.found.part and g.match.found.value >= f.value), None)
            row["part_of"] = whole.id if whole else ""
        if kind_of(f) == "rate":
            for whole in earlier:
                for share in earlier:
                    a, b = whole.match.found.value, share.match.found.value
                    if share is not whole and 0 < b <= a and abs(b / a * 100 - f.value) <= RATE_TOLERANCE:
                        row["numerator"], row["denominator"] = share.id, whole.id
        rows.append(row)
    return rows


def _csv(rows: list[list[str]]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows([[formula_safe(cell) for cell in row] for row in rows])
    return buffer.getvalue()


#: The review's columns, for the clerk, and its statuses in the order they need a decision.
REVIEW_HEAD = [
    "状态",
    "章节",
    "原文",
    "数值",
    "限定词",
    "单位",
    "统计截止日",
    "指标编号",
    "指标名称",
    "匹配方式",
    "指标概念",
    "相近的已有指标（未采用）",
    "匹配度",
    "所在句子",
]
STATUSES = ("待确认", "未识别", "新建", "已匹配", "已确认")
TIERS = {"office": "本单位已有指标", "catalog": "指标目录", "concept": "新建，归入指标概念", "new": "新建"}
#: A number in the text that is a year, a date, an article or a document number, not a figure.
NOT_A_FIGURE = re.compile(r"\d+(?:\.\d+)?(?=\s*(?:年|月|日|号|届|条|款|期|版|[-—－]\d))|(?<=第)\d+")
ANY_NUMBER = re.compile(r"\d+(?:\.\d+)?")


def unread(paragraph: str, found: list[Found]) -> list[tuple[str, str]]:
    """The numbers of ``paragraph`` that no figure was read from, with their sentences: each gets a review row
    (未识别), so no number of the report is passed over unsaid."""
    spans = [(f.start, f.end) for f in found]
    skip = [(m.start(), m.end()) for m in NOT_A_FIGURE.finditer(paragraph)]
    return [
        (m.group(0), sentence_of(paragraph, m.start()))
        for m in ANY_NUMBER.finditer(paragraph)
        if not any(a <= m.start() < b for a, b in spans + skip)
    ]


def _review(
    figures: list[_Figure], unplaced: list[tuple[str, str, str]], title: str, source: Path, confirmed: frozenset[str] = frozenset()
) -> tuple[str, str]:
    """The review as CSV and as a page: a row a number of the text, what needs a decision first; a doubt the
    clerk marked 已确认 in the last review (``confirmed``, by indicator id) stays decided."""
    rows = []
    for figure in figures:
        m, f = figure.match, figure.match.found
        status = ("已确认" if figure.id in confirmed else "待确认") if m.doubt else "已匹配" if m.indicator else "新建"
        rows.append(
            [
                status,
                figure.part,
                format_value(f.value, f.unit, f.qualifier),
                str(f.value),
                f.qualifier,
                f.unit,
                f.period_end.isoformat() if f.period_end else "",
                figure.id,
                m.indicator.name_zh if m.indicator else _proposed_name(f),
                TIERS[m.tier],
                m.concept.id if m.concept else "",
                f"{m.doubt.name_zh}（{m.doubt.id}）" if m.doubt else "",
                str(m.score) if m.indicator or m.concept else "",
                f.sentence,
            ]
        )
    rows += [["未识别", where, number, number, "", "", "", "", "", "", "", "", "", sentence] for where, number, sentence in unplaced]
    rows.sort(key=lambda row: STATUSES.index(row[0]))
    return _csv([REVIEW_HEAD, *rows]), _review_page([REVIEW_HEAD, *rows], title, source)


def _review_page(rows: list[list[str]], title: str, source: Path) -> str:
    head = "".join(f"<th>{html.escape(c)}</th>" for c in rows[0])
    body = "\n".join("<tr>" + "".join(f"<td>{html.escape(str(c))}</td>" for c in row) + "</tr>" for row in rows[1:])
    counts = "，".join(f"{status} {sum(r[0] == status for r in rows[1:])} 个" for status in STATUSES)
    return (
        '<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8"><title>导入核对表</title>'
        "<style>body{font-family:sans-serif}td,th{border:1px solid #ccc;padding:2px 4px;vertical-align:top}</style>"
        f"</head><body><h1>导入核对表：{html.escape(title)}</h1><p>来源：{html.escape(source.name)}。{counts}。"
        "待确认：与已有指标名称相近，但不能确定统计的是同一事项，已作为本单位的新指标提出，请核对后决定是否改用该指标；"
        "未识别：原文中的数字没有读成数据（没有单位，或不像一个统计数），请核对是否需要补入 values.csv；"
        "已确认：核对过的待确认行（在 CSV 中把状态改为“已确认”），再次导入时保持已确认。</p>"
        f"<table><thead><tr>{head}</tr></thead><tbody>\n{body}\n</tbody></table></body></html>\n"
    )
