"""The racers' paths on a map, drawn as the screen's pixels can show them.

A path of 2,000 points, most of them a few pixels apart, cost a map 1.3 ms a frame to paint
with a 2-pixel pen, nine of ten segments over ones already drawn. Each path is kept per
pixel by :class:`~calcstudio.ui.descent.trail.PixelTrail` (each pixel-to-pixel segment once,
looking only at the points added since the last frame), and its curve is only given new data
when a segment was added: a frame in which no ball reached a new pixel changes no curve.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pyqtgraph as pg

from calcstudio.ui.descent.trail import PixelTrail
from calcstudio.ui.widgets.view_pixels import pixel_size

DOT_SPACING = 4
"""The trail's dot spacing in pixels (the map draws no dots; the trail needs one)."""


class PixelPaths:
    """Keeps each run's path curve on a map to its pixel-distinct segments.

    Parameters
    ----------
    view_box
        The map's view, whose range and size give the pixel size; a zoom redraws the paths.
    """

    def __init__(self, view_box: pg.ViewBox) -> None:
        self._view_box = view_box
        self._curves: list[pg.PlotCurveItem] = []
        self._trails: list[PixelTrail] = []
        self._points: list[np.ndarray] = []
        view_box.sigRangeChanged.connect(self._on_range_changed)
        view_box.sigResized.connect(self._on_range_changed)

    def show(self, curves: Sequence[pg.PlotCurveItem]) -> None:
        """Draw the paths with ``curves`` (in ``connect="pairs"`` mode), emptied."""
        self._curves = list(curves)
        self._trails = [PixelTrail(DOT_SPACING) for _ in self._curves]
        self._points = []
        for curve in self._curves:
            curve.setData([], [])

    def set_paths(self, paths: Sequence[np.ndarray]) -> None:
        """Draw each run's points so far (``(k + 1, 2)`` arrays, finite), in curve order."""
        self._points = list(paths)
        self._draw()

    def _draw(self) -> None:
        pixel = pixel_size(self._view_box)
        for curve, trail, points in zip(self._curves, self._trails, self._points, strict=False):
            if not (pixel[0] > 0 and pixel[1] > 0):  # before the first layout: every point
                trail.clear()
                x, y = np.repeat(points[:, 0], 2)[1:-1], np.repeat(points[:, 1], 2)[1:-1]
                curve.setData(x, y)
            elif trail.update(points[:, 0], points[:, 1], pixel):
                curve.setData(np.array(trail.segment_x), np.array(trail.segment_y))

    def _on_range_changed(self, *_args: object) -> None:
        if self._points:
            self._draw()


__all__ = ["PixelPaths"]
