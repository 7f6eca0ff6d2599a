"""Running section notebooks with papermill, each with the office-year's parameters."""

from __future__ import annotations

import logging
import subprocess
import sys
import tempfile
import uuid
from dataclasses import dataclass
from pathlib import Path

from ..errors import ExecutionError
from .engine import KERNEL, KERNEL_OPTIONS, import_papermill, registered
from .kernels import Kernels

KERNEL_POLL = 0.01  # seconds between looks at whether a kernel told to shut down has exited
_SOCKET_DIR = Path(tempfile.gettempdir()) / "annual-report-kernels"


def _kernel_manager(kernels: Kernels):
    """Kernels talk over local sockets (IPC), not TCP: nothing to listen on, nothing to warn about; each is
    launched by a warm provisioner (helpers.notebooks.provisioner) of ``kernels``, which also learns of every
    kernel alive, through jupyter_client's public interfaces only."""
    from jupyter_client.manager import AsyncKernelManager

    from .provisioner import WarmProvisioner

    class IPCKernelManager(AsyncKernelManager):
        def __init__(self, **kwargs):
            kwargs.setdefault("transport", "ipc")
            kwargs.setdefault("client_class", "helpers.notebooks.client.ReadyClient")  # ready when the kernel is
            _SOCKET_DIR.mkdir(exist_ok=True)
            kwargs.setdefault("ip", str(_SOCKET_DIR / f"kernel-{uuid.uuid4().hex}"))
            super().__init__(**kwargs)

        async def start_kernel(self, **kw):
            """Kernels run side by side; their own log lines (start, shutdown) would interleave on the
            terminal, so they are dropped: a cell's error still reaches papermill, and from it the user."""
            kw.setdefault("stderr", subprocess.DEVNULL)
            kw.setdefault("stdout", subprocess.DEVNULL)
            if self.provisioner is None:
                self.kernel_id = self.kernel_id or str(uuid.uuid4())
                provisioner = WarmProvisioner(kernel_id=self.kernel_id, kernel_spec=self.kernel_spec, parent=self)
                provisioner.kernels = kernels
                self.provisioner = provisioner
            await super().start_kernel(**kw)
            process = getattr(self.provisioner, "process", None)
            if process is not None:
                kernels.started(process)
                self._tracked = process

        async def _async_wait(self, pollinterval: float = 0.1) -> None:
            """A kernel told to shut down exits within milliseconds: look every hundredth of a second whether
            it has, not every tenth (jupyter_client's figure, a tenth of a second on every notebook's end)."""
            await super()._async_wait(pollinterval=min(pollinterval, KERNEL_POLL))

        async def shutdown_kernel(self, *args, **kw):
            try:
                return await super().shutdown_kernel(*args, **kw)
            finally:
                kernels.ended(getattr(self, "_tracked", None))

        def format_kernel_cmd(self, extra_arguments=None):
            """Run the kernel on this interpreter, not whatever ``python`` is first on PATH."""
            cmd = super().format_kernel_cmd(extra_arguments)
            if cmd and cmd[0] in ("python", "python3"):
                cmd[0] = sys.executable
            return cmd

    return IPCKernelManager


@dataclass(frozen=True)
class NotebookRun:
    """One papermill run: which notebook, where its executed copy goes, and its parameters."""

    source: Path
    output: Path
    parameters: dict


def execute(run: NotebookRun, kernels: Kernels) -> Path:
    """Execute ``run.source`` into ``run.output`` in a kernel of ``kernels``; raise ExecutionError naming the
    failing cell's error."""
    papermill = import_papermill()

    logging.getLogger("papermill").setLevel(logging.CRITICAL)  # failures reach the user as ExecutionError
    run.output.parent.mkdir(parents=True, exist_ok=True)
    try:
        papermill.execute_notebook(
            str(run.source),
            str(run.output),
            parameters=run.parameters,
            kernel_name=KERNEL,
            extra_arguments=list(KERNEL_OPTIONS),  # a kernel started the ordinary way (a forked one: forkserver)
            progress_bar=False,
            log_output=False,  # no cwd: papermill would chdir the whole process, under every thread
            kernel_manager_class=_kernel_manager(kernels),
            shutdown_kernel="immediate",  # the notebook is saved by then; a graceful shutdown only waits
            engine_name=registered(),  # the executed notebook written when the run ends, not after every cell
        )
    except papermill.PapermillExecutionError as exc:
        raise ExecutionError(run.output, f"{exc.ename}: {exc.evalue}", exc.exec_count, run.parameters) from None
    except Exception as exc:  # a kernel that would not start, a notebook that is not JSON …
        raise ExecutionError(run.output, f"{type(exc).__name__}: {exc}", None, run.parameters) from None
    return run.output
