"""Critical points: where f′ is 0 on an interval, and what kind of point each is.

Takes plain vectorised callables (``f'(x: ndarray) -> ndarray``, NaN where undefined);
nothing here needs sympy.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np

from calcstudio.core.calculus import RealFunction, value_at


class CriticalPoint(NamedTuple):
    """A point where f′ = 0 (``kind`` ``"minimum"``, ``"maximum"`` or ``"flat"``), or a
    stretch from ``x`` to ``end`` where f′ = 0 throughout (``kind`` ``"flat interval"``)."""

    x: float
    kind: str
    end: float = math.nan


def critical_points(
    df: RealFunction, x_min: float, x_max: float, samples: int = 2001
) -> list[CriticalPoint]:
    """Where ``f'`` is 0 in ``[x_min, x_max]``, and what kind of point each is.

    ``f'`` is sampled on a grid; each sign change is narrowed by bisection (all at
    once, vectorised) to machine precision. A sign change across a pole of ``f'`` (as
    ``1/x`` has) is not a critical point and is dropped: there ``|f'|`` grows instead
    of shrinking. Zeros where ``f'`` touches 0 without changing sign (``x^3`` at 0)
    are found as sampled minima of ``|f'|`` refined by golden-section search.

    Parameters
    ----------
    df
        The derivative ``f'``.
    x_min, x_max
        The interval to search.
    samples
        Grid size; two critical points closer than the grid step may merge.

    Returns
    -------
    list of CriticalPoint
        Sorted by ``x``; ``kind`` is ``"minimum"`` (``f'`` goes from - to +),
        ``"maximum"`` (+ to -), ``"flat"`` (0 without a sign change: an inflection,
        or a saddle of a slice), or ``"flat interval"`` once for a stretch where ``f'`` is 0
        throughout (relu left of 0, a constant), from ``x`` to ``end``.
    """
    xs = np.linspace(x_min, x_max, samples)
    with np.errstate(all="ignore"):
        d = np.asarray(df(xs), dtype=float)
    sign = np.sign(d)
    found = _exact_zeros(df, xs, sign)

    change = np.flatnonzero(sign[:-1] * sign[1:] < 0)
    low, high = xs[change], xs[change + 1]
    low_sign = sign[change]
    start = np.maximum(np.abs(d[change]), np.abs(d[change + 1]))
    for _ in range(60):
        middle = 0.5 * (low + high)
        with np.errstate(all="ignore"):
            m_sign = np.sign(np.asarray(df(middle), dtype=float))
        same = m_sign == low_sign
        low, high = np.where(same, middle, low), np.where(same, high, middle)
    with np.errstate(all="ignore"):
        ends = np.abs(np.asarray(df(np.concatenate((low, high))), dtype=float))
    near = np.fmax(ends[: low.size], ends[low.size :])
    for x, s, grew in zip(0.5 * (low + high), low_sign, near > start, strict=True):
        if not grew:
            found.append(CriticalPoint(float(x), "minimum" if s < 0 else "maximum"))

    magnitude = np.abs(d)
    dips = np.flatnonzero(
        (magnitude[1:-1] < magnitude[:-2])
        & (magnitude[1:-1] < magnitude[2:])
        & (sign[:-2] == sign[2:])
        & (sign[1:-1] == sign[:-2])
    )
    scale = np.nanmedian(magnitude) if np.isfinite(magnitude).any() else 1.0
    for i in dips + 1:
        x = _golden_minimum(lambda t: np.abs(np.asarray(df(t), dtype=float)), xs[i - 1], xs[i + 1])
        if abs(value_at(df, x)) <= 1e-9 * max(1.0, float(scale)):
            found.append(CriticalPoint(x, "flat"))
    return sorted(found)


def _exact_zeros(df: RealFunction, xs: np.ndarray, sign: np.ndarray) -> list[CriticalPoint]:
    """Grid points where f′ is exactly 0: single points, and runs reported once as intervals.

    A single zero is judged by the signs of f′ either side. At an end of the interval those
    are read just outside it where f′ is defined (x² on [0, 2] has its minimum at 0, x³ on
    [0, 2] only a flat point), else the point is judged on the side inside.
    """
    zero = sign == 0
    found: list[CriticalPoint] = []
    starts = np.flatnonzero(zero & ~np.concatenate(([False], zero[:-1])))
    ends = np.flatnonzero(zero & ~np.concatenate((zero[1:], [False])))
    step = xs[1] - xs[0]
    for start, end in zip(starts, ends, strict=True):
        if end > start:  # f′ = 0 on a whole stretch (relu on the left, a constant)
            low = _edge_of_zeros(df, xs[start - 1], xs[start]) if start > 0 else xs[start]
            last = xs.size - 1
            high = _edge_of_zeros(df, xs[end + 1], xs[end]) if end < last else xs[end]
            found.append(CriticalPoint(float(low), "flat interval", float(high)))
            continue
        outside = np.array([xs[start] - step, xs[start] + step])
        with np.errstate(all="ignore"):
            beyond = np.sign(np.asarray(df(outside), dtype=float))
        before = sign[start - 1] if start > 0 else beyond[0]
        after = sign[start + 1] if start + 1 < xs.size else beyond[1]
        if not (before in (-1, 1) and after in (-1, 1)):
            # f′ is not known past the end: f rises or falls from the point inside.
            before = -after if before not in (-1, 1) else before
            after = -before if after not in (-1, 1) else after
        found.append(CriticalPoint(float(xs[start]), _kind(float(before), float(after))))
    return found


def _edge_of_zeros(df: RealFunction, nonzero: float, zero: float) -> float:
    """Where f′ stops being 0 between two grid points, by bisection."""
    for _ in range(60):
        middle = 0.5 * (nonzero + zero)
        if middle in (nonzero, zero):
            break
        if value_at(df, middle) == 0:
            zero = middle
        else:
            nonzero = middle
    return zero


def _kind(before: float, after: float) -> str:
    if before < 0 < after:
        return "minimum"
    if before > 0 > after:
        return "maximum"
    return "flat"


def _golden_minimum(g: RealFunction, low: float, high: float, rounds: int = 80) -> float:
    """The minimiser of a unimodal ``g`` on ``[low, high]``, by golden-section search."""
    ratio = (np.sqrt(5.0) - 1) / 2
    for _ in range(rounds):
        a = high - ratio * (high - low)
        b = low + ratio * (high - low)
        ga, gb = g(np.array([a, b]))
        if ga <= gb:
            high = b
        else:
            low = a
    return float(0.5 * (low + high))


__all__ = ["CriticalPoint", "critical_points"]
