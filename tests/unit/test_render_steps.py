"""Render steps: a step off the longest path (the HTML beside a PDF, a site's pages) yields the processor to
the one everyone waits for; alone, or without a PDF beside it, it does not."""

from __future__ import annotations

import os
import shutil
import sys
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
