"""Every verdict the descent window can show, each on a run whose truth is known.

Each scenario's truth comes from a hand computation (the update rule worked out on paper) or
from a long run that shows it; the verdict is checked at every frame of the run, as the
window shows them, with the objective the window builds (compiled evaluators, no sympy).
"""

from __future__ import annotations

import numpy as np
import pytest

from calcstudio.core.function import parse
from calcstudio.core.jets import derivative_evaluators
from calcstudio.core.language.syntax import parse_tree
from calcstudio.core.optimize import (
    Objective,
    Run,
    Trace,
    descend,
    diagnose,
    make_optimizer,
    objective_from_evaluators,
    objective_from_function,
)
from calcstudio.core.optimize.diagnosis import Diagnosis
from calcstudio.core.optimize.readout import critical_rate_sentence, position_line


def window_objective(text: str) -> Objective:
    """f, f′, f″ as the window's fast path compiles them."""
    tree = parse_tree(text)
    f, df, d2f = derivative_evaluators(tree)
    return objective_from_evaluators(f, [df], [[d2f]], tree.variables)


def frames(
    text: str, start: float, rate: float, steps: int, optimizer: str = "gd"
) -> tuple[Trace, Objective, list[Diagnosis], list[str]]:
    """The run, and at every frame the verdict and the critical-rate sentence shown."""
    objective = window_objective(text)
    run = Run(objective, start, make_optimizer(optimizer, learning_rate=rate), max_steps=steps)
    verdicts, sentences = [diagnose(run.trace(), objective)], []
    sentences.append(critical_rate_sentence(verdicts[0], run))
    while not run.finished:
        run.step()
        verdicts.append(diagnose(run.trace(), objective))
        sentences.append(critical_rate_sentence(verdicts[-1], run))
    return run.trace(), objective, verdicts, sentences


# --- running away downhill ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "start", "steps"),
    [("-x", 0.0, 300), ("-x^2", 0.1, 300), ("x^3", -0.5, 300)],
)
def test_running_away_downhill_is_never_called_converging(
    text: str, start: float, steps: int
) -> None:
    # -x falls forever (x_k = 0.1 k); -x^2 has x_k = 1.2^k x_0; x^3 left of 0 falls to −∞.
    trace, _, verdicts, sentences = frames(text, start, 0.1, steps)
    assert verdicts[0].kind == "starting"
    assert {v.kind for v in verdicts[1:]} == {"runaway"}
    assert all("no minimum that way" in v.message for v in verdicts[1:])
    assert not any(sentences)  # no critical rate while running away
    if text == "-x":
        assert trace.points[-1, 0] == pytest.approx(30.0)
        assert verdicts[-1].message.startswith(
            "Running away downhill: the loss fell from −29.9 to −30"
        )
    else:
        assert trace.status == "diverged" and trace.values[-1] < trace.values[0]
        assert verdicts[-1].message.startswith("Ran away downhill and stopped after")


def test_running_away_in_two_variables() -> None:
    # w1^2 + w2^3 from (1, −0.5): w2 <- w2 − 0.1·3 w2² only grows more negative, f → −∞.
    f = parse("w1^2 + w2^3")
    objective = objective_from_evaluators(f, f.gradient(), None, f.variables)
    trace = descend(objective, [1.0, -0.5], 0.1, steps=8)
    assert np.all(np.diff(trace.points[:, 1]) < 0)
    verdict = diagnose(trace, objective)
    assert verdict.kind == "runaway" and verdict.critical_rate is None


# --- oscillation ----------------------------------------------------------------------------


def test_x_squared_at_rate_1_bounces_between_plus_and_minus_5_forever() -> None:
    # x <- x − 1·2x = −x: ±5 forever, the loss stays 25.
    trace, _, verdicts, sentences = frames("x^2", 5.0, 1.0, 40)
    assert trace.points[:, 0].tolist() == [5.0 * (-1) ** k for k in range(41)]
    assert {v.kind for v in verdicts[1:]} == {"oscillating"}
    assert verdicts[1].message == (
        "Oscillating: the last step jumped across the bottom to the same height on the other "
        "side, so the loss did not change (it is 25)."
    )
    assert verdicts[-1].message.startswith("Oscillating without settling")
    assert not any("onverg" in v.message for v in verdicts)
    # The rate sits exactly at the critical rate 2/f″ = 1 of the minimum at 0.
    assert sentences[-1] == (
        "Critical rate for the minimum at x = 0: 2/f″ = 1, the rate above which "
        "plain gradient descent cannot settle at this minimum. Here η = 1 is exactly that rate."
    )


