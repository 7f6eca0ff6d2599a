"""Turning a staged Quarto project into report.html / report.pdf / report.docx.

Two engines, one source: ``quarto render`` where Quarto 1.7+ is on PATH; otherwise the same
``report.qmd`` and ``_quarto.yml`` through pandoc (HTML, Typst source, Word) and Typst (PDF) —
the two programs Quarto itself drives for these formats.
"""

from __future__ import annotations

import base64
import json
import os
import re
import shutil
import subprocess
import sys
import threading
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import yaml

from ..errors import RenderError
from ..imports import import_beside
from .engine import resolve_engine
from .raster import png_of
from .shortcodes import Resolver, table_caption_numbers
from .wordcopy import settle

SOURCE = "report.qmd"
#: Seconds any one render step may take; a report renders in seconds, so reaching this means a fault.
TIME_LIMIT = 300
#: The format pandoc writes for each of ours (the PDF's Typst source; Typst then makes the PDF).
PANDOC_TARGET = {"html": "html5", "pdf": "typst", "docx": "docx"}
#: Typst runs in a child process so a runaway document can be stopped at the time limit.
#: The PDF is tagged (structure for screen readers, the alt text of charts); where Typst's tagger fails on a
#: layout (an internal error of Typst 0.15 when a figure floats to the next page), the same document is
#: set untagged rather than not at all, and the outcome says so.
_TYPST = """
import json, sys, typst
source, output, root = sys.argv[1:4]
tagged = True
try:
    try:
        _, warnings = typst.compile_with_warnings(source, output=output, root=root)
    except typst.TypstError as exc:
        if "internal error" not in str(exc) or "tags" not in str(exc):
            raise
        tagged = False
        _, warnings = typst.compile_with_warnings(source, output=output, root=root, pdf_tags=False)
except typst.TypstError as exc:
    print(json.dumps({"error": str(exc)})); sys.exit(0)
print(json.dumps({"warnings": [str(w) for w in warnings], "tagged": tagged}))
"""


#: How far a step off the longest path yields (``nice``): on a busy machine the step everyone waits for, a PDF's
#: Typst beside its HTML's pandoc, a comparison beside a site's pages, has the processor first.
BEHIND = 10


def run_step(
    command: list[str],
    what: str,
    cwd: Path | None = None,
    behind: bool = False,
    started: Callable[[], object] | None = None,
    **kw,
) -> subprocess.CompletedProcess:
    """Run one render step with the time limit; a step that overruns or fails is a RenderError. A step
    ``behind`` another that takes longer runs at a lower priority (:data:`BEHIND`), where ``nice`` is.
    ``started`` is told once the step's process runs (:func:`render` waits for that, not for the step)."""
    if behind and shutil.which("nice"):
        command = ["nice", "-n", str(BEHIND), *command]
    with subprocess.Popen(command, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kw) as process:
        if started is not None:
            started()
        try:
            out, err = process.communicate(timeout=TIME_LIMIT)
        except subprocess.TimeoutExpired:
            process.kill()
            process.communicate()
            raise RenderError(f"{what}超过{TIME_LIMIT}秒仍未完成，已停止：请检查是否有极长的段落或表格") from None
        except BaseException:  # Ctrl-C among them: the step stops with the build, as subprocess.run has it
            process.kill()
            raise
    return subprocess.CompletedProcess(command, process.returncode, out, err)


def built_at(timezone: str = "Asia/Shanghai") -> str:
    """The moment of rendering in the office's time zone, as the colophon prints it (2024-12-09 10:30 北京时间)."""
    from zoneinfo import ZoneInfo

    now = datetime.now(ZoneInfo(timezone))
    offset = now.strftime("%z")
    zone = "北京时间" if timezone in ("Asia/Shanghai", "Asia/Chongqing", "Asia/Harbin", "PRC") else f"UTC{offset[:3]}:{offset[3:]}"
    return f"{now:%Y-%m-%d %H:%M} {zone}"


def document_timezone(stage: Path) -> str:
    """The office's time zone, from the front matter of the staged document."""
    match = re.match(r"^---\n(.*?)\n---\n", (stage / SOURCE).read_text(encoding="utf-8"), re.S)
    meta = (yaml.safe_load(match.group(1)) or {}) if match else {}
    return str(meta.get("timezone") or "Asia/Shanghai")


def quarto_env() -> dict[str, str]:
    """Quarto reads the executed notebooks with this project's Python (nbformat, jupyter) unless told
    otherwise; the network is never needed."""
    env = dict(os.environ)
    env.setdefault("QUARTO_PYTHON", sys.executable)
    return env


