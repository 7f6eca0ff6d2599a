"""The warm kernels' entry into jupyter_client: a kernel provisioner, its documented extension point.

A provisioner decides how a kernel process is launched (``KernelProvisionerBase.launch_kernel``). This one
asks its command's ``Kernels`` (helpers.notebooks.kernels) to fork the kernel from the warm parent and falls
back to the ordinary launch of ``LocalProvisioner`` where it cannot. The build's kernel manager
(helpers.notebooks.execute) gives each kernel one, with its owner; kernelspecs and jupyter_client's
defaults are untouched, so JupyterLab starts its kernels as always.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from jupyter_client.provisioning import LocalProvisioner

if TYPE_CHECKING:
    from .kernels import Kernels


class WarmProvisioner(LocalProvisioner):
    """A local kernel, forked from its owner's warm parent when that is up."""

    kernels: Kernels | None = None  # set by the kernel manager that makes this provisioner

    async def launch_kernel(self, cmd: list[str], **kwargs: Any):
        connection = getattr(self.parent, "connection_file", "")  # written by pre_launch
        process = self.kernels.fork(connection, kwargs.get("cwd"), kwargs.get("env")) if self.kernels else None
        if process is None:
            return await super().launch_kernel(cmd, **kwargs)
        self.process = process  # type: ignore[assignment]  # Popen's poll, wait, kill and send_signal: all jupyter_client calls
        self.pid, self.pgid = process.pid, None  # not a process group of ours to signal
        self.cwd = kwargs.get("cwd")
        return self.connection_info
