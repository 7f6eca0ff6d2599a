"""Which code and which data made a report: printed in its colophon so a reviewer can trace it."""

from __future__ import annotations

import hashlib
import subprocess
from pathlib import Path

from . import __version__


def code_version(project_root: Path) -> str:
    """``0.1.0 (git 1a2b3c4)``, with ``+改动`` when the checkout has uncommitted changes."""
    try:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=project_root, capture_output=True,
                                text=True, timeout=10).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=project_root,
                               capture_output=True, text=True, timeout=10).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        commit, dirty = "", ""
    if not commit:
        return __version__
    return f"{__version__}（git {commit}{'+改动' if dirty else ''}）"


def data_digest(data_dir: Path, office: str, year: int) -> str:
    """A fingerprint of every file this report was made from: the catalog and the office's years up to it."""
    paths = sorted(p for p in data_dir.glob("*.csv")) + sorted(
        p for folder in (data_dir / office).iterdir() if folder.name.isdigit() and int(folder.name) <= year
        for p in folder.rglob("*") if p.is_file() and "drafts" not in p.parts and ".bak-" not in p.name)
    h = hashlib.sha256()
    for path in paths:
        h.update(path.relative_to(data_dir).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()[:12]
