"""Constant parts of a function, checked numerically before sympy sees them.

Sympy evaluates a constant such as ``acos(2)^2`` or ``cos(exp(sinh(64)))`` exactly, and
can take minutes doing it (deciding the sign of a huge or complex number needs ever more
digits). No thread or signal can stop sympy safely, so :func:`build_sympy
<calcstudio.core.language.build.build_sympy>` first runs :func:`check_constants`, which
evaluates every constant subtree with mpmath at two bounded precisions (30 and 45 digits)
and refuses, with a :class:`ParseError` on the first culprit's span:

- a constant with no real value (``asin(2)``, ``sqrt(-1)``, ``log(-2)``, also inside
  ``|√(-1)|``): the same rule the window's plot follows, where such values are undefined;
- a constant beyond 10^±300 (``1e-99999``, ``exp(-1e3)``, ``(1e-200*1e-200)``,
  ``exp(sinh(64))``): float64 cannot hold it, and a nonzero value never becomes 0.

Only what the two precisions agree on is acted upon: a rounding residue such as
``sin(pi)`` (about 1e-31, then 1e-46) is left to sympy, which knows it is exactly 0.
Every intermediate value is within 10^±300 before the next operation is applied to it,
and powers are sized from their logarithm before they are computed, so the check itself
costs milliseconds whatever the input.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from fractions import Fraction
from typing import Any

from calcstudio.core.language.tokens import MAX_MAGNITUDE, ParseError
from calcstudio.core.language.tree import Node, SyntaxTree

LIMIT = MAX_MAGNITUDE
"""Constants must lie within 10^-LIMIT and 10^LIMIT in size (or be exactly 0)."""
PRECISIONS = (30, 45)
"""The two mpmath precisions, in decimal digits, whose agreement makes a result trusted."""
_AGREE = 1e-6  # relative agreement of the two precisions for a result to be trusted

Pair = tuple[Any, Any]
"""A constant's value at each of the two precisions (mpmath numbers)."""


_SAME_NAMES = (
    *("sin", "cos", "tan", "cot", "sec", "csc", "asin", "acos", "atan", "acot", "asec"),
    *("acsc", "sinh", "cosh", "tanh", "coth", "sech", "csch", "asinh", "acosh", "atanh"),
    *("exp", "sqrt", "sign", "floor", "ceil"),
)


@functools.cache
def _functions() -> dict[str, Callable[..., Any]]:
    import mpmath

    mp = mpmath.mp

    def real_root(u: Any, q: int) -> Any:
        return mpmath.sign(u) * mpmath.root(abs(u), q) if mpmath.im(u) == 0 else mp.root(u, q)

    def sigmoid(u: Any) -> Any:
        return 1 / (1 + mp.exp(-u))

    return {
        **{name: getattr(mp, name) for name in _SAME_NAMES},
        "ln": mp.ln,
        "log": lambda u, base=None: mp.ln(u) if base is None else mp.ln(u) / mp.ln(base),
        "log10": lambda u: mp.ln(u) / mp.ln(10),
        "log2": lambda u: mp.ln(u) / mp.ln(2),
        "cbrt": lambda u: real_root(u, 3),
        "abs": abs,
        "min": lambda *args: min(args, key=mpmath.re),
        "max": lambda *args: max(args, key=mpmath.re),
        "sigmoid": sigmoid,
        "relu": lambda u: max(u, 0, key=mpmath.re),
        "step": lambda u: mpmath.mpf(1 if mpmath.re(u) > 0 else 0),  # step(0) = 0, as relu′
        "softplus": lambda u: mp.ln(1 + mp.exp(u)),
        "real_root": real_root,
    }


class _UntrustedError(Exception):
    """The value cannot be trusted (a pole, a rounding residue): sympy decides."""


def _balanced(text: str, node: Node) -> tuple[int, int]:
    """A node's span widened over the brackets its ends stand in: ``(-8)^0.5``, ``√(-1)``.

    A node spans its operands only, so a bracketed operand at either end loses a bracket.
    """
    start, end = node.start, node.end
    while text[start:end].count("(") > text[start:end].count(")") and text[end : end + 1] == ")":
        end += 1
    while (
        text[start:end].count(")") > text[start:end].count("(") and text[start - 1 : start] == "("
    ):
        start -= 1
    return start, end


def _refuse(text: str, node: Node, message: str) -> ParseError:
    start, end = _balanced(text, node) if text else (node.start, node.end)
    part = text[start:end].strip()
    what = f"'{part}'" if 0 < len(part) <= 30 else "this value"
    return ParseError(f"{what} {message}", start, end)


def _log10_size(value: Any) -> float:
    import mpmath

    return float(mpmath.log10(abs(value))) if value != 0 else 0.0  # 0 is in range


def _agree(a: Any, b: Any) -> bool:
    return abs(a - b) <= _AGREE * max(abs(a), abs(b))


def _odd_root_exponent(node: Node, exponent: Any) -> tuple[int, int] | None:
    """``(p, q)`` when an exponent means the real odd root p/q, as the language reads it.

    A typed decimal (``0.2``) stays a decimal; a computed exponent that is a fraction with
    an odd denominator up to 1000 (``1/3``, ``e^0/5``) is that fraction, as sympy has it.
    """
    import mpmath

    if node.kind == "num" or mpmath.im(exponent) != 0:
        return None
    nearest = Fraction(float(mpmath.re(exponent))).limit_denominator(1000)
    if nearest.denominator % 2 == 0 or nearest.denominator == 1:
        return None
    if abs(exponent - mpmath.mpf(nearest.numerator) / nearest.denominator) > 1e-25:
        return None
    return nearest.numerator, nearest.denominator


