"""Functions: derivatives, evaluation semantics and the seed numbers from the lessons."""

from __future__ import annotations

import math
from collections.abc import Callable

import mpmath
import numpy as np
import pytest
import sympy as sp
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from calcstudio.core.function import Function, parse
from calcstudio.core.language import ParseError


def test_seed_derivatives() -> None:
    assert parse("x^2").derivative().text == "2*x"
    assert parse("sin((4x)^2)").derivative().text == "32*x*cos(16*x^2)"
    # chain rule: h(g(x)) with h = u^3 and g = x^2
    assert parse("(x^2)^3").derivative().text == "6*x^5"


def test_gradient_of_the_bowl_at_a_point() -> None:
    f = parse("w1^2 + 2*w2^2")
    assert [float(g(1.0, -2.0)) for g in f.gradient()] == [2.0, -8.0]
    hessian = [[float(h(0.0, 0.0)) for h in row] for row in f.hessian()]
    assert hessian == [[2.0, 0.0], [0.0, 4.0]]


def test_second_derivative_and_partial_derivative() -> None:
    assert parse("x^3 - 3x").derivative(order=2).text == "6*x"
    assert parse("x^2 y").derivative("y").text == "x^2"
    with pytest.raises(ValueError, match="say which one"):
        parse("x y").derivative()


def test_evaluation_is_float64_nan_where_undefined() -> None:
    x = np.array([-1.0, 0.0, 4.0])
    assert np.array_equal(parse("sqrt(x)")(x), [np.nan, 0.0, 2.0], equal_nan=True)
    assert np.isnan(parse("log(x)")(0.0))
    assert np.isnan(parse("1/x")(0.0))
    assert parse("sqrt(x)")(x).dtype == np.float64


def test_real_odd_roots() -> None:
    assert float(parse("x^(1/3)")(-8.0)) == pytest.approx(-2.0)
    assert float(parse("cbrt(x)")(-27.0)) == pytest.approx(-3.0)
    assert float(parse("x^(2/3)")(-8.0)) == pytest.approx(4.0)
    assert np.isnan(parse("x^(1/2)")(-4.0))


def test_constants_and_broadcasting() -> None:
    assert parse("3")(np.zeros((2, 3))).shape == (2, 3)
    f = parse("x + y")
    assert f(np.arange(3.0)[:, None], np.arange(4.0)[None, :]).shape == (3, 4)


def test_identity_does_not_alias_its_input() -> None:
    x = np.array([1.0, np.inf])
    parse("x")(x)
    assert x[1] == np.inf


def test_unevaluable_derivatives_become_zero_with_a_note() -> None:
    for text in ("floor(x)", "sign(x)", "ceil(x)"):
        derivative = parse(text).derivative()
        assert np.array_equal(derivative(np.array([-1.5, 0.5, 2.5])), [0.0, 0.0, 0.0])
        assert derivative.notes and "jumps" in derivative.notes[0]
    assert parse("x^2").derivative().notes == ()


def test_activation_derivatives() -> None:
    relu_slope = parse("relu(x)").derivative()
    assert list(relu_slope(np.array([-1.0, 2.0]))) == [0.0, 1.0]
    sigmoid_slope = parse("sigmoid(x)").derivative()
    assert float(sigmoid_slope(0.0)) == pytest.approx(0.25)
    assert float(parse("abs(x)").derivative()(-3.0)) == -1.0


def test_latex_is_typeset_maths() -> None:
    assert parse("sqrt(x)/2").latex == r"\frac{\sqrt{x}}{2}"


# Random expressions from the language, checked against a careful finite difference.
LEAVES = st.sampled_from(["x", "2", "0.5", "3x", "pi"])
UNARY = st.sampled_from(["sin", "cos", "exp", "atan", "tanh", "sigmoid", "softplus", "sqrt"])


