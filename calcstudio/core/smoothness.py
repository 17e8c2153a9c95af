"""Functions smooth on the whole real line, recognised from the syntax tree alone.

A polynomial, ``sin((4x)^2)`` or ``exp(-x^2) cos(3x)`` is built only from sums, products,
division by a constant, whole powers, powers of a positive constant and functions smooth
everywhere (sin, exp, tanh, ...). Such a function, and each of its derivatives, has no jump,
pole, corner or domain edge anywhere, so curve sampling need not search it for breaks: on a
steep polynomial that search was a third of a keystroke's sampling.

Anything else (a division by the variable, a root, a log, abs, floor, tan, ...) is not
claimed smooth, even where it happens to be (``1/(1 + x^2)``): the search then runs as usual,
so the claim is never wrong, only sometimes missed.
"""

from __future__ import annotations

from calcstudio.core.exact_constants import exact_constant
from calcstudio.core.language import Node

ENTIRE_FUNCTIONS = frozenset(
    ["sin", "cos", "atan", "sinh", "cosh", "tanh", "sech", "asinh", "exp", "sigmoid", "softplus"]
)
"""The functions of the language that are defined and smooth at every real number."""
_NAMED_CONSTANTS = frozenset(["pi", "E", "tau"])
_CLOSED = frozenset(["num", "name", "add", "sub", "mul", "neg"])
"""Node kinds that keep smoothness whatever their operands are."""


def depends_on_variable(root: Node) -> bool:
    """Whether the subtree contains a variable (a name other than pi, e and tau)."""
    stack = [root]
    while stack:  # iteratively: a 500-term sum is 500 levels deep
        node = stack.pop()
        if node.kind == "name" and node.text not in _NAMED_CONSTANTS:
            return True
        stack.extend(node.args)
    return False


def smooth_everywhere(root: Node) -> bool:
    """Whether the tree's function is, by construction, smooth on the whole real line.

    True only for trees built from numbers, names, ``+``, ``-``, ``*``, division by a
    constant, powers with a constant whole exponent ``n ≥ 0``, powers of a positive
    constant, and the :data:`ENTIRE_FUNCTIONS`.

    Examples
    --------
    >>> from calcstudio.core.language import parse_tree
    >>> smooth_everywhere(parse_tree("3x^30 + x/2 - e^(-x^2) sin(4x)").root)
    True
    >>> smooth_everywhere(parse_tree("1/x").root), smooth_everywhere(parse_tree("abs(x)").root)
    (False, False)
    """
    stack = [root]
    while stack:
        node = stack.pop()
        kind = node.kind
        if kind in _CLOSED:
            stack.extend(node.args)
        elif kind == "div":
            numerator, denominator = node.args
            if depends_on_variable(denominator):
                return False
            stack.append(numerator)
        elif kind == "pow":
            base, exponent = node.args
            if depends_on_variable(exponent):
                if depends_on_variable(base) or not _positive_constant(base):
                    return False
                stack.append(exponent)
            elif depends_on_variable(base):
                whole = exact_constant(exponent)
                if whole is None or whole.denominator != 1 or whole < 0:
                    return False
                stack.append(base)
        elif kind == "call" and node.text in ENTIRE_FUNCTIONS and len(node.args) == 1:
            stack.extend(node.args)
        else:
            return False
    return True


def _positive_constant(node: Node) -> bool:
    if node.kind == "name":
        return node.text in _NAMED_CONSTANTS
    value = exact_constant(node)
    return value is not None and value > 0


__all__ = ["ENTIRE_FUNCTIONS", "depends_on_variable", "smooth_everywhere"]
