"""A report is swapped in whole, or not at all, and publishing never deletes what the build did not make."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from helpers.errors import OutputError
from helpers.publish import staging


def staged(tmp_path: Path, **files: str) -> dict[str, Path]:
    folder = tmp_path / "stage"
    folder.mkdir(exist_ok=True)
    out = {}
    for name, text in files.items():
        path = folder / name.replace("_", ".")
        path.write_text(text, encoding="utf-8")
        out[path.name] = path
    return out


def test_publish_replaces_the_report_in_one_swap_with_a_manifest(tmp_path: Path):
    target = tmp_path / "out" / "taoyuan" / "2024"
    staging.publish(staged(tmp_path, report_html="old", report_pdf="%PDF old"), target, {"data": "a"})
    _, removed = staging.publish(staged(tmp_path, report_html="new"), target, {"data": "b"})

    assert (target / "report.html").read_text(encoding="utf-8") == "new"
    assert removed == ["report.pdf"]  # a format not rebuilt would disagree with the new report: gone
    assert sorted(p.name for p in target.iterdir()) == ["manifest.json", "report.html"]
    manifest = json.loads((target / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["data"] == "b" and manifest["files"] == {"report.html": staging.file_digest(target / "report.html")}
    assert sorted(p.name for p in target.parent.iterdir()) == ["2024"]  # no temporary folders left


def test_a_file_whose_digest_its_reports_manifest_gives_is_not_hashed_again(tmp_path: Path, monkeypatch):
    report = tmp_path / "out" / "taoyuan" / "2024"
    staging.publish(staged(tmp_path, report_html="<p>报告</p>"), report, {"data": "a"})
    hashed = []
    real = staging.file_digest
    monkeypatch.setattr(staging, "file_digest", lambda path: hashed.append(path.name) or real(path))
    known = staging.published_digests([report / "report.html"])
    page = tmp_path / "index.html"
    page.write_text("<p>索引</p>", encoding="utf-8")
    staging.publish({"index.html": page, "taoyuan/2024/report.html": report / "report.html"}, tmp_path / "site", {}, known)
    assert hashed == ["index.html"]  # the page alone: the report's digest came from its manifest
    monkeypatch.setattr(staging, "file_digest", real)
    assert staging.is_complete(tmp_path / "site")


def _site_of(tmp_path: Path, report: Path) -> Path:
    site = tmp_path / "site"
    staging.publish({"taoyuan/2024/report.html": report / "report.html"}, site, {}, staging.published_digests([report / "report.html"]))
    return site


def test_a_site_links_the_copy_it_already_publishes_and_copies_a_report_that_changed(tmp_path: Path):
    report = tmp_path / "out" / "taoyuan" / "2024"
    staging.publish(staged(tmp_path, report_html="<p>报告</p>"), report, {"data": "a"})
    site = _site_of(tmp_path, report)
    first = (site / "taoyuan/2024/report.html").stat()
    site = _site_of(tmp_path, report)
    again = (site / "taoyuan/2024/report.html").stat()
    assert again.st_ino == first.st_ino and again.st_nlink == 1  # linked from the old site, which is gone
    assert staging.is_complete(site)

    time.sleep(0.01)
    staging.publish(staged(tmp_path, report_html="<p>新报告</p>"), report, {"data": "b"})
    site = _site_of(tmp_path, report)
    assert (site / "taoyuan/2024/report.html").read_text(encoding="utf-8") == "<p>新报告</p>"
    assert (site / "taoyuan/2024/report.html").stat().st_ino != (report / "report.html").stat().st_ino  # a copy, never the report's own
    assert staging.is_complete(site)


def test_a_site_copy_changed_by_hand_is_copied_again_not_linked(tmp_path: Path):
    report = tmp_path / "out" / "taoyuan" / "2024"
    staging.publish(staged(tmp_path, report_html="<p>报告</p>"), report, {"data": "a"})
    site = _site_of(tmp_path, report)
    (site / "taoyuan/2024/report.html").write_text("<p>改过</p>", encoding="utf-8")
    site = _site_of(tmp_path, report)
    assert (site / "taoyuan/2024/report.html").read_text(encoding="utf-8") == "<p>报告</p>"
    assert staging.is_complete(site)


def test_a_failed_publish_leaves_the_last_report_byte_identical(tmp_path: Path):
    target = tmp_path / "out"
    staging.publish(staged(tmp_path, report_html="last good"), target)
    with pytest.raises(FileNotFoundError):
        staging.publish({"report.html": tmp_path / "does-not-exist.html"}, target)
    assert (target / "report.html").read_text(encoding="utf-8") == "last good"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_a_folder_the_tool_did_not_make_is_never_replaced(tmp_path: Path):
    target = tmp_path / "narrative"
    target.mkdir()
    (target / "s1.md").write_text("prose", encoding="utf-8")
    with pytest.raises(OutputError, match="不是本工具生成的报告目录"):
        staging.publish(staged(tmp_path, report_html="x"), target)
    assert (target / "s1.md").read_text(encoding="utf-8") == "prose"


@pytest.mark.parametrize("out", ["data", "data/taoyuan/2024", ".", "src/helpers", "notebooks"])
def test_an_output_folder_overlapping_data_or_sources_is_refused(tmp_path: Path, out: str):
    for folder in ("data/taoyuan/2024", "src/helpers", "notebooks"):
        (tmp_path / folder).mkdir(parents=True)
    with pytest.raises(OutputError, match="重叠"):
        staging.check_out_dir(tmp_path / out, tmp_path / "data", tmp_path)
    staging.check_out_dir(tmp_path / "_output", tmp_path / "data", tmp_path)  # the default is fine


def test_a_swap_interrupted_between_its_renames_is_completed_by_the_next_publish(tmp_path: Path, monkeypatch):
    target = tmp_path / "out"
    staging.publish(staged(tmp_path, report_html="v1"), target)
    monkeypatch.setattr(staging, "_exchange", lambda a, b: False)  # as where renameat2 is missing
    real_replace = os.replace

    def killed_after_first(src, dst):
        real_replace(src, dst)
        if ".old-" in str(dst):
            raise SystemExit("killed")

    monkeypatch.setattr(staging.os, "replace", killed_after_first)
    with pytest.raises(SystemExit):
        staging.publish(staged(tmp_path, report_html="v2"), target)
    monkeypatch.setattr(staging.os, "replace", real_replace)
    assert not target.exists()  # the moment the old code lost the report

    assert staging.recover(target) is not None
    assert staging.is_complete(target)
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


PUBLISHER = """
import sys
from pathlib import Path
from helpers.publish import staging
target, stage = Path(sys.argv[1]), Path(sys.argv[2])
i = 0
while True:
    i += 1
    for name in ("report.html", "report.pdf"):
        (stage / name).write_bytes(str(i).encode() * 200_000)
    staging.publish({n: stage / n for n in ("report.html", "report.pdf")}, target)
