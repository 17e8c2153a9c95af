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
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from calcstudio.core.regression.line_fit import LineFit

Array = np.ndarray
Range = tuple[float, float]

TOLERANCE = 1 / 4000
"""How far (as a share of the view) a drawn ellipse may stray from the true one: a quarter of
a pixel on a map 1,000 pixels wide."""
MAX_POINTS = 1 << 16
"""Most points per ellipse (one far longer than the view, zoomed in on its middle)."""
STEP = 1 / 50
"""Where an ellipse crosses a view it does not fit in, its points are at most this share of
the view apart (so its label has places to sit)."""


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
        """Per level, the ellipse L = level where it crosses the view (pieces that leave it
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
        curves = []
        for level in levels:
            rise = float(level) - lowest
            if not rise > 0:
                curves.append(np.empty((0, 2)))
                continue
            frame = axes * np.sqrt(2 * rise / curvatures)  # columns: the two half-axes

            def ellipse(t: Array, frame: Array = frame) -> Array:
                return np.column_stack((np.cos(t), np.sin(t))) @ frame.T + np.asarray(bottom)

            curves.append(view.crossing(ellipse, float(np.abs(frame).max() / view.size)))
        return curves


@dataclass(frozen=True)
class _View:
    """The map's rectangle, and how finely a curve is drawn in it."""

    m_range: Range
    c_range: Range

    @property
    def size(self) -> float:
        return min(self.m_range[1] - self.m_range[0], self.c_range[1] - self.c_range[0])

    def near(self, low: Array, high: Array) -> Array:
        """Whether each box ``[low, high]`` (rows of (m, c)) meets the view, with a margin."""
        margin = 0.01 * self.size
        return (
            (high[:, 0] >= self.m_range[0] - margin)
            & (low[:, 0] <= self.m_range[1] + margin)
            & (high[:, 1] >= self.c_range[0] - margin)
            & (low[:, 1] <= self.c_range[1] + margin)
        )

    def crossing(self, curve: Callable[[Array], Array], reach: float) -> Array:
        """The closed curve ``curve(t)``, 0 ≤ t ≤ 2π, where it crosses the view.

        ``reach`` is its largest distance from its centre in view sizes. A polygon of k
        points evenly spaced in t strays at most reach·(2π/k)²/8 from an ellipse; where it
        runs through the view it is drawn again, as finely in t and with points at most
        :data:`STEP` of the view apart.
        """
        count = min(MAX_POINTS, max(64, math.ceil(2 * math.pi * math.sqrt(reach / 8 / TOLERANCE))))
        t = np.linspace(0.0, 2 * math.pi, count)
        points = curve(t)
        near = self.near(np.minimum(points[:-1], points[1:]), np.maximum(points[:-1], points[1:]))
        if near.all():
            return points
        # Start from a segment out of view, so no run through the view wraps past t = 2π.
        t = t + t[int(np.argmin(near))]
        points = curve(t)
        near = self.near(np.minimum(points[:-1], points[1:]), np.maximum(points[:-1], points[1:]))
        pieces: list[Array] = []
        gap = np.full((1, 2), np.nan)
        edges = np.flatnonzero(np.diff(np.concatenate(([0], near.astype(np.int8), [0]))))
        for first, last in zip(edges[::2], edges[1::2], strict=True):  # runs of near segments
            chords = np.diff(points[first : last + 1], axis=0)
            length = float(np.hypot(chords[:, 0], chords[:, 1]).sum()) / self.size
            # never coarser than the first pass (which keeps the error bound)
            fine = min(MAX_POINTS, max(last - first + 1, math.ceil(length / STEP) + 1))
            piece = self._clip(curve(np.linspace(t[first], t[last], fine)))
            if len(piece):
                pieces.extend((piece, gap))
        return np.concatenate(pieces[:-1]) if pieces else np.empty((0, 2))

    def _clip(self, points: Array) -> Array:
        """``points`` with those out of view (and not next to one in view) dropped, each run
        of them replaced by one row of NaN."""
        inside = self.near(points, points)
        kept = inside.copy()
        kept[1:] |= inside[:-1]  # a point beside one in view carries the line to the edge
        kept[:-1] |= inside[1:]
        if not kept.any():
            return np.empty((0, 2))
        shown = points.copy()
        shown[~kept] = np.nan
        gap = ~kept
        first_of_run = np.concatenate(([True], ~(gap[1:] & gap[:-1])))
        shown = shown[first_of_run]
        return shown[1:] if np.isnan(shown[0, 0]) else shown


__all__ = ["Bowl"]
