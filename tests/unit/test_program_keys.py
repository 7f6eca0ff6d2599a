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


def test_the_plan_builds_again_after_libreoffice_alone_is_upgraded_where_a_word_copy_is_asked(tmp_path: Path, monkeypatch):
    from helpers.publish.plan import code_key

    root = tmp_path / "project"
    (root / "notebooks").mkdir(parents=True)
    office = tmp_path / "libreoffice" / "program"
    _fake(office, "soffice", "24.2")
    monkeypatch.setenv("PATH", f"{office}{os.pathsep}{os.environ['PATH']}")
    with_word, without = code_key(root, ("html", "docx"), "builtin", False), code_key(root, ("html", "pdf"), "builtin", False)
    _fake(office, "soffice", "25.8")
    assert code_key(root, ("html", "docx"), "builtin", False) != with_word  # its Word copy is laid out again
    assert code_key(root, ("html", "pdf"), "builtin", False) == without  # no Word copy: LibreOffice is not its input


def test_the_plan_names_quarto_by_its_file_without_starting_it(tmp_path: Path, monkeypatch):
    from helpers.publish.plan import code_key

    root = tmp_path / "project"
    (root / "notebooks").mkdir(parents=True)
    folder, asked = tmp_path / "quarto" / "bin", tmp_path / "asked.log"
    _fake(folder, "quarto", "1.7.27", asked)
    monkeypatch.setenv("PATH", f"{folder}{os.pathsep}{os.environ['PATH']}")
    before = code_key(root, ("html",), "quarto", False)
    _fake(folder, "quarto", "1.8.0", asked)
    assert code_key(root, ("html",), "quarto", False) != before
    assert not asked.exists()  # a plan starts no Quarto: an unchanged rebuild costs no process


def test_the_word_layout_runs_the_libreoffice_its_results_are_keyed_by(tmp_path: Path, monkeypatch):
    """Installed as ``libreoffice`` only (no ``soffice`` on PATH): the program preflight runs is the one the key
    names, and upgrading it changes the key."""
    from helpers.document.wordlayout import soffice

    stage = tmp_path / "stage"
    stage.mkdir()
    (stage / "report.qmd").write_text("# 报告\n", encoding="utf-8")
    office = tmp_path / "libreoffice" / "program"
    _fake(office, "libreoffice", "24.2")
    monkeypatch.setenv("PATH", str(office))
    assert soffice() == str(office / "libreoffice")
    before = cache.render_key(stage, "docx", "builtin")
    _fake(office, "libreoffice", "25.8")
    assert cache.render_key(stage, "docx", "builtin") != before