"""


def test_a_kill_at_any_moment_leaves_a_complete_report(tmp_path: Path):
    """Kill a process publishing in a loop at 12 random moments: the folder is complete after each."""
    target, stage = tmp_path / "out" / "t" / "2024", tmp_path / "stage"
    stage.mkdir()
    for attempt in range(12):
        proc = subprocess.Popen([sys.executable, "-c", PUBLISHER, str(target), str(stage)])
        deadline = time.monotonic() + 30
        while not (target / staging.MANIFEST).exists() and time.monotonic() < deadline:
            time.sleep(0.01)
        time.sleep(0.013 * attempt)  # then somewhere inside the loop of publishes
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        staging.recover(target)  # what the next build does first
        assert staging.is_complete(target), f"attempt {attempt}"
        manifest = staging.read_manifest(target)
        assert len(set(manifest["files"].values())) == 1  # html and pdf from the same round


def test_a_staged_notebook_keeps_no_html_or_javascript_output_for_quarto_to_take_for_a_widget(tmp_path: Path):
    from helpers.publish.build import write_notebook

    notebook = {
        "cells": [
            {
                "cell_type": "code",
                "outputs": [
                    {"output_type": "execute_result", "data": {"text/html": "<table></table>", "text/plain": "表"}},
                    {"output_type": "display_data", "data": {"application/javascript": "x()", "text/markdown": "| a |"}},
                ],
            }
        ]
    }
    write_notebook(tmp_path / "n.ipynb", notebook)
    text = (tmp_path / "n.ipynb").read_text(encoding="utf-8")
    assert "text/html" not in text and "application/javascript" not in text and "| a |" in text and "表" in text
