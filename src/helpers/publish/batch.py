"""Every office-year in a data directory, built one after another (each one's notebooks in parallel).

One failure does not stop the others; the summary says what was built, reused and failed.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from ..data.reports import places
from ..errors import InputError, ReportError
from .request import BuildRequest, plan_of, with_kernels


@dataclass(frozen=True)
class Outcome:
    office: str
    year: int
    status: str  # built | reused | failed
    detail: str = ""
    exit_code: int = 0
    kind: str = ""  # a report in its kind's own folder (helpers.data.reports): published under <office>/<kind>/

    @property
    def folder(self) -> Path:
        return Path(self.office, self.kind, str(self.year)) if self.kind else Path(self.office, str(self.year))


def build_all(template: BuildRequest, progress: bool = True, offices: tuple[str, ...] = ()) -> list[Outcome]:
    """Build every report of ``template.data_dir``, of every kind (of ``offices`` only, where given), with the
    template's other settings. One owner of kernels serves them all: the warm parent starts once."""
    with with_kernels(template) as owned:
        return _build_each(owned, progress, offices)


def _build_each(template: BuildRequest, progress: bool, offices: tuple[str, ...]) -> list[Outcome]:
    targets = [p for p in places(template.data_dir) if not offices or p.office in offices]
    outcomes: list[Outcome] = []
    bar, task = _progress(len(targets)) if progress else (None, None)
    for place in targets:
        if bar and task is not None:
            bar.update(task, description=place.output.as_posix())
        kind = place.kind if place.own_folder else ""
        outcomes.append(replace(_one(replace(template, office=place.office, year=place.year, kind=kind)), kind=kind))
        if bar and task is not None:
            bar.advance(task)
    if bar:
        bar.stop()
    return outcomes


def _one(request: BuildRequest) -> Outcome:
    todo = plan_of(request)  # made once, and given to the build: an up-to-date report loads nothing, not even pandas
    if todo.up_to_date:
        return Outcome(request.office, request.year, "reused", "已是最新")
    from .build import build

    try:
        result = build(request, todo)
    except InputError as exc:
        return Outcome(request.office, request.year, "failed", "\n".join(str(p) for p in exc.problems), exc.exit_code)
    except ReportError as exc:
        return Outcome(request.office, request.year, "failed", str(exc), exc.exit_code)
    except Exception as exc:  # one office-year's failure of any kind never stops the others
        return Outcome(request.office, request.year, "failed", f"意外错误 {type(exc).__name__}：{exc}", 1)
    status = "reused" if result.fully_reused and not result.removed else "built"  # a removed file changed the folder
    detail = f"{len(result.executed)} 个笔记本执行、{len(result.reused)} 个复用"
    if result.removed:
        detail += f"；已移除旧的 {'、'.join(result.removed)}：本次未生成该格式，留下它会与新报告不一致"
    if result.preflight:
        detail += f"；版面警告 {len(result.preflight)} 处（见 manifest.json）"
    return Outcome(request.office, request.year, status, detail)


def _progress(total: int) -> tuple[Any, Any]:
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
    )

    bar = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), transient=False)
    task = bar.add_task("", total=total)
    bar.start()
    return bar, task


def exit_code(outcomes: list[Outcome]) -> int:
    """0 when all succeeded; 2 when the only failures are invalid input; 1 for any other failure."""
    codes = {o.exit_code for o in outcomes if o.status == "failed"}
    return 0 if not codes else (2 if codes == {2} else 1)


def summary(outcomes: list[Outcome], out_dir: Path) -> str:
    counts = {s: sum(o.status == s for o in outcomes) for s in ("built", "reused", "failed")}
    lines = [f"共 {len(outcomes)} 份报告：新生成 {counts['built']}，复用 {counts['reused']}，失败 {counts['failed']}"]
    for o in outcomes:
        mark = {"built": "生成", "reused": "复用", "failed": "失败"}[o.status]
        lines.append(f"  [{mark}] {o.folder.as_posix()}  {out_dir / o.folder}  {o.detail.splitlines()[0] if o.detail else ''}")
        if o.status == "failed":
            lines += [f"      {line}" for line in o.detail.splitlines()[1:]]
    return "\n".join(lines)
