"""The differentiation rules of the fast path: each function's value, slope and curvature.

A rule takes an inner value ``u`` (an array, or a number) and an order, and returns
``(g(u), g'(u), g''(u))`` cut to that order; :mod:`calcstudio.core.jets` combines them with
the chain rule. Every function of the expression language has one in :data:`RULES`; powers
with a constant exponent get theirs from :func:`power_rule`.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Callable
from fractions import Fraction

import numpy as np

from calcstudio.core.numeric import acot, sigmoid, step

Array = np.ndarray
Part = Array | float
"""One entry of a jet: an array, or a number where it is the same everywhere (0, 1)."""
Jet = tuple[Part, ...]
"""``(value, first, second)`` truncated to the order asked for."""

Rule = Callable[[Part, int], Jet]
"""``rule(u, order)``: g(u) and its derivatives g'(u), g''(u) up to ``order``."""

# numpy's numbers, never Python's: 1/0.0 and 0.0**-0.5 raise on Python floats, while
# numpy's give inf (NaN on the plot), so x^0 - 1 under a division cannot raise.
_ZERO, _ONE = np.float64(0.0), np.float64(1.0)


def _rule(
    value: Callable[[Part], Part],
    first: Callable[[Part, Part], Part],
    second: Callable[[Part, Part, Part], Part],
) -> Rule:
    """A rule from ``g(u)``, ``g'(u, g)`` and ``g''(u, g, g')``, each computed only if needed.

    The derivatives get the values already computed, so ``tan``'s ``g' = 1 + g²`` does not
    evaluate ``tan`` twice.
    """

    def rule(u: Part, order: int) -> Jet:
        g = value(u)
        if order == 0:
            return (g,)
        g1 = first(u, g)
        if order == 1:
            return (g, g1)
        return (g, g1, second(u, g, g1))

    return rule


def _undefined_where(switches: Callable[[Part], Part], value: Part) -> Callable[..., Part]:
    """``value`` except NaN where ``switches(u)``: a jump of g or of its slope."""
    return lambda u, *_: np.where(switches(u), np.nan, value)


def _at_zero(u: Part) -> Part:
    return np.equal(u, 0.0)


def _at_whole_numbers(u: Part) -> Part:
    return np.equal(u, np.floor(u))


def _jump(g: Callable[[Part], Part], switches: Callable[[Part], Part]) -> Rule:
    # floor, ceil, sign, step: the slope is 0 away from the jumps and undefined at them.
    return _rule(g, _undefined_where(switches, 0.0), _undefined_where(switches, 0.0))


def _log_base(base: float) -> Rule:
    scale = 1 / math.log(base)
    return _rule(lambda u: np.log(u) * scale, lambda u, g: scale / u, lambda u, g, d: -d / u)


