"""PyMuPDF, which preflight reads rendered pages with and the Word copy's chart pictures are drawn by.

PyMuPDF 2 imports its page-layout model (``pymupdf.layout``, half a second of a build's start) whenever it is
installed, for ``Page.get_layout``, and pymupdf4llm (0.15 s: numpy, tabulate, pydantic) for
``pymupdf.to_markdown`` and its kin; nothing here calls either. Both are marked absent in this process, as
PyMuPDF allows (it imports each inside ``try``), so text, fonts, drawings and pixmaps are read as before.
"""

from __future__ import annotations

from types import ModuleType

from ..imports import import_without


def import_pymupdf() -> ModuleType:
    """The ``pymupdf`` module, imported without its layout model or pymupdf4llm."""
    return import_without("pymupdf", "pymupdf.layout", "pymupdf4llm")
