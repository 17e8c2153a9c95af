"""Where a sampled curve must not be drawn as one line: domain edges, poles and jumps.

The last two stages of :func:`calcstudio.core.sampling.sample_curve`:

- :func:`refine_edges` moves the last defined sample towards where ``f`` becomes
  undefined (``sqrt(x)`` starts at 0, not one pixel later), and closes single undefined
  samples whose two sides meet (``sin(x)/x`` at 0);
- :func:`insert_breaks` zooms into each segment that looks like a jump; if the change
  across it does not shrink as the window shrinks, or ``f`` is undefined inside, it is
  a discontinuity and a NaN is inserted. A continuous function, however steep, has a
  change that shrinks with the window.
"""

from __future__ import annotations

import numpy as np

from calcstudio.core.curve import BEND_TOLERANCE_PX, CurveFunction, View, evaluate, merge_samples

_JUMP_PX = 2.0  # a change smaller than this is not worth a break
_EDGE_PROBES, _EDGE_ROUNDS = 99, 3  # narrows a domain edge 100^3 = 1e6 times
_ZOOM_PROBES, _ZOOM_ROUNDS = 94, 4  # keeps 3 of 95 parts a round: ~1e6 times
# Probe positions avoid simple fractions, so a symmetric window never lands exactly
# on the removable hole of x*sin(1/x) or sin(x)/x at 0.
_ZOOM_T = np.concatenate(([0.0], (np.arange(_ZOOM_PROBES) + 0.6180339887) / _ZOOM_PROBES, [1.0]))
_EDGE_T = np.arange(1, _EDGE_PROBES + 1) / (_EDGE_PROBES + 1)
EDGE_PROBE_POINTS = _EDGE_PROBES * _EDGE_ROUNDS
"""Most evaluations of f that :func:`refine_edges` spends on one edge."""
ZOOM_PROBE_POINTS = (_ZOOM_PROBES + 2) * _ZOOM_ROUNDS
"""Most evaluations of f that :func:`insert_breaks` spends on one candidate break."""


def refine_edges(
    f: CurveFunction, xs: np.ndarray, ys: np.ndarray, view: View, budget: int
) -> tuple[np.ndarray, np.ndarray]:
    """Move samples next to undefined ones to where ``f`` stops being defined.

    Parameters
    ----------
    f
        The function being sampled.
    xs, ys
        Increasing samples and their values (NaN where undefined).
    view
        The pixel view the curve is judged in.
    budget
        Most samples to add (one per domain edge).

    Returns
    -------
    xs, ys
        The samples with the edges moved in, and invisible one-sample holes closed.
    """
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
    xs, ys, _ = merge_samples(xs, ys, edges[moved], inside[moved], inside_y[moved])
    return _close_holes(xs, ys, view)


def _close_holes(xs: np.ndarray, ys: np.ndarray, view: View) -> tuple[np.ndarray, np.ndarray]:
    """Drop single undefined samples whose two sides meet: a one-point hole is invisible."""
    if xs.size < 3:
        return xs, ys
    undefined = np.isnan(ys)
    lone = undefined[1:-1] & ~undefined[:-2] & ~undefined[2:]
    with np.errstate(over="ignore", invalid="ignore"):
        meets = np.abs(ys[2:] - ys[:-2]) * view.y_scale < 1.0
    holes = np.flatnonzero(lone & meets) + 1
    return np.delete(xs, holes), np.delete(ys, holes)