def test_zigzag_in_and_overshoot() -> None:
    # η = 0.95: x <- −0.9x, the swings shrink; η = 1.1: x <- −1.2x, 5 → −6, loss 25 → 36.
    _, _, verdicts, _ = frames("x^2", 5.0, 0.95, 12)
    assert verdicts[-1].message.startswith("Oscillating: each step overshoots the bottom")
    _, _, verdicts, sentences = frames("x^2", 5.0, 1.1, 200)
    assert verdicts[1].message == (
        "Overshooting: the last step went past the bottom and the loss rose from 25 to 36."
    )
    diverging = [i for i, v in enumerate(verdicts) if v.kind == "diverging"]
    assert diverging and diverging[-1] == len(verdicts) - 1
    assert all(sentences[i] == "" for i in diverging)  # never a critical rate while diverging


def test_abs_from_0_05_steps_across_the_corner_forever() -> None:
    # x <- x − 0.1 sign(x): 0.05, −0.05, 0.05, ... (hand), never settling.
    trace, _, verdicts, sentences = frames("abs(x)", 0.05, 0.1, 20)
    assert trace.points[:, 0] == pytest.approx([0.05 * (-1) ** k for k in range(21)])
    assert verdicts[-1].message.startswith("Oscillating without settling")
    assert verdicts[-1].corner == pytest.approx((-1.0, 1.0))
    assert sentences[-1].startswith(
        "The minimum at x = 0 is a corner (slope −1 on its left, 1 on its right)"
    )


# --- the critical rate ----------------------------------------------------------------------


def test_critical_rate_is_that_of_the_minimum_not_of_the_ball() -> None:
    # f = x^4 − 3x^2 + x: f′ = 4x³ − 6x + 1 has its root x* = 1.13090 in (1, 1.2), where
    # f″ = 12x*² − 6 = 9.347, so 2/f″ = 0.21397. (At the ball, 1.257, f″ = 12.96 and
    # 2/f″ = 0.154: that is not the minimum's curvature.)
    roots = np.roots([4.0, 0.0, -6.0, 1.0])
    x_star = float(roots[(roots.real > 1) & (roots.real < 1.2)].real[0])
    critical = 2.0 / (12 * x_star**2 - 6)
    _, _, verdicts, sentences = frames("x^4 - 3x^2 + x", 1.257, 0.1, 300)
    assert verdicts[1].minimum[0] == pytest.approx(x_star, abs=1e-9)
    assert verdicts[1].critical_rate == pytest.approx(critical, rel=1e-6)
    assert sentences[1] == (
        "Critical rate for the minimum at x = 1.131: 2/f″ = 0.214, the rate above which "
        "plain gradient descent cannot settle at this minimum. Here η = 0.1 is below it."
    )
    above = frames("x^4 - 3x^2 + x", 1.257, 0.25, 3)[3]
    assert above[1].endswith("Here η = 0.25 is above it.")
    # Long runs show it: 0.16 and 0.2 settle there; just below 2/f″ settles, just above not.
    f = window_objective("x^4 - 3x^2 + x")
    for rate in (0.16, 0.2, critical - 1e-3):
        trace = descend(f, 1.257, rate, steps=20000)
        assert trace.status == "converged" and trace.points[-1, 0] == pytest.approx(x_star)
    trace = descend(f, 1.257, critical + 1e-3, steps=3000)
    assert trace.status == "max_steps"
    last = trace.points[-3:, 0]  # a 2-cycle across x*: 1.164, 1.094, 1.164
    assert last[0] == pytest.approx(last[2]) and last[0] - last[1] > 0.05


def test_x_to_the_4_has_no_critical_rate_its_bottom_is_flat() -> None:
    # f″ = 12x² is 0 at the minimum 0: runs from 0.064 settle with η = 41, 50 and 100.
    for rate in (41.0, 50.0, 100.0):
        trace = descend(window_objective("x^4"), 0.064, rate, steps=100000)
        assert trace.status == "converged" and abs(trace.points[-1, 0]) < 0.01
    _, _, verdicts, sentences = frames("x^4", 0.064, 41.0, 200)
    assert all(v.critical_rate is None for v in verdicts)
    assert verdicts[-1].flat_bottom and verdicts[-1].minimum == (0.0,)
    assert sentences[-1] == (
        "At the minimum x = 0, f″ → 0 (a flat bottom), so there is no critical rate: "
        "close enough to it, plain gradient descent settles with any η, slowly."
    )


