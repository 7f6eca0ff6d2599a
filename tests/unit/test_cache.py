"""Cache keys change with everything an output depends on, and with nothing else."""

from __future__ import annotations

import shutil
import threading
import time
from pathlib import Path
from types import SimpleNamespace

import pytest

from helpers.errors import InputError, Problem
from helpers.notebooks.kernels import Kernels
from helpers.publish import build as build_module
from helpers.publish import cache
from helpers.publish.batch import Outcome, build_all, exit_code, raise_faults, summary
from helpers.publish.build import BuildRequest, BuildResult

from ..conftest import DATA, replace_in

NOTEBOOK = Path(__file__).resolve().parents[2] / "notebooks" / "section.ipynb"


def key(data_dir: Path = DATA, params: dict | None = None) -> str:
    """The key of section s3-4's notebook run: from what it displays, computed from the data read."""
    from helpers.data.dataset import load_dataset
    from helpers.model.sectionview import SectionView

    shown = SectionView(load_dataset(data_dir, "taoyuan", 2024), "s3-4").shown()
    return cache.notebook_key(NOTEBOOK, params or {"office": "taoyuan", "year": 2024}, shown)


def test_the_key_ignores_prose_and_where_the_data_lives(data_copy: Path):
    replace_in(data_copy / "taoyuan" / "2024" / "narrative" / "s4-1.md", "取得了一定成效。", "取得了明显成效。")
    assert key(data_copy) == key(DATA)


def test_the_key_follows_figures_catalog_and_earlier_years(data_copy: Path):
    original = key(data_copy)
    replace_in(data_copy / "taoyuan" / "2023" / "values.csv", "safety.drills,18,", "safety.drills,19,")
    changed_history = key(data_copy)
    replace_in(data_copy / "indicators.csv", "应急演练活动", "应急演练")
    assert len({original, changed_history, key(data_copy)}) == 3


def test_the_key_follows_parameters():
    assert key(params={"office": "taoyuan", "year": 2024}) != key(params={"office": "taoyuan", "year": 2023})


def test_the_key_follows_package_versions_and_helpers_source(monkeypatch):
    before = cache.environment_key()
    cache.environment_key.cache_clear()
    monkeypatch.setattr(cache, "installed_packages", lambda: ["pandas-0.0.1.dist-info"])
    assert cache.environment_key() != before
    cache.environment_key.cache_clear()
    monkeypatch.undo()
    monkeypatch.setattr(cache, "HELPERS", Path(__file__).parent)  # stands for edited helpers source
    assert cache.environment_key() != before
    cache.environment_key.cache_clear()


def test_a_cache_entry_is_kept_only_when_filled(tmp_path: Path):
    store = cache.Cache(tmp_path)
    with pytest.raises(RuntimeError):
        store.put("notebooks", "k" * 64, lambda folder: (folder / "half").write_text("x") and (_ for _ in ()).throw(RuntimeError()))
    assert store.get("notebooks", "k" * 64) is None and list((tmp_path / "notebooks").iterdir()) == []
    store.put("notebooks", "k" * 64, lambda folder: (folder / "whole").write_text("x"))
    assert (store.get("notebooks", "k" * 64) / "whole").is_file()


def test_notebooks_run_side_by_side_bounded_by_workers(tmp_path: Path, monkeypatch):
    running, peak, lock = [0], [0], threading.Lock()

    def slow(run, kernels):
        with lock:
            running[0] += 1
            peak[0] = max(peak[0], running[0])
        time.sleep(0.2)
        with lock:
            running[0] -= 1
        run.output.write_text("{}", encoding="utf-8")

    monkeypatch.setattr(build_module, "execute", slow)
    from helpers.data.dataset import load_dataset

    data = load_dataset(DATA, "taoyuan", 2024)
    stage = tmp_path / "stage"
    (stage / "notebooks").mkdir(parents=True)
    for workers in (1, 2, 3):
        peak[0] = 0
        request = BuildRequest("taoyuan", 2024, DATA, build_dir=tmp_path / f"b{workers}", workers=workers, kernels=Kernels())
        build_module.run_notebooks(request, data, stage, cache.Cache(tmp_path / f"b{workers}"), BuildResult({}))
        assert peak[0] == workers


def test_a_build_checks_each_cached_notebook_once_and_reads_it_from_the_entry_it_checked(tmp_path: Path, monkeypatch):
    ran, checked = [], []
    monkeypatch.setattr(build_module, "execute", lambda run, kernels: ran.append(run.output.name) or run.output.write_text("{}", encoding="utf-8"))
    contents = cache.Cache._contents
    monkeypatch.setattr(cache.Cache, "_contents", classmethod(lambda cls, folder: checked.append(folder.name) or contents.__func__(cls, folder)))
    from helpers.data.dataset import load_dataset

    data = load_dataset(DATA, "taoyuan", 2024)
    stage = tmp_path / "stage"
    (stage / "notebooks").mkdir(parents=True)
    request = BuildRequest("taoyuan", 2024, DATA, build_dir=tmp_path / "b", kernels=Kernels())
    store = cache.Cache(tmp_path / "b")
    build_module.run_notebooks(request, data, stage, store, BuildResult({}))
    first = len(ran)
    assert first > 1
    ran.clear()
    checked.clear()
    build_module.run_notebooks(request, data, stage, store, BuildResult({}))
    assert ran == [] and len(checked) == first and len(set(checked)) == first  # each entry's digests taken once


