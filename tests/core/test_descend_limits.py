"""descend() and Run: a step limit, and clear ValueErrors for arguments that make no run."""

from __future__ import annotations

import math

import numpy as np
import pytest

from calcstudio.core import numbers
from calcstudio.core.function import parse
from calcstudio.core.optimize import OPTIMIZERS, Run, StepInfo, descend, make_optimizer
from calcstudio.core.optimize.objective import objective_from_function
from calcstudio.core.optimize.run import MAX_STEPS
from calcstudio.core.regression import LineFit, generate
from calcstudio.core.regression.batches import MiniBatchDescent

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
        _equal_reports(kept, info)
    assert run.steps[-1].k == len(returned) - 1
    trace = run.trace().upto(3)
    assert [step.k for step in trace.steps] == [0, 1, 2]
    assert run.steps[::10][1].k == 10


def _equal_reports(kept: StepInfo, info: StepInfo) -> None:
    assert (kept.k, kept.text, kept.note) == (info.k, info.text, info.note)
    assert (kept.loss_before, kept.loss_after) == (info.loss_before, info.loss_after)
    for name in ("w_before", "gradient", "w_after", "gradient_after"):
        np.testing.assert_array_equal(getattr(kept, name), getattr(info, name))


@pytest.mark.parametrize("key", sorted(OPTIMIZERS))
@pytest.mark.parametrize("text", ["x^4 - 3x^2 + x", "w1^2 + 3w2^2 - w1*w2 + sin(w1)"])
def test_every_optimizers_texts_are_written_again_as_they_were(key: str, text: str) -> None:
    # The reports' own texts, written from what each step saw, against the texts the run
    # writes later by taking its steps again from the recorded losses and gradients.
    objective = objective_from_function(parse(text))
    start = 0.3 if objective.dimension == 1 else [0.3, -0.4]
    run = Run(objective, start, make_optimizer(key, learning_rate=0.05), max_steps=40)
    returned = [info for info in iter(run.step, None)]
    texts = [info.text for info in returned]
    assert len(texts) > 10 and all("←" in text for text in texts)
    for k in (9, 3, len(returned) - 1, 0, len(returned) - 2):  # out of order: some kept
        _equal_reports(run.steps[k], returned[k])
    assert [step.text for step in run.trace().steps] == texts


def test_mini_batch_texts_and_notes_are_written_again_as_they_were() -> None:
    data = generate(2.0, 1.0, 1.0, 12, seed=4)
    fit = LineFit.of(data)
    optimizer = MiniBatchDescent(0.01, dataset=data, batch_size=5, seed=3)
    run = Run(fit.objective(), [0.0, 0.0], optimizer, max_steps=20)
    returned = [info for info in iter(run.step, None)]
    for kept, info in zip(reversed(run.steps), reversed(returned), strict=True):
        # (The history keeps the whole data's gradient; a step's report has its batch's.)
        assert (kept.k, kept.text, kept.note) == (info.k, info.text, info.note)
        np.testing.assert_array_equal(kept.w_after, info.w_after)
    assert "batch 3 of 3 in epoch 1" in run.steps[2].note


def test_a_step_text_is_written_only_when_it_is_read(monkeypatch) -> None:
    written: list[float] = []
    real = numbers.format_number

    def counted(value: float, digits: int = numbers.READOUT_DIGITS) -> str:
        written.append(value)
        return real(value, digits)

    objective = objective_from_function(parse("x^2"))
    run = Run(objective, 5.0, make_optimizer("adam", learning_rate=0.01), max_steps=500)
    monkeypatch.setattr(numbers, "format_number", counted)
    for _ in range(300):
        run.step()
    assert written == []  # 300 steps, and not one number written
    assert run.steps[-1].text.startswith("m ← 0.9 × ")
    assert 0 < len(written) < 30  # the last step's text alone: about twenty numbers
    written.clear()
    assert run.steps[150].text.startswith("m ← 0.9 × ")
    assert len(written) > 150  # steps 0 to 150 written again, to reach step 150
    written.clear()
    assert run.steps[100].text and written == []  # written once, kept


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
    # Three numbers a step, in arrays that double as they fill (a StepInfo was about 1 kB, and
    # a text of about 40 bytes was kept a step until the texts were written when read).
    assert grown / 5000 < 100


def test_a_start_where_f_overflows_is_called_too_large_not_undefined() -> None:
    for text, start in (("x^2", 1e200), ("exp(x)", 1000.0)):
        with pytest.raises(ValueError, match="too large for the computer's numbers"):
            descend(parse(text), start, learning_rate=0.1, steps=5)
    for text, start in (("log(x)", -1.0), ("sqrt(x)", -4.0)):
        with pytest.raises(ValueError, match="f is undefined at the start"):
            descend(parse(text), start, learning_rate=0.1, steps=5)
