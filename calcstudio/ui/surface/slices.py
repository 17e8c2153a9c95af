"""Partial derivatives as slices: L along w1 with w2 held, and along w2 with w1 held.

Each slice is an ordinary curve of one variable, and its tangent at the point has the
partial derivative as its slope: "hold the others constant", seen.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QVBoxLayout, QWidget

from calcstudio.core.optimize.base import format_parameter
from calcstudio.core.surface.fields import Surface
from calcstudio.ui.widgets import palette
from calcstudio.ui.widgets.axes import coarse_ticks, plain_axes
from calcstudio.ui.widgets.live_text import LiveText
from calcstudio.ui.widgets.plot_items import clear_curve, make_curve, make_line, make_marker

SAMPLES = 400
"""Points along each slice."""
TANGENT_SHARE = 0.2
"""The tangent reaches this share of the slice's width either side of the point."""


class SlicePlot(QWidget):
    """One slice: L along one variable with the other held, and its tangent.

    Parameters
    ----------
    axis
        0 for the slice along w1 (w2 held), 1 for the slice along w2 (w1 held).
    """

    def __init__(self, axis: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.axis = axis
        self.title = LiveText()  # changes on every drag: no re-layout of the window
        self.title.set_colour(palette.MUTED)
        self.plot = pg.PlotWidget(enableMenu=False)  # not built: no context menu
        self.plot.setBackground("w")
        self.plot.hideButtons()
        self.plot.setMinimumHeight(120)
        self.plot.setMouseEnabled(False, False)
        plain_axes(self.plot.getPlotItem())
        coarse_ticks(self.plot.getPlotItem())  # a slice re-ranges on a third of a drag's moves
        # Plain items, as on the function plot: a dragged point redraws both slices, and a
        # PlotDataItem's bookkeeping and a one-point ScatterPlotItem were a fifth of that.
        self.curve = make_curve(palette.FUNCTION)
        self.tangent = make_line(palette.TANGENT)
        self.marker = make_marker(palette.TANGENT, outline="k")
        for item in (self.curve, self.tangent, self.marker):
            self.plot.addItem(item)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.plot, 1)

    def show_slice(
        self,
        function: Surface,
        point: tuple[float, float],
        value: float,
        slope: float,
        span: tuple[float, float],
    ) -> None:
        """Draw L through ``point`` along this slice's variable over ``span``, with its tangent.

        Parameters
        ----------
        function
            The surface.
        point
            ``(w1, w2)``.
        value, slope
            L and the partial derivative along this slice's variable at ``point``.
        span
            The range of this slice's variable (the map's range along it).
        """
        names = function.variables
        moving, held = names[self.axis], names[1 - self.axis]
        held_value = point[1 - self.axis]
        t = np.linspace(span[0], span[1], SAMPLES)
        other = np.full_like(t, held_value)
        values = function.value(t, other) if self.axis == 0 else function.value(other, t)
        self.curve.setData(t, values)
        if self.plot.getAxis("bottom").labelText != moving:  # re-lays out the axis: rarely
            self.plot.setLabel("bottom", moving)
        at = point[self.axis]
        self.title.set_text(
            f"L along {moving} with {held} = {format_parameter(held_value)} held: "
            f"slope ∂L/∂{moving} = {format_parameter(slope)}"
        )
        if np.isfinite(value) and np.isfinite(slope):
            reach = TANGENT_SHARE * (span[1] - span[0])
            xs = np.array([at - reach, at + reach])
            self.tangent.setData(xs, value + slope * (xs - at))
            self.marker.setPos(at, value)
            self.marker.show()
        else:
            clear_curve(self.tangent)
            self.marker.hide()
        finite = values[np.isfinite(values)]
        if finite.size:
            self._fit(span, float(finite.min()), float(finite.max()))

    def _fit(self, span: tuple[float, float], low: float, high: float) -> None:
        """Frame the slice; the axes move only when the curve leaves them or shrinks to
        less than half of them, so a drag does not redraw both axes at every move."""
        (x0, x1), (y0, y1) = self.plot.getViewBox().viewRange()
        inside = y0 <= low and high <= y1 and (high - low) > 0.5 * (y1 - y0)
        if inside and (x0, x1) == tuple(span):
            return
        margin = max(0.08 * (high - low), 1e-9)
        self.plot.setRange(xRange=span, yRange=(low - margin, high + margin), padding=0)


class Slices:
    """The two slices through the point (the view lays them out)."""

    def __init__(self) -> None:
        self.along_first = SlicePlot(0)
        self.along_second = SlicePlot(1)

    def show_point(
        self,
        function: Surface,
        point: tuple[float, float],
        value: float,
        gradient: np.ndarray,
        ranges: tuple[tuple[float, float], tuple[float, float]],
    ) -> None:
        """Draw both slices through ``point``, with tangents of slopes ``gradient``."""
        self.along_first.show_slice(function, point, value, float(gradient[0]), ranges[0])
        self.along_second.show_slice(function, point, value, float(gradient[1]), ranges[1])