@pytest.mark.parametrize(("text", "start"), [("x^2", 0.0), ("x^3/3 - x", 1.0), ("(x-1)^2", 1.0)])
def test_a_ball_placed_on_a_curved_bottom_is_at_a_minimum_with_its_critical_rate(
    text: str, start: float
) -> None:
    # By hand: f′(start) = 0 exactly and f″(start) = 2, so 2/f″ = 1. The slope of exactly 0
    # was once read as a flat bottom ("the slope is 0 here and so is f″"), no critical rate.
    _, _, verdicts, sentences = frames(text, start, 0.1, 5)
    last = verdicts[-1]
    assert last.kind == "converged" and not last.flat_bottom
    assert last.minimum == (start,) and last.critical_rate == pytest.approx(1.0)
    assert last.message == (
        f"At rest at the minimum x = {start:g}: the slope is 0 and the ground curves upwards "
        "(f″ = 2)."
    )
    assert "2/f″ = 1," in sentences[-1]


def test_a_ball_placed_on_a_flat_bottom_is_still_told_so() -> None:
    _, _, verdicts, sentences = frames("x^4", 0.0, 0.1, 5)
    assert verdicts[-1].flat_bottom and verdicts[-1].critical_rate is None
    assert "so is f″, so the bottom is flat" in verdicts[-1].message
    assert sentences[-1].startswith("At the minimum x = 0, f″ → 0 (a flat bottom)")


def test_x_cubed_preset_has_no_minimum_and_no_critical_rate() -> None:
    # x <- x − 0.3x² from 1 stays positive and creeps towards 0, where f′ = f″ = 0 but
    # f keeps falling (x³ < 0 for x < 0): an inflection, no minimum.
    trace, _, verdicts, sentences = frames("x^3", 1.0, 0.1, 300)
    assert np.all(np.diff(trace.points[:, 0]) < 0) and trace.points[-1, 0] > 0
    assert not any(sentences)
    assert all(v.minimum is None for v in verdicts)
    assert {v.kind for v in verdicts[1:]} == {"descending", "stalled"}
    assert verdicts[1].message.startswith("Heading downhill towards x = 0, a flat point")
    assert verdicts[-1].message.startswith("Crawling short of x = 0, a flat point")


# --- slow convergence and stalls --------------------------------------------------------------


def test_slow_approach_to_a_flat_bottomed_minimum_is_converging() -> None:
    # x <- x − 0.4x³ from 1: positive, decreasing, towards the minimum 0 (hand).
    trace, _, verdicts, _ = frames("x^4", 1.0, 0.1, 500)
    assert np.all(np.diff(trace.points[:, 0]) < 0) and trace.points[-1, 0] > 0
    assert {v.kind for v in verdicts[1:]} == {"converging"}
    assert verdicts[-1].message.startswith(
        "Converging slowly to the minimum at x = 0: f″ → 0 there (a flat bottom)"
    )
    assert not any("saddle" in v.message or "Stalled" in v.message for v in verdicts)


def test_adam_at_the_bottom_of_x_squared_is_at_a_minimum() -> None:
    trace, _, verdicts, sentences = frames("x^2", 5.0, 0.1, 2000, "adam")
    assert trace.status == "converged" and abs(trace.points[-1, 0]) < 1e-5
    kinds = {v.kind for v in verdicts[1:]}
    assert kinds <= {"converging", "oscillating", "converged"}
    assert not any("saddle" in v.message or "inflection" in v.message for v in verdicts)
    assert verdicts[-1].message.startswith("Converged to the minimum at x = 0")
    assert "2/f″ = 1" in sentences[-1]
    edging = [k for k, v in enumerate(verdicts) if v.message.startswith("Edging in at the bottom")]
    assert edging and all(abs(trace.points[k, 0]) <= 0.05 for k in edging)  # 1% of 5


