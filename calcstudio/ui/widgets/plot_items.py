"""The pieces the main plot draws: curves, the tangent handle, and the secant with its legs.

Each item is created once and updated with ``setData``/``setPos`` afterwards. The
numbers they show (line end points, rise and run) come from
:mod:`calcstudio.core.calculus`; nothing here computes any maths.
"""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QLineF, QPointF, Qt
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import QGraphicsItem

from calcstudio.core.calculus import Secant, format_number
from calcstudio.ui.widgets import palette
from calcstudio.ui.widgets.quick_curve import QuickCurve

_EMPTY = np.empty(0)


def make_curve(
    colour: str,
    name: str | None = None,
    *,
    width: float = 1.0,
    style: Qt.PenStyle = Qt.PenStyle.SolidLine,
) -> pg.PlotCurveItem:
    """A persistent, initially empty curve that lifts its pen at NaN values.

    Parameters
    ----------
    colour
        Pen colour, from :mod:`calcstudio.ui.widgets.palette`.
    name
        Legend text, or None for no legend entry.
    width
        Pen width in pixels. Keep 1 for sampled curves: wider antialiased pens take
        Qt's slow stroking path on dense data.
    style
        Pen style, e.g. dashed for the secant's rise and run.

    Returns
    -------
    pyqtgraph.PlotCurveItem
        A plain curve item: a ``PlotDataItem`` wraps one in down-sampling and bounds
        bookkeeping that cost a quarter of a millisecond per ``setData``, twice a keystroke.
    """
    pen = pg.mkPen(colour, width=width, style=style)
    curve = QuickCurve(pen=pen, name=name, connect="finite", antialias=True)
    curve.setData(_EMPTY, _EMPTY)
    return curve


class StraightLine(QuickCurve):
    """A line between two points (the tangent, the secant and its legs), painted in pixels.

    Under the view's scaling, Qt strokes an antialiased pen wider than one pixel with its
    general path stroker: 0.5 to 1.5 ms for the 2-pixel tangent, a sixth of the plot's
    repaint. The same line with its ends mapped to pixels first costs about 40 µs.
    """

    def paint(self, painter: QPainter, *_: object) -> None:
        xs, ys = self.xData, self.yData
        if xs is None or len(xs) < 2 or not np.isfinite([xs[0], xs[-1], ys[0], ys[-1]]).all():
            return
        to_pixels = painter.transform()
        start = to_pixels.map(QPointF(float(xs[0]), float(ys[0])))
        end = to_pixels.map(QPointF(float(xs[-1]), float(ys[-1])))
        painter.save()
        painter.resetTransform()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setPen(self.opts["pen"])
        painter.drawLine(QLineF(start, end))
        painter.restore()


def make_line(
    colour: str,
    name: str | None = None,
    *,
    width: float = 2.0,
    style: Qt.PenStyle = Qt.PenStyle.SolidLine,
) -> StraightLine:
    """An initially empty :class:`StraightLine`, whose data is its two end points; the
    parameters are those of :func:`make_curve`, 2 pixels wide by default."""
    line = StraightLine(pen=pg.mkPen(colour, width=width, style=style), name=name)
    line.setData(_EMPTY, _EMPTY)
    return line


def make_marker(fill: str, outline: str | None = None) -> pg.TargetItem:
    """A fixed round marker, 9 pixels across, for one point (the secant's second point, a
    slice's point): a one-point ``ScatterPlotItem`` cost a tenth of the plot's repaint."""
    return pg.TargetItem(
        size=9,
        symbol="o",
        pen=pg.mkPen(outline or fill, width=1),
        brush=pg.mkBrush(fill),
        movable=False,
    )


def clear_curve(item: pg.PlotDataItem | pg.PlotCurveItem) -> None:
    """Remove all points from ``item``, so nothing stale stays on screen."""
    if item.xData is not None and item.xData.size:  # an empty curve costs nothing to keep
        item.setData(_EMPTY, _EMPTY)


def fit_legend_columns(legend: pg.LegendItem) -> None:
    """At most four rows (more columns instead), tightly spaced, so it covers less of the plot."""
    legend.layout.setHorizontalSpacing(12)
    legend.layout.setVerticalSpacing(-2)
    legend.setColumnCount(max(1, math.ceil(len(legend.items) / 4)))


