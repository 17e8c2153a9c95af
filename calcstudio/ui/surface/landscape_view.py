"""The map of L(w1, w2): filled contours, labelled lines, a colour bar, the point and paths.

Everything drawn here is computed in :mod:`calcstudio.core.surface`; the view only paints it.
The filled contours are one opaque image of band colours (:class:`BandImage`), the lines one
NaN-separated curve (traced by :mod:`calcstudio.core.surface.isolines`, or a line fit's exact
ellipses), the labels one item (:class:`LevelLabels`), all re-computed for the view after every
pan or zoom; the colour bar and the axis names change only when the levels or the variables do.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence

import numpy as np
import pyqtgraph as pg
from pyqtgraph.GraphicsScene.mouseEvents import MouseClickEvent
from PySide6.QtCore import QPoint, QPointF, QRectF, Qt, Signal
from PySide6.QtWidgets import QGraphicsView, QWidget

from calcstudio.core.surface.critical import CriticalPoint
from calcstudio.core.surface.landscape import LEVEL_COUNT, Field, Landscape, grid_size, landscape
from calcstudio.ui.surface.bands import UNDEFINED, BandImage, band_colours
from calcstudio.ui.surface.contour_curve import ContourCurve
from calcstudio.ui.surface.level_labels import LevelLabels, level_text
from calcstudio.ui.surface.map_paths import PixelPaths
from calcstudio.ui.widgets import palette
from calcstudio.ui.widgets.axes import coarse_ticks, plain_axes
from calcstudio.ui.widgets.plot_items import cache_as_pixmaps
from calcstudio.ui.widgets.quick_curve import QuickCurve, QuickScatter
from calcstudio.ui.widgets.spots import move_spots, place_spots, shift_spots
from calcstudio.ui.widgets.still_cache import PixmapsWhenStill
from calcstudio.ui.widgets.tick_axis import TickAxis

GRADIENT = "#b2182b"
"""The gradient arrow ∇L: dark red."""
STEEPEST = "#2166ac"
"""The steepest-descent arrow −∇L: dark blue."""
POINT = palette.TANGENT
"""The point the learner drags (the tangent colour, as on the one-variable plot)."""
SYMBOLS = {"minimum": "o", "maximum": "t1", "saddle": "x", "degenerate": "d"}
"""How each kind of critical point is marked."""
ARROW_SHARE = 0.18
"""The gradient arrows are this share of the view's width long (their size is in the readout)."""


def arrow(tail: np.ndarray, vector: np.ndarray) -> np.ndarray:
    """Points of an arrow from ``tail`` along ``vector``: shaft, then the two barbs of its head."""
    tip = tail + vector
    back = -0.22 * vector
    side = np.array([-back[1], back[0]]) * 0.55
    return np.array([tail, tip, [np.nan, np.nan], tip + back + side, tip, tip + back - side])


