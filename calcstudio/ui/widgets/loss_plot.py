"""The loss-versus-iteration plot beside the descent animation, with a log-scale option."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QCheckBox, QLabel, QVBoxLayout, QWidget

from calcstudio.ui.widgets import palette

_EMPTY = np.empty(0)
MIN_STEPS_SHOWN = 10
"""The step axis starts at 0 to 10 and widens as the run goes on."""


def _round_up(value: float) -> float:
    """The next of 1, 2, 5, 10, 20, 50, ... at or above ``value``."""
    power = 10.0 ** np.floor(np.log10(max(value, 1.0)))
    return float(next(step * power for step in (1, 2, 5, 10) if step * power >= value))


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
        self.plot = pg.PlotWidget()
        self.plot.setObjectName("lossPlot")
        self.plot.setBackground("w")
        self.plot.setMinimumHeight(150)
        self.plot.disableAutoRange()
        self.plot.setLabel("bottom", "step k")
        self.set_variable("x")
        self.plot.setMenuEnabled(False)
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
            curve = pg.PlotCurveItem(antialias=True)
            self.plot.addItem(curve)
            self.curves.append(curve)
        for index, curve in enumerate(self.curves):
            shown = index < len(colours)
            curve.setData(_EMPTY, _EMPTY)
            curve.setVisible(shown)
            if shown:
                curve.setPen(pg.mkPen(colours[index], width=1))
        self._losses = [_EMPTY] * len(colours)
        self._y_range: tuple[float, float] | None = None
        self.note.clear()
        self.plot.setXRange(0, MIN_STEPS_SHOWN, padding=0)
        self.plot.setYRange(0, 1, padding=0)  # no old run's axis left behind

    def set_losses(self, index: int, losses: np.ndarray) -> None:
        """Draw the losses of run ``index`` (finite numbers) against their step numbers."""
        self._losses[index] = losses
        self._draw(index)

    def _draw(self, index: int) -> None:
        losses = self._losses[index]
        steps = np.arange(losses.size, dtype=float)
        if self.is_log_scale():
            positive = losses > 0
            if not positive.all():
                steps, losses = steps[positive], losses[positive]
                if not self.note.text():
                    self.note.setText("Losses of 0 or below cannot be shown on a log scale.")
            losses = np.log10(losses)  # a log axis labels log10 values as powers of ten
        self._fit(steps, losses)
        self.curves[index].setData(*self._per_column(steps, losses))

    def _per_column(self, steps: np.ndarray, heights: np.ndarray) -> tuple[np.ndarray, ...]:
        """The curve as drawn: where several steps share a pixel column, only their extremes.

        Thousands of steps share a few hundred columns; the highest and lowest loss in
        each look the same as all of them, at a fraction of the painting.
        """
        columns = max(int(self.plot.getViewBox().width()), 100)
        (_, x_high), _ = self.plot.getViewBox().viewRange()
        per_column = int(np.ceil(max(x_high, 1.0) / columns))
        if per_column < 2 or steps.size <= 2 * columns:
            return steps, heights
        starts = np.arange(0, steps.size, per_column)
        highs = np.maximum.reduceat(heights, starts)
        lows = np.minimum.reduceat(heights, starts)
        xs = np.append(np.repeat(steps[starts], 2), steps[-1])
        ys = np.append(np.column_stack((highs, lows)).ravel(), heights[-1])
        return xs, ys

    def _fit(self, steps: np.ndarray, heights: np.ndarray) -> None:
        """Widen the axes (to round numbers, with room) when the curve has left them."""
        if not steps.size:
            return
        view = self.plot.getViewBox()
        (_, x_high), _ = view.viewRange()
        if steps[-1] > x_high:
            self.plot.setXRange(0, _round_up(1.5 * steps[-1]), padding=0)
        low, high = float(heights.min()), float(heights.max())
        shown = self._y_range
        if shown is None or low < shown[0] or high > shown[1]:
            if shown is not None:
                low, high = min(low, shown[0]), max(high, shown[1])
            # A flat loss still gets an axis a learner can read (not ticks of 1e-9 around
            # -999): at least 5 % of its size either side, or 0.1 near 0.
            margin = max(0.1 * (high - low), 0.05 * max(abs(low), abs(high)), 0.1)
            self._y_range = (low - margin, high + margin)
            self.plot.setYRange(*self._y_range, padding=0)

    def _on_log_toggled(self, checked: bool) -> None:
        self.note.clear()
        self.plot.setLogMode(y=checked)
        # pyqtgraph turns auto-range back on with a log mode: this plot fits itself.
        self.plot.disableAutoRange()
        self._y_range = None
        self.plot.setXRange(0, MIN_STEPS_SHOWN, padding=0)
        for index in range(len(self._losses)):
            self._draw(index)
