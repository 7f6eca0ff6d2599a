"""The client a notebook's kernel is driven through: jupyter_client's, ready as soon as its kernel is.

Its sockets connect to a kernel that is not listening yet (the kernel is forked as they connect): each
tries again every :data:`RECONNECT_MS` rather than ZeroMQ's tenth of a second.

jupyter_client's ``wait_for_ready``, once the kernel has answered ``kernel_info`` and IOPub has shown itself
connected, reads IOPub until it has been silent for 0.2 s: a fixed fifth of a second on every notebook's
start (seven a report, one a comparison), spent waiting for messages that are only the status of that
``kernel_info`` request. This client reads IOPub up to that request's idle status and goes on. Nothing else
changes: the request is repeated until the kernel answers, a dead kernel or the timeout is said as
jupyter_client says it, and nbclient matches every later message to its cell by the request it answers.
"""

from __future__ import annotations

import time
from queue import Empty
from typing import Any

import zmq
import zmq.asyncio
from jupyter_client.asynchronous import AsyncKernelClient
from traitlets import default

#: How long IOPub may take to carry the ``kernel_info`` request's first status before the request is made
#: again (jupyter_client's own figure: a subscriber that joined late misses what was sent before).
IOPUB_WAIT = 0.2


#: How soon (ms) a socket tries again to reach a kernel that is not yet listening (ZeroMQ's default: 100).
RECONNECT_MS = 10


class ReadyClient(AsyncKernelClient):
    @default("context")
    def _context_default(self) -> zmq.asyncio.Context:
        """jupyter_client's own context, its sockets set to try again every :data:`RECONNECT_MS`."""
        context = super()._context_default()
        context.setsockopt(zmq.RECONNECT_IVL, RECONNECT_MS)
        return context

    async def wait_for_ready(self, timeout: float | None = None) -> None:
        deadline = time.monotonic() + (float("inf") if timeout is None else timeout)
        while True:
            request = self.kernel_info()
            try:
                reply = await self.shell_channel.get_msg(timeout=1)
            except Empty:
                reply = None
            if reply is not None and reply["msg_type"] == "kernel_info_reply" and await self._settled(request):
                self._handle_kernel_info_reply(reply)
                return
            if not await self.is_alive():
                raise RuntimeError("Kernel died before replying to kernel_info")
            if time.monotonic() > deadline:
                raise RuntimeError(f"Kernel didn't respond in {timeout:.0f} seconds")

    async def _settled(self, request: str) -> bool:
        """Read IOPub up to the idle status of ``request``: True once it comes, or once anything came and IOPub
        then fell silent; False where nothing came (IOPub not yet connected: ask again)."""
        came = False
        while True:
            try:
                message: dict[str, Any] = await self.iopub_channel.get_msg(timeout=IOPUB_WAIT)
            except Empty:
                return came
            came = True
            idle = message["msg_type"] == "status" and message["content"].get("execution_state") == "idle"
            if idle and message["parent_header"].get("msg_id") == request:
                return True
