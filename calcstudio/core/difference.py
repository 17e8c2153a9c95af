"""Numerical derivatives: forward, backward and central differences, and their error.

The material's ``(f(x + eps) − f(x − eps)) / (2 eps)`` with ``eps = 1e-5`` is a central
difference. Its error has two parts: truncation, from cutting the Taylor series (about
``|f‴| h²/6``; ``|f″| h/2`` for a one-sided difference), which shrinks with h, and round-off,
from subtracting two nearly equal floats (about ``ε |f| / h``, ε = 2.2e-16), which grows as
h shrinks. Their sum is a V on a log-log plot with its bottom near ``h = ∛ε`` (central) or
``√ε`` (one-sided): a smaller eps is worse, not better.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np

from calcstudio.core.curve import evaluate

Kind = Literal["forward", "backward", "central"]
KINDS: tuple[Kind, ...] = ("forward", "backward", "central")
FORMULAS: dict[Kind, str] = {
    "forward": "(f(a+h) − f(a)) / h",
    "backward": "(f(a) − f(a−h)) / h",
    "central": "(f(a+h) − f(a−h)) / 2h",
}
EPSILON = float(np.finfo(float).eps)
"""The spacing of floats near 1: 2.2e-16."""
MATERIAL_STEP = 1e-5
"""The eps of the lesson material's ``numerical_derivative``."""
STEPS = np.geomspace(1.0, 1e-16, 161)
"""The h of an error-against-h plot, from 1 down to 1e-16."""

RealFunction = Callable[[np.ndarray], np.ndarray]


def difference_quotient(
    f: RealFunction, a: float, h: float | np.ndarray, kind: Kind = "central"
) -> np.ndarray:
    """The difference quotient of ``kind`` at ``a`` for each step ``h`` (vectorised over h).

    Examples
    --------
    >>> float(difference_quotient(lambda x: x**2, 3.0, 1e-5, "central"))
    6.000000000039306
    """
    h = np.asarray(h, dtype=float)
    a = float(a)
    if kind == "forward":
        return (evaluate(f, a + h) - evaluate(f, np.full_like(h, a))) / h
    if kind == "backward":
        return (evaluate(f, np.full_like(h, a)) - evaluate(f, a - h)) / h
    if kind == "central":
        return (evaluate(f, a + h) - evaluate(f, a - h)) / (2 * h)
    raise ValueError(f"unknown difference {kind!r}; choose forward, backward or central")


def order(kind: Kind) -> int:
    """How the truncation error shrinks: like ``h`` (1) or like ``h²`` (2)."""
    return 2 if kind == "central" else 1


@dataclass(frozen=True)
class ErrorModel:
    """The predicted error of a difference quotient at one point.

    Attributes
    ----------
    kind
        Which difference.
    truncation
        The coefficient ``C`` of the truncation error ``C·h^order``: ``|f″(a)|/2`` or
        ``|f‴(a)|/6``.
    rounding
        The coefficient ``R`` of the round-off error ``R/h``: about ``ε·|f(a)|``.
    """

    kind: Kind
    truncation: float
    rounding: float

    def __call__(self, h: float | np.ndarray) -> np.ndarray:
        """The predicted error ``C·h^order + R/h`` for each step ``h``."""
        h = np.asarray(h, dtype=float)
        return self.truncation * h ** order(self.kind) + self.rounding / h

    @property
    def best_step(self) -> float:
        """The h where the two errors balance (the bottom of the V).

        ``√(R/C)`` for a one-sided difference, ``∛(R/2C)`` for the central one; 1 when f
        has no curvature to truncate (the error is then round-off alone).
        """
        if self.truncation <= 0 or not np.isfinite(self.truncation):
            return 1.0
        p = order(self.kind)
        return float(min(1.0, (self.rounding / (p * self.truncation)) ** (1.0 / (p + 1))))


def error_model(
    kind: Kind,
    value: float,
    second: float,
    third: float,
    *,
    slope: float = 0.0,
    point: float = 0.0,
    epsilon: float = EPSILON,
) -> ErrorModel:
    """The error model from f(a), f″(a), f‴(a) (and f′(a) and a, for rounding in x).

    Round-off: each value of f carries a relative error up to ε/2, and a ± h is itself
    rounded, which moves f by about ``ε|a f′(a)|``; the numerator is off by about
    ``ε(|f(a)| + |a f′(a)|)``, the quotient by that over its denominator.
    """
    scale = max(abs(value) + abs(point * slope), epsilon)
    if kind == "central":
        return ErrorModel(kind, abs(third) / 6, epsilon * scale / 2)
    return ErrorModel(kind, abs(second) / 2, epsilon * scale)


def typical_best_step(kind: Kind) -> float:
    """``√ε`` ≈ 1.5e-8 for one-sided differences, ``∛ε`` ≈ 6e-6 for the central one."""
    return float(np.cbrt(EPSILON)) if kind == "central" else float(np.sqrt(EPSILON))


def difference_errors(
    f: RealFunction,
    a: float,
    exact: float,
    kind: Kind = "central",
    steps: Sequence[float] | np.ndarray = STEPS,
) -> tuple[np.ndarray, np.ndarray]:
    """``|quotient − f′(a)|`` for each step: the measured V.

    Returns
    -------
    steps, errors
        The steps and the errors (0 where the quotient is exact to the last bit).
    """
    h = np.asarray(steps, dtype=float)
    return h, np.abs(difference_quotient(f, a, h, kind) - float(exact))


