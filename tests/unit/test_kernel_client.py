"""The kernel client (helpers.notebooks.client): ready once IOPub has carried its kernel_info request's idle
status, not after a fixed fifth of a second of IOPub silence; what comes after is left for nbclient."""

from __future__ import annotations

import asyncio
from queue import Empty
from types import SimpleNamespace

from helpers.notebooks.client import ReadyClient
from helpers.notebooks.execute import _kernel_manager
from helpers.notebooks.kernels import Kernels


class Channel:
    """IOPub as a list of messages; an empty list is a silent channel."""

    def __init__(self, *messages: dict):
        self.messages = list(messages)
        self.waited: list[float] = []

    async def get_msg(self, timeout: float | None = None) -> dict:
        if not self.messages:
            self.waited.append(timeout or 0)
            raise Empty
        return self.messages.pop(0)


def status(state: str, parent: str) -> dict:
    return {"msg_type": "status", "content": {"execution_state": state}, "parent_header": {"msg_id": parent}}


def settled(channel: Channel, request: str = "info-1") -> bool:
    return asyncio.run(ReadyClient._settled(SimpleNamespace(iopub_channel=channel), request))  # type: ignore[arg-type]


def test_ready_at_its_requests_idle_status_leaving_later_messages_unread():
    later = {"msg_type": "stream", "content": {"text": "x"}, "parent_header": {"msg_id": "cell-1"}}
    channel = Channel(status("busy", "info-1"), status("idle", "info-1"), later)
    assert settled(channel) and channel.messages == [later] and channel.waited == []  # no wait for silence


def test_a_stale_idle_status_of_another_request_is_read_past():
    channel = Channel(status("idle", "info-0"), status("busy", "info-1"), status("idle", "info-1"))
    assert settled(channel) and channel.messages == []


def test_a_silent_iopub_means_not_yet_connected_and_the_request_is_made_again():
    channel = Channel()
    assert not settled(channel) and len(channel.waited) == 1


def test_messages_without_the_idle_status_still_show_iopub_connected_once_it_falls_silent():
    channel = Channel(status("busy", "info-1"))
    assert settled(channel) and len(channel.waited) == 1


def test_every_notebook_kernel_is_driven_through_the_ready_client():
    with Kernels() as kernels:
        manager = _kernel_manager(kernels)(kernel_name="python3")
        assert manager.client_factory is ReadyClient


def test_a_kernel_told_to_shut_down_is_looked_at_every_hundredth_of_a_second(monkeypatch):
    """jupyter_client looks every tenth: a tenth of a second at the end of every notebook."""
    from helpers.notebooks import execute

    with Kernels() as kernels:
        manager = _kernel_manager(kernels)(kernel_name="python3")
    alive = iter([True, True, False])
    slept: list[float] = []

    async def is_alive() -> bool:
        return next(alive)

    async def sleep(seconds: float) -> None:
        slept.append(seconds)

    monkeypatch.setattr(manager, "_async_is_alive", is_alive)
    monkeypatch.setattr(asyncio, "sleep", sleep)
    asyncio.run(manager._async_wait())
    assert slept == [execute.KERNEL_POLL] * 2 and execute.KERNEL_POLL <= 0.01


def test_the_clients_sockets_try_a_kernel_not_yet_listening_again_within_a_hundredth_of_a_second():
    """The client connects while its kernel is being forked; ZeroMQ's own interval is a tenth of a second,
    spent on every notebook's start."""
    import zmq

    from helpers.notebooks.client import RECONNECT_MS

    with Kernels() as kernels:
        manager = _kernel_manager(kernels)(kernel_name="python3")
        client = manager.client()
    try:
        assert RECONNECT_MS <= 10
        socket = client.context.socket(zmq.DEALER)
        try:
            assert socket.getsockopt(zmq.RECONNECT_IVL) == RECONNECT_MS
        finally:
            socket.close(linger=0)
    finally:
        client.context.destroy(linger=0)