def test_an_entry_gone_under_a_running_build_is_said_not_misread(tmp_path: Path):
    from helpers.errors import RenderError

    store = cache.Cache(tmp_path)
    entry = store.put("render", "k" * 64, lambda folder: (folder / "report.pdf").write_bytes(b"%PDF"))
    assert store.present("render", "k" * 64, store.get("render", "k" * 64), "report.pdf") == entry / "report.pdf"
    (entry / "report.pdf").unlink()  # a file of it gone, then the whole entry
    with pytest.raises(RenderError, match="在生成过程中被删除：请重新运行"):
        store.present("render", "k" * 64, entry, "report.pdf")
    shutil.rmtree(entry)
    for gone in (entry, None):
        with pytest.raises(RenderError, match="在生成过程中被删除：请重新运行"):
            store.present("render", "k" * 64, gone, "report.pdf")


def test_a_batch_goes_on_after_a_failure_and_says_what_happened(monkeypatch, tmp_path: Path):
    def render(request):
        if request.year == 2022:  # the second half, the render thread's, fails
            raise RuntimeError("a bug nobody foresaw")
        return BuildResult({}, executed=[], reused=["a"], rendered=[])

    def prepare(request, todo):
        if request.year == 2023:  # the first half, the notebooks', fails
            raise InputError([Problem("data/taoyuan/2023/values.csv", 5, "value", "“x”不是数字")])
        return SimpleNamespace(request=request, finish=lambda: render(request))

    monkeypatch.setattr("helpers.publish.build.prepare", prepare)
    outcomes = build_all(BuildRequest("", 0, DATA, tmp_path / "out"), progress=False, offices=("taoyuan",))
    assert [(o.year, o.status) for o in outcomes] == [(2022, "failed"), (2023, "failed"), (2024, "reused")]
    assert exit_code(outcomes) == 1
    text = summary(outcomes, tmp_path / "out")
    assert "新生成 0，复用 1，失败 2" in text and "values.csv:5:value: “x”不是数字" in text
    assert "RuntimeError" in text  # any kind of failure, not only the expected ones
    with pytest.raises(ExceptionGroup) as faults:  # a fault of the code is raised once the summary is said
        raise_faults(outcomes)
    assert [str(e) for e in faults.value.exceptions] == ["a bug nobody foresaw"]
    raise_faults([o for o in outcomes if o.year != 2022])  # a report's own failure is no fault of the code


def test_a_batchs_fault_of_the_code_is_said_after_its_summary_and_its_traceback_kept(monkeypatch, tmp_path: Path, capsys):
    """``build --all`` goes on past a fault of the code, says its summary, then exits 1 naming the fault, with
    its traceback in the log, as ``site`` does (one rule, helpers.publish.pipeline)."""
    import tempfile

    from helpers.cli import main

    def prepare(request, todo):
        if request.year == 2023:
            raise RuntimeError("a bug nobody foresaw")
        return SimpleNamespace(request=request, finish=lambda: BuildResult({}, executed=[], reused=["a"], rendered=[]))

    monkeypatch.setattr("helpers.publish.build.prepare", prepare)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    code = main(["build", "--all", "--offices", "taoyuan", "--data-dir", str(data), "--out", str(tmp_path / "out"), "--engine", "builtin"])
    out, err = capsys.readouterr()
    assert code == 1
    assert "失败 1" in out and "[失败] taoyuan/2023" in out  # the summary, with every other report
    assert "内部错误（RuntimeError：a bug nobody foresaw）" in err
    log = (tmp_path / "annual-report-error.txt").read_text(encoding="utf-8")
    assert "Traceback" in log and 'raise RuntimeError("a bug nobody foresaw")' in log


def test_a_batch_renders_one_report_while_the_next_ones_notebooks_run_never_two_of_either(monkeypatch, tmp_path: Path):
    """The render of one report (no kernel) overlaps the next report's notebooks; kernels are only ever one
    report's, and only one report renders at a time."""
    lock, busy, log = threading.Lock(), {"prepare": 0, "finish": 0}, []
    next_started, rendering = threading.Event(), threading.Event()

    def enter(half: str, year: int) -> None:
        with lock:
            busy[half] += 1
            log.append((half, year, dict(busy)))

    def leave(half: str) -> None:
        with lock:
            busy[half] -= 1

    def render(request):
        enter("finish", request.year)
        rendering.set()
        if request.year == 2022:  # the first report's render waits for the second report's notebooks to start
            assert next_started.wait(30), "the next report's notebooks did not start while this one rendered"
        time.sleep(0.05)
        leave("finish")
        return BuildResult({}, executed=["a"])

    def prepare(request, todo):
        enter("prepare", request.year)
        if request.year == 2023:
            next_started.set()
            assert rendering.wait(30), "the first report did not render while this one's notebooks ran"
        time.sleep(0.05)
        leave("prepare")
        return SimpleNamespace(request=request, finish=lambda: render(request))

    monkeypatch.setattr("helpers.publish.build.prepare", prepare)
    outcomes = build_all(BuildRequest("", 0, DATA, tmp_path / "out"), progress=False, offices=("taoyuan",))
    assert [(o.year, o.status) for o in outcomes] == [(2022, "built"), (2023, "built"), (2024, "built")]
    assert all(state["prepare"] <= 1 and state["finish"] <= 1 for _, _, state in log), log
    assert any(state == {"prepare": 1, "finish": 1} for _, _, state in log), log  # the two halves did overlap


