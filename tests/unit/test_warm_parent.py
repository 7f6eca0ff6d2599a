"""The warm kernels' parent's protocol (helpers.notebooks.kernels.ForkServer), over pipes standing in for it:
each preload names the kept datasets' folder, preloads are queued while a caller waits for the parent to be
ready, and a refused request leaves it serving."""

from __future__ import annotations

import json
import os
import threading
import time

import pytest

from helpers.data.kept import KEPT, keep_in, kept_folder
from helpers.notebooks.kernels import ForkServer


class _Written:
    def __init__(self) -> None:
        self.lines: list[str] = []

    def write(self, text: str) -> None:
        self.lines.append(text)

    def flush(self) -> None:
        pass

    def close(self) -> None:
        pass

    def requests(self) -> list[dict]:
        return [json.loads(line) for line in "".join(self.lines).splitlines()]


class _Parent:
    """A warm parent that answers what the test writes to ``answer``."""

    pid = 1

    def __init__(self) -> None:
        self.stdin = _Written()
        read, self._write = os.pipe()
        self.stdout = os.fdopen(read, "r")

    def answer(self, *lines: dict) -> None:
        os.write(self._write, "".join(json.dumps(line) + "\n" for line in lines).encode())

    def kill(self) -> None:
        pass

    def wait(self, timeout: float | None = None) -> int:
        return 0


@pytest.fixture
def parent(monkeypatch: pytest.MonkeyPatch) -> tuple[ForkServer, _Parent]:
    server, process = ForkServer(), _Parent()
    monkeypatch.setattr(server, "_process", process)
    return server, process


def test_the_warm_parent_is_told_the_kept_folder_with_each_preload(parent, tmp_path, monkeypatch):
    server, process = parent
    monkeypatch.delenv(KEPT, raising=False)  # restored after the test: keep_in sets it for the process
    keep_in(tmp_path / "build")
    server.preload(tmp_path / "data", "office", 2024)
    assert process.stdin.requests() == [{"preload": {"data_dir": str(tmp_path / "data"), "office": "office", "year": 2024, "kept": kept_folder()}}]


def test_preloads_are_queued_while_a_caller_waits_for_the_parent_to_be_ready(parent, tmp_path):
    server, process = parent
    asked: list[int] = []
    waiting = threading.Thread(target=lambda: asked.append(server.job("trend-charts", {"charts": []})))
    waiting.start()
    time.sleep(0.2)  # the job's caller now waits for the parent's first answer
    started = time.monotonic()
    server.preload(tmp_path, "office", 2024)
    assert time.monotonic() - started < 0.5 and waiting.is_alive()
    process.answer({"ready": True})
    time.sleep(0.2)  # each answer comes after its request, as the parent gives them
    process.answer({"pid": 42})
    waiting.join(5)
    assert asked == [42]
    assert [next(iter(r)) for r in process.stdin.requests()] == ["preload", "job"]


def test_a_refused_request_is_an_error_of_its_own_and_the_parent_serves_on(parent):
    server, process = parent
    process.answer({"ready": True})
    threading.Timer(0.2, process.answer, [{"error": "未知的任务：x"}]).start()
    with pytest.raises(OSError, match="未知的任务"):
        server.job("x", {})
    assert server.failure == "" and server.pid == 1
    threading.Timer(0.2, process.answer, [{"pid": 7}]).start()
    assert server.job("trend-charts", {}) == 7


def test_a_parent_stopped_on_purpose_while_a_child_is_asked_for_is_started_again_not_given_up(parent, monkeypatch):
    """``rest`` stops the parent when no notebook is due; a job asked for just then (a site's trend charts, on
    their own thread) starts it again, as a request made after the stop would, and later kernels stay warm."""
    server, _ = parent
    fresh = _Parent()
    monkeypatch.setattr(server, "start", lambda: server._process or setattr(server, "_process", fresh))
    real, stopped = server._await_ready, []

    def stopped_meanwhile() -> None:
        if not stopped:
            stopped.append(True)
            server.stop()  # between the request's start and its wait for the parent
        real()

    monkeypatch.setattr(server, "_await_ready", stopped_meanwhile)
    fresh.answer({"ready": True})
    threading.Timer(0.2, fresh.answer, [{"pid": 9}]).start()
    assert server.job("trend-charts", {}) == 9
    assert server.failure == "" and stopped == [True]
