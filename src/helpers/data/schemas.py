"""The data contract as pandera schemas, and the bridge from pandera's failures to located problems.

Each schema is built at its first use (a cached function), and pandera imported then: importing the data layer
imports no pandera, so a kernels' warm parent and a process that takes every dataset from the kept ones
(helpers.data.kept) never pay for it; a process that validates does, once."""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

import pandas as pd

from ..errors import Problem
from ..imports import absent

if TYPE_CHECKING:
    import pandera.pandas as pa

ID_PATTERN = r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$"
KINDS = ("count", "amount", "rate", "score", "average", "rank", "honour")
POLARITIES = ("up", "down", "neutral")


def text_column(*checks: pa.Check, required: bool = True, optional_column: bool = False) -> pa.Column:
    """A text column; ``required`` means no empty cell, ``optional_column`` that the column may be absent."""
    import pandera.pandas as pa

    base = [pa.Check.str_length(min_value=1, error="不能为空")] if required else []
    return pa.Column(str, checks=base + list(checks), nullable=False, required=not optional_column)


def one_of(values: tuple[str, ...], what: str) -> pa.Check:
    import pandera.pandas as pa

    return pa.Check.isin(values, error=f"{what}须为{'、'.join(v or '（空）' for v in values)}之一")


@functools.cache
def indicators() -> pa.DataFrameSchema:
    import pandera.pandas as pa

    return pa.DataFrameSchema(
        {
            "id": text_column(pa.Check.str_matches(ID_PATTERN, error="编号须为小写英文、数字、下划线，用点分段，如 mediation.cases")),
            "section": text_column(required=False),  # empty: placed only by offices' own outlines
            "name_zh": text_column(),
            "unit": text_column(),
            "kind": text_column(pa.Check.isin(KINDS, error=f"kind 须为 {'、'.join(KINDS)} 之一")),
            "polarity": text_column(pa.Check.isin(POLARITIES, error=f"polarity 须为 {'、'.join(POLARITIES)} 之一")),
            "numerator": text_column(required=False),
            "denominator": text_column(required=False),
            "part_of": text_column(required=False),
            "headline": text_column(one_of(("", "yes"), "headline "), required=False, optional_column=True),
            "max_change": text_column(
                pa.Check.str_matches(r"^(\d+(\.\d+)?)?$", error="max_change 须为正数，如 10"), required=False, optional_column=True
            ),
            "definition_zh": text_column(required=False, optional_column=True),
            "parts_complete": text_column(one_of(("", "yes"), "parts_complete "), required=False, optional_column=True),
            "max_value": text_column(
                pa.Check.str_matches(r"^(\d+(\.\d+)?)?$", error="max_value 须为正数，如 100"), required=False, optional_column=True
            ),
            "concept": text_column(required=False, optional_column=True),  # an id of concepts.csv: what it measures
        },
        strict=False,
    )


#: ``concepts.csv``: the measures a district's offices share, whatever each office calls them.
@functools.cache
def concepts() -> pa.DataFrameSchema:
    import pandera.pandas as pa

    return pa.DataFrameSchema(
        {
            "id": text_column(pa.Check.str_matches(ID_PATTERN, error="编号须为小写英文、数字、下划线，用点分段，如 mediation.cases")),
            "name_zh": text_column(),
            "kind": text_column(pa.Check.isin(KINDS, error=f"kind 须为 {'、'.join(KINDS)} 之一")),
            "unit": text_column(),
            "definition_zh": text_column(),  # what exactly is counted: an office counting otherwise says so
        },
        strict=False,
    )


@functools.cache
def sections() -> pa.DataFrameSchema:
    import pandera.pandas as pa

    return pa.DataFrameSchema(
        {
            "id": text_column(pa.Check.str_matches(r"^[a-z0-9][a-z0-9-]*$", error="章节编号须为小写英文、数字和连字符，如 s3-4")),
            "parent": text_column(required=False),
            "title_zh": text_column(),
            "notebook": text_column(required=False, optional_column=True),  # empty: notebooks/section.ipynb
            "role": text_column(one_of(("", "followup"), "role "), required=False, optional_column=True),
            "caption_zh": text_column(required=False, optional_column=True),  # a short name for captions
        },
        strict=False,
    )


@functools.cache
def offices() -> pa.DataFrameSchema:
    import pandera.pandas as pa

    return pa.DataFrameSchema(
        {
            "id": text_column(pa.Check.str_matches(r"^[a-z][a-z0-9_-]*$", error="单位编号须为小写英文、数字、连字符")),
            "name_zh": text_column(),
            "population": text_column(
                pa.Check.str_matches(r"^([1-9]\d*)?$", error="常住人口须为正整数（人），如 128000"), required=False, optional_column=True
            ),
            "communities": text_column(pa.Check.str_matches(r"^(\d+)?$", error="社区数须为整数"), required=False, optional_column=True),
            "villages": text_column(pa.Check.str_matches(r"^(\d+)?$", error="村数须为整数"), required=False, optional_column=True),
            "deadline": text_column(
                pa.Check.str_matches(r"^(\d{2}-\d{2})?$", error="公开期限须写作 月-日，如 04-01"), required=False, optional_column=True
            ),
            "disclosure_deadline": text_column(
                pa.Check.str_matches(r"^(\d{2}-\d{2})?$", error="政府信息公开工作年度报告的公开期限须写作 月-日，如 01-31"),
                required=False,
                optional_column=True,
            ),
        },
        strict=False,
    )


@functools.cache
def values() -> pa.DataFrameSchema:
    import pandera.pandas as pa

    return pa.DataFrameSchema(
        {
            "indicator": text_column(),
            "value": text_column(required=False),
            "qualifier": text_column(required=False),
            "period_end": text_column(required=False),
            "source": text_column(required=False),  # required where a value is given: checked row by row
            "note": text_column(required=False, optional_column=True),
        },
        strict=False,
    )


@functools.cache
def _register() -> None:
    """pandera's checks for pandas, registered before the first validation would, with hypothesis marked
    absent: pandera would import it there for its data-synthesis strategies (0.1 s alone, 0.5 s on a busy
    machine, in every process that validates), and nothing here synthesizes data. Not at import: a kernel's
    warm parent imports this module and validates nothing."""
    import pandera.pandas as pa

    with absent("hypothesis"):
        pa.DataFrameSchema.register_default_backends(pd.DataFrame)


def check(schema: pa.DataFrameSchema, frame: pd.DataFrame, file: str) -> list[Problem]:
    """Validate ``frame`` lazily and turn every failure into a located problem."""
    import pandera.pandas as pa

    _register()
    try:
        schema.validate(frame, lazy=True)
    except pa.errors.SchemaErrors as errors:
        return [_problem(row, file) for row in errors.failure_cases.itertuples(index=False)]
    return []


def _problem(failure, file: str) -> Problem:
    if failure.check == "column_in_dataframe":
        return Problem(file, 1, str(failure.failure_case), "缺少必需的列")
    row = int(failure.index) if failure.index is not None else 1
    value = failure.failure_case
    shown = f"（值为“{value}”）" if value not in ("", None) else ""
    return Problem(file, row, str(failure.column), f"{failure.check}{shown}")
