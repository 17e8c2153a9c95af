"""Adaptive sampling of ``y = f(x)`` for drawing, with breaks at poles and jumps.

:func:`sample_curve` returns arrays to hand to pyqtgraph with ``connect="finite"``:
a NaN in ``ys`` lifts the pen, so no false vertical line is drawn across ``tan(x)``'s
poles or ``floor(x)``'s steps, while continuous curves (``exp(x)``, ``sin(200x)``,
``atan(1000x)``) stay unbroken.

The work happens in four vectorised stages, each a handful of calls to ``f``:

1. a uniform grid of one sample per pixel;
2. refinement: split segments whose midpoint lies off the drawn chord, or beside whose
   sampled peaks a higher true peak may hide, by more than half a pixel;
3. domain edges: move the last defined sample towards where ``f`` becomes undefined
   (``sqrt(x)`` starts at 0, not one pixel later), and close single undefined samples
   whose two sides meet (``sin(x)/x`` at 0);
4. breaks: each segment that looks like a jump is zoomed into; if the change across it
   does not shrink as the window shrinks, or ``f`` is undefined inside, it is a
   discontinuity and a NaN is inserted. A continuous function, however steep, has a
   change that shrinks with the window. A function marked smooth everywhere (a
   polynomial, ``sin(x^2)``; see :mod:`calcstudio.core.smoothness`) skips this stage.

Stages 3 and 4 live in :mod:`calcstudio.core.breaks`.

Nothing here imports sympy: ``f`` is any callable mapping a float array to a float
array, such as an evaluator from :func:`calcstudio.core.numeric.compile_program`.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from calcstudio.core.breaks import (
    EDGE_PROBE_POINTS,
    ZOOM_PROBE_POINTS,
    insert_breaks,
    refine_edges,
)
from calcstudio.core.curve import (
    BEND_TOLERANCE_PX,
    CurveFunction,
    View,
    evaluate,
    evaluation_cost,
    is_smooth_everywhere,
    merge_samples,
)

MAX_POINTS = 16_000
"""Upper limit on the points :func:`sample_curve` returns when no limit is given."""
WORK = 2_000_000
"""Array operations times points that the stages after the uniform grid may spend on a curve.

