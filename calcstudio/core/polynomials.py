"""Polynomials typed as sums of terms such as ``3x^2``: recognised, and evaluated as a whole.

A polynomial evaluated term by term costs a few array operations per term, and many more
for its derivatives; typed in full (``3x^30 + 2x^29 + … + 1``) that is hundreds per
evaluation, and a keystroke's plot evaluates it a dozen times. Evaluated as a whole by
Horner's scheme, p costs two operations per degree and p′ two more: two to three times
faster, and the same numbers up to rounding (Horner's are usually the closer).

Only sums whose every term is a product of typed numbers and whole powers of the variable
qualify, dense enough that Horner's steps are not mostly through missing terms; anything else
is left to the term-by-term rules of :mod:`calcstudio.core.jets`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from calcstudio.core.jet_rules import Jet, Part, Rule
from calcstudio.core.language import CONSTANTS, Node

MAX_DEGREE = 64
"""Higher degrees are left to the term-by-term rules (which square their way up)."""
TERMS_PER_DEGREE = 0.25
"""At least this many nonzero terms per degree: x^60 + 1 is two powers by squaring, not
sixty of Horner's steps."""

_CONSTANT_NAMES = frozenset(CONSTANTS.values())


def polynomial_coefficients(terms: Sequence[tuple[str, Node]]) -> np.ndarray | None:
    """The coefficients c₀, c₁, …, cₙ of a sum of terms, or None if it is no polynomial here.

    Parameters
    ----------
    terms
        The operands of a run of sums, each with ``"add"`` or ``"sub"``, in order.

    Returns
    -------
    numpy.ndarray or None
        ``c`` with ``c[k]`` the coefficient of ``x^k`` and ``c[-1] != 0``, when every term is
        a product of typed numbers and whole powers of the variable, the degree is at least 1
        and at most :data:`MAX_DEGREE`, the coefficients are finite and the sum has at least
        :data:`TERMS_PER_DEGREE` terms per degree; None otherwise.

    Examples
    --------
    >>> from calcstudio.core.language import parse_tree
    >>> root = parse_tree("3x^2 - x/2").root
    >>> polynomial_coefficients([("add", root.args[0]), ("sub", root.args[1])]).tolist()
    [0.0, -0.5, 3.0]
    """
    found: dict[int, float] = {}
    for kind, term in terms:
        monomial = _monomial(term)
        if monomial is None:
            return None
        coefficient, degree = monomial
        found[degree] = found.get(degree, 0.0) + (coefficient if kind == "add" else -coefficient)
    degree = max(found)
    if not 1 <= degree <= MAX_DEGREE:
        return None
    coefficients = np.zeros(degree + 1)
    for power, coefficient in found.items():
        coefficients[power] = coefficient
    nonzero = np.flatnonzero(coefficients)
    if nonzero.size == 0 or not np.all(np.isfinite(coefficients)):
        return None
    coefficients = coefficients[: nonzero[-1] + 1]  # x^3 - x^3 + x has degree 1
    degree = coefficients.size - 1
    if degree < 1 or nonzero.size < TERMS_PER_DEGREE * degree:
        return None
    return coefficients


def _monomial(term: Node) -> tuple[float, int] | None:
    """``term`` as (coefficient, degree) if it is a product of numbers and powers of x."""
    coefficient, degree = 1.0, 0
    factors: list[tuple[str, Node]] = [("mul", term)]
    while factors:  # iteratively: a long product is as deep as it is long
        kind, node = factors.pop()
        while node.kind == "neg":
            coefficient, node = -coefficient, node.args[0]
        if node.kind in ("mul", "div"):
            if kind == "div":
                return None  # 1/(2x) is no polynomial; 1/(2*3) is rare enough to leave
            factors += [("mul", node.args[0]), (node.kind, node.args[1])]
        elif node.kind == "num":
            value = float(node.text)
            if kind == "div" and value == 0:
                return None  # x/0: undefined, as the term-by-term rules have it
            coefficient = coefficient * value if kind == "mul" else coefficient / value
        elif kind == "div":
            return None
        elif _is_variable(node):
            degree += 1
        elif node.kind == "pow" and _is_variable(node.args[0]) and node.args[1].kind == "num":
            exponent = float(node.args[1].text)
            if not (exponent.is_integer() and 0 <= exponent <= MAX_DEGREE):
                return None
            degree += int(exponent)
        else:
            return None
    if not math.isfinite(coefficient) or degree > MAX_DEGREE:
        return None
    return coefficient, degree


def _is_variable(node: Node) -> bool:
    return node.kind == "name" and node.text not in _CONSTANT_NAMES


def polynomial_rule(coefficients: np.ndarray) -> Rule:
    """The jet rule of p(u) = Σ cₖ uᵏ: p, p′ and p″ at u by Horner's scheme.

    Each step multiplies what is there by u and adds the next coefficient (p′ and p″
    follow the same steps, one behind); a missing term costs no addition. Only elementwise
    operations, so a point gets the same number alone as in an array of many (a matrix
    product would not: its sums are ordered by the array's shape).

    Parameters
    ----------
    coefficients
        ``c[k]`` is the coefficient of ``u^k``; degree at least 1.
    """
    c = [float(value) for value in coefficients]
    degree = len(c) - 1

    def rule(u: Part, order: int) -> Jet:
        u = np.asarray(u, dtype=float)
        parts = [np.full(u.shape, c[degree])] + [np.zeros(u.shape) for _ in range(order)]
        for k in range(degree - 1, -1, -1):
            for j in range(order, 0, -1):  # the higher ones first: they use the old lower
                parts[j] *= u
                parts[j] += parts[j - 1]
            parts[0] *= u
            if c[k]:
                parts[0] += c[k]
        if order == 2:
            parts[2] *= 2.0  # Horner's running sum for p″ is half of it
        return tuple(parts)

    return rule


__all__ = ["MAX_DEGREE", "TERMS_PER_DEGREE", "polynomial_coefficients", "polynomial_rule"]
