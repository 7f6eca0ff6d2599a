"""Which code and which data made a report: printed in its colophon so a reviewer can trace it."""

from __future__ import annotations

import subprocess
from functools import lru_cache
from pathlib import Path

from .. import __version__

#: What "the code" is: a change to data, tests or docs does not make a report's code "modified".
CODE_PATHS = ("src", "notebooks", "report", "_quarto.yml", "pyproject.toml")


@lru_cache(maxsize=4)
def code_version(project_root: Path) -> str:
    """``0.1.0 (git 1a2b3c4)``, with ``+改动`` when the code (not data) has uncommitted changes. Worked out
    once per process (two ``git`` runs): ``build --all`` asks it for every office-year."""
    try:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=project_root, capture_output=True, text=True, timeout=10).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no", "--", *CODE_PATHS], cwd=project_root, capture_output=True, text=True, timeout=10
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        commit, dirty = "", ""
    if not commit:
        return __version__
    return f"{__version__}（git {commit}{'+改动' if dirty else ''}）"
