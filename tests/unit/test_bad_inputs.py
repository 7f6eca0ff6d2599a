"""Every mistake in tests/bad_inputs/ is refused with exactly the message a clerk can act on."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from ..conftest import DATA

CORPUS = Path(__file__).resolve().parents[1] / "bad_inputs"
CASES = sorted(p.name for p in CORPUS.iterdir() if p.is_dir())
#: Files of a case that describe it rather than replace a data file (see bad_inputs/README.md).
CONTROL_FILES = ("args.txt", "expected.txt", "exit.txt", "links.txt")
COMMANDS = ("validate", "build", "import", "template", "new-year", "compare", "ingest", "status", "keep-published")


def fingerprint(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("case", CASES)
def test_a_bad_input_is_refused_with_its_exact_message(case: str, tmp_path: Path):
    source = CORPUS / case
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    for path in source.rglob("*"):
        if path.is_file() and path.name not in CONTROL_FILES:
            target = data / path.relative_to(source)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, target)
    if (source / "links.txt").exists():  # symbolic links cannot be trusted to survive a checkout: made here
        for line in (source / "links.txt").read_text(encoding="utf-8").splitlines():
            link, target = (part.strip() for part in line.split("->"))
            if target == "@outside":  # the folder itself, moved out of the data, linked back in
                target = str(tmp_path / "outside" / link)
                Path(target).parent.mkdir(parents=True, exist_ok=True)
                shutil.move(data / link, target)
            (data / link).unlink(missing_ok=True)
            (data / link).symlink_to(target)
    args = (source / "args.txt").read_text().split() if (source / "args.txt").exists() else ["--office", "taoyuan", "--year", "2024"]
    if args[0] not in COMMANDS:
        args = ["validate", *args]
    expected_exit = int((source / "exit.txt").read_text()) if (source / "exit.txt").exists() else 2
    before = fingerprint(data)
    result = subprocess.run([sys.executable, "-m", "helpers.cli", *args], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert result.returncode == expected_exit, result.stderr
    assert "Traceback" not in result.stderr
    assert result.stderr == (source / "expected.txt").read_text(encoding="utf-8")
    assert fingerprint(data) == before
    assert not (tmp_path / "_output").exists() or expected_exit == 0


def test_the_corpus_covers_every_rule():
    assert len(CASES) >= 19
