"""Riemann sums, the interval check and the accumulation function, against mpmath."""

from __future__ import annotations

import mpmath
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from calcstudio.core.area.accumulation import accumulation
from calcstudio.core.area.interval import check_interval, constant_value
from calcstudio.core.area.quadrature import gauss_kronrod
from calcstudio.core.area.riemann import (
    EXPECTED_ORDER,
    RULES,
    error_curve_ns,
    measured_order,
    riemann_sum,
    riemann_sums,
)
from calcstudio.core.jets import derivative_evaluators
from calcstudio.core.language import parse_tree


def fast(text: str):
    """f from the window's fast path (forward differentiation of the syntax tree)."""
    evaluators = derivative_evaluators(parse_tree(text))
    assert evaluators is not None
    return evaluators[0]


def exact(text: str, a: float, b: float) -> float:
    g = {"sin(x)": mpmath.sin, "exp(-x^2)": lambda t: mpmath.exp(-(t**2)), "x^3 - x": None}[text]
    if g is None:
        g = lambda t: t**3 - t  # noqa: E731
    with mpmath.workdps(30):
        return float(mpmath.quad(g, [a, b]))


def test_small_sums_by_hand() -> None:
    square = fast("x^2")
    # [0, 1] in two pieces: heights at 0, 1/2 (left), 1/2, 1 (right), 1/4, 3/4 (midpoint).
    assert riemann_sum(square, 0, 1, 2, "left").total == pytest.approx((0 + 0.25) / 2)
    assert riemann_sum(square, 0, 1, 2, "right").total == pytest.approx((0.25 + 1) / 2)
    assert riemann_sum(square, 0, 1, 2, "midpoint").total == pytest.approx((1 / 16 + 9 / 16) / 2)
    assert riemann_sum(square, 0, 1, 2, "trapezoid").total == pytest.approx((0 + 2 * 0.25 + 1) / 4)
    # x^2 rises on [0, 1]: the upper sum is the right sum, the lower the left.
    assert riemann_sum(square, 0, 1, 7, "upper").total == pytest.approx(
        riemann_sum(square, 0, 1, 7, "right").total
    )
    assert riemann_sum(square, 0, 1, 7, "lower").total == pytest.approx(
        riemann_sum(square, 0, 1, 7, "left").total
    )
    one = riemann_sum(square, 0, 1, 2, "left")
    assert one.width == 0.5 and one.pieces == 2
    np.testing.assert_allclose(one.points, [0.0, 0.5])


def test_upper_and_lower_find_a_peak_inside_a_piece() -> None:
    bump = fast("sin(x)")
    # One piece over [0, pi]: sin's largest value 1 is at pi/2, inside it.
    assert riemann_sum(bump, 0, np.pi, 1, "upper").total == pytest.approx(np.pi, rel=1e-9)
    assert riemann_sum(bump, 0, np.pi, 1, "lower").total == pytest.approx(0, abs=1e-12)


def test_reversed_interval_is_the_negative() -> None:
    f = fast("x^3 - x")
    for rule in ("midpoint", "trapezoid"):
        forward = riemann_sum(f, -1, 2, 50, rule).total
        backward = riemann_sum(f, 2, -1, 50, rule).total
        assert backward == pytest.approx(-forward)


@pytest.mark.parametrize("text, a, b", [("sin(x)", 0.0, 2.0), ("exp(-x^2)", -1.0, 2.0)])
def test_sums_converge_to_mpmath_at_the_expected_order(text: str, a: float, b: float) -> None:
    f, area = fast(text), exact(text, a, b)
    ns = error_curve_ns()
    assert ns.size == 60 and ns[0] == 1 and ns[-1] == 10_000
    sums = riemann_sums(f, a, b, ns, RULES)
    for rule in RULES:
        slope = measured_order(ns[ns >= 4], (sums[rule] - area)[ns >= 4])
        assert abs(slope + EXPECTED_ORDER[rule]) < 0.1, (rule, slope)
        # the many-n path agrees with the one-sum path
        one = riemann_sum(f, a, b, int(ns[30]), rule).total
        assert sums[rule][30] == pytest.approx(one, rel=1e-9, abs=1e-12)
    assert riemann_sum(f, a, b, 10_000, "midpoint").total == pytest.approx(area, abs=1e-8)


def test_a_single_hole_uses_the_limit() -> None:
    sinc = fast("sin(x)/x")  # undefined at 0 alone, its limit there is 1
    total = riemann_sum(sinc, 0, np.pi, 1000, "trapezoid").total
    assert total == pytest.approx(float(mpmath.si(mpmath.pi)), abs=1e-5)
    assert check_interval(sinc, -1, 1).verdict == "ok"


