"""The one real build the end-to-end tests share: the 2024 report, every format, the built-in renderer."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from ..conftest import DATA


def build_args(
    office: str, year: int = 2024, *, data: object = "data", out: object = "out", formats: str = "html,pdf,docx", engine: str = "builtin"
) -> list[str]:
    """The command line's arguments for building one office-year, as the tests give them."""
    return ["build", "--office", office, "--year", str(year), "--data-dir", str(data), "--out", str(out), "--formats", formats, "--engine", engine]


def annual_report(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    """Run the command line; every PDF and Word copy a build, a comparison or a site made passes preflight, and
    no HTML it made asks for anything from the network."""
    exe = Path(sys.executable).with_name("annual-report")
    result = subprocess.run([str(exe), *args], cwd=cwd, capture_output=True, text=True)
    if result.returncode == 0 and args and args[0] in ("build", "compare", "site"):
        out = Path(args[args.index("--out") + 1]) if "--out" in args else Path("_output")
        assert_preflight_clean(sorted(p for p in (cwd / out).rglob("*") if p.suffix in (".pdf", ".docx")))
        assert_no_remote(sorted((cwd / out).rglob("*.html")))
    return result


#: What makes a browser fetch from the network as a page loads: a script, stylesheet, image, frame, font or
#: import from an http(s) or protocol-relative address (a link a reader may follow is not one of them).
REMOTE = re.compile(
    r"<(?:script|link|img|iframe|source|video|audio|embed|object|track)\b[^>]*?\s(?:src|href|data|srcset)\s*="
    r"\s*[\"']?\s*(?:https?:)?//|url\(\s*[\"']?\s*(?:https?:)?//|@import\s+[\"']?(?:url\()?\s*[\"']?(?:https?:)?//",
    re.I,
)


def assert_no_remote(paths: list[Path]) -> None:
    """No HTML file asks for a remote resource as it loads (government PCs are often offline)."""
    for path in paths:
        text = path.read_text(encoding="utf-8", errors="replace")
        found = REMOTE.search(text)
        assert found is None, f"{path}: {text[found.start() : found.start() + 160]}"


_PREFLIGHT_CLEAN: set[str] = set()


def _vouched(path: Path, digest: str) -> bool:
    """Whether the build that published ``path`` ran preflight on these very bytes and found nothing: its
    manifest lists the file with this digest and no preflight note (a build records every finding there, and
    refuses a final report that has one). Laying a Word copy out again would only repeat that run."""
    manifest = path.parent / "manifest.json"
    if not manifest.is_file():
        return False
    record = json.loads(manifest.read_text(encoding="utf-8"))
    return record.get("files", {}).get(path.name) == digest and not (record.get("notes") or {}).get("preflight")


def assert_preflight_clean(paths: list[Path]) -> None:
    """helpers.document.preflight finds nothing on these documents (each distinct file is checked once a
    session, by the build that made it where its manifest vouches for the bytes)."""
    from helpers.document.preflight import check

    for path in paths:
        if path.suffix not in (".pdf", ".docx"):
            continue
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        if digest in _PREFLIGHT_CLEAN or _vouched(path, digest):
            _PREFLIGHT_CLEAN.add(digest)
            continue
        findings = check([path])
        assert not findings, f"{path}:\n" + "\n".join(str(f) for f in findings)
        _PREFLIGHT_CLEAN.add(digest)


def fingerprint(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="session")
def data_before_build() -> dict[str, str]:
    return fingerprint(DATA)


def engines() -> list[str]:
    """The built-in engine always; Quarto too where 1.7+ is on PATH (CI puts it there)."""
    from helpers.document.engine import quarto_version

    return ["builtin"] + (["quarto"] if quarto_version() else [])


ENGINES = engines()


_BUILDS: dict[str, Path] = {}


def build_with(engine: str, tmp_path_factory) -> Path:
    """The 2024 report in every format, built once per engine (per session) from a scratch copy of the fixtures."""
    if engine not in _BUILDS:
        work = tmp_path_factory.mktemp(f"build-{engine}")
        shutil.copytree(DATA, work / "data")
        result = annual_report(*build_args("taoyuan", engine=engine), cwd=work)
        assert result.returncode == 0, result.stderr
        assert ("Quarto" if engine == "quarto" else "内置") in result.stdout
        _BUILDS[engine] = work / "out" / "taoyuan" / "2024"
    return _BUILDS[engine]


@pytest.fixture(scope="session", params=ENGINES)
def built(request, tmp_path_factory, data_before_build) -> Path:
    return build_with(request.param, tmp_path_factory)


@pytest.fixture(scope="session")
def builds(tmp_path_factory, data_before_build) -> dict[str, Path]:
    """Every engine's build, for tests that set them side by side."""
    return {engine: build_with(engine, tmp_path_factory) for engine in ENGINES}


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

if CHROMIUM is None and os.environ.get("CI"):
    raise RuntimeError("CI must run the browser tests: Chromium is missing (tools/system-packages.sh --for-tests installs it)")


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium, driven by Playwright (no browser is downloaded), for the tests of one module."""
    if CHROMIUM is None:
        pytest.skip("Chromium is not installed: apt-get install chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
        yield browser
        browser.close()


AXE = Path(__file__).parent / "axe" / "node_modules" / "axe-core" / "axe.min.js"
#: The rules of GB/T 37668-2019 as WCAG 2.1 A and AA state them, and axe's best practices (landmarks).
AXE_RULES = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]


def axe_violations(page) -> list[str]:
    """What axe-core finds on the open page: one line per rule broken, with the first element it names."""
    if not AXE.is_file():
        if os.environ.get("CI"):
            raise RuntimeError("axe-core is missing: make test installs it (npm ci --prefix tests/e2e/axe)")
        pytest.skip("axe-core is not installed: npm ci --prefix tests/e2e/axe")
    page.add_script_tag(path=str(AXE))
    found = page.evaluate("rules => axe.run(document, {runOnly: rules}).then(r => r.violations)", AXE_RULES)
    return [f"{v['id']} ({v['impact']}, {len(v['nodes'])}×): {v['help']} — {v['nodes'][0]['html'][:120]}" for v in found]
