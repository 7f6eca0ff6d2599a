"""A published report read as plain paragraphs, whatever it came as: pandoc reads Word and web pages into
its document tree and writes them out as plain text, so no markup, link, image or script comes through."""

from __future__ import annotations

import re
from pathlib import Path

from ..data.csvfile import display_path
from ..errors import InputError, Problem

FORMATS = {".docx": "docx", ".html": "html", ".htm": "html", ".txt": None}
MAX_BYTES = 20 * 1024 * 1024
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _refuse(path: Path, message: str) -> InputError:
    return InputError([Problem(display_path(path), 0, "*", message)])


def decode(raw: bytes, path: Path) -> str:
    """UTF-8 (with or without its mark), else GB18030, the two a Chinese office's files come in."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise _refuse(path, "无法识别文字编码（应为 UTF-8 或 GB18030）")


def read_paragraphs(path: Path) -> list[str]:
    """The report's paragraphs, in order, each one line of plain text, empty ones left out."""
    kind = path.suffix.lower()
    if kind not in FORMATS:
        raise _refuse(path, f"不能读取“{path.suffix or path.name}”文件：请给出 .docx、.html 或 .txt")
    if not path.is_file():
        raise _refuse(path, "文件不存在")
    if path.is_symlink():
        raise _refuse(path, "是符号链接：出于安全不读取")
    if path.stat().st_size > MAX_BYTES:
        raise _refuse(path, f"文件超过 {MAX_BYTES // (1024 * 1024)} MB，不像一份年度报告")
    raw = path.read_bytes()
    if FORMATS[kind] is None:
        text = decode(raw, path)
    else:
        text = _through_pandoc(path, raw, FORMATS[kind])
    lines = [fullwidth(CONTROL.sub("", line).replace("\u3000", " ").strip()) for line in text.splitlines()]
    return [line for line in lines if line]


#: ASCII punctuation a copied report carries into Chinese text, and the marks the report means by it.
FULLWIDTH = {",": "，", ";": "；", ":": "：", "(": "（", ")": "）", "!": "！", "?": "？"}
CJK_NEIGHBOUR = re.compile(r"(?<=[\u3000-\u9fff\uff00-\uffef“”])\s*([,;:()!?])|([,;:()!?])\s*(?=[\u3000-\u9fff\uff00-\uffef“”])")


def fullwidth(line: str) -> str:
    """ASCII commas, colons and brackets beside Chinese characters as the full-width marks of the text."""
    return CJK_NEIGHBOUR.sub(lambda m: FULLWIDTH[m.group(1) or m.group(2)], line)


def _through_pandoc(path: Path, raw: bytes, reader: str) -> str:
    import pypandoc

    if reader == "html":
        source = decode(raw, path)
        try:
            return pypandoc.convert_text(source, "plain", format="html", extra_args=["--wrap=none"])
        except RuntimeError as exc:
            raise _refuse(path, f"网页无法读取：{str(exc).strip()[:200]}") from None
    if not raw.startswith(b"PK"):
        raise _refuse(path, "不是 Word（.docx）文件：内容不是 docx 的压缩包格式")
    try:
        return pypandoc.convert_file(str(path), "plain", format="docx", extra_args=["--wrap=none"])
    except RuntimeError as exc:
        raise _refuse(path, f"Word 文件无法读取：{str(exc).strip()[:200]}") from None
