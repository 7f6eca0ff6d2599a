"""PyMuPDF, which preflight reads rendered pages with and the Word copy's chart pictures are drawn by.

PyMuPDF 2 imports its page-layout model (``pymupdf.layout``, half a second of a build's start) whenever it is
installed, for ``Page.get_layout``, which nothing here calls: that module is marked absent in this process,
as PyMuPDF allows (it imports it inside ``try``), so text, fonts, drawings and pixmaps are read as before.
"""

from __future__ import annotations

from types import ModuleType

from ..imports import import_without


def import_pymupdf() -> ModuleType:
    """The ``pymupdf`` module, imported without its layout model."""
    return import_without("pymupdf", "pymupdf.layout")
