"""The Markdown an office may write, and how text from data is made inert before it reaches a renderer.

Prose and CSV cells come from many hands. Pandoc (and Quarto) would run raw HTML, raw Typst or LaTeX,
read a YAML block as the document's metadata, fetch an image from anywhere, take ``@name`` for a
citation and ``{{< … >}}`` for a shortcode. So:

- prose is checked on pandoc's parsed document, not line by line (:func:`check_prose`): what it may hold
  is text, emphasis, lists, tables, http(s) links, images inside its own folder, and the ``var`` and
  ``meta`` shortcodes on one line;
- what passes is made inert before it is composed (:func:`inert_prose`): ``<``, ``@`` and ``$`` become
  entities, so ``《…<中共…工作要点>…》`` is text, never a tag, ``@某某`` is never a citation, and ``$`` is
  never math (for which Quarto's HTML would load MathJax from the network);
- text from CSV cells is never Markdown at all (:func:`literal`): every character that means something
  to Markdown or to Quarto's shortcodes is written as an entity.
"""

from __future__ import annotations

import json
import re
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ..errors import Problem
from ..installation import program_file
from . import record
from .kept import keep, sha_text, taken

#: A shortcode as Quarto matches it, across lines too (the prose check must see what the renderer sees).
SHORTCODE_ANY = re.compile(r"\{\{<(?P<body>.*?)>\}\}", re.S)
SHORTCODE = re.compile(r"\{\{<\s*(?P<name>[\w-]+)\s+(?P<arg>[^>\n]*?)\s*>\}\}")
ALLOWED_SHORTCODES = ("var", "meta")
#: A raw HTML tag is an ASCII tag name after '<' (or '</', '<!'): <img, </div, <!--. '<中共…>' is text.
HTML_TAG = re.compile(r"<\s*/?\s*(!|[A-Za-z][A-Za-z0-9-]*(\s|/?>|$))", re.M)
#: Characters that can start anything beyond plain text in pandoc Markdown; prose without them (the
#: usual Chinese prose) needs no parse.
MARKUP_TRIGGER = re.compile(r"[<`~\\\[\]{}!%]|^(---|\.\.\.)\s*$|^\s*:", re.M)  # ^: a fenced div, a table caption
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg")
MAX_LINE = 20_000
#: Control characters other than tab and the line ends (prose is split on \n; \r ends a Windows line).
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
PANDOC_TIMEOUT = 60

_LITERAL = {
    "&": "&amp;",
    "<": "&lt;",
    ">": "&gt;",
    "{": "&#123;",
    "}": "&#125;",
    "@": "&#64;",
    "`": "&#96;",
    "\\": "&#92;",
    "[": "&#91;",
    "]": "&#93;",
    "*": "&#42;",
    "_": "&#95;",
    "$": "&#36;",
    "~": "&#126;",
    "^": "&#94;",
    "#": "&#35;",
    "|": "｜",
    "\n": " ",
    "\r": " ",
}
_LITERAL_RE = re.compile("|".join(re.escape(k) for k in _LITERAL))


def literal(text: object) -> str:
    """Text from a data cell, written so Markdown, HTML, Typst and Quarto all read it as those characters."""
    return _LITERAL_RE.sub(lambda m: _LITERAL[m.group(0)], str(text))


def plain(text: str) -> str:
    """Text for an attribute (alt text): one line, no quotes or backslashes to break out of it."""
    return re.sub(r"\s+", " ", text).replace('"', "'").replace("\\", "/").strip()


def inert_prose(text: str) -> str:
    """Checked prose, ready to compose: outside shortcodes '<', '@' and '$' are text, not tags, citations or math."""
    parts, last = [], 0
    for match in SHORTCODE.finditer(text):
        parts += [_inert(text[last : match.start()]), match.group(0)]
        last = match.end()
    parts.append(_inert(text[last:]))
    return "".join(parts)


def _inert(text: str) -> str:
    """'<' never opens a tag, '@' never a citation, '$' never math (Quarto would fetch MathJax for it)."""
    return text.replace("<", "&lt;").replace("@", "&#64;").replace("$", "&#36;")


@dataclass(frozen=True)
class Position:
    row: int
    column: int


@dataclass(frozen=True)
class Binding:
    """A ``var`` or ``meta`` shortcode of the prose, where it stands."""

    name: str
    arg: str
    at: Position


def _position(text: str, offset: int) -> Position:
    row = text.count("\n", 0, offset) + 1
    return Position(row, offset - (text.rfind("\n", 0, offset) + 1) + 1)


def _find(text: str, needle: str) -> Position:
    offset = text.find(needle) if needle else -1
    return _position(text, offset) if offset >= 0 else Position(1, 1)


