"""A plot's axes and grid: plain values, two levels of ticks, and the grid lines drawn as
plain lines at the axes' ticks (the axis itself: :mod:`.tick_axis`)."""

from __future__ import annotations

import math

import pyqtgraph as pg
from PySide6.QtCore import QLineF, QRectF
from PySide6.QtGui import QPainter, QPen

from calcstudio.ui.widgets import palette

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


GridPositions = dict[str, tuple[list[float], list[float]]]
"""Per kind of line (``"minor"``, ``"major"``, ``"zero"``): the x of the vertical lines and
the y of the horizontal ones."""


class GridLines(pg.GraphicsObject):
    """Grid lines at the axes' tick positions, and the axes x = 0 and y = 0 drawn darker.

    pyqtgraph's own grid (``showGrid``) is painted by the axis items and cost about 15 ms
    a repaint here, more than everything else on the plot together. This item works the
    lines out for the view it is painted in (the axes keep their ticks, so that is a look-up)
    and draws them as plain one-pixel lines in pixels: no arrays, paths or bounds to build
    at each pan, where three curves of line segments cost 0.5 ms a pan step.

    Parameters
    ----------
    plot_item
        The plot whose axes give the tick positions and whose view gets the lines.
    """

    MIN_SPACING_PX = 8.0
    """Finer tick levels than this many pixels apart get no grid lines."""

    def __init__(self, plot_item: pg.PlotItem) -> None:
        super().__init__()
        self.plot_item = plot_item
        # Drawn in this order: the axes x = 0 and y = 0 over the major lines over the minor.
        self._pens = [
            (kind, pg.mkPen(colour, width=1))
            for kind, colour in (
                ("minor", palette.GRID_MINOR),
                ("major", palette.GRID_MAJOR),
                ("zero", palette.GRID_ZERO),
            )
        ]
        self._rect: QRectF | None = None
        self._drawn: tuple[tuple[float, ...], list[tuple[QPen, list[QLineF]]]] | None = None
        self.setZValue(-100)
        plot_item.addItem(self, ignoreBounds=True)

    def positions(self) -> GridPositions:
        """Where the lines of the view shown are, per kind (see :data:`GridPositions`)."""
        result: GridPositions = {kind: ([], []) for kind, _ in self._pens}
        view = self.plot_item.getViewBox()
        (x_min, x_max), (y_min, y_max) = view.viewRange()
        if not (math.isfinite(x_max - x_min) and math.isfinite(y_max - y_min)):
            return result  # a range pyqtgraph itself refuses: no lines
        width, height = max(view.width(), 1.0), max(view.height(), 1.0)
        for index, (axis, low, high, pixels) in enumerate(
            (("bottom", x_min, x_max, width), ("left", y_min, y_max, height))
        ):
            levels = self.plot_item.getAxis(axis).tickValues(low, high, pixels)
            for level, (spacing, values) in enumerate(levels):
                if spacing * pixels / (high - low) >= self.MIN_SPACING_PX:
                    result["major" if level == 0 else "minor"][index].extend(values)
            if low < 0 < high:
                result["zero"][index].append(0.0)
        return result

    def viewRangeChanged(self, *_: object) -> None:
        # The lines span the view, so their rectangle moves with it.
        self.prepareGeometryChange()
        self._rect = None

    def boundingRect(self) -> QRectF:
        """The view's rectangle, in data coordinates."""
        if self._rect is None:
            view = self.getViewBox()
            self._rect = QRectF() if view is None else view.viewRect()
        return self._rect

    def paint(self, painter: QPainter, *_: object) -> None:
        """Draw the lines of the view shown, mapped to pixels, without antialiasing."""
        to_pixels = painter.transform()
        if to_pixels.m12() != 0.0 or to_pixels.m21() != 0.0:
            return  # a view is never rotated
        view = self.plot_item.getViewBox()
        x_range, y_range = view.viewRange()
        mapping = (to_pixels.m11(), to_pixels.dx(), to_pixels.m22(), to_pixels.dy())
        key = (*mapping, *x_range, *y_range, view.width(), view.height())
        if self._drawn is None or self._drawn[0] != key:
            self._drawn = (key, self._pixel_lines(*mapping, *x_range, *y_range))
        painter.save()
        painter.resetTransform()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        for pen, lines in self._drawn[1]:
            painter.setPen(pen)
            painter.drawLines(lines)
        painter.restore()

    def _pixel_lines(
        self,
        sx: float,
        dx: float,
        sy: float,
        dy: float,
        x_min: float,
        x_max: float,
        y_min: float,
        y_max: float,
    ) -> list[tuple[QPen, list[QLineF]]]:
        """Each pen with its lines, in pixels, for the view and the mapping to pixels given;
        a repaint of the same view (a race's frames, a keystroke) draws these again."""
        left, right = sorted((x_min * sx + dx, x_max * sx + dx))
        top, bottom = sorted((y_min * sy + dy, y_max * sy + dy))
        positions = self.positions()
        drawn = []
        for kind, pen in self._pens:
            xs, ys = positions[kind]
            if xs or ys:
                lines = [QLineF(x * sx + dx, top, x * sx + dx, bottom) for x in xs]
                lines += [QLineF(left, y * sy + dy, right, y * sy + dy) for y in ys]
                drawn.append((pen, lines))
        return drawn


__all__ = ["FINEST_TICK_LEVEL", "GridLines", "GridPositions", "coarse_ticks", "plain_axes"]
