"""The cells a report embeds, declared once: the notebooks carry the keys, the build the rest.

A section notebook serves any section of any office, so its cells carry generic keys
(``#| label: chart``). After papermill runs it, the build gives each cell its section's label
(``fig-s3-4``) and the caption and alt text computed from the catalog and the outline, so both Quarto's
``embed`` and the built-in renderer read the same labelled, captioned notebook.
"""

from __future__ import annotations

import json
import re

#: key → label prefix; the key is what a section notebook's cell carries.
SECTION_CELLS = {"table": "tbl", "chart": "fig", "trend": "fig", "followup": "tbl"}
#: The scorecard notebook's cells, labelled as they are (there is one scorecard per report).
SCORECARD_CELLS = ("scorecard-summary", "tbl-scorecard")
#: The comparison notebook's cells (one comparison per document).
COMPARE_CELLS = ("fig-compare", "tbl-compare", "tbl-coverage", "tbl-compare-single")
COMPARE_NOTEBOOK = "compare"
SECTION_NOTEBOOK = "section"  # notebooks/section.ipynb: any section, by its ``section_id`` parameter
SCORECARD_NOTEBOOK = "scorecard"
OPTION = re.compile(r"^#\|\s*(?P<key>[\w-]+)\s*:\s*(?P<value>.*)$")


def label(key: str, section_id: str) -> str:
    """``chart`` of s3-4 → ``fig-s3-4``; ``trend`` → ``fig-s3-4-trend``."""
    suffix = "" if key in ("table", "chart") else f"-{key}"
    return f"{SECTION_CELLS[key]}-{section_id}{suffix}"


def executed_name(section_id: str) -> str:
    """The executed notebook's file name in the stage: one per section."""
    return f"section-{section_id}.ipynb"


def cell_keys(notebook: dict) -> list[str]:
    """The ``label`` option of every code cell that has one, in order."""
    keys = []
    for cell in notebook.get("cells", []):
        if cell.get("cell_type") == "code":
            source = cell["source"] if isinstance(cell["source"], str) else "".join(cell["source"])
            for line in source.splitlines():
                match = OPTION.match(line)
                if not match:
                    break
                if match["key"] == "label":
                    keys.append(match["value"].strip())
    return keys


def annotate(notebook: dict, section_id: str, options: dict[str, dict[str, str]]) -> dict:
    """Give each keyed cell its section's label and ``options`` (``fig-cap``, ``fig-alt``, ``tbl-cap``)."""
    return _rewrite(notebook, lambda key: (label(key, section_id), options.get(key, {})) if key in SECTION_CELLS else None)


def set_options(notebook: dict, options: dict[str, dict[str, str]]) -> dict:
    """Add ``options`` to the cells labelled with their keys (labels kept)."""
    return _rewrite(notebook, lambda key: (key, options[key]) if key in options else None)


def _rewrite(notebook: dict, new) -> dict:
    for cell in notebook.get("cells", []):
        if cell.get("cell_type") != "code":
            continue
        source = cell["source"] if isinstance(cell["source"], str) else "".join(cell["source"])
        lines = source.split("\n")
        head = 0
        while head < len(lines) and OPTION.match(lines[head]):
            head += 1
        options_given = [m for m in (OPTION.match(line) for line in lines[:head]) if m]  # every one matches: head says so
        found = {m["key"]: m["value"].strip() for m in options_given}
        change = new(found.get("label"))
        if change is None:
            continue
        name, options = change
        kept = [m.string for m in options_given if m["key"] not in ("label", *options)]
        added = [f"#| label: {name}"] + [f"#| {k}: {json.dumps(v, ensure_ascii=False)}" for k, v in options.items()]
        cell["source"] = "\n".join(added + kept + lines[head:])
    return notebook