def test_batch_exit_codes():
    ok = Outcome("a", 2024, "built")
    bad_input = Outcome("a", 2023, "failed", "x", 2)
    broken = Outcome("a", 2022, "failed", "y", 1)
    assert exit_code([ok]) == 0 and exit_code([ok, bad_input]) == 2 and exit_code([bad_input, broken]) == 1


@pytest.mark.parametrize("damage", ["tamper", "truncate", "add", "record", "plain file", "link", "link inside"])
def test_a_damaged_cache_entry_is_discarded_with_a_note_and_made_again(tmp_path: Path, damage: str):
    notes = []
    store = cache.Cache(tmp_path / "cache", note=notes.append)
    entry = store.put("notebooks", "k" * 64, lambda folder: (folder / "s.ipynb").write_text("22场", encoding="utf-8"))
    assert store.get("notebooks", "k" * 64) == entry and notes == []
    if damage == "tamper":
        (entry / "s.ipynb").write_text("99场", encoding="utf-8")
    elif damage == "truncate":
        (entry / "s.ipynb").write_bytes(b"")
    elif damage == "add":
        (entry / "extra.csv").write_text("x", encoding="utf-8")
    elif damage == "record":
        (entry / cache.Cache.RECORD).write_text("{not json", encoding="utf-8")
    elif damage == "link inside":  # the same bytes, read through a link from outside _build/
        outside = tmp_path / "outside.ipynb"
        (entry / "s.ipynb").rename(outside)
        (entry / "s.ipynb").symlink_to(outside)
    else:  # the entry replaced by a plain file, or by a link to a folder elsewhere
        elsewhere = tmp_path / "elsewhere"
        entry.rename(elsewhere)
        if damage == "plain file":
            entry.write_text("x", encoding="utf-8")
        else:
            entry.symlink_to(elsewhere)
    assert store.get("notebooks", "k" * 64) is None
    assert not entry.exists() and not entry.is_symlink() and len(notes) == 1 and "已丢弃并重新生成" in notes[0]
    made = store.put("notebooks", "k" * 64, lambda folder: (folder / "s.ipynb").write_text("22场", encoding="utf-8"))
    assert store.get("notebooks", "k" * 64) == made and (made / "s.ipynb").read_text(encoding="utf-8") == "22场"


def test_a_batch_builds_each_report_with_the_request_its_plan_worked_out(monkeypatch, tmp_path: Path):
    from helpers.notebooks.kernels import Kernels
    from helpers.publish.batch import plan_all

    built = []

    def prepare(request, todo):
        built.append(request)
        return SimpleNamespace(request=request, finish=lambda: BuildResult({}, executed=["a"]))

    monkeypatch.setattr("helpers.publish.build.prepare", prepare)
    with Kernels() as kernels:
        steps = plan_all(BuildRequest("", 0, DATA, tmp_path / "out", tmp_path / "_build", kernels=kernels), offices=("taoyuan",))
        assert [r.year for r, plan in steps if not plan.up_to_date] == [2022, 2023, 2024]
        build_all(steps[0][0], progress=False, steps=steps)
    assert [id(r) for r in built] == [id(r) for r, _ in steps]  # the planned request itself: where it lives is not worked out again
    assert all("place" in vars(r) and r.data_dir.is_absolute() for r in built)


def test_a_batchs_plans_work_out_the_code_key_once_and_a_single_plan_each_time(monkeypatch, tmp_path: Path):
    """The project's sources are listed and hashed once for the plans of a whole batch (one view of the files,
    helpers.data.record.steady); outside a view each plan works them out again, so a preview sees a template
    edited between two saves."""
    from helpers.publish import plan as plan_module
    from helpers.publish.batch import plan_all
    from helpers.publish.request import plan_of

    listed = []
    real = plan_module.project_sources
    monkeypatch.setattr(plan_module, "project_sources", lambda root: listed.append(root) or real(root))
    steps = plan_all(BuildRequest("", 0, DATA, tmp_path / "out", tmp_path / "_build"))
    assert len(steps) > 3 and len(listed) == 1
    assert len({plan.code for _, plan in steps}) == 1
    plan_of(steps[0][0])
    plan_of(steps[0][0])
    assert len(listed) == 3
