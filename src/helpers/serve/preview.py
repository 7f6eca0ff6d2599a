"""``annual-report preview``: the report in a browser, rebuilt and reloaded each time a source is saved.

It builds the office-year's HTML into ``_build/preview/`` (never the published ``_output/``), serves it on
127.0.0.1, watches the office's data, the catalog, the notebooks and the report sources, and rebuilds
in this process on every save: the imports stay loaded, the warm kernels' parent stays up, and the
caches make a prose edit a render and a changed value one section's notebook. The page asks the server
for the build's version a few times a second and reloads (keeping its scroll position) when it changes.
Invalid input shows its located problems in the page, with the last good report one click away; nothing
a source contains stops the preview. Ctrl-C stops it and every kernel it started.
"""

from __future__ import annotations

import html
import http.server
import json
import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..data.record import Record
from ..errors import InputError, ReportError
from ..notebooks.kernels import Kernels
from ..publish.build import BuildRequest, build
from ..publish.plan import project_sources, recorded
from ..publish.request import plan_of

POLL_SECONDS = 0.1  # how often the sources' modification times are read
SETTLE_SECONDS = 0.05  # a save that writes a file in steps is one change
STOP_SECONDS = 2  # on Ctrl-C the server is given this long to finish its loop; the process ends regardless
VERSION_PATH = "/__preview/version"
LAST_GOOD_PATH = "/__preview/last-good"
RELOAD = """<script>
(function () {
  var seen = null, key = "annual-report-preview-scroll";
  var saved = sessionStorage.getItem(key);
  if (saved !== null) { window.scrollTo(0, +saved); sessionStorage.removeItem(key); }
  function poll() {
    fetch("VERSION_PATH", {cache: "no-store"}).then(function (r) { return r.json(); }).then(function (d) {
      if (seen === null) { seen = d.version; }
      else if (d.version !== seen) { sessionStorage.setItem(key, String(window.scrollY)); location.reload(); return; }
      setTimeout(poll, 150);
    }).catch(function () { setTimeout(poll, 1000); });
  }
  poll();
})();
</script>""".replace("VERSION_PATH", VERSION_PATH)


@dataclass
class State:
    """What the server shows: the current build's version and outcome, and the last good report."""

    version: int = 0
    report: Path | None = None  # the last good report.html
    problems: list[str] = field(default_factory=list)  # why the latest build failed; empty when it did not
    lock: threading.Lock = field(default_factory=threading.Lock)

    def finish(self, report: Path | None, problems: list[str]) -> None:
        with self.lock:
            if report is not None:
                self.report = report
            self.problems = problems
            self.version += 1


def with_reload(page: str) -> str:
    """The page with the script that reloads it when the build's version changes."""
    return page.replace("</body>", RELOAD + "\n</body>", 1) if "</body>" in page else page + RELOAD


def problems_page(problems: list[str], has_report: bool) -> str:
    items = "\n".join(f"<li><code>{html.escape(p)}</code></li>" for p in problems)
    link = f'<p><a href="{LAST_GOOD_PATH}">查看上次成功生成的报告</a></p>' if has_report else ""
    return (
        '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>报告未能生成</title>'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        "<style>body{font-family:sans-serif;max-width:46rem;margin:2rem auto;padding:0 1rem;line-height:1.6}"
        "h1{color:#8a1c1c;font-size:1.3rem}code{white-space:pre-wrap;word-break:break-all}li{margin:.4rem 0}</style>"
        f"</head><body><h1>报告未能生成：{len(problems)} 处问题</h1><p>改正后保存，本页会自动刷新。</p>"
        f"<ul>{items}</ul>{link}</body></html>"
    )


#: The only names the preview answers to: a page elsewhere that points its own name at 127.0.0.1 (DNS
#: rebinding) is refused, so it cannot read the unpublished draft.
HOSTS = ("127.0.0.1", "localhost")
IDLE_SECONDS = 5  # a connection that sends nothing (or too slowly) for this long is dropped
MAX_CONNECTIONS = 16  # served at once; more are closed at once rather than given a thread each


def host_allowed(header: str | None, port: int) -> bool:
    """Whether a request's ``Host:`` names this server: 127.0.0.1 or localhost, with its port or none."""
    if not header:
        return False
    name, colon, given = header.strip().lower().rpartition(":")
    if not colon:
        name, given = given, ""
    return name in HOSTS and given in ("", str(port))


class Handler(http.server.BaseHTTPRequestHandler):
    state: State
    timeout = IDLE_SECONDS  # set on each connection's socket: an idle or slow client is dropped

    def log_message(self, *args) -> None:  # the terminal shows builds, not requests
        pass

    def _send(self, body: bytes, content_type: str, status: int = 200) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Cache-Control", "no-store")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        port = self.server.server_port if isinstance(self.server, http.server.HTTPServer) else 0
        if not host_allowed(self.headers.get("Host"), port):
            self._send("只接受 127.0.0.1 或 localhost 的访问".encode(), "text/plain; charset=utf-8", 421)
            return
        state = self.state
        with state.lock:
            version, report, problems = state.version, state.report, list(state.problems)
        if self.path.startswith(VERSION_PATH):
            self._send(json.dumps({"version": version, "ok": not problems}).encode(), "application/json")
        elif self.path in ("/", "/index.html", "/report.html") or self.path.startswith(LAST_GOOD_PATH):
            if problems and not self.path.startswith(LAST_GOOD_PATH):
                page = problems_page(problems, report is not None)
            elif report is not None and report.is_file():
                page = report.read_text(encoding="utf-8")
            else:
                page = '<!DOCTYPE html><html><head><meta charset="utf-8"></head><body><p>正在生成……</p></body></html>'
            self._send(with_reload(page).encode("utf-8"), "text/html; charset=utf-8")
        else:
            self._send(b"not found", "text/plain", 404)


