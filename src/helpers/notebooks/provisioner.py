"""The warm kernels' entry into jupyter_client: a kernel provisioner, its documented extension point.

A provisioner decides how a kernel process is launched (``KernelProvisionerBase.launch_kernel``). This one
asks the warm parent (helpers.notebooks.kernels) to fork the kernel and falls back to the ordinary launch of
``LocalProvisioner`` where it cannot. It is registered under ``jupyter_client.kernel_provisioners`` in
``pyproject.toml`` and chosen, for the build's process only, through ``KernelProvisionerFactory``'s
configurable ``default_provisioner_name``: kernelspecs are untouched, so JupyterLab starts its kernels
as always.
"""

from __future__ import annotations

from typing import Any

from jupyter_client.provisioning import LocalProvisioner

#: The entry-point name in pyproject.toml.
NAME = "annual-report-warm"


class WarmProvisioner(LocalProvisioner):
    """A local kernel, forked from the warm parent when it is up."""

    async def launch_kernel(self, cmd: list[str], **kwargs: Any):
        from .kernels import COLD_REASONS, SERVER, ForkedProcess

        try:
            connection = getattr(self.parent, "connection_file", "")  # written by pre_launch
            pid = SERVER.fork(connection, kwargs.get("cwd"), kwargs.get("env"))
        except OSError:
            COLD_REASONS.add(SERVER.failure or "预热进程不可用")
            return await super().launch_kernel(cmd, **kwargs)
        self.process = ForkedProcess(pid)  # type: ignore[assignment]  # Popen's poll, wait, kill and send_signal: all jupyter_client calls
        self.pid, self.pgid = pid, None  # not a process group of ours to signal
        self.cwd = kwargs.get("cwd")
        return self.connection_info


def use_warm_kernels() -> None:
    """Make every kernel this process starts go through WarmProvisioner."""
    from jupyter_client.provisioning.factory import KernelProvisionerFactory

    KernelProvisionerFactory.instance().default_provisioner_name = NAME
