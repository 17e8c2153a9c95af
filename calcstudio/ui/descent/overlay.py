"""What gradient descent draws on the main plot: balls, trails, projections and slope lines.

Everything is updated every animation frame, and what a frame costs grows with the number of
pyqtgraph items it changes (each costs about 0.15 ms to re-path, re-bound and repaint, so a
race of seven runs with six items each spent more than the 8 ms budget on that alone). So
the overlay is one item, whatever the number of runs: it paints every run's line work
(trail, ticks on the w axis, drop to the axis, slope line), dots and ball, each run in its
colour, with one QPainter call per path. A trail is kept per screen pixel by
:class:`~calcstudio.ui.descent.trail.PixelTrail` (each pixel-to-pixel segment once, a dot per
few pixels, a tick per column), which looks only at the steps added since the last frame:
a frame costs the same at 100 steps and at 100,000.

The item takes no part in the plot's auto-range, so a run that heads off to 1e5 never zooms
the curve away. A frame asks Qt to repaint only what moved (the old and new balls, slope lines
and the trail's new pixels), not the whole box around the trails: everything under that box,
the curves and the grid, would be painted again each frame. The box itself grows in generous
steps, so a ball walking out of it does not make every frame a full repaint.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QPainterPath, QPen, QPolygonF

from calcstudio.core.calculus import Tangent
from calcstudio.ui.descent.layer import DescentLayer
from calcstudio.ui.descent.trail import PixelTrail
from calcstudio.ui.widgets.plot_items import fit_legend_columns
from calcstudio.ui.widgets.view_pixels import pixel_size

SLOPE_LINE_PIXELS = 70.0
"""Half the length of the slope line, in screen pixels, whatever the zoom."""
SLOPE_LINE_FRACTION = 0.08
"""Half-width of the slope line as a share of the view's width when pixels are unknown."""
TICK_PIXELS = 6.0
"""Half the height of a projection tick on the w axis, in screen pixels."""
DOT_PIXELS = 5
"""Diameter of the dots marking the visited points."""
DOT_SPACING = 4
"""At most one dot per square of this many pixels."""
_EMPTY = np.empty(0)

Path = tuple[np.ndarray, np.ndarray, Tangent | None]
"""One run as drawn: the visited w, f at each, and the tangent at the last (or None)."""


def _pairs_path(xs: Sequence[float] | np.ndarray, ys: Sequence[float] | np.ndarray) -> QPainterPath:
    """Separate line segments, each from an even-indexed point to the next."""
    if len(xs) == 0:
        return QPainterPath()
    return pg.arrayToQPath(np.asarray(xs, dtype=float), np.asarray(ys, dtype=float), "pairs")


def _segment_path(x_start: float, x_end: float, line: Tangent) -> QPainterPath:
    """The piece of ``line`` over ``[x_start, x_end]``, or nothing where it is not finite.

    Built directly: ``arrayToQPath`` cost about 70 µs a racer a frame for two points."""
    y_start, y_end = line.slope * x_start + line.intercept, line.slope * x_end + line.intercept
    if not all(map(math.isfinite, (x_start, y_start, x_end, y_end))):
        return QPainterPath()
    path = QPainterPath(QPointF(x_start, y_start))
    path.lineTo(x_end, y_end)
    return path


@dataclass
class Racer:
    """One run as the overlay draws it."""

    name: str
    colour: str
    sample: pg.PlotDataItem
    """Stands in for the run in the legend (a click there hides or shows the run)."""
    brush: QBrush
    """The ball's fill."""
    dot_pen: QPen
    """A round pen as wide as a dot: the dots are points drawn with it."""
    line_pen: QPen
    """The trail's and the ticks' pen (1 px)."""
    slope_pen: QPen
    """The slope line's pen (3 px)."""
    drop_pen: QPen
    """The dashed drop from a single run's ball to the axis."""
    w: np.ndarray = field(default_factory=lambda: _EMPTY)
    values: np.ndarray = field(default_factory=lambda: _EMPTY)
    tangent: Tangent | None = None
    trail: QPainterPath = field(default_factory=QPainterPath)
    ticks: QPainterPath = field(default_factory=QPainterPath)
    slope: QPainterPath = field(default_factory=QPainterPath)
    dots: QPolygonF = field(default_factory=QPolygonF)
    pixels: PixelTrail = field(default_factory=lambda: PixelTrail(DOT_SPACING))
    """What of the trail the pixels can show; the paths are rebuilt when it changes."""
    marks: list[QRectF] = field(default_factory=list)
    """Where the ball and the slope line are drawn (see ``DescentOverlay._marks_rects``)."""

    @property
    def shown(self) -> bool:
        """False once the learner has hidden the run by clicking it in the legend."""
        return self.sample.isVisible()


