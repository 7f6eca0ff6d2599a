"""The Quarto shortcodes the report uses (var, meta, embed), resolved for the built-in rendering path.

Quarto resolves these itself; where it is not installed this module does the same, so both paths
read the same ``report.qmd``.
"""

from __future__ import annotations

import base64
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ..data.markup import SHORTCODE
from ..errors import RenderError
from ..model.variables import lookup

CELL_OPTION = re.compile(r"^#\|\s*(?P<key>[\w-]+)\s*:\s*(?P<value>.*)$")


def cell_options(source: str) -> dict:
    """The ``#| key: value`` lines at the top of a cell, read as YAML like Quarto does."""
    lines = []
    for line in source.splitlines():
        if not line.startswith("#|"):
            break
        lines.append(line[2:].strip())
    return yaml.safe_load("\n".join(lines)) or {} if lines else {}


@dataclass
class Resolver:
    """Resolves shortcodes in one document; counts figures and tables to number them (图1, 表1)."""

    stage: Path
    variables: dict
    meta: dict
    number_captions: bool
    delimiter: str = "　"  # between 图1 and the caption
    figures: int = 0
    tables: int = 0
    _notebooks: dict = field(default_factory=dict)

    def expand(self, text: str) -> str:
        return SHORTCODE.sub(self._one, text)

    def _one(self, match: re.Match) -> str:
        name, arg = match["name"], match["arg"].strip()
        if name == "var":
            value = lookup(self.variables, arg)
            if value is None:
                raise RenderError(f"_variables.yml 中没有“{arg}”")
            return value
        if name == "meta":
            if arg not in self.meta:
                raise RenderError(f"文档元数据中没有“{arg}”")
            return str(self.meta[arg])
        if name == "embed":
            return self._embed(arg)
        raise RenderError(f"内置渲染不支持短代码“{name}”（支持 var、meta、embed）")

    def _cell(self, notebook: str, label: str):
        if notebook not in self._notebooks:
            path = self.stage / notebook
            if not path.is_file():
                raise RenderError(f"embed 引用的笔记本不存在：{notebook}")
            self._notebooks[notebook] = json.loads(path.read_text(encoding="utf-8"))  # nbformat 4 is plain JSON
        for cell in self._notebooks[notebook]["cells"]:
            if cell["cell_type"] == "code":
                source = cell["source"]
                options = cell_options("".join(source) if isinstance(source, list) else source)
                if options.get("label") == label:
                    return cell, options
        raise RenderError(f"{notebook} 中没有标记为 {label} 的单元格")

    def _embed(self, arg: str) -> str:
        notebook, _, label = arg.partition("#")
        cell, options = self._cell(notebook, label)
        for output in cell.get("outputs", []):
            data = {mime: "".join(v) if isinstance(v, list) else v for mime, v in output.get("data", {}).items()}
            if "image/svg+xml" in data or "image/png" in data:
                return self._figure(label, options, data.get("image/png"), data.get("image/svg+xml"))
            if "text/markdown" in data:
                return self._table(label, options, data["text/markdown"])
        raise RenderError(f"{notebook}#{label} 没有可嵌入的输出（图片或 Markdown 表格）：笔记本是否已执行？")

    def _figure(self, label: str, options: dict, png_base64: str | None, svg: str | None = None) -> str:
        """The chart's image: its SVG where the notebook gave one (the Word copy takes a PNG beside it,
        report/filters/blocks.lua: the notebook's, or one drawn from the SVG), else its PNG."""
        self.figures += 1
        path = self.stage / "figures" / f"{label}.png"
        path.parent.mkdir(parents=True, exist_ok=True)
        if png_base64:
            path.write_bytes(base64.b64decode(png_base64))
        if svg:
            path = path.with_suffix(".svg")
            path.write_text(svg, encoding="utf-8")
        caption = options.get("fig-cap", "")
        if self.number_captions:
            caption = f"图{self.figures}{self.delimiter}{caption}"
        alt = str(options.get("fig-alt", caption)).replace('"', "'")
        return f'![{caption}](figures/{path.name}){{#{label} alt="{alt}"}}'

    def _table(self, label: str, options: dict, markdown: str) -> str:
        markdown = markdown.strip()
        if not markdown.startswith("|"):
            return markdown
        self.tables += 1
        caption = options.get("tbl-cap", "")
        if self.number_captions:
            caption = f"表{self.tables}{self.delimiter}{caption}"
        return f"{markdown}\n\n: {caption} {{#{label}}}"


def table_caption_numbers(text: str, start: int, delimiter: str = "　") -> str:
    """Number the captions of tables written directly in the document (the appendix), after the embedded ones."""
    counter = iter(range(start + 1, start + 1000))
    return re.sub(r"^: (?!表\d)", lambda m: f": 表{next(counter)}{delimiter}", text, flags=re.M)
