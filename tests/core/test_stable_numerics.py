"""Stable numerics on both paths: the logistic function, its log and softplus to |x| = 700.

References are computed with mpmath at 400 digits (e^-700 is 1e-304: 1 - sigmoid(700) needs
over 304 digits to be anything but 0); both the per-keystroke path (jets) and the
symbolic path (sympy formulas compiled to programs) must match them to 12 significant digits,
or to 1e-300 where the true value is below what float64 holds.
"""

from __future__ import annotations

import mpmath
import numpy as np
import pytest

from calcstudio.core.function import parse
from calcstudio.core.jets import derivative_evaluators
from calcstudio.core.language import parse_tree

POINTS = np.concatenate([np.linspace(-700.0, 700.0, 141), [-37.43, -37.0, -0.3, 0.3, 33.3]])


def _logistic(x: float) -> mpmath.mpf:
    return 1 / (1 + mpmath.exp(-mpmath.mpf(x)))


REFERENCES = {
    "sigmoid(x)": lambda s, x: (s, s * (1 - s), s * (1 - s) * (1 - 2 * s)),
    "log(sigmoid(x))": lambda s, x: (-mpmath.log(1 + mpmath.exp(-x)), 1 - s, -s * (1 - s)),
    "softplus(x)": lambda s, x: (mpmath.log(1 + mpmath.exp(x)), s, s * (1 - s)),
}


def _paths(text: str) -> dict[str, tuple]:
    f = parse(text)
    return {
        "fast": derivative_evaluators(parse_tree(text)),
        "symbolic": (f, f.derivative(), f.derivative(order=2)),
    }


@pytest.mark.parametrize("text", sorted(REFERENCES))
def test_activations_match_mpmath_to_700_on_both_paths(text: str) -> None:
    with mpmath.workdps(400):
        expected = np.array(
            [[float(v) for v in REFERENCES[text](_logistic(x), mpmath.mpf(x))] for x in POINTS]
        )
    for path, evaluators in _paths(text).items():
        for order, evaluate in enumerate(evaluators):
            got = evaluate(POINTS)
            error = np.abs(got - expected[:, order])
            allowed = 1e-12 * np.abs(expected[:, order]) + 1e-300
            worst = int(np.argmax(error / allowed))
            assert (error <= allowed).all(), (path, text, order, POINTS[worst], got[worst])


def test_the_numbers_from_the_issue() -> None:
    for path, (f, _, _) in _paths("log(sigmoid(x))").items():
        assert f(np.array([-40.0]))[0] == pytest.approx(-40.0, rel=1e-15), path
        assert f(np.array([-37.0]))[0] == pytest.approx(-37.0, rel=1e-15), path
    for path, (f, df, _) in _paths("softplus(x)").items():
        assert f(np.array([800.0]))[0] == 800.0, path
        assert df(np.array([800.0]))[0] == 1.0, path
    for path, (_, df, d2f) in _paths("sigmoid(x)").items():
        assert df(np.array([-800.0]))[0] == 0.0, path  # true value 1e-348: below float64
        assert d2f(np.array([-800.0, 800.0])).tolist() == [0.0, 0.0], path


def test_the_logistic_loss_keeps_its_formula() -> None:
    f = parse("log(sigmoid(x))")
    assert f.text == "log(sigmoid(x))"
    assert f.derivative().text == "1 - sigmoid(x)"
