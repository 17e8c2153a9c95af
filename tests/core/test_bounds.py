"""Hostile input gets bounded work and a ParseError, never a freeze or another exception."""

from __future__ import annotations

import numpy as np
import pytest

from calcstudio.core.curve import evaluation_cost
from calcstudio.core.exact_constants import MAX_EXACT_BITS, exact_constant
from calcstudio.core.jets import derivative_evaluators
from calcstudio.core.language import MAX_DEPTH, MAX_DIGITS, ParseError, parse_tree
from calcstudio.core.sampling import WORK, sample_curve

XS = np.linspace(-3.0, 3.0, 61)


def _fast(text: str) -> list[np.ndarray]:
    evaluators = derivative_evaluators(parse_tree(text))
    assert evaluators is not None
    return [evaluator(XS) for evaluator in evaluators]


@pytest.mark.parametrize(
    "text",
    [
        "x^(((((9^64)^64)^64)^64)^64)",
        "x^(((((2^64)^64)^64)^64)^64)",
        "x^((2^64)^64)",
        "x^((10^40)^40)",
        "x^(-(10^40)^40)",
    ],
)
def test_a_constant_exponent_beyond_float64_makes_the_power_undefined(text: str) -> None:
    # The rule: constants the fast path cannot keep exact within MAX_EXACT_BITS are
    # float64; an exponent that overflows makes the power undefined (the engine refuses it).
    for values in _fast(text):
        assert np.isnan(values).all()


def test_exact_constants_are_bounded_by_the_size_of_the_base() -> None:
    tree = parse_tree("(9^64)^64")  # 13,000 bits: computed in floats, not exactly
    assert exact_constant(tree.root) is None
    assert exact_constant(parse_tree("(2^10)^64").root) == 2**640
    assert MAX_EXACT_BITS < 2000


def test_large_but_finite_exponents_still_plot() -> None:
    f, df, _ = _fast("x^((2^4)^4)")  # x^65536: exact, as before
    assert f[XS == 1.0] == 1.0 and df[XS == 1.0] == 65536.0


def test_a_500_term_sum_and_a_249_factor_product_evaluate() -> None:
    f, df, d2f = _fast("+".join(["x"] * 500))
    np.testing.assert_allclose(f, 500 * XS)
    np.testing.assert_allclose(df, 500.0)
    np.testing.assert_allclose(d2f, 0.0)
    g, dg, _ = _fast("*".join(["2x"] * 249) + "/2^249")  # x^249
    at = np.isclose(XS, 1.1)
    np.testing.assert_allclose(g[at], 1.1**249, rtol=1e-12)
    np.testing.assert_allclose(dg[at], 249 * 1.1**248, rtol=1e-12)


def test_mixed_runs_of_sums_and_products_keep_their_order() -> None:
    f, df, _ = _fast("x - 2 + x/4*8 - x^2/2/x - 1")  # = 2.5x - 3, undefined at 0
    away = XS != 0
    np.testing.assert_allclose(f[away], 2.5 * XS[away] - 3.0, atol=1e-12)
    np.testing.assert_allclose(df[away], 2.5, atol=1e-12)
    assert np.isnan(f[~away]).all()


def test_superscript_exponents_obey_the_number_limit() -> None:
    with pytest.raises(ParseError, match="too long") as caught:
        parse_tree("x" + "⁹" * 400)
    assert (caught.value.start, caught.value.end) == (1, 401)
    parse_tree("x" + "⁹" * MAX_DIGITS)  # the limit itself is allowed


def test_spaced_superscripts_count_as_nesting() -> None:
    with pytest.raises(ParseError, match="nested"):
        parse_tree("x" + " ²" * (MAX_DEPTH + 1))
    f, _, _ = _fast("x² ²")
    np.testing.assert_allclose(f, XS**4)


def test_free_names_of_a_long_sum_in_reading_order() -> None:
    assert parse_tree("+".join(["b", "a"] * 250)).variables == ("a", "b")
    text = "f(x) = " + "+".join(["x"] * 200 + ["y"] * 100)
    with pytest.raises(ParseError, match="'y' is not one of") as caught:
        parse_tree(text)
    assert caught.value.start == text.index("y")


SERIES = " + ".join(f"sin({k}x)/{k}" for k in range(1, 138, 2))  # 69 terms, 991 characters


class _Counted:
    """An evaluator that counts the points it is asked for, with the cost it declares."""

    def __init__(self, evaluator: object) -> None:
        self.evaluator, self.points = evaluator, 0
        self.cost = evaluation_cost(evaluator)  # type: ignore[arg-type]

    def __call__(self, xs: np.ndarray) -> np.ndarray:
        self.points += np.size(xs)
        return self.evaluator(xs)  # type: ignore[operator]


@pytest.mark.parametrize("x_range", [(-5.0, 5.0), (-1e12, 1e12)])
def test_sampling_work_is_bounded_by_the_size_of_the_expression(x_range: tuple) -> None:
    # The 69-term series cost 92 ms a keystroke, and 3.3 s at the ±1e12 a session file
    # may hold: the points sampling evaluates now shrink as the expression grows.
    assert len(SERIES) == 991
    for evaluator in derivative_evaluators(parse_tree(SERIES)):
        counted = _Counted(evaluator)
        xs, ys = sample_curve(counted, *x_range, 900, (-2.0, 2.0), pixel_height=500)
        assert xs.size >= 901 and np.isfinite(ys).mean() > 0.9
        assert (counted.points - 901) * counted.cost <= WORK


def test_cheap_functions_keep_every_refinement() -> None:
    counted = _Counted(derivative_evaluators(parse_tree("sin(x)"))[0])
    assert counted.cost == 2  # the call and its variable
    xs, _ = sample_curve(counted, -1e12, 1e12, 900, (-1.0, 1.0), pixel_height=500)
    assert xs.size > 5000  # refined as before: its work bound is far away


def test_evaluators_declare_their_cost() -> None:
    from calcstudio.core.function import parse
    from calcstudio.core.numeric import compile_program, restricted_to

    f = parse("sin(x)^2 + x")
    assert evaluation_cost(np.sin) == 1  # any other callable counts as one operation
    function = compile_program(f.program, 1)
    slope = compile_program(f.derivative().program, 1)
    assert evaluation_cost(function) == 6  # add, pow, sin, x, 2, x
    assert evaluation_cost(restricted_to(function, slope)) == 6 + evaluation_cost(slope)


def test_powers_to_the_zero_are_the_constant_one_and_never_raise() -> None:
    # x^0 gave Python's 1.0, and asec of it raised ZeroDivisionError (found by the fuzz).
    for text in ("asec(x^(0))", "acos(x^0)"):
        f, df, _ = _fast(text)
        np.testing.assert_array_equal(f, 0.0)
        np.testing.assert_array_equal(df, 0.0)  # a constant, as sympy has it
    f, _, _ = _fast("1/(x^0 - 1) + x")
    assert np.isnan(f).all()