def _line_starting(text: str, mark: str) -> Position:
    match = re.search(rf"^[ \t]*{re.escape(mark)}", text, re.M)
    return _position(text, match.end() - 1) if match else Position(1, 1)


def check_prose(text: str, file: str, folder: Path | None = None) -> tuple[list[Problem], list[Binding], list[str]]:
    """Check one prose file; return its problems, the shortcodes it binds and the images it shows.

    ``folder`` is where the prose lives: an image must be a PNG or JPEG file inside it."""
    problems: list[Problem] = []

    def refuse(pos: Position, message: str) -> None:
        problems.append(Problem(file, pos.row, str(pos.column), message))

    for number, line in enumerate(text.split("\n"), start=1):
        control = CONTROL.search(line)
        if control:  # NUL and the like: invisible in an editor, written into the HTML as they are
            problems.append(
                Problem(file, number, str(control.start() + 1), f"含控制字符 U+{ord(control.group(0)):04X}：请删除（可能是从其他软件复制来的）")
            )
        if len(line) > MAX_LINE:
            problems.append(Problem(file, number, "1", f"本行有{len(line)}个字符，超过{MAX_LINE}：请分段"))
    if problems:
        return problems, [], []  # nothing further is read from a file this malformed

    bindings: list[Binding] = []
    for match in SHORTCODE_ANY.finditer(text):
        pos = _position(text, match.start())
        one = SHORTCODE.fullmatch(match.group(0))
        if one is None or "\n" in match.group(0):
            refuse(pos, "短代码须写在一行内，形如 {{< var 指标编号 >}}")
        elif one["name"] not in ALLOWED_SHORTCODES:
            refuse(pos, f"正文中不能使用短代码“{one['name']}”：只能用 {' 和 '.join(ALLOWED_SHORTCODES)}")
        else:
            bindings.append(Binding(one["name"], one["arg"].strip(), pos))
    masked = SHORTCODE_ANY.sub(lambda m: "数" * len(m.group(0).split("\n")[0]) + "\n" * m.group(0).count("\n"), text)
    for match in HTML_TAG.finditer(masked):
        snippet = masked[match.start() : match.start() + 40].split("\n")[0]
        snippet = snippet[: snippet.index(">") + 1] if ">" in snippet else snippet
        refuse(_position(masked, match.start()), f"正文含原始 HTML“{snippet}”：请只用 Markdown")
    images: list[str] = []
    if MARKUP_TRIGGER.search(masked):
        for kind, detail in _elements(_inert(masked)):  # judged as it will be composed: `$![a](/x)$` is no math there
            _judge(kind, detail, masked, folder, refuse, images)
    return problems, bindings, images


def _judge(kind: str, detail, text: str, folder: Path | None, refuse, images: list[str]) -> None:
    if kind == "meta":
        refuse(_find(text, "---"), "正文中不能有 YAML 元数据块（--- 之间的内容）：它会改写报告的标题等信息")
    elif kind == "raw":
        fmt, content = detail
        if fmt != "html" or not HTML_TAG.search(content):  # a tag is reported by the tag check, located exactly
            refuse(_find(text, content.strip()[:20]), f"正文中不能有原始 {fmt} 代码“{content.strip()[:30]}”：请只用 Markdown")
    elif kind == "attr":
        key, value = detail
        shown = f'{key}="{value}"' if value else key
        refuse(
            _find(text, key.lstrip("#.")),
            f"正文中不能给文字加编号、类名或属性“{shown[:60]}”：落款、说明、版本等版块只能由报告自己生成，正文请只用 Markdown",
        )
    elif kind == "caption":
        refuse(_find(text, ": "), "正文中的表格不能带表题（以“: ”开头的行）：表题和编号由报告生成")
    elif kind == "definition":
        refuse(_line_starting(text, ":"), "以“:”开头的行会被读成定义列表（或表题）：请删去行首的冒号，或与上一段连写")
    elif kind == "link":
        if not re.match(r"^(https?://|#)", detail, re.I):
            refuse(_find(text, detail), f"链接“{detail[:60]}”不可用：只能链接 http:// 或 https:// 网址")
    elif kind == "image":
        problem = _image_problem(detail, folder)
        if problem:
            refuse(_find(text, detail), problem)
        else:
            images.append(detail)


