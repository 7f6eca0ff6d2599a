"""Warm kernels: each notebook's kernel is forked from one process that has already imported what the
notebooks use (``helpers.notebooks.forkserver``), so it starts in a few hundredths of a second instead of paying
a second and a half of interpreter start and imports, ten times over.

Each kernel serves one notebook and exits, so nothing one notebook sets reaches another; papermill still
drives every notebook, so the executed copies are what it always writes. Where forking is unavailable
(no ``os.fork``, the parent failed to start or died), kernels start the ordinary way and the build says so.

One ``Kernels`` object owns all of this for one command (a build, a batch, a site, a preview): the warm
parent, the kernels alive now and why any started cold. It is a context manager, so every kernel and the
parent stop on every way out, Ctrl-C included; nothing of it is held by a module.
"""

from __future__ import annotations

import contextlib
import json
import os
import select
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from ..data.kept import kept_folder
from ..imports import import_beside
from .engine import prepare_papermill

#: Seconds the parent may take to import everything before the build gives up on it (a cold disk is slow).
READY_TIMEOUT = 60
JOB_TIMEOUT = 120  # seconds a job in a warm child may take before it is stopped and its work done here
DISABLE_ENV = "ANNUAL_REPORT_COLD_KERNELS"  # set to 1 to start every kernel the ordinary way


class ForkedProcess:
    """A forked kernel seen as a ``subprocess.Popen``, which jupyter_client's provisioner expects. It is the
    fork server's child, not ours, so it is watched through /proc rather than waited for."""

    stdin = stdout = stderr = None

    def __init__(self, pid: int):
        self.pid = pid
        self.returncode: int | None = None

    def poll(self) -> int | None:
        if self.returncode is None and not _running(self.pid):
            self.returncode = 0
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        deadline = None if timeout is None else time.monotonic() + timeout
        while self.poll() is None:
            if deadline is not None and time.monotonic() > deadline:
                raise subprocess.TimeoutExpired(str(self.pid), timeout or 0)
            time.sleep(0.02)
        return self.returncode or 0

    def send_signal(self, signum: int) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, signum)

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)


def _running(pid: int) -> bool:
    if Path("/proc").is_dir():
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except (OSError, IndexError):
            return False
        return state not in ("Z", "X")  # a zombie has exited: the fork server reaps it
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass
    return True


class _Stopped(Exception):
    """The warm parent was gone when a child was asked of it: stopped on purpose (no failure, the argument is
    empty) or after a failure (its reason)."""


class ForkServer:
    """The one warm parent of this process's kernels, started early so its imports overlap other work."""

    def __init__(self) -> None:
        self._process: subprocess.Popen | None = None
        self._lock = threading.Lock()  # one request written and its answer read at a time
        self._ready_lock = threading.Lock()  # one caller waits for the parent's first answer
        self._ready = False
        self.failure = ""  # why warm kernels are not in use, once they are not

    @property
    def pid(self) -> int | None:
        """The warm parent's process id, while it is up: every warm kernel's parent."""
        return self._process.pid if self._process is not None else None

    def start(self) -> None:
        if self._process is not None or self.failure:
            return
        if not hasattr(os, "fork") or os.environ.get(DISABLE_ENV) == "1":
            self.failure = "本系统不支持 fork" if not hasattr(os, "fork") else f"{DISABLE_ENV}=1"
            return
        src = str(Path(__file__).resolve().parents[2])
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [src, os.environ.get("PYTHONPATH", "")]))}
        self._process = subprocess.Popen(
            [sys.executable, "-m", "helpers.notebooks.forkserver"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            env=env,
            start_new_session=True,
        )  # Ctrl-C reaches the build, which stops it

    def _answer(self, timeout: float) -> dict:
        assert self._process is not None and self._process.stdout is not None
        ready, _, _ = select.select([self._process.stdout], [], [], timeout)
        line = self._process.stdout.readline() if ready else ""
        if not line:
            raise OSError("预热进程没有应答" if ready else f"预热进程 {timeout:.0f} 秒内未就绪")
        return json.loads(line)

    def fork(self, connection_file: str, cwd: str | None, env: dict | None) -> int:
        """A new kernel serving ``connection_file``; OSError where the warm parent cannot give one."""
        return self._child({"connection_file": connection_file, "cwd": cwd, "env": env})

    def job(self, name: str, args: dict) -> int:
        """A child running the job ``name`` (helpers.notebooks.forkserver.JOBS); OSError where the warm parent
        cannot give one."""
        return self._child({"job": name, "args": args})

    def _child(self, request: dict) -> int:
        """Ask for a child once the parent is ready. The wait for it holds no lock that a preload needs, so the
        office-years a comparison reads are queued meanwhile. A parent stopped on purpose meanwhile (``rest``)
        is started again, as it would be for a request made after the stop; only a parent that failed is given up."""
        for attempt in (1, 2):
            with self._lock:
                self.start()
                if self._process is None:
                    raise OSError(self.failure)
            try:
                self._await_ready()
                with self._lock:
                    if self._process is None or self._process.stdin is None:
                        raise _Stopped(self.failure)
                    self._process.stdin.write(json.dumps(request) + "\n")
                    self._process.stdin.flush()
                    answer = self._answer(30)
                    pid = None if "error" in answer else int(answer["pid"])
            except _Stopped as stopped:
                if stopped.args[0] or attempt == 2:
                    raise OSError(stopped.args[0] or "预热进程已停止") from None
                continue
            except (OSError, ValueError, KeyError) as exc:
                with self._lock:
                    self.failure = str(exc) or type(exc).__name__
                    self._stop()
                raise OSError(self.failure) from None
            if pid is None:
                raise OSError(answer["error"])  # a request refused (an unknown job): the parent serves on
            return pid
        raise AssertionError("unreachable")

    def _await_ready(self) -> None:
        with self._ready_lock:
            if self._ready:
                return
            if self._process is None:
                raise _Stopped(self.failure)
            answer = self._answer(READY_TIMEOUT)
            if not answer.get("ready"):
                raise OSError(answer.get("error", "预热进程未就绪"))
            self._ready = True

    def preload(self, data_dir: Path, office: str, year: int) -> None:
        """Have the warm parent load an office-year's data before it forks the kernels that read it."""
        with self._lock:
            self.start()
            if self._process is None or self._process.stdin is None:
                return
            try:
                request = {"preload": {"data_dir": str(data_dir), "office": office, "year": year, "kept": kept_folder()}}
                self._process.stdin.write(json.dumps(request) + "\n")
                self._process.stdin.flush()
            except OSError:
                pass  # the next fork finds the parent gone and says so

    def _stop(self) -> None:
        process, self._process = self._process, None
        if process is None:
            return
        with contextlib.suppress(OSError):
            if process.stdin:
                process.stdin.close()
        with contextlib.suppress(OSError, ProcessLookupError):
            process.kill()
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=5)

    def stop(self) -> None:
        with self._ready_lock, self._lock:  # not while a caller waits for the parent to be ready
            self._stop()
            self._ready = False


