"""The built-in path resolves var, meta and embed as Quarto does."""

from __future__ import annotations

import base64
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook, new_output

from helpers.document.shortcodes import Resolver, cell_options
from helpers.errors import RenderError

PNG = base64.b64encode(b"\x89PNG\r\n\x1a\nfake").decode()


@pytest.fixture
def stage(tmp_path: Path) -> Path:
    nb = new_notebook()
    fig = new_code_cell('#| label: fig-a\n#| fig-cap: "调解情况"\n#| fig-alt: "条形图：调解"\nx()')
    fig.outputs = [new_output("display_data", data={"image/png": PNG})]
    tbl = new_code_cell('#| label: tbl-a\n#| tbl-cap: "调解数据"\ny()')
    tbl.outputs = [new_output("execute_result", data={"text/markdown": "| 指标 | 数值 |\n|:--|--:|\n| 调解 | 502宗 |"}, execution_count=1)]
    nb.cells = [fig, tbl]
    (tmp_path / "notebooks").mkdir()
    nbformat.write(nb, tmp_path / "notebooks" / "a.ipynb")
    return tmp_path


def resolver(stage: Path, numbered: bool = True) -> Resolver:
    return Resolver(stage, {"mediation": {"cases": "502宗"}}, {"year": 2024}, number_captions=numbered)


def test_var_and_meta_are_replaced(stage):
    text = "{{< meta year >}}年调解{{< var mediation.cases >}}"
    assert resolver(stage).expand(text) == "2024年调解502宗"


def test_an_embedded_figure_is_written_out_numbered_with_its_alt_text(stage):
    out = resolver(stage).expand("{{< embed notebooks/a.ipynb#fig-a >}}")
    assert out == '![图1　调解情况](figures/fig-a.png){#fig-a alt="条形图：调解"}'
    assert (stage / "figures" / "fig-a.png").read_bytes().startswith(b"\x89PNG")


def test_an_embedded_table_keeps_its_caption_and_label(stage):
    out = resolver(stage, numbered=False).expand("{{< embed notebooks/a.ipynb#tbl-a >}}")
    assert out.endswith(": 调解数据 {#tbl-a}") and "| 调解 | 502宗 |" in out


@pytest.mark.parametrize(
    "text, message",
    [
        ("{{< var nothing >}}", "没有“nothing”"),
        ("{{< embed notebooks/a.ipynb#fig-zzz >}}", "没有标记为 fig-zzz"),
        ("{{< embed notebooks/b.ipynb#fig-a >}}", "笔记本不存在"),
        ("{{< video x.mp4 >}}", "不支持短代码“video”"),
    ],
)
def test_what_cannot_be_resolved_stops_the_render_with_a_reason(stage, text, message):
    with pytest.raises(RenderError, match=message):
        resolver(stage).expand(text)


def test_cell_options_are_read_as_yaml():
    assert cell_options('#| label: fig-x\n#| fig-cap: "图：a"\ncode()') == {"label": "fig-x", "fig-cap": "图：a"}
    assert cell_options("code()") == {}