#: The image a format takes of a chart: the vector form the notebook shows where the format draws SVG (the
#: browser, Typst); in the Word copy a print-resolution PNG (Word and WPS read no SVG of their own), drawn from
#: that SVG (helpers.document.raster) where the notebook gave none.
CHART_FORM = {"html": "image/svg+xml", "pdf": "image/svg+xml", "docx": "image/png"}
IMAGE_FORMS = ("image/svg+xml", "image/png")


def keep_chart_form(stage: Path, fmt: str) -> None:
    """Leave in the staged notebooks only the form of each chart ``fmt`` takes (:data:`CHART_FORM`), so
    Quarto, which renders every format from the same notebooks, embeds that one."""
    wanted = CHART_FORM[fmt]
    for path in sorted((stage / "notebooks").glob("*.ipynb")):
        notebook = json.loads(path.read_text(encoding="utf-8"))
        kept = notebook.setdefault("metadata", {}).setdefault("annual-report-chart-forms", {})
        changed = False
        for n, cell in enumerate(notebook.get("cells", [])):
            for k, output in enumerate(cell.get("outputs", [])):
                data = output.get("data", {})
                key = f"{n}/{k}"
                if key in kept:  # the forms a previous format left out come back first
                    data.update(kept[key])
                    changed = True
                if wanted == "image/png" and "image/png" not in data and "image/svg+xml" in data:
                    svg = data["image/svg+xml"]
                    png = png_of("".join(svg) if isinstance(svg, list) else svg, f"{path.stem}#{key}")
                    data["image/png"] = base64.b64encode(png).decode("ascii")
                    changed = True
                if all(form in data for form in IMAGE_FORMS):
                    kept[key] = {form: data.pop(form) for form in IMAGE_FORMS if form != wanted}
                    changed = True
        if changed:
            path.write_text(json.dumps(notebook, ensure_ascii=False, indent=1), encoding="utf-8")


def render_quarto(stage: Path, formats: list[str]) -> dict[str, Path]:
    results = {}
    for fmt in formats:
        keep_chart_form(stage, fmt)
        to = "typst" if fmt == "pdf" else fmt
        proc = run_step(
            ["quarto", "render", SOURCE, "--to", to, "-M", f"built:{built_at(document_timezone(stage))}"],
            f"quarto render --to {to} ",
            cwd=stage,
            env=quarto_env(),
        )
        if proc.returncode != 0:
            raise RenderError(f"quarto render --to {to} 失败：\n{proc.stderr[-3000:]}")
        results[fmt] = stage / f"report.{fmt}"
    if "docx" in results:
        settle(results["docx"])  # figures and tables as paragraphs, not boxed
    return results


#: Every ``_quarto.yml`` key the built-in path knows, and what it does with it. A key not listed here is
#: refused: silently ignoring an option would make the two engines' documents differ.
BUILTIN_KEYS = {
    "project.type": "one document is rendered (only `default`)",
    "lang": "pandoc's lang (Typst gets lang and region apart)",
    "toc": "pandoc --toc",
    "toc-title": "pandoc's toc-title",
    "toc-depth": "pandoc --toc-depth",
    "print-toc": "metadata the Lua filter reads: contents in the PDF (and Word) copy",
    "crossref.title-delim": "what follows 图1 and 表1 in captions",
    "filters": "pandoc --lua-filter (a path, or `path` with `at`: run after everything else)",
    "format.html.embed-resources": "pandoc --embed-resources",
    "format.html.minimal": "pandoc writes no theme (only `true`)",
    "format.html.css": "pandoc --css",
    "format.html.toc-location": "pandoc writes the contents in the body (only `body`)",
    "format.html.notebook-links": "no notebook is linked (only `false`)",
    "format.html.include-after-body": "pandoc --include-after-body",
    "format.typst.toc": "the Lua filter writes the contents",
    "format.typst.keep-typ": "report.typ is always kept in the stage",
    "format.typst.shift-heading-level-by": "pandoc --shift-heading-level-by",
    "format.typst.papersize": "-V papersize",
    "format.typst.mainfont": "-V mainfont",
    "format.typst.fontsize": "-V fontsize",
    "format.typst.page-numbering": "-V page-numbering",
    "format.typst.margin": "pandoc's margin map (a metadata file)",
    "format.typst.include-in-header": "pandoc --include-in-header",
    "format.docx.toc": "pandoc --toc",
    "format.docx.reference-doc": "pandoc --reference-doc",
    "format.docx.shift-heading-level-by": "pandoc --shift-heading-level-by",
}
#: Keys whose value the built-in path can only honour as given here.
BUILTIN_VALUES = {"project.type": "default", "format.html.minimal": True, "format.html.toc-location": "body", "format.html.notebook-links": False}


def config_keys(config: dict, prefix: str = "") -> dict[str, object]:
    """``_quarto.yml`` as dotted keys (``format.typst.margin`` is one key: its sides are its value)."""
    keys = {}
    for key, value in config.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict) and name not in BUILTIN_KEYS:
            keys.update(config_keys(value, f"{name}."))
        else:
            keys[name] = value
    return keys


