"""The ground around the ball, checked on f itself: what lies downhill, corners, flat bottoms.

:mod:`.diagnosis` reads the path of a run; these helpers look at the function, so that a
verdict such as "no minimum that way" or "a flat-bottomed minimum at 0" is a fact about f
and not a guess from the last few steps. Everything works on points with any number of
coordinates; a line search (:func:`look_downhill`) follows one direction.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

from calcstudio.core.optimize.objective import Objective

REACH = 1e8
"""Probes go out to this many times ``1 + |w|`` from the ball."""
PROBES_PER_DOUBLING = 4
"""Probes per doubling of the distance from the ball."""
VANISHING_SLOPE = 1e-9
"""A slope below this share of the slope at the ball counts as vanished (a flat point)."""
FLAT_BOTTOM = 1e-6
"""f″ at a minimum below this share of f″ close by means f″ → 0 there (a flat bottom)."""
_GRID = 33
_ROUNDS = 8


def evaluate(objective: Objective, points: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The loss ``(m,)`` and gradient ``(m, n)`` at ``m`` points ``(m, n)``, in one call each."""
    m = points.shape[0]
    coords = [points[:, i] for i in range(points.shape[1])]
    with np.errstate(all="ignore"):
        try:
            loss = np.broadcast_to(np.asarray(objective.loss(*coords), dtype=float), (m,))
            partials = [
                np.broadcast_to(np.asarray(p, dtype=float), (m,))
                for p in objective.gradient(*coords)
            ]
        except (TypeError, ValueError):  # callables that take numbers only: one point at a time
            loss = np.array([objective.loss_at(w) for w in points])
            return loss, np.array([objective.gradient_at(w) for w in points])
    return np.array(loss), np.stack(partials, axis=1)


@dataclass(frozen=True)
class Downhill:
    """What lies along a line downhill from a point.

    Attributes
    ----------
    kind
        ``"bottom"``: the slope along the line turns uphill (f has a lowest point on the line
        there; for one variable, a local minimum of f);
        ``"flat"``: the slope vanishes there but f keeps falling beyond (an inflection, like
        x³ at 0);
        ``"endless"``: f falls at every probe as far as they reach, or to −∞;
        ``"unknown"``: f or its slope becomes undefined first, or the probes cannot tell.
    point
        The bottom, the flat point, or the farthest point checked.
    """

    kind: Literal["bottom", "flat", "endless", "unknown"]
    point: np.ndarray


def _snap(point: np.ndarray) -> np.ndarray:
    """A located point to the precision the search reaches (so 0 reads 0, not 4e−16)."""
    step = 1e-10 * (1.0 + float(np.linalg.norm(point)))
    return np.round(point / step) * step + 0.0


def _slopes(objective: Objective, w: np.ndarray, d: np.ndarray, t: np.ndarray):
    loss, gradient = evaluate(objective, w + t[:, None] * d)
    return loss, gradient @ d


def _refine_turn(objective: Objective, w: np.ndarray, d: np.ndarray, a: float, b: float) -> float:
    """A point in ``[a, b]`` where the slope along ``d`` turns from downhill to uphill."""
    for _ in range(_ROUNDS):
        t = np.linspace(a, b, _GRID)
        _, s = _slopes(objective, w, d, t)
        up = np.flatnonzero(s > 0)
        if up.size == 0 or up[0] == 0:
            break
        a, b = t[up[0] - 1], t[up[0]]
        if s[up[0] - 1] == 0:
            return float(a)
    return 0.5 * (a + b)


def _refine_dip(
    objective: Objective, w: np.ndarray, d: np.ndarray, a: float, b: float
) -> tuple[float, float]:
    """Where ``|slope|`` is least in ``[a, b]``, and that least size."""
    best_t, best = a, np.inf
    for _ in range(_ROUNDS):
        t = np.linspace(a, b, _GRID)
        _, s = _slopes(objective, w, d, t)
        size = np.where(np.isfinite(s), np.abs(s), np.inf)
        i = int(np.argmin(size))
        best_t, best = float(t[i]), float(size[i])
        a, b = t[max(i - 1, 0)], t[min(i + 1, _GRID - 1)]
    return best_t, best