def _power(node: Node, base: Any, exponent: Any) -> Any:
    import mpmath

    if base == 0:
        if mpmath.re(exponent) <= 0:
            raise _UntrustedError  # 0^0 and 0^-1: sympy's rules (1, and undefined everywhere)
        return mpmath.mpf(0)
    size = float(mpmath.re(exponent)) * _log10_size(base)
    if abs(size) > 2 * LIMIT:
        # Sized from its logarithm: never computed. The check of the result refuses it.
        return mpmath.power(10, mpmath.mpf(size))
    root = _odd_root_exponent(node.args[1], exponent)
    if root is not None and mpmath.im(base) == 0 and base < 0:
        p, q = root
        return _functions()["real_root"](base, q) ** p
    return mpmath.power(base, exponent)


def _evaluate(node: Node, args: list[Any]) -> Any:
    """One node's value from its arguments' values, at the current mpmath precision."""
    import mpmath

    kind = node.kind
    if kind == "num":
        return mpmath.mpf(node.text)
    if kind == "name":
        return {"pi": mpmath.pi, "E": mpmath.e, "tau": 2 * mpmath.pi}[node.text] + 0
    if kind == "neg":
        return -args[0]
    if kind == "call":
        return _functions()[node.text](*args)
    if kind == "pow":
        return _power(node, *args)
    left, right = args
    if kind == "add":
        return left + right
    if kind == "sub":
        return left - right
    if kind == "mul":
        return left * right
    if right == 0:
        raise _UntrustedError  # build_sympy says "division by zero"
    return left / right


def _judge(text: str, node: Node, pair: Pair) -> Pair:
    """Refuse a value both precisions agree is not real or out of range; else pass it on."""
    import mpmath

    low, high = pair
    if not all(mpmath.isfinite(value) for value in pair):
        raise _UntrustedError
    if mpmath.im(low) != 0 or mpmath.im(high) != 0:
        if not _agree(mpmath.im(low), mpmath.im(high)):
            raise _UntrustedError  # an imaginary rounding residue
        raise _refuse(text, node, "is not a real number, so it cannot be plotted")
    sizes = [_log10_size(value) for value in pair]
    if all(abs(size) <= LIMIT for size in sizes):
        return pair
    low_size, high_size = sizes
    if abs(low_size - high_size) > max(1.0, 0.01 * abs(high_size)):
        # A size the precisions disagree on is a residue (1/sin(pi)): never computed on.
        raise _UntrustedError
    if low_size > LIMIT:
        raise _refuse(text, node, f"is too large to work with (beyond 10^{LIMIT})")
    raise _refuse(text, node, f"is too small to work with (below 10^-{LIMIT}), and it is not 0")


_LITERAL = object()
"""A typed number whose value :func:`check_constants` has not needed yet."""


def _plainly_in_range(number: str) -> bool:
    """Whether a typed number lies well within 10^±LIMIT (or is 0), so that the check of
    both precisions would pass it: its mpmath values are worked out only if needed. (Judged
    at both, the 62 numbers of a typed 30-term polynomial made most of the worker's time
    building it: over the benchmark's keystrokes, 2.2 ms median, 0.7 without.)"""
    value = abs(float(number))
    return value == 0.0 or 10.0 ** -(LIMIT - 1) <= value <= 10.0 ** (LIMIT - 1)


def check_constants(tree: SyntaxTree) -> None:
    """Refuse constants with no real value or beyond 10^±300, before sympy builds them.

    Parameters
    ----------
    tree
        From :func:`~calcstudio.core.language.parse_tree`.

    Raises
    ------
    ParseError
        On the innermost offending constant's span (see the module docstring for the rule).
    """
    import mpmath

    variables = set(tree.variables)
    # id(node) -> its pair; None: variable or unknown; _LITERAL: a typed number in range,
    # valued only if a constant needs it (most are coefficients and powers of x).
    values: dict[int, Pair | object | None] = {}
    stack: list[tuple[Node, bool]] = [(tree.root, False)]
    while stack:  # post-order, iteratively: a 500-term sum is 500 levels deep
        node, ready = stack.pop()
        if not ready:
            stack.append((node, True))
            stack.extend((arg, False) for arg in node.args)
            continue
        if node.kind == "name" and node.text in variables:
            values[id(node)] = None
            continue
        if node.kind == "num" and _plainly_in_range(node.text):
            values[id(node)] = _LITERAL
            continue
        args = [values[id(arg)] for arg in node.args]
        if any(arg is None for arg in args):
            values[id(node)] = None
            continue
        pair = []
        try:
            for index, digits in enumerate(PRECISIONS):
                with mpmath.workdps(digits):
                    at_precision = [
                        mpmath.mpf(arg.text) if value is _LITERAL else value[index]  # type: ignore[index]
                        for arg, value in zip(node.args, args, strict=True)
                    ]
                    pair.append(_evaluate(node, at_precision))
            values[id(node)] = _judge(tree.text, node, (pair[0], pair[1]))
        except (_UntrustedError, ArithmeticError, ValueError, TypeError) as error:
            if isinstance(error, ParseError):
                raise
            values[id(node)] = None


__all__ = ["LIMIT", "PRECISIONS", "check_constants"]
