"""Faults: a failing notebook keeps its evidence, a TERM leaves no kernel behind, concurrent builds never mix."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from helpers.errors import ExecutionError
from helpers.project import find_project_root
from helpers.publish.build import BuildRequest, build

from ..conftest import DATA, replace_in
from .conftest import annual_report, build_args

pytestmark = pytest.mark.e2e
ROOT = find_project_root(Path(__file__))


def project_copy(tmp_path: Path) -> Path:
    """The report's own sources in a scratch folder, to break one notebook there."""
    root = tmp_path / "project"
    root.mkdir()
    for name in ("notebooks", "report"):
        shutil.copytree(ROOT / name, root / name)
    shutil.copy2(ROOT / "_quarto.yml", root / "_quarto.yml")
    return root


def test_a_failing_notebook_names_its_cell_and_keeps_the_executed_notebook(tmp_path: Path):
    root = project_copy(tmp_path)
    notebook = root / "notebooks" / "section.ipynb"
    nb = json.loads(notebook.read_text(encoding="utf-8"))
    nb["cells"].insert(
        3, {"cell_type": "code", "id": "broken", "metadata": {}, "outputs": [], "execution_count": None, "source": ["raise ValueError('数据表缺列')"]}
    )
    notebook.write_text(json.dumps(nb, ensure_ascii=False), encoding="utf-8")
    shutil.copytree(DATA, tmp_path / "data")
    request = BuildRequest(
        "taoyuan", 2024, tmp_path / "data", tmp_path / "out", tmp_path / "_build", formats=("html",), engine="builtin", project_root=root
    )
    with pytest.raises(ExecutionError) as failed:
        build(request)
    message = str(failed.value)
    failed_name = re.search(r"执行笔记本 (section-[\w-]+\.ipynb)", message).group(1)
    assert "In [4]" in message  # as the kept notebook numbers it and "ValueError: 数据表缺列" in message
    kept = tmp_path / "_build" / "failed" / "taoyuan" / "2024" / failed_name
    assert str(kept) in message
    cells = json.loads(kept.read_text(encoding="utf-8"))["cells"]
    assert any(o.get("ename") == "ValueError" for c in cells for o in c.get("outputs", []))
    assert not (tmp_path / "out").exists()


def _descendants(pid: int) -> dict[int, bytes]:
    """Every process below ``pid`` (children, their children …) with its command line."""
    parents, commands = {}, {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            commands[int(entry.name)] = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    found, frontier = {}, {pid}
    while frontier:
        frontier = {child for child, parent in parents.items() if parent in frontier and child not in found}
        found.update({child: commands.get(child, b"") for child in frontier})
    return found


def _kernels_of(pid: int) -> list[int]:
    """The kernels a build started: ipykernel processes, or processes forked by the warm kernels' parent."""
    below = _descendants(pid)
    servers = {p for p, command in below.items() if b"helpers.notebooks.forkserver" in command}
    parents = {p: int(Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()[1]) for p in below if _alive(p)}
    return [p for p, command in below.items() if b"ipykernel" in command or parents.get(p) in servers]


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_a_terminated_build_leaves_no_kernel_running(tmp_path: Path):
    exe = Path(sys.executable).with_name("annual-report")
    shutil.copytree(DATA, tmp_path / "data")
    proc = subprocess.Popen(
        [str(exe), *build_args("taoyuan", out=tmp_path / "out", formats="html")],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    kernels: list[int] = []
    deadline = time.monotonic() + 60
    while not kernels and time.monotonic() < deadline and proc.poll() is None:
        kernels = _kernels_of(proc.pid)
        time.sleep(0.05)
    assert kernels, "no kernel was seen starting"
    started = list(_descendants(proc.pid))  # the kernels, and the warm kernels' parent
    proc.send_signal(signal.SIGTERM)
    _, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 1 and "已中断" in stderr and "Traceback" not in stderr
    deadline = time.monotonic() + 10
    while any(_alive(k) for k in started) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not [k for k in started if _alive(k)]
    assert not (tmp_path / "out").exists()


def test_two_concurrent_builds_with_different_data_never_mix(tmp_path: Path):
    first, second = tmp_path / "a" / "data", tmp_path / "b" / "data"
    shutil.copytree(DATA, first)
    shutil.copytree(DATA, second)
    replace_in(second / "taoyuan" / "2024" / "values.csv", "safety.drills,22,", "safety.drills,23,")
    runs = [
        subprocess.Popen(
            [str(Path(sys.executable).with_name("annual-report")), *build_args("taoyuan", data=data, out=data.parent / "out", formats="html")],
            cwd=tmp_path,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for data in (first, second)
    ]
    for run in runs:
        _, stderr = run.communicate(timeout=600)
        assert run.returncode == 0, stderr
    a = (tmp_path / "a" / "out" / "taoyuan" / "2024" / "report.html").read_text(encoding="utf-8")
    b = (tmp_path / "b" / "out" / "taoyuan" / "2024" / "report.html").read_text(encoding="utf-8")
    assert "应急演练活动22场" in a and "23场" not in a
    assert "应急演练活动23场" in b and "应急演练活动22场" not in b
    assert not list((tmp_path / "_build").rglob("stage-*"))  # each build's own stage, cleared after it


def test_an_annual_report_run_refuses_an_output_inside_the_data_before_touching_it(tmp_path: Path):
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    before = sorted(str(p.relative_to(data)) for p in data.rglob("*"))
    result = annual_report("build", "--office", "taoyuan", "--year", "2024", "--data-dir", str(data), "--out", str(data / "taoyuan"), cwd=tmp_path)
    assert result.returncode == 2 and "重叠" in result.stderr
    assert sorted(str(p.relative_to(data)) for p in data.rglob("*")) == before
    assert os.listdir(tmp_path) == ["data"]
