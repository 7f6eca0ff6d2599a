"""``annual-report ingest report.docx --update``: an edited Word copy of a report the project built, its
editors' wording taken back into the narrative files, every binding kept.

Each narrative paragraph is written out as the report shows it (each binding as its figure's text) and
found in the Word copy; where the editor changed it, the paragraph comes back with the editor's words.
A figure whose text is unchanged keeps its binding; a figure the editor changed is reported as a conflict
with ``values.csv`` and keeps its binding too, so the figure is never taken from Word silently. Tracked
changes (修订) are taken as accepted, as Word shows them with 'no markup', and said. Only narrative files
are written, each backed up first.
"""

from __future__ import annotations

import difflib
import html
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from rapidfuzz import fuzz

from ..data.csvfile import display_path
from ..data.dataset import load_dataset, year_dir
from ..data.markup import SHORTCODE
from ..data.writer import DataWriter, WriteLog
from ..errors import InputError, Problem
from ..model.variables import all_metrics, build_variables, lookup
from ..project import PROVENANCE
from .prose import prose
from .source import check_word, read_paragraphs

#: A narrative paragraph and a Word paragraph at least this alike (0–100) are the same paragraph.
SAME_PARAGRAPH = 60
MAX_PROPERTIES = 64 * 1024
UNESCAPE = re.compile(r"\\(.)")


@dataclass(frozen=True)
class Conflict:
    file: str
    paragraph: int
    key: str
    ours: str  # the figure as values.csv gives it
    theirs: str  # as the Word copy has it

    def __str__(self) -> str:
        return (
            f"{self.file}:{self.paragraph}:{self.key}: Word 中为“{self.theirs}”，values.csv 中为“{self.ours}”："
            "未采用 Word 中的数字；如 Word 中的对，请改 values.csv"
        )


@dataclass
class UpdateResult:
    log: WriteLog
    changed: int = 0  # paragraphs that came back with the editor's words
    unchanged: int = 0
    missing: list[str] = field(default_factory=list)  # narrative paragraphs not found in the Word copy
    conflicts: list[Conflict] = field(default_factory=list)
    tracked: int = 0  # tracked changes taken as accepted

    @property
    def summary(self) -> str:
        said = f"改回正文的段落 {self.changed} 段，未改动 {self.unchanged} 段"
        if self.tracked:
            said += f"；Word 中的修订 {self.tracked} 处已按“接受”读取"
        if self.conflicts:
            said += f"；数字与 values.csv 不一致 {len(self.conflicts)} 处（未采用，见上）"
        if self.missing:
            said += f"；Word 中找不到的段落 {len(self.missing)} 段（正文未删，见上）"
        return said


def _normal(text: str) -> str:
    return re.sub(r"[^\w]", "", text)


def rendered(paragraph: str, tree: dict) -> tuple[str, list[tuple[int, int, str, str]]]:
    """The paragraph as the report shows it, and where each binding's text stands in it."""
    out, spans, last = "", [], 0
    for match in SHORTCODE.finditer(paragraph):
        out += UNESCAPE.sub(r"\1", paragraph[last : match.start()])
        code = match.group(0)
        text = (lookup(tree, match["arg"].strip()) or "") if match["name"] == "var" else ""
        spans.append((len(out), len(out) + len(text), code, text))
        out += text
        last = match.end()
    return out + UNESCAPE.sub(r"\1", paragraph[last:]), spans


def rebind(ours: str, spans: list[tuple[int, int, str, str]], theirs: str) -> tuple[str, list[tuple[str, str, str]]]:
    """The editor's paragraph with each binding put back where its text stands; the figures they changed."""
    opcodes = difflib.SequenceMatcher(None, ours, theirs, autojunk=False).get_opcodes()

    def where(position: int, end: bool) -> tuple[int, bool]:
        for tag, i1, i2, j1, j2 in opcodes:
            if i1 <= position < i2 or (end and i1 < position <= i2):
                return (j1 + position - i1 if tag == "equal" else (j2 if end else j1)), tag == "equal"
        return len(theirs), False

    pieces, changed, last = [], [], 0
    for start, end, code, text in spans:
        (j1, same_start), (j2, same_end) = where(start, False), where(end, True)
        same = same_start and same_end and theirs[j1:j2] == text
        if j1 < last:
            continue
        if not same:
            changed.append((code, text, theirs[j1:j2]))
        pieces += [prose(theirs[last:j1]), code]
        last = j2
    pieces.append(prose(theirs[last:]))
    return "".join(pieces), changed


