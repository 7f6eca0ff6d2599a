"""Each table's data as a CSV download, written by the build from the tidy data the table was made from.

The HTML report carries, under every table, a link to a CSV of the same figures in tidy form (one row a
figure: indicator, name, year, value, unit, qualifier, period, source, illustrative), UTF-8 with a BOM so
Excel reads the Chinese. Nothing is parsed back out of rendered text. A cell from the data that starts
like a formula (= + - @, a tab or a carriage return) is written with a leading apostrophe, so a
spreadsheet shows it as text and never runs it. The link is raw HTML: Typst and Word leave it out.
"""

from __future__ import annotations

import base64
import csv
import hashlib
import html
import io
import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path

import pandas as pd

from ..data.csvfile import formula_safe as safe

TIDY = ["indicator", "name", "year", "value", "unit", "qualifier", "period", "source", "illustrative"]


def csv_bytes(frame: pd.DataFrame) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(list(frame.columns))
    for row in frame.itertuples(index=False):
        writer.writerow([safe("" if v is None else ("是" if v is True else "否" if v is False else v)) for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def file_name(caption: str) -> str:
    return re.sub(r'[\\/:*?"<>|\s]+', "_", caption).strip("_") + ".csv"


#: A CSV larger than this is not given to pandoc: pandoc holds text as lists of characters, and the megabytes
#: of a comparison of hundreds of offices would cost it gigabytes. While a document is composed inside
#: :func:`collecting`, such a CSV's link names it by its digest, the CSV is staged beside the document
#: (:func:`stage`) and put into the rendered HTML afterwards (:func:`fill`).
INLINE_MAX = 64 * 1024
FOLDER = "downloads"
DATA_URI = "data:text/csv;charset=utf-8;base64,"
TOKEN = re.compile(r'href="#(csv-[0-9a-f]{32})"')
_COLLECTED: ContextVar[dict[str, bytes] | None] = ContextVar("downloads", default=None)


@contextmanager
def collecting() -> Iterator[dict[str, bytes]]:
    """Collect the large CSVs of the links made inside, by their tokens, for :func:`stage`."""
    collected: dict[str, bytes] = {}
    token = _COLLECTED.set(collected)
    try:
        yield collected
    finally:
        _COLLECTED.reset(token)


def stage(collected: dict[str, bytes], folder: Path) -> None:
    """Write the collected CSVs into the staged document's ``downloads/``, for :func:`fill`."""
    if collected:
        (folder / FOLDER).mkdir(exist_ok=True)
    for token, data in collected.items():
        (folder / FOLDER / f"{token}.csv").write_bytes(data)


def fill(html_file: Path, folder: Path) -> None:
    """Put each staged CSV into the rendered HTML where its link names it."""
    if not (folder / FOLDER).is_dir():
        return
    text = html_file.read_text(encoding="utf-8")

    def data_uri(match: re.Match[str]) -> str:
        path = folder / FOLDER / f"{match.group(1)}.csv"
        return f'href="{DATA_URI}{base64.b64encode(path.read_bytes()).decode("ascii")}"' if path.is_file() else match.group(0)

    html_file.write_text(TOKEN.sub(data_uri, text), encoding="utf-8")


def link(caption: str, frame: pd.DataFrame) -> str:
    """The download under a table: a raw HTML block, so only the HTML carries it."""
    data, collected = csv_bytes(frame), _COLLECTED.get()
    if collected is not None and len(data) > INLINE_MAX:
        token = "csv-" + hashlib.sha256(data).hexdigest()[:32]  # the document names the content: a changed CSV renders again
        collected[token] = data
        href = f"#{token}"
    else:
        href = DATA_URI + base64.b64encode(data).decode("ascii")
    name = html.escape(file_name(caption), quote=True)
    return f'```{{=html}}\n<p class="csv-download-line"><a class="csv-download" download="{name}" href="{href}">下载本表数据（CSV）</a></p>\n```'
