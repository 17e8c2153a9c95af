"""Functions smooth everywhere, read from the tree, skip the break search and lose nothing."""

from __future__ import annotations

import numpy as np
import pytest

from calcstudio.benchmark.corpus import DEGREE_30_POLYNOMIAL
from calcstudio.core.calculus import tangent_at
from calcstudio.core.curve import is_smooth_everywhere
from calcstudio.core.derivative_check import check_derivative
from calcstudio.core.jets import derivative_evaluators
from calcstudio.core.language import parse_tree
from calcstudio.core.sampling import sample_curve
from calcstudio.core.smoothness import depends_on_variable, smooth_everywhere

SMOOTH = [
    "x^2",
    "x^3 - 3x",
    "sin((4x)^2)",
    "(x^2)^3",
    "exp(-x^2)*cos(3x)",
    "tanh(x)",
    "sigmoid(10x) + softplus(x)",
    "e^x - 2^(-x)",
    "x/3 - pi x",
    "sin(200x)",
    "atan(1000x)",
    "sech(x) asinh(x)",
    "x^0 + 5",
    DEGREE_30_POLYNOMIAL,
]
NOT_SMOOTH = [
    "1/x",
    "1/(1 + x^2)",  # smooth, but not by construction: the search runs, never wrongly skipped
    "tan(x)",
    "abs(x)",
    "relu(x)",
    "sqrt(x)",
    "x^(1/3)",
    "x^-1",
    "ln(x)",
    "floor(x)",
    "max(x, 0)",
    "(-2)^x",
    "x^x",
    "x^2 + abs(2)",  # conservative: any function outside the list
]


@pytest.mark.parametrize("text", SMOOTH)
def test_smooth_functions_are_recognised(text: str) -> None:
    assert smooth_everywhere(parse_tree(text).root)


@pytest.mark.parametrize("text", NOT_SMOOTH)
def test_anything_else_is_not_claimed_smooth(text: str) -> None:
    assert not smooth_everywhere(parse_tree(text).root)


def test_constants_are_not_variables() -> None:
    assert not depends_on_variable(parse_tree("2 pi + e^tau").root)
    assert depends_on_variable(parse_tree("2 pi + t").root)


@pytest.mark.parametrize("text", ["x^2", "1/x"])
def test_the_fast_path_marks_f_and_its_derivatives(text: str) -> None:
    evaluators = derivative_evaluators(parse_tree(text))
    assert evaluators is not None
    assert [is_smooth_everywhere(g) for g in evaluators] == [text == "x^2"] * 3


def _unmarked(g):
    return lambda xs: g(xs)  # a plain callable: sampled with the full break search


@pytest.mark.parametrize("text", SMOOTH)
@pytest.mark.parametrize(("x_min", "x_max"), [(-5.0, 5.0), (-0.37, 0.41), (-1e3, 2e3)])
def test_the_skipped_search_would_have_found_nothing(text: str, x_min: float, x_max: float) -> None:
    # The full search, run on the same numbers, finds no break: skipping it loses nothing.
    # Where the samples cannot resolve the curve (sin(16x^2) at x = 1000 turns thousands of
    # times a pixel) it may "find" breaks; f is finite there, so they were false ones.
    evaluators = derivative_evaluators(parse_tree(text))
    assert evaluators is not None
    for g in evaluators[:2]:
        for y_range in [(-5.0, 5.0), (-1e-3, 1e-3)]:
            fast = sample_curve(g, x_min, x_max, 800, y_range, pixel_height=500)
            full_x, full_y = sample_curve(
                _unmarked(g), x_min, x_max, 800, y_range, pixel_height=500
            )
            false_breaks = np.isnan(full_y) & np.isfinite(g(full_x))
            if x_max - x_min < 100:
                assert not false_breaks.any()
            np.testing.assert_array_equal(fast[0], full_x[~false_breaks])
            np.testing.assert_array_equal(fast[1], full_y[~false_breaks])


def test_the_search_does_run_where_a_function_breaks() -> None:
    # The same comparison on tan(x): the search inserts breaks, so it must not be skipped.
    evaluators = derivative_evaluators(parse_tree("tan(x)"))
    assert evaluators is not None
    xs, ys = sample_curve(evaluators[0], -5.0, 5.0, 800, (-5.0, 5.0), pixel_height=500)
    inserted = np.isnan(ys) & np.isfinite(np.tan(xs))
    assert inserted.sum() >= 3  # one break per pole in view: -π/2, π/2, 3π/2


@pytest.mark.parametrize("text", [*SMOOTH, "tanh(e^x)", "atan(x^400)", "exp(-e^x)", "e^x e^(-x)"])
def test_where_f_and_its_slope_are_numbers_the_check_says_the_slope_exists(text: str) -> None:
    # The tangent lesson draws the tangent of a smooth function without waiting for
    # check_derivative; this is the claim that lets it.
    tree = parse_tree(text)
    assert smooth_everywhere(tree.root)
    f, df, _ = derivative_evaluators(tree)
    for a in [0.0, 1.0, -2.5, 3.7, 800.0, -800.0, 1e3, 1e10, -1e150, 1e300]:
        tangent = tangent_at(f, df, a)
        if np.isfinite(tangent.value) and np.isfinite(tangent.slope):
            check = check_derivative(f, a, tree)
            assert check.defined and check.exists, (text, a, check.reason)