def _combine(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    binary = st.tuples(children, st.sampled_from(["+", "-", "*", "/"]), children).map(
        lambda t: f"({t[0]}){t[1]}({t[2]})"
    )
    call = st.tuples(UNARY, children).map(lambda t: f"{t[0]}({t[1]})")
    power = st.tuples(children, st.sampled_from(["2", "3"])).map(lambda t: f"({t[0]})^{t[1]}")
    return binary | call | power


EXPRESSIONS = st.recursive(LEAVES, _combine, max_leaves=6)


def _at_high_precision(f: Function) -> Callable[[mpmath.mpf], mpmath.mpf]:
    """f evaluated by sympy at mpmath's working precision, independent of its derivative."""
    (symbol,) = f.symbols

    def value(t: mpmath.mpf) -> mpmath.mpf:
        digits = mpmath.mp.dps + 10  # mpmath.diff raises the working precision as it needs
        number = f.expr.xreplace({symbol: sp.Float(t, digits)}).evalf(digits)
        if not isinstance(number, sp.Float):  # undefined or complex there
            return mpmath.nan
        return mpmath.mpf(number._as_mpf_val(mpmath.mp.prec))

    return value


@settings(max_examples=80, deadline=None)
@given(EXPRESSIONS, st.floats(min_value=0.2, max_value=2.0))
def test_symbolic_derivative_matches_a_40_digit_numerical_derivative(text: str, x: float) -> None:
    try:
        f = parse(text)
    except ParseError:  # generated nonsense such as x/(x-x) is rightly refused
        assume(False)
    exact = float(f.derivative()(x))
    # The reference differentiates f numerically at 40 digits (mpmath.diff), so no step size
    # makes it ill-conditioned (a float64 finite difference of sin(2/x^3) at 0.25 was).
    with mpmath.workdps(40):
        reference = mpmath.diff(_at_high_precision(f), mpmath.mpf(x))
    assume(math.isfinite(exact) and mpmath.isfinite(reference))
    assert exact == pytest.approx(float(reference), rel=1e-9, abs=1e-12), text


def test_the_case_that_a_finite_difference_got_wrong() -> None:
    f = parse("sin((2)/((x)^3))")
    with mpmath.workdps(40):
        reference = mpmath.diff(_at_high_precision(f), mpmath.mpf(0.25))
    # d/dx sin(2/x^3) = -6 cos(2/x^3) / x^4
    assert float(f.derivative()(0.25)) == pytest.approx(-6 * math.cos(128) / 0.25**4, rel=1e-12)
    assert float(f.derivative()(0.25)) == pytest.approx(float(reference), rel=1e-12)


def test_abs_of_what_sympy_cannot_prove_real_still_differentiates() -> None:
    for text, x, slope in [
        ("abs(sqrt(x) - 1)", 0.25, -1.0),
        ("|sqrt(1 - x^2)|", 0.5, -0.5 / np.sqrt(0.75)),
        ("abs(asin(x))", -0.5, -1 / np.sqrt(0.75)),
    ]:
        f = parse(text)
        assert f.text.startswith("abs(")
        assert float(f.derivative()(x)) == pytest.approx(slope), text
    assert parse("abs(sqrt(x) - 1)").latex == r"\left|\sqrt{x} - 1\right|"


def test_odd_roots_of_negative_constants_are_real() -> None:
    assert parse("(-8)^(1/3)*x").text == "-2*x"
    assert parse("cbrt(-27) + x").text == "x - 3"
    assert parse("(-32)^(3/5)").text == "-8"


def test_min_of_a_complex_constant_is_a_parse_error() -> None:
    with pytest.raises(ParseError, match="'asin\\(2\\)' is not a real number"):
        parse("min(x, asin(2))")


def test_a_sums_derivative_is_sympys_and_reuses_the_terms_differentiated_before(
    monkeypatch,
) -> None:
    from calcstudio.core import function

    x = sp.Symbol("x", real=True)
    typed = "3x^5 - 2x^4 + sin(x)*x^2 + exp(-x^2/2) - 1/(1+x^2)"
    for end in range(1, len(typed) + 1):
        try:
            f = parse(typed[:end])
        except ValueError:
            continue  # not a function yet
        for expr in (f.expr, sp.diff(f.expr, x)):
            assert function._derivative(expr, x) == sp.diff(expr, x)

    differentiated: list[object] = []
    diff = sp.diff

    def counting(expr, *symbols):  # type: ignore[no-untyped-def]
        differentiated.append(expr)
        return diff(expr, *symbols)

    monkeypatch.setattr(sp, "diff", counting)
    function._term_derivative.cache_clear()
    terms = [(k + 2) * x**k * sp.cos(k * x) for k in range(1, 30)]
    function._derivative(sp.Add(*terms), x)
    differentiated.clear()
    new = 7 * x**31 * sp.sin(x)  # the next keystroke's term
    function._derivative(sp.Add(*terms, new), x)
    assert differentiated == [new]
