"""What the build folder keeps of its caches (``<build>/cache/``): every edit, every code change and every
upgrade makes new entries, and a project used for years would otherwise fill the disk with ones nothing
asks for again.

An entry's last use is the modification time of what holds it: a cache entry's folder, a kept dataset's
pickle, a kept chart's SVG. Using one sets it (helpers.data.kept.used); writing one sets it anyway. After
a command that succeeded (at most once an hour: :func:`tidy`), :func:`prune` removes what was last used
more than :data:`UNUSED_DAYS` ago, then, while the caches hold more than :data:`LIMIT_BYTES`, what was
used longest ago. What was used within :data:`GRACE_SECONDS` is never removed, whatever the size: a
command running beside this one may be about to read it. A scratch folder or file (``.new-*``) left by a
process killed while writing goes once it is older than the same grace. Everything pruned is made again
when next asked for.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

from ..data.kept import FOLDER as DATASETS
from ..data.kept import SCRATCH
from ..model.chartstore import FOLDER as CHARTS
from ..model.chartstore import KEY
from .cache import Cache

#: Entries not used for this many days are removed.
UNUSED_DAYS = 30
#: Beyond this many bytes, the entries used longest ago are removed.
LIMIT_BYTES = 2 * 1024**3
#: What was used (or left half-written) this recently stays: another command may be using it.
GRACE_SECONDS = 3600
#: A command prunes at most this often: the marker's time (``.pruned`` in the cache) says when one last did.
EVERY_SECONDS = GRACE_SECONDS
MARKER = ".pruned"
#: The folders of the cache that keep one file per item, and the suffix of those files: every other folder
#: of the cache holds one entry per subfolder (helpers.publish.cache.Cache).
FILES = {DATASETS: ".pickle", CHARTS: ".svg"}


@dataclass(frozen=True)
class Item:
    """One thing the caches keep and remove whole: an entry's folder or a kept file."""

    path: Path
    used: float  # seconds since the epoch
    size: int


@dataclass(frozen=True)
class Pruned:
    """What a prune removed, to say."""

    items: int = 0
    freed: int = 0


def _size(path: Path) -> int:
    if path.is_symlink() or not path.is_dir():
        return path.lstat().st_size
    return sum(os.lstat(os.path.join(folder, name)).st_size for folder, _, names in os.walk(path) for name in names)


def _item(path: Path) -> Item | None:
    try:
        return Item(path, path.lstat().st_mtime, _size(path))
    except OSError:  # removed meanwhile by another command
        return None


def _kept_files(kind: Path) -> list[Path]:
    """The kept files of a folder that keeps one file per item, in it or in its subfolders (a chart store's
    per environment), with their scratch; a link is an item itself, never followed."""
    suffix = FILES[kind.name]

    def ours(name: str) -> bool:  # a key's digits and the suffix, or scratch
        return (name.endswith(suffix) and bool(KEY.match(name[: -len(suffix)]))) or name.startswith(SCRATCH)

    return [Path(folder, name) for folder, _, names in os.walk(kind) for name in names if ours(name)]


def items(cache: Path) -> tuple[list[Item], list[Item]]:
    """What ``cache`` keeps, and the scratch left in it by writers that stopped half-way. Only what the
    caches name so (a key's digits, or scratch) is an item: anything else put there is never removed."""
    kept: list[Item] = []
    scratch: list[Item] = []
    if not cache.is_dir():
        return kept, scratch
    for kind in sorted(p for p in cache.iterdir() if p.is_dir() and not p.is_symlink()):
        if kind.name in FILES:
            paths = _kept_files(kind)
        else:  # a folder per entry
            paths = [p for p in kind.iterdir() if Cache.NAME.match(p.name) or p.name.startswith(SCRATCH)]
        for path in sorted(paths):
            found = _item(path)
            if found is not None:
                (scratch if path.name.startswith(SCRATCH) else kept).append(found)
    return kept, scratch


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        with contextlib.suppress(OSError):  # removed meanwhile by another command
            path.unlink()


def prune(cache: Path, now: float | None = None, unused_days: float = UNUSED_DAYS, limit: int = LIMIT_BYTES) -> Pruned:
    """Remove from ``cache`` what was not used for ``unused_days``, then, beyond ``limit`` bytes, what
    was used longest ago; never what was used within :data:`GRACE_SECONDS` of ``now``."""
    now = time.time() if now is None else now
    kept, scratch = items(cache)
    recent = now - GRACE_SECONDS
    stale = min(now - unused_days * 86400, recent)
    gone = [s for s in scratch if s.used < recent] + [i for i in kept if i.used < stale]
    left = sorted((i for i in kept if i.used >= stale), key=lambda i: i.used)
    total = sum(i.size for i in left)
    for oldest in left:
        if total <= limit or oldest.used >= recent:
            break
        gone.append(oldest)
        total -= oldest.size
    for item in gone:
        _remove(item.path)
    for folder in sorted((cache / CHARTS).glob("*")):
        if folder.is_dir() and not folder.is_symlink():
            with contextlib.suppress(OSError):  # only where empty: the charts of code no longer used
                folder.rmdir()
    return Pruned(len(gone), sum(i.size for i in gone))


def tidy(cache: Path, now: float | None = None) -> Pruned:
    """Prune ``cache`` unless a command did within :data:`EVERY_SECONDS`: a command's end costs one look at
    a marker, not a walk through every entry (0.025–0.1 s for a district of 30 offices over three years).
    Pruning is never why a command fails."""
    now = time.time() if now is None else now
    marker = cache / MARKER
    try:
        if not cache.is_dir() or (marker.is_file() and now - marker.stat().st_mtime < EVERY_SECONDS):
            return Pruned()
        marker.touch()
        os.utime(marker, (now, now))
        return prune(cache, now)
    except OSError:  # a cache that cannot be written: the command that used it still succeeded
        return Pruned()
