"""Render steps: a step off the longest path (the HTML beside a PDF, a site's pages) yields the processor to
the one everyone waits for; alone, or without a PDF beside it, it does not."""

from __future__ import annotations

import os
import shutil
import sys
import threading
from pathlib import Path
from typing import ClassVar

import pytest

from helpers.document import render as render_module
from helpers.document.render import BEHIND, run_step

PRIORITY = [sys.executable, "-c", "import os; print(os.nice(0))"]


@pytest.mark.skipif(shutil.which("nice") is None, reason="no nice on this system")
def test_a_step_behind_a_longer_one_runs_at_a_lower_priority():
    here = os.nice(0)
    assert int(run_step(PRIORITY, "x", behind=True).stdout) == min(19, here + BEHIND)
    assert int(run_step(PRIORITY, "x").stdout) == here


class _Renderer:
    """Stands in for the built-in renderer: records which of pandoc's targets the HTML was rendered behind."""

    seen: ClassVar[dict[str, frozenset[str]]] = {}

    def __init__(self, stage: Path, behind: frozenset[str] = frozenset()) -> None:
        self.behind = behind

    def _markdown(self, numbered: bool) -> Path:
        return Path("report.md")

    def html(self) -> Path:
        _Renderer.seen["html"] = self.behind
        return Path("report.html")

    def pdf(self) -> Path:
        return Path("report.pdf")


@pytest.mark.parametrize(("formats", "behind"), [(["html", "pdf"], {"html5"}), (["html"], set())])
def test_the_html_renders_behind_a_pdf_and_alone_it_does_not(monkeypatch, tmp_path, formats, behind):
    monkeypatch.setattr(render_module, "BuiltinRenderer", _Renderer)
    monkeypatch.setattr(render_module, "resolve_engine", lambda engine: "builtin")
    _Renderer.seen = {}
    render_module.render(tmp_path, formats, "builtin")
    assert _Renderer.seen["html"] == behind


class _Waiting(_Renderer):
    """A render that lasts until the caller's own work has run beside it (or a second has passed)."""

    written: ClassVar[list[bool]] = []
    beside = threading.Event()
    overlapped: ClassVar[dict[str, bool]] = {}

    def _markdown(self, numbered: bool) -> Path:
        _Waiting.written.append(numbered)
        return Path("report.md")

    def html(self) -> Path:
        _Waiting.overlapped["html"] = _Waiting.beside.wait(1)
        return Path("report.html")

    def pdf(self) -> Path:
        _Waiting.overlapped["pdf"] = _Waiting.beside.wait(1)
        return Path("report.pdf")


def test_the_callers_own_work_runs_while_the_renders_run_once_their_sources_are_written(monkeypatch, tmp_path):
    """PyMuPDF's import (the build's ``meanwhile``) would hold the interpreter while the sources are written,
    the work pandoc and Typst wait for; after the renders it would be waited for itself."""
    monkeypatch.setattr(render_module, "BuiltinRenderer", _Waiting)
    monkeypatch.setattr(render_module, "resolve_engine", lambda engine: "builtin")
    _Waiting.written, _Waiting.overlapped = [], {}
    _Waiting.beside.clear()
    sources_then: list[list[bool]] = []

    def meanwhile() -> None:
        sources_then.append(sorted(_Waiting.written))
        _Waiting.beside.set()

    render_module.render(tmp_path, ["html", "pdf"], "builtin", meanwhile=meanwhile)
    assert sources_then == [[False, True]]  # once, with both sources written
    assert _Waiting.overlapped == {"html": True, "pdf": True}  # while both renders were still running
