"""The preview's server against a real socket on 127.0.0.1: it answers only its own host names, drops
idle connections, bounds its threads under a flood, and stops on Ctrl-C within seconds of one."""

from __future__ import annotations

import http.client
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from helpers.serve.preview import IDLE_SECONDS, MAX_CONNECTIONS, STOP_SECONDS, State, host_allowed, open_server, stop_serving


@pytest.fixture
def server():
    served = open_server(State(), 0)
    thread = threading.Thread(target=served.serve_forever, daemon=True)
    thread.start()
    yield served
    served.shutdown()
    served.server_close()


def get(port: int, host: str) -> int:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request("GET", "/", headers={"Host": host})
    status = connection.getresponse().status
    connection.close()
    return status


def test_only_its_own_host_names_are_answered(server):
    port = server.server_address[1]
    assert get(port, f"127.0.0.1:{port}") == 200 and get(port, f"localhost:{port}") == 200
    assert get(port, f"evil.example:{port}") == 421  # DNS rebinding: another site's name pointed at 127.0.0.1
    assert get(port, "127.0.0.1:1") == 421
    assert not host_allowed(None, port) and not host_allowed("127.0.0.1.evil.example", port)


def test_an_idle_connection_is_dropped(server):
    idle = socket.create_connection(server.server_address, timeout=IDLE_SECONDS + 10)
    start = time.monotonic()
    assert idle.recv(1) == b""  # the server closed it
    assert time.monotonic() - start < IDLE_SECONDS + 5
    idle.close()


def test_a_flood_of_unfinished_connections_is_bounded_in_threads(server):
    before = threading.active_count()
    flood = [socket.create_connection(server.server_address) for _ in range(200)]
    for held in flood:
        held.send(b"GET / HTTP/1.1\r\n")  # never finished
    time.sleep(1)
    assert threading.active_count() - before <= MAX_CONNECTIONS
    for held in flood:
        held.close()
    time.sleep(IDLE_SECONDS + 1)  # the held slots time out and free themselves
    port = server.server_address[1]
    assert get(port, f"127.0.0.1:{port}") == 200


def test_stopping_a_server_whose_loop_never_answers_returns_in_bounded_time():
    served = open_server(State(), 0)  # its loop never runs: shutdown() alone would wait for ever
    stuck = threading.Thread(target=threading.Event().wait, daemon=True)
    stuck.start()
    start = time.monotonic()
    stop_serving(served, stuck)
    assert time.monotonic() - start < STOP_SECONDS + 1
    served.server_close()


SERVE = """
import faulthandler, signal, sys
faulthandler.register(signal.SIGUSR1, all_threads=True)  # where each thread is, asked for if it does not stop
# Ctrl-C as a terminal delivers it: neither ignored nor blocked, whatever the test worker that started this
# process had set for itself (a child inherits both; one run saw the preview never get its SIGINT)
signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
signal.signal(signal.SIGINT, signal.default_int_handler)
from pathlib import Path
from helpers.publish.build import BuildRequest
from helpers.serve.preview import Preview

class Quiet(Preview):
    def rebuild(self):  # the server and its loop as they are, with no build behind them
        self.state.finish(None, [])

work = Path(sys.argv[1])
Quiet(BuildRequest("office", 2024, work / "data", work / "out", work / "_build", ("html",), "builtin"), 0,
      say=lambda text: print(text, flush=True)).serve()
"""


def test_ctrl_c_stops_the_preview_within_seconds_after_a_flood(tmp_path: Path):
    (tmp_path / "data").mkdir()
    errors = (tmp_path / "stderr.txt").open("w")
    process = subprocess.Popen([sys.executable, "-c", SERVE, str(tmp_path)], stdout=subprocess.PIPE, stderr=errors, text=True)
    try:
        line = process.stdout.readline()
        port = int(line.split("127.0.0.1:")[1].split("/")[0])
        flood = [socket.create_connection(("127.0.0.1", port)) for _ in range(200)]
        for held in flood:
            held.send(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        time.sleep(0.5)
        start = time.monotonic()
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.send_signal(signal.SIGUSR1)
            time.sleep(1)
            pytest.fail("the preview did not stop within 30 s of Ctrl-C; its threads:\n" + (tmp_path / "stderr.txt").read_text())
        # far below the flood's connections timing out one after another (200 × IDLE_SECONDS), with room for a
        # machine whose other core is busy building: one CI run under that load took 6.1 s
        assert time.monotonic() - start < 10
    finally:
        process.kill()
        process.wait()
        errors.close()
