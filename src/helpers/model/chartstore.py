"""Charts kept by what they are drawn from (``<build>/cache/charts/<environment>/``): a kernel about to draw a
chart that was drawn before from the same arguments, by the same code, packages and faces (the folder's
name, chosen by the command) and under the same matplotlib settings, shows the kept SVG instead. A district's
comparison chart is not drawn again when an office changes a figure it does not show.

Only the command writes the store, from the notebooks of the project it ran (:func:`keep_charts`); a kernel
reads it, and a notebook opened in JupyterLab has none and draws every chart."""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path

from ..data.kept import chosen_here, sha_text, used, written

#: The folder of ``<build>/cache/`` charts are kept in, one subfolder per environment.
FOLDER = "charts"

#: The environment variable naming the store, set by a command for the kernels it starts.
STORE = "ANNUAL_REPORT_CHARTS"
#: Where a chart's key travels with its SVG in a notebook's output: ``metadata["image/svg+xml"]["chart"]``.
SVG = "image/svg+xml"
KEY = re.compile(r"^[0-9a-f]{64}$")


def store_in(folder: Path) -> None:
    """Keep charts in ``folder`` (this command and the kernels it starts from now on). The folder is named by
    the code and environment that draw (helpers.publish.cache.environment_key), so other code takes none."""
    os.environ[STORE] = str(folder)


def chart_key(draw: Callable, *args: object, **kwargs: object) -> str:
    """What a chart is made from: the drawing function, its arguments (the charts' frozen dataclasses, whose
    repr is every number and word drawn) and matplotlib's settings here (a user's matplotlibrc included)."""
    import matplotlib

    settings = sorted((name, repr(value)) for name, value in matplotlib.rcParams.items() if name != "backend")
    text = repr((f"{draw.__module__}.{draw.__qualname__}", args, sorted(kwargs.items()), settings))
    return sha_text(text)


def kept_svg(key: str) -> str | None:
    """The SVG kept under ``key``, or None where there is no store or no such chart."""
    folder = os.environ.get(STORE, "")
    if not folder or not KEY.match(key):
        return None
    try:
        return (Path(folder) / f"{key}.svg").read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def keep_charts(notebook: dict) -> int:
    """Keep every chart an executed notebook shows with its key; return how many were new. Only the command
    that chose the store writes it (the kernels, killed at any moment, read)."""
    folder = os.environ.get(STORE, "")
    if not folder or not chosen_here():
        return 0
    new = 0
    for cell in notebook.get("cells", []):
        for output in cell.get("outputs", []):
            key = ((output.get("metadata") or {}).get(SVG) or {}).get("chart", "")
            svg = (output.get("data") or {}).get(SVG)
            if not isinstance(key, str) or not KEY.match(key) or not svg:
                continue
            path = Path(folder) / f"{key}.svg"
            if path.is_file():
                used(path)  # drawn from the kept one: still wanted
                continue
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                written(path, ("".join(svg) if isinstance(svg, list) else svg).encode("utf-8"))
                new += 1
            except OSError:
                pass  # kept or not, the chart is the same: the next kernel draws it
    return new
