"""The main plot: f, f' and f'', the tangent with its draggable point, and the secant.

Curves are sampled by :func:`calcstudio.core.sampling.sample_curve` for exactly the
visible x-range and the plot's size in pixels, so they stay sharp at every zoom and
break at poles instead of drawing false vertical lines. Panning and zooming re-sample,
coalesced so a burst of range changes costs one re-sample.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import pyqtgraph as pg
import pyqtgraph.exporters
from pyqtgraph.GraphicsScene.mouseEvents import MouseClickEvent
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QWidget

from calcstudio.core.calculus import Secant, Tangent, value_at
from calcstudio.core.framing import fit_x_range, fit_y_range
from calcstudio.core.sampling import drawable, sample_curve
from calcstudio.ui.widgets import palette
from calcstudio.ui.widgets.after_paint import AfterPaint
from calcstudio.ui.widgets.axes import GridLines, coarse_ticks, plain_axes
from calcstudio.ui.widgets.plot_items import (
    CurveHandle,
    SecantOverlay,
    cache_as_pixmaps,
    clear_curve,
    make_curve,
    make_line,
    set_legend_entries,
)
from calcstudio.ui.widgets.tick_axis import TickAxis

Evaluator = Callable[[np.ndarray], np.ndarray]
"""A vectorised real function: float array in, float array out, NaN where undefined."""

FIT_SQUASH_LIMIT = 3.0
"""fit_view lets f' widen the y-range at most this many times beyond f's own range."""
DEFAULT_X_RANGE = (-5.0, 5.0)
DEFAULT_Y_RANGE = (-5.0, 5.0)

_AXIS_COLOUR = "#333333"
_MIN_PIXELS = 100  # before the first layout the view box may report a size of 0


class PlotView(pg.PlotWidget):
    """The plot a learner looks at: f, f', optionally f'', a tangent and a secant.

    Parameters
    ----------
    parent
        The parent widget.

    Attributes
    ----------
    function_curve, derivative_curve, second_derivative_curve : pyqtgraph.PlotCurveItem
        The sampled curves of f, f' and f''; empty when there is nothing to draw.
    tangent_line : StraightLine
        The tangent across the visible x-range.
    tangent_handle : CurveHandle
        The draggable point ``(a, f(a))``.
    secant_overlay : SecantOverlay
        The secant line, its second point, its rise and run and their labels.
    after_paint : AfterPaint
        Work (a lesson's panel numbers) that waits until the plot's next frame is drawn.
    """

    tangentDragged = Signal(float)
    """The x the learner dragged the tangent point to (emitted while dragging)."""
    plotClicked = Signal(float)
    """The x, in data coordinates, of a left click on the plot area (not a drag)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(
            parent,
            background="w",
            axisItems={side: TickAxis(side) for side in ("bottom", "left")},
            # No context menu: pyqtgraph's, built and then switched off, was a tenth of the
            # plot's construction (the first one builds its widget classes).
            enableMenu=False,
        )
        self._f: Evaluator | None = None
        self._df: Evaluator | None = None
        self._d2f: Evaluator | None = None
        self._second_derivative_visible = False
        self._curves_stale = False
        """Whether the curves wait to be sampled for the functions and view they have now."""
        self._lines_shown = False
        """Whether the tangent, its point and the secant are shown: by the lesson that draws
        them (:meth:`set_tangent_and_secant_shown`), not before."""
        self._derivative_shown = True
        self._tangent: Tangent | None = None
        self._handle_point = (0.0, 0.0)  # where the program last put the tangent point
        self._variable = "x"

        item = self.getPlotItem()
        self._view_box = item.getViewBox()
        # The plot fits itself (fit_view); pyqtgraph's auto-range would chase the
        # values of a million beside tan(x)'s poles, and log mode would break sampling.
        self._view_box.disableAutoRange()
        item.hideButtons()
        for side, text in (("bottom", "x"), ("left", "y")):
            axis = item.getAxis(side)
            axis.setPen(_AXIS_COLOUR)
            axis.setTextPen(_AXIS_COLOUR)
            item.setLabel(side, text, color=_AXIS_COLOUR)
        plain_axes(item)  # plain values at every zoom, never "x (x0.001)"
        coarse_ticks(item)

        cache_as_pixmaps(item.getAxis("bottom"), item.getAxis("left"))
        self.function_curve = make_curve(palette.FUNCTION, "f(x)")
        self.derivative_curve = make_curve(palette.DERIVATIVE, "f′(x)")
        self.second_derivative_curve = make_curve(palette.SECOND_DERIVATIVE, "f″(x)")
        self.tangent_line = make_line(palette.TANGENT, "tangent")
        for z, curve in enumerate(
            (self.second_derivative_curve, self.derivative_curve, self.function_curve)
        ):
            curve.setZValue(z)
            item.addItem(curve)
        self.tangent_line.setZValue(5)
        item.addItem(self.tangent_line)
        self.grid = GridLines(item)
        self.secant_overlay = SecantOverlay(item)
        self.tangent_handle = CurveHandle()
        self.tangent_handle.setVisible(False)
        item.addItem(self.tangent_handle)
        self.second_derivative_curve.setVisible(False)
        self.tangent_line.setVisible(False)
        self.secant_overlay.set_shown(False)
        # Made after the curves, so it lists them once, in its own order (made before, it
        # listed each curve as it was added, only to be built again).
        self.legend = item.addLegend(
            offset=(10, 10),
            labelTextColor=_AXIS_COLOUR,
            # Opaque: a translucent background made the raster engine blend it over the
            # curves on every repaint (about a tenth of a repaint of a dense curve).
            brush=pg.mkBrush(255, 255, 255),
            pen=pg.mkPen("#cccccc"),
        )
        self._update_legend()

        self.setRange(xRange=DEFAULT_X_RANGE, yRange=DEFAULT_Y_RANGE, padding=0)
        self.setToolTip(
            "Scroll to zoom, drag to pan, drag with the right button to stretch an axis.\n"
            "Drag the orange point along the curve to move the tangent."
        )

        # A zero-time single shot runs once the pending events are handled, so a burst
        # of range changes (one per mouse move) gives one re-sample.
        self._resample_timer = QTimer(self)
        self._resample_timer.setSingleShot(True)
        self._resample_timer.setInterval(0)
        self._resample_timer.timeout.connect(self.resample_now)
        self._view_box.sigRangeChanged.connect(self._on_view_changed)
        self._view_box.sigResized.connect(self._on_view_changed)
        self.tangent_handle.sigPositionChanged.connect(self._on_handle_moved)
        self.scene().sigMouseClicked.connect(self._on_scene_clicked)
        self.after_paint = AfterPaint(self.viewport())

    # -- curves -------------------------------------------------------------------

    def set_functions(
        self, f: Evaluator | None, df: Evaluator | None, d2f: Evaluator | None = None
    ) -> None:
        """Show new functions; None clears that curve.

        Parameters
        ----------
        f, df, d2f
            Evaluators of f, f' and f'' (e.g. ``ExpressionData.evaluator()`` or a
            :class:`calcstudio.core.function.Function`), each or None.
        """
        self._f, self._df, self._d2f = f, df, d2f
        self._resample_timer.stop()
        # Only the curves: the tangent and secant belong to the lesson, which draws them anew
        # for the new function (redrawing the old ones first would be wasted).
        self._sample_curves()

    def set_tangent_and_secant_shown(self, shown: bool) -> None:
        """Show or hide the tangent, its point and the secant (they keep their data)."""
        self._lines_shown = bool(shown)
        self.tangent_line.setVisible(self._lines_shown)
        self.tangent_handle.setVisible(self._lines_shown and self._tangent is not None)
        self.secant_overlay.set_shown(self._lines_shown)
        self._update_legend()

    def set_derivative_shown(self, shown: bool) -> None:
        """Show or hide f′ and its legend entry (a lesson where its colour means something
        else: the area lesson's area below the axis)."""
        self._derivative_shown = bool(shown)
        self.derivative_curve.setVisible(self._derivative_shown)
        self._update_legend()

    def set_second_derivative_visible(self, visible: bool) -> None:
        """Show or hide f'' (it is sampled only while shown)."""
        self._second_derivative_visible = bool(visible)
        self.second_derivative_curve.setVisible(self._second_derivative_visible)
        self._update_legend()
        self._sample_into(
            self.second_derivative_curve, self._d2f if self._second_derivative_visible else None
        )

    def set_variable(self, variable: str) -> None:
        """Name the horizontal axis and the legend after f's variable: ``t``, ``f(t)``."""
        if variable == self._variable:
            return
        self._variable = variable
        self.getPlotItem().setLabel("bottom", variable, color=_AXIS_COLOUR)
        self._update_legend()

    def variable(self) -> str:
        """The name on the horizontal axis."""
        return self._variable

    def is_second_derivative_visible(self) -> bool:
        """Whether f'' is shown."""
        return self._second_derivative_visible

    def resample_now(self) -> None:
        """Re-sample every curve and re-draw the lines for the current view, at once."""
        self._resample_timer.stop()
        self._sample_curves()
        self._redraw_lines()

    def fit_view(self, points: Sequence[float] = (), *, keep_x: bool = False) -> None:
        """Fit x to what matters (turns, bends, the tangent point, ``points``) and y to f.

        See :mod:`calcstudio.core.framing`; the y-fit ignores the spikes beside poles. With no
        function shown the view goes back to [-5, 5] × [-5, 5]. ``keep_x`` fits y only (to a
        preset's own x-range).
        """
        if self._f is None:
            self.setRange(xRange=DEFAULT_X_RANGE, yRange=DEFAULT_Y_RANGE, padding=0)
            return
        must_show = [*points]
        if self._tangent is not None and self._lines_shown:
            must_show.append(self._tangent.point)
        x_min, x_max = self.view_x_range()
        anchor = must_show[0] if must_show else 0.5 * (x_min + x_max)
        x_range = (x_min, x_max) if keep_x else fit_x_range(self._df, self._d2f, must_show, anchor)
        functions = [self._f] + ([self._df] if self._df is not None else [])
        y_range = fit_y_range(functions, x_range, FIT_SQUASH_LIMIT)
        self.setRange(xRange=x_range, yRange=y_range, padding=0)
        self.resample_now()

    def view_x_range(self) -> tuple[float, float]:
        """The visible x-range."""
        x_min, x_max = self._view_box.viewRange()[0]
        return float(x_min), float(x_max)

    # -- tangent and secant -------------------------------------------------------

    def set_tangent(self, tangent: Tangent | None) -> None:
        """Draw ``tangent`` across the view with its point; None hides both."""
        self._tangent = tangent
        if tangent is None:
            self.tangent_handle.setVisible(False)
        else:
            # Where f(a) is undefined the point stays at its height, so a drag
            # across a gap in the domain does not lose it.
            y = tangent.value if np.isfinite(tangent.value) else self._handle_point[1]
            self._place_handle(tangent.point, y)
            self.tangent_handle.setVisible(self._lines_shown)
        self._redraw_tangent()

    def set_secant(self, secant: Secant | None) -> None:
        """Draw ``secant`` with its rise and run; None hides it."""
        self.secant_overlay.set_secant(secant, self.view_x_range())

    # -- export -------------------------------------------------------------------

    def export_png(self, path: str, width: int | None = None) -> None:
        """Save the plot as a PNG image.

        Parameters
        ----------
        path
            Where to write the file.
        width
            Image width in pixels (the height keeps the plot's proportions); the
            plot's own size if None.

        Raises
        ------
        OSError
            If the image cannot be written.
        """
        if self._curves_stale:
            self._sample_curves(even_hidden=True)
        exporter = pyqtgraph.exporters.ImageExporter(self.getPlotItem())
        if width is not None:
            exporter.parameters()["width"] = max(int(width), 1)
        if not exporter.export(path):
            raise OSError(f"Could not write the image to {path}")

    # -- internals ----------------------------------------------------------------

    def _pixel_size(self) -> tuple[int, int]:
        scale = self.devicePixelRatioF()
        width = int(self._view_box.width() * scale)
        height = int(self._view_box.height() * scale)
        return max(width, _MIN_PIXELS), max(height, _MIN_PIXELS)

    def _sample_curves(self, *, even_hidden: bool = False) -> None:
        if not (even_hidden or self.isVisibleTo(self.window())):
            # Another lesson's view stands in the plot's place (the chain's graph): typing
            # there samples nothing here; the curves are sampled when the plot is shown.
            self._curves_stale = True
            return
        self._curves_stale = False
        self._sample_into(self.function_curve, self._f)
        self._sample_into(self.derivative_curve, self._df)
        self._sample_into(
            self.second_derivative_curve, self._d2f if self._second_derivative_visible else None
        )

    def _sample_into(self, curve: pg.PlotCurveItem, f: Evaluator | None) -> None:
        if f is None:
            clear_curve(curve)
            return
        (x_min, x_max), y_range = self._view_box.viewRange()
        width, height = self._pixel_size()
        try:
            xs, ys = sample_curve(f, x_min, x_max, width, tuple(y_range), pixel_height=height)
        except (ValueError, ArithmeticError):
            # A view range sampling cannot use (zoomed past float precision) or an
            # evaluator that fails: show nothing rather than a stale curve.
            clear_curve(curve)
            return
        curve.setData(xs, drawable(ys, tuple(y_range)))

    def _place_handle(self, x: float, y: float) -> None:
        self._handle_point = (x, y)
        self.tangent_handle.place(x, y)

    def _redraw_lines(self) -> None:
        self._redraw_tangent()
        self.secant_overlay.redraw(self.view_x_range())

    def _redraw_tangent(self) -> None:
        tangent = self._tangent
        if tangent is None or not (np.isfinite(tangent.slope) and np.isfinite(tangent.intercept)):
            clear_curve(self.tangent_line)
            return
        (x_min, x_max), y_range = self._view_box.viewRange()
        self.tangent_line.setData(*tangent.line(x_min, x_max, tuple(y_range)))

    def _update_legend(self) -> None:
        # Rebuilt when the curves listed change, so the entries keep their order; entries
        # that other overlays added (the descent paths) stay, after this plot's own.
        own = [
            self.function_curve,
            self.derivative_curve,
            self.second_derivative_curve,
            self.tangent_line,
            self.secant_overlay.line,
        ]
        others = [
            (sample.item, label.text)
            for sample, label in self.legend.items
            if sample.item not in own
        ]
        v = self._variable
        entries = [(self.function_curve, f"f({v})")]
        if self._derivative_shown:
            entries.append((self.derivative_curve, f"f′({v})"))
        if self._second_derivative_visible:
            entries.append((self.second_derivative_curve, f"f″({v})"))
        if self._lines_shown:
            entries += [(self.tangent_line, "tangent"), (self.secant_overlay.line, "secant")]
        set_legend_entries(self.legend, [*entries, *others])

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._curves_stale:
            self._sample_curves()

    def _on_view_changed(self, *_: object) -> None:
        self._resample_timer.start()

    def _on_handle_moved(self, handle: CurveHandle) -> None:
        # Only mouse drags arrive here (place() is silent): keep the point on f, and
        # announce only a new x (a drag's last event repeats the one before).
        previous_x, previous_y = self._handle_point
        x = float(handle.pos().x())
        y = value_at(self._f, x) if self._f is not None else float("nan")
        self._place_handle(x, y if np.isfinite(y) else previous_y)
        if x != previous_x:
            self.tangentDragged.emit(x)

    def _on_scene_clicked(self, event: MouseClickEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton or event.double():
            return
        # A click the legend or a handle took is theirs; marker dots (the descent ball) also
        # take clicks, but a click there still means "here".
        if event.isAccepted() and not isinstance(event.currentItem, pg.ScatterPlotItem):
            return
        if self.legend.isVisible() and self.legend.sceneBoundingRect().contains(event.scenePos()):
            # On the legend: a click on an entry's name toggles it like its line sample.
            for sample, label in self.legend.items:
                if label.sceneBoundingRect().contains(event.scenePos()):
                    sample.mouseClickEvent(event)
            return
        position = event.scenePos()
        if not self._view_box.sceneBoundingRect().contains(position):
            return
        self.plotClicked.emit(float(self._view_box.mapSceneToView(position).x()))


__all__ = ["DEFAULT_X_RANGE", "DEFAULT_Y_RANGE", "Evaluator", "PlotView"]
