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


def fingerprint(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("case", CASES)
def test_a_bad_input_is_refused_with_its_exact_message(case: str, tmp_path: Path):
    source = CORPUS / case
    shutil.copytree(DATA, tmp_path / "data")
    for path in source.rglob("*"):
        if path.is_file() and path.name not in ("args.txt", "expected.txt"):
            target = tmp_path / "data" / path.relative_to(source)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, target)
    args = (source / "args.txt").read_text().split() if (source / "args.txt").exists() else ["--office", "taoyuan", "--year", "2024"]
    before = fingerprint(tmp_path / "data")
    result = subprocess.run([sys.executable, "-m", "helpers.cli", "validate", *args], cwd=tmp_path, capture_output=True, text=True)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert result.stderr == (source / "expected.txt").read_text(encoding="utf-8")
    assert fingerprint(tmp_path / "data") == before


def test_the_corpus_covers_every_rule():
    assert len(CASES) >= 19
