"""What gradient descent draws on the main plot: ball, trail, projections and slope line.

The items are created once per racer and updated every frame. They ignore the plot's
auto-range, so a run that heads off to 1e5 never zooms the curve away. The per-point
marks (the dots of the trail and the ticks on the w axis) are drawn once per screen
pixel: a scatter item keeps a Python record per point, and rebuilding 2,000 of them cost
about 4 ms a frame, while a long run mostly revisits the same few pixels.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt

from calcstudio.core.calculus import Tangent

SLOPE_LINE_PIXELS = 70.0
"""Half the length of the slope line, in screen pixels, whatever the zoom."""
SLOPE_LINE_FRACTION = 0.08
"""Half-width of the slope line as a share of the view's width when pixels are unknown."""
TICK_PIXELS = 6.0
"""Half the height of a projection tick on the w axis, in screen pixels."""
DOT_PIXELS = 5
"""Diameter of the dots marking the visited points."""
_EMPTY = np.empty(0)


class RacerItems:
    """The plot items of one run, in one colour.

    Parameters
    ----------
    plot_item
        The plot to draw on.
    colour
        The run's colour.
    """

    def __init__(self, plot_item: pg.PlotItem, colour: str) -> None:
        self.plot_item = plot_item
        self.name = ""
        self.tangent: Tangent | None = None
        self.path: tuple[np.ndarray, np.ndarray] = (_EMPTY, _EMPTY)
        # A 1 px pen keeps a 2,000-point trail cheap to paint (see DESIGN.md).
        self.trail = pg.PlotCurveItem(pen=pg.mkPen(colour, width=1), antialias=True)
        self.dots = pg.ScatterPlotItem(size=DOT_PIXELS, pen=None, brush=pg.mkBrush(colour))
        self.projections = pg.PlotCurveItem(
            pen=pg.mkPen(colour, width=1), connect="pairs", antialias=False
        )
        self.drop = pg.PlotCurveItem(pen=pg.mkPen(colour, width=1, style=Qt.PenStyle.DashLine))
        self.slope = pg.PlotCurveItem(pen=pg.mkPen(colour, width=3), antialias=True)
        self.ball = pg.ScatterPlotItem(
            size=15, pen=pg.mkPen("w", width=1.5), brush=pg.mkBrush(colour)
        )
        self.items: tuple[pg.GraphicsObject, ...] = (
            self.trail,
            self.dots,
            self.projections,
            self.drop,
            self.slope,
            self.ball,
        )
        for z, item in enumerate(self.items):
            item.setZValue(20 + z)
            plot_item.addItem(item, ignoreBounds=True)

    def set_visible(self, visible: bool) -> None:
        """Show or hide every item of this run."""
        for item in self.items:
            item.setVisible(visible)

    def clear(self) -> None:
        """Remove the data (the items stay, ready for the next run)."""
        self.trail.setData(_EMPTY, _EMPTY)
        self.dots.setData(_EMPTY, _EMPTY)
        self.projections.setData(_EMPTY, _EMPTY)
        self.drop.setData(_EMPTY, _EMPTY)
        self.slope.setData(_EMPTY, _EMPTY)
        self.ball.setData(_EMPTY, _EMPTY)
        self.tangent = None
        self.path = (_EMPTY, _EMPTY)


