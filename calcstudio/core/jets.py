"""f, f' and f'' straight from the syntax tree, without sympy: forward differentiation.

Each node evaluates to a *jet*: its value and its derivatives with respect to the one
variable, up to the order asked for (``(value,)``, ``(value, first)`` or ``(value, first,
second)``). Sums, products and the chain rule combine jets exactly, so the numbers equal the
symbolic derivatives up to rounding. A constant subtree evaluates to a plain float (all its
derivatives are 0), so a product with a constant is a scaling and ``3x^30`` costs one power.

This is the window's fast path. Sympy needs 5 to 300 ms per keystroke to differentiate (more
for deep compositions), while a jet costs microseconds, so the plot can follow every typed
character within one frame; the symbolic engine's formulas follow a moment later.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from fractions import Fraction

import numpy as np

from calcstudio.core.language import Node, SyntaxTree

Array = np.ndarray
Part = Array | float
"""One entry of a jet: an array, or a number where it is the same everywhere (0, 1)."""
Jet = tuple[Part, ...]
"""``(value, first, second)`` truncated to the order asked for."""
Value = Jet | float
"""What a node evaluates to: a jet, or a float for a constant subtree."""

Rule = Callable[[Part, int], Jet]
"""``rule(u, order)``: g(u) and its derivatives g'(u), g''(u) up to ``order``."""


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


def _sigmoid(u: Part) -> Part:
    return 0.5 * (1.0 + np.tanh(0.5 * u))  # never overflows, unlike 1/(1+exp(-u))


def _step(g: Callable[[Part], Part]) -> Rule:
    # floor, ceil, sign: the slope is 0 wherever it exists, as sympy's derivative says.
    return _rule(g, lambda u, v: 0.0, lambda u, v, d: 0.0)


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
    "acot": _rule(
        lambda u: np.arctan(1 / u), lambda u, g: -1 / (1 + u * u), lambda u, g, d: 2 * u * d * d
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
    "abs": _rule(np.abs, lambda u, g: np.sign(u), lambda u, g, d: 0.0),
    "sign": _step(np.sign),
    "floor": _step(np.floor),
    "ceil": _step(np.ceil),
    "sigmoid": _rule(_sigmoid, lambda u, s: s * (1 - s), lambda u, s, d: d * (1 - 2 * s)),
    "relu": _rule(
        lambda u: np.maximum(u, 0.0), lambda u, g: np.heaviside(u, 0.5), lambda u, g, d: 0.0
    ),
    # logaddexp(0, u) = ln(1 + e^u) without overflowing for large u.
    "softplus": _rule(
        lambda u: np.logaddexp(0.0, u),
        lambda u, g: _sigmoid(u),
        lambda u, g, s: s * (1 - s),
    ),
}
"""Value, slope and curvature of every function of the expression language."""

CONSTANTS = {"pi": math.pi, "E": math.e, "tau": math.tau}
_RECIPROCAL = _rule(lambda u: 1 / u, lambda u, r: -r * r, lambda u, r, d: -2 * r * d)
_LN = RULES["ln"]
_EXP = RULES["exp"]


def _constant(value: float) -> float:
    # numpy's float: it divides by zero and overflows to inf and NaN (under errstate)
    # where Python's float raises.
    return np.float64(value)


def _as_jet(value: Value, order: int) -> Jet:
    return (value, 0.0, 0.0)[: order + 1] if isinstance(value, float) else value


def _chain(rule: Rule, inner: Value) -> Value:
    """g(u(x)) and its derivatives: g'(u) u' and g''(u) u'² + g'(u) u''."""
    if isinstance(inner, float):
        return rule(inner, 0)[0]
    g = rule(inner[0], len(inner) - 1)
    if len(inner) == 1:
        return g
    first = g[1] * inner[1]
    if len(inner) == 2:
        return (g[0], first)
    return (g[0], first, g[2] * inner[1] ** 2 + g[1] * inner[2])


