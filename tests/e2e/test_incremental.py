"""Rebuilds reuse what did not change: no kernel for an unchanged build, only a render for a prose change."""

from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path

import pytest

from helpers.publish import build as build_module
from helpers.publish.build import BuildRequest, build

from ..conftest import DATA, replace_in
from .conftest import assert_preflight_clean, build_args

pytestmark = pytest.mark.e2e


def request_like_fixture(built: Path, data_dir: Path | None = None, out_dir: Path | None = None) -> BuildRequest:
    """The fixture's build, sharing its _build/ cache; ``out_dir`` keeps the fixture's report untouched."""
    work = built.parents[2]
    data_dir = data_dir or work / "data"
    engine = json.loads((built / "manifest.json").read_text(encoding="utf-8"))["engine"]
    return BuildRequest("taoyuan", 2024, data_dir, out_dir or work / "out", work / "_build", ("html", "pdf", "docx"), engine)


def jobs(request: BuildRequest) -> int:
    from helpers.data.dataset import load_dataset

    return len(build_module.notebook_jobs(request, load_dataset(request.data_dir, "taoyuan", 2024)))


def forbid(monkeypatch, name: str) -> None:
    def refuse(*args, **kwargs):
        raise AssertionError(f"{name} was called")

    monkeypatch.setattr(build_module, name, refuse)


def test_an_unchanged_rebuild_starts_no_kernel_and_renders_nothing(built, monkeypatch):
    before = (built / "report.html").read_bytes()
    forbid(monkeypatch, "execute")
    forbid(monkeypatch, "render")
    request = request_like_fixture(built)
    result = build(request)
    assert result.fully_reused and len(result.reused) == jobs(request) == 8
    assert (built / "report.html").read_bytes() == before


def test_a_prose_change_only_re_renders(built, monkeypatch, tmp_path):
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    replace_in(data / "taoyuan" / "2024" / "narrative" / "s4-1.md", "取得了一定成效。", "取得了明显成效。")
    forbid(monkeypatch, "execute")
    result = build(request_like_fixture(built, data, out_dir=tmp_path / "out"))
    assert result.executed == [] and sorted(result.rendered) == ["docx", "html", "pdf"]
    assert "取得了明显成效" in (tmp_path / "out" / "taoyuan" / "2024" / "report.html").read_text(encoding="utf-8")
    assert_preflight_clean([tmp_path / "out" / "taoyuan" / "2024" / f"report.{fmt}" for fmt in ("pdf", "docx")])


def test_a_changed_value_reruns_only_its_section_and_the_scorecard(built, monkeypatch, tmp_path):
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    replace_in(data / "taoyuan" / "2024" / "values.csv", "safety.drills,22,", "safety.drills,23,")
    ran = []
    monkeypatch.setattr(build_module, "execute", lambda run, kernels: ran.append(run.source.stem) or _fake_execute(run))
    monkeypatch.setattr(build_module, "render", lambda stage, formats, engine, meanwhile=None: {f: _fake_render(stage, f) for f in formats})
    monkeypatch.setattr(build_module, "annotate", lambda notebook, section, options: notebook)
    monkeypatch.setattr(build_module, "preflight_check", lambda paths: [])  # the renders are stand-ins
    request = request_like_fixture(built, data, out_dir=tmp_path / "out")
    result = build(request)
    assert sorted(result.executed) == ["scorecard.ipynb", "section-s3-4.ipynb"]
    assert len(result.reused) == jobs(request) - 2


def _fake_execute(run):
    run.output.write_text('{"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}', encoding="utf-8")


def _fake_render(stage: Path, fmt: str) -> Path:
    path = stage / f"report.{fmt}"
    path.write_text("rendered", encoding="utf-8")
    return path


