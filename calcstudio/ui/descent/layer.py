"""The one item that paints every descent run on the main plot, and the cached child item
under it that keeps the trails' picture.

Line work, dots and balls are painted in data coordinates with one QPainter call per path;
Qt is asked to repaint only the rectangles a frame changed (see
:class:`~calcstudio.ui.descent.overlay.DescentOverlay`, which decides what they are).
"""

from __future__ import annotations

from collections.abc import Sequence

import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QBrush, QColor, QPainter, QPainterPath, QPen, QPolygonF
from PySide6.QtWidgets import QGraphicsItem

BALL_PIXELS = 15
"""Diameter of a ball."""
_BALL_PEN = QPen(QColor("white"), 1.5)


def _grown(rect: QRectF, share: float) -> QRectF:
    """``rect`` with ``share`` of its width and height added on every side."""
    dx, dy = share * rect.width(), share * rect.height()
    return rect.adjusted(-dx, -dy, dx, dy)


def _margins(item: pg.GraphicsObject) -> tuple[float, float]:
    """How far, in data units across and up, balls, dots and pens reach beyond a point."""
    return BALL_PIXELS * (item.pixelWidth() or 0.0), BALL_PIXELS * (item.pixelHeight() or 0.0)


def _with_margins(rect: QRectF, margins: tuple[float, float]) -> QRectF:
    """``rect`` and the few pixels around it that balls, dots and pens reach into."""
    x, y = margins
    return rect.adjusted(-x, -y, x, y)


class _Marks(pg.GraphicsObject):
    """Line work, dots and balls in data coordinates, repainted only where told."""

    def __init__(self, parent: pg.GraphicsObject | None = None) -> None:
        super().__init__(parent)
        self._bounds = QRectF()
        self._strokes: list[tuple[QPainterPath, QPen, bool]] = []
        self._dots: list[tuple[QPolygonF, QPen]] = []
        self._balls: list[tuple[QPointF, QBrush]] = []

    def boundingRect(self) -> QRectF:
        return self._bounds

    def show_marks(
        self,
        strokes: list[tuple[QPainterPath, QPen, bool]],
        dots: list[tuple[QPolygonF, QPen]],
        balls: list[tuple[QPointF, QBrush]],
        changed: Sequence[QRectF] | None,
    ) -> None:
        """Paint these from now on, repainting where ``changed`` (data coordinates), or
        everywhere with None."""
        self._strokes, self._dots, self._balls = strokes, dots, balls
        bounds = QRectF()
        for path, _, _ in strokes:
            bounds = bounds.united(path.controlPointRect())
        for polygon, _ in dots:
            bounds = bounds.united(polygon.boundingRect())
        for centre, _ in balls:
            bounds = bounds.united(QRectF(centre, centre))
        margins = _margins(self)  # once: each asks the view for its transform
        bounds = _with_margins(bounds, margins)
        if changed is None or not self._bounds.contains(bounds):
            self.prepareGeometryChange()
            # Room to grow: a ball walking out of the box changes it once in a while only.
            self._bounds = _grown(bounds, 0.25) if changed is not None else bounds
            self.update()
            return
        for rect in changed:
            self.update(_with_margins(rect, margins))

    def paint(self, painter: QPainter, *_args: object) -> None:
        for path, pen, antialiased in self._strokes:
            painter.setRenderHint(QPainter.RenderHint.Antialiasing, antialiased)
            painter.setPen(pen)
            painter.drawPath(path)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        for polygon, pen in self._dots:
            painter.setPen(pen)
            painter.drawPoints(polygon)
        if not self._balls:
            return
        # Balls are round on screen whatever the axes' scales: drawn in pixels.
        to_pixels = painter.transform()
        painter.resetTransform()
        painter.setPen(_BALL_PEN)
        radius = BALL_PIXELS / 2
        for centre, brush in self._balls:
            painter.setBrush(brush)
            painter.drawEllipse(to_pixels.map(centre), radius, radius)


class DescentLayer(_Marks):
    """Every run's line work, dots and ball, painted by one item in data coordinates.

    What moves every frame (slope lines, drops to the axis, balls) is painted by the item
    itself; the trails, ticks and dots, which change only when a ball reaches a new pixel,
    by a child item under it whose picture Qt keeps (a device-coordinate cache): a frame
    repaints the balls over that picture instead of drawing every trail again.
    """

    def __init__(self) -> None:
        super().__init__()
        self.trails = _Marks(self)
        self.trails.setFlag(QGraphicsItem.GraphicsItemFlag.ItemStacksBehindParent)
        self.trails.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self.strokes: list[tuple[QPainterPath, QPen, bool]] = []
        """Every stroke painted, trails first (``(path, pen, antialiased)``)."""
        self.dots: list[tuple[QPolygonF, QPen]] = []
        """The trails' dots (points drawn with a round pen)."""
        self.balls: list[tuple[QPointF, QBrush]] = []
        """Each ball's centre and fill."""

    def set_contents(
        self,
        strokes: list[tuple[QPainterPath, QPen, bool]],
        dots: list[tuple[QPolygonF, QPen]],
        balls: list[tuple[QPointF, QBrush]],
        trail_strokes: int = 0,
        changed: tuple[Sequence[QRectF], Sequence[QRectF]] | None = None,
    ) -> None:
        """Paint ``strokes`` (``(path, pen, antialiased)``), ``dots`` (points drawn with a
        round pen) and ``balls`` (``(centre, brush)``).

        The first ``trail_strokes`` strokes and the dots are the trails (painted first,
        with the dots over their lines); the other strokes and then the balls move every
        frame. ``changed`` says where the trails and where the moving marks differ from the
        last picture (data coordinates): only there is anything repainted. None repaints
        everything.
        """
        self.strokes, self.dots, self.balls = strokes, dots, balls
        trails_changed, marks_changed = changed if changed is not None else (None, None)
        self.trails.show_marks(strokes[:trail_strokes], dots, [], trails_changed)
        self.show_marks(strokes[trail_strokes:], [], balls, marks_changed)


__all__ = ["BALL_PIXELS", "DescentLayer"]
