"""Prose and data cells are text and nothing else: no markup reaches a renderer, nothing outside is read."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pypandoc
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpers.data.markup import check_prose, inert_prose, literal
from helpers.document.shortcodes import Resolver

from ..conftest import replace_in


def pandoc_html(markdown: str) -> str:
    proc = subprocess.run(
        [pypandoc.get_pandoc_path(), "--from", "markdown", "--to", "html"], input=markdown, capture_output=True, text=True, check=True, timeout=60
    )
    return proc.stdout


def ast(markdown: str) -> str:
    proc = subprocess.run(
        [pypandoc.get_pandoc_path(), "--from", "markdown", "--to", "json"], input=markdown, capture_output=True, text=True, check=True, timeout=60
    )
    return proc.stdout


@pytest.mark.parametrize(
    "text",
    [
        "{{< embed notebooks/s1-study.ipynb#tbl-s1 >}}",
        "据 @某某 统计",
        "<script>alert(1)</script>",
        "[x](javascript:alert(1))",
        "![x](/etc/passwd)",
        "`x`{=html}",
        "*强调* _下划线_ $x$",
    ],
)
def test_a_data_cell_is_read_as_exactly_its_characters(text: str):
    html = pandoc_html(f"| a |\n|---|\n| {literal(text)} |\n")
    tree = json.loads(ast(literal(text)))
    kinds = {node["t"] for block in tree["blocks"] for node in block.get("c", []) if isinstance(node, dict)}
    assert kinds <= {"Str", "Space"}, kinds  # no link, image, citation, raw code, emphasis or math
    assert "<script" not in html and "<img" not in html and "href" not in html


def test_a_shortcode_in_a_data_cell_is_not_expanded(tmp_path: Path):
    text = literal("{{< embed notebooks/s1-study.ipynb#tbl-s1 >}}")
    assert Resolver(tmp_path, {}, {}, number_captions=True).expand(text) == text


def test_angle_brackets_and_at_signs_in_prose_are_text():
    prose = "学习《中共广州市南沙区委全面依法治区委员会<2024年工作要点>》，据 @某某 统计，{{< var mediation.cases >}}。"
    problems, bindings, _ = check_prose(prose, "s1.md")
    assert problems == [] and [(b.name, b.arg) for b in bindings] == [("var", "mediation.cases")]
    html = pandoc_html(inert_prose(prose))
    assert "&lt;2024年工作要点&gt;" in html and "@某某" in html and "{{&lt; var mediation.cases &gt;}}" in html  # left for the renderer
    assert "cite" not in html


@pytest.mark.parametrize("prose", ["$![a](/etc/passwd)$", "$[a](javascript:x)$"])
def test_a_link_or_image_inside_dollar_signs_is_judged_as_it_will_be_composed(prose: str):
    """'$' is made text when prose is composed, so what it would have hidden as math is checked as Markdown."""
    problems, _, _ = check_prose(prose, "s1.md")
    assert problems and all(p.row == 1 for p in problems)


def link_targets(node) -> list[str]:
    if isinstance(node, list):
        return [url for item in node for url in link_targets(item)]
    if not isinstance(node, dict):
        return []
    own = [node["c"][2][0]] if node.get("t") == "Link" else []
    return own + link_targets(node.get("c")) + link_targets(node.get("blocks"))


DANGEROUS = st.sampled_from(
    [
        "<img src=x onerror=alert(1)>",
        "<img\nsrc=x>",
        "<script>",
        "</div>",
        "<!-- x -->",
        "[a](javascript:x)",
        "![a](/etc/passwd)",
        "![a](file:///etc/passwd)",
        "![a](http://127.0.0.1/x.png)",
        "![a](../../x.png)",
        '```{=typst}\n#read("/etc/passwd")\n```',
        "`x`{=html}",
        "\\input{/etc/passwd}",
        "\n---\ntitle: x\n---\n",
        "{{< embed a.ipynb#b >}}",
        "{{< var\nx >}}",
        '[x]{onclick="y"}',
        "@cite",
        "<中共>",
        "% title\n",
        "{{< var mediation.cases >}}",
        "[链接](https://example.org)",
        "**粗体**",
        "\n\n- 列表\n",
    ]
)
PROSE = st.lists(st.one_of(DANGEROUS, st.text(alphabet="法治街道2024年，。<>[]()!{}@`$\\-\n *_#:=\"'/", max_size=12)), max_size=8).map("".join)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(PROSE)
def test_no_prose_ever_raises_reads_outside_or_reaches_the_network(prose: str):
    """Whatever is typed: problems or clean prose, never a traceback; and clean prose is inert."""
    problems, _, images = check_prose(prose, "s1.md")
    assert all(p.file == "s1.md" and p.row >= 1 for p in problems)
    if problems:
        return
    assert images == []  # no folder given: no image can have passed
    html = pandoc_html(inert_prose(prose)).lower()
    assert not re.search(r"<(script|img|iframe|object|embed|svg)\b", html)
    assert not re.search(r"\son[a-z]+\s*=", html) and not re.search(r'(href|src)="\s*(javascript|file|data):', html)
    tree = ast(inert_prose(prose))
    for node in ('"RawBlock"', '"RawInline"', '"Cite"', '"Image"', '"Math"'):
        assert node not in tree
    assert all(url.startswith(("http://", "https://", "#")) for url in link_targets(json.loads(tree)))
    assert '"meta":{}' in tree.replace(" ", "")


def test_a_table_download_never_carries_a_live_formula(data_copy):
    """A source cell typed as a formula reaches the CSV download as text (a leading apostrophe)."""
    import base64
    import csv
    import io
    import re

    from helpers.data.dataset import load_dataset
    from helpers.document.document import compose
    from helpers.model.variables import all_metrics

    replace_in(
        data_copy / "taoyuan" / "2024" / "values.csv",
        "safety.drills,22,,,桃源街道办2024年法治政府建设年度报告,",
        'safety.drills,22,,,"=HYPERLINK(""http://x"")",',
    )
    data = load_dataset(data_copy, "taoyuan", 2024)
    qmd = compose(data, all_metrics(data))
    found = []
    for encoded in re.findall(r'href="data:text/csv;charset=utf-8;base64,([^"]+)"', qmd):
        text = base64.b64decode(encoded).decode("utf-8-sig")
        found += [row["source"] for row in csv.DictReader(io.StringIO(text)) if "HYPERLINK" in row.get("source", "")]
    assert found and all(cell.startswith("'=") for cell in found)
