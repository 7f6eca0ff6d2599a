"""A year's shortcomings (不足) and plans (工作计划) as data, and next year's account of each.

``commitments.csv`` (year Y): id, kind (shortcoming | plan), title_zh, indicators (ids, space-separated,
whose figures show progress). ``followup.csv`` (year Y+1): commitment (an id of Y), status
(done | in_progress | not_started, empty until assessed), note.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import Problem
from . import record, schemas
from .catalog import Catalog
from .csvfile import display_path, read_csv

if TYPE_CHECKING:
    import pandera.pandas as pa

KINDS = {"shortcoming": "不足", "plan": "计划"}
STATUSES = {"done": ("✓", "已完成"), "in_progress": ("…", "推进中"), "not_started": ("✗", "未启动"), "": ("?", "待评估")}


@functools.cache
def commitments_schema() -> pa.DataFrameSchema:
    import pandera.pandas as pa

    return pa.DataFrameSchema(
        {
            "id": schemas.text_column(pa.Check.str_matches(r"^[a-z0-9][a-z0-9_-]*$", error="编号须为小写英文、数字、下划线或连字符")),
            "kind": schemas.text_column(schemas.one_of(tuple(KINDS), "kind ")),
            "title_zh": schemas.text_column(),
            "indicators": schemas.text_column(required=False),
            "source": schemas.text_column(required=False, optional_column=True),
        },
        strict=False,
    )


@functools.cache
def followup_schema() -> pa.DataFrameSchema:
    import pandera.pandas as pa

    return pa.DataFrameSchema(
        {
            "commitment": schemas.text_column(),
            "status": schemas.text_column(schemas.one_of(tuple(STATUSES), "status "), required=False),
            "note": schemas.text_column(required=False, optional_column=True),
        },
        strict=False,
    )


@dataclass(frozen=True)
class Commitment:
    id: str
    kind: str
    title_zh: str
    indicators: tuple[str, ...]
    year: int
    source: str = ""

    @property
    def is_illustrative(self) -> bool:
        return "示例" in self.source


@dataclass(frozen=True)
class Followup:
    commitment: Commitment
    status: str
    note: str

    @property
    def status_label(self) -> str:
        symbol, words = STATUSES[self.status]
        return f"{symbol} {words}"


def load_commitments(path: Path, catalog: Catalog, year: int) -> tuple[dict[str, Commitment], list[Problem]]:
    """A year's commitments by id; an absent file means none were recorded."""
    if not record.is_file(path):
        return {}, []
    file = display_path(path)
    frame, problems = read_csv(path)
    if frame is None:
        return {}, problems
    failures = schemas.check(commitments_schema(), frame, file)
    problems += failures
    if any(p.row == 1 for p in failures):
        return {}, problems
    found: dict[str, Commitment] = {}
    for row, r in frame.iterrows():
        ids = tuple(r["indicators"].split())
        for unknown in (i for i in ids if i not in catalog.indicators):
            problems.append(Problem(file, row, "indicators", f"指标“{unknown}”不在 indicators.csv 中"))
        if r["id"] in found:
            problems.append(Problem(file, row, "id", f"事项编号“{r['id']}”重复"))
        found[r["id"]] = Commitment(r["id"], r["kind"], r["title_zh"], ids, year, r.get("source", ""))
    return found, problems


def load_followups(path: Path, previous: dict[str, Commitment]) -> tuple[list[Followup], list[Problem]]:
    """This year's account of last year's commitments, in the order written."""
    if not record.is_file(path):
        return [], []
    file = display_path(path)
    frame, problems = read_csv(path)
    if frame is None:
        return [], problems
    failures = schemas.check(followup_schema(), frame, file)
    problems += failures
    if any(p.row == 1 for p in failures):
        return [], problems
    followups = []
    for row, r in frame.iterrows():
        commitment = previous.get(r["commitment"])
        if commitment is None:
            known = "、".join(previous) or "无（上年没有 commitments.csv）"
            problems.append(Problem(file, row, "commitment", f"上年没有编号为“{r['commitment']}”的事项，已有：{known}"))
            continue
        followups.append(Followup(commitment, r["status"], r.get("note", "")))
    return followups, problems
