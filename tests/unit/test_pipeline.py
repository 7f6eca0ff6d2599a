"""Steps carried out two at a time: results in order, one failure never stops the others, a step with nothing
left waits for no render."""

from __future__ import annotations

import threading
from types import SimpleNamespace

from helpers.publish.pipeline import Ready, carry_out


def test_each_steps_result_comes_back_in_order_and_a_failure_in_either_half_is_that_steps_alone():
    def broken() -> str:
        raise RuntimeError("render failed")

    def refused() -> SimpleNamespace:
        raise ValueError("data refused")

    steps = [
        lambda: SimpleNamespace(finish=lambda: "first"),
        refused,
        lambda: SimpleNamespace(finish=broken),
        lambda: Ready("as it was"),
        lambda: SimpleNamespace(finish=lambda: "last"),
    ]
    ended = []
    results = carry_out(steps, done=lambda: ended.append(1))
    assert results[0] == "first" and results[3] == "as it was" and results[4] == "last"
    assert isinstance(results[1], ValueError) and isinstance(results[2], RuntimeError)
    assert len(ended) == len(steps)


def test_a_step_with_nothing_left_waits_for_no_render():
    """While the first step renders, a Ready step is answered and the next step's first half starts."""
    third_started = threading.Event()

    def render() -> str:
        assert third_started.wait(10), "the steps after a Ready one waited for the render"
        return "rendered"

    def third() -> Ready[str]:
        third_started.set()
        return Ready("third")

    results = carry_out([lambda: SimpleNamespace(finish=render), lambda: Ready("second"), third])
    assert results == ["rendered", "second", "third"]


def test_what_every_first_half_gave_is_told_once_while_the_last_render_still_runs():
    """A site writes its pages from it, beside the last comparison's render."""
    told = threading.Event()
    given: list[list] = []

    def render() -> str:
        assert told.wait(10), "the first halves were told only after the last render"
        return "rendered"

    def refused() -> SimpleNamespace:
        raise ValueError("data refused")

    last = SimpleNamespace(finish=render)
    results = carry_out([lambda: Ready("as it was"), refused, lambda: last], halves=lambda firsts: (given.append(firsts), told.set()))
    assert len(given) == 1 and given[0][0] == Ready("as it was") and isinstance(given[0][1], ValueError) and given[0][2] is last
    assert results[0] == "as it was" and isinstance(results[1], ValueError) and results[2] == "rendered"
