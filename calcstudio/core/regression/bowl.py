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
_GAP = np.array([np.nan])
"""The t (NaN) that puts a row of NaN between two arcs."""
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
        view = _View(m_range, c_range)
        (a, b), (c, d) = (axes * np.sqrt(2 / curvatures)).tolist()  # half-axes for a rise of 1
        curves = []
        for level in levels:
            rise = float(level) - lowest
            if not rise > 0:
                curves.append(np.empty((0, 2)))
                continue
            s = math.sqrt(rise)
            curves.append(view.ellipse_arcs(bottom, (a * s, b * s, c * s, d * s)))
        return curves


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

    def ellipse_arcs(self, centre: tuple[float, float], frame: Frame) -> Array:
        """The ellipse ``frame`` around ``centre`` where it lies in the view.

        Where the ellipse crosses each edge is solved for exactly (p cos t + q sin t = e has
        at most two roots), so only the arcs in view are drawn, however long the ellipse. An
        arc is drawn as a polygon with points evenly spaced in t: k points per turn stray at
        most reach·(2π/k)²/8 from the ellipse (reach its largest half-axis), so k is chosen
        for :data:`TOLERANCE`; and the points are at most :data:`STEP` apart, so a label has
        places to sit.
        """
        a, b, c, d = frame
        cm, cc = centre
        spans = (self.m_range[1] - self.m_range[0], self.c_range[1] - self.c_range[0])
        # The view widened by a margin, so a line runs on a little past the map's edge.
        bounds = tuple(
            (low - 0.01 * span, high + 0.01 * span)
            for (low, high), span in zip((self.m_range, self.c_range), spans, strict=True)
        )
        crossings: list[float] = []
        for (p, q), middle, (low, high) in zip(((a, b), (c, d)), centre, bounds, strict=True):
            radius, phase = math.hypot(p, q), math.atan2(q, p)
            for edge in (low, high):  # p cos t + q sin t = radius·cos(t − phase)
                ratio = (edge - middle) / radius
                if -1.0 < ratio < 1.0:
                    turn = math.acos(ratio)
                    crossings.extend(((phase + turn) % TURN, (phase - turn) % TURN))

        def inside(t: float) -> bool:
            cos, sin = math.cos(t), math.sin(t)
            (m0, m1), (c0, c1) = bounds
            return m0 <= cm + a * cos + b * sin <= m1 and c0 <= cc + c * cos + d * sin <= c1

        crossings.sort()
        if crossings:
            ends = [*crossings[1:], crossings[0] + TURN]
            arcs = [
                (t0, t1)
                for t0, t1 in zip(crossings, ends, strict=True)
                if t1 > t0 and inside((t0 + t1) / 2)
            ]
        else:  # all of the ellipse is in view, or none of it
            arcs = [(0.0, TURN)] if inside(0.0) else []
        if not arcs:
            return np.empty((0, 2))
        reach = _largest_half_axis(a / spans[0], b / spans[0], c / spans[1], d / spans[1])
        per_turn = max(64, math.ceil(TURN * math.sqrt(reach / 8 / TOLERANCE)))
        parts: list[Array] = []
        for t0, t1 in arcs:
            sweep = t1 - t0
            count = max(math.ceil(sweep / TURN * per_turn), math.ceil(sweep * reach / STEP))
            parts.extend((np.linspace(t0, t1, min(MAX_POINTS, count) + 1), _GAP))
        t = np.concatenate(parts[:-1])  # a NaN in t is a row of NaN: the gap between arcs
        cos, sin = np.cos(t), np.sin(t)
        points = np.empty((len(t), 2))
        points[:, 0] = cm + a * cos + b * sin
        points[:, 1] = cc + c * cos + d * sin
        return points


def _largest_half_axis(a: float, b: float, c: float, d: float) -> float:
    """The largest singular value of [[a, b], [c, d]]: the ellipse's longest half-axis."""
    squares = a * a + b * b + c * c + d * d
    determinant = a * d - b * c
    return math.sqrt((squares + math.sqrt(max(squares * squares - 4 * determinant**2, 0.0))) / 2)


__all__ = ["Bowl"]
