"""Files' digests kept between commands (helpers.data.digests): taken while the file's stamp reads the same,
worked out again for a file edited, replaced or restored with its old modification time, and never kept for a
file written just before it was hashed."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from helpers.data import digests
from helpers.data.kept import KEPT, keep_in


@pytest.fixture
def kept(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A build folder keeping digests, and a process that has worked none out yet."""
    monkeypatch.delenv(KEPT, raising=False)
    monkeypatch.setattr(digests, "_known", {})
    monkeypatch.setattr(digests, "_added", {})
    digests._kept_in.cache_clear()
    keep_in(tmp_path / "build")
    (tmp_path / "build" / "cache").mkdir(parents=True)
    return tmp_path


def _next_process(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Save this process's digests and start afresh, counting every file hashed."""
    digests.save()
    monkeypatch.setattr(digests, "_known", {})
    digests._kept_in.cache_clear()
    hashed: list[str] = []
    real = digests._hashed
    monkeypatch.setattr(digests, "_hashed", lambda name: hashed.append(Path(name).name) or real(name))
    return hashed


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _steady_file(folder: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A file left alone long enough for its digest to be kept, hashed once by this process."""
    monkeypatch.setattr(digests, "STEADY_NS", 0)
    values = folder / "values.csv"
    values.write_text("id,value\na,1\n", encoding="utf-8")
    assert digests.file_digest(values) == _sha(values)
    return values


def test_a_steady_files_digest_is_taken_by_the_next_command_without_hashing(kept: Path, monkeypatch):
    values = _steady_file(kept, monkeypatch)
    hashed = _next_process(monkeypatch)
    assert digests.file_digest(values) == _sha(values)
    assert hashed == []


def test_a_file_edited_and_given_back_its_modification_time_is_hashed_again(kept: Path, monkeypatch):
    values = _steady_file(kept, monkeypatch)
    hashed = _next_process(monkeypatch)
    before = values.stat()
    values.write_text("id,value\na,2\n", encoding="utf-8")  # same size
    os.utime(values, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert digests.file_digest(values) == _sha(values)
    assert hashed == ["values.csv"]


def test_a_file_replaced_by_another_of_the_same_size_and_time_is_hashed_again(kept: Path, monkeypatch):
    values, other = _steady_file(kept, monkeypatch), kept / "other.csv"
    other.write_text("id,value\na,9\n", encoding="utf-8")
    stamp = values.stat()
    os.utime(other, ns=(stamp.st_atime_ns, stamp.st_mtime_ns))
    hashed = _next_process(monkeypatch)
    os.replace(other, values)
    assert digests.file_digest(values) == _sha(values)
    assert hashed == ["values.csv"]


def test_a_file_written_just_before_it_was_hashed_is_not_kept(kept: Path, monkeypatch):
    values = kept / "values.csv"
    values.write_text("id,value\na,1\n", encoding="utf-8")
    assert digests.file_digest(values) == _sha(values)
    hashed = _next_process(monkeypatch)
    digests.file_digest(values)
    assert hashed == ["values.csv"]


def test_damaged_kept_digests_are_worked_out_again(kept: Path, monkeypatch):
    values = _steady_file(kept, monkeypatch)
    hashed = _next_process(monkeypatch)
    folder = Path(os.environ[KEPT])
    (folder / digests.NAME).write_text('{"' + str(values) + '": [1, 2', encoding="utf-8")
    assert digests.file_digest(values) == _sha(values)
    assert hashed == ["values.csv"]
    (folder / digests.NAME).write_text('{"' + str(values) + '": "not a list"}', encoding="utf-8")
    digests._kept_in.cache_clear()
    monkeypatch.setattr(digests, "_known", {})
    assert digests.file_digest(values) == _sha(values)
    assert hashed == ["values.csv", "values.csv"]
