"""Staged, atomic output: a report is built aside and swapped in only when every step succeeded.

Three promises, each because an office's work was once at stake:

- ``--out`` never points at the data or the project's sources, and publishing never replaces a folder
  it does not recognise as its own output (one with a ``manifest.json``), so a slip cannot delete prose;
- ``<out>/<office>/<year>/`` holds a complete report at every moment: the new folder is exchanged with
  the old one in one system call (``renameat2(RENAME_EXCHANGE)``), and where that call is missing a
  kill between two renames is completed by the next build (:func:`recover`);
- the folder holds only files made together: a format not rebuilt this time is removed, and said so.
"""

from __future__ import annotations

import ctypes
import errno
import fcntl
import json
import os
import shutil
import stat
import tempfile
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from ..data.csvfile import display_path
from ..data.digests import file_digest
from ..errors import OutputError

MANIFEST = "manifest.json"
#: Names a folder of this project's output may hold without a manifest (reports made before manifests).
OWN_NAMES = frozenset({"report.html", "report.pdf", "report.docx", MANIFEST})
#: Folders of the project that hold its sources; ``--out`` may not be, contain or lie inside one.
SOURCE_FOLDERS = ("src", "notebooks", "report", "tests", "tools", "bench", ".ci", ".git")


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def check_out_dir(out_dir: Path, data_dir: Path, project_root: Path) -> None:
    """Refuse an output folder that is, contains or lies inside the data or the sources, before anything is touched."""
    out, data, root = out_dir.resolve(), data_dir.resolve(), project_root.resolve()
    if _inside(out, data) or _inside(data, out):
        raise OutputError(
            f"输出目录 {display_path(out_dir)} 与数据目录 {display_path(data_dir)} 重叠："
            "发布报告会替换其中的文件。请用 --out 指定单独的目录，如 _output"
        )
    for name in SOURCE_FOLDERS:
        source = root / name
        if source.exists() and (_inside(out, source) or _inside(source, out)):
            raise OutputError(f"输出目录 {display_path(out_dir)} 与项目源文件目录 {display_path(source)} 重叠。请用 --out 指定单独的目录，如 _output")


def new_stage(build_dir: Path, office: str, year: int) -> Path:
    """A staging folder of this build alone: two builds of one office-year never share one."""
    parent = build_dir / office / str(year)
    parent.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix=f"stage-{os.getpid()}-", dir=parent))


@contextmanager
def output_lock(target: Path, beside: Path | None = None) -> Iterator[None]:
    """One build at a time publishes into ``target``; a second one waits for the first. The lock file lies
    beside ``target``, or in ``beside`` (the site's: nothing of it outside ``<out>/site/``)."""
    folder = beside or target.parent
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / f".{target.name}.lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def read_manifest(folder: Path) -> dict | None:
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return manifest if isinstance(manifest, dict) and isinstance(manifest.get("files"), dict) else None


def is_complete(folder: Path) -> bool:
    """Every file the manifest lists is there with the recorded digest."""
    manifest = read_manifest(folder)
    if manifest is None:
        return False
    return all((folder / name).is_file() and file_digest(folder / name) == digest for name, digest in manifest["files"].items())


def _is_own(folder: Path) -> bool:
    if not folder.exists():
        return True
    if folder.is_symlink() or not folder.is_dir():
        return False
    if (folder / MANIFEST).is_file():
        return True
    return all(entry.is_file() and entry.name in OWN_NAMES for entry in folder.iterdir())


def _leftovers(target: Path) -> list[Path]:
    return sorted(target.parent.glob(f".{target.name}.old-*")) + sorted(target.parent.glob(f".{target.name}.new-*"))