class DescentOverlay:
    """Balls, trails, projections on the w axis and slope lines of one or more runs.

    Parameters
    ----------
    plot_item
        The main plot's PlotItem; the overlay adds its items to it.
    """

    def __init__(self, plot_item: pg.PlotItem) -> None:
        self.plot_item = plot_item
        self.racers: list[Racer] = []
        self.shown = True
        self.runToggled: Callable[[int, bool], None] | None = None
        """Called with a run's index and whether it is shown, when the legend toggles it."""
        self.layer = DescentLayer()
        self.layer.setZValue(20)
        plot_item.addItem(self.layer, ignoreBounds=True)
        # The slope lines and ticks keep their on-screen size when the learner zooms.
        plot_item.getViewBox().sigRangeChanged.connect(self._on_range_changed)
        plot_item.getViewBox().sigResized.connect(self._on_range_changed)

    def show_runs(self, names: Sequence[str], colours: Sequence[str]) -> None:
        """Start afresh with one run per name, each in its colour, named in the legend."""
        legend = self.plot_item.legend
        for racer in self.racers:
            if legend is not None:
                legend.removeItem(racer.sample)
        self.racers = []
        for index, (name, colour) in enumerate(zip(names, colours, strict=True)):
            sample = pg.PlotDataItem(pen=pg.mkPen(colour, width=2))
            sample.visibleChanged.connect(lambda index=index: self._on_toggled(index))
            dot_pen = QPen(QColor(colour), DOT_PIXELS)
            dot_pen.setCapStyle(Qt.PenCapStyle.RoundCap)
            dot_pen.setCosmetic(True)
            pens = (
                pg.mkPen(colour, width=1),
                pg.mkPen(colour, width=3),
                pg.mkPen(colour, width=1, style=Qt.PenStyle.DashLine),
            )
            self.racers.append(Racer(name, colour, sample, pg.mkBrush(colour), dot_pen, *pens))
        self._show_legend()
        self._draw()

    def _on_toggled(self, index: int) -> None:
        """A click on a run's legend entry hid or showed it."""
        self._draw()
        if self.runToggled is not None:
            self.runToggled(index, self.racers[index].shown)

    def set_shown(self, shown: bool) -> None:
        """Show or hide every run's items and legend entries (their data is kept)."""
        self.shown = shown
        self.layer.setVisible(shown)
        self._show_legend()

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
        pixel = self._pixel_size()
        trails: list[QRectF] = []
        marks: list[QRectF] = []
        for racer, (w, values, tangent) in zip(self.racers, paths, strict=True):
            marks += racer.marks  # where they were
            racer.w, racer.values, racer.tangent = w, values, tangent
            trails += self._trace(racer, pixel)
            racer.slope = self._slope_path(tangent, pixel)
            racer.marks = self._marks_rects(racer)
            marks += racer.marks  # where they are now
        self._draw(changed=(trails, marks))

    def ball_positions(self) -> list[tuple[float, float]]:
        """Where each run's ball is, in run order."""
        return [(float(r.w[-1]), float(r.values[-1])) for r in self.racers if r.w.size]

    # --- internals ----------------------------------------------------------

    def _show_legend(self) -> None:
        legend = self.plot_item.legend
        if legend is None:
            return
        for racer in self.racers:
            legend.removeItem(racer.sample)
            if self.shown:
                legend.addItem(racer.sample, racer.name)
        fit_legend_columns(legend)

    def _marks_rects(self, racer: Racer) -> list[QRectF]:
        """Where the racer's ball, slope line and (for a single run) drop to the axis are,
        in data coordinates."""
        if not racer.w.size:
            return []
        x, y = float(racer.w[-1]), float(racer.values[-1])
        low = min(y, 0.0) if len(self.racers) == 1 else y
        ball = QRectF(QPointF(x, low), QPointF(x, max(y, low)))
        return [ball, racer.slope.controlPointRect()]

    def _draw(self, *_: object, changed: tuple[list[QRectF], list[QRectF]] | None = None) -> None:
        """Hand the current paths, dots and balls of the shown runs to the layer.

        ``changed``: where the trails and where the moving marks changed (None: anywhere)."""
        shown = [racer for racer in self.racers if racer.shown and racer.w.size]
        single = len(self.racers) == 1
        strokes = [(racer.trail, racer.line_pen, True) for racer in shown]
        strokes += [(racer.ticks, racer.line_pen, False) for racer in shown]
        if single:  # in a race the ticks on the axis say where each ball is
            for racer in shown:
                drop = pg.arrayToQPath(
                    np.array([racer.w[-1], racer.w[-1]]), np.array([racer.values[-1], 0.0])
                )
                strokes.append((drop, racer.drop_pen, False))
        strokes += [(racer.slope, racer.slope_pen, True) for racer in shown]
        self.layer.set_contents(
            strokes,
            [(racer.dots, racer.dot_pen) for racer in shown],
            [(QPointF(float(r.w[-1]), float(r.values[-1])), r.brush) for r in shown],
            2 * len(shown),
            changed,
        )

    def _trace(self, racer: Racer, pixel: tuple[float, float]) -> list[QRectF]:
        """The trail, the dots and the ticks of ``racer``, once per screen pixel.

        Returns where they changed (data coordinates; none if they did not)."""
        w, values = racer.w, racer.values
        x_per_pixel, y_per_pixel = pixel
        before = self._trail_rect(racer)
        if not (x_per_pixel > 0 and y_per_pixel > 0):  # before the first layout
            racer.trail = pg.arrayToQPath(w, values)
            racer.dots = pg.functions.arrayToQPolygonF(w, values)
            racer.ticks = QPainterPath()
            racer.pixels.clear()
            return [before, self._trail_rect(racer)]
        kept = racer.pixels
        counts = (len(kept.segment_x), len(kept.dot_x), len(kept.tick_x))
        if not kept.update(w, values, pixel):
            return []
        self._build_trail(racer, y_per_pixel)
        if kept.restarted:
            return [before, self._trail_rect(racer)]
        tick = TICK_PIXELS * y_per_pixel
        added = [
            (kept.segment_x[counts[0] :], kept.segment_y[counts[0] :]),
            (kept.dot_x[counts[1] :], kept.dot_y[counts[1] :]),
            (kept.tick_x[counts[2] :], [-tick, tick] if len(kept.tick_x) > counts[2] else []),
        ]
        return [
            QRectF(QPointF(min(xs), min(ys)), QPointF(max(xs), max(ys)))
            for xs, ys in added
            if xs and ys
        ]

    @staticmethod
    def _trail_rect(racer: Racer) -> QRectF:
        return (
            racer.trail.controlPointRect()
            .united(racer.dots.boundingRect())
            .united(racer.ticks.controlPointRect())
        )

    def _build_trail(self, racer: Racer, y_per_pixel: float) -> None:
        """The racer's paths from what its :class:`PixelTrail` keeps."""
        kept = racer.pixels
        racer.trail = _pairs_path(kept.segment_x, kept.segment_y)
        racer.dots = pg.functions.arrayToQPolygonF(np.array(kept.dot_x), np.array(kept.dot_y))
        tick = TICK_PIXELS * y_per_pixel
        racer.ticks = _pairs_path(
            np.repeat(kept.tick_x, 2), np.tile([-tick, tick], len(kept.tick_x))
        )

    def _slope_path(self, tangent: Tangent | None, pixel: tuple[float, float]) -> QPainterPath:
        if tangent is None or not np.isfinite(tangent.slope):
            return QPainterPath()
        half = self._slope_half_width(tangent.slope, pixel)
        return _segment_path(tangent.point - half, tangent.point + half, tangent)

    def _on_range_changed(self, *_args: object) -> None:
        pixel = self._pixel_size()
        for racer in self.racers:
            if racer.w.size:
                self._trace(racer, pixel)
                racer.slope = self._slope_path(racer.tangent, pixel)
                racer.marks = self._marks_rects(racer)
        self._draw()

    def _slope_half_width(self, slope: float, pixel: tuple[float, float]) -> float:
        """How far either side of the ball the slope line reaches, so it looks the same length
        (``pixel``: data units per pixel, see :meth:`_pixel_size`)."""
        x_per_pixel, y_per_pixel = pixel
        if x_per_pixel > 0 and y_per_pixel > 0:
            return SLOPE_LINE_PIXELS / float(np.hypot(1.0 / x_per_pixel, slope / y_per_pixel))
        (x_min, x_max), _ = self.plot_item.getViewBox().viewRange()
        return SLOPE_LINE_FRACTION * (x_max - x_min)

    def _pixel_size(self) -> tuple[float, float]:
        """Data units per screen pixel in x and y (0 before the plot has a size)."""
        return pixel_size(self.plot_item.getViewBox())
