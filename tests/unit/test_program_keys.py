"""A render is keyed by the programs that make and check it: an upgraded Quarto or LibreOffice renders again,
also in a process that was running before the upgrade (a preview)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from helpers.publish import cache


@pytest.fixture(autouse=True)
def _versions_of_this_test_only():
    """The versions asked here are of fake programs: none is left for a later test in the same process."""
    cache._version_said.cache_clear()
    yield
    cache._version_said.cache_clear()


def _fake(folder: Path, name: str, version: str, asked: Path | None = None) -> None:
    """A program that says ``version`` (and notes each time it is asked, in ``asked``), installed as an
    upgrade is: the file written again, a newer time."""
    folder.mkdir(parents=True, exist_ok=True)
    program = folder / name
    note = f"echo asked >> {asked}\n" if asked else ""
    previous = program.stat().st_mtime_ns if program.exists() else 0
    program.write_text(f"#!/bin/sh\n{note}echo {version}\n", encoding="utf-8")
    program.chmod(0o755)
    if previous:
        os.utime(program, ns=(previous + 10**9, previous + 10**9))
    (folder / "versionrc").write_text(f"[Version]\nProductMajor={version}\n", encoding="utf-8")


def _keys(stage: Path) -> dict[str, str]:
    return {fmt: cache.render_key(stage, fmt, engine) for fmt, engine in (("pdf", "quarto"), ("docx", "builtin"), ("html", "builtin"))}


def test_an_upgraded_quarto_or_libreoffice_changes_the_render_key_and_nothing_else_does(tmp_path: Path, monkeypatch):
    stage = tmp_path / "stage"
    stage.mkdir()
    (stage / "report.qmd").write_text("# 报告\n", encoding="utf-8")
    quarto, office = tmp_path / "quarto" / "bin", tmp_path / "libreoffice" / "program"
    _fake(quarto, "quarto", "1.7.27")
    _fake(office, "soffice", "24.2")
    monkeypatch.setenv("PATH", f"{quarto}{os.pathsep}{office}{os.pathsep}{os.environ['PATH']}")
    before = _keys(stage)
    assert _keys(stage) == before  # the same programs: the same keys
    _fake(quarto, "quarto", "1.8.0")
    after_quarto = _keys(stage)
    assert after_quarto["pdf"] != before["pdf"] and after_quarto["docx"] == before["docx"]
    _fake(office, "soffice", "25.8")
    after_office = _keys(stage)
    assert after_office["docx"] != after_quarto["docx"] and after_office["pdf"] == after_quarto["pdf"]
    assert after_office["html"] == before["html"]  # the built-in HTML runs neither


def test_a_running_process_asks_a_program_its_version_once_until_the_program_is_upgraded(tmp_path: Path, monkeypatch):
    stage = tmp_path / "stage"
    stage.mkdir()
    (stage / "report.qmd").write_text("# 报告\n", encoding="utf-8")
    folder, asked = tmp_path / "quarto" / "bin", tmp_path / "asked.log"
    _fake(folder, "quarto", "1.7.27", asked)
    monkeypatch.setenv("PATH", f"{folder}{os.pathsep}{os.environ['PATH']}")
    first = [cache.render_key(stage, "pdf", "quarto") for _ in range(3)]
    assert len(set(first)) == 1 and asked.read_text().count("asked") == 1  # three renders' keys, one question
    _fake(folder, "quarto", "1.8.0", asked)  # upgraded while this process runs
    upgraded = cache.render_key(stage, "pdf", "quarto")
    assert upgraded != first[0] and asked.read_text().count("asked") == 2
    assert cache.render_key(stage, "pdf", "quarto") == upgraded and asked.read_text().count("asked") == 2