def test_heading_downhill_names_the_nearest_minimum() -> None:
    # Newton on x⁴ − 3x² + x from 0: f″(0) = −6 < 0, so a fallback step of 0.1·f′(0) = 0.1
    # to the left, towards the minimum at −1.30084 (the root of 4x³ − 6x + 1 below −1).
    trace, _, verdicts, _ = frames("x^4 - 3x^2 + x", 0.0, 1.0, 100, "newton")
    assert trace.points[1, 0] == pytest.approx(-0.1) and trace.steps[0].note
    assert verdicts[1].message == (
        "Heading downhill: the loss fell from 0 to −0.1299 on the last step; the nearest "
        "minimum downhill is at x = −1.301. The slope is growing, so the ball is speeding up."
    )
    _, _, verdicts, _ = frames("x^2", 5.0, 0.1, 3)
    assert verdicts[1].message == (
        "Converging: the loss fell from 25 to 16 on the last step; the nearest "
        "minimum downhill is at x = 0. The slope shrinks to about 0.8 of itself per step."
    )


def test_a_plateau_far_from_the_bowl_is_a_crawl_not_a_minimum() -> None:
    # 1 − exp(−x²): slope 2x e^(−x²) is 2.3e−4 at 3.2; the only minimum is 0.
    _, _, verdicts, _ = frames("1 - exp(-x^2)", 3.2, 0.5, 100)
    assert verdicts[-1].kind == "stalled"
    assert verdicts[-1].message.startswith("Crawling at x = 3.1")
    assert "the slope (0.0002456)" in verdicts[-1].message and "is tiny" in verdicts[-1].message
    assert "nearest minimum downhill is at x = 0" in verdicts[-1].message
    # From 5 the slope (10 e^−25) is below the tolerance at once: stopped, but no minimum.
    f = parse("1 - exp(-x^2)")
    trace = descend(f, 5.0, 0.1)
    verdict = diagnose(trace, window_objective("1 - exp(-x^2)"))
    assert trace.status == "converged" and verdict.kind == "stalled"
    assert "this is no minimum" in verdict.message and "x = 0" in verdict.message


def test_a_learning_rate_too_small_is_named() -> None:
    _, _, verdicts, _ = frames("x^2", 5.0, 1e-6, 30)
    assert verdicts[-1].kind == "stalled"
    assert "the slope (9.999) is not small, so the learning rate is too small" in (
        verdicts[-1].message
    )


# --- at rest ----------------------------------------------------------------------------------


def test_at_a_corner_the_subgradient_is_named_not_a_slope() -> None:
    # abs(x) from 0: slopes −1 and 1 on either side; the derivative used at 0 is 0.
    trace, _, verdicts, sentences = frames("abs(x)", 0.0, 0.1, 10)
    assert trace.status == "converged" and trace.points[-1, 0] == 0.0
    verdict = verdicts[-1]
    assert verdict.kind == "converged"
    assert "the slope is 0" not in verdict.message
    assert "its slope is −1 just left and 1 just right" in verdict.message
    assert "used the subgradient 0" in verdict.message
    assert "this corner is a minimum" in verdict.message
    assert "there is no critical rate" in sentences[-1]
    run = Run(window_objective("abs(x)"), 0.0, make_optimizer("gd"))
    assert position_line(run) == (
        "k = 0  ·  x = 0  ·  f(x) = 0  ·  f′(x): none at this corner (the step uses 0)"
    )
    run = Run(window_objective("abs(x)"), 0.5, make_optimizer("gd"))
    assert position_line(run).endswith("f′(x) = 1")


def test_converged_at_a_minimum_and_stuck_at_a_saddle_or_flat_point() -> None:
    _, _, verdicts, _ = frames("x^2", 5.0, 0.1, 500)
    assert verdicts[-1].message.startswith("Converged to the minimum at x = 0")
    assert verdicts[-1].critical_rate == pytest.approx(1.0)
    # x³ exactly at 0: level slope, f falls on the left.
    flat = diagnose(descend(parse("x^3"), 0.0, 0.1), window_objective("x^3"))
    assert flat.kind == "stalled" and "f falls on the left" in flat.message
    # A constant: level on both sides.
    level = objective_from_evaluators(
        lambda x: np.ones_like(np.asarray(x, dtype=float)),
        [lambda x: np.zeros_like(np.asarray(x, dtype=float))],
    )
    resting = diagnose(descend(level, 1.0, 0.1), level)
    assert resting.kind == "stalled" and "level ground" in resting.message


