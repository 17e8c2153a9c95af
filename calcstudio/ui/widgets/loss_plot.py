"""The loss-versus-iteration plot beside the descent animation, with a log-scale option."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QCheckBox, QLabel, QVBoxLayout, QWidget

from calcstudio.ui.widgets import palette
from calcstudio.ui.widgets.axes import plain_axes
from calcstudio.ui.widgets.plot_items import cache_as_pixmaps
from calcstudio.ui.widgets.quick_curve import QuickCurve

_EMPTY = np.empty(0)
MIN_STEPS_SHOWN = 10
"""The step axis starts at 0 to 10 and widens as the run goes on."""


def _round_up(value: float) -> float:
    """The next of 1, 2, 5, 10, 20, 50, ... at or above ``value``."""
    power = 10.0 ** np.floor(np.log10(max(value, 1.0)))
    return float(next(step * power for step in (1, 2, 5, 10) if step * power >= value))


@dataclass
class _Drawn:
    """What has been drawn of one run: its extremes, and its complete pixel columns."""

    log: bool
    first: float
    """The run's first loss: a run starting elsewhere is another run."""
    count: int = 0
    """Losses taken in so far."""
    low: float = np.inf
    high: float = -np.inf
    per_column: int = 0
    done: int = 0
    """Losses grouped into complete columns, drawn as ``xs``, ``ys``."""
    xs: np.ndarray = field(default_factory=lambda: _EMPTY)
    ys: np.ndarray = field(default_factory=lambda: _EMPTY)
    shown_columns: tuple[int, int] | None = None
    """``(per_column, done)`` of the curve on show, when it begins with the complete
    columns: until they change, only what follows them can differ."""


class _View(NamedTuple):
    """The view box's size (pixels) and range, read once a frame: each read is a few
    pyqtgraph calls, and a frame of seven runs read them some forty times."""

    width: float
    height: float
    x_low: float
    x_high: float
    y_low: float
    y_high: float


def _extremes(heights: np.ndarray, offset: int, per_column: int) -> tuple[np.ndarray, np.ndarray]:
    """Highest and lowest height of each group of ``per_column`` steps from step ``offset``."""
    if not heights.size:
        return _EMPTY, _EMPTY
    starts = np.arange(0, heights.size, per_column)
    highs = np.fmax.reduceat(heights, starts)
    lows = np.fmin.reduceat(heights, starts)
    xs = np.repeat(starts + float(offset), 2)
    ys = np.column_stack((highs, lows)).ravel()
    shown = np.isfinite(ys)  # a column of losses ≤ 0 on a log axis has nothing to show
    return xs[shown], ys[shown]


