"""Render steps: a step off the longest path (the HTML beside a PDF, a site's pages) yields the processor to
the one everyone waits for; alone, or without a PDF beside it, it does not."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from helpers.document import render as render_module
from helpers.document.render import BEHIND, run_step
from helpers.errors import RenderError

PRIORITY = [sys.executable, "-c", "import os; print(os.nice(0))"]


@pytest.mark.skipif(shutil.which("nice") is None, reason="no nice on this system")
def test_a_step_behind_a_longer_one_runs_at_a_lower_priority():
    here = os.nice(0)
    assert int(run_step(PRIORITY, "x", behind=True).stdout) == min(19, here + BEHIND)
    assert int(run_step(PRIORITY, "x").stdout) == here


def test_a_step_says_when_its_process_runs_and_one_that_overruns_is_stopped(monkeypatch):
    told: list[bool] = []
    done = run_step([sys.executable, "-c", "print('made')"], "x", started=lambda: told.append(True))
    assert told == [True] and done.returncode == 0 and done.stdout.strip() == "made"
    monkeypatch.setattr(render_module, "TIME_LIMIT", 0.5)
    with pytest.raises(RenderError, match=r"超过0\.5秒"):
        run_step([sys.executable, "-c", "import time; time.sleep(30)"], "x")


def _stage(folder: Path) -> Path:
    (folder / "_quarto.yml").write_text("project:\n  type: default\n", encoding="utf-8")
    (folder / "report.qmd").write_text("---\ntitle: 报告\n---\n\n正文。\n", encoding="utf-8")
    return folder


class _Steps:
    """Stands in for pandoc and Typst: records each step, and holds each pandoc until ``release`` is set
    (or a second has passed), noting whether it was."""

    def __init__(self) -> None:
        self.behind: dict[str, bool] = {}
        self.launched: list[str] = []
        self.release = threading.Event()
        self.overlapped: dict[str, bool] = {}

    def __call__(self, command, what, cwd=None, behind=False, started=None, **kw):
        if "--to" not in command:  # Typst
            return subprocess.CompletedProcess(command, 0, json.dumps({"warnings": [], "tagged": True}), "")
        to = command[command.index("--to") + 1]
        self.behind[to] = behind
        self.launched.append(to)
        if started is not None:
            started()
        self.overlapped[to] = self.release.wait(1)
        return subprocess.CompletedProcess(command, 0, "", "")


@pytest.mark.parametrize(("formats", "behind"), [(["html", "pdf"], True), (["html"], False)])
def test_the_html_renders_behind_a_pdf_and_alone_it_does_not(monkeypatch, tmp_path, formats, behind):
    steps = _Steps()
    steps.release.set()
    monkeypatch.setattr(render_module, "run_step", steps)
    monkeypatch.setattr(render_module, "resolve_engine", lambda engine: "builtin")
    render_module.render(_stage(tmp_path), formats, "builtin")
    assert steps.behind["html5"] is behind
    assert steps.behind.get("typst", False) is False


def test_the_callers_own_work_runs_once_every_render_runs_and_while_they_run(monkeypatch, tmp_path):
    """PyMuPDF's import (the build's ``meanwhile``) would hold the interpreter while the sources are written
    and while the threads start pandoc, the work every render waits for; after the renders it would be waited
    for itself."""
    steps = _Steps()
    monkeypatch.setattr(render_module, "run_step", steps)
    monkeypatch.setattr(render_module, "resolve_engine", lambda engine: "builtin")
    seen: list[tuple[list[str], bool]] = []

    def meanwhile() -> None:
        sources = (tmp_path / "report.md").is_file() and (tmp_path / "report.numbered.md").is_file()
        seen.append((sorted(steps.launched), sources))
        steps.release.set()

    render_module.render(_stage(tmp_path), ["html", "pdf"], "builtin", meanwhile=meanwhile)
    assert seen == [(["html5", "typst"], True)]  # once, with both sources written and both pandoc runs started
    assert steps.overlapped == {"html5": True, "typst": True}  # while both were still running


def test_a_render_that_fails_before_its_process_runs_does_not_keep_the_callers_work_waiting(monkeypatch, tmp_path):
    steps = _Steps()
    steps.release.set()
    monkeypatch.setattr(render_module, "run_step", steps)
    monkeypatch.setattr(render_module, "resolve_engine", lambda engine: "builtin")
    monkeypatch.setattr(render_module.BuiltinRenderer, "pdf", lambda self: (_ for _ in ()).throw(RenderError("坏")))
    ran: list[bool] = []
    with pytest.raises(RenderError, match="坏"):
        render_module.render(_stage(tmp_path), ["html", "pdf"], "builtin", meanwhile=lambda: ran.append(True))
    assert ran == [True]
