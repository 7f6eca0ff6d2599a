"""The one way the project writes under the data folder.

Every command that changes an office's files (``ingest``, ``ingest --update``, ``import``, ``new-year``,
``keep-published``) writes through a :class:`DataWriter`, so the same promises hold for all of them:

- nothing is written, backed up or deleted outside the data folder, and never through a symbolic link:
  a linked office, year, ``narrative/``, ``.backup/`` or file is refused, located, before anything is written;
- every target is checked first and all problems are said at once: a refused write changes nothing;
- an existing file is replaced only with ``force`` and only after a copy of it is kept in ``.backup/`` beside it,
  named ``<name>.<YYYYMMDD-HHMMSS-ffffff>`` so that names sort by time; the rotation keeps the newest
  :data:`KEEP_BACKUPS` of those, only of that exact form, and never the copy it has just made;
- each file is written to a temporary name and renamed over the old one, so a reader sees the old or the new;
- while one command writes an office's files, another waits for it (a lock on the office's folder).
"""

from __future__ import annotations

import errno
import fcntl
import os
import re
import stat
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from ..errors import InputError, Problem
from .csvfile import display_path

BACKUPS = ".backup"
KEEP_BACKUPS = 5
#: How long a writer waits for another command writing the same office before it gives up.
LOCK_WAIT = 60.0
LINKED = "是符号链接：数据目录中的文件和文件夹不能是链接（可能指向别处），出于安全不写入，请放入文件或文件夹本身"


@dataclass
class WriteLog:
    """What a command wrote, kept and backed up, for it to tell its user."""

    written: list[Path] = field(default_factory=list)
    kept: list[Path] = field(default_factory=list)
    backups: list[Path] = field(default_factory=list)
    unchanged: list[Path] = field(default_factory=list)  # already held exactly what was to be written


def _backup_name(name: str) -> re.Pattern[str]:
    """The names this writer gives the backups of ``name``: nothing else in ``.backup/`` is ever removed."""
    return re.compile(re.escape(name) + r"\.(\d{8}-\d{6}-\d{6})(?:-(\d+))?")


