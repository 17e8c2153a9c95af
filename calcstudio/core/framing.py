"""Which part of the plane shows a function's lesson: the x-range and y-range *Fit view* picks.

The interesting x-range holds the turns (sign changes of f′) and bends (of f″) near the
point a learner is looking at, and that point (the tangent point, the ball), with room;
a periodic curve such as ``sin(x)`` gets ten units around the point. The y-range is fitted on a
uniform grid of x, robustly, so the spikes beside ``tan(x)``'s poles do not flatten it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from calcstudio.core.sampling import interesting_x_range, robust_y_range

RealFunction = Callable[[np.ndarray], np.ndarray]

SEARCH_HALF_WIDTH = 10.0
"""Turns and bends are looked for this far on each side of the anchor."""
POINT_MARGIN = 0.15
"""Room beside a point that must be shown, as a fraction of the range's width."""
GRID_POINTS = 801
"""Uniform samples for the robust y-fit."""


def fit_x_range(
    df: RealFunction | None,
    d2f: RealFunction | None,
    points: Sequence[float] = (),
    anchor: float = 0.0,
) -> tuple[float, float]:
    """The interesting x-range: turns and bends near ``anchor``, and ``points``, with room.

    Parameters
    ----------
    df, d2f
        f′ and f″ (either may be None).
    points
        Points that must be shown (the tangent point, the ball).
    anchor
        Where to look for turns and bends: the point of interest or the view's centre.

    Returns
    -------
    tuple of float
        ``(low, high)``; see :func:`calcstudio.core.sampling.interesting_x_range`.
    """
    search = (anchor - SEARCH_HALF_WIDTH, anchor + SEARCH_HALF_WIDTH)
    derivatives = [g for g in (df, d2f) if g is not None]
    low, high = interesting_x_range(
        derivatives, search=search, default=(round(anchor) - 5.0, round(anchor) + 5.0)
    )
    shown = [p for p in points if np.isfinite(p)]
    if shown:
        margin = POINT_MARGIN * (max(high, *shown) - min(low, *shown))
        low, high = min(low, min(shown) - margin), max(high, max(shown) + margin)
    return low, high


def fit_y_range(
    functions: Sequence[RealFunction], x_range: tuple[float, float], squash_limit: float = 3.0
) -> tuple[float, float]:
    """A y-range that shows the first function over ``x_range``, and the others if they fit.

    Each later function (f′, the tangent) joins the fit unless it would widen the range more
    than ``squash_limit`` times (tan's f′ = 1 + tan² would squash tan flat).
    """
    xs = np.linspace(*x_range, GRID_POINTS)

    def values(g: RealFunction) -> np.ndarray:
        with np.errstate(all="ignore"):
            return np.broadcast_to(np.asarray(g(xs), dtype=float), xs.shape)

    first, *others = functions
    collected = values(first)
    low, high = robust_y_range(collected, spread=0.25)
    for g in others:
        both = np.concatenate([collected, values(g)])
        both_low, both_high = robust_y_range(both, spread=0.25)
        if both_high - both_low <= squash_limit * (high - low):
            collected, low, high = both, both_low, both_high
    return low, high


FOLLOW_MARGIN = 0.12
"""Room a followed run keeps from the view's edges, as a fraction of the view's size."""


def range_to_follow(
    view: tuple[tuple[float, float], tuple[float, float]],
    xs: np.ndarray,
    ys: np.ndarray,
) -> tuple[tuple[float, float], tuple[float, float]]:
    """The view that keeps the points ``(xs, ys)`` (a ball and its trail) in sight.

    The view only grows, and only along an axis where a point is outside it or within
    :data:`FOLLOW_MARGIN` of its edge; it grows to take every point with that margin. So a
    converging run leaves the view still, and a diverging one widens it step by step, the
    curve between the visited points climbing with it.

    Parameters
    ----------
    view
        The current ``((x_min, x_max), (y_min, y_max))``.
    xs, ys
        The points to keep in view; non-finite ones are ignored.

    Returns
    -------
    ((x_min, x_max), (y_min, y_max))
        ``view`` itself when nothing needs to move.
    """
    finite = np.isfinite(xs) & np.isfinite(ys)
    if not finite.any():
        return view
    result = []
    for (low, high), values in zip(view, (xs[finite], ys[finite]), strict=True):
        width = high - low
        inner_low, inner_high = low + FOLLOW_MARGIN * width, high - FOLLOW_MARGIN * width
        least, most = float(values.min()), float(values.max())
        if inner_low <= least and most <= inner_high:
            result.append((low, high))
            continue
        new_low, new_high = min(low, least), max(high, most)
        # Margins on the grown range: the points sit FOLLOW_MARGIN inside its edges.
        pad = FOLLOW_MARGIN / (1 - 2 * FOLLOW_MARGIN) * (new_high - new_low)
        result.append(
            (
                new_low - pad if least < inner_low else low,
                new_high + pad if most > inner_high else high,
            )
        )
    return result[0], result[1]


def step_towards(
    current: tuple[float, float], target: tuple[float, float], fraction: float = 0.3
) -> tuple[float, float]:
    """One frame of a smooth move of a range towards ``target``: ``fraction`` of the way."""
    return (
        current[0] + fraction * (target[0] - current[0]),
        current[1] + fraction * (target[1] - current[1]),
    )
