"""The one real build the end-to-end tests share: the 2024 report, every format, the built-in renderer."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

import pytest

from ..conftest import DATA


def annual_report(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    exe = Path(sys.executable).with_name("annual-report")
    return subprocess.run([str(exe), *args], cwd=cwd, capture_output=True, text=True)


def fingerprint(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="session")
def data_before_build() -> dict[str, str]:
    return fingerprint(DATA)


@pytest.fixture(scope="session")
def built(tmp_path_factory, data_before_build) -> Path:
    work = tmp_path_factory.mktemp("build")
    result = annual_report("build", "--office", "taoyuan", "--year", "2024", "--data-dir", str(DATA),
                           "--out", str(work / "out"), "--formats", "html,pdf,docx", "--engine", "builtin", cwd=work)
    assert result.returncode == 0, result.stderr
    return work / "out" / "taoyuan" / "2024"