def along_axis(f: Callable[..., np.ndarray], point: Sequence[float], axis: int) -> RealFunction:
    """The one-variable function ``t ↦ f(…, t, …)``: variable ``axis`` free, the others held
    at ``point``. Its derivative at ``point[axis]`` is the partial derivative there.

    Examples
    --------
    >>> along_axis(lambda w1, w2: w1 * w2, (3.0, 5.0), 1)(np.array([2.0])).tolist()
    [6.0]
    """
    where = [float(c) for c in point]

    def along(t: np.ndarray) -> np.ndarray:
        t = np.asarray(t, dtype=float)
        values = [np.full_like(t, c) for c in where]
        values[axis] = t
        return np.asarray(f(*values), dtype=float)

    return along


def partial_differences(
    f: Callable[..., np.ndarray],
    point: Sequence[float],
    h: float = MATERIAL_STEP,
    kind: Kind = "central",
) -> np.ndarray:
    """Each partial derivative by a difference quotient in its own variable, the others held.

    This is the material's ``grad_loss``: for ``w1² + 2w2²`` at ``(1, −2)`` with
    ``h = 1e-5`` it gives about ``(2, −8)``.

    Examples
    --------
    >>> loss = lambda w1, w2: w1**2 + 2 * w2**2
    >>> np.round(partial_differences(loss, (1.0, -2.0)), 6).tolist()
    [2.0, -8.0]
    """
    where = np.asarray(point, dtype=float)
    return np.array(
        [
            float(difference_quotient(along_axis(f, where, i), where[i], h, kind))
            for i in range(where.size)
        ]
    )


@dataclass(frozen=True)
class DerivativeStudy:
    """How well difference quotients approximate one derivative at one point.

    Attributes
    ----------
    point
        Where (a, or the free variable's value for a partial derivative).
    exact
        The derivative there (from the syntax tree's jets).
    errors
        Per kind: the steps h (from 1 to 1e-16) and ``|quotient − exact|`` at each.
    models
        The error models of the forward (one-sided) and central differences.
    material_error
        The error of the material's central difference with ``eps = 1e-5``.
    """

    point: float
    exact: float
    errors: dict[Kind, tuple[np.ndarray, np.ndarray]]
    models: dict[Kind, ErrorModel]
    material_error: float

    def measured_order(self, kind: Kind, largest: float = 1e-1, smallest: float = 1e-3) -> float:
        """The slope of log(error) against log(h) for ``smallest < h < largest``: about 1
        (one-sided) or 2 (central) where truncation dominates; NaN if the errors there are
        rounding (or zero) rather than truncation."""
        steps, errors = self.errors[kind]
        chosen = (steps < largest) & (steps > smallest) & (errors > 0) & np.isfinite(errors)
        if chosen.sum() < 3 or errors[chosen].min() < 1e3 * EPSILON * max(1.0, abs(self.exact)):
            return float("nan")
        return float(np.polyfit(np.log10(steps[chosen]), np.log10(errors[chosen]), 1)[0])


def study_derivative(
    f: RealFunction,
    point: float,
    exact: float,
    second: RealFunction | None,
    steps: Sequence[float] | np.ndarray = STEPS,
) -> DerivativeStudy:
    """The measured errors of the three differences of ``f`` at ``point`` and their models.

    ``second`` evaluates f″ near the point (the error model's truncation coefficients: f″,
    and f‴ by a central difference of f″); None leaves the models without truncation.
    """
    a = float(point)
    errors = {kind: difference_errors(f, a, exact, kind, steps) for kind in KINDS}
    value = float(evaluate(f, np.array([a]))[0])
    curvature, third = math.nan, math.nan
    if second is not None:
        curvature = float(evaluate(second, np.array([a]))[0])
        third = float(difference_quotient(second, a, 1e-4 * max(1.0, abs(a))))
    models = {
        kind: error_model(kind, value, curvature, third, slope=exact, point=a)
        for kind in ("forward", "central")
    }
    material = float(np.abs(difference_quotient(f, a, MATERIAL_STEP, "central") - exact))
    return DerivativeStudy(a, float(exact), errors, models, material)


def true_digits(approximation: float, exact: float) -> str:
    """``approximation`` written with only the decimals it shares with ``exact``.

    The most decimals d (up to float precision) such that both round to the same number at
    every precision up to d (15 significant digits at most: the exact value is a float
    too). When not even the units agree, three significant digits: the caller states the
    error beside it.

    Examples
    --------
    >>> true_digits(2.0000000000131024, 2.0), true_digits(-7.999999999785955, -8.0)
    ('2.0000000000', '-8.000000000')
    """
    if not (math.isfinite(approximation) and math.isfinite(exact)):
        return f"{approximation:.6g}"
    size = max(abs(exact), abs(approximation), 1e-300)
    most = max(0, 14 - math.floor(math.log10(size)))  # 15 significant digits at most
    decimals = -1
    for d in range(min(most, 300) + 1):
        if round(approximation, d) != round(exact, d):
            break
        decimals = d
    if decimals < 0:
        return f"{approximation:.3g}"
    text = f"{approximation:.{decimals}f}"
    # −1e-11 against an exact 0 is 0 to ten decimals, not "-0.0000000000"
    return text[1:] if text.startswith("-") and float(text) == 0 else text


__all__ = [
    "EPSILON",
    "FORMULAS",
    "KINDS",
    "MATERIAL_STEP",
    "STEPS",
    "DerivativeStudy",
    "ErrorModel",
    "Kind",
    "along_axis",
    "difference_errors",
    "difference_quotient",
    "error_model",
    "order",
    "partial_differences",
    "study_derivative",
    "true_digits",
    "typical_best_step",
]
