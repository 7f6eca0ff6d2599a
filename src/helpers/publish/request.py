"""What is asked of a build: one office-year (or a comparison), where its data is and where it goes, the formats,
the engine and who owns its kernels. Light on purpose: the CLI, ``build --all`` and ``site`` make requests and
plan them (helpers.publish.plan) before pandas, papermill or a kernel is imported, so an up-to-date report is
answered without any of them."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path

from ..data.kept import keep_in
from ..data.reports import ReportPlace, locate
from ..notebooks.kernels import Kernels
from ..project import BUILD_DIR, find_project_root
from .plan import Plan, plan

COMPARE = "compare"  # the folder of comparisons under <out>/, in place of an office id


@dataclass(frozen=True)
class BuildRequest:
    office: str
    year: int
    data_dir: Path = Path("data")
    out_dir: Path = Path("_output")
    build_dir: Path = BUILD_DIR
    formats: tuple[str, ...] = ("html", "pdf")
    engine: str = "auto"
    strict: bool = False  # warnings (implausible figures, placeholders, no date) refuse the build
    say: Callable[[str], None] = field(default=lambda text: None, compare=False, repr=False)  # progress, a line a step
    keep_warm: bool = False  # keep the warm kernels' parent up when no notebook runs (a preview's next save may need it)
    project_root: Path = field(default_factory=find_project_root)
    workers: int = field(default_factory=lambda: 2 * (os.cpu_count() or 1))  # a kernel often waits on its client
    kind: str = ""  # the report kind (its id or Chinese name); empty: the office-year's own (helpers.data.reports)
    kernels: Kernels | None = field(default=None, compare=False, repr=False)  # a batch's, site's or preview's; None: the build's own

    @property
    def owner(self) -> Kernels:
        """The owner of this build's kernels (set by ``with_kernels`` for the build's duration)."""
        if self.kernels is None:
            raise RuntimeError("a build's kernels are given by with_kernels()")
        return self.kernels

    @property
    def failed_dir(self) -> Path:
        """Where a failed notebook's executed copy, with papermill's error cell, is kept to open."""
        return self.build_dir / "failed" / self.office / str(self.year)

    @cached_property
    def place(self) -> ReportPlace:
        """Where the report's data lives and where it is published, by its kind (worked out once a request)."""
        return locate(self.data_dir, self.office, self.year, self.kind or None)

    @property
    def folder(self) -> Path:
        """The report's folder under the output folder (and under the build folder, for its last stage)."""
        return Path(self.office, str(self.year)) if self.office == COMPARE else self.place.output

    @property
    def target(self) -> Path:
        return self.out_dir / self.folder


def resolved(request: BuildRequest) -> BuildRequest:
    """The request with its folders resolved: the same object where they already are, so what it worked out
    (its place) is kept."""
    folders = {name: getattr(request, name).resolve() for name in ("data_dir", "out_dir", "build_dir")}
    return request if all(getattr(request, name) == path for name, path in folders.items()) else replace(request, **folders)


def plan_of(request: BuildRequest) -> Plan:
    """What building the request must do (helpers.publish.plan): the one place it is decided. The files'
    digests kept by the last command are taken from the build folder (helpers.data.digests)."""
    keep_in(request.build_dir)
    return plan(request.target.resolve(), request.data_dir.resolve(), request.project_root, request.formats, request.engine, request.strict)


def up_to_date(request: BuildRequest) -> dict | None:
    """The manifest of the request's published report, where that report was made from exactly these inputs."""
    return plan_of(request).manifest


@contextlib.contextmanager
def with_kernels(request: BuildRequest) -> Iterator[BuildRequest]:
    """The request with an owner of its kernels: the caller's (a batch, a site and a preview keep theirs from
    build to build) or one of this build alone, which stops every kernel when the build ends, however it ends."""
    if request.kernels is not None:
        yield request
        return
    with Kernels() as kernels:
        yield replace(request, kernels=kernels)
