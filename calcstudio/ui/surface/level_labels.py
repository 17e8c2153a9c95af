"""The contour labels of a map as one item: each level written on a light patch at its place.

One text item per label (``pg.TextItem``) re-computes its transform in Python on every pan and
lays out a text document to paint; twelve of them cost about 3 ms of each pan of the
landscape (measured here, see README). This item keeps the labels as plain data and, when
painted, writes each one in pixels at its place, the same size at every zoom.
"""

from __future__ import annotations

from collections.abc import Sequence

import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPainterPath, QStaticText, QTransform

CACHED = 256
"""Laid-out label texts kept for the next paints (a pan keeps its levels)."""
PADDING = 4.0
"""Pixels of patch around each label's text."""
TEXT = QColor("#202020")
PATCH = QColor(255, 255, 255, 170)


def level_text(level: float) -> str:
    """A level as its label writes it: ``0.125``, ``2.3e+04``, a true minus sign."""
    return f"{level:g}".replace("-", "−")


class LevelLabels(pg.GraphicsObject):
    """Labels ``(w1, w2, level)`` drawn over the map, centred on their places.

    Attributes
    ----------
    labels
        The labels shown: ``(w1, w2, text)``.
    """

    def __init__(self) -> None:
        super().__init__()
        self.labels: tuple[tuple[float, float, str], ...] = ()
        self._texts: dict[str, QStaticText] = {}
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)  # clicks go to the map

    def set_labels(self, labels: Sequence[tuple[float, float, float]]) -> None:
        """Show these labels (and no others)."""
        self.labels = tuple((float(x), float(y), level_text(level)) for x, y, level in labels)
        self.prepareGeometryChange()
        self.update()

    def boundingRect(self) -> QRectF:
        """The visible part of the view: the labels sit inside it, their patches in pixels."""
        if not self.labels:
            return QRectF()
        view = self.viewRect()
        return QRectF() if view is None else view

    def shape(self) -> QPainterPath:
        """Nothing to click: the labels take no mouse events from the map."""
        return QPainterPath()

    def viewTransformChanged(self) -> None:
        """A pan or zoom moves the visible part of the view, and so the bounding rectangle."""
        self.prepareGeometryChange()

    def paint(self, painter: QPainter, *_args: object) -> None:
        """Write each label on its patch, in pixels, centred on its place."""
        if not self.labels:
            return
        to_pixels = painter.transform()
        painter.save()
        painter.resetTransform()
        painter.setPen(TEXT)
        for x, y, text in self.labels:
            static = self._texts.get(text)
            if static is None:
                if len(self._texts) > CACHED:
                    self._texts.clear()
                static = self._texts[text] = QStaticText(text)
                static.prepare(QTransform(), painter.font())
            size = static.size()
            centre = to_pixels.map(QPointF(x, y))
            corner = QPointF(centre.x() - size.width() / 2, centre.y() - size.height() / 2)
            patch = QRectF(corner, size).adjusted(-PADDING, -PADDING, PADDING, PADDING)
            painter.fillRect(patch, PATCH)
            painter.drawStaticText(corner, static)
        painter.restore()
