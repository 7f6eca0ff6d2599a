"""The Word copy laid out as an office PC would lay it out: LibreOffice (headless) turns it into pages, and
the page checks of a PDF run on them.

A Word file has no pages of its own: whether a signature is left alone, a caption leaves its chart or a
table loses its header on the next page is decided only when a program sets it. LibreOffice sets it with
the same styles, grid and faces Word and WPS use, so what it finds is what a reviewer sees on paper.
"""

from __future__ import annotations

import atexit
import functools
import os
import shutil
import subprocess
import tempfile
from itertools import takewhile
from pathlib import Path

from docx.oxml.ns import qn

from ..errors import Finding
from ..installation import find_program

#: How long LibreOffice may take to lay out one copy (a report of a hundred pages takes some ten seconds).
TIMEOUT_S = 180
#: Where the lines a table's rows start with are compared: the first characters of a cell.
CELL_PREFIX = 4


def soffice() -> str | None:
    """The LibreOffice program, or None where it is not installed (found as its results are keyed:
    helpers.installation.find_program)."""
    return find_program("libreoffice")


@functools.cache
def _own_profile() -> Path:
    """A LibreOffice user profile of this process: two processes laying out at once never share one, and the
    profile made by the first copy serves the next (its start costs seconds)."""
    profile = Path(tempfile.mkdtemp(prefix="annual-report-soffice-"))
    atexit.register(shutil.rmtree, profile, True)
    return profile


def lay_out(docx: Path, into: Path) -> Path | None:
    """``docx`` as a PDF of LibreOffice's pages, in the folder ``into``; None when LibreOffice could not."""
    program = soffice()
    if program is None:
        return None
    env = {**os.environ, "SAL_USE_VCLPLUGIN": "svp"}
    try:
        subprocess.run(
            [
                program,
                f"-env:UserInstallation=file://{_own_profile()}",
                "--headless",
                "--norestore",
                "--convert-to",
                "pdf",
                "--outdir",
                str(into),
                str(docx),
            ],
            capture_output=True,
            timeout=TIMEOUT_S,
            env=env,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return None
    laid = into / (docx.stem + ".pdf")
    return laid if laid.is_file() else None


def table_heads(document) -> list[tuple[str, list[str]]]:
    """Each table of a Word document: its header row's first cell and its other rows' first cells, as the
    pages show their beginnings."""
    heads = []
    for table in document.tables:
        rows = table.rows
        if len(rows) < 2:
            continue
        marked = sum(1 for _ in takewhile(_is_header, rows))  # the rows Word repeats (all merged into the first)
        cells = [row.cells[0].text.strip() for row in rows]
        body = cells[max(1, marked) :]
        # a cell merged down several rows reads the same in each: it begins the page once
        heads.append((cells[0], [c for n, c in enumerate(body) if c and (n == 0 or c != body[n - 1]) and c != cells[0]]))
    return heads


def _is_header(row) -> bool:
    """A row marked to repeat at the top of each page (w:tblHeader)."""
    props = row._tr.trPr
    return props is not None and any(
        child.tag == qn("w:tblHeader") and child.get(qn("w:val"), "true") not in ("0", "false", "off") for child in props
    )


def check_heads(name: str, pages: list, heads: list[tuple[str, list[str]]]) -> list[Finding]:
    """A table that runs on to another page shows its header row at the top of its part there."""
    findings, cursor = [], (0, 0)
    for head, rows in heads:
        seen: dict[int, float] = {}  # page index → the highest row line of the table there
        for row in rows:
            at = _find(pages, row.replace(" ", "")[:CELL_PREFIX], cursor)
            if at is None:
                continue
            cursor = (at[0], at[1] + 1)
            line = pages[at[0]].body[at[1]]
            seen.setdefault(at[0], line.y0)
        for index in sorted(seen)[1:]:
            page = pages[index]
            if not any(ln.text.replace(" ", "").startswith(head[:CELL_PREFIX]) and ln.y0 < seen[index] for ln in page.body):
                findings.append(Finding(name, page.number, f"表格续页没有重复表头（“{head}”一行）"))
    return findings


def _find(pages: list, key: str, cursor: tuple[int, int]) -> tuple[int, int] | None:
    page, line = cursor
    while page < len(pages):
        body = pages[page].body
        for k in range(line, len(body)):
            text = body[k].text.replace(" ", "")
            if text and (text.startswith(key) or key.startswith(text)):  # a cell's first line may be shorter
                return page, k
        page, line = page + 1, 0
    return None
