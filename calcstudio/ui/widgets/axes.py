"""A plot's axes and grid: plain values, two levels of ticks, and the grid lines drawn as
three plain curves at the axes' ticks (the axis itself: :mod:`.tick_axis`)."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg

from calcstudio.ui.widgets import palette
from calcstudio.ui.widgets.quick_curve import QuickCurve

_EMPTY = np.empty(0)


FINEST_TICK_LEVEL = 1
"""The finest level of ticks an axis draws and numbers (0: whole steps, 1: half or fifth
steps). A third level shows only at some zooms, where it crowds the half steps, and working
it out cost a seventh of each pan of the function plot (and 0.6 ms of each pan of a map)."""


def coarse_ticks(item: pg.PlotItem) -> None:
    """Ticks, with their numbers where they fit, on no level finer than
    :data:`FINEST_TICK_LEVEL` on the bottom and left axes of ``item``."""
    for side in ("bottom", "left"):
        item.getAxis(side).setStyle(maxTickLevel=FINEST_TICK_LEVEL, maxTextLevel=FINEST_TICK_LEVEL)


def plain_axes(item: pg.PlotItem) -> None:
    """Write the values of every axis of ``item`` as they are, at every zoom.

    pyqtgraph scales an axis whose values are all below 1 (or above 10⁹) and says so in its
    title: a loss of 0.05 was read off as 50 beside "(x0.001)". Turning that off also spares
    its bookkeeping, which rewrote every axis's title (HTML, and the axis's size), the hidden
    axes' too, at each change of range: at each pan and at each re-ranging of a slice.
    """
    for side in ("bottom", "left", "top", "right"):
        axis = item.getAxis(side)
        axis.setSIPrefixEnableRanges(())
        axis.enableAutoSIPrefix(False)


class GridLines:
    """Grid lines at the axes' tick positions, and the axes x = 0 and y = 0 drawn darker.

    pyqtgraph's own grid (``showGrid``) is painted by the axis items and cost about 15 ms
    a repaint here, more than everything else on the plot together; the same lines as
    three plain, non-antialiased curves cost about 0.1 ms.

    Parameters
    ----------
    plot_item
        The plot whose axes give the tick positions and whose view gets the lines.
    """

    MIN_SPACING_PX = 8.0
    """Finer tick levels than this many pixels apart get no grid lines."""

    def __init__(self, plot_item: pg.PlotItem) -> None:
        self.plot_item = plot_item
        self.minor = self._lines(palette.GRID_MINOR)
        self.major = self._lines(palette.GRID_MAJOR)
        self.zero = self._lines(palette.GRID_ZERO)

    def _lines(self, colour: str) -> pg.PlotCurveItem:
        item = QuickCurve(pen=pg.mkPen(colour, width=1), connect="pairs", antialias=False)
        item.setZValue(-100)
        self.plot_item.addItem(item, ignoreBounds=True)
        return item

    def update(self) -> None:
        """Lay the lines out for the current view range and size."""
        view = self.plot_item.getViewBox()
        (x_min, x_max), (y_min, y_max) = view.viewRange()
        if not (np.isfinite(x_max - x_min) and np.isfinite(y_max - y_min)):
            return  # a range pyqtgraph itself refuses; the lines on show stay
        width, height = max(view.width(), 1.0), max(view.height(), 1.0)
        majors, minors = [], []
        for axis, low, high, pixels in (
            ("bottom", x_min, x_max, width),
            ("left", y_min, y_max, height),
        ):
            levels = self.plot_item.getAxis(axis).tickValues(low, high, pixels)
            for level, (spacing, values) in enumerate(levels):
                if spacing * pixels / (high - low) < self.MIN_SPACING_PX:
                    continue
                (majors if level == 0 else minors).append((axis, np.asarray(values, dtype=float)))
        frame = (x_min, x_max, y_min, y_max)
        self.major.setData(*_segments(majors, frame))
        self.minor.setData(*_segments(minors, frame))
        zeros = [
            (axis, np.zeros(1))
            for axis, low, high in (("bottom", x_min, x_max), ("left", y_min, y_max))
            if low < 0 < high
        ]
        self.zero.setData(*_segments(zeros, frame))


def _segments(
    lines: list[tuple[str, np.ndarray]], frame: tuple[float, float, float, float]
) -> tuple[np.ndarray, np.ndarray]:
    """End points, in pairs, of vertical lines (``"bottom"``) and horizontal ones (``"left"``)."""
    x_min, x_max, y_min, y_max = frame
    xs, ys = [_EMPTY], [_EMPTY]
    for axis, values in lines:
        ends = np.repeat(values, 2)
        across = np.tile([y_min, y_max] if axis == "bottom" else [x_min, x_max], values.size)
        xs.append(ends if axis == "bottom" else across)
        ys.append(across if axis == "bottom" else ends)
    return np.concatenate(xs), np.concatenate(ys)


__all__ = ["FINEST_TICK_LEVEL", "GridLines", "coarse_ticks", "plain_axes"]