def look_downhill(
    objective: Objective, w: np.ndarray, first: float, *, exact: bool = True
) -> Downhill:
    """Follow the line ``w − t ∇f(w)`` (t > 0) and say what is on it.

    Parameters
    ----------
    objective
        The function.
    w
        The point, where the gradient is not 0.
    first
        The nearest probe's distance (e.g. a quarter of the last step); probes then double
        in distance every :data:`PROBES_PER_DOUBLING` probes out to :data:`REACH` ``(1 + |w|)``.
    exact
        False to skip locating a bottom precisely (the first probe past it is given): enough
        to tell whether f falls without end.

    Returns
    -------
    Downhill
    """
    return look_downhill_from_each(objective, [w], [first], exact=exact)[0]


def look_downhill_from_each(
    objective: Objective,
    points: list[np.ndarray],
    firsts: list[float],
    *,
    exact: bool = True,
    gradients: list[np.ndarray] | None = None,
    losses: list[float] | None = None,
) -> list[Downhill]:
    """:func:`look_downhill` from each of several points, the probes of all of them taken
    in one evaluation of f and ∇f (a race's seven balls cost little more than one).

    Parameters
    ----------
    objective
        The function.
    points, firsts
        Each point and its nearest probe's distance (see :func:`look_downhill`).
    exact
        As for :func:`look_downhill`.
    gradients, losses
        ∇f and f at each point, if known already (a run has them).
    """
    known_gradients = gradients or [None] * len(points)
    known_losses = losses or [None] * len(points)
    lines = [
        _probe_line(objective, np.asarray(w, dtype=float), first, gradient)
        for w, first, gradient in zip(points, firsts, known_gradients, strict=True)
    ]
    probed = [line for line in lines if line is not None]
    if probed:
        stacked = np.concatenate([w + t[:, None] * d for w, d, t, _ in probed])
        loss, gradient = evaluate(objective, stacked)
    looks = []
    start = 0
    for w, line, known in zip(points, lines, known_losses, strict=True):
        if line is None:
            looks.append(Downhill("unknown", np.asarray(w, dtype=float)))
            continue
        w, d, t, size = line
        stop = start + len(t)
        at_w = objective.loss_at(w) if known is None else known
        slopes = gradient[start:stop] @ d
        looks.append(_read_line(objective, w, d, t, size, at_w, loss[start:stop], slopes, exact))
        start = stop
    return looks


def _probe_line(
    objective: Objective, w: np.ndarray, first: float, gradient: np.ndarray | None
) -> tuple[np.ndarray, np.ndarray, np.ndarray, float] | None:
    """The point, the downhill direction, the probes' distances and the slope's size, or
    None where the gradient (evaluated unless given) is 0 or undefined."""
    g0 = objective.gradient_at(w) if gradient is None else np.asarray(gradient, dtype=float)
    size = float(np.linalg.norm(g0))
    if not (np.isfinite(size) and size > 0):
        return None
    scale = 1.0 + float(np.linalg.norm(w))
    base = min(max(first, 1e-12 * scale), scale)
    count = int(np.ceil(np.log2(REACH * scale / base) * PROBES_PER_DOUBLING)) + 1
    t = np.concatenate([[0.0], base * 2.0 ** (np.arange(count) / PROBES_PER_DOUBLING)])
    return w, -g0 / size, t, size