@pytest.mark.parametrize(
    "text, a, b, verdict, where",
    [
        ("1/x", -1.0, 1.0, "diverges", 0.0),
        ("tan(x)", 0.0, 2.0, "diverges", np.pi / 2),
        ("1/(x-0.3001)^2", 0.0, 1.0, "diverges", 0.3001),
        ("1/sqrt(x)", 0.0, 1.0, "improper", 0.0),
        ("ln(x)", 0.0, 1.0, "improper", 0.0),
        ("x^2", -2.0, 3.0, "ok", None),
        ("abs(x)", -1.0, 1.0, "ok", None),
        ("floor(x)", 0.0, 3.0, "ok", None),
        ("exp(-x^2)", -3.0, 3.0, "ok", None),
    ],
)
def test_poles_and_improper_integrals_are_found(
    text: str, a: float, b: float, verdict: str, where: float | None
) -> None:
    check = check_interval(fast(text), a, b)
    assert check.verdict == verdict
    if where is not None:
        assert check.where[0] == pytest.approx(where, abs=1e-6)
        assert "x = " in check.message


def test_undefined_stretch_is_stated() -> None:
    check = check_interval(fast("ln(x)"), -1.0, 1.0)
    assert check.verdict == "undefined" and not check.has_area
    assert "undefined on part of [a, b]" in check.message
    assert check.where[0] == -1.0 and check.where[1] == pytest.approx(0.0, abs=1e-3)
    assert np.isnan(riemann_sum(fast("ln(x)"), -1, 1, 10, "left").total)


def test_constant_bounds() -> None:
    assert constant_value("pi") == pytest.approx(np.pi)
    assert constant_value("-2/3") == pytest.approx(-2 / 3)
    assert constant_value(" e^2 ") == pytest.approx(np.e**2)
    for text, words in [
        ("x", "not depend on x"),
        ("", "Type a number"),
        ("1/0", "not a finite number"),
        ("sin(", "not a number yet"),
    ]:
        with pytest.raises(ValueError, match=words):
            constant_value(text)


def test_accumulation_is_the_antiderivative_and_stops_at_a_pole() -> None:
    xs, area = accumulation(fast("cos(x)"), 0.5, -3.0, 4.0)
    assert xs[0] == -3.0 and xs[-1] == 4.0 and 0.5 in xs
    np.testing.assert_allclose(area, np.sin(xs) - np.sin(0.5), atol=1e-6)
    # its slope is f (the fundamental theorem)
    np.testing.assert_allclose(np.gradient(area, xs)[5:-5], np.cos(xs)[5:-5], atol=1e-4)
    xs, area = accumulation(fast("1/x"), 1.0, -3.0, 4.0)
    assert np.isnan(area[xs <= 0]).all() and np.isfinite(area[xs > 0]).all()
    assert area[-1] == pytest.approx(np.log(4), rel=1e-6)


@pytest.mark.parametrize(
    "text, a, b, reference",
    [
        ("exp(-x^2)", -1.0, 2.0, lambda: mpmath.quad(lambda t: mpmath.exp(-(t**2)), [-1, 2])),
        ("1/sqrt(x)", 0.0, 1.0, lambda: mpmath.mpf(2)),
        ("abs(x)", -1.0, 2.0, lambda: mpmath.mpf(2.5)),
        ("x^2", 3.0, 0.0, lambda: mpmath.mpf(-9)),
    ],
)
def test_gauss_kronrod_against_mpmath(text: str, a: float, b: float, reference) -> None:
    result = gauss_kronrod(fast(text), a, b)
    with mpmath.workdps(30):
        truth = float(reference())
    assert abs(result.value - truth) <= max(result.error, 1e-13)
    assert result.value == pytest.approx(truth, abs=1e-11)
    assert np.isnan(gauss_kronrod(fast("ln(x)"), -1.0, 1.0).value)


@settings(max_examples=60, deadline=None)
@given(
    st.floats(-5, 5),
    st.floats(-5, 5),
    st.floats(-3, 3),
    st.floats(0.1, 8),
    st.floats(-10, 10),
    st.floats(0.01, 10),
    st.integers(1, 300),
)
def test_upper_and_lower_sums_enclose_every_other_rule(c0, c1, c2, c3, a, width, n) -> None:
    def f(x):
        return c0 + c1 * x + c2 * np.sin(c3 * x)

    b = a + width
    totals = {rule: riemann_sum(f, a, b, n, rule).total for rule in RULES}
    slack = 1e-9 * (1 + max(abs(t) for t in totals.values()))
    for rule in ("left", "right", "midpoint", "trapezoid"):
        assert totals["lower"] - slack <= totals[rule] <= totals["upper"] + slack
    # a straight line: midpoint and trapezoid are exact
    line = riemann_sum(lambda x: c0 + c1 * x, a, b, n, "midpoint").total
    assert line == pytest.approx(c0 * width + c1 * (b * b - a * a) / 2, abs=1e-9 * (1 + abs(line)))
