"""The parent of warm kernels: a process that imports what the notebooks use once, then forks a kernel
for each notebook on request (``helpers.notebooks.kernels`` starts it and asks). Run as ``python -m helpers.notebooks.forkserver``.

Each request is a line of JSON on stdin, ``{"connection_file", "cwd", "env"}``; the answer is a line
``{"pid": …}``. A line ``{"preload": {"data_dir", "office", "year", "kept"}}`` loads that office-year's data
once, before the kernels that read it are forked (no answer), from the asking command's kept datasets where it
has them. A line ``{"job": NAME, "args": {…}}`` forks a child that runs one of :data:`JOBS` and exits
(answer ``{"pid": …}``): work that wants these imports but no notebook, such as a site's trend charts.

A kernel child becomes an ipykernel exactly as ``python -m ipykernel_launcher -f FILE`` would, with the imports
already in memory (copy-on-write), and serves one notebook. The parent keeps no state a child could pass on: it
runs no user code, and every child starts from the same clean image.
"""

from __future__ import annotations

import json
import os
import signal
import sys

from helpers.notebooks.engine import KERNEL_OPTIONS

#: Imported before any fork: the kernel machinery and what every section notebook imports.
PRELOAD = (
    "ipykernel.kernelapp",
    "ipykernel.ipkernel",
    "ipykernel.zmqshell",
    "ipykernel.debugger",  # without debugpy (ABSENT)
    "IPython",
    "numpy",
    "pandas",
    "matplotlib",
    "matplotlib.figure",
    "matplotlib.backends.backend_agg",
    "helpers.model.sectionview",
    "helpers.model.scorecard",
    "helpers.model.district",
    "helpers.model.charts",
    # what each kernel would otherwise import as it starts (its shell's debugger, completer, inspector and
    # %store magic; its event loop) and as a section notebook runs: imported once here, not in every kernel
    "IPython.core.debugger",
    "IPython.core.completerlib",
    "IPython.core.oinspect",
    "IPython.core.logger",
    "IPython.extensions.storemagic",
    "IPython.utils.wildcard",
    "tornado.platform.asyncio",
    "faulthandler",
    "importlib.readers",
    "zmq.utils.garbage",
    "pandas.io.formats.html",
    "helpers.model.chartstore",
    "helpers.data.selection",
)


#: Never imported by the parent, so by none of its kernels: debugpy (and pydevd, some 40 ms of the parent's
#: start), which ipykernel imports inside ``try`` for the debugger of an interactive front end. A notebook the
#: build runs has no front end to attach one; without it the kernel says it has no debugger and runs the same.
ABSENT = ("debugpy",)


#: What a job request may run in a forked child, by name (module, function): the parent runs nothing else.
JOBS = {"trend-charts": ("helpers.model.charts", "write_trend_charts")}


def _reap(signum, frame) -> None:
    """Collect finished kernels, so none lingers as a zombie."""
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


def _leave_parent() -> None:
    """A forked child's own session, signals and standard streams."""
    os.setsid()  # a session of its own, as jupyter_client starts every kernel: the scheduler's share is its own
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    devnull = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):  # never the parent's pipes: its answers go there
        os.dup2(devnull, fd)


def _run_job(request: dict) -> None:
    _leave_parent()
    import importlib

    module, name = JOBS[request["job"]]
    getattr(importlib.import_module(module), name)(**request.get("args", {}))


def _become_kernel(request: dict) -> None:
    _leave_parent()
    os.chdir(request.get("cwd") or os.getcwd())
    if request.get("env"):
        os.environ.clear()
        os.environ.update(request["env"])
    from ipykernel.kernelapp import IPKernelApp

    app = IPKernelApp.instance()
    app.initialize(["-f", request["connection_file"], *KERNEL_OPTIONS])
    app.start()


def serve() -> None:
    # behind the build itself: the parent and its kernels yield the processor to the process that waits for them
    os.nice(5)
    # the backend a kernel sets for itself, set before matplotlib is imported here and inherited
    os.environ.setdefault("MPLBACKEND", "module://matplotlib_inline.backend_inline")
    for name in ABSENT:
        sys.modules.setdefault(name, None)  # type: ignore[arg-type]
    import importlib

    for name in PRELOAD:
        try:
            importlib.import_module(name)
        except ImportError:
            continue  # a module a notebook does not need here: it imports it itself
    try:  # the charts' faces, matplotlib's font list and a first chart drawn, once for every kernel
        from helpers.model.charts import warm_up

        warm_up()
    except Exception:  # a kernel finds them itself, and says what is wrong
        pass
    answers = sys.stdout
    import threading

    if threading.active_count() > 1:  # forking a process with threads could copy a held lock: refuse
        answers.write(json.dumps({"error": "预加载的模块启动了线程"}) + "\n")
        answers.flush()
        return
    signal.signal(signal.SIGCHLD, _reap)
    answers.write(json.dumps({"ready": True}) + "\n")
    answers.flush()
    for line in sys.stdin:
        request = json.loads(line)
        if "preload" in request:  # an office-year every kernel will read: loaded once, here
            try:
                from helpers.data.dataset import preload

                preload(**request["preload"])
            except Exception:  # the kernels load it themselves, and report its problems
                pass
            continue
        if "job" in request and request["job"] not in JOBS:
            answers.write(json.dumps({"error": f"未知的任务：{request['job']}"}) + "\n")
            answers.flush()
            continue
        pid = os.fork()
        if pid == 0:
            try:
                _run_job(request) if "job" in request else _become_kernel(request)
            finally:
                os._exit(0)
        answers.write(json.dumps({"pid": pid}) + "\n")
        answers.flush()


if __name__ == "__main__":
    serve()
