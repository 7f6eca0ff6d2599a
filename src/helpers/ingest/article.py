"""A web page as a browser saves it, reduced to its article: trafilatura finds the main content and leaves the
site's menu, breadcrumb, share buttons, 浏览次数 line and footer (ICP and 公安备案 numbers, phone) behind, and
reads the page's title and publication date. It runs in a child process under the same time and memory
limits as pandoc (helpers.ingest.source), since the page is untrusted."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from .source import MEMORY_LIMIT, TIME_LIMIT, limits, refuse


@dataclass(frozen=True)
class Article:
    html: str  # the article's own blocks, as HTML for pandoc
    title: str  # the page's headline (<h1>, else <title>), '' where none
    date: str  # YYYY-MM-DD, the page's publication date, '' where none


def article(path: Path, page: str) -> Article | None:
    """The article of ``page`` (the text of ``path``); None where the page has no article to find, so that the
    whole page is read as it is."""
    try:
        proc = subprocess.run(
            [sys.executable, "-m", __name__], input=page.encode("utf-8"), capture_output=True, timeout=TIME_LIMIT, preexec_fn=limits
        )
    except subprocess.TimeoutExpired:
        raise refuse(path, f"网页正文提取超过 {TIME_LIMIT} 秒仍未完成，已停止：不像一篇保存的报告网页") from None
    if proc.returncode != 0:
        raise refuse(path, f"网页无法读取（正文提取异常结束，内存上限 {MEMORY_LIMIT // (1024 * 1024)} MB）")
    found = json.loads(proc.stdout.decode("utf-8"))
    return Article(**found) if found else None


#: An article has at least this many blocks (paragraphs, headings, tables); fewer means trafilatura fell back
#: to its baseline, which runs a page's inline words together, and the whole page is read instead.
MIN_BLOCKS = 3
BLOCK = re.compile(r"<(?:p|h[1-6]|table|li)\b")


def _extract(page: str) -> dict[str, str] | None:
    import trafilatura

    # formatting and links kept inside a paragraph, so that 开展<b>普法</b>活动 stays one line for pandoc
    body = trafilatura.extract(
        page, output_format="html", include_tables=True, include_comments=False, include_images=False, include_links=True, include_formatting=True
    )
    if not body or len(BLOCK.findall(body)) < MIN_BLOCKS:
        return None
    meta = trafilatura.extract_metadata(page)
    return {"html": body, "title": (meta.title or "") if meta else "", "date": (meta.date or "")[:10] if meta else ""}


if __name__ == "__main__":  # the child: the page on stdin, the article as JSON on stdout
    sys.stdout.write(json.dumps(_extract(sys.stdin.buffer.read().decode("utf-8")), ensure_ascii=False))
