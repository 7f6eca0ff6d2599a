"""One source of truth: the Quarto features the sources use are named once, and the built-in path
handles exactly those, refusing any option it would not honour."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from helpers.data.dataset import load_dataset
from helpers.document.document import compose
from helpers.document.render import BUILTIN_KEYS, check_config, config_keys
from helpers.errors import RenderError
from helpers.model.variables import all_metrics

from ..conftest import DATA

ROOT = Path(__file__).resolve().parents[2]


def readme_keys() -> set[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    listed = text.split("these `_quarto.yml` keys, and no other")[1].split("\n\n")[0]
    return set(re.findall(r"`([a-z][\w.-]*)`", listed))


def test_the_readme_names_exactly_the_keys_the_builtin_path_handles():
    assert readme_keys() == set(BUILTIN_KEYS)


def test_the_project_config_uses_only_keys_both_engines_honour():
    config = yaml.safe_load((ROOT / "_quarto.yml").read_text(encoding="utf-8"))
    check_config(config)
    assert set(config_keys(config)) <= set(BUILTIN_KEYS)


@pytest.mark.parametrize(
    "extra", [{"format": {"html": {"theme": "cosmo"}}}, {"number-sections": True}, {"format": {"html": {"toc-location": "left"}}}]
)
def test_an_option_the_builtin_path_does_not_handle_fails_loudly(extra: dict):
    config = yaml.safe_load((ROOT / "_quarto.yml").read_text(encoding="utf-8"))
    for key, value in extra.items():
        if isinstance(value, dict):
            config.setdefault(key, {}).setdefault("html", {}).update(value["html"])
        else:
            config[key] = value
    with pytest.raises(RenderError, match="内置渲染"):
        check_config(config)


def test_the_generated_document_uses_only_the_shortcodes_and_blocks_the_readme_names():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for office in ("taoyuan", "xinhe"):
        data = load_dataset(DATA, office, 2024)
        qmd = compose(data, all_metrics(data), "0.1.0", "abc")
        for name in set(re.findall(r"\{\{<\s*(\w+)", qmd)):
            assert f"{{{{< {name} " in readme, name
        for block in set(re.findall(r"^::: \{\.([\w-]+)", qmd, re.M)):
            assert f"`.{block}`" in readme, block
        assert "callout" not in qmd
