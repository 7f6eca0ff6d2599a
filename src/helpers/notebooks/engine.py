"""The papermill engine the build runs notebooks with: papermill's own (nbclient), writing the executed
notebook when the run ends, however it ends, rather than after every cell.

papermill writes the whole notebook, outputs and images included, as each cell starts and again as it
completes: twenty writes of a growing file for a comparison notebook, JSON encoding that holds the
interpreter lock while the build's other threads wait for it. A report's notebooks are read only once they
are done, so the writes in between show nobody anything. The write at the end stays: a cell's error, a kernel
that dies, an interrupted run all leave the executed notebook with what ran, as papermill would.
"""

from __future__ import annotations

from contextlib import suppress
from functools import cache
from types import ModuleType
from typing import Any

from ..imports import import_without

NAME = "annual-report"
KERNEL = "python3"  # the kernel every notebook runs in (installed by ``make setup``)
#: What every kernel the build starts is told, forked or started the ordinary way: keep no IPython history.
#: The cells are the build's, not the user's (a user's ``~/.ipython`` history is not written by a build), and
#: history's database costs each kernel its opening and its writes as the kernel ends.
KERNEL_OPTIONS = ("--HistoryManager.enabled=False",)


#: The modules jsonschema imports (each inside ``try``) to check string formats: an IRI grammar it spends 1.7 s
#: compiling (rfc3987_syntax), and some 40 ms more of the others, an ISO duration's date library among them.
#: nbformat's validators check no format (jsonschema's is made without a format checker, fastjsonschema has
#: its own), so they are marked absent in this process.
STRING_FORMATS = (
    "rfc3987_syntax",
    "isoduration",
    "webcolors",
    "jsonpointer",
    "uri_template",
    "rfc3339_validator",
    "rfc3986_validator",
    "fqdn",
)


def import_papermill() -> ModuleType:
    """papermill, without jsonschema's string format checkers (:data:`STRING_FORMATS`)."""
    return import_without("papermill", *STRING_FORMATS)


def prepare_papermill() -> None:
    """What running a notebook first costs a process, done once ahead of it: papermill imported, this engine
    registered, the kernel's spec found (jupyter_client imports IPython to look in ``~/.ipython/kernels``)
    and the notebook schema's validator built. Each is kept for the process by its library; a process that
    runs two notebooks at once otherwise does this on the way to both, one waiting for the other's import."""
    registered()
    import nbformat.validator
    from jupyter_client.kernelspec import KernelSpecManager

    with suppress(Exception):  # a kernel not installed is said when a notebook runs, with what to do
        KernelSpecManager().get_kernel_spec(KERNEL)
    nbformat.validator.get_validator(version=4, version_minor=nbformat.v4.nbformat_minor)


@cache
def registered() -> str:
    """Make the engine known to papermill, once a process, and return its name, for ``engine_name=``."""
    import_papermill()
    from papermill.engines import NBClientEngine, NotebookExecutionManager, papermill_engines

    class WrittenAtEnd(NotebookExecutionManager):
        """A run's state whose notebook is written once, when the run is complete (``notebook_complete``
        sets ``end_time`` and saves)."""

        def save(self, **kwargs: Any) -> None:
            if self.end_time is not None:
                super().save(**kwargs)

    class Engine(NBClientEngine):
        @classmethod
        def execute_notebook(cls, nb, kernel_name, output_path=None, progress_bar=True, log_output=False, autosave_cell_every=30, **kwargs):
            """papermill's ``Engine.execute_notebook``, with the run's state kept by :class:`WrittenAtEnd`."""
            manager = WrittenAtEnd(
                nb, output_path=output_path, progress_bar=progress_bar, log_output=log_output, autosave_cell_every=autosave_cell_every
            )
            manager.notebook_start()
            try:
                cls.execute_managed_notebook(manager, kernel_name, log_output=log_output, **kwargs)
            finally:
                manager.cleanup_pbar()
                manager.notebook_complete()
            return manager.nb

    papermill_engines.register(NAME, Engine)
    return NAME
