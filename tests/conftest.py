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


def pytest_configure(config) -> None:
    """Notebooks run by nbval with their default (empty) ``data_dir`` read a scratch copy of the fixtures,
    never the live ``data/``."""
    import os
    import tempfile

    scratch = Path(tempfile.mkdtemp(prefix="annual-report-notebook-data-"))
    shutil.copytree(DATA, scratch / "data")
    os.environ["ANNUAL_REPORT_DATA"] = str(scratch / "data")
    config._notebook_data = scratch


def pytest_unconfigure(config) -> None:
    scratch = getattr(config, "_notebook_data", None)
    if scratch is not None:
        shutil.rmtree(scratch, ignore_errors=True)
