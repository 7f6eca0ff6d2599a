"""Shared fixtures: the test data (never the live ``data/``), and a scratch copy of it to change.

``tests/fixtures/data`` holds Taoyuan's years and a small made-up second office with its own outline;
an owner adding a year or an office to ``data/`` changes nothing here. The live data is checked by
``annual-report validate`` and by the backtest of its published years (``LIVE_DATA``).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "fixtures" / "data"
LIVE_DATA = ROOT / "data"
SEED = ROOT / "tests" / "fixtures" / "taoyuan-2024-report.txt"


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A writable copy of the fixture data to change or corrupt."""
    target = tmp_path / "data"
    shutil.copytree(DATA, target)
    return target


def replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