def _product(u: Value, v: Value) -> Value:
    """u v and its derivatives by Leibniz's rule; a constant factor only scales."""
    if isinstance(u, float):
        return u * v if isinstance(v, float) else tuple(u * part for part in v)
    if isinstance(v, float):
        return tuple(v * part for part in u)
    parts = [u[0] * v[0]]
    if len(u) > 1:
        parts.append(u[1] * v[0] + u[0] * v[1])
    if len(u) > 2:
        parts.append(u[2] * v[0] + 2 * u[1] * v[1] + u[0] * v[2])
    return tuple(parts)


def _sum(u: Value, v: Value, sign: float) -> Value:
    """u + v (``sign`` 1) or u - v (``sign`` -1)."""
    if isinstance(u, float) and isinstance(v, float):
        return u + sign * v
    if isinstance(v, float):
        return (u[0] + sign * v, *u[1:])
    if isinstance(u, float):
        return (u + sign * v[0], *(sign * part for part in v[1:]))
    return tuple(a + sign * b for a, b in zip(u, v, strict=True))


def _whole_power(u: Part, n: int) -> Part:
    """``u**n`` for a whole number n by repeated squaring.

    numpy computes ``u**n`` with the C library's general ``pow``, about 40 ns a number;
    a handful of multiplications is several times faster and within a few rounding
    errors, which is what a polynomial typed in full needs to re-plot at every keystroke.
    """
    if n < 0:
        return 1.0 / _whole_power(u, -n)
    result: Part | None = None
    square = u
    while n:
        if n & 1:
            result = square if result is None else result * square
        n >>= 1
        if n:
            square = square * square
    return 1.0 if result is None else result


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


def _power_rule(exponent: float, exact: Fraction | None) -> Rule:
    """``u**c`` for a constant c; real odd roots (``(-8)^(1/3) = -2``) as the engine does."""
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
            return _rule(lambda u: 1.0, lambda u, g: 0.0, lambda u, g, d: 0.0)
        if n == 1:
            return _rule(lambda u: u, lambda u, g: 1.0, lambda u, g, d: 0.0)
        return _whole_power_rule(n)
    c = exponent
    return _rule(
        lambda u: u**c, lambda u, g: c * u ** (c - 1), lambda u, g, d: c * (c - 1) * u ** (c - 2)
    )


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


_PERIODIC = {"sin", "cos", "tan", "cot", "sec", "csc"}

Compiled = Callable[[Jet], Value]
"""A compiled subtree: the variable's jet in, the subtree's jet (or constant) out."""
_MINUS_ONE = np.float64(-1.0)


def _compile(node: Node, order: int) -> tuple[Compiled, bool]:
    """Turn a subtree into closures once, so each evaluation is only numpy work.

    Returns the closure and whether the subtree depends on the variable. One that does
    not is evaluated here, once: ``3x^30`` becomes a scaling by 3 of a power whose rule
    is already chosen.
    """
    if node.kind == "name" and node.text not in CONSTANTS:
        return (lambda x: x), True
    if node.kind == "pow":
        compiled, variable = _compile_power(node, order)
    else:
        children = [_compile(arg, order) for arg in node.args]
        compiled = _compile_node(node, [child for child, _ in children], order)
        variable = any(depends for _, depends in children)
    if variable:
        return compiled, True
    constant = compiled(())
    if node.kind == "call" and node.text in _PERIODIC and abs(constant) < 1e-15:
        # sin(pi) is 1.2e-16 in floats but exactly 0 to sympy (and to a learner).
        constant = _constant(0.0)
    return (lambda x: constant), False


def _compile_node(node: Node, parts: list[Compiled], order: int) -> Compiled:
    kind = node.kind
    if kind == "num":
        number = _constant(float(node.text))
        return lambda x: number
    if kind == "name":
        named = _constant(CONSTANTS[node.text])
        return lambda x: named
    if kind == "call":
        return _compile_call(node.text, parts, order)
    if kind == "neg":
        (inner,) = parts
        return lambda x: _product(_MINUS_ONE, inner(x))
    left, right = parts
    if kind == "add":
        return lambda x: _sum(left(x), right(x), 1.0)
    if kind == "sub":
        return lambda x: _sum(left(x), right(x), -1.0)
    if kind == "mul":
        return lambda x: _product(left(x), right(x))
    if kind == "div":
        return lambda x: _product(left(x), _chain(_RECIPROCAL, right(x)))
    raise ValueError(f"no jet rule for a {kind!r} node")


