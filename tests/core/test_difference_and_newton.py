"""Difference quotients and their error model; Newton–Raphson runs and their verdicts."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from calcstudio.core.difference import (
    KINDS,
    MATERIAL_STEP,
    difference_errors,
    difference_quotient,
    error_model,
    partial_differences,
    true_digits,
    typical_best_step,
)
from calcstudio.core.function import parse
from calcstudio.core.jets import derivative_evaluators
from calcstudio.core.language import parse_tree
from calcstudio.core.root_finding import newton_raphson


def fast(text: str):
    evaluators = derivative_evaluators(parse_tree(text))
    assert evaluators is not None
    return evaluators


def test_the_material_gradient_of_w1_squared_plus_2_w2_squared() -> None:
    loss = parse("w1^2 + 2w2^2")
    gradient = partial_differences(loss, (1.0, -2.0), MATERIAL_STEP)
    np.testing.assert_allclose(gradient, [2.0, -8.0], atol=1e-8)
    exact = [float(p(1.0, -2.0)) for p in loss.gradient()]
    assert exact == [2.0, -8.0]


def test_quotients_by_hand() -> None:
    square = fast("x^2")[0]
    # (f(3+h) - f(3)) / h = 6 + h and (f(3) - f(3-h)) / h = 6 - h; central is exact: 6.
    assert float(difference_quotient(square, 3.0, 0.5, "forward")) == pytest.approx(6.5)
    assert float(difference_quotient(square, 3.0, 0.5, "backward")) == pytest.approx(5.5)
    assert float(difference_quotient(square, 3.0, 0.5, "central")) == pytest.approx(6.0)


@pytest.mark.parametrize("kind", KINDS)
def test_the_error_is_a_v_with_its_bottom_where_the_model_says(kind: str) -> None:
    a = 1.0
    f = fast("sin(x)")[0]
    steps, errors = difference_errors(f, a, np.cos(a), kind)
    model = error_model(kind, np.sin(a), -np.sin(a), -np.cos(a))
    best = steps[np.argmin(np.where(errors > 0, errors, np.inf))]
    # the bottom of the measured V is within a factor 30 of the model's (round-off is noisy)
    assert abs(np.log10(best) - np.log10(model.best_step)) < 1.5
    assert abs(np.log10(model.best_step) - np.log10(typical_best_step(kind))) < 1
    # truncation side: slope 1 (one-sided) or 2 (central) for 1e-1 > h > 1e-3
    big = (steps < 1e-1) & (steps > 1e-3)
    slope = np.polyfit(np.log10(steps[big]), np.log10(errors[big]), 1)[0]
    assert slope == pytest.approx(2 if kind == "central" else 1, abs=0.1)
    # round-off side: the errors grow as h shrinks below 1e-12, like 1/h
    tiny = (steps < 1e-11) & (steps > 1e-15) & (errors > 0)
    slope = np.polyfit(np.log10(steps[tiny]), np.log10(errors[tiny]), 1)[0]
    assert slope == pytest.approx(-1, abs=0.3)
    # the material's eps = 1e-5 is better than eps = 1e-12 for the central difference
    if kind == "central":
        near = lambda h: errors[np.argmin(np.abs(np.log10(steps / h)))]  # noqa: E731
        assert near(MATERIAL_STEP) < near(1e-12)


def test_newton_doubles_the_digits_on_a_simple_root() -> None:
    f, df, _ = fast("x^2 - 2")
    run = newton_raphson(f, df, 1.0)
    assert run.verdict == "converged" and run.root == pytest.approx(np.sqrt(2), abs=1e-15)
    digits = run.correct_digits()
    # once close, each step at least about doubles the correct digits, until float precision
    growing = [(d0, d1) for d0, d1 in itertools.pairwise(digits) if 1 <= d0 < 8]
    assert len(growing) >= 2
    for before, after in growing:
        assert after >= 1.8 * before
    assert "double" in run.message
    steps = run.tangent_steps()
    x, y, after = steps[0]
    assert (x, y) == (1.0, -1.0) and after == pytest.approx(1.5)  # 1 - (-1)/2


@pytest.mark.parametrize(
    "text, start, verdict, words",
    [
        ("cbrt(x)", 1.0, "diverging", "farther away"),
        ("x^3 - 2x + 2", 0.0, "cycle", "cycle"),
        ("x^2 + 1", 0.0, "flat", "f′(x) = 0"),
        ("x^3 - 3x", 0.9, "other root", "not the root nearest"),
        ("ln(x)", 3.0, "undefined", "no value"),
        ("x^2", 1.0, "converged", "double root"),
    ],
)
def test_newton_names_its_failures(text: str, start: float, verdict: str, words: str) -> None:
    f, df, _ = fast(text)
    run = newton_raphson(f, df, start)
    assert run.verdict == verdict
    assert words in run.message
    if verdict == "other root":
        assert run.root == pytest.approx(-np.sqrt(3)) and run.nearest_root == pytest.approx(
            np.sqrt(3)
        )
    if verdict == "diverging":  # cbrt: each step lands at -2 x
        np.testing.assert_allclose(run.points[:4], [1.0, -2.0, 4.0, -8.0])


def test_newton_on_the_derivative_minimizes() -> None:
    _, df, d2f = fast("x^4 - 3x^2 + x")
    run = newton_raphson(df, d2f, 2.0)
    assert run.verdict == "converged"
    assert float(df(np.array([run.root]))[0]) == pytest.approx(0, abs=1e-12)


def test_a_double_root_still_creeping_is_named_and_a_short_run_is_not() -> None:
    f, df, _ = fast("(x - 1)^2")
    run = newton_raphson(f, df, 3.0)
    # (x − 1)² from 3: x − 1 = 2·2⁻ᵏ, steps of 2⁻ᵏ⁺¹ > 1e-12 for all 40 steps
    np.testing.assert_allclose(run.points[:5] - 1, [2, 1, 0.5, 0.25, 0.125])
    assert run.verdict == "unfinished"
    assert "a double root" in run.message and "by about 0.5 " in run.message
    f, df, _ = fast("x^2 - 2")
    short = newton_raphson(f, df, 1.0, steps=3)
    assert short.verdict == "unfinished"
    assert short.message == "Not converged after 3 steps (now at x = 1.41422)."


@pytest.mark.parametrize(
    "approximation, exact, written",
    [
        (2.0000000000131024, 2.0, "2.0000000000"),  # the material's gradient at (1, −2)
        (-7.999999999785955, -8.0, "-8.000000000"),
        (-1e-11, 0.0, "0.0000000000"),  # a partial that is 0: no "−0.000…"
        (0.5403023058681398, 0.5403023058681398, "0.540302305868140"),  # exact to the last
        (3.2, 5.0, "3.2"),  # not even the units agree: three digits, the error said beside
    ],
)
def test_true_digits_keeps_only_the_decimals_shared_with_the_exact_value(
    approximation: float, exact: float, written: str
) -> None:
    assert true_digits(approximation, exact) == written
    decimals = len(written.split(".")[1]) if "." in written and exact != 5.0 else 0
    if decimals:  # and one more decimal would not be true
        assert round(approximation, decimals + 1) != round(exact, decimals + 1) or (
            approximation == exact
        )
