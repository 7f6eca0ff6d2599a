"""What is installed here, as far as a kept result depends on it: the Python distributions and a program's
file. Every cache names what made its entries through these (helpers.data.kept, helpers.publish.cache), so
an upgrade of pandas, of pandoc or of Quarto takes nothing kept by the one before. Light on purpose: no
package beyond the standard library, read before pandas is imported."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

#: The external programs a build runs, by the names each is found under on ``PATH`` (the first found is run).
PROGRAMS = {"quarto": ("quarto",), "libreoffice": ("soffice", "libreoffice")}


def installed_packages() -> list[str]:
    """``name-version`` of every installed distribution, read from the metadata folders' names (fast: no
    metadata file is parsed), so an upgrade of any package the code imports changes what names it. The
    working folder's entry of ``sys.path`` is left out: it is there for some processes and not others (a
    command, the warm kernels' parent, a kernel), which must all name what they keep alike."""
    try:
        here: Path | None = Path.cwd().resolve()
    except OSError:  # a working folder removed under the process: it has no entry to leave out
        here = None
    found: set[str] = set()
    for entry in sys.path:
        try:
            folder = Path(entry or ".").resolve()
        except OSError:  # an entry relative to a working folder that is gone
            continue
        if folder != here and folder.is_dir():
            found.update(p.name for p in folder.iterdir() if p.suffix in (".dist-info", ".egg-info"))
    return sorted(found)


def find_program(program: str) -> str | None:
    """Where ``program`` (a key of :data:`PROGRAMS`) is found on ``PATH`` now, or None: the one lookup that
    what runs the program and what keys its results both use, so a key names the program that ran."""
    for name in PROGRAMS[program]:
        found = shutil.which(name)
        if found:
            return found
    return None


def program_file(path: str) -> tuple[str, int, int]:
    """A program as its file is now (the real path it resolves to, its size and modification time): another
    program, or an upgrade in place, reads differently. Read afresh on every call (a stat), so a process that
    keeps running, a preview, sees an upgrade made while it runs."""
    real = os.path.realpath(path)
    stat = os.stat(real)
    return real, stat.st_size, stat.st_mtime_ns
