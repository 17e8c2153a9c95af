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

import functools
from collections.abc import Sequence
from fractions import Fraction

import numpy as np

from calcstudio.core.exact_constants import bounded
from calcstudio.core.jet_rules import Jet, Part, Rule
from calcstudio.core.language import CONSTANTS, Node

MAX_DEGREE = 64
"""Higher degrees are left to the term-by-term rules (which square their way up)."""
TERMS_PER_DEGREE = 0.25
"""At least this many nonzero terms per degree: x^60 + 1 is two powers by squaring, not
sixty of Horner's steps."""

_CONSTANT_NAMES = frozenset(CONSTANTS.values())

Exact = int | Fraction
"""An exact coefficient: typed whole numbers stay ints, anything else is a Fraction."""


def polynomial_coefficients(terms: Sequence[tuple[str, Node]]) -> tuple[Exact, ...] | None:
    """The coefficients c₀, c₁, …, cₙ of a sum of terms, exact, or None if it is no polynomial here.

    Parameters
    ----------
    terms
        The operands of a run of sums, each with ``"add"`` or ``"sub"``, in order.

    Returns
    -------
    tuple of int or Fraction, or None
        ``c`` with ``c[k]`` the coefficient of ``x^k`` and ``c[-1] != 0``, as the typed
        numbers make it (``x^3/3`` has exactly 1/3), when every term is a product of typed
        numbers and whole powers of the variable, the degree is at least 1 and at most
        :data:`MAX_DEGREE`, no coefficient passes the fast path's exact size bound
        (:data:`~calcstudio.core.exact_constants.MAX_EXACT_BITS`) and the sum has at least
        :data:`TERMS_PER_DEGREE` terms per degree; None otherwise.

    Examples
    --------
    >>> from calcstudio.core.language import parse_tree
    >>> root = parse_tree("3x^2 - x/2").root
    >>> [str(c) for c in polynomial_coefficients([("add", root.args[0]), ("sub", root.args[1])])]
    ['0', '-1/2', '3']
    """
    found: dict[int, Exact] = {}
    for kind, term in terms:
        monomial = _monomial(term)
        if monomial is None:
            return None
        coefficient, degree = monomial
        signed = coefficient if kind == "add" else -coefficient
        total = bounded(found[degree] + signed) if degree in found else signed
        if total is None:
            return None
        found[degree] = total
    degree = max((power for power, value in found.items() if value), default=0)
    nonzero = sum(1 for value in found.values() if value)  # x^3 - x^3 + x has degree 1
    if not 1 <= degree <= MAX_DEGREE or nonzero < TERMS_PER_DEGREE * degree:
        return None
    return tuple(found.get(power, 0) for power in range(degree + 1))


@functools.lru_cache(maxsize=256)
def _typed(text: str) -> Exact | None:
    # Whole numbers stay ints, whose arithmetic is several times faster than Fraction's.
    if text.isdigit():
        return int(text)
    try:
        return Fraction(text)
    except ValueError:  # 'nan' or 'inf': the chain lesson's graph puts values in as text
        return None


def _monomial(term: Node) -> tuple[Exact, int] | None:
    """``term`` as (coefficient, degree) if it is a product of numbers and powers of x."""
    coefficient: Exact = 1
    degree = 0
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
            value = _typed(node.text)  # the parser bounds typed numbers by 10^300
            if value is None:
                return None  # not finite: left to the term-by-term rules, NaN as before
            if kind == "div" and value == 0:
                return None  # x/0: undefined, as the term-by-term rules have it
            product = bounded(
                coefficient * value if kind == "mul" else Fraction(coefficient) / value
            )
            if product is None:
                return None  # 1e200*1e200*x: beyond floats, left to the term-by-term rules
            coefficient = product
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
    if degree > MAX_DEGREE:
        return None
    return coefficient, degree


def _is_variable(node: Node) -> bool:
    return node.kind == "name" and node.text not in _CONSTANT_NAMES


def _derivative(coefficients: Sequence[Exact]) -> tuple[Exact, ...]:
    return tuple(k * c for k, c in enumerate(coefficients))[1:]


def polynomial_rule(coefficients: Sequence[Exact]) -> Rule:
    """The jet rule of p(u) = Σ cₖ uᵏ: p, p′ and p″ at u, each by Horner's scheme.

    p′ and p″ get their own coefficients, differentiated exactly and then rounded once, so
    a slope that is exactly 0 comes out 0: x³/3 − x at 1 is 1 − 1, where carrying p′
    through p's steps (1/3 rounded, added three times) left 2⁻⁵³ (issue 3's tangent panel
    wrote f′(1) = −1.11e-16). Each step multiplies what is there by u and adds the next
    coefficient; a missing term costs no addition. Only elementwise operations, so a point
    gets the same number alone as in an array of many (a matrix product would not: its
    sums are ordered by the array's shape).

    Parameters
    ----------
    coefficients
        ``c[k]`` is the exact coefficient of ``u^k``; degree at least 1.
    """
    exact = [tuple(coefficients)]
    for _ in range(2):
        exact.append(_derivative(exact[-1]))
    rounded: dict[int, list[float]] = {}

    def coefficients_of(order: int) -> list[float]:
        if order not in rounded:  # rounded on first use: plotting f needs neither p′ nor p″
            rounded[order] = [float(c) for c in exact[order]]
        return rounded[order]

    def horner(c: list[float], u: np.ndarray) -> np.ndarray:
        if not c:
            return np.zeros(u.shape)  # p″ of a line
        total = np.full(u.shape, c[-1])
        for k in range(len(c) - 2, -1, -1):
            total *= u
            if c[k]:
                total += c[k]
        return total

    def rule(u: Part, order: int) -> Jet:
        u = np.asarray(u, dtype=float)
        return tuple(horner(coefficients_of(j), u) for j in range(order + 1))

    return rule


__all__ = ["MAX_DEGREE", "TERMS_PER_DEGREE", "polynomial_coefficients", "polynomial_rule"]
