"""What the area lesson draws on the shared plot: the rectangles as one item, the bounds a, b.

The rectangles (or trapezoids) of a sum are one graphics item painting three paths (area
above the axis, area below it, the dividers between pieces), whatever n is: 10,000 items
would cost far more than a frame. The outlines come from :mod:`calcstudio.core.area.shapes`.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QPainter, QPainterPath

from calcstudio.core.area.riemann import RiemannSum
from calcstudio.core.area.shapes import dividers, signed_polygons
from calcstudio.ui.widgets.plot_items import translucent

ABOVE = "#2b8cbe"
"""Area above the x-axis (counted positive): blue."""
BELOW = "#e34a33"
"""Area below the x-axis (counted negative): red-orange."""
ACCUMULATION = "#8c564b"
"""F(x) = ∫ₐˣ f: brown."""
BOUNDS = "#444444"
"""The lines x = a and x = b."""
_DIVIDER_MIN_PX = 3.0  # narrower pieces would only grey the fill with lines


def _path(xs: np.ndarray, ys: np.ndarray, connect: str = "all") -> QPainterPath:
    return pg.arrayToQPath(xs, ys, connect=connect) if xs.size else QPainterPath()


class RectanglesItem(pg.GraphicsObject):
    """The pieces of one Riemann sum, signed area coloured, drawn as one item."""

    def __init__(self) -> None:
        super().__init__()
        self._above = QPainterPath()
        self._below = QPainterPath()
        self._dividers: QPainterPath | None = None  # built at the first paint that needs it
        self._bounds = QRectF()
        self._piece_width = 0.0
        self.riemann: RiemannSum | None = None
        """The sum on show (None for none)."""
        self._brushes = (pg.mkBrush(translucent(ABOVE, 90)), pg.mkBrush(translucent(BELOW, 90)))
        self._pens = (pg.mkPen(ABOVE, width=1), pg.mkPen(BELOW, width=1))
        for pen in self._pens:
            pen.setCosmetic(True)
        self._divider_pen = pg.mkPen(translucent("#333333", 110), width=1)
        self._divider_pen.setCosmetic(True)

    def set_sum(self, riemann: RiemannSum | None) -> None:
        """Draw ``riemann``; None draws nothing."""
        self.prepareGeometryChange()
        self.riemann = riemann
        self._dividers = None
        if riemann is None:
            self._above = self._below = QPainterPath()
            self._bounds = QRectF()
        else:
            (ax, ay), (bx, by) = signed_polygons(riemann)
            self._above, self._below = _path(ax, ay), _path(bx, by)
            self._piece_width = abs(riemann.width)
            self._bounds = self._above.boundingRect().united(self._below.boundingRect())
        self.update()

    def polygons(self) -> tuple[QPainterPath, QPainterPath]:
        """The painted paths above and below the axis (for tests and export)."""
        return self._above, self._below

    def boundingRect(self) -> QRectF:
        return self._bounds

    def paint(self, painter: QPainter, *_: object) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        pixel = self.pixelWidth() or 0.0
        wide = bool(pixel) and self._piece_width / pixel >= _DIVIDER_MIN_PX
        for path, brush, pen in zip(
            (self._above, self._below), self._brushes, self._pens, strict=True
        ):
            # Sub-pixel pieces: the fill alone (an outline would only trace f again).
            painter.setPen(pen if wide else Qt.PenStyle.NoPen)
            painter.setBrush(brush)
            painter.drawPath(path)
        if wide and self.riemann is not None:
            if self._dividers is None:
                self._dividers = _path(*dividers(self.riemann), connect="pairs")
            painter.setPen(self._divider_pen)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawPath(self._dividers)


def bound_line(name: str) -> pg.InfiniteLine:
    """A vertical line the learner drags to move the bound ``name`` (a or b)."""
    line = pg.InfiniteLine(
        angle=90,
        movable=True,
        pen=pg.mkPen(BOUNDS, width=1.5, style=Qt.PenStyle.DashLine),
        hoverPen=pg.mkPen(BOUNDS, width=3),
        label=name,
        labelOpts={"position": 0.95, "color": BOUNDS, "fill": (255, 255, 255, 200)},
    )
    line.setToolTip(f"Drag to move {name}, or type it in the panel.")
    line.setZValue(8)
    return line


__all__ = ["ABOVE", "ACCUMULATION", "BELOW", "BOUNDS", "RectanglesItem", "bound_line"]