def check_config(config: dict) -> None:
    """Refuse, all at once, every option of ``_quarto.yml`` the built-in path would not honour."""
    problems = [f"“{key}”（内置渲染不支持）" for key in config_keys(config) if key not in BUILTIN_KEYS]
    problems += [
        f"“{key}: {value}”（内置渲染只支持 {BUILTIN_VALUES[key]}）"
        for key, value in config_keys(config).items()
        if key in BUILTIN_VALUES and value != BUILTIN_VALUES[key]
    ]
    if problems:
        raise RenderError(
            "_quarto.yml 中有内置渲染路径不能照办的选项："
            + "、".join(problems)
            + "。请安装 Quarto（--engine quarto），或在 helpers/document/render.py 中实现它们"
        )


class BuiltinRenderer:
    """Renders the staged sources with pandoc and Typst, honouring the ``_quarto.yml`` options the project uses."""

    def __init__(self, stage: Path, behind: frozenset[str] = frozenset()):
        self.stage = stage.resolve()
        self.config = yaml.safe_load((stage / "_quarto.yml").read_text(encoding="utf-8")) or {}
        check_config(self.config)
        text = (stage / SOURCE).read_text(encoding="utf-8")
        match = re.match(r"^---\n(.*?)\n---\n", text, re.S)
        self.meta = yaml.safe_load(match.group(1)) if match else {}
        self.meta["built"] = built_at(str(self.meta.get("timezone") or "Asia/Shanghai"))
        self.body = text[match.end() :] if match else text
        variables = stage / "_variables.yml"
        self.variables = yaml.safe_load(variables.read_text(encoding="utf-8")) if variables.is_file() else {}
        self._expanded: set[Path] = set()
        self.behind = behind  # the formats rendered behind a longer render (run_step)
        self.launched = {fmt: threading.Event() for fmt in PANDOC_TARGET}  # each format's first process runs

    def run(self, fmt: str) -> Path:
        """Render ``fmt``; its :attr:`launched` is set once its first process runs, or once it has failed."""
        try:
            return getattr(self, fmt)()
        finally:
            self.launched[fmt].set()

    def under_way(self, formats: list[str]) -> None:
        """Wait until each of ``formats`` runs a process of its own (or has ended)."""
        for fmt in formats:
            self.launched[fmt].wait()

    def _format(self, name: str) -> dict:
        return (self.config.get("format") or {}).get(name) or {}

    def _common(self) -> dict:
        """Document-wide options: project-level keys, overridden by the document's front matter."""
        keys = ("lang", "toc", "toc-title", "toc-depth", "print-toc")
        merged = {k: self.config[k] for k in keys if k in self.config}
        merged.update({k: v for k, v in self.meta.items() if k in keys})
        return merged

    def _markdown(self, numbered: bool) -> Path:
        """The document with shortcodes resolved; numbered captions (图1) for HTML and Word, Typst numbers its own."""
        path = self.stage / ("report.numbered.md" if numbered else "report.md")
        if path in self._expanded:
            return path
        delimiter = str((self.config.get("crossref") or {}).get("title-delim", "　"))
        resolver = Resolver(self.stage, self.variables, self.meta, number_captions=numbered, delimiter=delimiter)
        body = resolver.expand(self.body)
        if numbered:
            body = table_caption_numbers(body, resolver.tables, delimiter)
        path.write_text("---\n" + yaml.safe_dump(self.meta, allow_unicode=True) + "---\n\n" + body, encoding="utf-8")
        self._expanded.add(path)
        return path

    def _pandoc(self, source: Path, fmt: str, output: Path, options: dict, extra: list[str]) -> None:
        import pypandoc

        to = PANDOC_TARGET[fmt]
        args = ["--standalone", "--quiet", "--resource-path", str(self.stage), "--from", "markdown", "--to", to, "--output", str(output)]
        for filt in self.config.get("filters", []) or []:  # a path, or {path, at}: pandoc runs it last either way
            args += ["--lua-filter", str(self.stage / (filt["path"] if isinstance(filt, dict) else filt))]
        common = {**self._common(), **options}
        if common.get("toc"):
            args += ["--toc", f"--toc-depth={common.get('toc-depth', 3)}"]
        for key in ("lang", "toc-title"):
            if key in common:
                args += ["-M", f"{key}={common[key]}"]
        if common.get("print-toc"):
            args += ["-M", "print-toc=true"]
        proc = run_step(
            [pypandoc.get_pandoc_path(), *args, *extra, str(source)],
            f"pandoc 转换为 {to} ",
            cwd=self.stage,
            behind=fmt in self.behind,
            started=self.launched[fmt].set,
        )
        if proc.returncode != 0:
            raise RenderError(f"pandoc 转换为 {to} 失败：{proc.stderr.strip()[-2000:]}")

    def html(self) -> Path:
        opts = self._format("html")
        extra = ["--embed-resources"] if opts.get("embed-resources") else []
        for css in _as_list(opts.get("css")):
            extra += ["--css", str(self.stage / css)]
        for after in _as_list(opts.get("include-after-body")):
            extra += ["--include-after-body", str(self.stage / after)]
        output = self.stage / "report.html"
        self._pandoc(self._markdown(numbered=True), "html", output, opts, extra)
        return output

    def docx(self) -> Path:
        opts = self._format("docx")
        extra = [f"--reference-doc={self.stage / opts['reference-doc']}"] if opts.get("reference-doc") else []
        if opts.get("shift-heading-level-by"):
            extra.append(f"--shift-heading-level-by={opts['shift-heading-level-by']}")
        output = self.stage / "report.docx"
        draw_pictures(self.stage / "figures")
        self._pandoc(self._markdown(numbered=True), "docx", output, opts, extra)
        settle(output)
        return output

    def pdf(self) -> Path:
        opts = self._format("typst")
        extra = []
        for key in ("papersize", "mainfont", "fontsize", "page-numbering"):
            if key in opts:
                extra += ["-V", f"{key}={opts[key]}"]
        if opts.get("margin"):  # a map: -V cannot give one, a metadata file can
            margins = self.stage / "report.typst-margin.yml"
            margins.write_text(yaml.safe_dump({"margin": dict(opts["margin"])}), encoding="utf-8")
            extra += ["--metadata-file", str(margins)]
        if opts.get("shift-heading-level-by"):
            extra.append(f"--shift-heading-level-by={opts['shift-heading-level-by']}")
        for header in _as_list(opts.get("include-in-header")):
            extra += ["--include-in-header", str(self.stage / header)]
        language, _, region = str(self._common().get("lang", "")).partition("-")
        if region:  # Typst wants lang and region apart: zh + CN
            extra += ["-V", f"region={region}"]
        source = self.stage / "report.typ"
        self._pandoc(self._markdown(numbered=False), "pdf", source, {**opts, "lang": language}, extra)
        output = self.stage / "report.pdf"
        proc = run_step([sys.executable, "-c", _TYPST, str(source), str(output), str(self.stage)], "Typst 排版 ")
        try:
            outcome = json.loads(proc.stdout.strip().splitlines()[-1])
        except (ValueError, IndexError):
            raise RenderError(f"Typst 编译失败：{proc.stderr.strip()[-2000:]}") from None
        if "error" in outcome:
            raise RenderError(f"Typst 编译失败：{outcome['error']}")
        fonts = [w for w in outcome["warnings"] if "font" in w.lower()]
        if fonts:
            raise RenderError("Typst 缺少字体：" + "；".join(str(w) for w in fonts))
        return output


