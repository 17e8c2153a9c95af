"""The Newton–Raphson panel: the start x₀, the table of iterates, the verdict."""

from __future__ import annotations

import math

import numpy as np
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from calcstudio.core.root_finding import NewtonRun
from calcstudio.ui.widgets import palette

_HEADERS = ("k", "xₖ", "f(xₖ)", "f′(xₖ)", "correct\ndigits")


def _cell(value: float, digits: int = 16) -> str:
    return f"{value:.{digits}g}".replace("-", "−") if math.isfinite(value) else "undefined"


class NewtonPanel(QWidget):
    """The start, the rule ``x ← x − f(x)/f′(x)``, the iterates and how the run ended.

    Attributes
    ----------
    preset_box : QComboBox
        The lesson's examples (``resources/newton_presets.json``).
    preset_label : QLabel
        What the chosen example shows.
    start_field : QLineEdit
        x₀ (any constant: ``2``, ``pi/2``); or click the plot.
    minimize_box : QCheckBox
        Run the method on f′ (with f″ as its slope): Newton's method for minimizing.
    table : QTableWidget
        k, xₖ, f(xₖ), f′(xₖ) and the correct digits of each iterate.
    verdict_label : QLabel
        Converged, flat tangent, cycle, diverging, another root than the nearest, undefined.
    """

    presetChosen = Signal(int)
    """The index of the example picked."""
    startEdited = Signal(str)
    """The text of x₀ after Enter."""
    minimizeToggled = Signal(bool)
    """Whether to run on f′ (minimizing) instead of f (root finding)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rule_label = QLabel()
        self.rule_label.setWordWrap(True)
        self.preset_box = QComboBox()
        self.preset_box.setToolTip("Examples: quadratic convergence, and each way Newton fails.")
        self.preset_box.setPlaceholderText("Choose an example…")
        self.preset_label = QLabel()
        self.preset_label.setWordWrap(True)
        self.preset_label.setStyleSheet(f"color: {palette.MUTED};")
        self.preset_label.hide()
        self.start_field = QLineEdit("1")
        self.start_field.setToolTip(
            "Where Newton starts: a number or a constant; or click the plot."
        )
        self.start_message = QLabel()
        self.start_message.setStyleSheet(f"color: {palette.ERROR};")
        self.start_message.hide()
        self.minimize_box = QCheckBox("Minimize: Newton's method on f′ (as in the descent lesson)")
        self.minimize_box.setToolTip(
            "Where f′ = 0 is where f has a minimum or maximum: the same steps on f′, with f″ as"
            " its slope, are Newton's optimizer x ← x − f′(x)/f″(x) of the descent lesson."
        )
        self.table = QTableWidget(0, len(_HEADERS))
        self.table.setHorizontalHeaderLabels(_HEADERS)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.table.setToolTip(
            "Near a simple root the number of correct digits about doubles every step:"
            " quadratic convergence."
        )
        self.verdict_label = QLabel()
        self.verdict_label.setWordWrap(True)
        self.verdict_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        form = QFormLayout()
        form.addRow("Example", self.preset_box)
        form.addRow("x₀", self.start_field)
        form.addRow("", self.start_message)
        layout = QVBoxLayout(self)
        layout.addWidget(self.rule_label)
        layout.addWidget(self.preset_label)
        layout.addLayout(form)
        layout.addWidget(self.minimize_box)
        layout.addWidget(self.verdict_label)
        layout.addWidget(self.table, 1)
        self.start_field.returnPressed.connect(
            lambda: self.startEdited.emit(self.start_field.text())
        )
        self.minimize_box.toggled.connect(self.minimizeToggled)
        self.preset_box.activated.connect(self.presetChosen)
        self.set_minimizing(False)

    def set_minimizing(self, minimizing: bool) -> None:
        """Write the update rule for root finding or for minimizing."""
        if minimizing:
            self.rule_label.setText(
                "Newton for minimizing: follow the tangent of f′ to where f′ = 0,"
                " x ← x − f′(x)/f″(x)."
            )
            self.table.setHorizontalHeaderLabels(("k", "xₖ", "f′(xₖ)", "f″(xₖ)", _HEADERS[-1]))
        else:
            self.rule_label.setText(
                "Newton–Raphson: follow the tangent at x down to the x-axis, x ← x − f(x)/f′(x)."
            )
            self.table.setHorizontalHeaderLabels(_HEADERS)

    def show_preset(self, index: int, lesson: str) -> None:
        """Show example ``index`` as chosen, with what it shows."""
        self.preset_box.setCurrentIndex(index)
        self.preset_label.setText(lesson)
        self.preset_label.setVisible(bool(lesson))

    def set_start_message(self, text: str) -> None:
        """Say what is wrong with x₀ as typed; "" hides it."""
        self.start_message.setText(text)
        self.start_message.setVisible(bool(text))

    def show_run(self, run: NewtonRun | None, message: str = "") -> None:
        """Fill the table with ``run``'s iterates and write its verdict (or ``message``)."""
        if run is None:
            self.table.setRowCount(0)
            self.verdict_label.setText(message)
            return
        digits = run.correct_digits()
        self.table.setRowCount(run.points.size)
        for k in range(run.points.size):
            cells = (
                str(k),
                _cell(run.points[k]),
                _cell(run.values[k], 6),
                _cell(run.slopes[k], 6),
                "—" if np.isnan(digits[k]) else f"{max(digits[k], 0.0):.1f}",
            )
            for column, text in enumerate(cells):
                self.table.setItem(k, column, QTableWidgetItem(text))
        good = run.verdict == "converged"
        colour = palette.MUTED if good else palette.ERROR
        self.verdict_label.setStyleSheet(f"color: {colour};")
        self.verdict_label.setText(run.message)


__all__ = ["NewtonPanel"]
