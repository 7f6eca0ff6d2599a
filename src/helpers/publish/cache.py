"""What a build can reuse: an executed notebook, or a rendered document, keyed by everything it depends on.

A notebook's key covers its own source, its parameters, what it displays (computed by the build from
the data it read: prose does not change a chart), the ``helpers`` package, the installed packages'
versions, Python and the CJK font; a rendered document's key covers every staged source. Entries live under ``_build/cache/``:
deleting ``_build/`` makes the next build cold, and what is not used for a while goes by itself
(helpers.publish.retention).
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
from functools import lru_cache
from pathlib import Path

from ..data import record
from ..data.digests import file_digest
from ..data.kept import SCRATCH, used
from ..fonts import ROLES, faces
from ..installation import find_program, installed_packages, program_file

HELPERS = Path(__file__).resolve().parents[1]  # the whole package


def _digest(parts) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update(part if isinstance(part, bytes) else str(part).encode("utf-8"))
        h.update(b"\0")
    return h.hexdigest()


def files_digest(root: Path, paths) -> str:
    """Each existing file's path below ``root`` and the digest of its bytes: adding, removing or editing one
    changes it. Within a plan (helpers.data.record.steady) each file is read once: a batch's or a site's plans
    of 90 reports hash the project's sources once."""
    parts = []
    for path in paths:
        key = path.relative_to(root).as_posix()
        digest = record.current(root, key)
        if digest != record.ABSENT:
            parts += [key, digest]
    return _digest(parts)


@lru_cache(maxsize=1)
def environment_key() -> str:
    """The code and environment every output depends on: helpers' source, package versions, Python, the faces of each role."""
    return _digest(
        [
            platform.python_version(),
            *(f for role in ROLES for f in faces(role)),
            *installed_packages(),
            files_digest(HELPERS, sorted(HELPERS.rglob("*.py"))),
        ]
    )


def program_key(program: str, asked: bool = True) -> str:
    """One external program (helpers.installation.PROGRAMS) as it is installed now: where it resolves to, its
    size and time, and what says its version (LibreOffice's ``program/versionrc``; ``quarto --version`` unless
    ``asked`` is false, where no process may be started), so an upgrade in place changes the key, in a running
    preview too. Empty where it is not installed."""
    found = find_program(program)
    if found is None:
        return ""
    real, size, mtime = program_file(found)
    return _digest([program, real, size, mtime, _version_said(program, found, real, size, mtime, asked)])


@lru_cache(maxsize=16)
def _version_said(program: str, found: str, real: str, size: int, mtime: int, asked: bool = True) -> bytes:
    """What the program says its version is, asked once for each file the program is (the key's arguments):
    a file that reads differently is asked again."""
    said: list[bytes] = [v.read_bytes() for v in (Path(real).parent / "versionrc",) if v.is_file()]
    if program == "quarto" and asked:
        try:
            said.append(subprocess.run([found, "--version"], capture_output=True, timeout=30).stdout)
        except (OSError, subprocess.SubprocessError):
            said.append(b"?")
    return b"\0".join(said)


def programs_key(engine: str, fmt: str = "") -> str:
    """The external programs a rendered document depends on: Quarto for its engine; LibreOffice for a Word
    copy, whose pages preflight lays out (its findings are kept with the render). pandoc and Typst come as
    Python packages, so :func:`environment_key` already names their versions. Worked out on every call (a
    lookup and a stat of each program; a version asked again only of a changed file)."""
    names = (["quarto"] if engine == "quarto" else []) + (["libreoffice"] if fmt == "docx" else [])
    return _digest([program_key(name) for name in names])


def notebook_key(notebook: Path, parameters: dict, shown: str) -> str:
    """A notebook run's key: its source, its parameters and what it displays (helpers.model.sectionview ``shown``)."""
    return _digest([environment_key(), shown, notebook.read_bytes(), json.dumps(parameters, sort_keys=True)])


