"""The V of a numerical derivative: each difference's error against h, on log-log axes.

Built by :class:`~calcstudio.ui.widgets.numerical_derivative.NumericalDerivative` the first
time it is needed; the curves, the best h of each difference, the material's eps = 1e-5 and
the chosen h are set there.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt

from calcstudio.core.difference import KINDS, MATERIAL_STEP, DerivativeStudy, Kind
from calcstudio.ui.widgets import palette
from calcstudio.ui.widgets.log_plot import log_log_plot

KIND_COLOURS: dict[Kind, str] = {
    "forward": palette.SECANT,  # the secant of the tangent lesson is a forward difference
    "backward": "#bcbd22",
    "central": "#7570b3",
}
_EMPTY = np.empty(0)
PLOT_HEIGHT = 220
"""The error plot's height in pixels, so its curves stay readable in a side panel."""


@dataclass
class DifferenceErrorsPlot:
    """The log-log plot of each difference's error against h, with its marks."""

    plot: pg.PlotWidget
    curves: dict[Kind, pg.PlotDataItem]
    best_lines: dict[str, pg.InfiniteLine]
    material_line: pg.InfiniteLine
    step_line: pg.InfiniteLine

    @classmethod
    def build(cls, step: float) -> DifferenceErrorsPlot:
        """A new plot, its curves empty and the h line at ``step``."""
        plot = log_log_plot("h", "|quotient − exact|", PLOT_HEIGHT)
        item = plot.getPlotItem()
        item.invertX(True)  # h shrinks to the right, as in the limit h → 0
        legend = item.addLegend(offset=(5, 5), labelTextSize="8pt")
        curves: dict[Kind, pg.PlotDataItem] = {}
        for kind in KINDS:
            curve = pg.PlotDataItem(_EMPTY, _EMPTY, pen=pg.mkPen(KIND_COLOURS[kind], width=1))
            item.addItem(curve)
            legend.addItem(curve, kind)
            curves[kind] = curve

        def marker(
            label: str, colour: str, height: float, style: Qt.PenStyle = Qt.PenStyle.DashLine
        ) -> pg.InfiniteLine:
            line = pg.InfiniteLine(
                angle=90,
                pen=pg.mkPen(colour, width=1.5, style=style),
                label=label,
                labelOpts={
                    "position": height,
                    "color": colour,
                    "rotateAxis": (1, 0),
                    "anchors": [(0, 0), (0, 0)],
                },
            )
            item.addItem(line)
            return line

        best_lines = {
            "forward": marker("best h, one-sided", KIND_COLOURS["forward"], 0.75),
            "central": marker("best h, central", KIND_COLOURS["central"], 0.45),
        }
        material_line = marker("material's eps = 1e-5", palette.MUTED, 0.05)
        material_line.setValue(math.log10(MATERIAL_STEP))
        step_line = marker("h", palette.TANGENT, 0.97, Qt.PenStyle.SolidLine)
        step_line.setValue(math.log10(step))
        return cls(plot, curves, best_lines, material_line, step_line)

    def show_study(self, name: str, study: DerivativeStudy | None, step: float) -> None:
        """Show the errors and best h of ``study`` (of the derivative ``name``; None: nothing
        to approximate) and the chosen ``step``."""
        axis_label = f"|quotient − {name}|"
        item = self.plot.getPlotItem()
        if item.getAxis("left").labelText != axis_label:
            # Set only when it changes: a new label lays the little plot out again.
            item.setLabel("left", axis_label)
        self.step_line.setValue(math.log10(step))
        if study is None:
            for curve in self.curves.values():
                curve.setData(_EMPTY, _EMPTY)
            for line in self.best_lines.values():
                line.hide()
            return
        for kind, curve in self.curves.items():
            steps, errors = study.errors[kind]
            shown = np.isfinite(errors) & (errors > 0)
            curve.setData(steps[shown], errors[shown])
        for kind, line in self.best_lines.items():
            best = study.models[kind].best_step
            line.setVisible(math.isfinite(best))
            if math.isfinite(best):
                line.setValue(math.log10(best))


__all__ = ["KIND_COLOURS", "PLOT_HEIGHT", "DifferenceErrorsPlot"]