An evaluator's :func:`~calcstudio.core.curve.evaluation_cost` (its operations per point)
divides this into the points each later stage may evaluate: about 10 ms of numpy work.
A usual function (a few operations) keeps every refinement, edge and break it had, while a
1,000-character sum of sines, even at x = 1e12, costs milliseconds, not seconds.
"""

_REFINE_PASSES = 4
_MAX_PARTS = 16  # most parts one segment is split into per refinement pass
_FINEST_STEP_PX = 1 / 16  # below this horizontal step, refinement cannot be seen


def robust_y_range(
    ys: np.ndarray | Sequence[float],
    *,
    quantiles: tuple[float, float] = (0.05, 0.95),
    spread: float = 1.0,
    padding: float = 0.05,
) -> tuple[float, float]:
    """A y-range that shows a sampled curve while ignoring the spikes at its poles.

    The middle of the values (between the two ``quantiles``) is always shown; beyond
    it the range reaches out by ``spread`` times that middle width, or to the most
    extreme value if that is nearer. So ``x^3`` and ``exp(x)`` are shown whole, while
    ``tan(x)`` is not squashed flat by its values of a million next to the poles.

    Parameters
    ----------
    ys
        Sampled values; NaN values are ignored.
    quantiles
        The lower and upper fraction of values that bound the middle.
    spread
        How far past the middle to reach, in middle widths.
    padding
        Margin added on each side, as a fraction of the range, so the curve does not
        touch the frame.

    Returns
    -------
    tuple of float
        ``(low, high)`` with ``low < high``; ``(-1, 1)`` if no value is finite, and a
        band around the value if all are equal.
    """
    values = np.asarray(ys, dtype=float)
    values = values[np.isfinite(values)]
    if values.size == 0:
        return -1.0, 1.0
    # Nearest-rank quantiles by partial sort: np.quantile costs 5x more here.
    ranks = [round(q * (values.size - 1)) for q in quantiles]
    low_q, high_q = np.partition(values, ranks)[ranks]
    middle = high_q - low_q
    low = max(float(values.min()), low_q - spread * middle)
    high = min(float(values.max()), high_q + spread * middle)
    centre = 0.5 * (low + high)
    if high - low <= 1e-12 * max(1.0, abs(centre)):
        half = max(1.0, 0.1 * abs(centre))
        return centre - half, centre + half
    margin = padding * (high - low)
    return low - margin, high + margin


def interesting_x_range(
    derivatives: Sequence[CurveFunction],
    *,
    search: tuple[float, float] = (-10.0, 10.0),
    default: tuple[float, float] = (-5.0, 5.0),
    min_width: float = 6.0,
) -> tuple[float, float]:
    """An x-range that frames where a curve turns and bends.

    The points where ``f'`` or ``f''`` change sign (the tops, bottoms and inflections of
    ``f``) are found on a grid over ``search``; the range covers them with room either
    side. When there are none, or they spread over most of ``search`` (a periodic curve
    such as ``sin(x)``), the ``default`` range is the better view.

    Parameters
    ----------
    derivatives
        ``f'`` and, if known, ``f''``.
    search
        Where to look.
    default
        The range to fall back on.
    min_width
        The narrowest range returned, so a single bottom (``x^2``) is shown with its sides.

    Returns
    -------
    tuple of float
        ``(x_min, x_max)`` with ``x_min < x_max``.

    Examples
    --------
    >>> interesting_x_range([lambda x: 3 * x**2 - 3, lambda x: 6 * x])  # x^3 - 3x
    (-3.0, 3.0)
    """
    # An even count keeps 0 off the grid: a turn exactly on a grid point would hide.
    xs = np.linspace(*search, 4000)
    turns = []
    for derivative in derivatives:
        values = evaluate(derivative, xs)
        # Rounding noise (f'' of sqrt(x)^2 is ±1e-17) is no turn: treat it as 0.
        values[np.abs(values) < 1e-10] = 0.0
        signs = np.sign(values)
        changes = np.flatnonzero(signs[:-1] * signs[1:] < 0)
        turns.append(0.5 * (xs[changes] + xs[changes + 1]))
    points = np.concatenate(turns) if turns else np.empty(0)
    if points.size == 0:
        return default
    low, high = float(points.min()), float(points.max())
    if high - low > 0.6 * (search[1] - search[0]):
        return default
    centre = 0.5 * (low + high)
    half = max(0.5 * min_width, 0.75 * (high - low) + 1.0)
    # Rounded: the range shows on the axes, and (4.0, 10.0) reads better than 4.00175.
    return round(centre - half, 2), round(centre + half, 2)


def default_max_points(pixel_width: int) -> int:
    """The point limit :func:`sample_curve` uses for a curve this many pixels wide."""
    return int(min(MAX_POINTS, max(1024, 8 * pixel_width)))


def sample_curve(
    f: CurveFunction,
    x_min: float,
    x_max: float,
    pixel_width: int,
    y_range: tuple[float, float] | None = None,
    *,
    pixel_height: int | None = None,
    max_points: int | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Sample ``f`` over ``[x_min, x_max]`` densely enough to draw smoothly, with breaks.

    Parameters
    ----------
    f
        A vectorised function, e.g. a compiled evaluator; NaN means undefined.
    x_min, x_max
        The visible x-range; ``x_min < x_max``.
    pixel_width
        Width of the plot in pixels; the uniform start grid has one sample per pixel.
    y_range
        The visible y-range, which decides what counts as a visible bend or jump. If
        None, :func:`robust_y_range` of the first samples is used.
    pixel_height
        Height of the plot in pixels; defaults to ``pixel_width`` (a fine tolerance).
    max_points
        Upper limit on the returned length; defaults to :func:`default_max_points`.

    Returns
    -------
    xs, ys
        Increasing ``xs`` and ``ys == f(xs)``, except that ``ys`` is NaN where ``f`` is
        undefined and at inserted breaks between the two sides of a pole or jump.

    Raises
    ------
    ValueError
        If the x-range is not finite and increasing.
    """
    if not (np.isfinite(x_min) and np.isfinite(x_max) and x_min < x_max):
        raise ValueError(f"x-range must be finite and increasing, got {x_min}..{x_max}")
    if not np.isfinite(x_max - x_min):
        raise ValueError(f"x-range {x_min}..{x_max} is too wide to measure in float64")
    pixel_width = max(int(pixel_width), 2)
    limit = max(int(max_points or default_max_points(pixel_width)), 16)
    # A range only a few floats wide has fewer distinct points than pixels. (The grid is
    # sorted, so no np.unique: its first call imports numpy.ma, 40 ms of the window's start.)
    xs = np.linspace(x_min, x_max, min(pixel_width + 1, limit))
    xs = xs[np.concatenate(([True], xs[1:] > xs[:-1]))]
    affordable = WORK // evaluation_cost(f)  # points the later stages may evaluate
    refine_budget, refine_work = limit - limit // 8, affordable // 2
    middles = None
    if y_range is not None and _room_to_refine(xs.size, xs.size - 1, refine_budget, refine_work):
        # The midpoints the first pass of refinement compares with the chords, in the
        # same call as the grid.
        ys, middles = _evaluate_with_midpoints(f, xs, np.arange(xs.size - 1))
    else:
        ys = evaluate(f, xs)
    low, high = y_range if y_range is not None else robust_y_range(ys)
    if not high > low:
        raise ValueError(f"y-range must be increasing, got {low}..{high}")
    view = View(
        x_scale=pixel_width / (x_max - x_min),
        y_scale=(pixel_height or pixel_width) / (high - low),
        band=(low - (high - low), high + (high - low)),
    )
    # Stages 3 and 4 add at most three points per edge or break; keep room for them.
    # Refinement evaluates about twice what it adds (midpoints, then new samples); each
    # edge costs its probes, each break candidate its zoom windows.
    xs, ys = _refine(f, xs, ys, view, refine_budget, refine_work, middles)
    edges = min(limit - xs.size, affordable // (4 * EDGE_PROBE_POINTS))
    xs, ys = refine_edges(f, xs, ys, view, budget=edges)
    if is_smooth_everywhere(f):
        return xs, ys  # no jump or pole to find: a steep stretch is only steep
    breaks = min(limit - xs.size, 3 * (affordable // (4 * ZOOM_PROBE_POINTS)))
    return insert_breaks(f, xs, ys, view, budget=breaks)


DRAWN_REACH = 10_000.0
"""How many view heights beyond the view :func:`drawable` keeps a sample's value."""


def drawable(ys: np.ndarray, y_range: tuple[float, float]) -> np.ndarray:
    """Sampled values clipped to :data:`DRAWN_REACH` view heights either side of the view.

    Qt draws nothing at all of a path with a point 10^10 pixels away or more (f′ of
    x·sin(1/x) is 10^15 beside 0); ten thousand view heights are at most a few 10^7 pixels,
    and moving a point that far away turns the drawn part of its segment by under a
    ten-thousandth of a pixel. NaN stays NaN.
    """
    low, high = y_range
    reach = DRAWN_REACH * (high - low)
    return np.clip(ys, low - reach, high + reach)


def _refine(
    f: CurveFunction,
    xs: np.ndarray,
    ys: np.ndarray,
    view: View,
    budget: int,
    work: int,
    middles: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Split bent segments: at most ``budget`` samples in all, ``work`` evaluations of f.

    ``middles``, if given, holds f at the midpoint of every segment of ``xs``.
    """
    check = np.arange(xs.size - 1)  # segments whose midpoint has not been compared yet
    for passes_after in reversed(range(_REFINE_PASSES)):
        if not _room_to_refine(xs.size, check.size, budget, work):
            break
        work -= check.size  # the midpoints
        if middles is None:
            middles = evaluate(f, 0.5 * (xs[check] + xs[check + 1]))
        error = _peak_error(ys, view)
        error[check] = np.fmax(error[check], _chord_error(xs, ys, check, middles, view))
        run = np.diff(xs) * view.x_scale
        # The distance from a chord shrinks with the square of its length, so this
        # many equal parts should bring each within tolerance in one pass.
        parts = np.ceil(np.sqrt(error * (1 / BEND_TOLERANCE_PX)))
        parts = np.minimum(np.minimum(parts, run * (1 / _FINEST_STEP_PX)), _MAX_PARTS)
        # Steps of at least two floats, so the new samples are distinct after rounding.
        ulp = np.spacing(np.maximum(np.abs(xs[:-1]), np.abs(xs[1:])))
        parts = np.minimum(parts, np.floor(np.diff(xs) / (2 * ulp)))
        split = np.flatnonzero(parts >= 2)
        if split.size == 0:
            break
        parts = parts[split].astype(np.intp)
        wanted = (parts - 1).sum()
        room = min(budget - xs.size, work)
        if wanted > room:
            # Share what is left evenly: a fast oscillation then looks the same
            # everywhere instead of detailed in some places and coarse in others.
            parts = 1 + (parts - 1) * room // wanted
            keep = parts >= 2
            split, parts = split[keep], parts[keep]
            if split.size == 0:
                break
        added = parts - 1
        work -= int(added.sum())
        where = np.repeat(split, added)
        k = np.arange(where.size) - np.repeat(np.cumsum(added) - added, added) + 1
        new_x = xs[where] + (xs[where + 1] - xs[where]) * (k / np.repeat(parts, added))
        xs, ys, position = merge_samples(xs, ys, where, new_x, np.empty(new_x.size))
        # Only the pieces of split segments have untested midpoints. When another pass
        # will compare them, they are evaluated in the same call as the new samples.
        pieces = np.repeat(position[split], parts)
        check = pieces + np.arange(pieces.size) - np.repeat(np.cumsum(parts) - parts, parts)
        fresh = np.ones(xs.size, dtype=bool)
        fresh[position] = False
        if passes_after and _room_to_refine(xs.size, check.size, budget, work):
            ys[fresh], middles = _evaluate_with_midpoints(f, xs, check, new_x)
        else:
            ys[fresh], middles = evaluate(f, new_x), None
    return xs, ys


def _room_to_refine(samples: int, midpoints: int, budget: int, work: int) -> bool:
    """Whether a pass of refinement may run: some samples and evaluations are left once
    its ``midpoints`` are evaluated."""
    return samples >= 3 and min(budget - samples, work - midpoints) > 0


def _evaluate_with_midpoints(
    f: CurveFunction, xs: np.ndarray, segments: np.ndarray, points: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """f at ``points`` (all of ``xs`` if None) and at the midpoints of ``segments``, in one call.

    An evaluation's cost is mostly per call (a 30-term f′ is 200 array operations), and the
    midpoint of segment ``k`` is ``0.5 * (xs[k] + xs[k + 1])``, the same float here as alone.
    """
    at = xs if points is None else points
    middle_x = 0.5 * (xs[segments] + xs[segments + 1])
    values = evaluate(f, np.concatenate((at, middle_x)))
    return values[: at.size], values[at.size :]


def _chord_error(
    xs: np.ndarray, ys: np.ndarray, segments: np.ndarray, y_middle: np.ndarray, view: View
) -> np.ndarray:
    """How far each segment's midpoint lies from its chord, perpendicular, in pixels.

    ``y_middle`` holds f at each segment's midpoint.
    """
    x0, x1 = xs[segments], xs[segments + 1]
    y0, y1 = view.clip(ys[segments]) * view.y_scale, view.clip(ys[segments + 1]) * view.y_scale
    run, rise = (x1 - x0) * view.x_scale, y1 - y0
    with np.errstate(invalid="ignore"):
        error = np.abs(0.5 * run * (y0 + y1 - 2 * view.clip(y_middle) * view.y_scale))
        error /= np.sqrt(run * run + rise * rise)
    # A hole narrower than the samples shows up as an undefined midpoint.
    error[np.isnan(y_middle) & ~np.isnan(y0) & ~np.isnan(y1)] = 4 * BEND_TOLERANCE_PX
    return error


def _peak_error(ys: np.ndarray, view: View) -> np.ndarray:
    """Per segment, how far a peak between samples may rise above them, in pixels.

    The chord test misses a peak straddled by the midpoint and a sample, and a steep
    oscillation hides its peaks from any perpendicular distance; but a true peak
    beside a sampled peak is above it by about as much as the sample is above its
    lower neighbour, so that is the error.
    """
    y = view.clip(ys) * view.y_scale
    error = np.zeros(ys.size - 1)
    if ys.size < 3:
        return error
    left, right = y[1:-1] - y[:-2], y[1:-1] - y[2:]
    excess = np.fmax(np.minimum(np.abs(left), np.abs(right)), 0.0)
    excess[left * right <= 0] = 0.0  # not a local extremum (NaN compares False too)
    error[:-1] = excess
    error[1:] = np.maximum(error[1:], excess)
    return error


__all__ = [
    "DRAWN_REACH",
    "MAX_POINTS",
    "CurveFunction",
    "default_max_points",
    "drawable",
    "evaluate",
    "interesting_x_range",
    "robust_y_range",
    "sample_curve",
]
