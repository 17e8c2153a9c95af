"""The landscape as a 3-D surface: a grid of heights in a box, and paths lifted onto it.

A 3-D view draws in a box of its own: the view's rectangle is scaled so that its longer side
runs from −1 to 1 (both axes alike, as on the map, so a bowl stays round) and L is scaled to
heights from 0 to :data:`BOX_HEIGHT`. Where a few values dwarf the rest (Rosenbrock's walls
rise to 2,500 around a valley whose floor is below 10), the heights are cut off at a ceiling
(or a floor), so the valley keeps its depth on screen; what is cut is said in words.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from calcstudio.core.numbers import format_number
from calcstudio.core.surface.landscape import Landscape, round_level

Array = np.ndarray

MESH_SIZE = 100
"""Vertices along each axis of the 3-D surface (picked from the map's grid)."""
BOX_HEIGHT = 0.8
"""The height of the box the surface is drawn in; its base is 2 wide along the longer side."""
SPREAD = 4.0
"""A ceiling is put at ``low + SPREAD·(median − low)`` (and a floor alike): the heights of a
bowl stay whole, a wall that rises far above most of the view is cut."""
TAIL = 0.02
"""``low`` and ``high`` are these quantiles of the values in view (robust to a pole)."""
LIFT = 0.015
"""Paths and points float this share of the box's height above the surface, so the surface's
flat facets (which lie above a curved bowl between vertices) do not hide them."""


@dataclass(frozen=True)
class HeightFrame:
    """How a view's ``(w1, w2, L)`` maps into the 3-D box.

    Attributes
    ----------
    centre
        The view's centre ``(w1, w2)``, drawn at the box's ``(0, 0)``.
    scale
        Half the view's longer side: ``w`` is drawn at ``(w − centre) / scale``.
    reach
        How far the view reaches from the centre along each axis, in box units (1 along
        the longer side).
    floor, ceiling
        L drawn at the box's bottom (0) and top (:data:`BOX_HEIGHT`); values beyond are cut.
    cut_below, cut_above
        Whether values in view lie below the floor or above the ceiling.
    """

    centre: tuple[float, float]
    scale: float
    reach: tuple[float, float]
    floor: float
    ceiling: float
    cut_below: bool
    cut_above: bool

    def height(self, values: Array) -> Array:
        """Box heights of the L ``values``: cut to ``[floor, ceiling]``, NaN stays NaN."""
        with np.errstate(all="ignore"):
            cut = np.clip(np.asarray(values, dtype=float), self.floor, self.ceiling)
            return (cut - self.floor) / (self.ceiling - self.floor) * BOX_HEIGHT

    def value(self, heights: Array) -> Array:
        """L at box ``heights`` (the inverse of :meth:`height` between floor and ceiling)."""
        return self.floor + np.asarray(heights, dtype=float) / BOX_HEIGHT * (
            self.ceiling - self.floor
        )

    def place(self, w1: Array, w2: Array) -> tuple[Array, Array]:
        """Box coordinates of the points ``(w1, w2)``."""
        x = (np.asarray(w1, dtype=float) - self.centre[0]) / self.scale
        y = (np.asarray(w2, dtype=float) - self.centre[1]) / self.scale
        return x, y

    def note(self) -> str:
        """In words, what was cut off (empty when nothing was)."""
        floor, ceiling = (format_number(v).replace("-", "−") for v in (self.floor, self.ceiling))
        if self.cut_below and self.cut_above:
            return (
                f"Heights are cut off below L = {floor} and above L = {ceiling} (flat there), "
                "so the rest keeps its shape."
            )
        if self.cut_above:
            return f"Heights above L = {ceiling} are cut off (flat there), so the valleys show."
        if self.cut_below:
            return f"Heights below L = {floor} are cut off (flat there), so the peaks show."
        return ""


@dataclass(frozen=True)
class SurfaceMesh:
    """A landscape's surface in the box.

    Attributes
    ----------
    x, y
        Box coordinates of the vertices along each axis (``(nx,)``, ``(ny,)``).
    z
        ``(nx, ny)`` box heights (``z[i, j]`` above ``(x[i], y[j])``, the layout of
        pyqtgraph's ``GLSurfacePlotItem``); where L is undefined, the floor.
    bands
        ``(nx, ny)`` the map's band indices at the vertices (255 where L is undefined), to
        colour the surface with the map's colour table.
    frame
        The mapping used.
    """

    x: Array
    y: Array
    z: Array
    bands: Array
    frame: HeightFrame


def height_frame(view: Landscape) -> HeightFrame:
    """The box for ``view``: its rectangle, and the floor and ceiling of its heights.

    The ceiling is ``low + SPREAD·(median − low)`` with ``low`` the 2 % quantile of the
    finite values (the floor alike, from the top), but never beyond the values in view: a
    bowl keeps all its height, Rosenbrock's walls are cut.

    Examples
    --------
    >>> from calcstudio.core.surface.fields import surface
    >>> from calcstudio.core.surface.landscape import landscape
    >>> rosenbrock = surface("(1 - x)^2 + 100(y - x^2)^2")
    >>> frame = height_frame(landscape(rosenbrock, (-2, 2), (-1, 3), size=100))
    >>> frame.floor, frame.ceiling, frame.cut_above
    (0.0, 579.0, True)
    """
    left, bottom, width, height = view.rect
    centre = (left + width / 2, bottom + height / 2)
    scale = max(width, height) / 2 or 1.0
    reach = (width / 2 / scale, height / 2 / scale)
    finite = view.values[np.isfinite(view.values)]
    if finite.size == 0:
        return HeightFrame(centre, scale, reach, -1.0, 1.0, False, False)
    smallest, largest = float(finite.min()), float(finite.max())
    low, median, high = np.quantile(finite, (TAIL, 0.5, 1 - TAIL))
    ceiling = round_level(float(low + SPREAD * (median - low)))
    floor = round_level(float(high - SPREAD * (high - median)))
    cut_above = math.isfinite(ceiling) and ceiling < largest
    cut_below = math.isfinite(floor) and floor > smallest
    # Uncut ends are rounded outwards to four digits of the box's span, for a readable scale.
    span = (ceiling if cut_above else largest) - (floor if cut_below else smallest)
    digits = 3 - math.floor(math.log10(span)) if span > 0 else 0
    step = 10.0**-digits
    ceiling = ceiling if cut_above else round(math.ceil(largest / step) * step, max(digits, 0))
    floor = floor if cut_below else round(math.floor(smallest / step) * step, max(digits, 0))
    if not ceiling > floor:  # a flat view: draw it level, half-way up
        floor, ceiling = floor - 1.0, ceiling + 1.0
    return HeightFrame(centre, scale, reach, floor, ceiling, cut_below, cut_above)


def surface_mesh(view: Landscape, size: int = MESH_SIZE) -> SurfaceMesh:
    """The 3-D surface of ``view`` on about ``size × size`` of its grid points.

    Examples
    --------
    >>> from calcstudio.core.surface.fields import surface
    >>> from calcstudio.core.surface.landscape import landscape
    >>> mesh = surface_mesh(landscape(surface("x^2 + y^2"), (-1, 1), (-1, 1), size=201), 5)
    >>> mesh.x.tolist(), mesh.z[:, 2].tolist()   # along x at y = 0: L = x² in [0, 2] → [0, 0.8]
    ([-1.0, -0.5, 0.0, 0.5, 1.0], [0.4, 0.1, 0.0, 0.1, 0.4])
    """
    frame = height_frame(view)
    columns = np.unique(np.linspace(0, len(view.w1) - 1, size).round().astype(int))
    rows = np.unique(np.linspace(0, len(view.w2) - 1, size).round().astype(int))
    x, y = frame.place(view.w1[columns], view.w2[rows])
    values = view.values[np.ix_(rows, columns)].T
    z = frame.height(values)
    z[np.isnan(z)] = 0.0
    bands = view.bands[np.ix_(rows, columns)].T
    return SurfaceMesh(x, y, z, bands, frame)


def lifted_points(frame: HeightFrame, points: Array, values: Array) -> Array:
    """``(n, 3)`` box coordinates of ``points`` (``(n, 2)``) at heights ``values`` (L there),
    lifted a little above the surface.

    Points outside the view's rectangle, or where L is not finite, become NaN rows.
    """
    points = np.asarray(points, dtype=float).reshape(-1, 2)
    x, y = frame.place(points[:, 0], points[:, 1])
    z = frame.height(values) + LIFT * BOX_HEIGHT
    slack = 1 + 1e-9
    outside = (np.abs(x) > frame.reach[0] * slack) | (np.abs(y) > frame.reach[1] * slack)
    outside |= ~np.isfinite(values)
    placed = np.column_stack((x, y, z))
    placed[outside] = np.nan
    return placed


def path_segments(frame: HeightFrame, points: Array, values: Array) -> Array:
    """A path as line segments on the surface: ``(2m, 3)``, each pair one step.

    Steps with an end outside the view, or where L is not finite, are left out (a racer
    that diverges leaves the box rather than drawing a line to infinity).
    """
    placed = lifted_points(frame, points, values)
    if len(placed) < 2:
        return np.empty((0, 3))
    finite = np.isfinite(placed).all(axis=1)
    keep = finite[:-1] & finite[1:]
    return np.stack((placed[:-1][keep], placed[1:][keep]), axis=1).reshape(-1, 3)


__all__ = [
    "BOX_HEIGHT",
    "LIFT",
    "MESH_SIZE",
    "HeightFrame",
    "SurfaceMesh",
    "height_frame",
    "lifted_points",
    "path_segments",
    "surface_mesh",
]
