"""Whether a published report is already what a build would make, decided before anything heavy is
imported (no pandas, no kernel): the build's inputs are hashed and compared with the key its manifest
recorded. An unchanged ``build`` is then a few file reads, not a validation and a render.

The inputs are everything a build reads: the catalog, every file of the office up to the year (figures,
prose, images, report.yml, the office's own outline), the notebooks and report sources, the code and
the installed packages, the faces, the formats, the engine and --strict. Any change, or a published file
that no longer matches its recorded digest, means "not fresh", and the full build runs.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from pathlib import Path

from .cache import _digest, data_key, environment_key, files_digest
from .staging import MANIFEST
from .version import code_version


def office_inputs(data_dir: Path, office: str, year: int) -> list[Path]:
    """The catalog (the data folder's own files) and the office's files, without later years or backups."""
    found = sorted(p for p in data_dir.iterdir() if p.is_file()) if data_dir.is_dir() else []
    office_dir = data_dir / office
    if office_dir.is_dir():
        for path in sorted(office_dir.rglob("*")):
            parts = path.relative_to(office_dir).parts
            if not path.is_file() or any(part.startswith(".") for part in parts):
                continue
            if parts[0].isdigit() and int(parts[0]) > year:
                continue
            found.append(path)
    return found


def project_sources(project_root: Path) -> list[Path]:
    paths = [project_root / "_quarto.yml", *sorted((project_root / "notebooks").glob("*.ipynb"))]
    return paths + sorted(p for p in (project_root / "report").rglob("*") if p.is_file())


def inputs_key(office: str, year: int, data_dir: Path, project_root: Path, formats: tuple[str, ...], engine: str,
               strict: bool) -> str:
    quarto = shutil.which("quarto") if engine != "builtin" else None
    quarto_id = f"{quarto}:{os.stat(quarto).st_mtime_ns}" if quarto else ""
    return _digest([environment_key(), code_version(project_root), files_digest(data_dir, office_inputs(data_dir, office, year)),
                    files_digest(project_root, project_sources(project_root)), ",".join(formats), engine, quarto_id, strict])


def published(target: Path, key: str) -> dict | None:
    """The manifest of ``target`` when it was made from exactly these inputs and its files are intact."""
    manifest = recorded(target)
    if manifest.get("inputs") != key:
        return None
    for name, digest in (manifest.get("files") or {}).items():
        path = target / name
        if not path.is_file() or hashlib.sha256(path.read_bytes()).hexdigest() != digest:
            return None
    return manifest


def notebook_inputs_key(office: str, year: int, data_dir: Path, project_root: Path) -> str:
    """What the notebooks read (not the prose): where it equals the last build's, no kernel will be needed."""
    office_files = sorted(p for p in (data_dir / office).glob("*.csv")) if (data_dir / office).is_dir() else []
    return _digest([environment_key(), files_digest(project_root, sorted((project_root / "notebooks").glob("*.ipynb"))),
                    data_key(data_dir, office, year), files_digest(data_dir, office_files)])


def recorded(target: Path) -> dict:
    """The manifest of ``target``, or nothing."""
    try:
        manifest = json.loads((target / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return manifest if isinstance(manifest, dict) else {}
