"""Which renderer a build uses: Quarto where 1.7 or later is installed, the built-in pandoc + Typst otherwise.

Light on purpose (no pandas, no Typst): a plan decides the engine before anything heavy is imported, and
the installed Quarto's version is asked once a process for each Quarto program (a new one on PATH, or the
same path upgraded, is asked again).
"""

from __future__ import annotations

import functools
import os
import re
import subprocess

from ..installation import find_program

QUARTO_MIN = (1, 7)


def quarto_version() -> tuple[int, ...] | None:
    """The installed Quarto's version, or None when there is none (or it is older than 1.7)."""
    exe = find_program("quarto")  # as the keys of what it renders find it
    if not exe:
        return None
    try:
        changed = os.stat(exe).st_mtime_ns
    except OSError:
        return None
    return _version(exe, changed)


@functools.cache
def _version(exe: str, changed: int) -> tuple[int, ...] | None:
    try:
        out = subprocess.run([exe, "--version"], capture_output=True, text=True, timeout=60).stdout.strip()
        version = tuple(int(x) for x in re.findall(r"\d+", out)[:3])
    except (OSError, subprocess.SubprocessError, ValueError):
        return None
    return version if version >= QUARTO_MIN else None


def resolve_engine(engine: str) -> str:
    """auto → quarto where Quarto 1.7+ is installed, builtin otherwise."""
    if engine == "auto":
        return "quarto" if quarto_version() is not None else "builtin"
    return engine
