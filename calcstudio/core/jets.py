"""f, f' and f'' straight from the syntax tree, without sympy: second-order forward differentiation.

Each node evaluates to a *jet* ``(value, first, second)``: its value and its first and second
derivatives with respect to the one variable, as float arrays. Sums, products and the chain rule
combine jets exactly, so the numbers equal the symbolic derivatives up to rounding.

This is the window's fast path. Sympy needs 5 to 300 ms per keystroke to differentiate (more for
deep compositions), while a jet costs microseconds, so the plot can follow every typed character
within one frame; the symbolic engine's formulas and canonical evaluators follow a moment later.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from fractions import Fraction
from typing import NamedTuple

import numpy as np

from calcstudio.core.language import Node, SyntaxTree

Array = np.ndarray


class Jet(NamedTuple):
    """A value with its first and second derivatives (arrays of one shape)."""

    value: Array
    first: Array
    second: Array


# For each function g: (g(u), g'(u), g''(u)) from u. The chain rule lives in _chain.
_Rule = Callable[[Array], tuple[Array, Array, Array]]


def _sigmoid(u: Array) -> Array:
    return 0.5 * (1.0 + np.tanh(0.5 * u))  # never overflows, unlike 1/(1+exp(-u))


def _tan(u: Array) -> tuple[Array, Array, Array]:
    t = np.tan(u)
    return t, 1 + t * t, 2 * t * (1 + t * t)


def _cot(u: Array) -> tuple[Array, Array, Array]:
    c = 1 / np.tan(u)
    return c, -(1 + c * c), 2 * c * (1 + c * c)


def _sec(u: Array) -> tuple[Array, Array, Array]:
    s, t = 1 / np.cos(u), np.tan(u)
    return s, s * t, s * (t * t + s * s)


def _csc(u: Array) -> tuple[Array, Array, Array]:
    c, k = 1 / np.sin(u), 1 / np.tan(u)
    return c, -c * k, c * (k * k + c * c)


def _tanh(u: Array) -> tuple[Array, Array, Array]:
    t = np.tanh(u)
    return t, 1 - t * t, -2 * t * (1 - t * t)


def _coth(u: Array) -> tuple[Array, Array, Array]:
    c = 1 / np.tanh(u)
    return c, 1 - c * c, -2 * c * (1 - c * c)


def _sech(u: Array) -> tuple[Array, Array, Array]:
    s, t = 1 / np.cosh(u), np.tanh(u)
    return s, -s * t, s * (2 * t * t - 1)


def _csch(u: Array) -> tuple[Array, Array, Array]:
    c, k = 1 / np.sinh(u), 1 / np.tanh(u)
    return c, -c * k, c * (2 * k * k - 1)


def _asec(u: Array) -> tuple[Array, Array, Array]:
    q = u**4 - u**2
    return np.arccos(1 / u), q**-0.5, -(2 * u**3 - u) * q**-1.5


def _acsc(u: Array) -> tuple[Array, Array, Array]:
    _, first, second = _asec(u)
    return np.arcsin(1 / u), -first, -second


def _logistic(u: Array) -> tuple[Array, Array, Array]:
    s = _sigmoid(u)
    return s, s * (1 - s), s * (1 - s) * (1 - 2 * s)


def _softplus(u: Array) -> tuple[Array, Array, Array]:
    s = _sigmoid(u)
    return np.log1p(np.exp(u)), s, s * (1 - s)


def _log_base(base: float) -> _Rule:
    scale = 1 / math.log(base)
    return lambda u: (np.log(u) * scale, scale / u, -scale / (u * u))


def _constant_slope(g: Callable[[Array], Array]) -> _Rule:
    # floor, ceil, sign: the slope is 0 wherever it exists, as sympy's derivative says.
    return lambda u: (g(u), np.zeros_like(u), np.zeros_like(u))


RULES: dict[str, _Rule] = {
    "sin": lambda u: (np.sin(u), np.cos(u), -np.sin(u)),
    "cos": lambda u: (np.cos(u), -np.sin(u), -np.cos(u)),
    "tan": _tan,
    "cot": _cot,
    "sec": _sec,
    "csc": _csc,
    "asin": lambda u: (np.arcsin(u), (1 - u * u) ** -0.5, u * (1 - u * u) ** -1.5),
    "acos": lambda u: (np.arccos(u), -((1 - u * u) ** -0.5), -u * (1 - u * u) ** -1.5),
    "atan": lambda u: (np.arctan(u), 1 / (1 + u * u), -2 * u / (1 + u * u) ** 2),
    "acot": lambda u: (np.arctan(1 / u), -1 / (1 + u * u), 2 * u / (1 + u * u) ** 2),
    "asec": _asec,
    "acsc": _acsc,
    "sinh": lambda u: (np.sinh(u), np.cosh(u), np.sinh(u)),
    "cosh": lambda u: (np.cosh(u), np.sinh(u), np.cosh(u)),
    "tanh": _tanh,
    "coth": _coth,
    "sech": _sech,
    "csch": _csch,
    "asinh": lambda u: (np.arcsinh(u), (u * u + 1) ** -0.5, -u * (u * u + 1) ** -1.5),
    "acosh": lambda u: (np.arccosh(u), (u * u - 1) ** -0.5, -u * (u * u - 1) ** -1.5),
    "atanh": lambda u: (np.arctanh(u), 1 / (1 - u * u), 2 * u / (1 - u * u) ** 2),
    "exp": lambda u: (np.exp(u),) * 3,
    "ln": _log_base(math.e),
    "log": _log_base(math.e),
    "log10": _log_base(10.0),
    "log2": _log_base(2.0),
    "sqrt": lambda u: (np.sqrt(u), 0.5 / np.sqrt(u), -0.25 * u**-1.5),
    "abs": lambda u: (np.abs(u), np.sign(u), np.zeros_like(u)),
    "sign": _constant_slope(np.sign),
    "floor": _constant_slope(np.floor),
    "ceil": _constant_slope(np.ceil),
    "sigmoid": _logistic,
    "relu": lambda u: (np.maximum(u, 0.0), np.heaviside(u, 0.5), np.zeros_like(u)),
    "softplus": _softplus,
}
"""Value, slope and curvature of every function of the expression language."""

CONSTANTS = {"pi": math.pi, "E": math.e, "tau": math.tau}


def _chain(rule: _Rule, inner: Jet) -> Jet:
    g, dg, ddg = rule(inner.value)
    return Jet(g, dg * inner.first, ddg * inner.first**2 + dg * inner.second)


def _product(u: Jet, v: Jet) -> Jet:
    return Jet(
        u.value * v.value,
        u.first * v.value + u.value * v.first,
        u.second * v.value + 2 * u.first * v.first + u.value * v.second,
    )


def _reciprocal(u: Array) -> tuple[Array, Array, Array]:
    r = 1 / u
    return r, -r * r, 2 * r * r * r


def _power_rule(exponent: float, exact: Fraction | None) -> _Rule:
    """``u**c`` for a constant c; real odd roots (``(-8)^(1/3) = -2``) as the engine does."""
    if exact is not None and exact.denominator % 2 == 1 and exact.denominator > 1:
        odd_numerator = exact.numerator % 2 == 1
        c = float(exact)

        def odd_root(u: Array) -> tuple[Array, Array, Array]:
            s, m = np.sign(u), np.abs(u)
            sign_p = s if odd_numerator else 1.0
            sign_p_minus_1 = 1.0 if odd_numerator else s
            return (
                sign_p * m**c,
                c * sign_p_minus_1 * m ** (c - 1),
                c * (c - 1) * sign_p * m ** (c - 2),
            )

        return odd_root
    if exact is not None and exact.denominator == 1:
        n = exact.numerator
        if n == 0:
            return lambda u: (np.ones_like(u), np.zeros_like(u), np.zeros_like(u))
        if n == 1:
            return lambda u: (u, np.ones_like(u), np.zeros_like(u))
        return lambda u: (u**n, n * u ** (n - 1), n * (n - 1) * u ** (n - 2))
    c = exponent
    return lambda u: (u**c, c * u ** (c - 1), c * (c - 1) * u ** (c - 2))


def _exact_constant(node: Node) -> Fraction | None:
    """The exact rational value of a constant subtree such as ``1/3`` or ``-2``, else None."""
    kind = node.kind
    if kind == "num":
        return Fraction(int(node.text)) if node.text.isdigit() else None
    if kind == "neg":
        inner = _exact_constant(node.args[0])
        return None if inner is None else -inner
    if kind in ("add", "sub", "mul", "div"):
        left, right = (_exact_constant(arg) for arg in node.args)
        if left is None or right is None:
            return None
        if kind == "add":
            return left + right
        if kind == "sub":
            return left - right
        if kind == "mul":
            return left * right
        return None if right == 0 else left / right
    return None


def _is_constant(node: Node) -> bool:
    if node.kind == "name":
        return node.text in CONSTANTS
    return all(_is_constant(arg) for arg in node.args)


class _Evaluator:
    def __init__(self, variable: str, x: Array) -> None:
        self.variable = variable
        self.x = x
        self.zeros = np.zeros_like(x)

    def constant(self, value: float | Array) -> Jet:
        return Jet(
            np.broadcast_to(np.asarray(value, dtype=float), self.x.shape), self.zeros, self.zeros
        )

    def jet(self, node: Node) -> Jet:
        kind, args = node.kind, node.args
        if kind == "num":
            return self.constant(float(node.text))
        if kind == "name":
            if node.text in CONSTANTS:
                return self.constant(CONSTANTS[node.text])
            return Jet(self.x, np.ones_like(self.x), self.zeros)
        if kind == "neg":
            u = self.jet(args[0])
            return Jet(-u.value, -u.first, -u.second)
        if kind == "call":
            return self.call(node.text, [self.jet(arg) for arg in args])
        if kind == "pow":
            return self.power(*args)
        u, v = self.jet(args[0]), self.jet(args[1])
        if kind == "add":
            return Jet(u.value + v.value, u.first + v.first, u.second + v.second)
        if kind == "sub":
            return Jet(u.value - v.value, u.first - v.first, u.second - v.second)
        if kind == "mul":
            return _product(u, v)
        if kind == "div":
            return _product(u, _chain(_reciprocal, v))
        raise ValueError(f"no jet rule for a {kind!r} node")

    def call(self, name: str, args: list[Jet]) -> Jet:
        if name in ("min", "max"):
            pick = np.argmin if name == "min" else np.argmax
            values = np.stack(np.broadcast_arrays(*(a.value for a in args)))
            index = pick(values, axis=0)
            chosen = [
                np.choose(index, np.stack(np.broadcast_arrays(*(getattr(a, part) for a in args))))
                for part in Jet._fields
            ]
            return Jet(*chosen)
        if name == "log" and len(args) == 2:  # log(u, b) = ln(u) / ln(b)
            ln_u, ln_b = (_chain(RULES["ln"], arg) for arg in args)
            return _product(ln_u, _chain(_reciprocal, ln_b))
        if name == "cbrt":
            return _chain(_power_rule(1 / 3, Fraction(1, 3)), args[0])
        return _chain(RULES[name], args[0])

    def power(self, base_node: Node, exponent_node: Node) -> Jet:
        base = self.jet(base_node)
        if _is_constant(exponent_node):
            exact = _exact_constant(exponent_node)
            if exact is None:
                exponent = float(_Evaluator(self.variable, np.zeros(1)).jet(exponent_node).value[0])
            else:
                exponent = float(exact)
            if base_node.kind == "name" and base_node.text == "E":
                return _chain(RULES["exp"], self.constant(exponent))
            return _chain(_power_rule(exponent, exact), base)
        # The slopes of u^v come from exp(v ln u) (they need u > 0); the value itself is
        # also defined at negative u where v is a whole number, as in (-2)^(-2).
        exponent = self.jet(exponent_node)
        through_log = _chain(RULES["exp"], _product(exponent, _chain(RULES["ln"], base)))
        return Jet(base.value**exponent.value, through_log.first, through_log.second)


def _finite_or_nan(values: Array) -> Array:
    values = np.array(values, dtype=float)
    values[~np.isfinite(values)] = np.nan
    return values


def derivative_evaluators(
    tree: SyntaxTree,
) -> tuple[Callable[[Array], Array], Callable[[Array], Array], Callable[[Array], Array]] | None:
    """Evaluators of f, f' and f'' for a one-variable syntax tree, or None for more variables.

    Each maps a float array to a new float64 array of the same shape, NaN where the value is
    undefined or not finite, like the evaluators the symbolic engine's programs compile to.

    Examples
    --------
    >>> from calcstudio.core.language import parse_tree
    >>> f, df, d2f = derivative_evaluators(parse_tree("x^3"))
    >>> float(df(np.array([2.0]))[0]), float(d2f(np.array([2.0]))[0])
    (12.0, 12.0)
    """
    if len(tree.variables) != 1:
        return None
    variable, root = tree.variables[0], tree.root

    def part(index: int) -> Callable[[Array], Array]:
        def evaluate(x: Array) -> Array:
            points = np.asarray(x, dtype=float)
            with np.errstate(all="ignore"):
                jet = _Evaluator(variable, points).jet(root)
            values = _finite_or_nan(jet[index])
            values[np.isnan(jet.value)] = np.nan  # no slope where f itself is undefined
            return values

        return evaluate

    return part(0), part(1), part(2)
