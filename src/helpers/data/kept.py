"""Where validated data is kept between processes (``<build>/cache/datasets``): the build, the warm kernels'
parent and each comparison then load an unchanged catalog or office-year once, without pandera. Light on
purpose: the command line names the folder to the warm parent before pandas is imported
(helpers.notebooks.kernels)."""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
import pickle
import sys
import tempfile
from pathlib import Path

from ..installation import installed_packages
from ..project import CACHE

#: The environment variable naming the folder, set by a build for itself and every process it starts.
KEPT = "ANNUAL_REPORT_DATASETS"
#: The folder of ``<build>/cache/`` data is kept in.
FOLDER = "datasets"
#: How a file being written is named until it is whole (also a cache entry's folder: helpers.publish.cache).
SCRATCH = ".new-"
_CHOSEN_BY: set[int] = set()  # the processes that chose the folder themselves: commands, not their warm parents


def keep_in(build_dir: Path) -> None:
    """Keep validated data under ``build_dir`` (this process and every process it starts from now on)."""
    keep_at(str(build_dir.resolve() / CACHE / FOLDER))
    _CHOSEN_BY.add(os.getpid())


def chosen_here() -> bool:
    """Whether this process chose the folder (a command) rather than being told it (the warm parent, which is
    stopped at any moment, and the kernels forked from it): only a command writes what all share."""
    return os.getpid() in _CHOSEN_BY


def keep_at(folder: str) -> None:
    """Keep validated data in ``folder``, as named by another process (a preload names its command's)."""
    os.environ[KEPT] = folder


def kept_folder() -> str:
    """The folder data is kept in, or "" where this process keeps none."""
    return os.environ.get(KEPT, "")


def taken(key: tuple) -> object | None:
    """What was kept under ``key`` by this code, or None. The caller checks it still holds (its record reads
    the same) before using it."""
    path = _path(key)
    try:
        value = pickle.loads(path.read_bytes()) if path is not None and path.is_file() else None
    except Exception:  # damaged, or written by other code: loaded afresh and kept again
        return None
    if value is not None and path is not None and chosen_here():
        used(path)
    return value


def used(path: Path) -> None:
    """Mark ``path`` (a kept file, or a cache entry's folder) as used now, which is what the caches' pruning
    goes by (helpers.publish.retention). Its contents are not touched, so their kept digests still hold."""
    with contextlib.suppress(OSError):  # read-only or gone: it may be pruned sooner, and is made again when asked for
        os.utime(path)


def keep(key: tuple, value: object) -> None:
    """Keep ``value`` under ``key``, written whole or not at all; where it cannot be kept it is loaded again."""
    path = _path(key)
    if path is None or not chosen_here():
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)  # a cold build's: the warm parent then takes it, not validating again
        written(path, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
    except (OSError, pickle.PicklingError, TypeError, AttributeError):
        pass  # kept or not, the value is the same


def written(path: Path, data: bytes) -> None:
    """Write ``path`` whole or not at all: no half-written file is left, whatever stops the writing."""
    with tempfile.NamedTemporaryFile(dir=path.parent, prefix=SCRATCH, delete=False) as out:
        try:
            out.write(data)
        except BaseException:
            os.unlink(out.name)
            raise
    try:
        os.replace(out.name, path)
    except BaseException:
        os.unlink(out.name)
        raise


def _path(key: tuple) -> Path | None:
    folder = kept_folder()
    return Path(folder) / (sha_text(repr((key, _code_digest()))) + ".pickle") if folder else None


@functools.cache
def _code_digest() -> str:
    """The code that kept it (worked out once a process): the package's source, Python and every installed
    distribution's name and version. What other code kept is not taken, nor what pandas or pandera of another
    version validated and pickled."""
    package = Path(__file__).resolve().parents[1]
    source = "".join(f"{p}:{p.stat().st_mtime_ns}:{p.stat().st_size}" for p in sorted(package.rglob("*.py")))
    return sha_text(repr((source, sys.version, installed_packages())))


def sha_text(text: str) -> str:
    """The SHA-256 of ``text`` (hex): the name of what is kept under a key."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