def draw_pictures(figures: Path) -> None:
    """A PNG beside each chart's SVG that has none, for the Word copy (report/filters/blocks.lua takes it)."""
    for svg in sorted(figures.glob("*.svg")):
        png = svg.with_suffix(".png")
        if not png.is_file():
            png.write_bytes(png_of(svg.read_text(encoding="utf-8"), svg.stem))


def _as_list(value) -> list:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def render(stage: Path, formats: list[str], engine: str = "auto", meanwhile: Callable[[], object] | None = None) -> dict[str, Path]:
    """Render ``formats`` (html, pdf, docx) from the staged project; ``engine`` is auto, quarto or builtin.
    ``meanwhile`` is work of the caller's done once the renders are under way, while this process only
    waits for them: before, it would hold the interpreter while the sources they read are written."""
    if resolve_engine(engine) == "quarto":
        if meanwhile is not None:
            import_beside(meanwhile)
        return render_quarto(stage, formats)  # one at a time: Quarto's renders share the project's work folders
    from concurrent.futures import ThreadPoolExecutor

    # the HTML is pandoc alone, the PDF pandoc and then Typst: where both render, the PDF is the one waited for
    renderer = BuiltinRenderer(stage, behind=frozenset({"html"}) if "pdf" in formats else frozenset())
    for numbered in {fmt != "pdf" for fmt in formats}:  # the sources first, so no two renders write one
        renderer._markdown(numbered)
    with ThreadPoolExecutor(max_workers=len(formats) or 1) as pool:  # pandoc and Typst are processes of their own
        done = {fmt: pool.submit(renderer.run, fmt) for fmt in formats}
        if meanwhile is not None:
            renderer.under_way(formats)  # not before: the threads starting them would wait for this one
            meanwhile()
    return {fmt: future.result() for fmt, future in done.items()}
