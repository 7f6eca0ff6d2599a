"""Warm kernels (helpers.notebooks.kernels): forked from one pre-imported parent, one per notebook, so nothing carries
from one notebook into the next; the executed notebooks are papermill's, and pass nbval; without the warm
parent, kernels start the ordinary way and the build says so."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest

from helpers.errors import ExecutionError
from helpers.notebooks import kernels
from helpers.notebooks.execute import NotebookRun, execute
from helpers.notebooks.kernels import Kernels

from ..conftest import DATA

pytestmark = pytest.mark.e2e
ROOT = Path(__file__).resolve().parents[2]


def notebook(path: Path, *cells: str) -> Path:
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("x = 0", metadata={"tags": ["parameters"]})]
    nb.cells += [nbformat.v4.new_code_cell(source) for source in cells]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, path)
    return path


def printed(output: Path) -> str:
    """What the last cell of an executed notebook printed."""
    text = json.loads(output.read_text(encoding="utf-8"))["cells"][-1]["outputs"][0]["text"]
    return ("".join(text) if isinstance(text, list) else text).strip()


def _run_warm(script: str, *args: str) -> subprocess.CompletedProcess:
    """``script`` in a fresh interpreter, where warm kernels are allowed, as a command would run it."""
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    env.pop(kernels.DISABLE_ENV, None)
    return subprocess.run([sys.executable, "-c", script, *args], capture_output=True, text=True, env=env, timeout=120)


@pytest.fixture
def warm():
    with Kernels() as owner:
        owner.warm_up()
        yield owner
        assert not owner.cold_reasons()  # every kernel of the test was forked warm


def test_a_global_or_module_change_of_one_notebook_is_not_seen_by_the_next(warm, tmp_path):
    first = notebook(
        tmp_path / "first.ipynb", "LEAK = 42\nimport helpers.model.section\nhelpers.model.section.LEAKED = True", "import os\nprint(os.getppid())"
    )
    second = notebook(
        tmp_path / "second.ipynb",
        "import helpers.model.section\n"
        "assert 'LEAK' not in globals(), 'a global of the first notebook'\n"
        "assert not hasattr(helpers.model.section, 'LEAKED'), 'a module change of the first notebook'",
        "import os\nprint(os.getppid())",
    )
    parents = []
    for source in (first, second):
        parents.append(int(printed(execute(NotebookRun(source, tmp_path / f"out-{source.name}", {"x": 1}), warm))))
    assert parents[0] == parents[1] == warm.server.pid  # both forked from the warm parent, one kernel each


def test_an_executed_section_notebook_is_what_papermill_writes_and_passes_nbval(warm, tmp_path):
    params = {"office": "taoyuan", "year": 2024, "section_id": "s3-4", "data_dir": str(DATA)}
    output = execute(NotebookRun(ROOT / "notebooks" / "section.ipynb", tmp_path / "section-s3-4.ipynb", params), warm)
    nb = json.loads(output.read_text(encoding="utf-8"))
    tags = [cell.get("metadata", {}).get("tags", []) for cell in nb["cells"]]
    assert ["parameters"] in tags and ["injected-parameters"] in tags
    code = [cell for cell in nb["cells"] if cell["cell_type"] == "code"]
    assert all(cell["execution_count"] for cell in code)
    kinds = {key for cell in code for out in cell["outputs"] for key in out.get("data", {})}
    assert {"image/svg+xml", "text/markdown"} <= kinds and "image/png" not in kinds  # one form of each chart
    assert nb["metadata"]["papermill"]["parameters"] == params
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--nbval-lax", "--rootdir", str(tmp_path), str(output)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={**os.environ, "ANNUAL_REPORT_DATA": str(DATA)},
    )
    assert result.returncode == 0, result.stdout[-2000:]


def test_without_the_warm_parent_kernels_start_the_ordinary_way_and_say_why(tmp_path, monkeypatch):
    monkeypatch.setenv(kernels.DISABLE_ENV, "1")
    source = notebook(tmp_path / "plain.ipynb", "import os\nprint(os.getppid())")
    with Kernels() as owner:
        output = execute(NotebookRun(source, tmp_path / "out.ipynb", {"x": 1}), owner)
        assert owner.cold_reasons() == [f"{kernels.DISABLE_ENV}=1"]
    parent = int(printed(output))
    assert parent == os.getpid()  # a kernel of this process, started the ordinary way


@pytest.mark.parametrize("started", ["forked", "the ordinary way"])
def test_a_kernel_of_the_build_keeps_no_history_of_its_cells_in_the_users_ipython_folder(started, tmp_path, monkeypatch):
    ipython = tmp_path / "ipython"
    monkeypatch.setenv("IPYTHONDIR", str(ipython))
    if started != "forked":
        monkeypatch.setenv(kernels.DISABLE_ENV, "1")
    source = notebook(tmp_path / "plain.ipynb", "from IPython import get_ipython\nprint(get_ipython().history_manager.enabled)")
    with Kernels() as owner:
        owner.warm_up()
        output = execute(NotebookRun(source, tmp_path / "out.ipynb", {"x": 1}), owner)
        assert bool(owner.cold_reasons()) == (started != "forked")
    assert printed(output) == "False"
    assert (ipython / "profile_default").is_dir()  # the kernel did use this folder
    assert not list(ipython.rglob("history.sqlite"))


def test_a_warm_parent_that_died_is_replaced_by_ordinary_kernels_for_the_rest_of_the_build(tmp_path):
    source = notebook(tmp_path / "plain.ipynb", "print('ran')")
    with Kernels() as owner:
        owner.server.start()
        owner.server._process.kill()
        owner.server._process.wait()
        output = execute(NotebookRun(source, tmp_path / "out.ipynb", {"x": 1}), owner)
        assert printed(output) == "ran"
        assert owner.cold_reasons() and owner.server.failure


def test_kernels_are_launched_through_the_warm_provisioner_and_forked_from_the_warm_parent(warm, tmp_path):
    """The public extension point: the kernel's provisioner is a WarmProvisioner of this owner, and the
    kernel's parent process is the warm parent. Fails loudly if jupyter_client stops calling it; and no
    default of jupyter_client is changed, so JupyterLab's kernels start as always."""
    from jupyter_client.provisioning.factory import KernelProvisionerFactory

    from helpers.notebooks.execute import _kernel_manager
    from helpers.notebooks.provisioner import WarmProvisioner

    source = notebook(tmp_path / "ppid.ipynb", "import os\nprint(os.getppid())")
    execute(NotebookRun(source, tmp_path / "out.ipynb", {}), warm)
    assert int(printed(tmp_path / "out.ipynb")) == warm.server.pid
    assert KernelProvisionerFactory.instance().default_provisioner_name == "local-provisioner"
    manager = _kernel_manager(warm)(kernel_name="python3")
    asyncio.run(manager.start_kernel())
    try:
        assert isinstance(manager.provisioner, WarmProvisioner) and manager.provisioner.kernels is warm
        assert warm.alive == 1
    finally:
        asyncio.run(manager.shutdown_kernel(now=True))
    assert warm.alive == 0


