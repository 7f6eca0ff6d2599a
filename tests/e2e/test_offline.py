"""Rendering never needs the network: each engine builds the report inside a network namespace with no
interface but loopback, and with Typst's package folders pointed at empty ones (nothing cached helps)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from ..conftest import DATA
from .conftest import ENGINES, assert_preflight_clean, build_args

pytestmark = pytest.mark.e2e


def can_unshare() -> bool:
    try:
        return subprocess.run(["unshare", "-n", "true"], capture_output=True, timeout=30).returncode == 0
    except (OSError, subprocess.SubprocessError):
        return False


@pytest.mark.parametrize("engine", ENGINES)
def test_the_report_renders_with_the_network_off(tmp_path: Path, engine: str):
    if not can_unshare():
        if os.environ.get("CI"):
            raise RuntimeError("CI must run the offline test: 'unshare -n' needs root")
        pytest.skip("'unshare -n' is not permitted here (run as root)")
    shutil.copytree(DATA, tmp_path / "data")
    env = {**os.environ, "TYPST_PACKAGE_PATH": str(tmp_path / "no-packages"), "TYPST_PACKAGE_CACHE_PATH": str(tmp_path / "no-package-cache")}
    exe = Path(sys.executable).with_name("annual-report")
    result = subprocess.run(
        ["unshare", "-n", str(exe), *build_args("xinhe", formats="html,pdf", engine=engine)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "out" / "xinhe" / "2024" / "report.pdf").stat().st_size > 10_000
    typst_source = (tmp_path / "_build" / "xinhe" / "2024" / "stage" / "report.typ").read_text(encoding="utf-8")
    assert "@preview" not in typst_source and "#import" not in typst_source  # no package to fetch
    images = len(re.findall(r"<img ", (tmp_path / "out" / "xinhe" / "2024" / "report.html").read_text(encoding="utf-8")))
    assert len(re.findall(r'#chart\("[^"]+"[^)]*alt: "[^"]{4,}"', typst_source)) >= images >= 6
    assert_preflight_clean([tmp_path / "out" / "xinhe" / "2024" / "report.pdf"])
