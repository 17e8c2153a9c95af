"""The numerical derivative section of the tangent lesson: three differences and their error.

At the point a and a chosen h: the forward, backward and central differences next to the
exact f′(a), and the error of each against h on log-log axes from 1 to 1e-16. The V it draws
is truncation (falling like h or h²) meeting round-off (rising like ε/h); the best h of each
(about √ε and ∛ε) and the material's eps = 1e-5 are marked. The numbers come from
:mod:`calcstudio.core.difference`.
"""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from calcstudio.core.difference import (
    FORMULAS,
    KINDS,
    MATERIAL_STEP,
    STEPS,
    Kind,
    difference_errors,
    difference_quotient,
    error_model,
    typical_best_step,
)
from calcstudio.core.numeric import Evaluator
from calcstudio.ui.widgets import palette
from calcstudio.ui.widgets.log_slider import LogSlider

KIND_COLOURS: dict[Kind, str] = {
    "forward": palette.SECANT,  # the secant of the lesson is a forward difference
    "backward": "#bcbd22",
    "central": "#7570b3",
}
_EMPTY = np.empty(0)


def _scientific(value: float) -> str:
    return f"{value:.2e}".replace("-", "−") if math.isfinite(value) else "undefined"


class NumericalDerivative(QWidget):
    """Forward, backward and central differences at a, and the V of their errors against h.

    Attributes
    ----------
    step_slider : LogSlider
        h, from 1e-16 to 1 (the material's 1e-5 at first).
    quotient_labels, error_labels : dict of QLabel
        Per difference: its value and its error against f′(a).
    curves : dict of pyqtgraph.PlotDataItem
        Per difference: the measured error against h.
    best_lines : dict of pyqtgraph.InfiniteLine
        Per one-sided and central difference: the best h of the error model.
    material_line, step_line : pyqtgraph.InfiniteLine
        The material's eps = 1e-5, and the chosen h.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._f: Evaluator | None = None
        self._point = 0.0
        self._exact = float("nan")
        self.step_slider = LogSlider(1e-16, 1.0, MATERIAL_STEP, name="h")
        self.step_slider.setToolTip(
            "The step h of the difference quotients. The material uses eps = 1e-5."
        )
        self.exact_label = QLabel()
        mono = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        grid = QGridLayout()
        for column, title in enumerate(("difference", "quotient", "error vs f′(a)")):
            grid.addWidget(QLabel(f"<b>{title}</b>"), 0, column)
        self.quotient_labels: dict[Kind, QLabel] = {}
        self.error_labels: dict[Kind, QLabel] = {}
        for row, kind in enumerate(KINDS, start=1):
            name = QLabel(palette.swatch(KIND_COLOURS[kind], f"{kind} {FORMULAS[kind]}"))
            name.setToolTip(f"The {kind} difference quotient {FORMULAS[kind]}.")
            self.quotient_labels[kind], self.error_labels[kind] = QLabel(), QLabel()
            grid.addWidget(name, row, 0)
            for column, label in enumerate((self.quotient_labels[kind], self.error_labels[kind])):
                label.setFont(mono)
                label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
                grid.addWidget(label, row, column + 1)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.plot = pg.PlotWidget(background="w")
        self.plot.setMinimumHeight(220)
        item = self.plot.getPlotItem()
        item.setLogMode(True, True)
        item.setMenuEnabled(False, False)
        item.hideButtons()
        item.showGrid(x=True, y=True, alpha=0.25)
        item.setLabel("bottom", "h")
        item.setLabel("left", "|quotient − f′(a)|")
        item.invertX(True)  # h shrinks to the right, as in the limit h → 0
        legend = item.addLegend(offset=(5, 5), labelTextSize="8pt")
        self.curves: dict[Kind, pg.PlotDataItem] = {}
        for kind in KINDS:
            curve = pg.PlotDataItem(_EMPTY, _EMPTY, pen=pg.mkPen(KIND_COLOURS[kind], width=1))
            item.addItem(curve)
            legend.addItem(curve, kind)
            self.curves[kind] = curve
        self.best_lines = {
            "forward": self._marker("best h, one-sided", KIND_COLOURS["forward"], 0.75),
            "central": self._marker("best h, central", KIND_COLOURS["central"], 0.45),
        }
        self.material_line = self._marker("material's eps = 1e-5", palette.MUTED, 0.05)
        self.material_line.setValue(math.log10(MATERIAL_STEP))
        self.step_line = self._marker("h", palette.TANGENT, 0.97, Qt.PenStyle.SolidLine)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        title = QLabel("<b>Numerical derivative</b>: how good is the material's eps = 1e-5?")
        layout.addWidget(title)
        step_row = QHBoxLayout()
        step_row.addWidget(QLabel("h (the material's eps)"))
        step_row.addWidget(self.step_slider, 1)
        layout.addLayout(step_row)
        layout.addWidget(self.exact_label)
        layout.addLayout(grid)
        layout.addWidget(self.plot, 1)
        layout.addWidget(self.summary)
        self.step_slider.valueChanged.connect(self._on_step_changed)
        self._scheduled: tuple | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self._on_scheduled)
        # The differences, the V and the summary are below the fold of the tangent panel at
        # most window sizes: they are worked out when they come into view.
        self.details: tuple[QWidget, ...] = (
            *self.quotient_labels.values(),
            *self.error_labels.values(),
            self.plot.viewport(),
            self.summary,
        )
        for part in self.details:
            part.installEventFilter(self)

    def _marker(
        self,
        label: str,
        colour: str,
        height: float,
        style: Qt.PenStyle = Qt.PenStyle.DashLine,
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
        self.plot.getPlotItem().addItem(line)
        return line

    def step(self) -> float:
        """h."""
        return self.step_slider.value()

    def schedule_point(
        self, f: Evaluator | None, df: Evaluator | None, d2f: Evaluator | None, a: float
    ) -> None:
        """:meth:`set_point` once the events queued now are handled (after the plot's repaint),
        so a drag or a keystroke never waits for this section and a burst costs one update.

        While the differences and the V are out of view (scrolled below the fold, or the tab
        hidden) only the exact f′(a) is written; the rest is worked out for the newest point
        when they come into view.
        """
        self._scheduled = (f, df, d2f, a)
        self._timer.start()

    def _on_scheduled(self) -> None:
        if self._scheduled is None:
            return
        if not self.details_on_screen():
            f, df, _, a = self._scheduled
            known = f is not None and df is not None
            self._show_exact(float(df(np.array([a]))[0]) if known else float("nan"))
            return
        arguments, self._scheduled = self._scheduled, None
        self.set_point(*arguments)

    def details_on_screen(self) -> bool:
        """Whether any of the differences, the V or the summary can be seen."""
        return any(not part.visibleRegion().isEmpty() for part in self.details)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Catch up as the details are painted after coming into view (before the paint)."""
        if event.type() == QEvent.Type.Paint and self._scheduled is not None:
            self._on_scheduled()
        return False

    def _show_exact(self, exact: float) -> None:
        if math.isfinite(exact):
            self.exact_label.setText(f"exact f′(a) = {exact:.15g}".replace("-", "−"))
        else:
            self.exact_label.setText("f′(a) has no value here: there is nothing to approximate.")

    def set_point(
        self, f: Evaluator | None, df: Evaluator | None, d2f: Evaluator | None, a: float
    ) -> None:
        """Show the differences of ``f`` at ``a``; ``df`` gives the exact f′(a)."""
        self._f, self._point = f, float(a)
        exact = float(df(np.array([a]))[0]) if df is not None else float("nan")
        self._exact = exact
        self._show_exact(exact if f is not None else float("nan"))
        if f is None or not math.isfinite(exact):
            for curve in self.curves.values():
                curve.setData(_EMPTY, _EMPTY)
            self.summary.setText("")
            self._on_step_changed(self.step())
            return
        for kind, curve in self.curves.items():
            steps, errors = difference_errors(f, a, exact, kind, STEPS)
            shown = np.isfinite(errors) & (errors > 0)
            curve.setData(steps[shown], errors[shown])
        value = float(f(np.array([a]))[0])
        second = float(d2f(np.array([a]))[0]) if d2f is not None else float("nan")
        third = float(difference_quotient(d2f, a, 1e-4 * max(1.0, abs(a)))) if d2f else math.nan
        models = {
            kind: error_model(kind, value, second, third, slope=exact, point=a)
            for kind in ("forward", "central")
        }
        for kind, line in self.best_lines.items():
            best = models[kind].best_step
            line.setVisible(math.isfinite(best))
            if math.isfinite(best):
                line.setValue(math.log10(best))
        material = float(np.abs(difference_quotient(f, a, MATERIAL_STEP, "central") - exact))
        central = (
            f"{_scientific(models['central'].best_step)}"
            if models["central"].truncation > 0
            else "any h up to 1, as f‴(a) = 0 leaves no truncation error"
        )
        best = models["central"].best_step
        verdict = (
            f"here a smaller eps, near {_scientific(best)}, does better, and a much smaller one"
            " worse again"
            if best < MATERIAL_STEP / 3
            else "a smaller eps is not better"
        )
        self.summary.setText(
            "Truncation falls as h shrinks (like h one-sided, h² central) while round-off grows"
            " like ε/h (ε = 2.2e−16): the V. Best h here: one-sided "
            f"{_scientific(models['forward'].best_step)} (about √ε = "
            f"{_scientific(typical_best_step('forward'))}), central "
            f"{central} (typically about ∛ε = "
            f"{_scientific(typical_best_step('central'))}). The material's central difference"
            f" with eps = 1e−5 is off by {_scientific(material)}: {verdict}."
        )
        self._on_step_changed(self.step())

    def _on_step_changed(self, h: float) -> None:
        self.step_line.setValue(math.log10(h))
        for kind in KINDS:
            if self._f is None:
                quotient = math.nan
            else:
                quotient = float(difference_quotient(self._f, self._point, h, kind))
            error = abs(quotient - self._exact)
            self.quotient_labels[kind].setText(f"{quotient:.12g}".replace("-", "−"))
            self.error_labels[kind].setText(_scientific(error))


__all__ = ["KIND_COLOURS", "NumericalDerivative"]
