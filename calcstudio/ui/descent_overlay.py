"""What gradient descent draws on the main plot: balls, trails, projections and slope lines.

The items are created once and updated every frame. They ignore the plot's auto-range, so a
run that heads off to 1e5 never zooms the curve away. What a frame costs grows with the
number of items it changes (each costs pyqtgraph about 0.1 ms to re-path and re-bound), so:

- the balls of all runs are one scatter item, one point per run;
- the per-point marks (the dots of the trail and the ticks on the w axis) are drawn once per
  screen pixel and only re-sent when a run reaches a new pixel: a long run mostly revisits
  the same few pixels, and rebuilding a scatter item is the dearest part of a frame;
- the dashed drop from the ball to the w axis is drawn for a single run only (in a race the
  ticks on the axis already show where each ball is).
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
BALL_PIXELS = 15
"""Diameter of a ball."""
_EMPTY = np.empty(0)

Path = tuple[np.ndarray, np.ndarray, Tangent | None]
"""One run as drawn: the visited w, f at each, and the tangent at the last (or None)."""


class RacerItems:
    """The plot items of one run (all but its ball), in one colour.

    Parameters
    ----------
    plot_item
        The plot to draw on.
    """

    def __init__(self, plot_item: pg.PlotItem) -> None:
        self.name = ""
        self.colour = "#000000"
        self.tangent: Tangent | None = None
        self.path: tuple[np.ndarray, np.ndarray] = (_EMPTY, _EMPTY)
        self.marks: tuple[np.ndarray, np.ndarray, np.ndarray, float] | None = None
        """The dots and ticks on show, as (dot w, dot f(w), tick w, tick height)."""
        # A 1 px pen keeps a 2,000-point trail cheap to paint (see DESIGN.md).
        self.trail = pg.PlotCurveItem(antialias=True)
        self.dots = pg.ScatterPlotItem(size=DOT_PIXELS, pen=None)
        self.projections = pg.PlotCurveItem(connect="pairs", antialias=False)
        self.drop = pg.PlotCurveItem()
        self.slope = pg.PlotCurveItem(antialias=True)
        self.items: tuple[pg.GraphicsObject, ...] = (
            self.trail,
            self.dots,
            self.projections,
            self.drop,
            self.slope,
        )
        for z, item in enumerate(self.items):
            item.setZValue(20 + z)
            plot_item.addItem(item, ignoreBounds=True)

    def set_colour(self, colour: str) -> None:
        """Draw every item of this run in ``colour``."""
        self.colour = colour
        self.trail.setPen(pg.mkPen(colour, width=1))
        self.dots.setBrush(pg.mkBrush(colour))
        self.projections.setPen(pg.mkPen(colour, width=1))
        self.drop.setPen(pg.mkPen(colour, width=1, style=Qt.PenStyle.DashLine))
        self.slope.setPen(pg.mkPen(colour, width=3))

    def clear(self) -> None:
        """Remove the data (the items stay, ready for the next run)."""
        for item in self.items:
            item.setData(_EMPTY, _EMPTY)
        self.tangent = None
        self.path = (_EMPTY, _EMPTY)
        self.marks = None


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
        self._ball_brushes: list[pg.QtGui.QBrush] = []
        self.balls = pg.ScatterPlotItem(size=BALL_PIXELS, pen=pg.mkPen("w", width=1.5))
        self.balls.setZValue(30)
        plot_item.addItem(self.balls, ignoreBounds=True)
        # The slope line keeps its on-screen length when the learner zooms.
        plot_item.getViewBox().sigRangeChanged.connect(self._on_range_changed)
        plot_item.getViewBox().sigResized.connect(self._on_range_changed)

    @property
    def active(self) -> list[RacerItems]:
        """The racers of the current runs, in order."""
        return [racer for racer in self.racers if racer.name]

    def show_runs(self, names: Sequence[str], colours: Sequence[str]) -> None:
        """Prepare one set of items per run (hiding the rest) and name them in the legend."""
        while len(self.racers) < len(names):
            self.racers.append(RacerItems(self.plot_item))
        for index, racer in enumerate(self.racers):
            racer.clear()
            racer.name = names[index] if index < len(names) else ""
            if racer.name:
                racer.set_colour(colours[index])
        self._ball_brushes = [pg.mkBrush(colour) for colour in colours[: len(names)]]
        self.balls.setData(_EMPTY, _EMPTY)
        self._show_racers()

    def set_shown(self, shown: bool) -> None:
        """Show or hide every run's items and legend entries (their data is kept)."""
        self.shown = shown
        self._show_racers()

    def clear(self) -> None:
        """Remove every run from the plot."""
        self.show_runs([], [])

    def set_paths(self, paths: Sequence[Path]) -> None:
        """Draw each run: its points ``(w, f(w))``, its ball at the last one, its slope line.

        Parameters
        ----------
        paths
            One ``(w, values, tangent)`` per run, in the order of :meth:`show_runs`: the
            visited points and the loss at each (finite numbers only), and the tangent at
            the last point, or None to draw no slope line.
        """
        racers = self.active
        for racer, (w, values, tangent) in zip(racers, paths, strict=True):
            racer.path = (w, values)
            racer.tangent = tangent
            self._draw_marks(racer)
            racer.drop.setData([w[-1], w[-1]], [values[-1], 0.0])
            self._draw_slope(racer)
        self.balls.setData(
            [float(w[-1]) for w, _, _ in paths],
            [float(values[-1]) for _, values, _ in paths],
            brush=self._ball_brushes,
        )

    def ball_positions(self) -> list[tuple[float, float]]:
        """Where each run's ball is, in run order."""
        xs, ys = self.balls.getData()
        return [(float(x), float(y)) for x, y in zip(xs, ys, strict=True)]

    # --- internals ----------------------------------------------------------

    def _show_racers(self) -> None:
        legend = self.plot_item.legend
        single = len(self.active) == 1
        for racer in self.racers:
            visible = self.shown and bool(racer.name)
            for item in racer.items:
                item.setVisible(visible and (item is not racer.drop or single))
            if legend is not None:
                legend.removeItem(racer.trail)
                if visible:
                    legend.addItem(racer.trail, racer.name)
        self.balls.setVisible(self.shown)

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
            racer.marks = None
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
        ticks = np.unique(columns, return_index=True)[1]
        tick = TICK_PIXELS * y_per_pixel
        marks = (w[dots], values[dots], w[ticks], tick)
        if racer.marks is not None and all(
            np.array_equal(new, old) for new, old in zip(marks, racer.marks, strict=True)
        ):
            return
        racer.marks = marks
        racer.dots.setData(marks[0], marks[1])
        racer.projections.setData(np.repeat(marks[2], 2), np.tile([-tick, tick], len(ticks)))

    def _on_range_changed(self, *_args: object) -> None:
        for racer in self.active:
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
