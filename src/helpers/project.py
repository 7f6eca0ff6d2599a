"""Where the project is: the folder holding ``_quarto.yml``, ``notebooks/`` and ``report/``."""

from __future__ import annotations

from pathlib import Path

#: Where builds stage, cache and keep what they work with, below the working folder (``make clean`` removes it).
BUILD_DIR = Path("_build")
#: The folder of a build folder that holds the caches (helpers.publish.cache, helpers.data.kept, the chart store).
CACHE = "cache"
#: What a report can be rendered as.
FORMATS = ("html", "pdf", "docx")
#: Front-matter keys that pandoc writes into a Word copy's document properties: which office, year and record
#: it was built from, so that ``ingest --update`` refuses a copy of another office's or year's report.
PROVENANCE = ("report-office", "report-year", "report-record")


def find_project_root(start: Path | None = None) -> Path:
    """The working directory or one above it that is the project, else the checkout this package was
    installed from (``pip install -e .``)."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "_quarto.yml").is_file() and (folder / "notebooks").is_dir():
            return folder
    return Path(__file__).resolve().parents[2]
