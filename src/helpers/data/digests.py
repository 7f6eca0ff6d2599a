"""Files' digests, kept between commands: each command checks hundreds of files it read or published before
(every office-year's data, every published copy, every cache entry); a file is hashed again only where it
may have changed.

A digest is taken for a file while its stamp reads the same: device, inode, size, modification and change
times. Every write changes the change time, and no program can set it back, so a file edited, replaced or
restored with its old modification time is hashed again. A digest is kept only for a file left alone for
:data:`STEADY_NS` before it was hashed: a write in the same tick of the clock as the hashing cannot then
pass for the file hashed. The kept digests live beside the kept datasets (helpers.data.kept); where none
are kept, digests are remembered for the process only.
"""

from __future__ import annotations

import atexit
import functools
import hashlib
import json
import os
import time
from pathlib import Path

from .kept import chosen_here, kept_folder, written

#: How long a file must have been left alone before its digest is kept.
STEADY_NS = 2_000_000_000
#: At most this many digests are kept (the most recent): older ones belong to files long gone.
LIMIT = 50_000
NAME = "digests.json"

_known: dict[str, list] = {}  # path -> [dev, ino, size, mtime_ns, ctime_ns, digest], worked out here
_added: dict[str, list] = {}  # those of them to keep


def file_digest(path: Path) -> str:
    """The SHA-256 of the file's bytes (hex); raises OSError where it cannot be read, as reading would."""
    name = os.path.abspath(path)
    stat = os.stat(name)
    stamp = _stamp(stat)
    known = _known.get(name) or _kept_in(kept_folder()).get(name)
    if known is not None and known[:5] == stamp:
        return str(known[5])
    digest = _hashed(name)
    if time.time_ns() - max(stat.st_mtime_ns, stat.st_ctime_ns) >= STEADY_NS and _unchanged(name, stamp):
        _remember(name, [*stamp, digest])
    return digest


def _hashed(name: str) -> str:
    h = hashlib.sha256()
    with open(name, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _stamp(stat: os.stat_result) -> list:
    """What every write to the file changes: device, inode, size, modification and change times."""
    return [stat.st_dev, stat.st_ino, stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns]


def _unchanged(name: str, stamp: list) -> bool:
    """Whether the file still has the stamp it had before it was hashed (not written while it was read)."""
    try:
        return _stamp(os.stat(name)) == stamp
    except OSError:
        return False


@functools.cache
def _kept_in(folder: str) -> dict[str, list]:
    """The digests kept in ``folder``, read once a process."""
    return _read(Path(folder) / NAME) if folder else {}


def _read(path: Path) -> dict[str, list]:
    try:
        found = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(found, dict):
        return {}
    return {k: v for k, v in found.items() if isinstance(v, list) and len(v) == 6}


def _remember(name: str, entry: list) -> None:
    _known[name] = entry
    _added[name] = entry


def save() -> None:
    """Add this process's new digests to the kept ones (merged with what other processes kept meanwhile);
    where they cannot be written they are worked out again next time."""
    folder = kept_folder()
    if not folder or not _added or not chosen_here() or not Path(folder).parent.is_dir():
        return  # a command that stopped before its build folder was made (a refused one) leaves none
    path = Path(folder) / NAME
    merged = {**_read(path), **_added}
    if len(merged) > LIMIT:
        merged = dict(list(merged.items())[-LIMIT:])
    try:
        path.parent.mkdir(exist_ok=True)
        written(path, json.dumps(merged).encode("utf-8"))
    except OSError:
        return
    _added.clear()


atexit.register(save)
