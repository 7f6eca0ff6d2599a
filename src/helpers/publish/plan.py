"""The build plan, decided once and before anything heavy is imported (no pandas, no kernel): whether
the published report is already what a build would make, and whether a build would need kernels.

A report's manifest keeps its record (helpers.data.record): every data file the build read, with its digest,
every folder listing it relied on, and the files it looked for and did not find. The plan re-hashes
exactly that list, plus the code, the notebooks and report sources, the installed packages, the external
programs, the faces, the formats, the engine and --strict. The CLI, ``build --all``, ``site`` and ``preview``
carry the plan out; none of them keeps a list of inputs of its own.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from ..data import record
from ..data.digests import file_digest
from .cache import _digest, environment_key, files_digest, program_key
from .staging import MANIFEST
from .version import code_version

#: The part of a record the notebooks' outputs cannot depend on: the prose (a chart shows figures).
PROSE = "/narrative/"


def project_sources(project_root: Path) -> list[Path]:
    """The project's own sources of a report: its Quarto project, notebooks and report templates."""
    paths = [project_root / "_quarto.yml", *sorted((project_root / "notebooks").glob("*.ipynb"))]
    return paths + sorted(p for p in (project_root / "report").rglob("*") if p.is_file())


def code_key(project_root: Path, formats: tuple[str, ...], engine: str, strict: bool, *extra: object) -> str:
    """Everything but the data: code, environment, report sources, the formats, the engine and --strict
    (and, for a site, what it was asked to list). Worked out once for all the plans of a batch or a site
    (helpers.data.record.steady)."""
    asked = "\0code-key:" + repr((formats, engine, strict, extra))
    return record.steadily(project_root, asked, lambda: _code_key(project_root, formats, engine, strict, *extra))


def _code_key(project_root: Path, formats: tuple[str, ...], engine: str, strict: bool, *extra: object) -> str:
    """The external programs by their files (helpers.publish.cache.program_key), Quarto not asked its version:
    the plan is made before anything heavy, and a Quarto run would cost every unchanged rebuild a process.
    LibreOffice lays out the Word copy that preflight checks: an upgrade of it alone builds the report again."""
    return _digest(
        [
            environment_key(),
            code_version(project_root),
            files_digest(project_root, project_sources(project_root)),
            ",".join(formats),
            engine,
            program_key("quarto", asked=False) if engine != "builtin" else "",
            program_key("libreoffice") if "docx" in formats else "",
            strict,
            *extra,
        ]
    )


def notebooks_key(project_root: Path) -> str:
    """The code the notebooks run: where it and the non-prose record are unchanged, no kernel is needed."""
    return record.steadily(project_root, "\0notebooks-key", lambda: _notebooks_key(project_root))


def _notebooks_key(project_root: Path) -> str:
    return _digest([environment_key(), files_digest(project_root, sorted((project_root / "notebooks").glob("*.ipynb")))])


def without_prose(entries: dict[str, str]) -> dict[str, str]:
    return {k: v for k, v in entries.items() if PROSE not in k}


@dataclass(frozen=True)
class Plan:
    """What a build of one office-year must do."""

    manifest: dict | None  # the published report's manifest, where it is up to date; else None
    kernels: bool  # whether a build would run notebooks (a prose edit runs none)
    code: str  # code_key, recorded in the manifest for the next plan
    notebooks: str  # notebooks_key, likewise

    @property
    def up_to_date(self) -> bool:
        return self.manifest is not None


def plan(target: Path, data_dir: Path, project_root: Path, formats: tuple[str, ...], engine: str, strict: bool) -> Plan:
    """Compare what the published report in ``target`` was made from with what a build would read now."""
    manifest = recorded(target)
    code, notebooks = code_key(project_root, formats, engine, strict), notebooks_key(project_root)
    entries = recorded_entries(manifest)
    with record.steady():  # the second check reads no file again
        data_same = record.unchanged(data_dir, entries)
        fresh = data_same and manifest.get("inputs") == code and _intact(target, manifest)
        kernels = manifest.get("notebook_inputs") != notebooks or not record.unchanged(data_dir, without_prose(entries))
    return Plan(manifest if fresh else None, kernels, code, notebooks)


def site_plan(target: Path, data_dir: Path, project_root: Path, formats: tuple[str, ...], engine: str, *asked: object) -> tuple[dict | None, str]:
    """The published site's manifest where the site would be made the same now (its record: every office-year
    it lists and the folders that say which exist), and the code key to record; None and the key otherwise."""
    code = code_key(project_root, formats, engine, False, *asked)
    return answered(target, data_dir, code), code


def figures_changed(target: Path, data_dir: Path) -> bool:
    """Whether the data the output in ``target`` was made from, its prose aside, reads otherwise now (or it
    records none): a notebook will run. Known before the code key is worked out, so that a command starts its
    warm kernels' parent meanwhile."""
    return not record.unchanged(data_dir, without_prose(recorded_entries(recorded(target))))


def answered(target: Path, data_dir: Path, code: str) -> dict | None:
    """The manifest of ``target`` where it was made by this code from a record that still reads the same
    (a site, a comparison): the output is then taken as it is."""
    manifest = recorded(target)
    entries = recorded_entries(manifest)
    fresh = manifest.get("inputs") == code and record.unchanged(data_dir, entries) and _intact(target, manifest)
    return manifest if fresh else None


def _intact(target: Path, manifest: dict) -> bool:
    for name, digest in (manifest.get("files") or {}).items():
        path = target / name
        if not path.is_file() or file_digest(path) != digest:
            return False
    return True


def recorded_entries(manifest: dict) -> dict[str, str]:
    """The record a manifest keeps (file → digest); none where it keeps none, or none readable."""
    entries = manifest.get("record")
    return {str(k): str(v) for k, v in entries.items()} if isinstance(entries, dict) else {}


def recorded(target: Path) -> dict:
    """The manifest of ``target``, or nothing."""
    try:
        manifest = json.loads((target / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return manifest if isinstance(manifest, dict) else {}