RULES: dict[str, Rule] = {
    "sin": _rule(np.sin, lambda u, g: np.cos(u), lambda u, g, d: -g),
    "cos": _rule(np.cos, lambda u, g: -np.sin(u), lambda u, g, d: -g),
    "tan": _rule(np.tan, lambda u, t: 1 + t * t, lambda u, t, d: 2 * t * d),
    "cot": _rule(lambda u: 1 / np.tan(u), lambda u, c: -(1 + c * c), lambda u, c, d: -2 * c * d),
    "sec": _rule(
        lambda u: 1 / np.cos(u),
        lambda u, s: s * np.tan(u),
        lambda u, s, d: s * (np.tan(u) ** 2 + s * s),
    ),
    "csc": _rule(
        lambda u: 1 / np.sin(u),
        lambda u, c: -c / np.tan(u),
        lambda u, c, d: c * (np.tan(u) ** -2 + c * c),
    ),
    "asin": _rule(np.arcsin, lambda u, g: (1 - u * u) ** -0.5, lambda u, g, d: u * d**3),
    "acos": _rule(np.arccos, lambda u, g: -((1 - u * u) ** -0.5), lambda u, g, d: u * d**3),
    "atan": _rule(np.arctan, lambda u, g: 1 / (1 + u * u), lambda u, g, d: -2 * u * d * d),
    # acot(0) = π/2 but acot(0⁻) → -π/2: a jump, so no slope at 0.
    "acot": _rule(
        acot,
        lambda u, g: np.where(_at_zero(u), np.nan, -1 / (1 + u * u)),
        lambda u, g, d: 2 * u * d * d,
    ),
    "asec": _rule(
        lambda u: np.arccos(1 / u),
        lambda u, g: (u**4 - u**2) ** -0.5,
        lambda u, g, d: -(2 * u**3 - u) * (u**4 - u**2) ** -1.5,
    ),
    "acsc": _rule(
        lambda u: np.arcsin(1 / u),
        lambda u, g: -((u**4 - u**2) ** -0.5),
        lambda u, g, d: (2 * u**3 - u) * (u**4 - u**2) ** -1.5,
    ),
    "sinh": _rule(np.sinh, lambda u, g: np.cosh(u), lambda u, g, d: g),
    "cosh": _rule(np.cosh, lambda u, g: np.sinh(u), lambda u, g, d: g),
    "tanh": _rule(np.tanh, lambda u, t: 1 - t * t, lambda u, t, d: -2 * t * d),
    "coth": _rule(lambda u: 1 / np.tanh(u), lambda u, c: 1 - c * c, lambda u, c, d: -2 * c * d),
    "sech": _rule(
        lambda u: 1 / np.cosh(u),
        lambda u, s: -s * np.tanh(u),
        lambda u, s, d: s * (2 * np.tanh(u) ** 2 - 1),
    ),
    "csch": _rule(
        lambda u: 1 / np.sinh(u),
        lambda u, c: -c / np.tanh(u),
        lambda u, c, d: c * (2 * np.tanh(u) ** -2 - 1),
    ),
    "asinh": _rule(np.arcsinh, lambda u, g: (u * u + 1) ** -0.5, lambda u, g, d: -u * d**3),
    "acosh": _rule(np.arccosh, lambda u, g: (u * u - 1) ** -0.5, lambda u, g, d: -u * d**3),
    "atanh": _rule(np.arctanh, lambda u, g: 1 / (1 - u * u), lambda u, g, d: 2 * u * d * d),
    "exp": _rule(np.exp, lambda u, g: g, lambda u, g, d: g),
    "ln": _log_base(math.e),
    "log": _log_base(math.e),
    "log10": _log_base(10.0),
    "log2": _log_base(2.0),
    "sqrt": _rule(np.sqrt, lambda u, g: 0.5 / g, lambda u, g, d: -0.5 * d / u),
    # Kinks take PyTorch's slope (abs′(0) = sign(0) = 0, relu′(0) = 0); the slope jumps
    # there, so the second derivative is undefined.
    "abs": _rule(np.abs, lambda u, g: np.sign(u), _undefined_where(_at_zero, 0.0)),
    "sign": _jump(np.sign, _at_zero),
    "step": _jump(step, _at_zero),
    "floor": _jump(np.floor, _at_whole_numbers),
    "ceil": _jump(np.ceil, _at_whole_numbers),
    # 1 - sigmoid(u) is written sigmoid(-u): exact where sigmoid(u) rounds to 1.
    "sigmoid": _rule(sigmoid, lambda u, s: s * sigmoid(-u), lambda u, s, d: d * (sigmoid(-u) - s)),
    "relu": _rule(
        lambda u: np.maximum(u, 0.0), lambda u, g: step(u), _undefined_where(_at_zero, 0.0)
    ),
    # logaddexp(0, u) = ln(1 + e^u) without overflowing for large u.
    "softplus": _rule(
        lambda u: np.logaddexp(0.0, u),
        lambda u, g: sigmoid(u),
        lambda u, g, s: s * sigmoid(-u),
    ),
}
"""Value, slope and curvature of every function of the expression language."""


LOG_SIGMOID = _rule(
    lambda u: -np.logaddexp(0.0, -u),
    lambda u, g: sigmoid(-u),
    lambda u, g, d: -d * sigmoid(u),
)
"""ln(sigmoid(u)) = -softplus(-u), the logistic loss: never log(0), exact for large u."""

RECIPROCAL = _rule(lambda u: 1 / u, lambda u, r: -r * r, lambda u, r, d: -2 * r * d)
"""1/u, for divisions."""