class DataWriter:
    """Writes files below ``data_dir`` under the promises of this module."""

    def __init__(self, data_dir: Path, log: WriteLog | None = None):
        self.root = Path(os.path.abspath(data_dir))
        self.log = log if log is not None else WriteLog()
        self._held: set[Path] = set()

    # -- checks ---------------------------------------------------------------------------------------

    def problems(self, path: Path) -> list[Problem]:
        """Why ``path`` may not be written (empty if it may): outside the data folder, or through a link."""
        absolute = Path(os.path.abspath(path))
        if not absolute.is_relative_to(self.root) or absolute == self.root:
            return [Problem(display_path(path), 0, "*", "不在数据目录内：不写入数据目录以外的任何文件")]
        here = self.root
        for part in absolute.relative_to(self.root).parts:
            here = here / part
            if here.is_symlink():
                return [Problem(display_path(here), 0, "*", LINKED)]
            if here != absolute and here.exists() and not here.is_dir():
                return [Problem(display_path(here), 0, "*", "应是文件夹，却是一个文件：未写入")]
        if absolute.exists() and not absolute.is_file():
            return [Problem(display_path(absolute), 0, "*", "应是文件，却是一个文件夹或特殊文件：未写入")]
        backups = absolute.parent / BACKUPS
        if backups.is_symlink():
            return [Problem(display_path(backups), 0, "*", LINKED)]
        if backups.exists() and not backups.is_dir():
            return [Problem(display_path(backups), 0, "*", "应是存放备份的文件夹，却是一个文件：未写入")]
        return []

    def check(self, paths: list[Path]) -> None:
        """Refuse, with every problem at once, if any of ``paths`` may not be written."""
        problems = [p for path in paths for p in self.problems(path)]
        if problems:
            raise InputError(problems)

    # -- writing --------------------------------------------------------------------------------------

    def write_all(
        self, files: Mapping[Path, str | bytes], force: bool = False, backup: bool = True, always: frozenset[Path] = frozenset()
    ) -> WriteLog:
        """Write every file, or none: each target is checked first. An existing file with other content is
        kept (and said) without ``force``; ``always`` names files this command owns and may replace freely
        (still backed up)."""
        self.check(list(files))
        for path, content in files.items():
            self.write(path, content, force=force or path in always, backup=backup)
        return self.log

    def write(self, path: Path, content: str | bytes, force: bool = False, backup: bool = True) -> bool:
        """Write one file; ``False`` if it was kept (it exists with other content and ``force`` is not given)."""
        self.check([path])
        data = content.encode("utf-8") if isinstance(content, str) else content
        if path.exists():
            old = _read(path)
            if old == data:
                self.log.unchanged.append(path)
                return True
            if not force:
                self.log.kept.append(path)
                return False
            if backup:
                self.log.backups.append(self.back_up(path, old))
        self._mkdirs(path.parent)
        _atomic_write(path, data)
        self.log.written.append(path)
        return True

    def back_up(self, path: Path, content: bytes | None = None) -> Path:
        """Keep a copy of ``path`` (its ``content``, where the caller has read it) in ``.backup/`` beside it; of
        its earlier copies keep the newest few."""
        self.check([path])
        folder = path.parent / BACKUPS
        self._mkdirs(folder)
        stamp = f"{datetime.now():%Y%m%d-%H%M%S-%f}"
        data = _read(path) if content is None else content
        target, n = folder / f"{path.name}.{stamp}", 0
        while True:
            try:
                _create(target, data)
                break
            except FileExistsError:
                n += 1
                target = folder / f"{path.name}.{stamp}-{n}"
        self._rotate(folder, path.name, keep=target)
        return target

    def _rotate(self, folder: Path, name: str, keep: Path) -> None:
        pattern = _backup_name(name)
        ours = []
        for entry in os.scandir(folder):
            match = pattern.fullmatch(entry.name)
            if match and entry.is_file(follow_symlinks=False) and entry.path != str(keep):
                ours.append(((match[1], int(match[2] or 0)), Path(entry.path)))
        for _, old in sorted(ours)[: max(0, len(ours) - (KEEP_BACKUPS - 1))]:
            old.unlink()

    def _mkdirs(self, folder: Path) -> None:
        """Make ``folder`` and its parents below the data folder, none of them through a link."""
        absolute = Path(os.path.abspath(folder))
        here = self.root
        for part in absolute.relative_to(self.root).parts:
            here = here / part
            try:
                os.mkdir(here)
            except FileExistsError:
                if here.is_symlink() or not here.is_dir():
                    wrong = LINKED if here.is_symlink() else "应是文件夹，却是一个文件：未写入"
                    raise InputError([Problem(display_path(here), 0, "*", wrong)]) from None

    # -- the office lock ------------------------------------------------------------------------------

    @contextmanager
    def locked(self, office: str | None, wait: float = LOCK_WAIT) -> Iterator[DataWriter]:
        """Hold the office's lock (on its folder; on the data folder while the office has none yet, and for
        ``None``, the shared catalog) while reading what to write and writing it."""
        folder = self.root / office if office else self.root
        if office:
            self.check([folder / "sections.csv"])
            if not folder.is_dir():
                folder = self.root
        if folder in self._held:  # already held by this writer (an office without a folder yet: the data folder's)
            yield self
            return
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
        self._held.add(folder)
        try:
            deadline = time.monotonic() + wait
            while True:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except OSError as exc:
                    if exc.errno not in (errno.EWOULDBLOCK, errno.EAGAIN) or time.monotonic() > deadline:
                        raise InputError([Problem(display_path(folder), 0, "*", "另一个命令正在写入这里的文件：请等它结束后再运行")]) from None
                    time.sleep(0.05)
            yield self
        finally:
            self._held.discard(folder)
            os.close(fd)  # closing releases the lock


def _read(path: Path) -> bytes:
    fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
    with os.fdopen(fd, "rb") as source:
        if not stat.S_ISREG(os.fstat(source.fileno()).st_mode):
            raise InputError([Problem(display_path(path), 0, "*", "应是文件，却是一个文件夹或特殊文件：未写入")])
        return source.read()


def _create(path: Path, data: bytes) -> None:
    """A new file holding ``data``, on disk before this returns; FileExistsError where ``path`` is taken (a
    link included: it is never followed)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o644)
    with os.fdopen(fd, "wb") as out:
        out.write(data)
        out.flush()
        os.fsync(out.fileno())


def _atomic_write(path: Path, data: bytes) -> None:
    """Write beside ``path`` under a temporary name, then rename: the old file or the new, never half."""
    temporary = path.parent / f".{path.name}.{os.getpid()}.{time.monotonic_ns()}.tmp"
    try:
        _create(temporary, data)
        os.replace(temporary, path)
    except FileExistsError:
        raise  # another's file under that name: never removed
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
