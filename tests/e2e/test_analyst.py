"""Analysts run the notebooks as papermill's own docs show: from the project root, with only the
parameters they change; a wrong data folder is one sentence, not a traceback."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e
ROOT = Path(__file__).resolve().parents[2]


def papermill(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    exe = Path(sys.executable).with_name("papermill")
    return subprocess.run([str(exe), *args], cwd=cwd, capture_output=True, text=True, timeout=300)


@pytest.mark.parametrize("notebook", ["section", "scorecard", "compare"])
def test_any_notebook_runs_from_the_project_root_with_only_a_year(tmp_path: Path, notebook: str):
    out = tmp_path / "out.ipynb"
    result = papermill(f"notebooks/{notebook}.ipynb", str(out), "-p", "year", "2023", cwd=ROOT)
    assert result.returncode == 0, result.stderr[-2000:]
    cells = json.loads(out.read_text(encoding="utf-8"))["cells"]
    assert any(o.get("output_type") in ("display_data", "execute_result") for c in cells for o in c.get("outputs", []))


def test_a_wrong_data_folder_is_one_sentence(tmp_path: Path):
    result = papermill("notebooks/section.ipynb", str(tmp_path / "out.ipynb"), "-p", "data_dir", str(tmp_path / "nope"),
                       cwd=ROOT)
    assert result.returncode != 0
    assert "数据目录" in result.stderr and "不存在" in result.stderr
    assert "site-packages" not in result.stderr.split("Exception encountered")[-1]  # no Python traceback of ours