def set_legend_entries(legend: pg.LegendItem, entries: list[tuple[object, str]]) -> None:
    """Show ``entries`` (``(item, name)`` in order) in ``legend``, kept as a pixmap.

    When the items are those already listed, in order, only the names that differ are set
    (f(x) becomes f(s) as "sin" is typed: 0.7 ms, where building the legend again took
    9 ms); otherwise the legend is built anew.
    """
    shown = [(sample.item, label) for sample, label in legend.items]
    if [item for item, _ in entries] == [item for item, _ in shown]:
        for (_, name), (_, label) in zip(entries, shown, strict=True):
            if label.text != name:
                label.setText(name)
        legend.updateSize()
        return
    legend.clear()
    for item, name in entries:
        legend.addItem(item, name)
    fit_legend_columns(legend)
    cache_as_pixmaps(legend)


def cache_as_pixmaps(*items: QGraphicsItem) -> None:
    """Keep ``items`` and everything inside them as pixmaps, redrawn only when they change.

    For what stays put while the curves change (axes, the legend): a curve's repaint covers
    the whole plot area, which these overlap, and replaying their text and ticks cost
    more than a tenth of the plot's repaint.
    """
    stack = list(items)
    while stack:
        item = stack.pop()
        item.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        stack.extend(item.childItems())


def translucent(colour: str, alpha: int) -> QColor:
    """``colour`` with the given alpha (0..255)."""
    result = QColor(colour)
    result.setAlpha(alpha)
    return result


class CurveHandle(pg.TargetItem):
    """The orange point ``(a, f(a))`` a learner drags along the curve.

    :attr:`sigPositionChanged` fires only for moves made by the mouse: positions set
    by the program go through :meth:`place`, which emits nothing, so re-placing the
    handle in answer to a drag cannot start a feedback loop.
    """

    def __init__(self) -> None:
        super().__init__(
            size=14,
            symbol="o",
            pen=pg.mkPen(palette.TANGENT, width=2),
            brush=translucent(palette.TANGENT, 110),
            hoverPen=pg.mkPen(palette.TANGENT, width=3),
            hoverBrush=translucent(palette.TANGENT, 220),
        )
        self.setZValue(20)
        self.setToolTip("The point a: drag it along the curve to move the tangent")

    def place(self, x: float, y: float) -> None:
        """Move to ``(x, y)`` without emitting :attr:`sigPositionChanged`."""
        blocked = self.blockSignals(True)
        try:
            self.setPos(x, y)
        finally:
            self.blockSignals(blocked)


MARKER_CLEARANCE_PX = 12
"""How far from a (in pixels) the run label starts: clear of the tangent's marker."""
POINT_CLEARANCE_PX = 6
"""How far from the rise leg (in pixels) the rise label starts: clear of the point a + h."""