def test_two_variable_runs_keep_working() -> None:
    # w1^2 + 2w2^2: Hessian diag(2, 4), so 2/λmax = 0.5.
    f = parse("w1^2 + 2w2^2")
    objective = objective_from_function(f)
    done = descend(f, [1.0, -2.0], 0.1, steps=500)
    verdict = diagnose(done, objective)
    assert verdict.kind == "converged" and verdict.critical_rate == pytest.approx(0.5)
    for k in range(1, 30):
        assert diagnose(done.upto(k), objective).kind in ("converging", "oscillating")
    # abs(w1) + w2² from (0, 1): w1 stays on its corner (subgradient 0), w2 → 0.
    g = parse("abs(w1) + w2^2")
    objective = objective_from_evaluators(g, g.gradient(), None, g.variables)
    trace = descend(objective, [0.0, 1.0], 0.1, steps=500)
    assert trace.status == "converged" and np.all(trace.points[:, 0] == 0.0)
    verdict = diagnose(trace, objective)
    assert "a corner of f: along w1 its slope is −1 just left and 1 just right" in (verdict.message)
    assert "used the subgradient (0, " in verdict.message


# --- the remaining sentences, each on a run worked out by hand --------------------------------


def piecewise(a: float, b: float) -> Objective:
    """f = a x² left of 0, b x² right of it."""
    return objective_from_evaluators(
        lambda x: np.where(np.asarray(x) > 0, b, a) * np.asarray(x, dtype=float) ** 2,
        [lambda x: 2 * np.where(np.asarray(x) > 0, b, a) * np.asarray(x, dtype=float)],
    )


def test_swings_that_grow_without_rising_three_times_in_a_row_diverge() -> None:
    # a = 2, b = 0.75, η = 1: x > 0 goes to −0.5x, x < 0 to −3x: 1, −0.5, 1.5, −0.75, 2.25;
    # losses 0.75, 0.5, 1.6875, 1.125, 3.797: up and down, each peak higher than before.
    objective = piecewise(2.0, 0.75)
    trace = descend(objective, 1.0, 1.0, steps=4)
    assert trace.points[:, 0].tolist() == [1.0, -0.5, 1.5, -0.75, 2.25]
    verdict = diagnose(trace, objective)
    assert verdict.kind == "diverging"
    assert verdict.message.startswith("Diverging: each step overshoots the bottom and the swings")


def test_bouncing_whose_swings_do_not_shrink() -> None:
    # abs(x) from 0.07, η = 0.1: 0.07, −0.03, 0.07, −0.03, ... losses 0.07, 0.03, 0.07, 0.03.
    trace, _, verdicts, _ = frames("abs(x)", 0.07, 0.1, 6)
    assert trace.points[:, 0] == pytest.approx([0.07, -0.03] * 3 + [0.07])
    assert verdicts[5].message.startswith(
        "Oscillating: it bounces from side to side across the bottom, and the swings are not"
    )
    assert verdicts[6].message.startswith("Oscillating without settling")


def test_momentum_rolls_past_the_bottom_and_back() -> None:
    trace, _, verdicts, _ = frames("x^4 - 3x^2 + x", 2.0, 0.1, 500, "momentum")
    gradients, values = trace.gradients[:, 0], trace.values
    seen = set()
    for k, verdict in enumerate(verdicts[1:], start=1):
        turned = gradients[k] * gradients[k - 1] < 0
        if verdict.message.startswith("Overshooting: the last step went too far"):
            assert values[k] > values[k - 1] and not turned  # climbing on, same side
            seen.add("climbing")
        elif verdict.message.startswith("Overshooting: the last step went past the bottom"):
            assert values[k] > values[k - 1] and turned
            seen.add("past")
        elif verdict.message.startswith("Oscillating: in the last"):
            window = slice(max(k - 10, 0), k + 1)
            assert values[k] < values[k - 1]
            assert np.any(np.diff(values[window]) > 0)
            assert np.any(gradients[window][1:] * gradients[window][:-1] < 0)
            seen.add("rolled")
    assert seen == {"climbing", "past", "rolled"}
    assert trace.status == "converged" and trace.points[-1, 0] == pytest.approx(-1.30084, abs=1e-5)


def test_a_step_that_does_not_lower_the_loss() -> None:
    # max(x, 0) with the subgradient 1 at 0: 0 → −0.1, where f is 0 as well.
    objective = objective_from_evaluators(
        lambda x: np.maximum(np.asarray(x, dtype=float), 0.0),
        [lambda x: np.where(np.asarray(x) >= 0, 1.0, 0.0)],
    )
    trace = descend(objective, 0.0, 0.1, steps=1)
    assert trace.points[:, 0].tolist() == [0.0, -0.1] and trace.values.tolist() == [0.0, 0.0]
    assert diagnose(trace, objective).message == (
        "The loss did not fall on the last step (it is 0)."
    )


