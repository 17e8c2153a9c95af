"""Polynomials typed term by term are evaluated as a whole, by Horner's scheme."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest

from calcstudio.benchmark.corpus import DEGREE_30_POLYNOMIAL
from calcstudio.core.jets import derivative_evaluators
from calcstudio.core.language import Node, parse_tree
from calcstudio.core.polynomials import polynomial_coefficients


def _coefficients(text: str) -> list[Fraction] | None:
    """The coefficients of ``text``'s top-level sum, as the jets compiler gathers it."""
    node, terms = parse_tree(text).root, []
    while node.kind in ("add", "sub"):
        terms.append((node.kind, node.args[1]))
        node = node.args[0]
    terms.append(("add", node))
    found = polynomial_coefficients(terms[::-1])
    return None if found is None else list(found)


def test_sums_of_typed_monomials_are_recognised_with_their_coefficients() -> None:
    assert _coefficients("3x^2 - x/2 + 1") == [1.0, -0.5, 3.0]
    assert _coefficients("-3x^2/4 + 2x - x*x^3") == [0.0, 2.0, -0.75, 0.0, -1.0]
    assert _coefficients("x^3 - x^3 + x - 2") == [-2.0, 1.0]  # the cancelled cube is gone
    assert _coefficients("2*-x + x^0") == [1.0, -2.0]
    # Exact, as typed: a third is 1/3, not the float nearest it; 0.1 is 1/10.
    assert _coefficients("x^3/3 - 0.1x") == [0, Fraction(-1, 10), 0, Fraction(1, 3)]


@pytest.mark.parametrize(
    ("text", "points"),
    [
        ("x^3/3 - x", [-1.0, 1.0]),  # issue 3's panel wrote f′(1) = −1.11e-16 here
        ("x^3/3 - x^2/2 - 2x", [-1.0, 2.0]),  # f′ = x² − x − 2 = (x − 2)(x + 1)
        ("0.1x^3 - 0.3x", [-1.0, 1.0]),
        ("x^4/4 - x^3/3", [0.0, 1.0]),
    ],
)
def test_a_slope_that_is_exactly_zero_is_written_zero(text: str, points: list[float]) -> None:
    # Known by hand: each point is a root of f′. Carrying f′ through f's Horner steps added
    # the rounded 1/3 three times and left a slope of 2⁻⁵³ (a false "f′(a) = −1.11e-16").
    _, df, _ = derivative_evaluators(parse_tree(text))
    assert df(np.array(points)).tolist() == [0.0] * len(points)
    for point in points:
        assert float(df(np.array(point))) == 0.0  # a descent's one point, the same


@pytest.mark.parametrize(
    "text",
    [
        "x + sin(x)",  # not a polynomial
        "1/x + x",
        "x^2.5 + x",
        "x^-2 + x",
        "pi*x + 1",  # a named constant's coefficient: left to the term-by-term rules
        "x/0 + 1",  # undefined: the term-by-term rules say so
        "x^3 - x^3 + 1",  # no variable left
        "x^60 + 1",  # two terms over sixty degrees: squaring is cheaper
        "x^65 + x^64 + x^63 + x^62 + x",  # beyond the largest degree
        "1e200*1e200*x + 1",  # a coefficient beyond floats
    ],
)
def test_other_sums_are_left_to_the_term_by_term_rules(text: str) -> None:
    assert _coefficients(text) is None


@pytest.mark.parametrize("value", ["nan", "inf"])
def test_a_number_that_is_not_finite_leaves_the_sum_to_the_term_by_term_rules(value) -> None:
    # The chain lesson's graph writes a node's other inputs into it as number nodes, by
    # repr: a value that is not finite comes in as 'nan' or 'inf' (once: "Invalid literal
    # for Fraction").
    x = Node("name", "x", (), 0, 1)
    number = Node("num", value, (), 0, 3)
    assert (
        polynomial_coefficients([("add", x), ("add", Node("mul", "*", (number, x), 0, 3))]) is None
    )


def _exact(coefficients: list[Fraction], x: Fraction, order: int) -> Fraction:
    """The ``order``-th derivative of the polynomial at x, in exact rational arithmetic."""
    total = Fraction(0)
    for k, c in enumerate(coefficients):
        if k >= order:
            falling = 1
            for i in range(order):
                falling *= k - i
            total += c * falling * x ** (k - order)
    return total


@pytest.mark.parametrize(
    "text", [DEGREE_30_POLYNOMIAL, "x^4 - 3x^2 + x", "0.5x^5 - 2x^3/3 + 7x - 1", "-x^2 + 4x"]
)
def test_values_and_slopes_match_exact_arithmetic(text: str) -> None:
    coefficients = [Fraction(c) for c in _coefficients(text)]
    evaluators = derivative_evaluators(parse_tree(text))
    xs = np.array([-1.3, -0.25, 0.0, 0.7, 1.0, 2.0, 3.5])
    for order, evaluate in enumerate(evaluators):
        got = evaluate(xs)
        for x, value in zip(xs, got, strict=True):
            exact = _exact(coefficients, Fraction(x), order)
            # Rounding is relative to the terms' sizes, not to a sum that may cancel.
            scale = _exact([abs(c) for c in coefficients], abs(Fraction(x)), order)
            assert abs(Fraction(value) - exact) <= 1e-14 * max(scale, 1), (text, order, x)


def test_a_point_gets_the_same_number_alone_as_in_an_array() -> None:
    # The race compares each ball's verdict alone with the verdicts of all balls at once.
    f, df, d2f = derivative_evaluators(parse_tree(DEGREE_30_POLYNOMIAL))
    xs = np.linspace(-1.2, 1.2, 97)
    for evaluate in (f, df, d2f):
        together = evaluate(xs)
        alone = np.array([evaluate(np.array([x]))[0] for x in xs])
        assert np.array_equal(together, alone)


def test_a_finite_value_is_not_lost_to_an_overflowing_power() -> None:
    # At x = 1e90 the value is about 1e260, but term by term x^4 = 1e360 overflows first.
    text = "1e-100x^4 + 1e-100x^3 + 1e-100x^2 + x"
    coefficients = [Fraction(c) for c in _coefficients(text)]
    f, df, _ = derivative_evaluators(parse_tree(text))
    x = Fraction(10) ** 90
    assert f(np.array([1e90]))[0] == pytest.approx(float(_exact(coefficients, x, 0)), rel=1e-13)
    assert df(np.array([1e90]))[0] == pytest.approx(float(_exact(coefficients, x, 1)), rel=1e-13)
