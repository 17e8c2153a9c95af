"""descend() and Run: a step limit, and clear ValueErrors for arguments that make no run."""

from __future__ import annotations

import math

import numpy as np
import pytest

from calcstudio.core.function import parse
from calcstudio.core.optimize import Run, descend, make_optimizer
from calcstudio.core.optimize.objective import objective_from_function
from calcstudio.core.optimize.run import MAX_STEPS

LINE = parse("x")


@pytest.mark.parametrize(
    ("steps", "message"),
    [
        (math.inf, "whole number"),
        (math.nan, "whole number"),
        (2.5, "whole number"),
        ("10", "whole number"),
        (True, "whole number"),
        (10**9, "from 0 to 100,000"),
        (MAX_STEPS + 1, "from 0 to 100,000"),
        (-1, "from 0 to 100,000"),
    ],
)
def test_steps_outside_the_limit_are_a_value_error(steps: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        descend(LINE, 1.0, learning_rate=1e-300, steps=steps)


@pytest.mark.parametrize(
    ("start", "message"),
    [
        (1j, "complex"),
        ([1.0 + 2j], "complex"),
        ("one", "not numbers"),
        (math.inf, "finite"),
        ([math.nan], "finite"),
        ([[1.0], [2.0, 3.0]], "a number or a list of numbers"),
    ],
)
def test_starts_that_are_not_real_points_are_a_value_error(start: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        descend(LINE, start, learning_rate=0.1, steps=5)


def test_the_limit_itself_is_a_valid_budget() -> None:
    objective = objective_from_function(LINE)
    run = Run(objective, 1.0, make_optimizer("gd", learning_rate=1e-9), max_steps=MAX_STEPS)
    assert run.max_steps == MAX_STEPS
    for _ in range(3):
        run.step()
    assert run.status == "running"  # 3 of 100,000 steps taken, each of exactly eta
    np.testing.assert_allclose(run.points[:, 0], [1.0, 1 - 1e-9, 1 - 2e-9, 1 - 3e-9], rtol=1e-15)
    # A whole float, or a numpy integer, is a number of steps.
    assert len(descend(LINE, 1.0, learning_rate=0.1, steps=3.0).points) == 4
    assert len(descend(LINE, 1.0, learning_rate=0.1, steps=np.int64(3)).points) == 4


def test_a_run_validates_its_budget_and_tolerance() -> None:
    objective = objective_from_function(LINE)
    run = Run(objective, 0.0, make_optimizer("gd", learning_rate=0.1), max_steps=2)
    with pytest.raises(ValueError, match="from 0 to"):
        run.set_max_steps(MAX_STEPS * 10)
    with pytest.raises(ValueError, match="tolerance"):
        Run(objective, 0.0, make_optimizer("gd"), tolerance=-1.0)


def test_step_reports_are_kept_compactly_and_read_back_equal() -> None:
    objective = objective_from_function(parse("x^4 - 3x^2"))
    run = Run(objective, 0.2, make_optimizer("newton", learning_rate=1.0), max_steps=30)
    returned = [info for info in iter(run.step, None)]
    assert run.steps[0].note  # Newton fell back to a gradient step where f'' < 0
    assert len(run.steps) == len(returned) == run.step_count
    for kept, info in zip(run.steps, returned, strict=True):
        assert (kept.k, kept.text, kept.note) == (info.k, info.text, info.note)
        assert (kept.loss_before, kept.loss_after) == (info.loss_before, info.loss_after)
        for name in ("w_before", "gradient", "w_after", "gradient_after"):
            np.testing.assert_array_equal(getattr(kept, name), getattr(info, name))
    assert run.steps[-1].k == len(returned) - 1
    trace = run.trace().upto(3)
    assert [step.k for step in trace.steps] == [0, 1, 2]
    assert run.steps[::10][1].k == 10


def test_a_long_run_keeps_no_report_objects() -> None:
    import tracemalloc

    objective = objective_from_function(LINE)
    run = Run(objective, 1.0, make_optimizer("gd", learning_rate=1e-9), max_steps=MAX_STEPS)
    for _ in range(200):  # past the first buffer growth
        run.step()
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    for _ in range(5000):
        run.step()
    grown = tracemalloc.get_traced_memory()[0] - before
    tracemalloc.stop()
    # A text of about 40 bytes and three numbers a step (a StepInfo was about 1 kB).
    assert grown / 5000 < 250


def test_a_start_where_f_overflows_is_called_too_large_not_undefined() -> None:
    for text, start in (("x^2", 1e200), ("exp(x)", 1000.0)):
        with pytest.raises(ValueError, match="too large for the computer's numbers"):
            descend(parse(text), start, learning_rate=0.1, steps=5)
    for text, start in (("log(x)", -1.0), ("sqrt(x)", -4.0)):
        with pytest.raises(ValueError, match="f is undefined at the start"):
            descend(parse(text), start, learning_rate=0.1, steps=5)