def test_leaving_the_owner_stops_every_kernel_and_the_warm_parent_even_on_an_error(warm, tmp_path):
    from helpers.notebooks.execute import _kernel_manager

    manager = _kernel_manager(warm)(kernel_name="python3")
    asyncio.run(manager.start_kernel())
    kernel, parent = manager.provisioner.pid, warm.server.pid
    with pytest.raises(KeyError), warm:
        raise KeyError("a build that failed")
    assert warm.alive == 0 and warm.server.pid is None
    for pid in (kernel, parent):
        with pytest.raises(ProcessLookupError):
            for _ in range(100):  # a killed process is gone within a moment
                os.kill(pid, 0)
                time.sleep(0.05)


def test_an_executed_notebook_is_written_when_its_run_ends_not_after_every_cell(warm, tmp_path, monkeypatch):
    import papermill.engines
    import papermill.execute

    writes = []
    for module in (papermill.engines, papermill.execute):
        original = module.write_ipynb
        monkeypatch.setattr(module, "write_ipynb", lambda nb, path, original=original: writes.append(path) or original(nb, path))
    output = tmp_path / "out.ipynb"
    execute(NotebookRun(notebook(tmp_path / "many.ipynb", *(f"y = {n}" for n in range(10)), "print('done')"), output, {"x": 1}), warm)
    assert printed(output) == "done"
    assert 1 <= len(writes) <= 2  # papermill's own engine: 29 (start, before and after each of 13 cells, end, final)


def test_a_kernel_that_dies_mid_run_still_leaves_the_cells_that_ran(warm, tmp_path):
    output = tmp_path / "out.ipynb"
    with pytest.raises(ExecutionError):
        execute(NotebookRun(notebook(tmp_path / "dies.ipynb", "print('before')", "import os\nos._exit(1)", "print('after')"), output, {"x": 1}), warm)
    cells = json.loads(output.read_text(encoding="utf-8"))["cells"]
    shown = ["".join(o.get("text", "")) for c in cells for o in c.get("outputs", [])]
    assert any("before" in text for text in shown)
    assert not any("after" in text for text in shown)


