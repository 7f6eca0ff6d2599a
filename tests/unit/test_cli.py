"""The command-line contract: exit 0 done, 2 invalid input (FILE:ROW:COLUMN lines, no traceback), 1 otherwise."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from ..conftest import DATA, replace_in

LOCATED = re.compile(r"^\S+:\d+:[^:]+: .+$")


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "helpers.cli", *args], capture_output=True, text=True)


def test_validate_accepts_the_shipped_data():
    result = run("validate", "--data-dir", str(DATA))
    assert result.returncode == 0, result.stderr
    assert "taoyuan/2024" in result.stdout


def test_invalid_input_exits_2_with_every_problem_located_and_no_traceback(data_copy: Path):
    values = data_copy / "taoyuan" / "2024" / "values.csv"
    replace_in(values, "safety.drills,22,", "safety.drills,-2,")
    replace_in(values, "mediation.resolved,490,", "mediation.resolved,520,")
    for command in (["validate"], ["build", "--office", "taoyuan", "--year", "2024", "--out", str(data_copy.parent / "out")]):
        result = run(*command, "--data-dir", str(data_copy))
        assert result.returncode == 2, result.stderr
        assert "Traceback" not in result.stderr
        lines = result.stderr.strip().splitlines()
        located = [line for line in lines if LOCATED.match(line)]
        assert len(located) == 3, lines  # the negative count, the part above its whole, the rate that no longer agrees
        assert any(":19:value: “-2”为负数" in line for line in located)
        assert any(":24:value: 调解成功案件（520宗）大于其总数" in line for line in located)
        assert any(":25:value: 调解成功率填写为97.6%，但按520宗÷502宗计算为103.59%" in line for line in located)
    assert not (data_copy.parent / "out").exists()


def test_a_build_refused_early_exits_2_every_time_and_never_aborts(data_copy: Path):
    """The modules a build imports beside its checks (papermill, PyMuPDF) finish importing before the process
    ends: one torn down in the middle of a C++ extension's import aborted the process (134) about one time in seven."""
    replace_in(data_copy / "taoyuan" / "2024" / "values.csv", "safety.drills,22,", "safety.drills,-2,")
    command = [sys.executable, "-m", "helpers.cli", "build", "--office", "taoyuan", "--year", "2024", "--data-dir", str(data_copy)]
    runs = [
        subprocess.Popen([*command, "--out", str(data_copy.parent / f"out{i}")], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE) for i in range(10)
    ]
    codes = [(run.wait(), run.stderr.read().decode() if run.stderr else "") for run in runs]
    assert [code for code, _ in codes] == [2] * 10, [err[-300:] for code, err in codes if code != 2]


def test_an_unknown_format_is_refused_by_the_parser():
    result = run("build", "--office", "taoyuan", "--year", "2024", "--formats", "html,odt")
    assert result.returncode == 2 and "unknown format odt" in result.stderr


def test_build_all_says_which_earlier_files_it_removed_and_never_calls_that_reused(monkeypatch, tmp_path):
    from types import SimpleNamespace

    from helpers.publish import batch
    from helpers.publish.build import BuildRequest, BuildResult
    from helpers.publish.plan import Plan

    request = BuildRequest("taoyuan", 2024, tmp_path / "data", tmp_path / "out")
    staged = SimpleNamespace(request=request, finish=lambda: BuildResult(files={}, removed=["report.docx"]))
    monkeypatch.setattr("helpers.publish.build.prepare", lambda request, todo: staged)
    [outcome] = batch._build_each([(request, Plan(None, True, "", ""))], progress=False)
    assert outcome.status == "built"
    assert "已移除旧的 report.docx" in outcome.detail
    assert "已移除旧的 report.docx" in batch.summary([outcome], tmp_path / "out")


def test_build_all_over_reports_all_up_to_date_imports_nothing_heavy():
    """``build --all`` plans every report before it imports the build: where each is up to date, neither pandas
    nor matplotlib, papermill or the build module is loaded (a city with nothing changed answers in a moment)."""
    import subprocess
    import sys

    from ..conftest import DATA

    script = (
        "import sys\n"
        "from pathlib import Path\n"
        "from helpers.publish import batch\n"
        "from helpers.publish.plan import Plan\n"
        "from helpers.publish.request import BuildRequest\n"
        "batch.plan_of = lambda request: Plan({'files': {}}, False, '', '')\n"
        "outcomes = batch.build_all(BuildRequest('', 0, Path(sys.argv[1])), progress=False)\n"
        "assert len(outcomes) > 3 and {o.status for o in outcomes} == {'reused'}, outcomes\n"
        "heavy = {'pandas', 'matplotlib', 'papermill', 'helpers.publish.build'} & set(sys.modules)\n"
        "assert not heavy, heavy\n"
    )
    result = subprocess.run([sys.executable, "-c", script, str(DATA)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-2000:]
