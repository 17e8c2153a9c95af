"""Hostile input gets bounded work and a ParseError, never a freeze or another exception."""

from __future__ import annotations

import numpy as np
import pytest

from calcstudio.core.jets import MAX_EXACT_BITS, _exact_constant, derivative_evaluators
from calcstudio.core.language import MAX_DEPTH, MAX_DIGITS, ParseError, parse_tree

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
    assert _exact_constant(tree.root) is None
    assert _exact_constant(parse_tree("(2^10)^64").root) == 2**640
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