class DescentOverlay:
    """Balls, trails, projections on the w axis and slope lines of one or more runs.

    Parameters
    ----------
    plot_item
        The main plot's PlotItem; the overlay adds its items to it.
    """

    def __init__(self, plot_item: pg.PlotItem) -> None:
        self.plot_item = plot_item
        self.racers: list[RacerItems] = []
        self.shown = True
        # The slope line keeps its on-screen length when the learner zooms.
        plot_item.getViewBox().sigRangeChanged.connect(self._on_range_changed)
        plot_item.getViewBox().sigResized.connect(self._on_range_changed)

    def show_runs(self, names: Sequence[str], colours: Sequence[str]) -> None:
        """Prepare one set of items per run (hiding the rest) and name them in the legend."""
        while len(self.racers) < len(names):
            self.racers.append(RacerItems(self.plot_item, colours[len(self.racers)]))
        for index, racer in enumerate(self.racers):
            used = index < len(names)
            racer.clear()
            if used:
                self._recolour(racer, colours[index])
            racer.name = names[index] if used else ""
        self._show_racers()

    def set_shown(self, shown: bool) -> None:
        """Show or hide every run's items and legend entries (their data is kept)."""
        self.shown = shown
        self._show_racers()

    def _show_racers(self) -> None:
        legend = self.plot_item.legend
        for racer in self.racers:
            visible = self.shown and bool(racer.name)
            racer.set_visible(visible)
            if legend is not None:
                legend.removeItem(racer.trail)
                if visible:
                    legend.addItem(racer.trail, racer.name)

    def clear(self) -> None:
        """Remove every run from the plot."""
        self.show_runs([], [])

    def set_path(
        self, index: int, w: np.ndarray, values: np.ndarray, tangent: Tangent | None
    ) -> None:
        """Draw run ``index``: its points ``(w, f(w))``, the ball at the last one, and its slope.

        Parameters
        ----------
        index
            Which run.
        w, values
            The visited points and the loss at each (finite numbers only).
        tangent
            The tangent at the last point, or None to draw no slope line.
        """
        racer = self.racers[index]
        w_now, f_now = float(w[-1]), float(values[-1])
        racer.path = (w, values)
        self._draw_marks(racer)
        racer.drop.setData([w_now, w_now], [f_now, 0.0])
        racer.ball.setData([w_now], [f_now])
        racer.tangent = tangent
        self._draw_slope(racer)

    def _draw_slope(self, racer: RacerItems) -> None:
        tangent = racer.tangent
        if tangent is None or not np.isfinite(tangent.slope):
            racer.slope.setData(_EMPTY, _EMPTY)
            return
        half = self._slope_half_width(tangent.slope)
        racer.slope.setData(*tangent.line(tangent.point - half, tangent.point + half))

    def _draw_marks(self, racer: RacerItems) -> None:
        """The trail, dots at the visited points and ticks below them, once per screen pixel.

        A long run piles hundreds of points onto the same few pixels; drawing each pixel
        once keeps the cost bounded by the plot's size rather than by the run's length.
        """
        w, values = racer.path
        x_per_pixel, y_per_pixel = self._pixel_size()
        if not (x_per_pixel > 0 and y_per_pixel > 0):
            racer.trail.setData(w, values)
            racer.dots.setData(w, values)
            racer.projections.setData(_EMPTY, _EMPTY)
            return
        with np.errstate(all="ignore"):
            columns = np.round(w / x_per_pixel)
            rows = np.round(values / y_per_pixel)
        # Consecutive points in the same pixel add nothing to the line; keep the last one.
        moved = np.ones(len(w), dtype=bool)
        moved[:-1] = (columns[1:] != columns[:-1]) | (rows[1:] != rows[:-1])
        racer.trail.setData(w[moved], values[moved])
        pixels = (columns - columns.min()) * (rows.max() - rows.min() + 1) + (rows - rows.min())
        dots = np.unique(pixels, return_index=True)[1]
        racer.dots.setData(w[dots], values[dots])
        ticks_w = w[np.unique(columns, return_index=True)[1]]
        tick = TICK_PIXELS * y_per_pixel
        racer.projections.setData(np.repeat(ticks_w, 2), np.tile([-tick, tick], len(ticks_w)))

    def _on_range_changed(self, *_args: object) -> None:
        for racer in self.racers:
            if racer.tangent is not None:
                self._draw_slope(racer)
            if len(racer.path[0]):
                self._draw_marks(racer)

    def _slope_half_width(self, slope: float) -> float:
        """How far either side of the ball the slope line reaches, so it looks the same length."""
        x_per_pixel, y_per_pixel = self._pixel_size()
        if x_per_pixel > 0 and y_per_pixel > 0:
            return SLOPE_LINE_PIXELS / float(np.hypot(1.0 / x_per_pixel, slope / y_per_pixel))
        (x_min, x_max), _ = self.plot_item.getViewBox().viewRange()
        return SLOPE_LINE_FRACTION * (x_max - x_min)

    def _pixel_size(self) -> tuple[float, float]:
        """Data units per screen pixel in x and y (0 before the plot has a size).

        Read from the range and the size, not ``viewPixelSize()``: while the range is
        changing the view's transform is not yet updated.
        """
        view = self.plot_item.getViewBox()
        (x_min, x_max), (y_min, y_max) = view.viewRange()
        width, height = float(view.width()), float(view.height())
        if width <= 0 or height <= 0:
            return 0.0, 0.0
        return (x_max - x_min) / width, (y_max - y_min) / height

    @staticmethod
    def _recolour(racer: RacerItems, colour: str) -> None:
        racer.trail.setPen(pg.mkPen(colour, width=1))
        racer.dots.setBrush(pg.mkBrush(colour))
        racer.projections.setPen(pg.mkPen(colour, width=1))
        racer.drop.setPen(pg.mkPen(colour, width=1, style=Qt.PenStyle.DashLine))
        racer.slope.setPen(pg.mkPen(colour, width=3))
        racer.ball.setBrush(pg.mkBrush(colour))
