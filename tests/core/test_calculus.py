"""Tangents, secants, difference quotients, derivative checks and critical points."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest

from calcstudio.core.calculus import (
    Tangent,
    central_difference,
    format_number,
    forward_difference,
    limit_table,
    line_across,
    nearest_step,
    numerical_derivative,
    secant,
    tangent_at,
)
from calcstudio.core.critical import critical_points
from calcstudio.core.function import parse

SQUARE = parse("x^2")


@pytest.mark.parametrize("a", [-3.0, -0.5, 0.0, 1.0, 2.5, 1e3])
def test_derivative_of_square_is_2x(a: float) -> None:
    assert float(SQUARE.derivative()(a)) == pytest.approx(2 * a)
    assert numerical_derivative(SQUARE, a) == pytest.approx(2 * a, rel=1e-9, abs=1e-9)


@pytest.mark.parametrize("a", [-3.0, 0.0, 1.0, 2.5])
def test_central_difference_of_square_matches_2x(a: float) -> None:
    assert central_difference(SQUARE, a, 1e-5) == pytest.approx(2 * a, abs=1e-8)


def test_central_difference_beats_forward_difference() -> None:
    f, a, h = parse("sin(x)"), 1.0, 1e-3
    exact = math.cos(a)
    assert abs(central_difference(f, a, h) - exact) < 1e-6
    assert abs(forward_difference(f, a, h) - exact) > 1e-4


def test_numerical_derivative_is_accurate_for_large_and_steep_inputs() -> None:
    assert numerical_derivative(parse("exp(x)"), 10.0) == pytest.approx(math.exp(10), rel=1e-8)
    assert numerical_derivative(parse("sin(200x)"), 0.3) == pytest.approx(
        200 * math.cos(60), rel=1e-6
    )
    # The step grows with |a|, keeping the rounding error relative to f small.
    assert numerical_derivative(parse("x^3"), 1e3) == pytest.approx(3e6, rel=1e-9)


def test_secant_of_square_at_1_with_step_0_1() -> None:
    s = secant(SQUARE, 1.0, 0.1)
    assert s.rise == pytest.approx(0.21, abs=1e-12)
    assert s.run == 0.1
    assert s.slope == pytest.approx(2.1, abs=1e-12)
    assert forward_difference(SQUARE, 1.0, 0.1) == pytest.approx(2.1, abs=1e-12)
    _, ys = s.line(0.0, 2.0)
    # The line passes through both points of the curve.
    assert float(s(1.0)) == pytest.approx(1.0) and float(s(1.1)) == pytest.approx(1.21)
    assert ys == pytest.approx([-1.1, 3.1])
    assert s.equation() == "y = 2.1x - 1.1"


def test_secant_to_the_left_and_zero_step() -> None:
    assert secant(SQUARE, 1.0, -0.1).slope == pytest.approx(1.9)
    with pytest.raises(ValueError):
        secant(SQUARE, 1.0, 0.0)


def test_tangent_of_square_at_1() -> None:
    t = tangent_at(SQUARE, SQUARE.derivative(), 1.0)
    assert (t.point, t.value, t.slope, t.intercept) == (1.0, 1.0, 2.0, -1.0)
    assert t.equation() == "y = 2x - 1"
    xs, ys = t.line(-1.0, 3.0)
    assert xs.tolist() == [-1.0, 3.0] and ys.tolist() == [-3.0, 5.0]
    # Without a symbolic derivative the numerical one gives the same line.
    assert tangent_at(SQUARE, None, 1.0).equation() == "y = 2x - 1"


def test_equations_read_naturally() -> None:
    derivative = SQUARE.derivative()
    assert tangent_at(SQUARE, derivative, -1.0).equation() == "y = -2x - 1"
    assert tangent_at(SQUARE, derivative, 0.0).equation() == "y = 0"
    cubic = parse("x^3")
    assert tangent_at(cubic, cubic.derivative(), -1.0).equation() == "y = 3x + 2"
    assert tangent_at(parse("abs(x)"), None, 0.0).equation() in ("y = 0", "undefined")
    # A slope of 1 or -1 is written as in a textbook: y = x - 1, not y = 1x - 1.
    assert Tangent.through(2.0, 1.0, 1.0).equation() == "y = x - 1"
    assert Tangent.through(2.0, -2.0, -1.0).equation() == "y = -x"
    assert Tangent.through(2.0, 0.0, -1.0).equation("t") == "y = -t + 2"
    assert tangent_at(parse("sqrt(x)"), None, -1.0).equation() == "undefined"


def test_format_number() -> None:
    # The one rule for digits (core.numbers), re-exported here for the readouts.
    assert format_number(2.0) == "2"
    assert format_number(-1e-9) == "-1e-9"
    assert format_number(-0.0) == "0"
    assert format_number(1234567.5) == "1.2345675e6"
    assert format_number(float("nan")) == "undefined"


def test_limit_table_errors_shrink_towards_zero_for_square() -> None:
    rows = limit_table(SQUARE, 1.0, 2.0)
    assert [row.step for row in rows] == [1.0, 0.1, 0.01, 1e-3, 1e-4, 1e-5, 1e-6]
    assert rows[0].quotient == pytest.approx(3.0)
    errors = [row.error for row in rows]
    assert all(later < earlier for earlier, later in itertools.pairwise(errors))
    # For x^2 the forward quotient is exactly 2 + h, so its error is h.
    for row in rows:
        assert row.error == pytest.approx(row.step, rel=1e-3)
    assert errors[-1] < 1e-5


def test_limit_table_without_an_exact_derivative() -> None:
    rows = limit_table(parse("exp(x)"), 0.0, steps=(0.5, 0.05))
    assert rows[1].error < rows[0].error
    assert rows[1].error == pytest.approx(abs((math.exp(0.05) - 1) / 0.05 - 1), rel=1e-6)


def test_critical_points_of_a_cubic() -> None:
    f = parse("x^3 - 3x")
    found = critical_points(f.derivative(), -3.0, 3.0)
    assert [point.kind for point in found] == ["maximum", "minimum"]
    assert [point.x for point in found] == pytest.approx([-1.0, 1.0], abs=1e-12)


def test_critical_points_of_sine_and_flat_points() -> None:
    found = critical_points(parse("cos(x)"), -7.0, 7.0)
    expected = [-3 * math.pi / 2, -math.pi / 2, math.pi / 2, 3 * math.pi / 2]
    assert [point.x for point in found] == pytest.approx(expected, abs=1e-12)
    assert [point.kind for point in found] == ["maximum", "minimum", "maximum", "minimum"]
    # x^3 has f'(0) = 0 but no sign change; with an odd grid 0 is a sample point.
    for x_max in (2.1, 2.0):
        (x, kind, _), *rest = critical_points(parse("3x^2"), -2.0, x_max)
        assert not rest and abs(x) < 1e-6 and kind == "flat"


def test_poles_and_jumps_of_the_derivative() -> None:
    # f = log|x|: f' = 1/x changes sign across its pole, which is no critical point.
    assert critical_points(parse("1/x"), -2.0, 2.1) == []
    # f = |x|: f' = sign(x) changes sign at the corner, a minimum without f' = 0.
    (x, kind, _), *rest = critical_points(parse("sign(x)"), -1.0, 1.3)
    assert not rest and abs(x) < 1e-12 and kind == "minimum"


@pytest.mark.parametrize(
    ("text", "x_min", "x_max", "expected"),
    [
        ("2x", 0.0, 2.0, [(0.0, "minimum")]),  # x^2 on [0, 2]: its minimum, not "flat"
        ("2x", -2.0, 0.0, [(0.0, "minimum")]),
        ("-2x", 0.0, 2.0, [(0.0, "maximum")]),
        ("3x^2", 0.0, 2.0, [(0.0, "flat")]),  # x^3: flat at 0 whichever side is seen
        ("2x - 4", 0.0, 2.0, [(2.0, "minimum")]),
        ("1/sqrt(x)", 0.0, 2.0, []),
    ],
)
def test_critical_points_at_the_ends_of_the_interval(
    text: str, x_min: float, x_max: float, expected: list
) -> None:
    found = critical_points(parse(text), x_min, x_max)
    assert [(point.x, point.kind) for point in found] == expected


def test_a_derivative_zero_on_a_stretch_is_one_interval() -> None:
    # relu′ is 0 left of 0 and 1 right of it: one flat interval, not 1000 grid points.
    (found,) = critical_points(parse("relu(x)").derivative(), -2.0, 2.0)
    assert found.kind == "flat interval"
    assert found.x == -2.0 and found.end == pytest.approx(0.0, abs=1e-12)
    (constant,) = critical_points(parse("0*x"), -1.0, 3.0)
    assert constant == (-1.0, "flat interval", 3.0)
    # f = relu(x - 1)^2: flat up to 1, then rising; the end of the stretch is found.
    (edge,) = critical_points(parse("2 relu(x - 1)"), -3.0, 3.0)
    assert edge.x == -3.0 and edge.end == pytest.approx(1.0, abs=1e-12)


def test_nearest_step_is_measured_on_a_log_scale() -> None:
    steps = [1.0, 0.1, 0.01, 1e-3, 1e-4, 1e-5, 1e-6]
    assert nearest_step(steps, 0.5) == 0  # log10 0.5 = -0.3: nearer 1 than 0.1
    assert nearest_step(steps, 0.02) == 2
    assert nearest_step(steps, 2e-4) == 4
    assert nearest_step(steps, -1e-6) == 6
    assert nearest_step(steps, 0.0) == -1
    assert nearest_step([], 0.5) == -1


@pytest.mark.parametrize("slope", [0.0, 1e-9, 3.75, -200.0, 1e12])
def test_a_line_is_cut_to_near_the_view_and_still_crosses_it(slope: float) -> None:
    # The drawn part reaches a little beyond the view, or to its sides: the whole visible
    # stretch is drawn, and nothing a million view heights away.
    x_range, y_range = (-5.0, 5.0), (-1.0, 1.0)
    xs, ys = line_across(0.5, 0.25, slope, x_range, y_range)
    np.testing.assert_allclose(ys, 0.25 + slope * (xs - 0.5))
    for x, y, edge in zip(xs, ys, x_range, strict=True):
        assert x == edge or abs(y) == pytest.approx(1.1, rel=1e-4)  # x rounds, times 1e12
    assert np.all(np.abs(ys) <= 1.1 * (1 + 1e-4))
    whole_x, _ = line_across(0.5, 0.25, slope, x_range)
    np.testing.assert_array_equal(whole_x, x_range)


def test_a_line_that_misses_the_view_is_drawn_whole() -> None:
    xs, _ = line_across(0.0, 100.0, 0.0, (-5.0, 5.0), (-1.0, 1.0))
    np.testing.assert_array_equal(xs, [-5.0, 5.0])