class Kernels:
    """The kernels of one command: the warm parent they are forked from (started when a step needs a kernel,
    ahead of it so its imports overlap other work), the kernels alive now, and why any was started cold."""

    def __init__(self) -> None:
        self.server = ForkServer()
        self._live: set = set()
        self._lock = threading.Lock()
        self._cold: set[str] = set()

    def __enter__(self) -> Kernels:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def warm_up(self) -> None:
        """Start the warm parent now (it imports while the command does other work); harmless to call twice."""
        with contextlib.suppress(OSError):
            self.server.start()

    def expect(self) -> None:
        """A notebook is coming: the warm parent starts importing what kernels use, and this process prepares
        papermill beside the caller's work (helpers.notebooks.engine.prepare_papermill), so neither is waited
        for when the notebook is due."""
        self.warm_up()
        import_beside(prepare_papermill)

    def preload(self, data_dir: Path, office: str, year: int) -> None:
        """Have the warm parent load an office-year's data once, before it forks the kernels that read it."""
        self.server.preload(data_dir, office, year)

    def rest(self) -> None:
        """No kernel is needed now: the warm parent stops and its processor goes to the render."""
        self.server.stop()

    def fork(self, connection_file: str, cwd: str | None, env: dict | None) -> ForkedProcess | None:
        """A kernel forked from the warm parent, or None (and the reason kept) where it cannot give one."""
        try:
            return ForkedProcess(self.server.fork(connection_file, cwd, env))
        except OSError:
            self._cold.add(self.server.failure or "预热进程不可用")
            return None

    def run_job(self, name: str, args: dict, timeout: float = JOB_TIMEOUT) -> bool:
        """Run the job ``name`` in a child of the warm parent (which has imported what it needs) and wait for
        it to end; False where no child could be had or it overran (then it is stopped). The job's work is
        found where it leaves it: the caller checks, and does what is missing itself."""
        try:
            child = ForkedProcess(self.server.job(name, args))
        except OSError:
            return False
        self.started(child)
        try:
            child.wait(timeout)
            return True
        except subprocess.TimeoutExpired:
            child.kill()
            return False
        finally:
            self.ended(child)

    def started(self, process: object) -> None:
        with self._lock:
            self._live.add(process)

    def ended(self, process: object) -> None:
        with self._lock:
            self._live.discard(process)

    @property
    def alive(self) -> int:
        """How many kernels are running now."""
        with self._lock:
            return len(self._live)

    def cold_reasons(self) -> list[str]:
        """Why kernels were started the ordinary way since last asked, to be said once."""
        with self._lock:
            reasons, self._cold = sorted(self._cold), set()
        return reasons

    def kill(self) -> int:
        """Kill every kernel started and not shut down; return how many."""
        with self._lock:
            processes, self._live = list(self._live), set()
        for process in processes:
            with contextlib.suppress(OSError, ProcessLookupError):
                process.kill()
        return len(processes)

    def close(self) -> None:
        """Stop every kernel and the warm parent."""
        self.kill()
        self.server.stop()