def _levels_in_view(view: Landscape) -> bool:
    """Whether at least two of the view's levels (or all, if fewer) lie inside its range of L."""
    highest = int(view.bands.max())
    if highest != UNDEFINED:
        # L is defined everywhere: the bands already count the levels below each point, so
        # those between the least and the greatest L are read off them (a uint8 pass, not
        # two over the values; a level exactly at the least L counts as inside).
        inside = highest - int(view.bands.min())
    else:
        with np.errstate(invalid="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # a view where L is undefined
            low, high = np.nanmin(view.values), np.nanmax(view.values)
        inside = np.count_nonzero((view.levels > low) & (view.levels < high))
    return inside >= min(2, len(view.levels))


class LandscapeView(pg.GraphicsLayoutWidget):
    """The map of a surface, with a colour bar on its right.

    Signals
    -------
    pointDragged(float, float)
        The learner dragged the point to ``(w1, w2)``.
    mapClicked(float, float)
        The learner clicked the map at ``(w1, w2)`` (not on the point).
    viewChanged()
        The landscape was re-computed for a new view.
    """

    pointDragged = Signal(float, float)
    mapClicked = Signal(float, float)
    viewChanged = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setBackground("w")
        # One rectangle around all that changed is repainted, not a region of several: a new
        # landscape, a drag or a descent frame changes most of the map anyway, and Qt clips
        # every line drawn to each rectangle of a region.
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.BoundingRectViewportUpdate)
        self.surface: Field | None = None
        self.current: Landscape | None = None
        self.plot: pg.PlotItem = self.addPlot(
            row=0,
            col=0,
            axisItems={side: TickAxis(side) for side in ("bottom", "left")},
            enableMenu=False,  # not built: no context menu
        )
        self.plot.hideButtons()
        self.plot.setAspectLocked(True)  # so ∇L is drawn perpendicular to the contour lines
        plain_axes(self.plot)
        self.plot.showGrid(x=False, y=False)
        coarse_ticks(self.plot)
        self.image = BandImage()
        self.image.setZValue(-10)
        self.plot.addItem(self.image)
        self.lines = ContourCurve(pg.mkPen("#303030", width=1))
        self.plot.addItem(self.lines)
        self.labels = LevelLabels()
        self.labels.setZValue(4)
        self.plot.addItem(self.labels, ignoreBounds=True)
        self.legend = self.plot.addLegend(offset=(8, 8), labelTextSize="9pt")
        self.legend.setBrush(pg.mkBrush(255, 255, 255, 220))
        self.critical = QuickScatter(size=11, pen=pg.mkPen("k", width=1.5))
        self.critical.setZValue(5)
        self.plot.addItem(self.critical)
        self.paths: list[pg.PlotCurveItem] = []
        self.pixel_paths = PixelPaths(self.plot.getViewBox())
        self.balls = QuickScatter(size=11, pen=pg.mkPen("w", width=1.5))
        self.balls.setZValue(20)
        self.plot.addItem(self.balls)
        self.start_marker = QuickScatter(
            size=12, symbol="s", pen=pg.mkPen("k", width=1.5), brush=pg.mkBrush("w")
        )
        self.plot.addItem(self.start_marker)
        # Kept as pixmaps: the map repaints whole under a drag or a race, and a few markers
        # that stay put cost a scatter plot's paint (0.3 ms each) every time.
        cache_as_pixmaps(self.start_marker, self.critical)
        self.gradient_arrow = QuickCurve(pen=pg.mkPen(GRADIENT, width=3))
        self.steepest_arrow = QuickCurve(pen=pg.mkPen(STEEPEST, width=3))
        for item, name in ((self.gradient_arrow, "∇L"), (self.steepest_arrow, "−∇L")):
            item.setZValue(15)
            self.plot.addItem(item)
            self.legend.addItem(item, f"{name} (direction)")
        self.field = QuickCurve(pen=pg.mkPen("#ffffff", width=1), connect="finite")
        self.field.setZValue(1)
        self.plot.addItem(self.field)
        self.point = pg.TargetItem(
            pos=(1.0, -2.0), size=14, symbol="o", pen=pg.mkPen("k", width=1.5), brush=POINT
        )
        self.point.setZValue(30)
        self.plot.addItem(self.point)
        self.bar: pg.PlotItem = self.addPlot(row=0, col=1, axisItems={"right": TickAxis("right")})
        self.bar.setMenuEnabled(False)
        self.bar.hideButtons()
        self.bar.setMouseEnabled(False, False)
        self.bar.hideAxis("bottom")
        self.bar.hideAxis("left")
        self.bar.showAxis("right")
        self.bar.setMaximumWidth(70)
        plain_axes(self.bar)
        cache_as_pixmaps(self.bar.getAxis("right"))  # it changes only with the levels
        self.bar_image = BandImage()
        self.bar.addItem(self.bar_image)
        self.bar_levels: np.ndarray = np.empty(0)
        """The levels the colour bar shows (its ticks)."""
        self._bar_shown = False
        self.field_shown = False
        self._ball_colours: list[object] = []
        self._levels_for: tuple[float, float] | None = None
        self._runs_shown: tuple[list[str], list[str]] | None = None
        # The bands, lines and labels change together (a pan, a new bowl) and lie still under
        # a dragged point or a race: drawn directly while they change, copied once still. The
        # axes change only with the view: a new bowl under a dragged data point keeps them.
        self.still_map = PixmapsWhenStill((self.image, self.lines, self.labels), self)
        axes = (self.plot.getAxis("bottom"), self.plot.getAxis("left"))
        self.still_axes = PixmapsWhenStill(axes, self)
        # The balls move with every frame of a race, and lie still under a dragged data
        # point (the runs wait for the drop), where painting them cost 0.4 ms a move.
        self.still_balls = PixmapsWhenStill((self.balls,), self)
        self.plot.sigRangeChanged.connect(self._on_range_changed)
        self.point.sigPositionChanged.connect(self._on_point_moved)
        self.scene().sigMouseClicked.connect(self._on_scene_clicked)

    # --- what the lesson calls ------------------------------------------------

    def set_surface(self, function: Field | None, *, keep_levels: bool = False) -> None:
        """Draw ``function`` (a surface, a line fit's bowl, or nothing) for the current view.

        ``keep_levels`` keeps the levels (and so the colours and the colour bar) of the map
        shown, as long as they still draw lines in view: a bowl that changes under a dragged
        data point then rises and sinks through fixed levels, instead of being re-coloured
        on every move.
        """
        self.surface = function
        if not keep_levels:
            self._levels_for = None
        if function is not None:
            first, second = function.variables
            # A label re-lays out its axis and repaints it: only when the names change (a
            # new bowl while a data point is dragged, a keystroke, keep them).
            for axis, name in (
                (self.plot.getAxis("bottom"), first),
                (self.plot.getAxis("left"), second),
                (self.bar.getAxis("right"), "L"),
            ):
                if axis.labelText != name:
                    axis.setLabel(name)
        self.redraw()

    def set_view(self, w1_range: Sequence[float], w2_range: Sequence[float]) -> None:
        """Show exactly this rectangle (as far as the locked aspect allows)."""
        self.plot.setRange(xRange=tuple(w1_range), yRange=tuple(w2_range), padding=0)
        self.redraw()

    def view_ranges(self) -> tuple[tuple[float, float], tuple[float, float]]:
        """``((w1 low, w1 high), (w2 low, w2 high))`` on show."""
        (x0, x1), (y0, y1) = self.plot.getViewBox().viewRange()
        return (float(x0), float(x1)), (float(y0), float(y1))

    def redraw(self) -> None:
        """Re-compute the landscape for the view and repaint it."""
        if self.surface is None:
            self.current = None
            self.image.clear()
            self.lines.clear_lines()
            self.labels.set_labels(())
            self.bar_image.clear()
            self._bar_shown = False
            self.viewChanged.emit()
            return
        w1_range, w2_range = self.view_ranges()
        # Panning keeps the levels (and so the colours) of the view it started from while
        # they still draw lines in view; a zoom, or a new function, chooses them afresh.
        span = (w1_range[1] - w1_range[0], w2_range[1] - w2_range[0])
        kept = self.current.levels if self._levels_for == span and self.current else None
        box = self.plot.getViewBox()
        size = grid_size(self.surface, (box.width(), box.height()))
        view = landscape(self.surface, w1_range, w2_range, size, LEVEL_COUNT, kept)
        if kept is not None and not _levels_in_view(view):
            view = landscape(self.surface, w1_range, w2_range, size, LEVEL_COUNT)
        self._levels_for = span
        self.current = view
        colours = band_colours(len(view.levels))
        cells = QRectF(*view.cells)
        self.still_map.changed()
        self.image.set_bands(view.bands, cells, colours)
        self.lines.set_lines(view.lines, cells)
        self.labels.set_labels(view.labels)
        if not (self._bar_shown and np.array_equal(view.levels, self.bar_levels)):
            self._show_bar(view.levels, colours)  # a pan keeps the levels, and so the bar
        if self.field_shown:
            self._draw_field()
        self.viewChanged.emit()

    def set_point(self, w1: float, w2: float, gradient: np.ndarray) -> None:
        """Put the point at ``(w1, w2)`` with arrows along ∇L and −∇L there."""
        with pg.SignalBlock(self.point.sigPositionChanged, self._on_point_moved):
            self.point.setPos(w1, w2)
        size = float(np.hypot(*gradient))
        if not np.isfinite(size) or size == 0:
            self.gradient_arrow.setData([], [])
            self.steepest_arrow.setData([], [])
            return
        (x0, x1), _ = self.view_ranges()
        vector = gradient / size * ARROW_SHARE * (x1 - x0)
        tail = np.array([w1, w2])
        up, down = arrow(tail, vector), arrow(tail, -vector)
        self.gradient_arrow.setData(up[:, 0], up[:, 1], connect="finite")
        self.steepest_arrow.setData(down[:, 0], down[:, 1], connect="finite")

    def set_critical_points(self, points: Sequence[CriticalPoint]) -> None:
        """Mark the critical points, each with the symbol of its kind."""
        kinds = [p.kind for p in points]
        if kinds and kinds == list(self.critical.data["data"]):
            # The same kinds moved (the bottom of a bowl under a dragged data point).
            if len(points) == 1:
                shift_spots(self.critical, *points[0].point)
                return
            places = np.array([p.point for p in points], dtype=float)
            move_spots(self.critical, slice(None), places[:, 0], places[:, 1])
            return
        place_spots(
            self.critical,
            [
                {
                    "pos": p.point,
                    "symbol": SYMBOLS[p.kind],
                    "brush": pg.mkBrush("w"),
                    "data": p.kind,
                }
                for p in points
            ],
        )

    def set_field_shown(self, shown: bool) -> None:
        """Show or hide a field of small −∇L arrows over the map."""
        self.field_shown = shown
        if shown:
            self._draw_field()
        else:
            self.field.setData([], [])

    def show_runs(self, colours: Sequence[str], names: Sequence[str]) -> None:
        """One path per run, in its colour; the others removed from the legend and hidden."""
        if self._runs_shown == (list(colours), list(names)):
            # The same racers again (a reset, a new function): only the paths restart; the
            # legend, whose re-layout is costly, stays.
            self.pixel_paths.show(self.paths[: len(colours)])
            self._set_balls([], [])
            return
        self._runs_shown = (list(colours), list(names))
        while len(self.paths) < len(colours):
            path = QuickCurve(connect="pairs")  # segments, one per pixel pair
            path.setZValue(10)
            self.plot.addItem(path)
            self.paths.append(path)
        for path in self.paths:
            self.legend.removeItem(path)
        for index, path in enumerate(self.paths):
            shown = index < len(colours)
            path.setVisible(shown)
            path.setData([], [])
            if shown:
                path.setPen(pg.mkPen(colours[index], width=2))
                self.legend.addItem(path, names[index])
        self.pixel_paths.show(self.paths[: len(colours)])
        self._ball_colours = [pg.mkBrush(c) for c in colours]
        self._set_balls([], [])

    def set_paths(self, paths: Sequence[np.ndarray]) -> None:
        """Draw each run's points so far (``(k + 1, 2)`` arrays) and its ball at the end."""
        self.pixel_paths.set_paths(paths)
        ends = [points[-1] for points in paths[: len(self.paths)]]
        if ends:
            ends_array = np.array(ends)
            self._set_balls(ends_array[:, 0], ends_array[:, 1], brush=self._ball_colours)
        else:
            self._set_balls([], [])

    def _set_balls(self, *args: object, **kwargs: object) -> None:
        self.balls.setData(*args, **kwargs)
        self.still_balls.changed()

    def set_start(self, w1: float, w2: float) -> None:
        """Mark where the runs start."""
        self.start_marker.setData([w1], [w2])

    def map_to_pixels(self, w1: float, w2: float) -> QPoint:
        """Where ``(w1, w2)`` is on the widget (for clicks in tests and tools)."""
        scene = self.plot.getViewBox().mapViewToScene(QPointF(w1, w2))
        return self.mapFromScene(scene)

    # --- drawing --------------------------------------------------------------

    def _show_bar(self, levels: np.ndarray, colours: np.ndarray) -> None:
        bands = len(levels) + 1
        self.bar_image.set_bands(
            np.arange(bands, dtype=np.uint8)[:, np.newaxis], QRectF(0, 0, 1, bands), colours
        )
        ticks = [(i + 1.0, level_text(level)) for i, level in enumerate(levels)]
        self.bar.getAxis("right").setTicks([ticks, []])
        self.bar.setRange(xRange=(0, 1), yRange=(0, bands), padding=0)
        self.bar_levels = levels
        self._bar_shown = True

    def _draw_field(self) -> None:
        """Small −∇L arrows on a 15×15 grid, all the same length: the direction field."""
        if self.surface is None:
            return
        (x0, x1), (y0, y1) = self.view_ranges()
        w1, w2 = np.meshgrid(np.linspace(x0, x1, 17)[1:-1], np.linspace(y0, y1, 17)[1:-1])
        g1, g2 = self.surface.gradient(w1, w2)
        size = np.hypot(g1, g2)
        length = 0.4 * (x1 - x0) / 16
        with np.errstate(all="ignore"):
            d1, d2 = -g1 / size * length, -g2 / size * length
        keep = np.isfinite(d1) & np.isfinite(d2) & (size > 0)
        pieces = [
            arrow(np.array([a, b]), np.array([c, d]))
            for a, b, c, d in zip(w1[keep], w2[keep], d1[keep], d2[keep], strict=True)
        ]
        if not pieces:
            self.field.setData([], [])
            return
        gap = np.full((1, 2), np.nan)
        points = np.concatenate([np.concatenate((piece, gap)) for piece in pieces])
        self.field.setData(points[:, 0], points[:, 1], connect="finite")

    # --- slots ----------------------------------------------------------------

    def _on_range_changed(self, *_args: object) -> None:
        self.still_axes.changed()
        self.redraw()

    def _on_point_moved(self, item: pg.TargetItem) -> None:
        position = item.pos()
        self.pointDragged.emit(float(position.x()), float(position.y()))

    def _on_scene_clicked(self, event: MouseClickEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton or event.double():
            return
        # A click the legend or the point took is theirs; the balls and markers also take
        # clicks, but a click there still means "start here".
        if event.isAccepted() and not isinstance(event.currentItem, pg.ScatterPlotItem):
            return
        position = event.scenePos()
        if self.legend.isVisible() and self.legend.sceneBoundingRect().contains(position):
            return
        box = self.plot.getViewBox()
        if not box.sceneBoundingRect().contains(position):
            return
        where = box.mapSceneToView(position)
        self.mapClicked.emit(float(where.x()), float(where.y()))
