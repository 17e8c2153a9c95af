"""The area lesson's side panel: [a, b], n, the rule, the sum written out, the integral, the error.

The panel shows what :class:`~calcstudio.ui.area.lesson.AreaLesson` hands it and reports what
the learner edits through signals; it computes nothing.
"""

from __future__ import annotations

from PySide6.QtCore import QSignalBlocker, Qt, QTimer, Signal
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from calcstudio.core.area.riemann import MAX_PIECES, RULE_NAMES, RULES, Rule
from calcstudio.ui.area.error_plot import ErrorPlot
from calcstudio.ui.area.items import ACCUMULATION
from calcstudio.ui.widgets import palette
from calcstudio.ui.widgets.log_slider import LogSlider
from calcstudio.ui.widgets.math_view import Formula, MathView

DOUBLING_MS = 700
"""Time between two doublings of n in the animation."""
INTEGRAL_HEIGHT = 70
"""The least height of the integral's formula (a one-line message needs no more)."""

_TIPS = {
    "a": "Where the area starts: a number or a constant such as 0, pi, -1/2. Or drag the line a.",
    "b": "Where the area ends. Or drag the line b on the plot.",
    "n": "How many rectangles: Δx = (b − a)/n. Narrower rectangles, smaller error.",
    "rule": "Where each rectangle takes its height: f at the left or right end or the middle "
    "of its piece, the average of both ends (a trapezoid), or f's largest or smallest value "
    "on the piece (upper and lower sums).",
    "double": "Double n every moment, from 1 to 10,000, and watch the error shrink.",
    "accumulation": "Plot F(x) = ∫ₐˣ f, the area from a to x: its slope at every x is f(x).",
}


def _readout(tip: str = "") -> QLabel:
    label = QLabel()
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setToolTip(tip)
    return label


