"""The data and the line: points to add, drag and delete, a line to drag by two handles, and
each error drawn as a vertical segment (and, optionally, as its square).

One item per kind (all points, all residuals, all squares), updated with ``setData``, so a
drag with 1,000 points redraws three items.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from pyqtgraph.GraphicsScene.mouseEvents import MouseClickEvent, MouseDragEvent
from PySide6.QtCore import QPointF, Qt, Signal
from PySide6.QtGui import QColor, QPainterPath
from PySide6.QtWidgets import QGraphicsPathItem, QGraphicsView, QWidget

from calcstudio.core.regression import Dataset
from calcstudio.ui.widgets import palette
from calcstudio.ui.widgets.axes import plain_axes
from calcstudio.ui.widgets.plot_items import cache_as_pixmaps
from calcstudio.ui.widgets.quick_curve import QuickCurve, QuickScatter
from calcstudio.ui.widgets.spots import move_spots, place_spots, shift_spots
from calcstudio.ui.widgets.still_cache import PixmapsWhenStill

PICK_PIXELS = 9.0
"""How near (in pixels) a click must be to a point to grab or delete it."""
PARABOLA_SAMPLES = 200
"""Points of a drawn parabola across the view (1 px pen: cheap at any count)."""
HANDLE_FRACTIONS = (0.2, 0.8)
"""Where the line's two handles sit, as fractions of the data's x range."""


POINT_STYLE = {
    "size": 9,
    "pen": pg.mkPen("#1b1b1b", width=1),
    "brush": pg.mkBrush(palette.FUNCTION),
}
"""How a data point is drawn."""


class _Points(QuickScatter):
    """The data points; a drag that starts on one moves it (else the view pans)."""

    def __init__(self, view: DataView) -> None:
        super().__init__(**POINT_STYLE, hoverable=True, tip=None)
        self.view = view
        self.dragged: int | None = None

    def mouseDragEvent(self, event: MouseDragEvent) -> None:
        """Move the point under the cursor with it."""
        if event.button() != Qt.MouseButton.LeftButton:
            event.ignore()
            return
        if event.isStart():
            self.dragged = self.view.point_at(event.buttonDownScenePos())
            if self.dragged is None:
                event.ignore()
                return
        if self.dragged is None:
            event.ignore()
            return
        event.accept()
        where = self.view.plotItem.vb.mapSceneToView(event.scenePos())
        self.view.pointMoved.emit(self.dragged, where.x(), where.y())
        if event.isFinish():
            self.dragged = None
            self.view.pointDropped.emit()


class DataView(pg.PlotWidget):
    """Points (x, y), the line y = mx + c and its errors.

    Signals
    -------
    pointAdded(float, float)
        The learner clicked an empty place.
    pointMoved(int, float, float)
        The learner dragged point ``index`` to (x, y).
    pointDropped()
        The learner let go of the point dragged.
    pointDeleted(int)
        The learner right-clicked point ``index``.
    lineDragged(float, float)
        The learner dragged a handle of the line: the new (m, c).
    """

    pointAdded = Signal(float, float)
    pointMoved = Signal(int, float, float)
    pointDropped = Signal()
    pointDeleted = Signal(int)
    lineDragged = Signal(float, float)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, background="w", enableMenu=False)  # no context menu
        self.setObjectName("fitData")
        self.hideButtons()
        self.setLabel("bottom", "x (input)")
        self.setLabel("left", "y (target)")
        plain_axes(self.getPlotItem())
        cache_as_pixmaps(self.getAxis("bottom"), self.getAxis("left"))
        # One rectangle around all that changed is repainted: a drag changes the errors across
        # the whole plot anyway, and 1,000 lines clipped to a region of several rectangles
        # (Qt's default) took twice as long to draw.
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.BoundingRectViewportUpdate)
        self.dataset: Dataset | None = None
        self.line_mc = (0.0, 0.0)
        self.parabola: tuple[float, float, float] | None = None
        """(a, b, c) while a parabola is drawn instead of the line."""
        self.squares = QGraphicsPathItem()
        self.squares.setBrush(pg.mkBrush(QColor(214, 39, 40, 45)))
        self.squares.setPen(pg.mkPen(QColor(214, 39, 40, 140), width=1))
        self.squares.setZValue(-2)
        self.addItem(self.squares)
        self.residuals = QuickCurve(pen=pg.mkPen(palette.DERIVATIVE, width=1), connect="pairs")
        # One line per error, drawn as separate lines rather than one path: rebuilding the
        # path on each move of a dragged point or the line cost more than drawing it.
        self.residuals.setSegmentedLineMode("on")
        self.addItem(self.residuals)
        # The dragged point's error, drawn on its own while the line stays put, so that a
        # move repaints one short segment, not a plot-wide rectangle of all 1,000.
        self.lifted_error = QuickCurve(pen=self.residuals.opts["pen"])
        self.lifted_error.hide()
        self.addItem(self.lifted_error)
        self._errors_drawn: tuple[tuple[float, float, float], int | None] | None = None
        """The model (slope, curvature, intercept) the errors were drawn for, and the lifted
        point they left out (drawn by :attr:`lifted_error`)."""
        self._line_drawn: tuple[float, ...] | None = None
        """The model and the x range the line was drawn for."""
        self.line = QuickCurve(pen=pg.mkPen(palette.TANGENT, width=2.5))
        self.addItem(self.line)
        # The line and the other errors lie still under a dragged data point, where the
        # dragged point's repaint drew all 1,000 errors clipped to it (0.3 ms a move);
        # they change with every move of the line or frame of a descent.
        self.still_model = PixmapsWhenStill((self.residuals, self.line), self)
        self.points = _Points(self)
        self.points.setZValue(10)
        # Kept as a pixmap: the line and its errors change on every frame of a descent, and
        # the 1,000 points under them were drawn again each time.
        cache_as_pixmaps(self.points)
        self.addItem(self.points)
        # The point being dragged is lifted out of the kept pixmap and drawn on its own, so
        # that each move repaints one spot, not the pixmap of all 1,000 (2 of 3 ms of the
        # data view's repaint after a move).
        self.lifted = QuickScatter(**POINT_STYLE)
        cache_as_pixmaps(self.lifted)  # moved whole, by shift_spots: copied, not repainted
        self.lifted.setZValue(11)
        self.lifted.hide()
        self.addItem(self.lifted)
        self._lifted: int | None = None
        self.pointDropped.connect(self._land)  # before the lesson's own slot
        self.handles = [
            pg.TargetItem(size=13, symbol="s", pen=pg.mkPen("k", width=1.5), brush=palette.TANGENT)
            for _ in HANDLE_FRACTIONS
        ]
        for handle in self.handles:
            handle.setZValue(20)
            handle.setToolTip("Drag to tilt and move the line (the other handle stays put)")
            self.addItem(handle)
            handle.sigPositionChanged.connect(self._on_handle_moved)
        self._placing = False
        self.squares_shown = False
        self.scene().sigMouseClicked.connect(self._on_clicked)

    # --- what the lesson calls ------------------------------------------------

    def show_data(self, dataset: Dataset, moved: int | None = None) -> None:
        """Draw ``dataset``'s points; its errors follow with :meth:`show_line`.

        ``moved`` is the index of the one point that differs from the dataset shown (a drag),
        or None to draw every point afresh.
        """
        shown = self.dataset
        self.dataset = dataset
        if (
            moved is not None
            and shown is not None
            and len(dataset) == len(shown) == len(self.points.data)
        ):
            # The hidden spot stays where it was (moving it could change the item's extent,
            # and so its pixmap); the lifted one tells the view the data's new extent.
            x, y = float(dataset.x[moved]), float(dataset.y[moved])
            if self._lifted == moved:
                shift_spots(self.lifted, x, y)
                return
            self._land()
            visible = np.ones(len(dataset), dtype=bool)
            visible[moved] = False
            self.points.setPointsVisible(visible)
            self._lifted = moved
            place_spots(self.lifted, [x], [y])
            self.lifted.show()
            return
        self._lifted = None
        self.lifted.hide()
        self.points.setData(dataset.x, dataset.y)

    def _land(self) -> None:
        """Put the lifted point back among the others, where it is now (at the drop), and
        its error among theirs."""
        index, dataset = self._lifted, self.dataset
        if index is None or dataset is None:
            return
        self._lifted = None
        self.lifted.hide()
        self.points.setPointsVisible(True)
        move_spots(self.points, index, float(dataset.x[index]), float(dataset.y[index]))
        if self._errors_drawn is not None and self._errors_drawn[1] is not None:
            self._show_errors(*self._errors_drawn[0])

    def _redraw_model(self) -> None:
        if self.parabola is not None:
            self.show_parabola(*self.parabola)
        else:
            self.show_line(*self.line_mc)

    def show_line(self, m: float, c: float) -> None:
        """Draw y = mx + c across the view, its handles, and the errors of the points."""
        self.line_mc = (m, c)
        self.parabola = None
        (x0, x1), _ = self.plotItem.vb.viewRange()
        if self._line_drawn != (m, c, x0, x1):  # unchanged while a data point is dragged
            self._line_drawn = (m, c, x0, x1)
            self.line.setData([x0, x1], [m * x0 + c, m * x1 + c])
            self.still_model.changed()
        for handle in self.handles:
            handle.setVisible(True)
        self._place_handles()
        self._show_errors(m, 0.0, c)

    def show_parabola(self, a: float, b: float, c: float) -> None:
        """Draw y = a·x² + b·x + c across the view and the errors of the points (a parabola
        has no handles: it moves with its point on the bowl)."""
        self.parabola = (a, b, c)
        (x0, x1), _ = self.plotItem.vb.viewRange()
        if self._line_drawn != (a, b, c, x0, x1):
            self._line_drawn = (a, b, c, x0, x1)
            x = np.linspace(x0, x1, PARABOLA_SAMPLES)
            self.line.setData(x, (a * x + b) * x + c)
            self.still_model.changed()
        for handle in self.handles:
            handle.setVisible(False)
        self._show_errors(b, a, c)

    def _show_errors(self, slope: float, curvature: float, intercept: float) -> None:
        dataset = self.dataset
        if dataset is None or len(dataset) == 0:
            self.lifted_error.hide()
            self._errors_drawn = None
            self.residuals.setData([], [])
            self.still_model.changed()
            self.squares.setPath(QPainterPath())
            return
        model = (slope, curvature, intercept)
        lifted = self._lifted
        if lifted is not None and not self.squares_shown:
            # the dragged point's error apart, the others drawn once for this model
            x = float(dataset.x[lifted])
            self.lifted_error.setData(
                [x, x], [float(dataset.y[lifted]), float((curvature * x + slope) * x + intercept)]
            )
            self.lifted_error.show()
            if self._errors_drawn == (model, lifted):
                return
            others = np.ones(len(dataset), dtype=bool)
            others[lifted] = False
            x_drawn, y_drawn = dataset.x[others], dataset.y[others]
        else:
            self.lifted_error.hide()
            lifted = None
            x_drawn, y_drawn = dataset.x, dataset.y
        self._errors_drawn = (model, lifted)
        predicted = (curvature * x_drawn + slope) * x_drawn + intercept
        self.residuals.setData(
            np.repeat(x_drawn, 2), np.column_stack([y_drawn, predicted]).reshape(-1)
        )
        self.still_model.changed()
        if self.squares_shown:
            self._draw_squares(dataset, (curvature * dataset.x + slope) * dataset.x + intercept)

    def set_squares_shown(self, shown: bool) -> None:
        """Draw each error as a square of side |residual| (so its area is the squared error);
        the axes then keep one scale, so squares look square."""
        self.squares_shown = shown
        self.plotItem.vb.setAspectLocked(shown)
        self.squares.setVisible(shown)
        self._redraw_model()

    def frame(self, dataset: Dataset) -> None:
        """Fit the view to the data, with a margin."""
        if len(dataset) == 0:
            self.setRange(xRange=(0, 10), yRange=(0, 10))
            return
        x_pad = max(np.ptp(dataset.x) * 0.1, 1.0)
        y_pad = max(np.ptp(dataset.y) * 0.15, 1.0)
        self.setRange(
            xRange=(dataset.x.min() - x_pad, dataset.x.max() + x_pad),
            yRange=(dataset.y.min() - y_pad, dataset.y.max() + y_pad),
            padding=0,
        )

    def point_at(self, scene_pos: QPointF) -> int | None:
        """The index of the point within :data:`PICK_PIXELS` of ``scene_pos``, or None."""
        dataset = self.dataset
        if dataset is None or len(dataset) == 0:
            return None
        vb = self.plotItem.vb
        (x0, x1), (y0, y1) = vb.viewRange()
        size = vb.size()
        sx = size.width() / (x1 - x0) if x1 > x0 else 1.0
        sy = size.height() / (y1 - y0) if y1 > y0 else 1.0
        where = vb.mapSceneToView(scene_pos)
        distances = np.hypot((dataset.x - where.x()) * sx, (dataset.y - where.y()) * sy)
        index = int(np.argmin(distances))
        return index if distances[index] <= PICK_PIXELS else None

    def pixel_of(self, x: float, y: float) -> QPointF:
        """Where (x, y) is in the widget, for tests that click and drag."""
        scene = self.plotItem.vb.mapViewToScene(QPointF(x, y))
        return QPointF(self.mapFromScene(scene))

    # --- drawing ----------------------------------------------------------------

    def _draw_squares(self, dataset: Dataset, predicted: np.ndarray) -> None:
        if not self.squares_shown:
            return
        path = QPainterPath()
        side = dataset.y - predicted
        for x, y, r in zip(dataset.x, predicted, side, strict=True):
            # The square has the error segment as its left side.
            path.addRect(float(x), float(min(y, y + r)), float(abs(r)), float(abs(r)))
        self.squares.setPath(path)

    def _place_handles(self) -> None:
        m, c = self.line_mc
        xs = self._handle_xs()
        self._placing = True
        for handle, x in zip(self.handles, xs, strict=True):
            handle.setPos(x, m * x + c)
        self._placing = False

    def _handle_xs(self) -> tuple[float, float]:
        dataset = self.dataset
        if dataset is not None and len(dataset) and np.ptp(dataset.x) > 0:
            low, high = float(dataset.x.min()), float(dataset.x.max())
        else:
            low, high = self.plotItem.vb.viewRange()[0]
        first, second = (low + f * (high - low) for f in HANDLE_FRACTIONS)
        return first, second

    # --- the learner's hands -----------------------------------------------------

    def _on_handle_moved(self, moved: pg.TargetItem) -> None:
        if self._placing:
            return
        other = self.handles[1] if moved is self.handles[0] else self.handles[0]
        (x1, y1), (x2, y2) = (moved.pos().x(), moved.pos().y()), (other.pos().x(), other.pos().y())
        if abs(x1 - x2) < 1e-12:
            return
        m = (y1 - y2) / (x1 - x2)
        self.lineDragged.emit(m, y2 - m * x2)

    def _on_clicked(self, event: MouseClickEvent) -> None:
        if event.double():
            return
        vb = self.plotItem.vb
        if not vb.sceneBoundingRect().contains(event.scenePos()):
            return
        index = self.point_at(event.scenePos())
        if event.button() == Qt.MouseButton.RightButton and index is not None:
            event.accept()
            self.pointDeleted.emit(index)
        elif event.button() == Qt.MouseButton.LeftButton and index is None:
            if any(h.sceneBoundingRect().contains(event.scenePos()) for h in self.handles):
                return
            event.accept()
            where = vb.mapSceneToView(event.scenePos())
            self.pointAdded.emit(where.x(), where.y())
