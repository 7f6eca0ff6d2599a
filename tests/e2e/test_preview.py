"""`annual-report preview`: a saved edit rebuilds the report and reloads the page; invalid input shows its
located problems in the page, with the last good report a click away, and never stops the preview;
stopping it stops every kernel it started."""

from __future__ import annotations

import shutil
import threading
from pathlib import Path

import pytest

from helpers.publish.build import BuildRequest
from helpers.serve.preview import LAST_GOOD_PATH, Preview

from ..conftest import DATA, replace_in

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def preview(tmp_path_factory):
    """A preview of taoyuan 2024 on a scratch copy of the fixtures, on a free port, in this process."""
    work = tmp_path_factory.mktemp("preview")
    shutil.copytree(DATA, work / "data")
    request = BuildRequest("taoyuan", 2024, work / "data", work / "_build" / "preview", work / "_build", ("html",), "builtin", keep_warm=True)
    notes: list[str] = []
    shown = Preview(request, 0, say=notes.append)
    ready, stop = threading.Event(), threading.Event()
    thread = threading.Thread(target=shown.serve, args=(ready, stop), daemon=True)
    thread.start()
    assert ready.wait(300), notes
    yield shown, work, notes
    stop.set()
    thread.join(60)
    assert not thread.is_alive()


@pytest.fixture(scope="module")
def page(preview, browser):
    shown, _, _ = preview
    page = browser.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(f"http://127.0.0.1:{shown.port}/", wait_until="load")
    yield page
    assert errors == []
    page.close()


def saved_and_reloaded(page, edit) -> None:
    """Make ``edit`` and wait for the page to reload by itself."""
    page.evaluate("window.__before_reload = true")
    edit()
    page.wait_for_function("window.__before_reload === undefined", timeout=120_000)
    page.wait_for_load_state("load")


def test_a_saved_prose_edit_shows_in_the_reloaded_page(preview, page):
    _, work, _ = preview
    assert "取得了一定成效" in page.content()
    saved_and_reloaded(page, lambda: replace_in(work / "data" / "taoyuan" / "2024" / "narrative" / "s4-1.md", "取得了一定成效。", "取得了明显成效。"))
    assert "取得了明显成效" in page.content()


def test_a_saved_value_edit_reruns_its_section_and_shows_in_the_reloaded_page(preview, page):
    _, work, _ = preview
    values = work / "data" / "taoyuan" / "2024" / "values.csv"
    line = next(line for line in values.read_text(encoding="utf-8").splitlines() if line.startswith("safety.drills,"))
    old = line.split(",")[1]
    saved_and_reloaded(page, lambda: replace_in(values, line, line.replace(f",{old},", f",{int(old) + 7},", 1)))
    assert f"{int(old) + 7}场" in page.content()


def test_invalid_input_shows_its_problems_in_the_page_and_the_last_report_a_click_away(preview, page):
    shown, work, notes = preview
    values = work / "data" / "taoyuan" / "2024" / "values.csv"
    good = values.read_text(encoding="utf-8")
    line = next(line for line in good.splitlines() if line.startswith("safety.drills,"))
    saved_and_reloaded(page, lambda: values.write_text(good.replace(line, line.replace(line.split(",")[1], "很多", 1)), encoding="utf-8"))
    text = page.inner_text("body")
    assert "报告未能生成" in text and "values.csv" in text and "很多" in text
    page.click(f"a[href='{LAST_GOOD_PATH}']")
    page.wait_for_load_state("load")
    assert "法治政府建设年度报告" in page.title() or "法治政府建设年度报告" in page.content()
    page.goto(f"http://127.0.0.1:{shown.port}/")
    saved_and_reloaded(page, lambda: values.write_text(good, encoding="utf-8"))
    assert "报告未能生成" not in page.inner_text("body")
    assert shown.state.problems == []
    assert notes[-1].startswith("已是最新")  # the input as the last good report read it: that report, not built again


def test_a_save_that_leaves_every_input_as_it_was_is_answered_by_the_plan_without_a_build(preview, page):
    """An editor's save of an unchanged file, or an edit undone: the report shown was made from these inputs."""
    _, work, notes = preview
    values = work / "data" / "taoyuan" / "2024" / "values.csv"
    said = len(notes)
    saved_and_reloaded(page, lambda: values.write_text(values.read_text(encoding="utf-8"), encoding="utf-8"))
    assert [note.split("（")[0] for note in notes[said:]] == ["已是最新"]


def test_stopping_the_preview_stops_every_kernel_it_started(tmp_path):
    from helpers.notebooks.kernels import Kernels

    shutil.copytree(DATA, tmp_path / "data")
    owner = Kernels()
    request = BuildRequest("taoyuan", 2023, tmp_path / "data", tmp_path / "out", tmp_path / "_build", ("html",), "builtin", kernels=owner)
    shown = Preview(request, 0, say=lambda text: None)
    ready, stop = threading.Event(), threading.Event()
    thread = threading.Thread(target=shown.serve, args=(ready, stop), daemon=True)
    thread.start()
    assert ready.wait(300)
    stop.set()
    thread.join(60)
    assert owner.alive == 0 and owner.server.pid is None
    assert Path(tmp_path / "out" / "taoyuan" / "2023" / "report.html").is_file()