def render_key(stage: Path, fmt: str, engine: str) -> str:
    """Every staged source of the document and the programs that render and check it, so any change to
    prose, figures or styles, or an upgraded Quarto or LibreOffice, re-renders."""
    paths = [stage / "_quarto.yml", stage / "_variables.yml", stage / "report.qmd"]
    paths += sorted((stage / "report").rglob("*")) + sorted((stage / "notebooks").glob("*.ipynb"))
    return _digest([environment_key(), programs_key(engine, fmt), fmt, engine, files_digest(stage, paths)])


class Cache:
    """A folder of entries, each written aside and renamed into place, so a crash never leaves half of one.

    Each entry records the digest of every file in it (``.digest.json``) and is checked before use: a
    corrupt, truncated or tampered entry is discarded, with a one-line note, and made again.
    """

    RECORD = ".digest.json"

    def __init__(self, root: Path, note=None):
        self.root = root
        self.note = note or (lambda text: print(text, file=sys.stderr))

    #: An entry's folder: the first 32 hex digits of its key.
    NAME = re.compile(r"^[0-9a-f]{32}$")

    def path(self, kind: str, key: str) -> Path:
        return self.root / kind / key[:32]

    @classmethod
    def _contents(cls, folder: Path) -> dict[str, str]:
        return {p.relative_to(folder).as_posix(): file_digest(p) for p in sorted(folder.rglob("*")) if p.is_file() and p.name != cls.RECORD}

    def present(self, kind: str, key: str, entry: Path | None, name: str) -> Path:
        """The file ``name`` of an entry this command checked or put, still there to be read: a cache emptied
        under a running build is said, not misread. Its digests are not taken again: :meth:`get` took them
        when the command found it."""
        if entry is None or not (entry / name).is_file():
            from ..errors import RenderError

            raise RenderError(f"缓存 {kind}/{key[:12]} 在生成过程中被删除：请重新运行")
        return entry / name

    def get(self, kind: str, key: str) -> Path | None:
        entry = self.path(kind, key)
        if entry.is_symlink() or (entry.exists() and not entry.is_dir()):  # a link (anywhere) or a plain file
            entry.unlink()
            self.note(f"缓存 {entry.relative_to(self.root)} 不是本工具写下的文件夹（链接或普通文件），已丢弃并重新生成")
            return None
        if not entry.is_dir():
            return None
        if any(p.is_symlink() for p in entry.rglob("*")):  # a link inside would read from outside _build/
            shutil.rmtree(entry, ignore_errors=True)
            self.note(f"缓存 {entry.relative_to(self.root)} 中有链接，已丢弃并重新生成")
            return None
        try:
            recorded = json.loads((entry / self.RECORD).read_text(encoding="utf-8"))
            intact = recorded == self._contents(entry)
        except (OSError, ValueError):
            intact = False
        if not intact:
            shutil.rmtree(entry, ignore_errors=True)
            self.note(f"缓存 {entry.relative_to(self.root)} 已损坏或被改动，已丢弃并重新生成")
            return None
        used(entry)  # what pruning goes by (helpers.publish.retention)
        return entry

    def put(self, kind: str, key: str, fill) -> Path:
        """Create the entry by calling ``fill(folder)``; keep it only if ``fill`` succeeds."""
        entry = self.path(kind, key)
        entry.parent.mkdir(parents=True, exist_ok=True)
        scratch = Path(tempfile.mkdtemp(prefix=SCRATCH, dir=entry.parent))
        try:
            fill(scratch)
            (scratch / self.RECORD).write_text(json.dumps(self._contents(scratch), sort_keys=True), encoding="utf-8")
            try:
                os.replace(scratch, entry)
            except OSError:  # another build made the same entry meanwhile: same key, same contents
                shutil.rmtree(scratch, ignore_errors=True)
        except BaseException:
            shutil.rmtree(scratch, ignore_errors=True)
            raise
        return entry
