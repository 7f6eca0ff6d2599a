"""A published report read as plain paragraphs, whatever it came as: pandoc reads Word and web pages into
its document tree and writes them out as plain text, so no markup, link, image or script comes through."""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from ..data.csvfile import display_path
from ..errors import InputError, Problem

FORMATS = {".docx": "docx", ".html": "html", ".htm": "html", ".txt": None}
MAX_BYTES = 20 * 1024 * 1024
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def refuse(path: Path, message: str) -> InputError:
    return InputError([Problem(display_path(path), 0, "*", message)])


def decode(raw: bytes, path: Path) -> str:
    """UTF-8 (with or without its mark), else GB18030, the two a Chinese office's files come in."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise refuse(path, "无法识别文字编码（应为 UTF-8 或 GB18030）")


@dataclass
class Document:
    """What a published report gives: its paragraphs, and what its web page says of it."""

    paragraphs: list[str]
    title: str = ""  # a web page's headline
    published: str = ""  # a web page's publication date, YYYY-MM-DD
    converted: int = 0  # traditional characters read as simplified
    article: bool = False  # a web page's article was taken, its site's page left behind


def read_paragraphs(path: Path) -> list[str]:
    """The report's paragraphs, in order, each one line of plain text, empty ones left out."""
    return read_document(path).paragraphs


def read_document(path: Path) -> Document:
    """The report (see :class:`Document`): a web page reduced to its article, traditional characters read as
    simplified, each paragraph one line of plain text."""
    kind = path.suffix.lower()
    if kind not in FORMATS:
        raise refuse(path, f"不能读取“{path.suffix or path.name}”文件：请给出 .docx、.html 或 .txt")
    if not path.is_file():
        raise refuse(path, "文件不存在")
    if path.is_symlink():
        raise refuse(path, "是符号链接：出于安全不读取")
    if path.stat().st_size > MAX_BYTES:
        raise refuse(path, f"文件超过 {MAX_BYTES // (1024 * 1024)} MB，不像一份年度报告")
    raw = path.read_bytes()
    document = Document([])
    if FORMATS[kind] is None:
        text = decode(raw, path)
    elif FORMATS[kind] == "html":
        from .article import article

        page = decode(raw, path)
        _check_nesting(path, page)
        found = article(path, page)
        if found is not None:
            page, document.title, document.published, document.article = found.html, found.title, found.date, True
        text = run_pandoc(path, "html", page.encode("utf-8"))
    else:
        text = _read_word(path, raw)
    lines = [fullwidth(CONTROL.sub("", line).replace("\u3000", " ").strip()) for line in text.splitlines()]
    lines, document.converted = simplified([line for line in lines if line])
    document.paragraphs = lines
    if document.title:
        document.title = simplified([document.title])[0][0]
    return document


#: The share of a text's Chinese characters that, once in traditional form, says the text is traditional:
#: a simplified text has next to none that OpenCC would change.
TRADITIONAL_SHARE = 0.02


def simplified(lines: list[str]) -> tuple[list[str], int]:
    """The lines in simplified characters where they are written in traditional ones (OpenCC's t2s), and how
    many characters changed; simplified text is left exactly as it is."""
    import opencc

    converter = opencc.OpenCC("t2s")
    converted = [converter.convert(line) for line in lines]
    changed = sum(a != b for line, new in zip(lines, converted, strict=True) for a, b in zip(line, new, strict=False))
    chinese = sum("\u4e00" <= c <= "\u9fff" for line in lines for c in line)
    if not chinese or changed / chinese < TRADITIONAL_SHARE:
        return lines, 0
    return converted, changed


#: ASCII punctuation a copied report carries into Chinese text, and the marks the report means by it.
FULLWIDTH = {",": "，", ";": "；", ":": "：", "(": "（", ")": "）", "!": "！", "?": "？"}
CJK_NEIGHBOUR = re.compile(r"(?<=[\u3000-\u9fff\uff00-\uffef“”])\s*([,;:()!?])|([,;:()!?])\s*(?=[\u3000-\u9fff\uff00-\uffef“”])")


def fullwidth(line: str) -> str:
    """ASCII commas, colons and brackets beside Chinese characters as the full-width marks of the text."""
    return CJK_NEIGHBOUR.sub(lambda m: FULLWIDTH[m.group(1) or m.group(2)], line)


