"""Numerical derivatives and their error: one widget for f′(a) and for each partial of L.

At a point and a chosen h: the forward, backward and central differences next to the exact
derivative, and the error of each against h on log-log axes from 1 to 1e-16. The V it draws
is truncation (falling like h or h²) meeting round-off (rising like ε/h); the best h of each
(about √ε and ∛ε) and the material's eps = 1e-5 are marked. Given more than one derivative
(the partials of a surface), a tab chooses which one the table and the plot show, and a line
gives the material's central-difference gradient to the digits that are true. The numbers
come from :mod:`calcstudio.core.difference`.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QTabBar, QVBoxLayout, QWidget

from calcstudio.core.difference import (
    FORMULAS,
    KINDS,
    MATERIAL_STEP,
    DerivativeStudy,
    Kind,
    difference_quotient,
    study_derivative,
    true_digits,
    typical_best_step,
)
from calcstudio.core.numbers import format_number
from calcstudio.ui.widgets import palette
from calcstudio.ui.widgets.difference_errors_plot import (
    KIND_COLOURS,
    PLOT_HEIGHT,
    DifferenceErrorsPlot,
)
from calcstudio.ui.widgets.log_slider import LogSlider

RealFunction = Callable[[np.ndarray], np.ndarray]

EXACT_DIGITS = 13
"""Significant digits of an exact derivative: f′ by the rules, in floats, is off by a few
units in the last place, which the fifteenth digit shows (tanh′(1.5) = 0.180706638923649,
not 0.180706638923648). Thirteen are true where f′'s own evaluation does not cancel (the
tests check against mpmath), and still more than any difference gets right."""


def _scientific(value: float) -> str:
    return f"{value:.2e}".replace("-", "−") if math.isfinite(value) else "undefined"


def _minus(text: str) -> str:
    return text.replace("-", "−")


def _exact(value: float) -> str:
    return format_number(value, EXACT_DIGITS)


@dataclass(frozen=True)
class Target:
    """One derivative to approximate: the derivative of a one-variable ``f`` at ``point``.

    For a partial derivative ``f`` is the function along its variable with the others
    held (:func:`calcstudio.core.difference.along_axis`).

    Attributes
    ----------
    name, third_name
        The derivative and its third derivative as the learner reads them
        (``"f′(a)"``, ``"f‴(a)"``; ``"∂L/∂w1"``, ``"∂³L/∂w1³"``).
    f, point, exact
        The function along the variable, where, and the exact derivative there (NaN if
        it has none).
    second
        Evaluates the second derivative along the variable (for the error model), or None.
    formulas
        Per difference, how it is computed, in the learner's names.
    """

    name: str
    third_name: str
    f: RealFunction | None
    point: float
    exact: float
    second: RealFunction | None = None
    formulas: dict[Kind, str] | None = None


class NumericalDerivative(QWidget):
    """Forward, backward and central differences at a point, and the V of their errors.

    Attributes
    ----------
    step_slider : LogSlider
        h, from 1e-16 to 1 (the material's 1e-5 at first).
    target_tabs : QTabBar
        Which derivative the table and the plot show (hidden for one derivative).
    quotient_labels, error_labels : dict of QLabel
        Per difference: its value and its error against the exact derivative.
    plot_area : QWidget
        Where the plot of the errors against h goes. The plot itself and its parts (the
        properties ``plot``, ``curves``, ``best_lines``, ``material_line``, ``step_line``)
        are built when the area comes into view or one is asked for, whichever is first: at
        most window sizes it starts below the fold (a second ``PlotWidget`` was a tenth of
        the window's start, and built with the table above it, a twentieth of its first
        frame).
    gradient_label : QLabel
        With several derivatives: the material's central differences at eps = 1e-5,
        written to their true digits.
    studies : list of DerivativeStudy or None
        What core measured for each target (None where there is nothing to approximate).
    """

    def __init__(self, title: str | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.targets: list[Target] = []
        self.studies: list[DerivativeStudy | None] = []
        self.step_slider = LogSlider(1e-16, 1.0, MATERIAL_STEP, name="h")
        self.step_slider.setToolTip(
            "The step h of the difference quotients. The material uses eps = 1e-5."
        )
        self.target_tabs = QTabBar()
        self.target_tabs.setExpanding(False)
        self.target_tabs.hide()
        self.exact_label = QLabel()
        self.exact_label.setWordWrap(True)
        mono = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        grid = QGridLayout()
        self.error_header = QLabel()
        for column, header in enumerate(
            (QLabel("<b>difference</b>"), QLabel("<b>quotient</b>"), self.error_header)
        ):
            grid.addWidget(header, 0, column)
        self.name_labels: dict[Kind, QLabel] = {}
        self.quotient_labels: dict[Kind, QLabel] = {}
        self.error_labels: dict[Kind, QLabel] = {}
        for row, kind in enumerate(KINDS, start=1):
            self.name_labels[kind] = QLabel()
            self.name_labels[kind].setWordWrap(True)
            self.quotient_labels[kind], self.error_labels[kind] = QLabel(), QLabel()
            grid.addWidget(self.name_labels[kind], row, 0)
            for column, label in enumerate((self.quotient_labels[kind], self.error_labels[kind])):
                label.setFont(mono)
                label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
                grid.addWidget(label, row, column + 1)
        grid.setColumnStretch(0, 1)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.gradient_label = QLabel()
        self.gradient_label.setWordWrap(True)
        self.gradient_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.gradient_label.hide()
        self.plot_area = QWidget()
        self.plot_area.setMinimumHeight(PLOT_HEIGHT)
        QVBoxLayout(self.plot_area).setContentsMargins(0, 0, 0, 0)
        self._error_plot: DifferenceErrorsPlot | None = None

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        if title is not None:
            layout.addWidget(QLabel(title))
        step_row = QHBoxLayout()
        step_row.addWidget(QLabel("h (the material's eps)"))
        step_row.addWidget(self.step_slider, 1)
        layout.addLayout(step_row)
        layout.addWidget(self.gradient_label)
        layout.addWidget(self.target_tabs)
        layout.addWidget(self.exact_label)
        layout.addLayout(grid)
        layout.addWidget(self.plot_area, 1)
        layout.addWidget(self.summary)
        self.step_slider.valueChanged.connect(self._on_step_changed)
        self.target_tabs.currentChanged.connect(self._on_target_chosen)
        self._scheduled: list[Target] | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self._on_scheduled)
        # The differences, the V and the summary are below the fold of a lesson's panel at
        # most window sizes: they are worked out when they come into view.
        self.details: tuple[QWidget, ...] = (
            *self.quotient_labels.values(),
            *self.error_labels.values(),
            self.plot_area,
            self.summary,
            self.gradient_label,
        )
        for part in self.details:
            part.installEventFilter(self)

    def _built(self) -> DifferenceErrorsPlot:
        """The plot of the errors against h, built (and drawn) on first use."""
        if self._error_plot is None:
            self._error_plot = DifferenceErrorsPlot.build(self.step())
            self.plot_area.layout().addWidget(self._error_plot.plot)
            viewport = self._error_plot.plot.viewport()
            viewport.installEventFilter(self)  # it now covers the area: watch its paints
            self.details = (*self.details, viewport)
            self._draw_plot(self._error_plot)
        return self._error_plot

    def plot_built(self) -> bool:
        """Whether the plot of the errors has been built (it is, once it is needed)."""
        return self._error_plot is not None

    @property
    def plot(self) -> pg.PlotWidget:
        """The log-log plot of each difference's error against h."""
        return self._built().plot

    @property
    def curves(self) -> dict[Kind, pg.PlotDataItem]:
        """Per difference: the measured error against h."""
        return self._built().curves

    @property
    def best_lines(self) -> dict[str, pg.InfiniteLine]:
        """Per one-sided and central difference: the best h of the error model."""
        return self._built().best_lines

    @property
    def material_line(self) -> pg.InfiniteLine:
        """The material's eps = 1e-5."""
        return self._built().material_line

    @property
    def step_line(self) -> pg.InfiniteLine:
        """The chosen h."""
        return self._built().step_line

    def step(self) -> float:
        """h."""
        return self.step_slider.value()

    def current(self) -> int:
        """The index of the derivative the table and the plot show."""
        return max(0, self.target_tabs.currentIndex())

    def schedule(self, targets: Sequence[Target]) -> None:
        """:meth:`set_targets` once the events queued now are handled (after the plot's
        repaint), so a drag or a keystroke never waits for this section and a burst costs
        one update.

        While the differences and the V are out of view (scrolled below the fold, or the tab
        hidden) only the exact value is written; the rest is worked out for the newest
        targets when they come into view.
        """
        self._scheduled = list(targets)
        self._timer.start()

    def _on_scheduled(self) -> None:
        if self._scheduled is None:
            return
        if not self.details_on_screen():
            shown = self._scheduled[min(self.current(), len(self._scheduled) - 1)]
            self._show_exact(shown.name, shown.exact if shown.f is not None else math.nan)
            return
        targets, self._scheduled = self._scheduled, None
        self.set_targets(targets)

    def details_on_screen(self) -> bool:
        """Whether any of the differences, the V or the summary can be seen."""
        return any(not part.visibleRegion().isEmpty() for part in self.details)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Catch up as the details are painted after coming into view (before the paint)."""
        if event.type() == QEvent.Type.Paint:
            if self._scheduled is not None:
                self._on_scheduled()
            if watched is self.plot_area and self._error_plot is None and self.targets:
                # Checked once the panel is laid out again: the first frames, the table
                # still empty and short, show the area, which the filled table pushes below.
                QTimer.singleShot(0, self, self._build_if_in_view)
        return False

    def _build_if_in_view(self) -> None:
        if self._error_plot is None and not self.plot_area.visibleRegion().isEmpty():
            self._built()  # the V came into view: built, for the shown targets

    def _show_exact(self, name: str, exact: float) -> None:
        if math.isfinite(exact):
            self.exact_label.setText(_minus(f"exact {name} = {_exact(exact)}"))
        else:
            self.exact_label.setText(f"{name} has no value here: there is nothing to approximate.")

    def set_targets(self, targets: Sequence[Target]) -> None:
        """Measure and show the differences of each target (the chosen one in full)."""
        self.targets = list(targets)
        self.studies = [
            study_derivative(t.f, t.point, t.exact, t.second)
            if t.f is not None and math.isfinite(t.exact)
            else None
            for t in self.targets
        ]
        names = [t.name for t in self.targets]
        tabs = self.target_tabs
        if [tabs.tabText(i) for i in range(tabs.count())] != names:
            tabs.blockSignals(True)
            chosen = self.current()
            while tabs.count():
                tabs.removeTab(0)
            for name in names:
                tabs.addTab(name)
            tabs.setCurrentIndex(min(chosen, len(names) - 1))
            tabs.blockSignals(False)
        tabs.setVisible(len(names) > 1)
        self._show_gradient()
        self._on_target_chosen(self.current())

    def _on_target_chosen(self, index: int) -> None:
        if not 0 <= index < len(self.targets):
            return
        target, study = self.targets[index], self.studies[index]
        name = target.name
        formulas = target.formulas or FORMULAS
        for kind, label in self.name_labels.items():
            label.setText(palette.swatch(KIND_COLOURS[kind], f"{kind} {formulas[kind]}"))
            label.setToolTip(f"The {kind} difference quotient {formulas[kind]}.")
        self.error_header.setText(f"<b>error vs {name}</b>")
        if self._error_plot is not None:
            # Out of view the V is not built; it is drawn for these targets when it is.
            self._draw_plot(self._error_plot)
        if study is None:
            self._show_exact(name, math.nan)
            self.summary.setText("")
            self._on_step_changed(self.step())
            return
        self._show_exact(name, study.exact)
        models = study.models
        central = (
            _scientific(models["central"].best_step)
            if models["central"].truncation > 0
            else f"any h up to 1, as {target.third_name} = 0 leaves no truncation error"
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
            f" with eps = 1e−5 is off by {_scientific(study.material_error)}: {verdict}."
        )
        self._on_step_changed(self.step())

    def _show_gradient(self) -> None:
        """The material's central differences at eps = 1e-5, to their true digits."""
        if len(self.targets) < 2:
            self.gradient_label.hide()
            return
        if any(study is None for study in self.studies):
            self.gradient_label.setText(
                "The gradient has no value here: there is nothing to approximate."
            )
        else:
            quotients = [
                float(difference_quotient(t.f, t.point, MATERIAL_STEP, "central"))
                for t in self.targets
                if t.f is not None
            ]
            exact = [t.exact for t in self.targets]
            shown = ", ".join(true_digits(q, e) for q, e in zip(quotients, exact, strict=True))
            errors = ", ".join(
                _scientific(abs(q - e)) for q, e in zip(quotients, exact, strict=True)
            )
            exact_text = ", ".join(_exact(e) for e in exact)
            self.gradient_label.setText(
                _minus(
                    f"<b>The material's gradient</b> (central differences, eps = 1e−5): "
                    f"<b>({shown})</b>, written to the digits that are true; exact "
                    f"({exact_text}), errors ({errors})."
                )
            )
        self.gradient_label.show()

    def _draw_plot(self, plot: DifferenceErrorsPlot) -> None:
        """Put the chosen target's errors, best h and the chosen h on the V."""
        index = self.current()
        if index < len(self.targets):
            plot.show_study(self.targets[index].name, self.studies[index], self.step())

    def _on_step_changed(self, h: float) -> None:
        if self._error_plot is not None:
            self._error_plot.step_line.setValue(math.log10(h))
        index = self.current()
        target = self.targets[index] if index < len(self.targets) else None
        exact = target.exact if target is not None else math.nan
        for kind in KINDS:
            if target is None or target.f is None:
                quotient = math.nan
            else:
                quotient = float(difference_quotient(target.f, target.point, h, kind))
            self.quotient_labels[kind].setText(_minus(f"{quotient:.12g}"))
            self.error_labels[kind].setText(_scientific(abs(quotient - exact)))


__all__ = ["KIND_COLOURS", "NumericalDerivative", "Target"]