class LossPlot(QWidget):
    """f(w_k) against the step k, one curve per run, in the runs' colours.

    On a log scale only positive losses can be drawn; the others are left out and a
    note says so (a loss such as x⁴ − 3x² + x dips below 0).

    The axes only move when a curve leaves them, and then to round numbers with room to
    spare: re-ranging every frame would redraw both axes every frame, which cost more
    than everything else in a frame together.

    Parameters
    ----------
    parent
        The parent widget.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.plot = pg.PlotWidget(enableMenu=False)  # not built: no context menu
        self.plot.setObjectName("lossPlot")
        self.plot.setBackground("w")
        self.plot.setMinimumHeight(150)
        self.plot.disableAutoRange()
        plain_axes(self.plot.getPlotItem())
        # Kept as pixmaps: the axes change only when a run leaves them, and the plot repaints
        # whole on most frames of a race, where replaying their text cost 0.5 ms a frame.
        cache_as_pixmaps(self.plot.getAxis("bottom"), self.plot.getAxis("left"))
        self.plot.setLabel("bottom", "step k")
        self.set_variable("x")
        self.log_box = QCheckBox("Log scale")
        self.log_box.setToolTip(
            "Show the loss on a logarithmic scale: steady convergence becomes a straight line"
        )
        self.note = QLabel()
        self.note.setStyleSheet(f"color: {palette.MUTED};")
        self.note.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.plot, 1)
        layout.addWidget(self.log_box)
        layout.addWidget(self.note)
        self.curves: list[pg.PlotCurveItem] = []
        self._losses: list[np.ndarray] = []
        self._drawn = []
        self._shown = []
        self.log_box.toggled.connect(self._on_log_toggled)

    def set_variable(self, variable: str) -> None:
        """Name the loss after the function's variable: ``loss f(x)``, ``loss f(w)``."""
        self.plot.setLabel("left", f"loss f({variable})")

    def is_log_scale(self) -> bool:
        """True when the loss axis is logarithmic."""
        return self.log_box.isChecked()

    def show_runs(self, colours: Sequence[str]) -> None:
        """One empty curve per run, in its colour; the rest hidden.

        No legend of its own: each run has the colour it has on the main plot's legend.
        """
        while len(self.curves) < len(colours):
            # Plain curve items: a PlotDataItem's own down-sampling and bookkeeping cost
            # more than the rest of an animation frame when seven optimizers race.
            curve = QuickCurve(antialias=True)
            self.plot.addItem(curve)
            self.curves.append(curve)
        for index, curve in enumerate(self.curves):
            shown = index < len(colours)
            curve.setData(_EMPTY, _EMPTY)
            curve.setVisible(shown)
            if shown:
                curve.setPen(pg.mkPen(colours[index], width=1))
        self._losses = [_EMPTY] * len(colours)
        self._drawn: list[_Drawn | None] = [None] * len(colours)
        self._shown: list[tuple[np.ndarray, np.ndarray]] = [(_EMPTY, _EMPTY)] * len(colours)
        self._y_range: tuple[float, float] | None = None
        self.note.clear()
        self.plot.setXRange(0, MIN_STEPS_SHOWN, padding=0)
        self.plot.setYRange(0, 1, padding=0)  # no old run's axis left behind

    def set_losses(self, index: int, losses: np.ndarray) -> None:
        """Draw the losses of run ``index`` (finite numbers) against their step numbers."""
        self._losses[index] = losses
        self._draw(index, self._view())

    def set_all_losses(self, losses: Sequence[np.ndarray]) -> None:
        """Draw the losses of every run, in the order of :meth:`show_runs` (as
        :meth:`set_losses` for each, with the view read once)."""
        view = self._view()
        for index, run_losses in enumerate(losses):
            self._losses[index] = run_losses
            view = self._draw(index, view)

    def _view(self) -> _View:
        box = self.plot.getViewBox()
        (x_low, x_high), (y_low, y_high) = box.viewRange()
        return _View(float(box.width()), float(box.height()), x_low, x_high, y_low, y_high)

    def _draw(self, index: int, view: _View) -> _View:
        """Draw run ``index``, looking only at the losses added since it was last drawn.

        Its extremes and its complete pixel columns are kept (:class:`_Drawn`), so a frame
        costs the same at 100 steps and at 100,000; a new run, a log switch or a wider step
        axis (which regroups the columns) starts over once. Returns the view as it is after
        (the axes may have widened).
        """
        losses = self._losses[index]
        log = self.is_log_scale()
        drawn = self._drawn[index]
        if (
            drawn is None
            or drawn.log != log
            or drawn.count > losses.size
            or (losses.size and drawn.first != losses[0])
        ):
            drawn = self._drawn[index] = _Drawn(log, float(losses[0]) if losses.size else 0.0)
        new = self._heights(losses[drawn.count :], log)
        drawn.count = losses.size
        if new.size:
            drawn.low = float(np.fmin(drawn.low, np.fmin.reduce(new)))
            drawn.high = float(np.fmax(drawn.high, np.fmax.reduce(new)))
            if log and np.isnan(new).any() and not self.note.text():
                self.note.setText("Losses of 0 or below cannot be shown on a log scale.")
        columns = None
        if not drawn.low <= drawn.high:  # nothing to show (yet)
            xs = ys = _EMPTY
        else:
            if self._fit(losses.size - 1, drawn.low, drawn.high, view):
                view = self._view()
            xs, ys = self._per_column(drawn, losses, view)
            if drawn.per_column:
                columns = (drawn.per_column, drawn.done)
        kept = drawn.xs.size if columns is not None and columns == drawn.shown_columns else 0
        if not self._looks_the_same(index, xs, ys, kept, view):
            self._shown[index] = (xs, ys)
            drawn.shown_columns = columns
            self.curves[index].setData(xs, ys)
        return view

    def _looks_the_same(
        self, index: int, xs: np.ndarray, ys: np.ndarray, kept: int, view: _View
    ) -> bool:
        """Whether the curve ``xs``, ``ys`` of run ``index`` would be drawn less than half a
        pixel from where it is: then it is not drawn again (its first ``kept`` points are
        known to be the same as those on show).

        Once a few steps share a pixel column, a new step moves the last point by a fraction
        of a pixel and the column's extremes by less, so most frames of a long run would
        repaint the plot for nothing to see. The curve is drawn again once it has moved half
        a pixel from where it was drawn, or when a column is added.
        """
        shown_x, shown_y = self._shown[index]
        if xs.size != shown_x.size:
            return False
        if xs.size == 0:
            return True
        x_pixels = view.width / (view.x_high - view.x_low)
        y_pixels = view.height / (view.y_high - view.y_low)
        return bool(
            np.max(np.abs(xs[kept:] - shown_x[kept:])) * x_pixels < 0.5
            and np.max(np.abs(ys[kept:] - shown_y[kept:])) * y_pixels < 0.5
        )

    @staticmethod
    def _heights(losses: np.ndarray, log: bool) -> np.ndarray:
        """Heights as drawn: log10 of the losses on a log axis (NaN for those ≤ 0)."""
        if not log:
            return losses
        with np.errstate(all="ignore"):  # a log axis labels log10 values as powers of ten
            return np.where(losses > 0, np.log10(losses), np.nan)

    def _per_column(
        self, drawn: _Drawn, losses: np.ndarray, view: _View
    ) -> tuple[np.ndarray, np.ndarray]:
        """The curve as drawn: where several steps share a pixel column, only their extremes.

        Thousands of steps share a few hundred columns; the highest and lowest loss in
        each look the same as all of them, at a fraction of the painting.
        """
        columns = max(int(view.width), 100)
        per_column = int(np.ceil(max(view.x_high, 1.0) / columns))
        n = losses.size
        if per_column < 2 or n <= 2 * columns:
            # Every step drawn, no columns kept (a wider plot can bring a run back here).
            drawn.per_column, drawn.done, drawn.xs, drawn.ys = 0, 0, _EMPTY, _EMPTY
            heights = self._heights(losses, drawn.log)
            shown = np.isfinite(heights)
            return np.arange(n, dtype=float)[shown], heights[shown]
        if per_column != drawn.per_column:
            drawn.per_column, drawn.done, drawn.xs, drawn.ys = per_column, 0, _EMPTY, _EMPTY
        complete = n // per_column * per_column
        if complete > drawn.done:
            heights = self._heights(losses[drawn.done : complete], drawn.log)
            xs, ys = _extremes(heights, drawn.done, per_column)
            drawn.xs, drawn.ys = np.append(drawn.xs, xs), np.append(drawn.ys, ys)
            drawn.done = complete
        # The incomplete last column, then the last loss (where the run is now).
        tail = self._heights(losses[complete:], drawn.log)
        tail_x: list[float] = []
        tail_y: list[float] = []
        if tail.size:
            for height in (float(np.fmax.reduce(tail)), float(np.fmin.reduce(tail))):
                if np.isfinite(height):
                    tail_x.append(float(complete))
                    tail_y.append(height)
        last = float(self._heights(losses[-1:], drawn.log)[0])
        if np.isfinite(last):
            tail_x.append(n - 1.0)
            tail_y.append(last)
        return np.concatenate((drawn.xs, tail_x)), np.concatenate((drawn.ys, tail_y))

    def _fit(self, last_step: int, low: float, high: float, view: _View) -> bool:
        """Widen the axes (to round numbers, with room) when the curve has left them; say
        whether they changed."""
        widened = last_step > view.x_high
        if widened:
            self.plot.setXRange(0, _round_up(1.5 * last_step), padding=0)
        shown = self._y_range
        if shown is None or low < shown[0] or high > shown[1]:
            if shown is not None:
                low, high = min(low, shown[0]), max(high, shown[1])
            # A flat loss still gets an axis a learner can read (not ticks of 1e-9 around
            # -999): at least 5 % of its size either side, or 0.1 near 0.
            margin = max(0.1 * (high - low), 0.05 * max(abs(low), abs(high)), 0.1)
            self._y_range = (low - margin, high + margin)
            self.plot.setYRange(*self._y_range, padding=0)
            widened = True
        return widened

    def _on_log_toggled(self, checked: bool) -> None:
        self.note.clear()
        self.plot.setLogMode(y=checked)
        # pyqtgraph turns auto-range back on with a log mode: this plot fits itself.
        self.plot.disableAutoRange()
        self._y_range = None
        self.plot.setXRange(0, MIN_STEPS_SHOWN, padding=0)
        self.set_all_losses(list(self._losses))
