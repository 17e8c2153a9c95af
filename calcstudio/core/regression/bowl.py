"""The loss bowl of a line fit as a landscape: its values on a grid from the data's sums, and its
level curves drawn exactly.

The SSE (or MSE) is a quadratic in (m, c): L(m, c) = L* + ½ dᵀ H d, with d the distance from
the least-squares line and H the Hessian, the same everywhere. Each of its level sets
L = ℓ is therefore an ellipse around the bottom, whose axes are H's eigenvectors and whose
half-widths are sqrt(2 (ℓ − L*) / λ): no contouring of a grid is needed, and the curves
are exact at any zoom. Values and curves cost the same whatever the number of points, so the
bowl follows a dragged data point at display rate on the full grid.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from calcstudio.core.regression.line_fit import LineFit

Array = np.ndarray
Range = tuple[float, float]

TOLERANCE = 1 / 4000
"""How far (as a share of the view's side, across and up alike) a drawn ellipse may stray from
the true one: a quarter of a pixel on a map 1,000 pixels wide."""
MAX_POINTS = 1 << 16
"""Most points per arc (of an ellipse far longer than the view, zoomed in on its middle)."""
TURN = 2 * math.pi
"""One turn of an ellipse's parameter t."""
STEP = 1 / 50
"""An ellipse's points are at most this share of the view's side apart (so its label has
places to sit)."""


@dataclass(frozen=True)
class Bowl:
    """The loss of lines y = mx + c on a dataset, as a function of (m, c) for a landscape.

    Parameters
    ----------
    fit
        The line fit (its sums and loss).

    Examples
    --------
    >>> from calcstudio.core.regression import Dataset, LineFit
    >>> bowl = Bowl(LineFit.of(Dataset(np.array([0.0, 1, 2]), np.array([1.0, 3, 5]))))
    >>> float(bowl.value(2.0, 1.0)), float(bowl.value(0.0, 0.0))
    (0.0, 35.0)
    """

    fit: LineFit
    variables: tuple[str, str] = ("m", "c")

    def value(self, m: Array | float, c: Array | float) -> Array:
        """The loss at (m, c) (arrays broadcast together)."""
        return self.fit.value(m, c)

    def gradient(self, m: Array | float, c: Array | float) -> tuple[Array, Array]:
        """(∂L/∂m, ∂L/∂c) at (m, c) (arrays broadcast together)."""
        dm, dc = self.fit.gradient(np.asarray(m, dtype=float), np.asarray(c, dtype=float))
        return dm, dc

    def level_curves(self, levels: Array, m_range: Range, c_range: Range) -> list[Array] | None:
        """Per level, the ellipse L = level where it crosses the view (arcs that leave it
        separated by rows of NaN; empty below the bottom or out of view); None when the bowl
        has no single bottom (every x the same: its level sets are pairs of lines, left to
        contouring)."""
        bottom = self.fit.best_line()
        if bottom is None:
            return None
        lowest = float(self.fit.value(*bottom))
        curvatures, axes = np.linalg.eigh(self.fit.hessian())
        if curvatures[0] <= 0:
            return None
        rises = np.asarray(levels, dtype=float) - lowest
        scales = np.sqrt(np.where(rises > 0, rises, np.nan))  # NaN: a level below the bottom
        (a, b), (c, d) = (axes * np.sqrt(2 / curvatures)).tolist()  # half-axes for a rise of 1
        return _View(m_range, c_range).ellipses(bottom, (a, b, c, d), scales)


Frame = tuple[float, float, float, float]
"""An ellipse's ``(a, b, c, d)``: its points are centre + (a cos t + b sin t, c cos t + d sin t)."""


@dataclass(frozen=True)
class _View:
    """The map's rectangle, and how finely a curve is drawn in it.

    Distances are measured in the view's own sides (each axis fits its own range on the
    map), so a tolerance is the same number of pixels across and up.
    """

    m_range: Range
    c_range: Range

    def ellipses(self, centre: tuple[float, float], frame: Frame, scales: Array) -> list[Array]:
        """Per scale s, the ellipse ``s·frame`` around ``centre`` where it lies in the view
        (its arcs separated by rows of NaN; empty for a scale that is NaN or out of view).

        Where each ellipse crosses each edge is solved for exactly (p cos t + q sin t = e has
        at most two roots), so only the arcs in view are drawn, however long the ellipse. An
        arc is drawn as a polygon with points evenly spaced in t: k points per turn stray at
        most reach·(2π/k)²/8 from the ellipse (reach its largest half-axis), so k is chosen
        for :data:`TOLERANCE`; and the points are at most :data:`STEP` apart, so a label has
        places to sit. The ellipses of a bowl's levels share their centre and axes, so all
        are worked out together, in about half the time they took one by one.
        """
        a, b, c, d = frame
        cm, cc = centre
        spans = (self.m_range[1] - self.m_range[0], self.c_range[1] - self.c_range[0])
        # The view widened by a margin, so a line runs on a little past the map's edge.
        (m0, m1), (c0, c1) = (
            (low - 0.01 * span, high + 0.01 * span)
            for (low, high), span in zip((self.m_range, self.c_range), spans, strict=True)
        )
        s = scales[:, np.newaxis]
        # Where each ellipse crosses each of the four edges: p cos t + q sin t is
        # radius·cos(t − phase) along each axis, radius growing with the scale.
        crossings = []
        with np.errstate(invalid="ignore"):
            for (p, q), middle, edges in (((a, b), cm, (m0, m1)), ((c, d), cc, (c0, c1))):
                radius, phase = math.hypot(p, q), math.atan2(q, p)
                ratio = (np.array(edges) - middle) / (radius * s)
                turn = np.arccos(np.where((ratio > -1.0) & (ratio < 1.0), ratio, np.nan))
                crossings.extend(((phase + turn) % TURN, (phase - turn) % TURN))
        starts = np.sort(np.concatenate(crossings, axis=1), axis=1)  # NaN (no crossing) last
        count = np.count_nonzero(np.isfinite(starts), axis=1)
        # Each crossing starts an arc that ends at the next; the last ends at the first, a turn on.
        ends = np.concatenate((starts[:, 1:], np.full((len(s), 1), np.nan)), axis=1)
        crossed = np.flatnonzero(count)
        ends[crossed, count[crossed] - 1] = starts[crossed, 0] + TURN
        # An ellipse that crosses no edge is wholly in view or wholly out: one arc, a whole turn.
        whole = count == 0
        starts[whole, 0], ends[whole, 0] = 0.0, TURN
        with np.errstate(invalid="ignore"):
            middle = np.where(whole[:, np.newaxis], 0.0, (starts + ends) / 2)
            cos, sin = np.cos(middle), np.sin(middle)
            m_middle = cm + s * (a * cos + b * sin)
            c_middle = cc + s * (c * cos + d * sin)
            inside = (
                (ends > starts)
                & (m0 <= m_middle)
                & (m_middle <= m1)
                & (c0 <= c_middle)
                & (c_middle <= c1)
            )
        level, arc = np.nonzero(inside)  # the arcs in view, ellipse by ellipse, in turn
        if not len(level):
            return [np.empty((0, 2)) for _ in scales]
        t0, t1 = starts[level, arc], ends[level, arc]
        sweep = t1 - t0
        # each arc's ellipse's longest half-axis, in view sides: the frame's, scaled
        reach = (
            _largest_half_axis(a / spans[0], b / spans[0], c / spans[1], d / spans[1])
            * scales[level]
        )
        per_turn = np.maximum(64, np.ceil(TURN * np.sqrt(reach / 8 / TOLERANCE)))
        segments = np.maximum(np.ceil(sweep / TURN * per_turn), np.ceil(sweep * reach / STEP))
        segments = np.minimum(MAX_POINTS, segments).astype(np.intp)
        # One array of every arc's points, each arc followed by a row of NaN.
        lengths = segments + 2
        first = np.cumsum(lengths) - lengths
        along = np.arange(int(lengths.sum())) - np.repeat(first, lengths)  # 0 … segments + 1
        t = np.repeat(t0, lengths) + np.repeat(sweep / segments, lengths) * along
        t[first + lengths - 1] = np.nan  # a NaN in t is a row of NaN: the gap after each arc
        scale = np.repeat(scales[level], lengths)
        cos, sin = np.cos(t), np.sin(t)
        points = np.empty((len(t), 2))
        points[:, 0] = cm + scale * (a * cos + b * sin)
        points[:, 1] = cc + scale * (c * cos + d * sin)
        # Each ellipse is its arcs' stretch of the array (the arcs come ellipse by ellipse),
        # from its first arc's start to its last arc's end, less the last gap.
        ellipse_start = np.full(len(scales), -1)
        ellipse_end = np.full(len(scales), -1)
        first_arc = np.flatnonzero(np.diff(level, prepend=-1))
        last_arc = np.flatnonzero(np.diff(level, append=len(scales)))
        ellipse_start[level[first_arc]] = first[first_arc]
        ellipse_end[level[last_arc]] = first[last_arc] + lengths[last_arc] - 1
        return [
            points[start:end] if start >= 0 else np.empty((0, 2))
            for start, end in zip(ellipse_start.tolist(), ellipse_end.tolist(), strict=True)
        ]


def _largest_half_axis(a: float, b: float, c: float, d: float) -> float:
    """The largest singular value of [[a, b], [c, d]]: the ellipse's longest half-axis."""
    squares = a * a + b * b + c * c + d * d
    determinant = a * d - b * c
    return math.sqrt((squares + math.sqrt(max(squares * squares - 4 * determinant**2, 0.0))) / 2)


__all__ = ["Bowl"]
