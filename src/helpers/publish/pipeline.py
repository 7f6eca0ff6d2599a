"""Builds carried out two at a time, as ``build --all`` and ``site`` run them: each build's first half (its data
checked, its notebooks run on the command's kernels, its document composed) on the calling thread, one after
another; its second half (render, preflight, publish: no kernel) on a render thread, beside the next build's
first half. So one core is not left idle while the other works, only one build at a time runs kernels (a
failure stops that build's alone), and never two renders compete.

A step's first half gives what is left to do (helpers.publish.build.Staged) or, where nothing is (an up-to-date
report, a comparison answered by its manifest), :class:`Ready`.

One rule for a step that fails, whoever carries the steps out: a report's own failure (a ReportError) is said
with the report's name; an exception of any other kind is a fault of this program. Either way the other steps
go on; the faults are then raised together (:func:`raise_faults`), so the command's log keeps every traceback.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from functools import partial
from typing import Generic, Protocol, TypeVar

from ..errors import ReportError

R = TypeVar("R")
R_co = TypeVar("R_co", covariant=True)


class Rest(Protocol[R_co]):
    """What is left of a step once its first half is done."""

    def finish(self) -> R_co: ...


@dataclass(frozen=True)
class Ready(Generic[R]):
    """A step with nothing left to do: its result is already known, and it waits for no render."""

    value: R

    def finish(self) -> R:
        return self.value


def carry_out(
    steps: Iterable[Callable[[], Rest[R]]],
    done: Callable[[], None] = lambda: None,
    halves: Callable[[list[Rest[R] | Exception]], None] | None = None,
) -> list[R | Exception]:
    """Each step's result, in the steps' order, or the exception that stopped it: one step's failure never
    stops the others (an interruption, which is no Exception, stops them all). ``done`` is called as each
    step ends, from either thread; ``halves``, on this thread, with what every first half gave (a rest, a
    Ready, or its exception) once the last one has run, while the last render may still be running."""
    results: list[Callable[[], R | Exception]] = []  # each step's result, once its render has settled
    firsts: list[Rest[R] | Exception] = []
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="render") as renders:
        rendering: Future[R] | None = None
        for step in steps:
            try:
                rest = step()
            except Exception as exc:
                firsts.append(exc)
                results.append(partial(_given, exc))
                done()
                continue
            firsts.append(rest)
            if isinstance(rest, Ready):
                results.append(partial(_given, rest.value))
                done()
                continue
            if rendering is not None:
                _settled(rendering)  # one render while the next step's first half runs, never two renders
            rendering = renders.submit(rest.finish)
            rendering.add_done_callback(lambda _: done())
            results.append(partial(_settled, rendering))
        if halves is not None:
            halves(firsts)
    return [result() for result in results]


def _given(value: R | Exception) -> R | Exception:
    return value


def _settled(future: Future[R]) -> R | Exception:
    try:
        return future.result()
    except Exception as exc:
        return exc


def faults(results: Iterable[object]) -> list[Exception]:
    """The faults of this program among steps' results: exceptions that are no ReportError."""
    return [r for r in results if isinstance(r, Exception) and not isinstance(r, ReportError)]


def raise_faults(found: list[Exception], command: str) -> None:
    """Every fault met, once every step has ended, as one ExceptionGroup: the command line then writes each
    one's traceback to its log (helpers.cli)."""
    if found:
        raise ExceptionGroup(f"{command}：{len(found)} 个步骤遇到本程序的缺陷", found)