def recover(target: Path) -> Path | None:
    """Complete a swap a kill interrupted: put back a complete folder where none is, clear what is left over.

    Returns the folder that was put back, if any."""
    restored = None
    if not target.exists():
        for candidate in sorted(_leftovers(target), key=lambda p: p.stat().st_mtime, reverse=True):
            if is_complete(candidate):
                os.replace(candidate, target)
                restored = candidate
                break
    for leftover in _leftovers(target):
        shutil.rmtree(leftover, ignore_errors=True)
    return restored


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(a: Path, b: Path) -> bool:
    """Swap two folders in one step (Linux ``renameat2``); False where the system cannot."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    if renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
        return False
    raise OSError(code, os.strerror(code), str(b))


def _swap(incoming: Path, target: Path) -> None:
    if not target.exists():
        os.replace(incoming, target)
        return
    if _exchange(incoming, target):
        shutil.rmtree(incoming, ignore_errors=True)  # it now holds the old report
        return
    retired = target.parent / f".{target.name}.old-{os.getpid()}"
    os.replace(target, retired)  # a kill here leaves two complete folders aside: recover() restores one
    os.replace(incoming, target)
    shutil.rmtree(retired, ignore_errors=True)


def published_digests(paths: Iterable[Path]) -> dict[Path, str]:
    """The digest each of ``paths`` has in its folder's manifest: for files of reports the caller has just
    published or found intact (helpers.publish.plan), which a site then copies without hashing them again."""
    digests: dict[Path, str] = {}
    for folder in {path.parent for path in paths}:
        manifest = read_manifest(folder)
        if manifest is not None:
            digests |= {folder / name: str(digest) for name, digest in manifest["files"].items()}
    return digests


def _linked_copy(published: Path, source: Path, incoming: Path) -> bool:
    """The copy the folder already publishes, linked into the incoming one, where it is still the copy of the
    same file (its manifest gives it the source's known digest; size and time as copied, never a link): a site
    whose reports did not change copies none of them again. The old folder goes at the swap; the link stays."""
    try:
        was, now = published.lstat(), source.stat()
        if not stat.S_ISREG(was.st_mode) or (was.st_size, was.st_mtime_ns) != (now.st_size, now.st_mtime_ns):
            return False
        os.link(published, incoming)
    except OSError:  # gone, or a file system without links: copied
        return False
    return True


def publish(
    files: dict[str, Path], target: Path, record: dict | None = None, known: Mapping[Path, str] | None = None
) -> tuple[dict[str, Path], list[str]]:
    """Copy ``files`` (name → staged path) into ``target`` as one swap, with a ``manifest.json``; a file whose
    digest is ``known`` (:func:`published_digests`) is not hashed again, nor copied again where ``target``
    already holds its copy.

    Returns the published paths and the names of earlier files that are gone (formats not rebuilt).
    Until the swap the last good report is untouched; a failure before it leaves it exactly as it was.
    """
    known = known or {}
    recover(target)
    if not _is_own(target):
        raise OutputError(f"{target} 不是本工具生成的报告目录（没有 {MANIFEST}）：为免删除其中的文件，未发布。请换一个 --out 目录，或先移走该目录")
    target.parent.mkdir(parents=True, exist_ok=True)
    before = (read_manifest(target) or {}).get("files", {}) if target.is_dir() else {}
    incoming = Path(tempfile.mkdtemp(prefix=f".{target.name}.new-", dir=target.parent))
    incoming.chmod(0o755)  # mkdtemp makes it private; a published report is for everyone to read
    try:
        digests = {}
        for name, path in files.items():  # a name may be a path inside the folder (a site's pages)
            (incoming / name).parent.mkdir(parents=True, exist_ok=True)
            digest = known.get(path)
            if not (digest and before.get(name) == digest and _linked_copy(target / name, path, incoming / name)):
                shutil.copy2(path, incoming / name)
            digests[name] = digest or file_digest(incoming / name)
        manifest = {**(record or {}), "files": digests}
        (incoming / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        old = {p.name for p in target.iterdir()} if target.is_dir() else set()
        _swap(incoming, target)
    except BaseException:
        shutil.rmtree(incoming, ignore_errors=True)
        raise
    removed = sorted(old - set(files) - {MANIFEST})
    return {name: target / name for name in files}, removed