#: What reading one untrusted document may take: pandoc gets this long, this much memory, and a Word file
#: may unpack to this much, in this many parts; a web page may nest its elements this deep.
TIME_LIMIT = 60
MEMORY_LIMIT = 1024 * 1024 * 1024
MAX_UNPACKED = 64 * 1024 * 1024
MAX_PARTS = 2000
MAX_DEPTH = 200
#: The most plain text one document may give: ten times the largest report the project has seen.
MAX_TEXT = 20 * 1024 * 1024


def check_word(path: Path) -> None:
    """Refuse, before any parser sees it, a Word file that unpacks to far more than a report: it could keep
    a reader busy for minutes (a web page nested too deep is refused by :func:`_check_nesting`)."""
    import zipfile

    try:
        with zipfile.ZipFile(path) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, OSError):
        raise refuse(path, "不是 Word（.docx）文件：内容不是 docx 的压缩包格式") from None
    if len(parts) > MAX_PARTS:
        raise refuse(path, f"Word 文件由 {len(parts)} 个部分组成，超过 {MAX_PARTS}：不像一份年度报告，未读取")
    unpacked = sum(p.file_size for p in parts)
    if unpacked > MAX_UNPACKED:
        raise refuse(path, f"Word 文件解压后有 {unpacked // (1024 * 1024)} MB，超过 {MAX_UNPACKED // (1024 * 1024)} MB：不像一份年度报告，未读取")
    if not any(p.filename == "word/document.xml" for p in parts):
        raise refuse(path, "不是 Word（.docx）文件：其中没有正文（word/document.xml）")


class _Depth(HTMLParser):
    VOID = frozenset(["area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr"])

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.depth = self.deepest = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag not in self.VOID:
            self.depth += 1
            self.deepest = max(self.deepest, self.depth)

    def handle_endtag(self, tag: str) -> None:
        if tag not in self.VOID:
            self.depth = max(0, self.depth - 1)


def _check_nesting(path: Path, text: str) -> None:
    counter = _Depth()
    for start in range(0, len(text), 65536):
        counter.feed(text[start : start + 65536])
        if counter.deepest > MAX_DEPTH:
            raise refuse(path, f"网页的元素嵌套超过 {MAX_DEPTH} 层：不像一篇保存的报告网页，未读取")


def limits() -> None:  # in the child, before pandoc starts
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))
    resource.setrlimit(resource.RLIMIT_CPU, (TIME_LIMIT, TIME_LIMIT + 5))


def run_pandoc(path: Path, reader: str, source: bytes | None = None) -> str:
    """pandoc's plain text of an untrusted document: sandboxed (it reads nothing but its input and fetches
    nothing: no image, no iframe, no include), within :data:`TIME_LIMIT` seconds and :data:`MEMORY_LIMIT`."""
    import pypandoc

    command = [
        pypandoc.get_pandoc_path(),
        "+RTS",
        f"-M{MEMORY_LIMIT // (2 * 1024 * 1024)}m",
        "-RTS",
        "--sandbox",
        "--from",
        reader,
        "--to",
        "plain",
        "--wrap=none",
    ]
    what = "网页" if reader == "html" else "Word 文件"
    try:
        proc = subprocess.run(
            command + ([] if source is not None else [str(path)]), input=source, capture_output=True, timeout=TIME_LIMIT, preexec_fn=limits
        )
    except subprocess.TimeoutExpired:
        raise refuse(path, f"{what}读取超过 {TIME_LIMIT} 秒仍未完成，已停止：不像一份年度报告") from None
    if proc.returncode != 0:
        detail = proc.stderr.decode("utf-8", "replace").strip()[:200] or f"读取程序异常结束（{proc.returncode}），可能超出内存限制"
        raise refuse(path, f"{what}无法读取：{detail}")
    if len(proc.stdout) > MAX_TEXT:
        raise refuse(path, f"{what}的文字超过 {MAX_TEXT // (1024 * 1024)} MB：不像一份年度报告，未读取")
    return proc.stdout.decode("utf-8", "replace")


def _read_word(path: Path, raw: bytes) -> str:
    if not raw.startswith(b"PK"):
        raise refuse(path, "不是 Word（.docx）文件：内容不是 docx 的压缩包格式")
    check_word(path)
    return run_pandoc(path, "docx")
