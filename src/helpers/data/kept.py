"""Where validated datasets are kept between processes (``<build>/cache/datasets``): the build, the warm
kernels' parent and each comparison then load an unchanged office-year once. Light on purpose: the command
line names the folder to the warm parent before pandas is imported (helpers.notebooks.kernels)."""

from __future__ import annotations

import os
from pathlib import Path

#: The environment variable naming the folder, set by a build for itself and every process it starts.
KEPT = "ANNUAL_REPORT_DATASETS"


def keep_in(build_dir: Path) -> None:
    """Keep validated datasets under ``build_dir`` (this process and every process it starts from now on)."""
    keep_at(str(build_dir / "cache" / "datasets"))


def keep_at(folder: str) -> None:
    """Keep validated datasets in ``folder``, as named by another process (a preload names its command's)."""
    os.environ[KEPT] = folder


def kept_folder() -> str:
    """The folder datasets are kept in, or "" where this process keeps none."""
    return os.environ.get(KEPT, "")
