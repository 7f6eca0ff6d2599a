"""Staged, atomic output: a report is built aside and swapped in only when every step succeeded."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path


def fresh_dir(path: Path) -> Path:
    """An empty staging folder at ``path`` (whatever a previous build left there is removed)."""
    if path.exists():
        shutil.rmtree(path)
    path.mkdir(parents=True)
    return path


def publish(files: dict[str, Path], target: Path) -> dict[str, Path]:
    """Copy ``files`` (name → staged path) into ``target`` as one swap.

    The new folder is written beside the old one, then renamed into place; until that rename the
    last good report is untouched, and a failure before it leaves it exactly as it was.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    incoming = Path(tempfile.mkdtemp(prefix=f".{target.name}.new-", dir=target.parent))
    incoming.chmod(0o755)  # mkdtemp makes it private; a published report is for everyone to read
    try:
        for name, path in files.items():
            shutil.copy2(path, incoming / name)
        if target.exists():
            for old in target.iterdir():  # keep files of formats not rebuilt this time
                if not (incoming / old.name).exists() and old.is_file():
                    shutil.copy2(old, incoming / old.name)
            retired = target.parent / f".{target.name}.old-{os.getpid()}"
            os.replace(target, retired)
            os.replace(incoming, target)
            shutil.rmtree(retired, ignore_errors=True)
        else:
            os.replace(incoming, target)
    except BaseException:
        shutil.rmtree(incoming, ignore_errors=True)
        raise
    return {name: target / name for name in files}
