"""``_variables.yml``: the figures the notebooks wrote, keyed so ``{{< var mediation.cases >}}`` finds them."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import yaml

from ..data.dataset import Dataset
from ..data.narrative import placeholder
from .section import METRIC_COLUMNS, SectionModel


def all_metrics(data: Dataset) -> pd.DataFrame:
    """Every section's figures as one table, in the outline's order: what the variables and the appendix
    are made from, computed by the build itself."""
    frames = [SectionModel.of(data, s).metrics for s in data.outline.sections]
    frames = [f for f in frames if not f.empty]
    return pd.concat(frames, ignore_index=True).astype(str) if frames else pd.DataFrame(columns=METRIC_COLUMNS)


def all_metrics_empty() -> pd.DataFrame:
    """No figures: a comparison binds none in prose."""
    return pd.DataFrame(columns=METRIC_COLUMNS)


def _put(tree: dict, key: str, value: str) -> None:
    *parents, leaf = key.split(".")
    node = tree
    for part in parents:
        node = node.setdefault(part, {})
    node[leaf] = value


def build_variables(metrics: pd.DataFrame, pending: dict[str, str] | None = None) -> dict:
    """Nested mapping: ``mediation.cases`` → 502宗, ``period.mediation.cases`` → 截至10月,
    ``prev.mediation.cases`` → last year's figure, ``yoy.mediation.cases`` → 较上年增加22宗、增长4.6%."""
    tree: dict = {}
    for indicator, name_zh in (pending or {}).items():  # bound in a draft's prose, no value yet
        mark = placeholder(name_zh)
        for key, value in ((indicator, mark), (f"period.{indicator}", ""), (f"prev.{indicator}", mark), (f"yoy.{indicator}", mark)):
            _put(tree, key, value)
    for row in metrics.itertuples(index=False):
        _put(tree, row.indicator, row.text)
        _put(tree, f"period.{row.indicator}", row.period_text)
        _put(tree, f"prev.{row.indicator}", row.prev_text)
        _put(tree, f"yoy.{row.indicator}", row.yoy)
    return tree


def lookup(tree: dict, key: str) -> str | None:
    """The value at a dotted key, or None: what Quarto's var shortcode does."""
    node = tree
    for part in key.split("."):
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return None if isinstance(node, dict) else str(node)


def write_variables(metrics: pd.DataFrame, path: Path, pending: dict[str, str] | None = None) -> None:
    tree = build_variables(metrics, pending)
    path.write_text(yaml.safe_dump(tree, allow_unicode=True, sort_keys=False), encoding="utf-8")
