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
   change that shrinks with the window.

Nothing here imports sympy: ``f`` is any callable mapping a float array to a float
array, such as an evaluator from :func:`calcstudio.core.numeric.compile_program`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

CurveFunction = Callable[[np.ndarray], np.ndarray]
"""A vectorised real function: float array in, float array of the same shape out."""

MAX_POINTS = 16_000
"""Upper limit on the points :func:`sample_curve` returns when no limit is given."""

_REFINE_PASSES = 4
_MAX_PARTS = 16  # most parts one segment is split into per refinement pass
_BEND_TOLERANCE_PX = 0.5  # a polyline this close to the curve looks identical at 1 px
_FINEST_STEP_PX = 1 / 16  # below this horizontal step, refinement cannot be seen
_JUMP_PX = 2.0  # a change smaller than this is not worth a break
_EDGE_PROBES, _EDGE_ROUNDS = 99, 3  # narrows a domain edge 100^3 = 1e6 times
_ZOOM_PROBES, _ZOOM_ROUNDS = 94, 4  # keeps 3 of 95 parts a round: ~1e6 times
# Probe positions avoid simple fractions, so a symmetric window never lands exactly
# on the removable hole of x*sin(1/x) or sin(x)/x at 0.
_ZOOM_T = np.concatenate(([0.0], (np.arange(_ZOOM_PROBES) + 0.6180339887) / _ZOOM_PROBES, [1.0]))
_EDGE_T = np.arange(1, _EDGE_PROBES + 1) / (_EDGE_PROBES + 1)


