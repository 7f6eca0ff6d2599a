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
import html
import io
import re

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


def link(caption: str, frame: pd.DataFrame) -> str:
    """The download under a table: a raw HTML block, so only the HTML carries it."""
    href = "data:text/csv;charset=utf-8;base64," + base64.b64encode(csv_bytes(frame)).decode("ascii")
    name = html.escape(file_name(caption), quote=True)
    return (f'```{{=html}}\n<p class="csv-download-line"><a class="csv-download" download="{name}" href="{href}">'
            "下载本表数据（CSV）</a></p>\n```")
