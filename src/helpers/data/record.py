"""What an output is made from, recorded as it is read: the one list of a build's data inputs.

Every loader reads the data folder through :func:`read_bytes`, :func:`is_file` and :func:`listing`.
Inside :func:`recording`, each call notes the path (a file's bytes, that a file is absent, a folder's
names), so the record holds exactly what was read: a file the loaders never open is not in it, and a
file they looked for and did not find is, as absent, so creating it later changes the record.

The record is kept in the manifest as ``{path: digest}``; :func:`unchanged` re-hashes exactly that list,
before anything heavy is imported, to say whether a build would read the same inputs again.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from ..errors import InputError, Problem
from .digests import file_digest
from .kept import keep, taken

#: Why a path through a symbolic link below the data folder is refused.
LINKED = "是符号链接：数据目录中的文件和文件夹不能是链接（可能指向别处），出于安全不读取，请放入文件或文件夹本身"
#: The digest recorded for a file that was looked for and not found.
ABSENT = "absent"
#: A folder's listing is recorded under its path with this suffix, as the digest of its sorted names.
LISTING = "/*"
#: An office's year folders up to a year: ``taoyuan/*years<=2024``.
YEARS = "/*years<="


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _listing_digest(names: list[str]) -> str:
    return _sha("\0".join(sorted(names)).encode("utf-8"))


def _names(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir()) if folder.is_dir() and not folder.is_symlink() else []


@dataclass
class Record:
    """The files (and folder listings) read under ``root``, each with the digest of what was read."""

    root: Path
    entries: dict[str, str] = field(default_factory=dict)
    given: Path | None = field(default=None, compare=False)  # the root as named (it may itself be a link)

    def key(self, path: Path) -> str | None:
        """``path`` relative to the root, or None for a path outside it (never recorded)."""
        try:
            return path.resolve().relative_to(self.root).as_posix()
        except ValueError:
            return None

    def note(self, path: Path, digest: str, suffix: str = "") -> None:
        key = self.key(path)
        if key is not None:
            self.entries[key + suffix] = digest

    def digest(self) -> str:
        """One digest of the whole record: an output's data key."""
        return _sha("\0".join(f"{k}\0{v}" for k, v in sorted(self.entries.items())).encode("utf-8"))

    def paths(self) -> list[Path]:
        """The files and folders recorded, for a watcher."""
        return [self.root / k.split("/*")[0] for k in sorted(self.entries)]

    def merged(self, other: Record) -> Record:
        return Record(self.root, {**self.entries, **other.entries})


_ACTIVE: ContextVar[list[Record] | None] = ContextVar("helpers_record", default=None)


@contextmanager
def recording(root: Path) -> Iterator[Record]:
    """Record every read under ``root`` made inside the block (nested recordings each see every read)."""
    record = Record(root.resolve(), given=root.absolute())
    stack = [*(_ACTIVE.get() or []), record]
    token = _ACTIVE.set(stack)
    try:
        yield record
    finally:
        _ACTIVE.reset(token)


def _guard(path: Path) -> None:
    """Refuse a path that passes through a symbolic link below the data folder: a linked office, year,
    ``narrative/`` or file would read (and publish) what lies outside it. One rule, for every reader."""
    for active in _ACTIVE.get() or ():
        base = next((b for b in (active.given, active.root) if b is not None and path.absolute().is_relative_to(b)), None)
        if base is None:
            continue
        here = base
        for part in path.absolute().relative_to(base).parts:
            here = here / part
            if here.is_symlink():
                shown = here.relative_to(Path.cwd()) if here.is_relative_to(Path.cwd()) else here
                raise InputError([Problem(str(shown), 0, "*", LINKED)])
        return


def _note(path: Path, digest: str, suffix: str = "") -> None:
    for record in _ACTIVE.get() or ():
        record.note(path, digest, suffix)


def replay(entries: dict[str, str], root: Path) -> None:
    """Note again what an earlier read recorded (a result reused from memory was made from these files)."""
    resolved = root.resolve()
    for active in _ACTIVE.get() or ():
        if active.root == resolved:
            active.entries.update(entries)


def read_bytes(path: Path) -> bytes:
    _guard(path)
    return _read(path)


def _read(path: Path) -> bytes:
    data = path.read_bytes()
    _note(path, _sha(data))
    return data


def read_if_file(path: Path) -> bytes | None:
    """The file's bytes, recorded; None for a file that is not there, recorded as absent (read once, not
    checked and then read)."""
    _guard(path)
    if not path.is_file():
        _note(path, ABSENT)
        return None
    return _read(path)


def read_text(path: Path, encoding: str = "utf-8") -> str:
    return read_bytes(path).decode(encoding)