def test_at_rest_near_a_flat_bottom_on_a_level_stretch_and_on_a_falling_corner() -> None:
    # x⁴ from 0.064 at η = 41 stops once slope and step are below 1e−6, short of 0.
    trace, _, verdicts, sentences = frames("x^4", 0.064, 41.0, 5000)
    assert trace.status == "converged" and 0 < abs(trace.points[-1, 0]) < 0.01
    assert verdicts[-1].message.startswith("Stopped at x = ")
    assert "next to the minimum at x = 0: there f″ → 0 (a flat bottom)" in verdicts[-1].message
    assert "no critical rate" in sentences[-1]
    # relu at −0.05: f = 0 on the left and up to 0.05 on the right, then rises.
    trace, _, verdicts, _ = frames("relu(x)", -0.05, 0.1, 5)
    assert verdicts[-1].message.startswith("At rest at x = −0.05, as low as f gets around here")
    # −abs(x) at 0: slopes 1 on the left, −1 on the right: a peak, not a minimum.
    trace, _, verdicts, sentences = frames("-abs(x)", 0.0, 0.1, 5)
    assert verdicts[-1].kind == "stalled"
    assert "its slope is 1 just left and −1 just right" in verdicts[-1].message
    assert "f falls on the left: not a minimum" in verdicts[-1].message
    assert sentences[-1] == ""


def test_without_the_objective_the_path_alone_is_read() -> None:
    level = objective_from_evaluators(
        lambda x: np.ones_like(np.asarray(x, dtype=float)),
        [lambda x: np.zeros_like(np.asarray(x, dtype=float))],
    )
    unknown = diagnose(descend(level, 1.0, 0.1))
    assert unknown.kind == "stalled" and "may or may not be a minimum" in unknown.message
    # x² from 5 at η = 0.1 shrinks the slope by 0.8 per step (hand).
    verdict = diagnose(descend(parse("x^2"), 5.0, 0.1, steps=3))
    assert verdict.message == (
        "Converging: the loss fell from 10.24 to 6.5536 on the last step. The slope shrinks "
        "to about 0.8 of itself per step."
    )
    # -x from 0: the slope never shrinks, and without f no claim about a minimum is made.
    verdict = diagnose(descend(parse("-x"), 0.0, 0.1, steps=3))
    assert verdict.kind == "descending" and "minimum" not in verdict.message


def test_crawling_causes_name_the_optimizer() -> None:
    # AdaGrad at η = 1e−5 on x² from 5: step k is about 1e−5/√k while the slope stays 10.
    adagrad = diagnose(descend(parse("x^2"), 5.0, 1e-5, steps=200, optimizer="adagrad"))
    assert "AdaGrad's steps shrink" in adagrad.message
    # Newton on sin(x) at 1.6, where f″ = −sin(1.6) < 0: tiny fallback steps.
    f = parse("sin(x)")
    trace = descend(f, 1.6, 1.0, steps=6, optimizer="newton", fallback_rate=1e-7)
    assert all(step.note for step in trace.steps)
    assert "Newton's method fell back to a gradient step" in diagnose(trace).message
    # Adam's first steps are η · m̂/√v̂ = η for a steady slope: 1e−6 per step from 5.
    trace, _, verdicts, _ = frames("x^2", 5.0, 1e-6, 10, "adam")
    assert trace.points[1, 0] == pytest.approx(5.0 - 1e-6)
    assert verdicts[-1].kind == "stalled"
    assert verdicts[-1].message == (
        "Crawling at x = 5: the last step moved only 1e−6 (the slope is 10). "
        "The nearest minimum downhill is at x = 0, 5 away."
    )


def test_callables_of_plain_numbers_are_checked_one_point_at_a_time() -> None:
    import math

    scalar = objective_from_evaluators(lambda x: -math.sin(x), [lambda x: -math.cos(x)])
    trace = descend(scalar, 1.0, 0.1, steps=3)
    verdict = diagnose(trace, scalar)  # −sin has its minimum at π/2, downhill of 1
    assert verdict.minimum == pytest.approx((math.pi / 2,), abs=1e-8)
