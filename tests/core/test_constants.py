"""parse() refuses out-of-range and non-real constants in milliseconds, by one rule."""

from __future__ import annotations

import math

import numpy as np
import pytest

from calcstudio.core.function import parse
from calcstudio.core.jets import derivative_evaluators
from calcstudio.core.language import ParseError, parse_tree


@pytest.mark.parametrize(
    ("text", "culprit", "message"),
    [
        # Each used to raise another exception (ValueError, PrecisionExhausted) or run for
        # 20 s to minutes inside sympy.
        ("max(x, asin(2)^2)", "asin(2)", "not a real number"),
        ("exp(-1e3)^-1", "exp(-1e3)", "too small"),
        ("(1e-200*1e-200)^2", "1e-200*1e-200", "too small"),
        ("(ceil(pi*1e300)^0.5+1e-3)^100", "pi*1e300", "too large"),
        ("sqrt(acos(2)^2)", "acos(2)", "not a real number"),
        ("asin(cos(exp(sinh(64))))", "exp(sinh(64))", "too large"),
        ("√((arccos(τ))²)", "arccos(τ)", "not a real number"),
        # One rule for constants with no real value, wherever they stand.
        ("asin(2)", "asin(2)", "not a real number"),
        ("|√(-1)|", "√(-1)", "not a real number"),
        ("sqrt(-1)", "sqrt(-1)", "not a real number"),
        ("x + log(-2)", "log(-2)", "not a real number"),
        ("x*(-8)^0.5", "(-8)^0.5", "not a real number"),
    ],
)
def test_constants_are_refused_on_the_culprit(text: str, culprit: str, message: str) -> None:
    with pytest.raises(ParseError, match=message) as caught:
        parse(text)
    error = caught.value
    assert text[error.start : error.end].strip("()") == culprit.strip("()")
    assert culprit in error.message or "this value" in error.message


@pytest.mark.parametrize("text", ["1e-99999", "x + 1e-99999", "2e-301x", "1e301"])
def test_literals_beyond_the_range_are_refused_while_typing(text: str) -> None:
    # In the per-keystroke check, so a tiny number never becomes 0 on the plot unsaid.
    with pytest.raises(ParseError, match=r"too (small|large)"):
        parse_tree(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("sin(pi)^10*x", "0"),  # a rounding residue in floats, exactly 0 to sympy
        ("(-8)^(1/3)*x", "-2*x"),  # the real odd root, as the language reads it
        ("x^(e^0/3)", "cbrt(x)"),
        ("0e-99999 + x", "x"),
        ("asin(1)*x", "pi*x/2"),
        ("exp(-690)*x", "x*exp(-690)"),
        ("(step(2))²", "1"),  # step was missing from the check's table (a KeyError)
        ("step(0)*x + x", "x"),  # relu′(0) = 0, as everywhere in CalcStudio
    ],
)
def test_constants_within_the_rule_are_kept_exact(text: str, expected: str) -> None:
    assert parse(text).text == expected


def test_coefficients_sympy_gathers_obey_the_same_range() -> None:
    # No constant subtree here: sympy makes 1e-400 while building x*1e-200*1e-200.
    with pytest.raises(ParseError, match="too small"):
        parse("x*1e-200*1e-200")
    assert float(parse("x*1e-200*1e-100")(2.0)) == pytest.approx(2e-300)
    assert float(parse("1e-300*x")(2.0)) == pytest.approx(2e-300)  # kept, not made 0


def test_typed_numbers_are_valued_only_where_a_constant_needs_them(monkeypatch) -> None:
    from calcstudio.core.language import constants

    judged: list[str] = []
    judge = constants._judge

    def counting(text, node, pair):  # type: ignore[no-untyped-def]
        judged.append(text[node.start : node.end])
        return judge(text, node, pair)

    monkeypatch.setattr(constants, "_judge", counting)
    polynomial = " + ".join(f"{k % 7 + 1}x^{k}" for k in range(30, 0, -1)) + " + 1"
    constants.check_constants(parse_tree(polynomial))
    assert judged == []  # a coefficient or a power of x is no constant to check
    constants.check_constants(parse_tree("2^3*x + sin(0.5)"))
    assert sorted(judged) == ["2^3", "sin(0.5)"]


def test_poles_of_constants_stay_the_engines_to_call() -> None:
    with pytest.raises(ParseError, match="undefined everywhere"):
        parse("tan(pi/2) + x")


def test_the_fast_path_gives_nan_where_parse_refuses() -> None:
    # Same rule on both paths: the plot is undefined (NaN) where the engine refuses in words.
    xs = np.array([0.5, 2.0])
    for text in ("asin(2) + x", "|√(-1)| x", "x^(acos(2))"):
        f, df, _ = derivative_evaluators(parse_tree(text))
        assert np.isnan(f(xs)).all() and np.isnan(df(xs)).all(), text


def test_checked_values_agree_with_the_float_values() -> None:
    f = parse("exp(-300)*x + cos(1e300) + acos(-1)")
    assert float(f(0.0)) == pytest.approx(math.cos(1e300) + math.pi, rel=1e-12)


def test_every_function_of_the_language_has_a_checked_constant_value() -> None:
    # Constants are checked in mpmath before sympy sees them; a function missing there raised
    # KeyError instead of giving a value (`x^(step(2))`, found by the fuzz test).
    from calcstudio.core.language.vocabulary import FUNCTION_ARITY

    real_beyond_one = {"asec", "acsc", "acosh"}
    for name, (fewest, _) in FUNCTION_ARITY.items():
        arguments = ", ".join(["2.5" if name in real_beyond_one else "0.5"] * fewest)
        f = parse(f"x + {name}({arguments})")
        tree_value = derivative_evaluators(parse_tree(f"x + {name}({arguments})"))[0]
        assert float(f(1.0)) == pytest.approx(float(tree_value(np.array([1.0]))[0])), name


@pytest.mark.parametrize(("text", "value"), [("x^(step(2))", 2.0), ("x^(step(0)) + x", 3.0)])
def test_step_of_a_constant(text: str, value: float) -> None:
    assert float(parse(text)(2.0)) == value
