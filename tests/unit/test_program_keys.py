"""A render is keyed by the programs that make and check it: an upgraded Quarto or LibreOffice renders again."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from helpers.publish import cache


@pytest.fixture(autouse=True)
def _program_keys_of_this_test_only():
    """The keys worked out here are of fake programs: none is left for a later test in the same process."""
    cache.programs_key.cache_clear()
    yield
    cache.programs_key.cache_clear()


def _fake(folder: Path, name: str, version: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    program = folder / name
    program.write_text(f"#!/bin/sh\necho {version}\n", encoding="utf-8")
    program.chmod(0o755)
    (folder / "versionrc").write_text(f"[Version]\nProductMajor={version}\n", encoding="utf-8")


def _keys(stage: Path) -> dict[str, str]:
    cache.programs_key.cache_clear()
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
