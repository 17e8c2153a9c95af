"""Riemann sums of every rule, vectorised: one sum for a slider, many for an error curve.

``[a, b]`` is cut into ``n`` equal pieces of width ``Δx = (b − a)/n`` and each piece gets a
height: f at its left end, right end or middle, the average of both ends (trapezoid), or
f's largest or smallest value on it (upper and lower sums). Nothing here needs sympy: f is
any vectorised evaluator (the window's fast path), NaN where undefined.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

import numpy as np

from calcstudio.core.curve import evaluate

RealFunction = Callable[[np.ndarray], np.ndarray]
Rule = Literal["left", "right", "midpoint", "trapezoid", "upper", "lower"]

RULES: tuple[Rule, ...] = ("left", "right", "midpoint", "trapezoid", "upper", "lower")
"""Every rule, in the order a learner meets them."""
RULE_NAMES: dict[Rule, str] = {
    "left": "left sum",
    "right": "right sum",
    "midpoint": "midpoint sum",
    "trapezoid": "trapezoid sum",
    "upper": "upper sum",
    "lower": "lower sum",
}
EXPECTED_ORDER: dict[Rule, int] = {
    "left": 1,
    "right": 1,
    "midpoint": 2,
    "trapezoid": 2,
    "upper": 1,
    "lower": 1,
}
"""The error of each rule shrinks like ``1/n**order`` on a smooth function."""
MAX_PIECES = 10_000
"""The most rectangles the lesson draws (its slider's end)."""
_EXTREME_SAMPLES = 50_000  # budget of evaluations for one upper or lower sum


@dataclass(frozen=True)
class RiemannSum:
    """One Riemann sum and the shapes that draw it.

    Attributes
    ----------
    rule
        Which rule.
    edges
        The ``n + 1`` cuts ``a = x0 < x1 < … < xn = b`` (decreasing when ``b < a``).
    left_heights, right_heights
        The height of each piece at its left and right side: equal for rectangles, f at
        both ends for the trapezoid rule.
    points
        Where each height was taken (for the written sum ``Σ f(xᵢ)·Δx``).
    total
        ``Σ height·Δx``; NaN when a height is undefined.
    """

    rule: Rule
    edges: np.ndarray
    left_heights: np.ndarray
    right_heights: np.ndarray
    points: np.ndarray
    total: float

    @property
    def pieces(self) -> int:
        """``n``, the number of rectangles (or trapezoids)."""
        return self.edges.size - 1

    @property
    def width(self) -> float:
        """``Δx = (b − a)/n`` (negative when ``b < a``)."""
        return float(self.edges[1] - self.edges[0])

    @property
    def defined(self) -> bool:
        """Whether every height is a number."""
        return bool(np.isfinite(self.total))


def values_with_limits(f: RealFunction, xs: np.ndarray) -> np.ndarray:
    """``f(xs)``, with a single missing point filled by f's limit there if it has one.

    ``sin(x)/x`` is undefined at 0 alone but tends to 1; a height taken there uses 1.
    Where the two one-sided values differ, or either is undefined, the value stays NaN.
    """
    ys = evaluate(f, xs)
    missing = np.flatnonzero(np.isnan(ys))
    if missing.size:
        x = xs[missing]
        step = 1e-7 * np.maximum(1.0, np.abs(x))
        below, above = evaluate(f, x - step), evaluate(f, x + step)
        close = np.abs(below - above) <= 1e-5 * np.maximum(1.0, np.abs(below))
        ys[missing] = np.where(close, 0.5 * (below + above), np.nan)
    return ys


def _extremes(
    f: RealFunction, edges: np.ndarray, largest: bool, samples: int | None = None
) -> np.ndarray:
    """f's largest (or smallest) value on each piece.

    Each piece is sampled at its ends and evenly inside; where the extreme is inside, the
    vertex of the parabola through the best sample and its neighbours refines it, so for
    a smooth f the value is exact to rounding once the pieces are narrow.
    """
    n = edges.size - 1
    # Odd, so the middle is sampled too: no other rule's height can lie outside.
    k = (samples or int(np.clip(_EXTREME_SAMPLES // max(n, 1), 5, 65))) | 1
    t = np.linspace(0.0, 1.0, k)
    grid = edges[:-1, None] + (edges[1:] - edges[:-1])[:, None] * t[None, :]
    ys = values_with_limits(f, grid.ravel()).reshape(grid.shape)
    sign = 1.0 if largest else -1.0
    scored = np.where(np.isnan(ys), -np.inf, sign * ys)
    best = np.argmax(scored, axis=1)
    rows = np.arange(n)
    value = sign * scored[rows, best]
    inner = np.flatnonzero((best > 0) & (best < k - 1))
    if inner.size:
        j = best[inner]
        y0, y1, y2 = ys[inner, j - 1], ys[inner, j], ys[inner, j + 1]
        curvature = y0 - 2 * y1 + y2
        with np.errstate(all="ignore"):
            shift = np.where(curvature != 0, 0.5 * (y0 - y2) / curvature, 0.0)
        shift = np.clip(np.nan_to_num(shift), -1.0, 1.0)
        spacing = (edges[inner + 1] - edges[inner]) / (k - 1)
        refined = values_with_limits(f, grid[inner, j] + shift * spacing)
        better = np.isfinite(refined) & (sign * refined > sign * value[inner])
        value[inner] = np.where(better, refined, value[inner])
    # A piece with an undefined stretch has no largest value.
    value[np.isnan(ys).any(axis=1)] = np.nan
    return value


def riemann_sum(f: RealFunction, a: float, b: float, n: int, rule: Rule) -> RiemannSum:
    """The Riemann sum of ``f`` over ``[a, b]`` with ``n`` equal pieces.

    Parameters
    ----------
    f
        A vectorised real function, NaN where undefined.
    a, b
        The interval (``b < a`` gives the negative of the sum over ``[b, a]``).
    n
        Number of pieces, at least 1.
    rule
        One of :data:`RULES`.

    Examples
    --------
    >>> square = lambda x: x**2
    >>> riemann_sum(square, 0.0, 1.0, 2, "left").total
    0.125
    """
    if rule not in RULES:
        raise ValueError(f"unknown rule {rule!r}; choose one of {', '.join(RULES)}")
    if n < 1:
        raise ValueError("a Riemann sum needs at least one piece")
    edges = np.linspace(float(a), float(b), int(n) + 1)
    if rule in ("upper", "lower"):
        heights = _extremes(f, edges, largest=rule == "upper")
        left = right = heights
        points = 0.5 * (edges[:-1] + edges[1:])
    elif rule == "midpoint":
        points = 0.5 * (edges[:-1] + edges[1:])
        left = right = values_with_limits(f, points)
    else:
        ends = values_with_limits(f, edges)
        if rule == "trapezoid":
            left, right, points = ends[:-1], ends[1:], edges[:-1]
        elif rule == "left":
            left = right = ends[:-1]
            points = edges[:-1]
        else:
            left = right = ends[1:]
            points = edges[1:]
    width = (float(b) - float(a)) / n
    total = float(np.sum(0.5 * (left + right)) * width)
    return RiemannSum(rule, edges, left, right, points, total)


def error_curve_ns(count: int = 60, largest: int = MAX_PIECES) -> np.ndarray:
    """``count`` distinct whole numbers of pieces from 1 to ``largest``, evenly spaced in log."""
    ns = np.unique(np.round(np.geomspace(1, largest, count * 2)).astype(int))
    picks = np.round(np.linspace(0, ns.size - 1, count)).astype(int)
    return ns[np.unique(picks)]


@lru_cache(maxsize=8)
def _fractions(counts: tuple[int, ...]) -> tuple[np.ndarray, ...]:
    """Where the ends and the middles of all pieces of every n sit in [0, 1], and where each
    n's run of them starts; the same for every f, a and b, so computed once per list of n."""
    n = np.array(counts)
    end_starts = np.concatenate(([0], np.cumsum(n + 1)[:-1]))
    index = np.arange(int(np.sum(n + 1))) - np.repeat(end_starts, n + 1)
    ends = index / np.repeat(n, n + 1)
    middle_starts = np.concatenate(([0], np.cumsum(n)[:-1]))
    index = np.arange(int(np.sum(n))) - np.repeat(middle_starts, n)
    middles = (index + 0.5) / np.repeat(n, n)
    for array in (ends, end_starts, middles, middle_starts):
        array.setflags(write=False)
    return ends, end_starts, middles, middle_starts


def riemann_sums(
    f: RealFunction, a: float, b: float, ns: Sequence[int], rules: Sequence[Rule]
) -> dict[Rule, np.ndarray]:
    """The sums of every rule in ``rules`` for every ``n`` in ``ns``, in few numpy calls.

    The ends of all pieces of all ``n`` are evaluated in one call (shared by the left, right
    and trapezoid rules) and the middles in another, so 60 values of ``n`` up to 10,000
    cost two evaluations of about 70,000 points.

    Returns
    -------
    dict
        For each rule, the sums in the order of ``ns``.
    """
    counts = np.asarray(ns, dtype=int)
    if counts.size == 0 or counts.min() < 1:
        raise ValueError("every n must be at least 1")
    a, b = float(a), float(b)
    out: dict[Rule, np.ndarray] = {}
    widths = (b - a) / counts
    ends, end_starts, middles, middle_starts = _fractions(tuple(int(n) for n in counts))
    if {"left", "right", "trapezoid"} & set(rules):
        ys = values_with_limits(f, a + (b - a) * ends)
        totals = np.add.reduceat(ys, end_starts)
        first, last = ys[end_starts], ys[end_starts + counts]
        if "left" in rules:
            out["left"] = (totals - last) * widths
        if "right" in rules:
            out["right"] = (totals - first) * widths
        if "trapezoid" in rules:
            out["trapezoid"] = (totals - 0.5 * (first + last)) * widths
    if "midpoint" in rules:
        ys = values_with_limits(f, a + (b - a) * middles)
        out["midpoint"] = np.add.reduceat(ys, middle_starts) * widths
    for rule in ("upper", "lower"):
        if rule in rules:
            # Nine samples a piece (with the parabola refinement) keep 60 sums quick.
            out[rule] = np.array(
                [
                    np.sum(_extremes(f, np.linspace(a, b, int(n) + 1), rule == "upper", 9))
                    * (b - a)
                    / n
                    for n in counts
                ]
            )
    return {rule: out[rule] for rule in rules}


def measured_order(ns: Sequence[int], errors: Sequence[float], floor: float = 0.0) -> float:
    """The slope of log(error) against log(n): about −1 or −2 for the rules on smooth f.

    Errors at rounding level are left out: below ``floor`` (pass about 1e-12 of the
    area's size) or below 1e-13 of the largest error, and zeros. There the sum is as
    exact as floats allow and the line bends flat. NaN if fewer than three remain.
    """
    n = np.asarray(ns, dtype=float)
    e = np.abs(np.asarray(errors, dtype=float))
    finite = np.isfinite(e) & (e > floor)
    if finite.any():
        finite &= e > 1e-13 * np.max(e[finite])
    if finite.sum() < 3:
        return float("nan")
    slope, _ = np.polyfit(np.log(n[finite]), np.log(e[finite]), 1)
    return float(slope)


def rounding_floor(riemann: RiemannSum) -> float:
    """Errors below this are rounding: 1e-12 of the sum of |height|·|Δx|."""
    heights = np.abs(0.5 * (riemann.left_heights + riemann.right_heights))
    return 1e-12 * float(np.nansum(heights) * abs(riemann.width))


__all__ = [
    "EXPECTED_ORDER",
    "MAX_PIECES",
    "RULES",
    "RULE_NAMES",
    "RiemannSum",
    "Rule",
    "error_curve_ns",
    "measured_order",
    "riemann_sum",
    "riemann_sums",
    "rounding_floor",
    "values_with_limits",
]