def _jump_candidates(xs: np.ndarray, ys: np.ndarray, view: View) -> np.ndarray:
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
    if slope.size >= 4:
        # A sample mid-jump (sign(0) = 0) splits a jump into two steep segments, each beside
        # the other: the pair stands out from the segments outside it.
        pair = np.abs(clipped_change[:-1] + clipped_change[1:]) / (width[:-1] + width[1:])
        outside = np.empty_like(pair)
        outside[1:-1] = 0.5 * (slope[:-3] + slope[3:])
        outside[0], outside[-1] = slope[2], slope[-3]
        same_way = direction[:-1] * direction[1:] > 0
        pairs = np.flatnonzero(
            same_way & (pair > 1.5 * outside) & (size[:-1] + size[1:] > _JUMP_PX)
        )
        suspect[pairs] |= size[pairs] > 0
        suspect[pairs + 1] |= size[pairs + 1] > 0

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
        with np.errstate(over="ignore"):  # 1.5 times a steepness near 1e308 is inf: fine
            steepening = (steepness[:-1] > 1.5 * outer_in) | (steepness[1:] > 1.5 * outer_out)
        peaks = np.flatnonzero(peak & steepening)
        suspect[peaks] = True
        suspect[peaks + 1] = True
    suspect &= np.isfinite(ys[:-1]) & np.isfinite(ys[1:])
    found = np.flatnonzero(suspect)
    return found[np.argsort(-np.maximum(size[found], steepness[found]))]


def _zoom(
    f: CurveFunction, a: np.ndarray, b: np.ndarray, view: View
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Zoom into each segment ``[a, b]`` towards its largest change; say which are breaks.

    Returns the mask of breaks and the final windows ``a, b`` (narrowed in place).
    """
    broken = np.zeros(a.size, dtype=bool)
    active = np.arange(a.size)
    history = np.zeros((_ZOOM_ROUNDS, a.size))
    # The highest and lowest values seen so far inside the current window, and where.
    carried = {name: np.full(a.size, np.nan) for name in ("top", "top_x", "bottom", "bottom_x")}
    probes = np.arange(_ZOOM_PROBES + 2)
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
            # Values seen in earlier rounds inside this window count too, so a lucky probe
            # right next to a pole in one round is not forgotten in the next ones.
            top = np.fmax(window_y.max(axis=1), carried["top"][active])
            bottom = np.fmin(window_y.min(axis=1), carried["bottom"][active])
            change = top - bottom
            history[round_, active] = change
            # Keep the largest step with one part each side: the even pole of 1/x^2 sits
            # beside its largest step, not always inside it.
            first, last = np.maximum(largest - 1, 0), np.minimum(largest + 2, _ZOOM_PROBES + 1)
            a[active], b[active] = window_x[here, first], window_x[here, last]
            kept = (probes >= first[:, None]) & (probes <= last[:, None])
            for name, pick, fill in (("top", np.argmax, -np.inf), ("bottom", np.argmin, np.inf)):
                values = np.where(kept & np.isfinite(window_y), window_y, fill)
                best = pick(values, axis=1)
                new, new_x = values[here, best], window_x[here, best]
                old, old_x = carried[name][active], carried[f"{name}_x"][active]
                inside = (old_x >= a[active]) & (old_x <= b[active])
                better = inside & ~(pick(np.column_stack((new, old)), axis=1) == 0)
                carried[name][active] = np.where(better, old, new)
                carried[f"{name}_x"][active] = np.where(better, old_x, new_x)
            broken[active[undefined]] = True
            # A continuous change shrinks ~30x a round (even sqrt's ~5x); a jump keeps its
            # size and a pole's grows. Stop following what has clearly settled.
            settled = change * view.y_scale < BEND_TOLERANCE_PX
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


def insert_breaks(
    f: CurveFunction, xs: np.ndarray, ys: np.ndarray, view: View, budget: int
) -> tuple[np.ndarray, np.ndarray]:
    """Insert a NaN at each pole or jump, with samples closing in on it from each side.

    Parameters
    ----------
    f
        The function being sampled.
    xs, ys
        Increasing samples and their values (NaN where undefined).
    view
        The pixel view the curve is judged in.
    budget
        Most samples to add (at most three per break).

    Returns
    -------
    xs, ys
        The samples with breaks inserted.
    """
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
    return merge_samples(xs, ys, where[wanted], new_x[wanted], new_y[wanted])[:2]
