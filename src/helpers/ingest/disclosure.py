"""``annual-report ingest`` of a published 政府信息公开工作年度报告: its three tables into ``disclosure.csv``,
its prose for the parts the office writes into ``narrative/``, and ``report.yml`` naming the kind.

The tables are checked by the same identities as an office's own (helpers.data.disclosure): a published table
that does not add up is refused, every broken identity named by its table, row label and column, and nothing is
written. Where the office's prose states a count its table contradicts, that is said too.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ..data import record
from ..data.csvfile import display_path
from ..data.disclosure import PARTS, check, load_disclosure, to_csv
from ..data.kinds import DISCLOSURE_KIND, KINDS
from ..data.reports import ReportPlace, new_place
from ..data.writer import DataWriter, WriteLog
from ..errors import InputError, Problem
from ..model.disclosure import narrative_problems
from .disclosure_tables import read_tables
from .headings import DATE, split_signature
from .prose import prose
from .source import Document

#: A part's heading as published: 一、 to 六、 (or 一. ), then words of its title.
PART_HEADING = re.compile(r"^(?P<n>[一二三四五六])\s*[、.．]\s*(?P<title>.{2,40})$")
#: The list of appendices above a signature (附件：1. …).
ATTACHMENTS = re.compile(r"^附件\s*[：:]")
#: What each part's heading holds (the kind's declared parts, in order).
PART_WORDS = dict(zip(PARTS, KINDS[DISCLOSURE_KIND].parts, strict=True))


def is_disclosure(document: Document) -> bool:
    """A report of this kind: its headline or first lines name it, or its text holds table 3's first row."""
    head = " ".join([document.title, *document.paragraphs[:3]])
    return bool(re.search(r"政府信息公开(?:工作)?年度报告", head)) or any("本年新收政府信息公开申请数量" in p for p in document.paragraphs)


@dataclass
class DisclosureIngest:
    log: WriteLog
    place: ReportPlace
    cells: int
    layout: str
    notes: list[str] = field(default_factory=list)

    @property
    def summary(self) -> str:
        where = display_path(self.place.folder)
        return f"政府信息公开工作年度报告（{self.layout}年格式）：读到表格 {self.cells} 格，各表勾稽关系成立；已写入 {where}" + "".join(
            f"；{note}" for note in self.notes
        )


def _parts(paragraphs: list[str]) -> tuple[list[str], dict[str, list[str]]]:
    """The paragraphs before the first part, and each part's paragraphs, by the part's id."""
    starts: list[tuple[int, str]] = []
    ids = list(PARTS)
    for i, paragraph in enumerate(paragraphs):
        match = PART_HEADING.match(paragraph.replace(" ", ""))
        if not match or len(starts) == len(ids):
            continue
        part = ids[len(starts)]
        if "一二三四五六"[len(starts)] == match["n"] and re.search(PART_WORDS[part], match["title"]):
            starts.append((i, part))
    parts = {}
    for n, (i, part) in enumerate(starts):
        end = starts[n + 1][0] if n + 1 < len(starts) else len(paragraphs)
        parts[part] = paragraphs[i + 1 : end]
    return paragraphs[: starts[0][0]] if starts else paragraphs, parts


def _until_signed(paragraphs: list[str]) -> list[str]:
    """The paragraphs up to the date under the signature, without the list of appendices above it: what
    follows the date (an appendix, a page's footer) is no text of the report's."""
    for i, paragraph in enumerate(paragraphs):
        if DATE.match(paragraph.replace(" ", "")) and any(PART_HEADING.match(p.replace(" ", "")) for p in paragraphs[:i]):
            return [p for p in paragraphs[: i + 1] if not ATTACHMENTS.match(p)]
    return paragraphs


def ingest_disclosure(
    document: Document, source: Path, writer: DataWriter, data_dir: Path, office: str, year: int, force: bool, say: Callable[[str], None]
) -> DisclosureIngest:
    """Read the tables and the parts, check them, and write the office-year's files of this kind (all or none)."""
    name = display_path(source)
    read = read_tables("\n".join(document.paragraphs), name)
    for note in read.notes:
        say(note)
    if not read.data.values:
        raise InputError([Problem(name, 0, "*", "没有读到政府信息公开工作年度报告的表格（表二、表三、表四）：无法写入数据")])
    place = new_place(data_dir, office, year, DISCLOSURE_KIND)
    last = new_place(data_dir, office, year - 1, DISCLOSURE_KIND).folder / KINDS[DISCLOSURE_KIND].data_file
    previous = None
    if last.is_file():
        with record.recording(data_dir):
            previous, found = load_disclosure(last)
        previous = None if found else previous
    problems = check(read.data, previous, final=False)
    errors = [p for p in problems if not p.warning]
    if errors:
        raise InputError([*errors, Problem(name, 0, "*", "表格数字不能互相核对：未写入任何文件。请核对原文，或按原件更正后再读取")])
    notes = [*read.notes, *(p.message for p in problems)]
    body, signature, signed = split_signature(_until_signed(document.paragraphs))
    preamble, parts = _parts(body)
    missing = [PARTS[p] for p in PARTS if p not in parts]
    if missing:
        notes.append(f"没有找到这些部分的标题：{'、'.join(missing)}")
    said = narrative_problems("\n".join(p for key in ("overview", "requests", "review") for p in parts.get(key, [])), read.data, name)
    notes += [f"原文与表格不一致：{p.message}" for p in said]
    title = next((p for p in preamble if "报告" in p and len(p) <= 60 and not re.search(r"[。，,；;]", p)), "") or document.title
    files: dict[str, str] = {KINDS[DISCLOSURE_KIND].data_file: to_csv(read.data)}
    opening = [p for p in preamble if p != title]
    if opening:
        files["narrative/preamble.md"] = "\n\n".join(prose(p) for p in opening) + "\n"
    for part in ("overview", "problems", "other"):
        if parts.get(part):
            files[f"narrative/{part}.md"] = "\n\n".join(prose(p) for p in parts[part]) + "\n"
    meta: dict = {"kind": KINDS[DISCLOSURE_KIND].name_zh, "status": "draft"}
    if signed:
        meta["date"] = signed
    if title:
        meta["title"] = title
    office_name = signature[0] if signature else ""
    if signature and office_name:
        meta["signature"] = signature
    files["report.yml"] = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False)
    targets = {place.folder / path: text for path, text in files.items()}
    writer.check(list(targets))
    existing = [path for path, text in targets.items() if path.is_file() and path.read_bytes() != text.encode("utf-8")]
    if existing and not force:
        raise InputError(
            [Problem(display_path(p), 0, "*", "已存在且内容不同：未写入任何文件。核对后可加 --force 覆盖（先备份到 .backup/）") for p in existing]
        )
    writer.write_all(targets, force=True, always=frozenset(targets))
    return DisclosureIngest(writer.log, place, sum(1 for v in read.data.values), read.layout, notes)