def _compile_call(name: str, parts: list[Compiled], order: int) -> Compiled:
    if name in ("min", "max"):
        return lambda x: _extreme(name, [part(x) for part in parts], order)
    if name == "log" and len(parts) == 2:  # log(u, b) = ln(u) / ln(b)
        value, base = parts
        return lambda x: _product(_chain(_LN, value(x)), _chain(_RECIPROCAL, _chain(_LN, base(x))))
    rule = _power_rule(1 / 3, Fraction(1, 3)) if name == "cbrt" else RULES[name]
    (inner,) = parts
    return lambda x: _chain(rule, inner(x))


def _compile_power(node: Node, order: int) -> tuple[Compiled, bool]:
    base_node, exponent_node = node.args
    (base, in_base), (exponent, in_exponent) = (
        _compile(base_node, order),
        _compile(exponent_node, order),
    )
    if not in_exponent:
        exact = _exact_constant(exponent_node)
        c = float(exact) if exact is not None else float(exponent(()))
        if exact is None and abs(c - round(c)) <= 1e-12 * max(1.0, abs(c)):
            # sin(pi) is 1.2e-16 in floats but 0 to sympy: x^sin(pi) is x^0.
            exact = Fraction(round(c))
        rule = _power_rule(c, exact)
        return (lambda x: _chain(rule, base(x))), in_base

    def general(x: Jet) -> Value:
        # The slopes of u^v come from exp(v ln u) (they need u > 0); the value itself is
        # also defined at negative u where v is a whole number, as in (-2)^(-2).
        u, v = base(x), exponent(x)
        through_log = _chain(_EXP, _product(v, _chain(_LN, u)))
        u_value = u if isinstance(u, float) else u[0]
        v_value = v if isinstance(v, float) else v[0]
        return (u_value**v_value, *through_log[1:])

    return general, True


def _extreme(name: str, args: list[Value], order: int) -> Value:
    """min or max: each point takes the value and derivatives of the chosen argument."""
    if all(isinstance(arg, float) for arg in args):
        return _constant(min(args) if name == "min" else max(args))
    jets = [_as_jet(arg, order) for arg in args]
    values = np.stack(np.broadcast_arrays(*(jet[0] for jet in jets)))
    index = (np.argmin if name == "min" else np.argmax)(values, axis=0)
    return tuple(
        np.choose(index, np.stack(np.broadcast_arrays(*(jet[part] for jet in jets))))
        for part in range(order + 1)
    )


def _finite_or_nan(values: Part, shape: tuple[int, ...]) -> Array:
    values = np.array(np.broadcast_to(values, shape), dtype=float)
    values[~np.isfinite(values)] = np.nan
    return values


def derivative_evaluators(
    tree: SyntaxTree,
) -> tuple[Callable[[Array], Array], Callable[[Array], Array], Callable[[Array], Array]] | None:
    """Evaluators of f, f' and f'' for a one-variable syntax tree, or None for more variables.

    Each maps a float array to a new float64 array of the same shape, NaN where the value is
    undefined or not finite, like the evaluators the symbolic engine's programs compile to.
    Each computes only the derivatives it needs: f costs one numpy operation per node.

    Examples
    --------
    >>> from calcstudio.core.language import parse_tree
    >>> f, df, d2f = derivative_evaluators(parse_tree("x^3"))
    >>> float(df(np.array([2.0]))[0]), float(d2f(np.array([2.0]))[0])
    (12.0, 12.0)
    """
    if len(tree.variables) != 1:
        return None
    root = tree.root

    def part(order: int) -> Callable[[Array], Array]:
        with np.errstate(all="ignore"):  # constant subtrees are evaluated while compiling
            compiled = _compile(root, order)[0]

        def evaluate(x: Array) -> Array:
            points = np.asarray(x, dtype=float)
            with np.errstate(all="ignore"):
                jet = _as_jet(compiled((points, 1.0, 0.0)[: order + 1]), order)
                values = _finite_or_nan(jet[order], points.shape)
                if order:  # no slope where f itself is undefined
                    values[np.isnan(np.broadcast_to(jet[0], points.shape))] = np.nan
            return values

        return evaluate

    return part(0), part(1), part(2)
