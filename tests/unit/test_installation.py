"""What is installed, as the caches name it (helpers.installation): an upgrade changes it, the working folder
of a process does not, so a command, the warm kernels' parent and a kernel name what they keep alike."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from helpers.installation import installed_packages, program_file


def test_a_distribution_installed_on_the_path_changes_what_is_installed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    before = installed_packages()
    site = tmp_path / "site-packages"
    (site / "pandera-99.0.dist-info").mkdir(parents=True)
    monkeypatch.syspath_prepend(str(site))
    assert installed_packages() == sorted([*before, "pandera-99.0.dist-info"])


def test_metadata_in_the_working_folder_is_not_counted_as_installed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    before = installed_packages()
    (tmp_path / "report_tools-1.0.egg-info").mkdir()
    monkeypatch.chdir(tmp_path)
    monkeypatch.syspath_prepend("")  # as `python -c` and a kernel have it
    monkeypatch.syspath_prepend(str(tmp_path))  # as `python -m` has it
    assert installed_packages() == before


def test_a_process_whose_working_folder_was_removed_still_names_what_is_installed(tmp_path: Path):
    script = (
        "import os, sys\n"
        "os.chdir(sys.argv[1]); os.rmdir(sys.argv[1])\n"
        "from helpers.installation import installed_packages\n"
        "print(len(installed_packages()) > 0)\n"
    )
    gone = tmp_path / "gone"
    gone.mkdir()
    done = subprocess.run([sys.executable, "-c", script, str(gone)], cwd=tmp_path, capture_output=True, text=True)
    assert done.stdout.split() == ["True"], done.stderr[-500:]


def test_processes_started_in_different_folders_name_kept_files_alike(tmp_path: Path):
    name = "from helpers.data import kept; print(kept._code_digest())"
    (tmp_path / "a" / "annual_report-0.1.egg-info").mkdir(parents=True)  # a project folder holding its metadata
    (tmp_path / "b").mkdir()
    digests = {subprocess.run([sys.executable, "-c", name], cwd=tmp_path / f, capture_output=True, text=True, check=True).stdout for f in "ab"}
    assert len(digests) == 1 and len(digests.pop().strip()) == 64


def test_a_program_replaced_in_place_reads_differently_in_the_same_process(tmp_path: Path):
    program = tmp_path / "pandoc"
    program.write_bytes(b"one")
    first = program_file(str(program))
    assert program_file(str(program)) == first
    program.write_bytes(b"other version")  # upgraded while the process runs (a preview)
    assert program_file(str(program)) != first
    link = tmp_path / "pandoc-link"
    link.symlink_to(program)
    assert program_file(str(link))[0] == str(program.resolve())