class SharedSquares(threading.local):
    """The squares u, u², u⁴, … of one array, kept while one expression is evaluated.

    The terms of a polynomial typed in full (``3x^30 + 2x^29 + ...``) all raise the same
    array; with its squares shared, each term multiplies only the squares it needs. The
    numbers are the same, computed by the same multiplications. Each thread has its own.
    """

    def __init__(self) -> None:
        self.base: Array | None = None
        self.squares: list[Array] = []

    def share(self, base: Array) -> None:
        """Keep the squares of ``base`` until :meth:`forget`."""
        self.base, self.squares = base, [base]

    def forget(self) -> None:
        """Drop them (the array may change or be freed once the evaluation is over)."""
        self.base, self.squares = None, []

    def square(self, u: Part, k: int, previous: Part) -> Part:
        """u raised to 2^k, given u^(2^(k-1)) as ``previous``."""
        if u is not self.base:
            return previous * previous
        if k == len(self.squares):
            self.squares.append(previous * previous)
        return self.squares[k]


SHARED_SQUARES = SharedSquares()
"""Set by the one-variable evaluators of :mod:`calcstudio.core.jets` around each call."""


def _whole_power(u: Part, n: int) -> Part:
    """``u**n`` for a whole number n by repeated squaring.

    numpy computes ``u**n`` with the C library's general ``pow``, about 40 ns a number;
    a handful of multiplications is several times faster and within a few rounding
    errors, which is what a polynomial typed in full needs to re-plot at every keystroke.
    """
    if n < 0:
        return 1.0 / _whole_power(u, -n)
    result: Part | None = None
    square, k = u, 0
    while n:
        if n & 1:
            result = square if result is None else result * square
        n >>= 1
        if n:
            k += 1
            square = SHARED_SQUARES.square(u, k, square)
    return _ONE if result is None else result


def _whole_power_rule(n: int) -> Rule:
    """``u**n`` for a whole n other than 0 and 1, with one repeated squaring per order.

    The lowest power needed is raised once and the others follow by multiplying with u,
    so a term of a long polynomial costs one power, not three.
    """

    def rule(u: Part, order: int) -> Jet:
        if n < order:  # u^2 needs no u^-1 for its curvature: the rule below would divide
            powers = [_whole_power(u, n - k) for k in range(order + 1)]
        else:
            powers = [_whole_power(u, n - order)]
            for _ in range(order):
                powers.insert(0, powers[0] * u)
        # powers[k] is u^(n - k); the k-th derivative is n (n-1) ... (n-k+1) u^(n-k).
        factor = 1.0
        parts = []
        for k, power in enumerate(powers):
            parts.append(factor * power if k else power)
            factor *= n - k
        return tuple(parts)

    return rule


def power_rule(exponent: float, exact: Fraction | None) -> Rule:
    """``u**c`` for a constant c; real odd roots (``(-8)^(1/3) = -2``) as the engine does."""
    if math.isnan(exponent):  # an undefined exponent (acos(2)): even 1^c is undefined
        return _rule(lambda u: u * np.nan, lambda u, g: g, lambda u, g, d: g)
    if exact is not None and exact.denominator % 2 == 1 and exact.denominator > 1:
        c = float(exact)
        odd = exact.numerator % 2 == 1

        def signed(u: Part, power: float, odd_power: bool) -> Part:
            magnitude = np.abs(u) ** power
            return np.sign(u) * magnitude if odd_power else magnitude

        # The sign of u^c follows u for an odd numerator, so that of c u^(c-1) does not.
        return _rule(
            lambda u: signed(u, c, odd),
            lambda u, g: c * signed(u, c - 1, not odd),
            lambda u, g, d: c * (c - 1) * signed(u, c - 2, odd),
        )
    if exact is not None and exact.denominator == 1:
        n = exact.numerator
        if n == 0:
            return _rule(lambda u: _ONE, lambda u, g: _ZERO, lambda u, g, d: _ZERO)
        if n == 1:
            return _rule(lambda u: u, lambda u, g: _ONE, lambda u, g, d: _ZERO)
        return _whole_power_rule(n)
    c = exponent
    return _rule(
        lambda u: u**c, lambda u, g: c * u ** (c - 1), lambda u, g, d: c * (c - 1) * u ** (c - 2)
    )


__all__ = [
    "LOG_SIGMOID",
    "RECIPROCAL",
    "RULES",
    "SHARED_SQUARES",
    "Jet",
    "Part",
    "Rule",
    "SharedSquares",
    "power_rule",
]
