"""Constant subtrees as exact fractions, bounded before they are computed.

The fast path and the switch-point walk keep typed constants exact (``x^(1/3)`` is a real
cube root, ``0.2`` is 1/5) as the symbolic engine does; a constant too large to keep exact
is left to float64, where it overflows to infinity at once instead of freezing the window.
"""

from __future__ import annotations

from fractions import Fraction

from calcstudio.core.language import Node

MAX_EXACT_BITS = 1000
"""Largest numerator or denominator, in bits, of a constant the fast path keeps exact.

A larger one (``(9^64)^64`` has 13,000 bits, and one more ``^64`` would take minutes to
compute) is computed in float64 instead, where it overflows to infinity at once.
"""


def bounded(value: Fraction) -> Fraction | None:
    """``value``, or None if its numerator or denominator passes :data:`MAX_EXACT_BITS`."""
    too_big = max(value.numerator.bit_length(), value.denominator.bit_length()) > MAX_EXACT_BITS
    return None if too_big else value


def exact_constant(node: Node) -> Fraction | None:
    """The exact rational value of a constant subtree such as ``1/3`` or ``-2``, else None.

    None too where a numerator or denominator would pass :data:`MAX_EXACT_BITS`: the size
    of a power is checked from its base's size before it is computed.
    """
    kind = node.kind
    if kind == "num":  # decimals are exact, as in the symbolic path: x^0.2 is x^(1/5)
        return Fraction(node.text)
    if kind == "neg":
        inner = exact_constant(node.args[0])
        return None if inner is None else -inner
    if kind in ("add", "sub", "mul", "div"):
        left, right = (exact_constant(arg) for arg in node.args)
        if left is None or right is None:
            return None
        if kind == "add":
            return bounded(left + right)
        if kind == "sub":
            return bounded(left - right)
        if kind == "mul":
            return bounded(left * right)
        return None if right == 0 else bounded(left / right)
    if kind == "pow":
        base, exponent = (exact_constant(arg) for arg in node.args)
        if base is None or exponent is None or exponent.denominator != 1:
            return None
        if (base == 0 and exponent < 0) or abs(exponent) > 64:
            return None
        bits = max(base.numerator.bit_length(), base.denominator.bit_length())
        if bits * abs(exponent) > MAX_EXACT_BITS + 64:
            return None
        return bounded(base ** int(exponent))
    return None


__all__ = ["MAX_EXACT_BITS", "bounded", "exact_constant"]