def test_an_up_to_date_build_answers_from_the_manifest_without_importing_pandas(built):
    """The command hashes its inputs and compares them with the manifest before importing anything heavy."""
    import subprocess
    import sys

    work = built.parents[2]
    engine = json.loads((built / "manifest.json").read_text(encoding="utf-8"))["engine"]
    before = {p.name: p.read_bytes() for p in built.iterdir()}
    command = [sys.executable, "-X", "importtime", "-m", "helpers.cli", *build_args("taoyuan", engine=engine)]
    result = subprocess.run(command, cwd=work, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "报告已是最新" in result.stdout and "report.pdf" in result.stdout
    imported = {line.split("|")[-1].strip() for line in result.stderr.splitlines() if line.startswith("import time:")}
    assert not {"pandas", "matplotlib", "papermill", "pandera"} & imported
    assert {p.name: p.read_bytes() for p in built.iterdir()} == before


def test_an_edit_to_any_input_or_to_a_published_file_makes_the_build_run_again(built, tmp_path):
    from helpers.publish.plan import plan

    data = tmp_path / "data"
    shutil.copytree(built.parents[2] / "data", data)
    request = request_like_fixture(built, data)

    def fresh(target: Path = built, strict: bool = False) -> bool:
        return plan(target, data, request.project_root, request.formats, request.engine, strict).up_to_date

    assert fresh()
    replace_in(data / "taoyuan" / "2024" / "narrative" / "s4-1.md", "取得了一定成效。", "取得了明显成效。")
    assert not fresh()  # prose is an input
    shutil.copytree(built, tmp_path / "copy")
    (tmp_path / "copy" / "report.html").write_text("edited", encoding="utf-8")
    shutil.copytree(built.parents[2] / "data", data, dirs_exist_ok=True)
    assert fresh() and not fresh(tmp_path / "copy")  # a published file no longer as recorded
    assert not fresh(strict=True)
    (data / "taoyuan" / "definitions.csv").write_text("indicator,unit\nmediation.cases,件\n", encoding="utf-8")
    assert not fresh()  # a file the build looked for and did not find, made since
    (data / "taoyuan" / "definitions.csv").unlink()
    (data / "taoyuan" / "2025").mkdir()
    (data / "taoyuan" / "2025" / "values.csv").write_text("indicator,value,qualifier,period_end,source\n", encoding="utf-8")
    (data / "xinhe" / "2024" / "narrative" / "a1.md").write_text("另一单位的正文。", encoding="utf-8")
    assert fresh()  # a later year and another office's prose are not inputs of this report


def test_a_build_lets_long_unused_cache_entries_go_and_keeps_whole_what_it_used(built, tmp_path):
    from helpers.model.chartstore import FOLDER as CHARTS
    from helpers.publish import retention

    from .conftest import annual_report

    work = tmp_path / "work"
    shutil.copytree(built.parents[2], work)
    cache = work / "_build" / "cache"
    engine = json.loads((built / "manifest.json").read_text(encoding="utf-8"))["engine"]
    long_ago = time.time() - (retention.UNUSED_DAYS + 10) * 86400
    (cache / "render" / ".new-killed").mkdir()
    kept, scratch = retention.items(cache)
    for item in kept + scratch:
        os.utime(item.path, (long_ago, long_ago))
    (cache / retention.MARKER).unlink(missing_ok=True)  # no command pruned within the hour
    renders = set((cache / "render").iterdir())
    assert (cache / CHARTS).is_dir() and renders

    replace_in(work / "data" / "taoyuan" / "2024" / "narrative" / "s4-1.md", "取得了一定成效。", "取得了明显成效。")
    args = build_args("taoyuan", engine=engine, formats="html")
    edited = annual_report(*args, cwd=work)
    assert edited.returncode == 0, edited.stderr
    assert "缓存：移除了" in edited.stderr
    assert "笔记本：0 个需运行" in edited.stderr  # every notebook from the cache: each was used, so kept
    left = renders & set((cache / "render").iterdir())
    assert renders - left  # the renders of the unedited prose (in every format) were not asked for
    assert all(p.stat().st_mtime > time.time() - 3600 for p in left)  # those left were used (another test's edit)
    assert not (cache / CHARTS).exists() or not any((cache / CHARTS).rglob("*.svg"))  # no chart was drawn

    replace_in(work / "data" / "taoyuan" / "2024" / "narrative" / "s4-1.md", "取得了明显成效。", "取得了一定成效。")
    again = annual_report(*args, cwd=work)
    assert again.returncode == 0, again.stderr
    assert "笔记本：0 个需运行" in again.stderr and "渲染：html" in again.stderr  # the kept notebooks read whole
    assert "取得了一定成效" in (work / "out" / "taoyuan" / "2024" / "report.html").read_text(encoding="utf-8")