def evaluate(f: CurveFunction, xs: np.ndarray) -> np.ndarray:
    """Evaluate ``f`` at ``xs`` as a fresh float64 array with NaN for non-finite values.

    Parameters
    ----------
    f
        Any vectorised function; a constant result is broadcast to the shape of ``xs``.
    xs
        Sample positions.

    Returns
    -------
    numpy.ndarray
        ``f(xs)`` with ``inf`` and ``-inf`` turned into NaN.
    """
    with np.errstate(all="ignore"):
        ys = np.asarray(f(xs), dtype=float)
    # np.where makes a fresh array, so an f that returns its input is not modified.
    ys = np.where(np.isfinite(ys), ys, np.nan)
    return ys if ys.shape == xs.shape else np.array(np.broadcast_to(ys, xs.shape))


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
    pixel_width = max(int(pixel_width), 2)
    limit = max(int(max_points or default_max_points(pixel_width)), 16)
    xs = np.linspace(x_min, x_max, min(pixel_width + 1, limit))
    ys = evaluate(f, xs)
    low, high = y_range if y_range is not None else robust_y_range(ys)
    if not high > low:
        raise ValueError(f"y-range must be increasing, got {low}..{high}")
    view = _View(
        x_scale=pixel_width / (x_max - x_min),
        y_scale=(pixel_height or pixel_width) / (high - low),
        band=(low - (high - low), high + (high - low)),
    )
    # Stages 3 and 4 add at most three points per edge or break; keep room for them.
    xs, ys = _refine(f, xs, ys, view, budget=limit - limit // 8)
    xs, ys = _refine_edges(f, xs, ys, view, budget=limit - xs.size)
    return _insert_breaks(f, xs, ys, view, budget=limit - xs.size)


def _merge(
    xs: np.ndarray, ys: np.ndarray, segments: np.ndarray, new_x: np.ndarray, new_y: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Insert samples into segments; ``segments`` is sorted, ``new_x`` increasing within each.

    Sample ``k`` goes between ``xs[segments[k]]`` and ``xs[segments[k] + 1]``. This is
    ``np.insert`` without its sort, which costs more than the rest of a pass. Also
    returns where each old sample now is.
    """
    added = np.bincount(segments, minlength=xs.size)
    old = np.arange(xs.size)
    old[1:] += np.cumsum(added[:-1])
    is_new = np.ones(xs.size + new_x.size, dtype=bool)
    is_new[old] = False
    out_x, out_y = np.empty(is_new.size), np.empty(is_new.size)
    out_x[old], out_y[old] = xs, ys
    out_x[is_new], out_y[is_new] = new_x, new_y
    return out_x, out_y, old


@dataclass(frozen=True)
class _View:
    """Pixels per unit on each axis, and the y-band in which shapes are judged."""

    x_scale: float
    y_scale: float
    band: tuple[float, float]

    def clip(self, ys: np.ndarray) -> np.ndarray:
        # Off-screen detail cannot be seen, so shapes are judged on values clipped to
        # a band one view-height beyond each edge of the view.
        return np.clip(ys, *self.band)


def _refine(
    f: CurveFunction, xs: np.ndarray, ys: np.ndarray, view: _View, budget: int
) -> tuple[np.ndarray, np.ndarray]:
    check = np.arange(xs.size - 1)  # segments whose midpoint has not been compared yet
    for _ in range(_REFINE_PASSES):
        room = budget - xs.size
        if room <= 0 or xs.size < 3:
            break
        error = _peak_error(ys, view)
        error[check] = np.fmax(error[check], _chord_error(f, xs, ys, check, view))
        run = np.diff(xs) * view.x_scale
        # The distance from a chord shrinks with the square of its length, so this
        # many equal parts should bring each within tolerance in one pass.
        parts = np.ceil(np.sqrt(error * (1 / _BEND_TOLERANCE_PX)))
        parts = np.minimum(np.minimum(parts, run * (1 / _FINEST_STEP_PX)), _MAX_PARTS)
        split = np.flatnonzero(parts >= 2)
        if split.size == 0:
            break
        parts = parts[split].astype(np.intp)
        wanted = (parts - 1).sum()
        if wanted > room:
            # Share what is left evenly: a fast oscillation then looks the same
            # everywhere instead of detailed in some places and coarse in others.
            parts = 1 + (parts - 1) * room // wanted
            keep = parts >= 2
            split, parts = split[keep], parts[keep]
            if split.size == 0:
                break
        added = parts - 1
        where = np.repeat(split, added)
        k = np.arange(where.size) - np.repeat(np.cumsum(added) - added, added) + 1
        new_x = xs[where] + (xs[where + 1] - xs[where]) * (k / np.repeat(parts, added))
        xs, ys, position = _merge(xs, ys, where, new_x, evaluate(f, new_x))
        # Only the pieces of split segments have untested midpoints.
        pieces = np.repeat(position[split], parts)
        check = pieces + np.arange(pieces.size) - np.repeat(np.cumsum(parts) - parts, parts)
    return xs, ys


def _chord_error(
    f: CurveFunction, xs: np.ndarray, ys: np.ndarray, segments: np.ndarray, view: _View
) -> np.ndarray:
    """How far each segment's midpoint lies from its chord, perpendicular, in pixels."""
    x0, x1 = xs[segments], xs[segments + 1]
    y_middle = evaluate(f, 0.5 * (x0 + x1))
    y0, y1 = view.clip(ys[segments]) * view.y_scale, view.clip(ys[segments + 1]) * view.y_scale
    run, rise = (x1 - x0) * view.x_scale, y1 - y0
    with np.errstate(invalid="ignore"):
        error = np.abs(0.5 * run * (y0 + y1 - 2 * view.clip(y_middle) * view.y_scale))
        error /= np.sqrt(run * run + rise * rise)
    # A hole narrower than the samples shows up as an undefined midpoint.
    error[np.isnan(y_middle) & ~np.isnan(y0) & ~np.isnan(y1)] = 4 * _BEND_TOLERANCE_PX
    return error


def _peak_error(ys: np.ndarray, view: _View) -> np.ndarray:
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


def _refine_edges(
    f: CurveFunction, xs: np.ndarray, ys: np.ndarray, view: _View, budget: int
) -> tuple[np.ndarray, np.ndarray]:
    defined = np.isfinite(ys)
    edges = np.flatnonzero(defined[:-1] != defined[1:])[: max(budget, 0)]
    if edges.size == 0:
        return xs, ys
    left_defined = defined[edges]
    inside = np.where(left_defined, xs[edges], xs[edges + 1])
    outside = np.where(left_defined, xs[edges + 1], xs[edges])
    inside_y = np.where(left_defined, ys[edges], ys[edges + 1])
    rows = np.arange(edges.size)
    for _ in range(_EDGE_ROUNDS):
        probes = inside[:, None] + (outside - inside)[:, None] * _EDGE_T
        values = evaluate(f, probes)
        # Walk from the defined side to the first undefined probe.
        walk_x = np.column_stack((inside, probes, outside))
        walk_y = np.column_stack((inside_y, values, np.full(edges.size, np.nan)))
        first_undefined = np.argmin(np.isfinite(walk_y), axis=1)
        inside, inside_y = walk_x[rows, first_undefined - 1], walk_y[rows, first_undefined - 1]
        outside = walk_x[rows, first_undefined]
    moved = inside != np.where(left_defined, xs[edges], xs[edges + 1])
    xs, ys, _ = _merge(xs, ys, edges[moved], inside[moved], inside_y[moved])
    return _close_holes(xs, ys, view)


def _close_holes(xs: np.ndarray, ys: np.ndarray, view: _View) -> tuple[np.ndarray, np.ndarray]:
    """Drop single undefined samples whose two sides meet: a one-point hole is invisible."""
    if xs.size < 3:
        return xs, ys
    undefined = np.isnan(ys)
    lone = undefined[1:-1] & ~undefined[:-2] & ~undefined[2:]
    with np.errstate(over="ignore", invalid="ignore"):
        meets = np.abs(ys[2:] - ys[:-2]) * view.y_scale < 1.0
    holes = np.flatnonzero(lone & meets) + 1
    return np.delete(xs, holes), np.delete(ys, holes)


def _jump_candidates(xs: np.ndarray, ys: np.ndarray, view: _View) -> np.ndarray:
    """Indices of segments that may hide a jump or a pole, most visible first."""
    width = np.diff(xs) * view.x_scale
    clipped_change = np.diff(view.clip(ys)) * view.y_scale
    size = np.fmax(np.abs(clipped_change), 0.0)  # fmax turns NaN into 0
    slope = size / width
    neighbours = np.empty_like(slope)
    neighbours[1:-1] = 0.5 * (slope[:-2] + slope[2:])
    neighbours[0], neighbours[-1] = slope[min(1, slope.size - 1)], slope[max(-2, -slope.size)]
    direction = np.sign(np.fmax(clipped_change, -np.inf))
    before, after = np.zeros_like(direction), np.zeros_like(direction)
    before[1:], after[:-1] = direction[:-1], direction[1:]
    # On a smooth curve a segment's slope is near the mean of its neighbours'; a jump's
    # is far steeper (even when one sample lands mid-jump, as sign(0) = 0 does), and
    # tan's drop across a pole goes against both neighbours.
    stands_out = (slope > 1.5 * neighbours) | ((direction * before < 0) & (direction * after < 0))
    suspect = (size > _JUMP_PX) & stands_out

    # An even pole (1/x^2) is a peak whose sides steepen towards it; its samples may be
    # far off-screen, so this uses unclipped values. Smooth peaks flatten instead.
    with np.errstate(all="ignore"):
        change = np.diff(ys) * view.y_scale
    change[~np.isfinite(change)] = 0.0
    steepness = np.abs(change)
    if change.size >= 2:
        into, out_of = change[:-1], change[1:]
        outer_in, outer_out = np.zeros_like(into), np.zeros_like(out_of)
        outer_in[1:], outer_out[:-1] = steepness[:-2], steepness[2:]
        peak = (np.sign(into) * np.sign(out_of) <= 0) & (
            np.maximum(steepness[:-1], steepness[1:]) > _JUMP_PX
        )
        steepening = (steepness[:-1] > 1.5 * outer_in) | (steepness[1:] > 1.5 * outer_out)
        peaks = np.flatnonzero(peak & steepening)
        suspect[peaks] = True
        suspect[peaks + 1] = True
    suspect &= np.isfinite(ys[:-1]) & np.isfinite(ys[1:])
    found = np.flatnonzero(suspect)
    return found[np.argsort(-np.maximum(size[found], steepness[found]))]


def _zoom(
    f: CurveFunction, a: np.ndarray, b: np.ndarray, view: _View
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Zoom into each segment ``[a, b]`` towards its largest change; say which are breaks.

    Returns the mask of breaks and the final windows ``a, b`` (narrowed in place).
    """
    broken = np.zeros(a.size, dtype=bool)
    active = np.arange(a.size)
    history = np.zeros((_ZOOM_ROUNDS, a.size))
    carried_top, carried_bottom = np.full(a.size, np.nan), np.full(a.size, np.nan)
    # Values next to a pole overflow when subtracted; inf is the right answer there.
    with np.errstate(over="ignore", invalid="ignore"):
        for round_ in range(_ZOOM_ROUNDS):
            window_x = a[active, None] + (b[active] - a[active])[:, None] * _ZOOM_T
            window_y = evaluate(f, window_x)
            steps = np.abs(np.diff(window_y, axis=1))
            undefined = np.isnan(steps).any(axis=1)
            largest = np.argmax(steps, axis=1)
            here = np.arange(active.size)
            # How much f varies over the window: it tends to 0 for a continuous f, stays at
            # least the jump at a jump, and grows at a pole. (The largest single step is no
            # measure: next to an even pole it can shrink as the probes get denser.)
            # The ends of the previous largest step lie in this window too: count them, so a
            # lucky probe right next to a pole in one round is not forgotten in the next.
            top = np.fmax(window_y.max(axis=1), carried_top[active])
            bottom = np.fmin(window_y.min(axis=1), carried_bottom[active])
            change = top - bottom
            history[round_, active] = change
            step_ends = window_y[here[:, None], largest[:, None] + np.array([0, 1])]
            carried_top[active], carried_bottom[active] = (
                step_ends.max(axis=1),
                step_ends.min(axis=1),
            )
            # Keep the largest step with one part each side: the even pole of 1/x^2 sits
            # beside its largest step, not always inside it.
            a[active] = window_x[here, np.maximum(largest - 1, 0)]
            b[active] = window_x[here, np.minimum(largest + 2, _ZOOM_PROBES + 1)]
            broken[active[undefined]] = True
            # A continuous change shrinks ~30x a round (even sqrt's ~5x); a jump keeps its
            # size and a pole's grows. Stop following what has clearly settled.
            settled = change * view.y_scale < _BEND_TOLERANCE_PX
            if round_:
                settled |= change < 0.25 * history[round_ - 1, active]
            active = active[~undefined & ~settled]
            if active.size == 0:
                break
    if active.size:
        # The final verdict compares two rounds apart, when windows are ~1000x narrower.
        persists = history[-1, active] > 0.8 * history[-3, active]
        broken[active[persists]] = True
    return broken, a, b


def _insert_breaks(
    f: CurveFunction, xs: np.ndarray, ys: np.ndarray, view: _View, budget: int
) -> tuple[np.ndarray, np.ndarray]:
    segments = _jump_candidates(xs, ys, view)[: max(budget, 0) // 3]
    if segments.size == 0:
        return xs, ys
    broken, a, b = _zoom(f, xs[segments], xs[segments + 1], view)
    if not broken.any():
        return xs, ys
    order = np.argsort(segments[broken])
    segments, a, b = segments[broken][order], a[broken][order], b[broken][order]
    ya, yb = evaluate(f, np.stack((a, b)))
    low, high = view.band
    centre, reach = 0.5 * (low + high), 2.5 * (high - low)
    # Close the gap up to a jump, but not towards a pole's huge values.
    with np.errstate(invalid="ignore"):
        keep_a = (a > xs[segments]) & (np.abs(ya - centre) < reach)
        keep_b = (b < xs[segments + 1]) & (np.abs(yb - centre) < reach)
    new_x = np.column_stack((a, 0.5 * (a + b), b))
    new_y = np.column_stack((ya, np.full(a.size, np.nan), yb))
    wanted = np.column_stack((keep_a, np.ones(a.size, dtype=bool), keep_b))
    where = np.repeat(segments, 3).reshape(-1, 3)
    return _merge(xs, ys, where[wanted], new_x[wanted], new_y[wanted])[:2]


__all__ = [
    "MAX_POINTS",
    "CurveFunction",
    "default_max_points",
    "evaluate",
    "robust_y_range",
    "sample_curve",
]