def _image_problem(target: str, folder: Path | None) -> str:
    if re.match(r"^[a-z][a-z0-9+.-]*:", target, re.I) or target.startswith(("/", "\\")):
        return f"图片“{target[:60]}”不在本年度文件夹中：只能插入 narrative/ 下的 PNG、JPEG 图片，不能引用网址或其他位置的文件"
    if not target.lower().endswith(IMAGE_SUFFIXES):
        return f"图片“{target[:60]}”不是 PNG 或 JPEG 文件"
    if ".." in Path(target).parts:
        return f"图片“{target[:60]}”在 narrative/ 文件夹之外"
    if folder is None:
        return f"图片“{target[:60]}”无法核对：只有 narrative/ 中的文字可以插图"
    path = folder / target
    root = folder.resolve()
    if root not in path.resolve().parents:
        return f"图片“{target[:60]}”在 narrative/ 文件夹之外"
    if path.is_symlink() or not record.is_file(path):
        return f"图片“{target[:60]}”不存在（或是链接）：请把图片文件放在 narrative/ 下"
    return _undecodable(path, target)


MAX_IMAGE_BYTES = 10_000_000
MAX_IMAGE_PIXELS = 40_000_000  # a 8000 × 5000 photograph; a decompression bomb is far beyond


def _undecodable(path: Path, target: str) -> str:
    """Why the file is not a PNG or JPEG image to print (decoded with Pillow, within bounds), or ""."""
    import io

    from PIL import Image, UnidentifiedImageError

    size = path.stat().st_size
    if size > MAX_IMAGE_BYTES:
        return f"图片“{target[:60]}”有{size // 1_000_000} MB，超过{MAX_IMAGE_BYTES // 1_000_000} MB：请压缩后再插入"
    try:
        with Image.open(io.BytesIO(path.read_bytes())) as image:
            kind, (width, height) = image.format, image.size
            if width * height > MAX_IMAGE_PIXELS:
                return f"图片“{target[:60]}”有{width}×{height}像素，超过{MAX_IMAGE_PIXELS // 1_000_000}百万像素：请缩小后再插入"
            image.load()  # decoded whole: a truncated or damaged file is found here, not in the PDF
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError, SyntaxError):
        return f"图片“{target[:60]}”不是能打开的 PNG 或 JPEG 图片（文件损坏，或只是改了扩展名）"
    if kind not in ("PNG", "JPEG"):
        return f"图片“{target[:60]}”实际是 {kind} 格式，不是 PNG 或 JPEG：请另存为 PNG"
    return ""


#: How prose is parsed for the check: what pandoc is asked, part of the key the parse is kept under.
PARSE_ARGS = ("--sandbox", "--from", "markdown-auto_identifiers", "--to", "json")


def _pandoc_ast(text: str) -> dict:
    """Pandoc's parse of ``text``, kept between processes (helpers.data.kept) under the text and the pandoc
    that parsed it: after a figure changes, the unchanged prose of the office-year is not parsed again."""
    import pypandoc

    pandoc = pypandoc.get_pandoc_path()
    key = ("prose-ast", PARSE_ARGS, program_file(pandoc), sha_text(text))
    found = taken(key)
    if isinstance(found, dict):
        return found
    proc = subprocess.run([pandoc, *PARSE_ARGS], input=text, capture_output=True, text=True, timeout=PANDOC_TIMEOUT)
    if proc.returncode != 0:
        raise ValueError(proc.stderr.strip())
    ast = json.loads(proc.stdout)
    keep(key, ast)
    return ast


def _elements(text: str) -> Iterator[tuple[str, object]]:
    """What of the parsed document needs a judgement: metadata, raw code, attributes, links, images."""
    ast = _pandoc_ast(text)
    if ast.get("meta"):
        yield "meta", ast["meta"]
    yield from _walk(ast.get("blocks", []))


def _walk(node) -> Iterator[tuple[str, object]]:
    if isinstance(node, list):
        for item in node:
            yield from _walk(item)
        return
    if not isinstance(node, dict):
        return
    kind, content = node.get("t"), node.get("c")
    if content is None:
        return
    if kind in ("RawBlock", "RawInline"):
        yield "raw", (content[0], content[1])
        return
    if kind in ("Link", "Image"):
        attr, _, (target, _) = content
        yield from _attributes(attr)
        yield ("image" if kind == "Image" else "link"), target
    elif kind in ("Span", "Div", "Header", "CodeBlock", "Code", "Table", "Figure"):
        attr = content[1] if kind == "Header" else content[0]
        yield from _attributes(attr)
        if kind == "Table" and content[1][1]:
            yield "caption", content[1][1]
    elif kind == "DefinitionList":
        yield "definition", content
    yield from _walk(content)


def _attributes(attr) -> Iterator[tuple[str, object]]:
    """Every identifier, class and attribute: the report's own blocks (signature, colophon, notice) are
    marked by these, so prose may use none (headers get no automatic identifier in the parse)."""
    if isinstance(attr, list) and len(attr) == 3 and isinstance(attr[1], list) and isinstance(attr[2], list):
        if attr[0]:
            yield "attr", (f"#{attr[0]}", "")
        for name in attr[1]:
            yield "attr", (f".{name}", "")
        for key, value in attr[2]:
            yield "attr", (key, value)
