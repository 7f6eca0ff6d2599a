"""Every office-year in a data directory, built one after another (each one's notebooks in parallel, and
one report's render beside the next one's notebooks: helpers.publish.pipeline).

One failure does not stop the others; the summary says what was built, reused and failed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..data import record
from ..data.kept import keep_in
from ..data.reports import places
from ..errors import InputError, ReportError
from ..notebooks.kernels import Kernels
from . import pipeline
from .pipeline import Ready, Rest
from .plan import Plan, figures_changed
from .request import BuildRequest, plan_of, resolved, with_kernels

if TYPE_CHECKING:
    from .build import BuildResult


@dataclass(frozen=True)
class Outcome:
    office: str
    year: int
    status: str  # built | reused | failed
    detail: str = ""
    exit_code: int = 0
    kind: str = ""  # a report in its kind's own folder (helpers.data.reports): published under <office>/<kind>/
    fault: Exception | None = field(default=None, compare=False, repr=False)  # a fault of this program (helpers.publish.pipeline)

    @property
    def folder(self) -> Path:
        return Path(self.office, self.kind, str(self.year)) if self.kind else Path(self.office, str(self.year))


def build_all(
    template: BuildRequest, progress: bool = True, offices: tuple[str, ...] = (), steps: list[tuple[BuildRequest, Plan]] | None = None
) -> list[Outcome]:
    """Build every report of ``template.data_dir``, of every kind (of ``offices`` only, where given), with the
    template's other settings, as ``steps`` (:func:`plan_all`, where the caller made it) say. One owner of
    kernels serves them all: the warm parent starts once."""
    with with_kernels(template) as owned:
        planned = plan_all(owned, offices) if steps is None else [(_owned_by(owned.kernels, r), p) for r, p in steps]
        return _build_each(planned, progress)


def _owned_by(kernels: Kernels | None, request: BuildRequest) -> BuildRequest:
    """The request with the batch's kernels: the same object where it has them (its place is kept)."""
    return request if request.kernels is kernels else replace(request, kernels=kernels)


def plan_all(template: BuildRequest, offices: tuple[str, ...] = (), changed: Callable[[], None] = lambda: None) -> list[tuple[BuildRequest, Plan]]:
    """Every report of the data folder (of ``offices`` only, where given) with its plan, made before any is
    built and over one view of the files they share (helpers.data.record.steady): what the batch will do.
    ``changed`` is called as soon as one report's figures are known to differ, before the code key is worked
    out (the caller's warm parent then imports meanwhile)."""
    targets = [p for p in places(template.data_dir) if not offices or p.office in offices]
    template = resolved(template)  # each build then keeps its request, and the place its plan worked out
    requests = [replace(template, office=p.office, year=p.year, kind=p.kind if p.own_folder else "") for p in targets]
    keep_in(template.build_dir)  # the files' digests kept by the last command (helpers.data.digests)
    with record.steady():
        if any(figures_changed(r.target.resolve(), r.data_dir.resolve()) for r in requests):
            changed()
        return [(request, plan_of(request)) for request in requests]


def said(steps: list[tuple[BuildRequest, Plan]]) -> str:
    """The batch's plan in a line."""
    todo = sum(not plan.up_to_date for _, plan in steps)
    return f"计划：{len(steps)} 份报告，{todo} 份需生成，{len(steps) - todo} 份已是最新"


def _build_each(steps: list[tuple[BuildRequest, Plan]], progress: bool) -> list[Outcome]:
    """Each report in turn, one rendering while the next one's notebooks run (helpers.publish.pipeline)."""
    bar, task = _progress(len(steps)) if progress else (None, None)

    def first_half(request: BuildRequest, plan: Plan) -> Rest[BuildResult | None]:
        if bar and task is not None:
            bar.update(task, description=request.folder.as_posix())
        if plan.up_to_date:
            return Ready(None)
        from .build import prepare

        return prepare(request, plan)

    def done() -> None:
        if bar and task is not None:
            bar.advance(task)

    results = pipeline.carry_out([partial(first_half, request, plan) for request, plan in steps], done)
    if bar:
        bar.stop()
    return [replace(_outcome(request, result), kind=request.kind) for (request, _), result in zip(steps, results, strict=True)]


def _outcome(request: BuildRequest, result: BuildResult | Exception | None) -> Outcome:
    """What became of one report: reused as it was (None), built, or failed (one office-year's failure of any
    kind never stops the others)."""
    if result is None:
        return Outcome(request.office, request.year, "reused", "已是最新")
    if isinstance(result, InputError):
        return Outcome(request.office, request.year, "failed", "\n".join(str(p) for p in result.problems), result.exit_code)
    if isinstance(result, ReportError):
        return Outcome(request.office, request.year, "failed", str(result), result.exit_code)
    if isinstance(result, Exception):  # raised with the others once the summary is said (raise_faults)
        return Outcome(request.office, request.year, "failed", f"意外错误 {type(result).__name__}：{result}", 1, fault=result)
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


def raise_faults(outcomes: list[Outcome]) -> None:
    """The faults of this program the batch met, raised together (helpers.publish.pipeline.raise_faults)."""
    pipeline.raise_faults([o.fault for o in outcomes if o.fault is not None], "build --all")


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
