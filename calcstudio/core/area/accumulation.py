"""Accumulation: F(x) = ∫ₐˣ f, the area from a to x as a function of x.

Its slope at every x is f(x) (the fundamental theorem of calculus), which the lesson lets
a learner see by plotting F beside f.
"""

from __future__ import annotations

import numpy as np

from calcstudio.core.area.interval import check_interval
from calcstudio.core.area.riemann import RealFunction, values_with_limits

_POINTS = 4001


def _from_start(f: RealFunction, a: float, end: float, points: int) -> tuple[np.ndarray, ...]:
    """x from a to ``end`` and F there, by the cumulative trapezoid rule (error ~ step²)."""
    xs = np.linspace(a, end, points)
    ys = values_with_limits(f, xs)
    steps = np.diff(xs)
    areas = np.concatenate(([0.0], np.cumsum(0.5 * (ys[1:] + ys[:-1]) * steps)))
    check = check_interval(f, a, end)
    if check.verdict == "diverges":
        # Past a pole the area is infinite: F has no value there.
        areas[np.abs(xs - a) >= abs(check.where[0] - a)] = np.nan
    # NaN heights already make every later area NaN: F is undefined past a gap.
    return xs, areas


def accumulation(
    f: RealFunction, a: float, x_min: float, x_max: float, points: int = _POINTS
) -> tuple[np.ndarray, np.ndarray]:
    """F(x) = ∫ₐˣ f for x across [x_min, x_max] (the visible range), NaN where undefined.

    Parameters
    ----------
    f
        A vectorised real function.
    a
        Where the area starts (F(a) = 0).
    x_min, x_max
        The range to return F on.
    points
        Grid points on each side of ``a``.

    Returns
    -------
    xs, values
        Increasing xs covering [x_min, x_max] (and a), F at each.

    Examples
    --------
    >>> xs, F = accumulation(lambda x: 2 * x, 0.0, -1.0, 1.0)
    >>> round(float(F[-1]), 6)
    1.0
    """
    pieces_x, pieces_y = [], []
    if x_min < a:
        xs, values = _from_start(f, a, x_min, points)
        pieces_x.append(xs[::-1])
        pieces_y.append(values[::-1])
    if x_max > a:
        xs, values = _from_start(f, a, x_max, points)
        start = 1 if pieces_x else 0  # a is already there
        pieces_x.append(xs[start:])
        pieces_y.append(values[start:])
    if not pieces_x:
        return np.array([a]), np.array([0.0])
    xs, values = np.concatenate(pieces_x), np.concatenate(pieces_y)
    keep = (xs >= min(x_min, a)) & (xs <= max(x_max, a))
    return xs[keep], values[keep]


__all__ = ["accumulation"]