def test_expecting_a_notebook_starts_the_warm_parent_and_prepares_papermill_beside_the_caller():
    """One call says a notebook is coming (a build with notebooks to run, a comparison, a site): both slow
    starts begin at once, neither on the caller's thread. What a process's first notebook run would do on its
    way (papermill imported, the kernel's spec found, the notebook schema's validator built) is done by then."""
    script = (
        "import sys, threading\n"
        "from helpers.notebooks.kernels import Kernels\n"
        "with Kernels() as owner:\n"
        "    owner.expect()\n"
        "    print(owner.server.pid is not None, [t.name for t in threading.enumerate() if 'papermill' in t.name])\n"
        "    for thread in threading.enumerate():\n"
        "        if thread is not threading.main_thread():\n"
        "            thread.join()\n"
        "    import nbformat.validator\n"
        "    print('papermill' in sys.modules, 'IPython.paths' in sys.modules, len(nbformat.validator.validators))\n"
    )
    out = _run_warm(script)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split("\n")[:2] == ["True ['import prepare_papermill']", "True True 1"]


def test_a_warm_kernel_runs_without_the_debugger_a_batch_run_has_no_front_end_for(warm, tmp_path):
    """debugpy (and pydevd) are never imported by the warm parent, so by none of its kernels: ipykernel
    imports them inside ``try`` and runs without a debugger."""
    source = notebook(
        tmp_path / "debugger.ipynb",
        "import sys, ipykernel.debugger\nprint(sys.modules.get('debugpy', 0) is None, ipykernel.debugger._is_debugpy_available)",
    )
    assert printed(execute(NotebookRun(source, tmp_path / "out.ipynb", {"x": 1}), warm)) == "True False"


def test_each_warm_kernel_leads_a_session_of_its_own_as_jupyter_client_starts_kernels(warm, tmp_path):
    """With the scheduler's autogroups (Linux's default), the processor is shared between sessions: kernels
    in one session would share one share between them on a busy machine, however many run side by side."""
    source = notebook(tmp_path / "session.ipynb", "import os\nprint(os.getsid(0) == os.getpid(), os.getsid(0) != os.getsid(os.getppid()))")
    assert printed(execute(NotebookRun(source, tmp_path / "out.ipynb", {"x": 1}), warm)) == "True True"


def test_trend_charts_drawn_in_a_warm_child_are_the_ones_drawn_here_and_this_process_imports_no_matplotlib(tmp_path):
    """A site's trend charts are drawn in a child of the warm parent, which has matplotlib and the faces loaded:
    the site's own process neither imports them nor holds the interpreter from the steps it runs meanwhile."""
    script = (
        "import sys\n"
        "from pathlib import Path\n"
        "from helpers.model.charts import Point, Trend\n"
        "from helpers.notebooks.kernels import Kernels\n"
        "from helpers.publish.cache import Cache\n"
        "from helpers.serve.pages import CHART, draw_trend_charts, trend_key\n"
        "trends = {'a': [Trend('行政复议案件', (Point(2023, 3.0, '3件', False), Point(2024, 5.0, '5件', True)))], 'b': []}\n"
        "cache = Cache(Path(sys.argv[1]))\n"
        "with Kernels() as owner:\n"
        "    owner.warm_up()\n"
        "    draw_trend_charts(trends, cache, owner)\n"
        "    refused = owner.run_job('no-such-job', {})\n"
        "    print(owner.server.pid is not None, refused, owner.cold_reasons())\n"
        "print('matplotlib' in sys.modules, '<svg' in (cache.get(CHART, trend_key(trends['a'])) / 'trends.svg').read_text())\n"
    )
    out = _run_warm(script, str(tmp_path / "cache"))
    assert out.returncode == 0, out.stderr
    lines = out.stdout.split("\n")
    assert lines[0] == "True False []"  # an unknown job is refused, and the warm parent serves on
    assert lines[1] == "False True"  # drawn beside, not here

    from helpers.model.charts import Point, Trend
    from helpers.publish.cache import Cache
    from helpers.serve.pages import CHART, trend_key, trend_svg

    trends = [Trend("行政复议案件", (Point(2023, 3.0, "3件", False), Point(2024, 5.0, "5件", True)))]
    entry = Cache(tmp_path / "cache").get(CHART, trend_key(trends))
    assert entry is not None  # drawn, and kept whole
    beside = (entry / "trends.svg").read_bytes()
    assert trend_svg(trends, None) == beside  # the same chart as one drawn in this process


def test_without_the_warm_parent_a_site_draws_its_trend_charts_itself(tmp_path, monkeypatch):
    from helpers.model.charts import Point, Trend
    from helpers.publish.cache import Cache
    from helpers.serve.pages import CHART, draw_trend_charts, trend_key

    monkeypatch.setenv(kernels.DISABLE_ENV, "1")
    trends = [Trend("执法检查", (Point(2023, 1.0, "1次", False), Point(2024, 2.0, "2次", False)))]
    cache = Cache(tmp_path / "cache")
    with Kernels() as owner:
        draw_trend_charts({"a": trends}, cache, owner)
    entry = cache.get(CHART, trend_key(trends))
    assert entry is not None  # drawn, and kept whole
    assert (entry / "trends.svg").read_bytes().lstrip().startswith(b"<")