def is_file(path: Path) -> bool:
    """Whether the file is there: recorded with its digest, or as absent (its creation is a change)."""
    _guard(path)
    found = path.is_file()
    if _ACTIVE.get():
        _note(path, file_digest(path) if found else ABSENT)
    return found


def listing(folder: Path) -> list[Path]:
    """The folder's entries, sorted; the names are recorded (an added or removed file is a change)."""
    _guard(folder)
    names = _names(folder)
    _note(folder, _listing_digest(names), LISTING)
    return [folder / name for name in names]


def years(folder: Path, up_to: int) -> list[Path]:
    """An office's year folders up to ``up_to``, sorted; recorded so that a year added after it is no change."""
    _guard(folder)
    found = [folder / n for n in _names(folder) if n.isdigit() and int(n) <= up_to]
    _note(folder, _listing_digest([p.name for p in found]), f"{YEARS}{up_to}")
    return found


_SEEN: ContextVar[dict[tuple[Path, str], str] | None] = ContextVar("helpers_seen", default=None)


@contextmanager
def steady(view: dict[tuple[Path, str], str] | None = None) -> Iterator[dict[tuple[Path, str], str]]:
    """Inside the block, :func:`current` reads each file and listing once: a batch's or a site's plans check
    the files their reports share (the catalogue, an office's earlier years) once, not once a report. It
    gives the view it reads through: a later step of the same command (a site's survey and its comparisons
    after the site's plan) goes on from it (``view``) instead of reading every file again.

    Only a check goes through the view, never a read: an output is made from the bytes read, and its record
    holds their digests (or, for a dataset taken from memory, the digests it was made from), so a file
    changed in the middle of a command is met by the next command's plan."""
    active = _SEEN.get()
    token = None
    if active is None:
        active = {} if view is None else view
        token = _SEEN.set(active)
    try:
        yield active
    finally:
        if token is not None:
            _SEEN.reset(token)


def current(root: Path, key: str) -> str:
    """What ``key`` of a record over ``root`` would be recorded as now (within :func:`steady`, as it was
    first read there)."""
    return steadily(root, key, lambda: _current(root, key))


def steadily(root: Path, key: str, work: Callable[[], str]) -> str:
    """``work()``, done once within a view (:func:`steady`) and every time outside one: a digest over many
    files (the project's sources) is worked out once for a batch's or a site's plans. ``key`` names it
    under ``root``; a key of a file's digest is its path, so a key of anything else starts with "\\0"."""
    seen = _SEEN.get()
    if seen is None:
        return work()
    if (root, key) not in seen:
        seen[(root, key)] = work()
    return seen[(root, key)]


def _current(root: Path, key: str) -> str:
    if YEARS in key:
        folder, up_to = key.rsplit(YEARS, 1)
        return _listing_digest([n for n in _names(root / folder) if n.isdigit() and int(n) <= int(up_to)])
    path = root / key.removesuffix(LISTING)
    if key.endswith(LISTING):
        return _listing_digest(_names(path))
    if not path.is_file():
        return ABSENT
    try:
        return file_digest(path)
    except OSError:
        return ABSENT


def unchanged(root: Path, entries: dict[str, str]) -> bool:
    """Whether every recorded file and listing under ``root`` still reads the same."""
    return bool(entries) and all(current(root, key) == digest for key, digest in entries.items())


T = TypeVar("T")


def kept_while_unchanged(key: tuple, root: Path, read: Callable[[], T], memo: dict | None = None) -> T:
    """What ``read()`` gives, reused while every file it read under ``root`` reads the same
    (:func:`kept_with_record`)."""
    return kept_with_record(key, root, read, memo)[1]


def kept_with_record(key: tuple, root: Path, read: Callable[[], T], memo: dict | None = None) -> tuple[Record, T]:
    """What ``read()`` gives and the record of the files it was read from, reused while every one of them
    reads the same: from ``memo`` (this process's) or from what a command kept (helpers.data.kept), its reads
    noted again for an enclosing recording; else read afresh in a recording of its own, and kept with that
    record. An InputError of ``read()`` carries the files read until then (``read``), to watch for a fix."""
    hit = (memo.get(key) if memo is not None else None) or taken(key)
    if isinstance(hit, tuple) and len(hit) == 2 and isinstance(hit[0], dict) and unchanged(root, hit[0]):
        replay(hit[0], root)
    else:
        with recording(root) as reading:  # an enclosing recording sees these reads as they happen
            try:
                value = read()
            except InputError as exc:
                exc.read = reading.paths()
                raise
        hit = (reading.entries, value)
        keep(key, hit)
    if memo is not None:
        memo[key] = hit
    return Record(root.resolve(), hit[0], given=root.absolute()), hit[1]
