"""A report is swapped in whole, or not at all: the last good report survives any failure."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers import staging


def test_publish_replaces_the_report_in_one_swap(tmp_path: Path):
    new = tmp_path / "stage" / "report.html"
    new.parent.mkdir()
    new.write_text("new", encoding="utf-8")
    target = tmp_path / "out" / "taoyuan" / "2024"
    target.mkdir(parents=True)
    (target / "report.html").write_text("old", encoding="utf-8")
    (target / "report.pdf").write_bytes(b"%PDF old")

    staging.publish({"report.html": new}, target)

    assert (target / "report.html").read_text(encoding="utf-8") == "new"
    assert (target / "report.pdf").read_bytes() == b"%PDF old"  # a format not rebuilt is kept
    assert sorted(p.name for p in target.parent.iterdir()) == ["2024"]  # no temporary folders left


def test_a_failed_publish_leaves_the_last_report_byte_identical(tmp_path: Path):
    target = tmp_path / "out"
    target.mkdir()
    (target / "report.html").write_bytes(b"last good")
    with pytest.raises(FileNotFoundError):
        staging.publish({"report.html": tmp_path / "does-not-exist.html"}, target)
    assert (target / "report.html").read_bytes() == b"last good"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_a_published_report_is_readable_by_others(tmp_path: Path):
    source = tmp_path / "r.html"
    source.write_text("x", encoding="utf-8")
    staging.publish({"report.html": source}, tmp_path / "out")
    assert (tmp_path / "out").stat().st_mode & 0o755 == 0o755