class Server(http.server.ThreadingHTTPServer):
    """The preview's HTTP server: a bounded number of connections, each with a timeout, and threads that
    never keep the process alive after Ctrl-C."""

    daemon_threads = True
    block_on_close = False
    request_queue_size = 128  # connections waiting to be taken (the default 5 makes a busy browser's retry wait seconds)

    def __init__(self, address, handler):
        super().__init__(address, handler)
        self.slots = threading.BoundedSemaphore(MAX_CONNECTIONS)

    def process_request(self, request, client_address) -> None:
        if not self.slots.acquire(blocking=False):
            self.shutdown_request(request)  # full: the connection is closed, no thread is started
            return
        try:
            super().process_request(request, client_address)
        except BaseException:
            self.slots.release()
            raise

    def process_request_thread(self, request, client_address) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            self.slots.release()


def open_server(state: State, port: int) -> Server:
    """The server of one preview's state, on 127.0.0.1 (port 0: any free one)."""
    return Server(("127.0.0.1", port), type("PreviewHandler", (Handler,), {"state": state}))


@dataclass
class Preview:
    """The watch–rebuild loop of one office-year, and the server that shows its result."""

    request: BuildRequest
    port: int = 8765
    state: State = field(default_factory=State)
    say: Callable[[str], None] = print
    read: list[Path] = field(default_factory=list)  # the last build's record, as paths

    def watched(self) -> list[Path]:
        """What the last build read (its record: files, folders, files looked for and absent) and the report
        sources: rebuilt when any of them is saved. Before a first build, the office's folder and the catalog."""
        r = self.request
        read = self.read or [r.data_dir / r.office, *sorted(r.data_dir.glob("*.csv"))]
        return read + project_sources(r.project_root)

    def snapshot(self) -> dict[Path, tuple[int, int]]:
        found = {}
        for path in self.watched():
            try:
                stat = path.stat()
            except OSError:
                continue
            found[path] = (stat.st_mtime_ns, stat.st_size)
        return found

    def rebuild(self) -> None:
        """Build once; record the report or the problems. Nothing raised here stops the preview."""
        start = time.perf_counter()
        try:
            todo = plan_of(self.request)  # a save that leaves every input as the shown report read it is answered by it
            made = todo.manifest["files"] if todo.manifest else build(self.request, todo).files
            files = [self.request.target / name for name in made]
            entries = recorded(self.request.target).get("record") or {}
            self.read = Record(self.request.data_dir.resolve(), entries).paths()
            self.state.finish(next(p for p in files if p.suffix == ".html"), [])
            done = "已是最新" if todo.manifest else "已更新"
            self.say(f"{done}（{time.perf_counter() - start:.1f} 秒）：http://127.0.0.1:{self.port}/")
        except InputError as exc:
            self.read = exc.read or self.read
            self.state.finish(None, [str(p) for p in exc.problems])
            self.say(f"数据有 {len(exc.problems)} 处问题，页面中已列出；改正后保存即可")
        except ReportError as exc:
            self.state.finish(None, [str(exc)])
            self.say(f"未能生成：{exc}")
        except Exception as exc:  # a fault of this program: shown, logged, and the preview goes on
            self.state.finish(None, [f"内部错误 {type(exc).__name__}：{exc}", traceback.format_exc()])
            self.say(f"内部错误 {type(exc).__name__}：{exc}")

    def serve(self, ready: threading.Event | None = None, stop: threading.Event | None = None) -> None:
        """Serve and rebuild on every save until ``stop`` (or Ctrl-C); the kernels and their warm parent are kept
        from one save to the next and stopped when the preview ends."""
        with self.request.kernels or Kernels() as kernels:
            self.request = replace(self.request, kernels=kernels)
            self._serve(ready, stop)

    def _serve(self, ready: threading.Event | None, stop: threading.Event | None) -> None:
        server = open_server(self.state, self.port)
        self.port = server.server_address[1]
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        stop = stop or threading.Event()
        try:
            self.rebuild()
            seen = self.snapshot()  # over what that build read
            self.say(f"预览：http://127.0.0.1:{self.port}/（保存数据或正文后自动刷新；Ctrl-C 结束）")
            if ready is not None:
                ready.set()
            while not stop.wait(POLL_SECONDS):
                now = self.snapshot()
                if now != seen:
                    time.sleep(SETTLE_SECONDS)
                    self.rebuild()
                    seen = self.snapshot()  # over what this build read: the watch follows the record
        finally:
            stop_serving(server, thread)


def stop_serving(server: Server, thread: threading.Thread) -> None:
    """Ask the server's loop to end and wait for it a bounded time: ``shutdown()`` alone waits without
    limit, and a Ctrl-C must end the preview even when the machine is too busy to let the loop answer. A loop
    still running then keeps its socket until the process ends."""
    threading.Thread(target=server.shutdown, daemon=True).start()
    thread.join(STOP_SECONDS)
    if not thread.is_alive():
        server.server_close()
