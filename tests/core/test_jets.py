"""The sympy-free fast path must give the same f, f', f'' as the symbolic engine."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from calcstudio.core.function import parse
from calcstudio.core.jet_rules import RULES
from calcstudio.core.jets import derivative_evaluators
from calcstudio.core.language import FUNCTION_ARITY, ParseError, parse_tree
from calcstudio.core.numeric import restricted_to

# Off the round numbers, where max/min ties and relu's kink would make both sides "right".
XS = np.linspace(-3.7, 4.3, 401) + 1.234e-4

LESSON_FUNCTIONS = [
    "x^2",
    "x^3 - 3x",
    "sin((4x)^2)",
    "(x^2)^3",
    "1/(1+exp(-x))",
    "tanh(x)",
    "relu(x)",
    "tan(x)",
    "x*sin(1/x)",
    "abs(x)",
    "exp(-x^2)*cos(3x)",
    "x^(1/3)",
    "x^(2/3)",
    "(x-1)^(-2/5)",
    "sqrt(x)",
    "x^x",
    "2^x",
    "e^(-x)",
    "log(x, 2) + log10(x) + ln(x)",
    "max(x, x^2, 1/2) - min(sin(x), 0)",
    "softplus(x) * sigmoid(3x)",
    "floor(x) + ceil(x)/2 + sign(x)",
    "x^pi + x^0.5",
    "cbrt(x) - 2",
    "5",
    "pi x^2",
]


def _symbolic(text: str):
    f = parse(text)
    return f, restricted_to(f, f.derivative()), restricted_to(f, f.derivative(order=2))


def _assert_same(fast: np.ndarray, exact: np.ndarray) -> None:
    both = np.isfinite(fast) & np.isfinite(exact)
    # Where one side is defined the other must be too, except at isolated points where the
    # symbolic form simplified a removable singularity away.
    assert np.count_nonzero(np.isfinite(fast) != np.isfinite(exact)) <= 2
    np.testing.assert_allclose(fast[both], exact[both], rtol=1e-7, atol=1e-7)


@pytest.mark.parametrize("text", LESSON_FUNCTIONS)
def test_jets_match_symbolic_derivatives(text: str) -> None:
    fast = derivative_evaluators(parse_tree(text))
    assert fast is not None
    for fast_part, exact_part in zip(fast, _symbolic(text), strict=True):
        _assert_same(fast_part(XS), exact_part(XS))


@pytest.mark.parametrize("name", sorted(set(FUNCTION_ARITY) - {"min", "max"}))
def test_every_function_of_the_language_has_a_rule(name: str) -> None:
    text = "log(0.5x+3, 3)" if name == "log" else f"{name}(0.3x + 0.1)"
    test_jets_match_symbolic_derivatives(text)
    assert name in RULES or name in ("cbrt",)


def test_seed_numbers() -> None:
    _f, df, d2f = derivative_evaluators(parse_tree("sin((4x)^2)"))
    x = np.array([0.3])
    assert df(x)[0] == pytest.approx(32 * 0.3 * np.cos(16 * 0.09))
    _, dh, _ = derivative_evaluators(parse_tree("(x^2)^3"))
    assert dh(np.array([2.0]))[0] == pytest.approx(6 * 2.0**5)
    assert d2f is not None


def test_out_of_domain_is_nan_not_complex_and_shapes_broadcast() -> None:
    f, df, d2f = derivative_evaluators(parse_tree("sqrt(x) + log(x)"))
    values = f(np.array([-1.0, 0.0, 4.0]))
    assert np.isnan(values[:2]).all() and values[2] == pytest.approx(2 + np.log(4))
    constant, slope, _ = derivative_evaluators(parse_tree("7"))
    assert constant(np.zeros((2, 3))).shape == (2, 3)
    assert (slope(np.zeros(4)) == 0).all()
    assert np.isnan(df(np.array([-2.0]))).all() and np.isnan(d2f(np.array([-2.0]))).all()


def test_real_odd_root_of_a_negative_number() -> None:
    f, df, _ = derivative_evaluators(parse_tree("x^(1/3)"))
    assert f(np.array([-8.0]))[0] == pytest.approx(-2.0)
    assert df(np.array([-8.0]))[0] == pytest.approx(1 / 12)


def test_no_slope_where_the_function_is_undefined() -> None:
    _, df, d2f = derivative_evaluators(parse_tree("ln(x)"))
    assert np.isnan(df(np.array([-1.0]))).all() and np.isnan(d2f(np.array([-1.0]))).all()
    assert df(np.array([2.0]))[0] == pytest.approx(0.5)
    f = parse("ln(x)")
    slope = restricted_to(f, f.derivative())
    assert np.isnan(slope(np.array([-1.0]))).all() and slope(np.array([4.0]))[0] == 0.25


def test_two_variables_have_no_fast_path() -> None:
    assert derivative_evaluators(parse_tree("w1^2 + 2w2^2")) is None


LEAVES = st.sampled_from(["x", "2", "0.5", "3x", "pi", "x^(1/3)"])
UNARY = st.sampled_from(["sin", "cos", "exp", "atan", "tanh", "sigmoid", "softplus", "sqrt", "ln"])


def _combine(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    binary = st.tuples(children, st.sampled_from(["+", "-", "*", "/", "^"]), children).map(
        lambda t: f"({t[0]}){t[1]}({t[2]})"
    )
    call = st.tuples(UNARY, children).map(lambda t: f"{t[0]}({t[1]})")
    return binary | call


@settings(max_examples=60, deadline=None)
@given(st.recursive(LEAVES, _combine, max_leaves=5))
def test_random_expressions_agree_with_sympy(text: str) -> None:
    try:
        exact = _symbolic(text)
    except ParseError:
        assume(False)
    fast = derivative_evaluators(parse_tree(text))
    xs = np.linspace(-2.3, 2.9, 53)
    for fast_part, exact_part in zip(fast, exact, strict=True):
        a, b = fast_part(xs), exact_part(xs)
        # Where a change of x in its 12th digit already moves the value (sin of 5e10, as
        # sin((x^2)^(4x)) reaches), two correct float evaluations may differ: skip those.
        nudged = exact_part(xs * (1 + 1e-12))
        steady = np.abs(nudged - b) <= 1e-9 * (1 + np.abs(b))
        both = np.isfinite(a) & np.isfinite(b) & (np.abs(b) < 1e8) & steady
        np.testing.assert_allclose(a[both], b[both], rtol=1e-6, atol=1e-6)


def test_no_slope_where_f_overflows() -> None:
    _, slope, curvature = derivative_evaluators(parse_tree("x + e^1000"))
    assert np.isnan(slope(np.array([0.0, 1.0]))).all()
    assert np.isnan(curvature(np.array([0.0]))).all()


def test_computed_exponents_are_exact_and_typed_decimals_are_not() -> None:
    for text in ("x^3^-1", "x^(e^0/3)", "x^(1/3)^1"):
        f, _, _ = derivative_evaluators(parse_tree(text))
        assert f(np.array([-8.0]))[0] == pytest.approx(-2.0), text
        assert f(np.array([-8.0]))[0] == pytest.approx(float(parse(text)(-8.0))), text
    f, _, _ = derivative_evaluators(parse_tree("x^(1e-20)"))
    assert np.isnan(f(np.array([-1.0]))[0])  # a decimal power of a negative number


def test_shared_squares_give_the_same_numbers_and_are_dropped_after_each_call(
    monkeypatch,
) -> None:
    from calcstudio.benchmark.corpus import DEGREE_30_POLYNOMIAL
    from calcstudio.core import jet_rules

    xs = np.linspace(-3.0, 3.0, 2001)
    texts = [DEGREE_30_POLYNOMIAL, "(x^2)^3 + x^7 x^5", "sin(x^5)^3 + x^-3", "x^30 + (x+1)^12"]
    shared = [[g(xs) for g in derivative_evaluators(parse_tree(t))] for t in texts]
    assert jet_rules.SHARED_SQUARES.base is None  # nothing kept between evaluations
    monkeypatch.setattr(jet_rules.SHARED_SQUARES, "share", lambda base: None)
    plain = [[g(xs) for g in derivative_evaluators(parse_tree(t))] for t in texts]
    for ours, theirs in zip(shared, plain, strict=True):
        for a, b in zip(ours, theirs, strict=True):
            np.testing.assert_array_equal(a, b)  # bit for bit


@pytest.mark.parametrize(
    "text",
    ["x^2", "1/x", "sqrt(x)", "ln(x)", "exp(x^2)", "abs(x)", "x^3 - 3x", "tan(x)", "relu(x)"],
)
def test_one_point_as_a_number_gives_what_it_gets_in_an_array(text: str) -> None:
    # A descent evaluates f and f′ at one point a step (a 0-d array), by a shorter path.
    xs = np.array([-2.0, -1.0, 0.0, 1e-300, 0.5, 1.0, 30.0, 1e200, np.nan, np.inf])
    for evaluate in derivative_evaluators(parse_tree(text)):
        together = evaluate(xs)
        for x, expected in zip(xs, together, strict=True):
            alone = evaluate(np.float64(x))
            assert alone.shape == () and alone.dtype == np.float64
            assert np.array_equal(alone, expected, equal_nan=True), (text, x, alone, expected)
