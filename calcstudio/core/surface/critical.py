"""Critical points in a view, and what the Hessian's eigenvalues say each one is.

A critical point is where ∇L = 0. The search runs Newton's method on ∇L = 0 from a grid of
seeds over the view, all seeds at once (each step solves a 2×2 system per seed), keeps the
ones that arrive inside the view with a vanishing gradient, and merges those that arrive at
the same place. At each, the Hessian's eigenvalues decide: both positive, a minimum; both
negative, a maximum; opposite signs, a saddle; one of them about 0, degenerate (the second
derivatives cannot tell: the monkey saddle ``x³ − 3xy²`` at 0, or ``x⁴ + y⁴``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

from calcstudio.core.optimize.diagnosis import FLAT_CURVATURE
from calcstudio.core.surface.fields import Surface

Kind = Literal["minimum", "maximum", "saddle", "degenerate"]
Range = tuple[float, float]

SEEDS = 24
"""Seeds along each axis of the view."""
NEWTON_STEPS = 80
"""Newton steps per seed (a degenerate point is approached only linearly)."""


@dataclass(frozen=True)
class CriticalPoint:
    """A point where ∇L = 0.

    Attributes
    ----------
    point
        ``(w1, w2)``.
    value
        L there.
    eigenvalues
        The Hessian's eigenvalues there, lowest first.
    kind
        ``minimum``, ``maximum``, ``saddle`` or ``degenerate``.
    """

    point: tuple[float, float]
    value: float
    eigenvalues: tuple[float, float]
    kind: Kind

    @property
    def condition_number(self) -> float | None:
        """``λmax / λmin`` at a minimum (how elongated the bowl is), else None."""
        low, high = self.eigenvalues
        return high / low if self.kind == "minimum" else None

    @property
    def critical_rate(self) -> float | None:
        """``2 / λmax`` at a minimum: gradient descent diverges there above this rate."""
        return 2.0 / self.eigenvalues[1] if self.kind == "minimum" else None


def classify(hessian: np.ndarray) -> tuple[Kind, tuple[float, float]]:
    """The kind of a critical point with this 2×2 Hessian, and the eigenvalues (lowest first).

    An eigenvalue within :data:`~calcstudio.core.optimize.diagnosis.FLAT_CURVATURE` of 0
    makes the point degenerate, the same threshold the descent's verdicts use for flat.

    Examples
    --------
    >>> classify(np.array([[2.0, 0.0], [0.0, -2.0]]))[0]  # x² − y² at 0
    'saddle'
    """
    low, high = (float(e) for e in np.linalg.eigvalsh(hessian))
    if min(abs(low), abs(high)) <= FLAT_CURVATURE:
        kind: Kind = "degenerate"
    elif low > 0:
        kind = "minimum"
    elif high < 0:
        kind = "maximum"
    else:
        kind = "saddle"
    return kind, (low, high)


def _newton(function: Surface, w1: np.ndarray, w2: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Newton's method on ∇L = 0 from every seed at once; seeds that fail become NaN."""
    for _ in range(NEWTON_STEPS):
        d = function.derivatives(w1, w2)
        (g1, g2), ((a, b), (_, c)) = d.gradient, d.hessian
        det = a * c - b * b
        with np.errstate(all="ignore"):
            step1 = (c * g1 - b * g2) / det
            step2 = (a * g2 - b * g1) / det
        bad = ~(np.isfinite(step1) & np.isfinite(step2))
        w1 = np.where(bad, np.nan, w1 - step1)
        w2 = np.where(bad, np.nan, w2 - step2)
    return w1, w2


def critical_points(
    function: Surface, w1_range: Range, w2_range: Range, seeds: int = SEEDS
) -> list[CriticalPoint]:
    """The critical points of ``function`` inside the view, lowest value first.

    Parameters
    ----------
    function
        The surface.
    w1_range, w2_range
        The view searched.
    seeds
        Newton seeds along each axis; more find more points in a busy view.

    Examples
    --------
    >>> from calcstudio.core.surface.fields import surface
    >>> [p.kind for p in critical_points(surface("x^2 - y^2"), (-1, 1), (-1, 1))]
    ['saddle']
    """
    (left, right), (bottom, top) = w1_range, w2_range
    span = max(right - left, top - bottom)
    grid1, grid2 = np.meshgrid(np.linspace(left, right, seeds), np.linspace(bottom, top, seeds))
    with np.errstate(all="ignore"):
        w1, w2 = _newton(function, grid1.ravel(), grid2.ravel())
        typical = np.nanmedian(np.hypot(*function.gradient(grid1, grid2)))
    tolerance = 1e-8 * max(1.0, float(typical) if np.isfinite(typical) else 1.0)
    found: list[CriticalPoint] = []
    inside = (w1 >= left) & (w1 <= right) & (w2 >= bottom) & (w2 <= top)
    for p1, p2 in zip(w1[inside], w2[inside], strict=True):
        if any(np.hypot(p1 - q.point[0], p2 - q.point[1]) < 1e-4 * span for q in found):
            continue
        value, gradient, hessian = function.at(p1, p2)
        if not (np.isfinite(value) and np.all(np.isfinite(hessian))):
            continue
        if np.hypot(*gradient) > tolerance:
            continue
        kind, eigenvalues = classify(hessian)
        # Newton stops a rounding error away from an exact 0: show (0, 0), not (1e-24, ...)
        p1, p2 = (0.0 if abs(c) < 1e-9 * span else float(c) for c in (p1, p2))
        value = float(function.value(p1, p2))
        found.append(CriticalPoint((p1, p2), value, eigenvalues, kind))
    return sorted(found, key=lambda p: p.value)


__all__ = ["CriticalPoint", "Kind", "classify", "critical_points"]
