"""One truth on both paths: the symbolic formulas and the per-keystroke jets agree.

Every derivative text is in the expression language and parses back (with the project's own
parser) to the same function (issue 7 §6); the two paths give the same values of f, f′ and f″,
defined at the same points, over a corpus of several hundred functions and on random
expressions (issue 8).

Ill-conditioned points are skipped by this stated measure: a point x is skipped for a quantity
q when moving x by δ = 1e-9·(1 + |x|) or by one unit in the last place, either way, changes
whether q is defined (a domain edge, a jump or a tie is that close), or moves q by more than
1e-6·(1 + |q|) (its condition number exceeds about 10³, or its float64 value is mostly
rounding noise from cancelling terms, as the second derivative of log(x, x) = ln x / ln x
near 0 is: two correct evaluations can then differ in the 7th digit), or when |q| > 1e8.
Everywhere else the paths must agree to 1e-6·(1 + |q|) and both be defined or both undefined.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from calcstudio.core.function import Function, parse
from calcstudio.core.jets import derivative_evaluators
from calcstudio.core.language import FUNCTION_ARITY, ParseError, parse_tree
from calcstudio.core.typeset import formula_svg

Evaluator = Callable[[np.ndarray], np.ndarray]
XS = np.linspace(-3.3, 3.7, 57) + 1.234e-3


def _steady(q: Evaluator, xs: np.ndarray, values: np.ndarray) -> np.ndarray:
    """Where q is well-conditioned by the measure in the module docstring."""
    delta = 1e-9 * (1 + np.abs(xs))
    steady = np.abs(np.nan_to_num(values)) <= 1e8
    nudges = (xs - delta, xs + delta, np.nextafter(xs, -np.inf), np.nextafter(xs, np.inf))
    for nudged in map(q, nudges):
        steady &= np.isnan(nudged) == np.isnan(values)
        moved = np.abs(nudged - values) > 1e-6 * (1 + np.abs(values))
        steady &= ~(moved & ~np.isnan(values))
    return steady


def _symbolic(text: str) -> tuple[Function, Function, Function]:
    f = parse(text)
    return f, f.derivative(), f.derivative(order=2)


def assert_paths_agree(text: str, xs: np.ndarray = XS) -> tuple[Function, ...]:
    """f, f′, f″ of both paths agree at the well-conditioned points of ``xs``."""
    fast = derivative_evaluators(parse_tree(text))
    assert fast is not None
    symbolic = _symbolic(text)
    for order, (quick, exact) in enumerate(zip(fast, symbolic, strict=True)):
        a, b = quick(xs), exact(xs)
        steady = _steady(quick, xs, a) & _steady(exact, xs, b)
        mismatch = np.isnan(a[steady]) != np.isnan(b[steady])
        assert not mismatch.any(), (text, order, xs[steady][mismatch], a[steady][mismatch])
        both = steady & ~np.isnan(a)
        # The same tolerance as the measure: 1e-6·(1 + |q|).
        np.testing.assert_allclose(a[both], b[both], rtol=1e-6, atol=1e-6, err_msg=text)
    return symbolic


FORBIDDEN = re.compile(r"Derivative|Subs|Delta|Heaviside|theta|_xi|\d\.\d|zoo|\bnan\b|\bI\b")
INNER = ["x", "2x - 1", "x^2", "x/3 + 0.5"]
TEMPLATES = ["{}", "x*{}"]
SPECIAL = [
    "x^2", "x^3 - 3x", "sin((4x)^2)", "(x^2)^3", "1/(1+exp(-x))", "tanh(x)", "x*sin(1/x)",
    "exp(-x^2)*cos(3x)", "x^(1/3)", "x^(2/3)", "(x-1)^(-2/5)", "x^x", "2^x", "e^(-x)",
    "log(x, 2) + log10(x) + ln(x)", "max(x, x^2, 1/2) - min(sin(x), 0)", "softplus(x)*sigmoid(3x)",
    "floor(x) + ceil(x)/2 + sign(x)", "x^pi + x^0.5", "0.5(x-3)^2", "0.25sin(4x)", "x^2.0",
    "log(x, 0.5)", "(x+1)/(x-1)", "floor(x^2) + x", "log(abs(x))", "min(x^2, 1, 2-x)",
    "sqrt(x^2)", "cbrt(-x^2)", "softplus(x^x)", "relu(x)^2", "abs(x)^3", "step(x - 1)*x",
    "log(sigmoid(x))", "sqrt(x)^2", "exp(log(x))", "sqrt(x)/sqrt(x)", "(x^2 - 1)/(x + 1)",
    "sin(x)^2 + cos(x)^2", "atan(1/x)", "acot(x^2 - 1)", "x^(1/5) - 0.2x", "abs(sin(x))",
]  # fmt: skip


def _corpus() -> list[str]:
    names = sorted(set(FUNCTION_ARITY) - {"log", "min", "max"})
    calls = [f"{name}({u})" for name in names for u in INNER]
    calls += [f"log({u}, 3)" for u in INNER]
    calls += [f"max({u}, 1 - x)" for u in INNER] + [f"min({u}, x^2 - 2)" for u in INNER]
    return [template.format(call) for call in calls for template in TEMPLATES] + SPECIAL


CORPUS = _corpus()


def test_the_corpus_has_several_hundred_functions() -> None:
    assert len(CORPUS) >= 300


@pytest.mark.parametrize("text", CORPUS)
def test_derivative_texts_parse_back_and_agree_with_the_fast_path(text: str) -> None:
    symbolic = assert_paths_agree(text)
    fast = derivative_evaluators(parse_tree(text))
    for order in (1, 2):
        g = symbolic[order]
        assert not FORBIDDEN.search(g.text), (text, g.text)
        assert not re.search(r"\\(theta|delta)|Derivative|\d\.\d", g.latex), (text, g.latex)
        back = parse(g.text)  # a ParseError here fails the test
        # The text parses back to the same function wherever the derivative exists.
        defined = ~np.isnan(g(XS)) & _steady(g, XS, g(XS))
        np.testing.assert_allclose(back(XS)[defined], g(XS)[defined], rtol=1e-9, atol=1e-12)
        np.testing.assert_allclose(
            back(XS)[defined], fast[order](XS)[defined], rtol=1e-6, atol=1e-9, err_msg=text
        )


TEXTBOOK = [
    ("floor(x^2) + x", "1", "x^2 is not a whole number"),
    ("floor(x)", "0", "x is not a whole number"),
    ("relu(x)", "step(x)", ""),
    ("0.5(x-3)^2", "x - 3", ""),
    ("0.25sin(4x)", "cos(4*x)", ""),
    ("x^2.0", "2*x", ""),
    ("log(x, 0.5)", "-1/(x*log(2))", "x > 0"),
    ("log10(x)", "1/(x*log(10))", "x > 0"),
    ("(x+1)/(x-1)", "-2/(x - 1)^2", ""),
    ("sin((4x)^2)", "32*x*cos(16*x^2)", ""),
    ("(x^2)^3", "6*x^5", ""),
    ("abs(x)", "sign(x)", ""),
    ("softplus(x)", "sigmoid(x)", ""),
]


@pytest.mark.parametrize(("text", "slope", "condition"), TEXTBOOK)
def test_derivatives_read_as_a_textbook_writes_them(text: str, slope: str, condition: str) -> None:
    derivative = parse(text).derivative()
    assert (derivative.text, derivative.condition) == (slope, condition)
    assert formula_svg(rf"f^{{\prime}}(x) = {derivative.latex}")  # mathtext can typeset it


def test_second_derivatives_of_kinks_and_of_log_abs() -> None:
    assert parse("abs(x)").derivative(order=2).shown == "0, for x ≠ 0"
    assert parse("relu(x)").derivative(order=2).shown == "0, for x ≠ 0"
    assert parse("log(abs(x))").derivative(order=2).shown == "-1/x^2, for x ≠ 0"
    assert parse("log(x, 0.5)").text == "log(x, 1/2)"


# Issue 8: clear examples where the two paths disagreed.
def test_real_cube_roots_of_negative_values_on_both_paths() -> None:
    f = parse("cbrt(-x^2)")
    assert float(f(2.0)) == pytest.approx(-(4 ** (1 / 3)), rel=1e-12)  # -1.587
    fast = derivative_evaluators(parse_tree("cbrt(-x^2)"))
    assert fast[0](np.array([2.0]))[0] == pytest.approx(float(f(2.0)), rel=1e-12)
    assert_paths_agree("cbrt(-x^2)")
    constant = parse("cbrt(cot(3)) + 0x")
    assert float(constant(1.0)) == pytest.approx(np.cbrt(1 / np.tan(3.0)), rel=1e-12)
    assert_paths_agree("cbrt(cot(3)) + 0x")


def test_acot_of_minus_zero_is_pi_over_two_on_both_paths() -> None:
    for text in ("acot(-x)", "acot(-0) + x - x", "acot(x)"):
        fast = derivative_evaluators(parse_tree(text))
        assert fast[0](np.array([0.0]))[0] == pytest.approx(np.pi / 2), text
        assert float(parse(text)(0.0)) == pytest.approx(np.pi / 2), text


def test_softplus_of_a_large_power_on_both_paths() -> None:
    x = np.array([4.43, 5.0])
    fast = derivative_evaluators(parse_tree("softplus(x^x)"))
    exact = parse("softplus(x^x)")
    np.testing.assert_allclose(exact(x), x**x, rtol=1e-12)
    np.testing.assert_allclose(fast[0](x), x**x, rtol=1e-12)
    assert_paths_agree("softplus(x^x)", np.linspace(0.1, 5.0, 50))


LEAVES = st.sampled_from(["x", "2", "0.5", "3x", "pi", "x^(1/3)", "-x", "1/3"])
FUNCTIONS = st.sampled_from(sorted(set(FUNCTION_ARITY) - {"log", "min", "max"}))


def _combine(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    binary = st.tuples(children, st.sampled_from(["+", "-", "*", "/", "^"]), children).map(
        lambda t: f"({t[0]}){t[1]}({t[2]})"
    )
    call = st.tuples(FUNCTIONS, children).map(lambda t: f"{t[0]}({t[1]})")
    pair = st.tuples(st.sampled_from(["min", "max", "log"]), children, children).map(
        lambda t: f"{t[0]}({t[1]}, {t[2]})"
    )
    return binary | call | pair


# Derandomized: the same 120 expressions on every run, so CI never turns red by luck. A random
# run of 2,500 expressions (8 points each) found no disagreement; one known case is left:
# csch(u)'' where u is about 1e5 (its true value underflows to 0) is 0 on the fast path and
# undefined in sympy's formula, whose sinh(u)^2 overflows (inf/inf).
@settings(max_examples=120, deadline=None, derandomize=True)
@given(st.recursive(LEAVES, _combine, max_leaves=5), st.lists(st.floats(-4, 4), min_size=8))
def test_random_expressions_agree_on_both_paths(text: str, points: list[float]) -> None:
    try:
        parse(text)
    except ParseError:  # x/(x-x), log(x, 1): rightly refused
        assume(False)
    assert_paths_agree(text, np.array(points))


def test_typed_decimals_are_exact_on_both_paths() -> None:
    # 0.2 is 1/5, so x^0.2 is the real fifth root, as x^(1/5) is.
    for text in ("x^0.2", "x^(1/5)"):
        fast = derivative_evaluators(parse_tree(text))
        assert fast[0](np.array([-32.0]))[0] == pytest.approx(-2.0), text
        assert float(parse(text)(-32.0)) == pytest.approx(-2.0), text
    assert parse("x^0.5").text == "sqrt(x)" and np.isnan(parse("x^0.5")(-4.0))
    # A typed number beyond 10^300 is refused while typing, before anything is computed.
    with pytest.raises(ParseError, match="too large"):
        parse_tree("x^1e400")