class SecantOverlay:
    """The secant line through ``(a, f(a))`` and ``(a+h, f(a+h))``, with its rise and run.

    The run is the dashed horizontal leg from ``(a, f(a))`` to ``(a+h, f(a))``, the
    rise the dashed vertical leg up (or down) to ``(a+h, f(a+h))``; each has a small
    label with its number.

    Parameters
    ----------
    plot_item
        The plot to add the items to.
    """

    def __init__(self, plot_item: pg.PlotItem) -> None:
        self.secant: Secant | None = None
        self.shown = True
        self._view_box = plot_item.getViewBox()
        self.line = make_line(palette.SECANT, "secant")
        dash = Qt.PenStyle.DashLine
        self.run_leg = make_line(palette.SECANT, width=1.5, style=dash)
        self.rise_leg = make_line(palette.SECANT, width=1.5, style=dash)
        self.point = make_marker(palette.SECANT)
        self.point.setToolTip("The second point (a+h, f(a+h))")
        self.run_label = pg.TextItem(color=palette.SECANT)
        self.rise_label = pg.TextItem(color=palette.SECANT)
        self.items = (
            self.line,
            self.run_leg,
            self.rise_leg,
            self.point,
            self.run_label,
            self.rise_label,
        )
        for z, item in enumerate(self.items):
            item.setZValue(10 + z)
            plot_item.addItem(item)
        self.set_secant(None, (-5.0, 5.0))

    def set_shown(self, shown: bool) -> None:
        """Show or hide the whole secant (its data is kept, so it comes back as it was)."""
        self.shown = shown
        for item in self.items:
            item.setVisible(shown)
        self._show_markers()

    def _show_markers(self) -> None:
        secant = self.secant
        defined = secant is not None and bool(
            np.isfinite(secant.value) and np.isfinite(secant.value_after)
        )
        for marker in (self.point, self.run_label, self.rise_label):
            marker.setVisible(defined and self.shown)

    def set_secant(self, secant: Secant | None, x_range: tuple[float, float]) -> None:
        """Draw ``secant`` across ``x_range``, or hide everything if it is None or undefined."""
        self.secant = secant
        defined = secant is not None and bool(
            np.isfinite(secant.value) and np.isfinite(secant.value_after)
        )
        self._show_markers()
        if not defined:
            for item in (self.line, self.run_leg, self.rise_leg):
                clear_curve(item)
            return
        assert secant is not None
        a, b = secant.point, secant.point + secant.step
        self._draw_line(x_range)
        self.point.setPos(b, secant.value_after)
        self.run_leg.setData([a, b], [secant.value, secant.value])
        self.rise_leg.setData([b, b], [secant.value, secant.value_after])
        for label, text in (
            (self.run_label, f"run h = {format_number(secant.run)}"),
            (self.rise_label, f"rise = {format_number(secant.rise)}"),
        ):
            if label.toPlainText() != text:  # a new text lays the label out again
                label.setText(text)
        self._place_labels()

    def redraw(self, x_range: tuple[float, float]) -> None:
        """Stretch the secant line across a new visible x-range (after a pan or zoom)."""
        self._draw_line(x_range)
        self._place_labels()

    def _draw_line(self, x_range: tuple[float, float]) -> None:
        if self.secant is None or not np.isfinite(self.secant.slope):
            clear_curve(self.line)
            return
        self.line.setData(*self.secant.line(*x_range, tuple(self._view_box.viewRange()[1])))

    def _place_labels(self) -> None:
        """Put the labels outside the triangle, clear of the point a and inside the plot.

        The run label starts just past the tangent's marker at a and runs towards a + h,
        on the far side of the run leg from the rise; the rise label sits beside the rise
        leg, above (or below) the run leg, so the two never overlap. A label that would
        cross the plot's edge goes to the other side of its leg.
        """
        secant = self.secant
        if secant is None or not (np.isfinite(secant.value) and np.isfinite(secant.value_after)):
            return
        pixel_x, pixel_y = self._view_box.viewPixelSize()
        (x_min, x_max), (y_min, y_max) = self._view_box.viewRange()
        a, b, up = secant.point, secant.point + secant.step, secant.rise >= 0
        direction = 1.0 if secant.step > 0 else -1.0
        clear_of_a = a + direction * MARKER_CLEARANCE_PX * pixel_x
        run_width = self.run_label.boundingRect().width() * pixel_x
        run_height = self.run_label.boundingRect().height() * pixel_y
        if direction > 0 and clear_of_a + run_width > x_max:
            direction = -1.0  # no room towards a + h: start on the other side of a
            clear_of_a = a - MARKER_CLEARANCE_PX * pixel_x
        elif direction < 0 and clear_of_a - run_width < x_min:
            direction = 1.0
            clear_of_a = a + MARKER_CLEARANCE_PX * pixel_x
        below = up
        if below and secant.value - run_height < y_min:
            below = False
        elif not below and secant.value + run_height > y_max:
            below = True
        self.run_label.setAnchor((0.0 if direction > 0 else 1.0, 0.0 if below else 1.0))
        self.run_label.setPos(clear_of_a, secant.value)
        rise_width = self.rise_label.boundingRect().width() * pixel_x
        outward = secant.step > 0
        if outward and b + rise_width > x_max:
            outward = False
        elif not outward and b - rise_width < x_min:
            outward = True
        middle = 0.5 * (secant.value + secant.value_after)
        # Above the run leg when the rise goes up (the run label is below it), and so on.
        self.rise_label.setAnchor((0.0 if outward else 1.0, 1.0 if up else 0.0))
        # A few pixels off the leg, so the label's first letter is clear of the point at a + h.
        beside = b + (1.0 if outward else -1.0) * POINT_CLEARANCE_PX * pixel_x
        height = max(middle, secant.value) if up else min(middle, secant.value)
        self.rise_label.setPos(beside, height)


__all__ = [
    "CurveHandle",
    "SecantOverlay",
    "StraightLine",
    "cache_as_pixmaps",
    "clear_curve",
    "fit_legend_columns",
    "make_curve",
    "make_line",
    "make_marker",
    "translucent",
]