def _read_line(
    objective: Objective,
    w: np.ndarray,
    d: np.ndarray,
    t: np.ndarray,
    size: float,
    loss_at_w: float,
    loss: np.ndarray,
    s: np.ndarray,
    exact: bool,
) -> Downhill:
    """What the probes ``t`` along ``d`` (f at ``w``, the probes' losses and slopes along
    ``d``) show."""
    loss, s = np.array(loss), np.array(s)
    loss[0], s[0] = loss_at_w, -size
    good = np.isfinite(s) & np.isfinite(loss)
    end = int(np.argmin(good)) if not good.all() else len(t)
    # f overflowing to −∞ is falling without end; NaN is the edge of its domain.
    falls_to_minus_infinity = end < len(t) and loss[end] == -np.inf
    t, loss, s = t[:end], loss[:end], s[:end]
    up = np.flatnonzero(s > 0)
    turn = int(up[0]) if up.size else len(t)
    # A vanishing slope before any turn: a flat point the ball would reach first.
    size_along = np.abs(s[:turn])
    for i in range(1, turn - 1):
        dip = size_along[i] <= size_along[i - 1] and size_along[i] <= size_along[i + 1]
        # ...and the slope grows again beyond it (not a slope fading away, as exp(−x)'s).
        if dip and np.max(size_along[i + 1 :]) > 1e3 * max(size_along[i], VANISHING_SLOPE * size):
            where, least = _refine_dip(objective, w, d, t[i - 1], t[i + 1])
            if least <= VANISHING_SLOPE * size:
                return Downhill("flat", _snap(w + where * d))
    if up.size and not exact:
        return Downhill("bottom", w + t[turn] * d)
    if up.size:
        turn_at = _refine_turn(objective, w, d, t[turn - 1], t[turn])
        return Downhill("bottom", _snap(w + turn_at * d))
    reached = falls_to_minus_infinity or end == len(good)
    if reached and len(t) > 1 and np.all(np.diff(loss) < 0):
        return Downhill("endless", w + t[-1] * d)
    return Downhill("unknown", w + t[-1] * d)


def second_derivatives(objective: Objective, x: np.ndarray) -> np.ndarray:
    """f″ at the points ``x`` of one variable: the Hessian where it is given and finite,
    else a central difference of f′."""
    x = np.asarray(x, dtype=float)
    values = np.full(x.shape, np.nan)
    if objective.hessian is not None:
        with np.errstate(all="ignore"):
            values = np.array(
                np.broadcast_to(np.asarray(objective.hessian(x)[0][0], dtype=float), x.shape)
            )
    missing = ~np.isfinite(values)
    if np.any(missing):
        h = 1e-5 * (1.0 + np.abs(x[missing]))
        _, g = evaluate(objective, np.concatenate([x[missing] - h, x[missing] + h])[:, None])
        half = len(h)
        values[missing] = (g[half:, 0] - g[:half, 0]) / (2 * h)
    return values


def second_derivative(objective: Objective, x: float) -> float:
    """f″ at ``x`` for one variable (see :func:`second_derivatives`)."""
    return float(second_derivatives(objective, np.array([x]))[0])


def is_flat_bottom(objective: Objective, x: float, curvature: float) -> bool:
    """True when f″ → 0 at ``x``: far smaller there than a little way off (like x⁴ at 0)."""
    offsets = np.array([-1e-1, -1e-2, 1e-2, 1e-1]) * (1.0 + abs(x))
    around = float(np.max(np.abs(second_derivatives(objective, x + offsets))))
    return abs(curvature) <= FLAT_BOTTOM * around if np.isfinite(around) else False


def corner_slopes(objective: Objective, w: np.ndarray) -> list[tuple[int, float, float]]:
    """Coordinates along which f has a corner at ``w``: ``(i, slope left, slope right)``.

    One-sided difference quotients at two step sizes: on smooth ground their gap shrinks
    with the step, at a corner (``abs(x)`` at 0) it stays the size of the jump in slope.
    """
    w = np.asarray(w, dtype=float)
    found = []
    for i in range(w.size):
        h1 = 1e-4 * (1.0 + abs(w[i]))
        steps = np.array([-h1, -h1 / 10, h1 / 10, h1])
        points = np.repeat(w[None, :], 5, axis=0)
        points[1:, i] += steps
        loss, _ = evaluate(objective, points)
        if not np.all(np.isfinite(loss)):
            continue
        left = (loss[0] - loss[1:3]) / -steps[:2]
        right = (loss[3:5] - loss[0]) / steps[2:]
        gap_far, gap_near = right[1] - left[0], right[0] - left[1]
        tolerance = 1e-6 * (1.0 + abs(left[1]) + abs(right[0]))
        if abs(gap_near) > tolerance and abs(gap_near) > 0.5 * abs(gap_far):
            found.append((i, float(left[1]), float(right[0])))
    return found