def tracked_changes(path: Path) -> int:
    """How many insertions and deletions the Word file still marks as tracked (修订)."""
    try:
        with zipfile.ZipFile(path) as archive:
            xml = archive.read("word/document.xml").decode("utf-8", "replace")
    except (zipfile.BadZipFile, KeyError):
        raise InputError([Problem(display_path(path), 0, "*", "不是 Word（.docx）文件：无法读取其中的正文")]) from None
    return len(re.findall(r"<w:(?:ins|del)\b", xml))


def provenance(path: Path) -> dict[str, str]:
    """The office, year and record a Word copy says it was built from (its custom document properties)."""
    try:
        with zipfile.ZipFile(path) as archive:
            xml = archive.read("docProps/custom.xml")[:MAX_PROPERTIES].decode("utf-8", "replace")
    except KeyError:
        return {}
    except zipfile.BadZipFile:
        raise InputError([Problem(display_path(path), 0, "*", "不是 Word（.docx）文件：无法读取其中的正文")]) from None
    found = re.findall(r'<property\b[^>]*\bname="([^"]+)"[^>]*>\s*<vt:lpwstr>([^<]*)</vt:lpwstr>', xml)
    return {name: html.unescape(value) for name, value in found if name in PROVENANCE}


def _check_provenance(source: Path, office: str, year: int) -> None:
    said = provenance(source)
    file = display_path(source)
    if not said.get("report-office") or not said.get("report-year"):
        raise InputError(
            [
                Problem(
                    file,
                    0,
                    "*",
                    "文档属性中没有生成它的单位和年份：--update 只读取本项目生成的 Word 文件（用 annual-report build --formats docx 生成后再编辑）",
                )
            ]
        )
    problems = []
    if said["report-office"] != office:
        problems.append(Problem(file, 0, "report-office", f"这份 Word 文件是为单位“{said['report-office']}”生成的，不是“{office}”：未读取"))
    if said["report-year"] != str(year):
        problems.append(Problem(file, 0, "report-year", f"这份 Word 文件是{said['report-year']}年的报告，不是{year}年：未读取"))
    if problems:
        raise InputError(problems)


def update(source: Path, data_dir: Path, office: str, year: int) -> UpdateResult:
    """Take the editor's wording from ``source`` (a .docx of this office-year's report) into its narrative."""
    if source.suffix.lower() != ".docx":
        raise InputError([Problem(display_path(source), 0, "*", "--update 只读取本项目生成、经编辑修改的 Word（.docx）文件")])
    check_word(source)  # before the archive is opened for its properties and tracked changes
    _check_provenance(source, office, year)
    tracked = tracked_changes(source)
    data = load_dataset(data_dir, office, year)
    tree = build_variables(all_metrics(data))
    words = read_paragraphs(source)
    normal_words = [_normal(w) for w in words]
    result, cursor = UpdateResult(WriteLog(), tracked=tracked), 0
    folder = year_dir(data_dir, office, year) / "narrative"
    parts = ["preamble", *data.outline.sections]
    files: dict[Path, str | bytes] = {}
    for part in parts:
        text = data.narrative.get(part)
        if not text:
            continue
        path = folder / f"{part}.md"
        paragraphs = [p for p in re.split(r"\n\s*\n", text.strip()) if p.strip()]
        new = []
        for n, paragraph in enumerate(paragraphs, start=1):
            ours, spans = rendered(paragraph.replace("\n", ""), tree)
            target = _normal(ours)
            scores = [(fuzz.ratio(target, w), i) for i, w in enumerate(normal_words[cursor:], start=cursor) if w]
            best, index = max(scores, default=(0, -1))
            if best < SAME_PARAGRAPH:
                result.missing.append(f"{display_path(path)}:第{n}段")
                new.append(paragraph)
                continue
            cursor = index + 1
            if normal_words[index] == target:
                result.unchanged += 1
                new.append(paragraph)
                continue
            back, changed = rebind(ours, spans, words[index])
            for code, mine, theirs in changed:
                found = SHORTCODE.match(code)
                key = found["arg"].strip() if found else code
                result.conflicts.append(Conflict(display_path(path), n, key, mine, theirs))
            result.changed += 1
            new.append(back)
        updated = "\n\n".join(new) + "\n"
        if updated.strip() != text.strip():
            files[path] = updated
    writer = DataWriter(data_dir, result.log)
    with writer.locked(office):
        writer.write_all(files, force=True)
    return result