class AreaPanel(QWidget):
    """Controls and readouts of the area lesson.

    Attributes
    ----------
    a_field, b_field : QLineEdit
        The bounds as typed (any constant expression).
    n_slider : LogSlider
        n from 1 to 10,000 on a logarithmic scale.
    rule_box : QComboBox
        The rule.
    verdict_label, sum_label, integral_view, error_label : widgets
        What the interval is, the sum written with its numbers, the integral typeset,
        the error of the sum.
    error_plot : ErrorPlot
        The error against n.
    """

    boundsEdited = Signal(str, str)
    """The texts of a and b after the learner pressed Enter in either field."""
    piecesChanged = Signal(int)
    """The new n."""
    ruleChanged = Signal(str)
    """The new rule (one of :data:`~calcstudio.core.area.riemann.RULES`)."""
    accumulationToggled = Signal(bool)
    """Whether F(x) is to be plotted."""
    presetChosen = Signal(int)
    """The index of the preset picked."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.preset_box = QComboBox()
        self.preset_box.setToolTip("Examples from the lesson material.")
        self.preset_label = _readout()
        self.preset_label.setStyleSheet(f"color: {palette.MUTED};")
        self.a_field, self.b_field = QLineEdit("0"), QLineEdit("1")
        for field, name in ((self.a_field, "a"), (self.b_field, "b")):
            field.setToolTip(_TIPS[name])
            field.returnPressed.connect(self._on_bounds_entered)
        self.bounds_message = _readout()
        self.bounds_message.setStyleSheet(f"color: {palette.ERROR};")
        self.bounds_message.hide()
        self.n_slider = LogSlider(1, MAX_PIECES, 8, name="n")
        self.n_slider.setToolTip(_TIPS["n"])
        self.rule_box = QComboBox()
        for rule in RULES:
            self.rule_box.addItem(RULE_NAMES[rule], rule)
        self.rule_box.setToolTip(_TIPS["rule"])
        self.double_button = QPushButton("Double n ▶")
        self.double_button.setCheckable(True)
        self.double_button.setToolTip(_TIPS["double"])
        self.accumulation_box = QCheckBox("Show F(x) = ∫ₐˣ f")
        self.accumulation_box.setToolTip(_TIPS["accumulation"])
        self.accumulation_box.setStyleSheet(f"color: {ACCUMULATION};")

        self.verdict_label = _readout()
        self.verdict_label.setStyleSheet(f"color: {palette.ERROR};")
        self.verdict_label.hide()
        self.sum_label = _readout("The sum of the rectangles' signed areas, height × width.")
        self.sum_label.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.integral_view = MathView()
        self.integral_view.setMinimumHeight(INTEGRAL_HEIGHT)
        self.integral_label = _readout()
        self.error_label = _readout("How far the sum is from the integral.")
        self.error_plot = ErrorPlot()
        self._build_layout()

        self._timer = QTimer(self)
        self._timer.setInterval(DOUBLING_MS)
        self._timer.timeout.connect(self._on_double)
        self.n_slider.valueChanged.connect(self._on_n_slid)
        self.rule_box.currentIndexChanged.connect(
            lambda _: self.ruleChanged.emit(self.rule_box.currentData())
        )
        self.double_button.toggled.connect(self._on_double_toggled)
        self.accumulation_box.toggled.connect(self.accumulationToggled)
        self.preset_box.activated.connect(self.presetChosen)

    def _build_layout(self) -> None:
        form = QFormLayout()
        bounds = QHBoxLayout()
        for text, field in (("a", self.a_field), ("b", self.b_field)):
            bounds.addWidget(QLabel(f"<b>{text}</b>"))
            bounds.addWidget(field)
        form.addRow("Preset", self.preset_box)
        form.addRow("Interval", bounds)
        form.addRow("", self.bounds_message)
        form.addRow("n", self.n_slider)
        form.addRow("Rule", self.rule_box)
        buttons = QHBoxLayout()
        buttons.addWidget(self.double_button)
        buttons.addWidget(self.accumulation_box)
        layout = QVBoxLayout(self)
        layout.addWidget(self.preset_label)
        layout.addLayout(form)
        layout.addLayout(buttons)
        layout.addWidget(self.verdict_label)
        layout.addWidget(self.sum_label)
        layout.addWidget(self.integral_view)
        layout.addWidget(self.integral_label)
        layout.addWidget(self.error_label)
        layout.addWidget(self.error_plot, 1)

    def show_integral(self, formula: Formula | None, message: str = "") -> None:
        """The integral typeset (or ``message`` in its place), given all the height it
        needs: the panel scrolls as a whole, so the formula never sits cut off in a small
        scrolling box of its own."""
        if formula is None:
            self.integral_view.set_message(message)
        else:
            self.integral_view.set_formulas([formula])
        needed = self.integral_view.contents_height()
        if self.integral_view.horizontalScrollBar().isVisible():
            needed += self.integral_view.horizontalScrollBar().height()
        self.integral_view.setMinimumHeight(max(INTEGRAL_HEIGHT, needed))

    # --- state --------------------------------------------------------------

    def pieces(self) -> int:
        """n."""
        return max(1, round(self.n_slider.value()))

    def rule(self) -> Rule:
        """The chosen rule."""
        return self.rule_box.currentData()

    def set_rule(self, rule: Rule) -> None:
        """Choose ``rule`` (emits :attr:`ruleChanged` if it changed)."""
        self.rule_box.setCurrentIndex(RULES.index(rule))

    def set_pieces(self, n: int) -> None:
        """Set n (emits :attr:`piecesChanged` if it changed)."""
        self.n_slider.setValue(max(1, min(MAX_PIECES, int(n))))

    def set_bounds_text(self, a: str, b: str) -> None:
        """Show a and b (from a drag or a preset) without emitting."""
        with QSignalBlocker(self.a_field), QSignalBlocker(self.b_field):
            self.a_field.setText(a)
            self.b_field.setText(b)

    def set_bounds_message(self, text: str) -> None:
        """Say what is wrong with a typed bound; "" hides it."""
        self.bounds_message.setText(text)
        self.bounds_message.setVisible(bool(text))

    def set_verdict(self, text: str) -> None:
        """Say what f does on [a, b] when the sums approximate nothing (or slowly); "" hides."""
        self.verdict_label.setText(text)
        self.verdict_label.setVisible(bool(text))

    def is_doubling(self) -> bool:
        """Whether the doubling animation runs."""
        return self._timer.isActive()

    def stop(self) -> None:
        """Stop the animation."""
        self.double_button.setChecked(False)

    # --- slots --------------------------------------------------------------

    def _on_bounds_entered(self) -> None:
        self.boundsEdited.emit(self.a_field.text(), self.b_field.text())

    def _on_n_slid(self, value: float) -> None:
        n = max(1, round(value))
        if n != value:  # whole rectangles only: the slider's 1.87 is 2
            self.n_slider.setValue(n)
            return
        self.piecesChanged.emit(n)

    def _on_double_toggled(self, running: bool) -> None:
        self.double_button.setText("Stop ■" if running else "Double n ▶")
        if running:
            self.set_pieces(1)
            self._timer.start()
        else:
            self._timer.stop()

    def _on_double(self) -> None:
        n = self.pieces() * 2
        if n > MAX_PIECES:
            self.stop()
            return
        self.set_pieces(n)


__all__ = ["DOUBLING_MS", "AreaPanel"]
