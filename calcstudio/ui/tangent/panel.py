"""The tangent & secant panel: the numbers of the limit definition of f′(a), live.

Notes
-----
The panel owns the inputs (a, h and the "Shrink h" animation) and fills its readouts from
what core computed; the labels' formats live in :mod:`calcstudio.ui.tangent.readouts` and
the table of difference quotients in :mod:`calcstudio.ui.tangent.limit_table`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from PySide6.QtCore import QElapsedTimer, QSignalBlocker, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from calcstudio.core.calculus import LimitRow, Secant, Tangent, format_number
from calcstudio.core.derivative_check import DerivativeCheck
from calcstudio.ui.tangent.limit_table import LimitTable
from calcstudio.ui.tangent.readouts import (
    NONE,
    QUOTIENT_DIGITS,
    form,
    format_error,
    minus,
    name,
    readout,
)
from calcstudio.ui.widgets import palette
from calcstudio.ui.widgets.log_slider import LogSlider, format_exact, parse_number

MIN_STEP = 1e-6
"""The smallest h: below it rounding errors swamp the difference quotient."""
MAX_STEP = 2.0
"""The largest h."""
SHRINK_SECONDS = 3.5
"""How long "Shrink h" takes from h = 1 down to 1e-6."""
FRAME_MS = 16
"""About 60 frames a second."""

_TIPS = {
    "a": "The point a where the tangent touches the curve; drag the orange point or type here.",
    "f(a)": "The height of the curve at a.",
    "f′(a)": "The slope of the curve at a: the number the secant slopes approach as h → 0.",
    "tangent": "The line through (a, f(a)) with slope f′(a): y = f′(a)(x − a) + f(a).",
    "rise": "How far the curve climbs from a to a + h: f(a + h) − f(a).",
    "run": "How far apart the two points are horizontally: the step h.",
    "slope": "A secant is the line through two points of the curve; its slope rise/run is "
    "the average rate of change from a to a + h.",
    "error": "How far the secant's slope is from f′(a); it shrinks as h → 0, which is why "
    "f′(a) is defined as the limit of rise/run.",
    "h": "The step h: the secant runs from a to a + h. Make it small and the secant turns "
    "into the tangent.",
    "shrink": "Shrink h smoothly towards 0.000001 and watch the secant become the tangent.",
}


class TangentPanel(QWidget):
    """A side panel with the tangent at ``a``, the secant through ``a`` and ``a + h``, and
    the table of difference quotients as ``h`` shrinks.

    The panel shows what core computes (:meth:`show_values`) and reports what the
    learner edits (:attr:`pointEdited`, :attr:`stepChanged`); it computes nothing.

    Parameters
    ----------
    parent
        The parent widget.
    step
        The starting h.
    shrink_duration
        Seconds that "Shrink h" takes from h = 1 to 1e-6 (tests shorten it).
    """

    pointEdited = Signal(float)
    """A number typed for a."""
    stepChanged = Signal(float)
    """The new h, from the slider, its field, or each frame of the shrink animation."""

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        step: float = 1.0,
        shrink_duration: float = SHRINK_SECONDS,
    ) -> None:
        super().__init__(parent)
        self.shrink_duration = shrink_duration
        self.variable = "x"
        """f's variable, in the tangent's equation (``y = 2t - 1`` for a function of t)."""

        self.point_field = QLineEdit()
        self.point_field.setObjectName("pointField")
        self.point_field.setPlaceholderText("e.g. 1 or -0.5")
        self.point_field.setToolTip(_TIPS["a"])
        self.point_message = QLabel()
        self.point_message.setStyleSheet(f"color: {palette.ERROR};")
        self.point_message.setWordWrap(True)
        self.point_message.hide()

        self.h_slider = LogSlider(MIN_STEP, MAX_STEP, step, name="h")
        self.h_slider.setToolTip(_TIPS["h"])
        self.shrink_button = QPushButton("Shrink h")
        self.shrink_button.setToolTip(_TIPS["shrink"])
        self._timer = QTimer(self)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.setInterval(FRAME_MS)
        self._clock = QElapsedTimer()
        self._shrink_from = 1.0
        self._shrink_seconds = 0.0

        self.point_label = readout(_TIPS["a"], palette.TANGENT)
        self.value_label = readout(_TIPS["f(a)"])
        self.slope_label = readout(_TIPS["f′(a)"], palette.TANGENT)
        self.tangent_label = readout(_TIPS["tangent"], palette.TANGENT)
        self.rise_label = readout(_TIPS["rise"], palette.SECANT)
        self.run_label = readout(_TIPS["run"], palette.SECANT)
        self.secant_slope_label = readout(_TIPS["slope"], palette.SECANT)
        self.secant_error_label = readout(_TIPS["error"])
        self.message_label = readout()
        self.message_label.setText("")
        self.table = LimitTable(self.font())

        self._build_layout()
        self.point_field.textEdited.connect(self._on_point_text_edited)
        self.point_field.returnPressed.connect(self._on_point_entered)
        self.h_slider.valueChanged.connect(self._on_step_slid)
        self.shrink_button.clicked.connect(self._on_shrink_clicked)
        self._timer.timeout.connect(self._on_frame)

    def _build_layout(self) -> None:
        inputs = QFormLayout()
        inputs.addRow(name("a", _TIPS["a"], palette.TANGENT), self.point_field)
        inputs.addRow("", self.point_message)
        step_row = QHBoxLayout()
        step_row.addWidget(self.h_slider, 1)
        step_row.addWidget(self.shrink_button, 0, Qt.AlignmentFlag.AlignTop)
        inputs.addRow(name("h", _TIPS["h"], palette.SECANT), step_row)
        tangent = form(
            [
                ("a", self.point_label),
                ("f(a)", self.value_label),
                ("f′(a)", self.slope_label),
                ("tangent", self.tangent_label),
            ],
            palette.TANGENT,
        )
        secant = form(
            [
                ("rise = f(a+h) − f(a)", self.rise_label),
                ("run = h", self.run_label),
                ("slope = rise / run", self.secant_slope_label),
                ("error = |slope − f′(a)|", self.secant_error_label),
            ],
            palette.SECANT,
        )
        layout = QVBoxLayout(self)
        layout.addLayout(inputs)
        layout.addWidget(QLabel(palette.swatch(palette.TANGENT, "Tangent at a")))
        layout.addLayout(tangent)
        layout.addWidget(QLabel(palette.swatch(palette.SECANT, "Secant from a to a + h")))
        layout.addLayout(secant)
        layout.addWidget(self.message_label)
        layout.addWidget(QLabel("<b>The limit as h → 0</b>"))
        layout.addWidget(self.table, 1)
        self.setMinimumWidth(300)

    # --- the point a ----------------------------------------------------------

    def set_point(self, a: float) -> None:
        """Show ``a`` set elsewhere (dragging on the plot) without emitting :attr:`pointEdited`."""
        self.point_message.hide()
        try:
            if self.point_field.hasFocus() and parse_number(self.point_field.text()) == a:
                return  # the learner is typing this very number: leave their text alone
        except ValueError:
            pass
        self.point_field.setText(format_exact(a))

    def _on_point_text_edited(self, text: str) -> None:
        # Half-typed numbers ("-", "1e") are silent until Enter; whole ones move the point.
        try:
            a = parse_number(text)
        except ValueError:
            return
        self.point_message.hide()
        self.pointEdited.emit(a)

    def _on_point_entered(self) -> None:
        try:
            parse_number(self.point_field.text())
        except ValueError as error:
            self.point_message.setText(str(error))
            self.point_message.show()

    def point_message_text(self) -> str:
        """The message under the a field, or ``""`` when there is none."""
        return "" if self.point_message.isHidden() else self.point_message.text()

    # --- the step h -----------------------------------------------------------

    def step(self) -> float:
        """The current h."""
        return self.h_slider.value()

    def set_step(self, h: float) -> None:
        """Show ``h`` set elsewhere, without emitting :attr:`stepChanged`."""
        self._show_step(h)

    def _show_step(self, h: float) -> None:
        with QSignalBlocker(self.h_slider):
            self.h_slider.setValue(h)
        self.table.highlight(self.step())

    def _on_step_slid(self, h: float) -> None:
        self.stop_shrink()
        self.table.highlight(self.step())
        self.stepChanged.emit(h)

    # --- the shrink animation -----------------------------------------------

    def is_shrinking(self) -> bool:
        """Whether the "Shrink h" animation is running."""
        return self._timer.isActive()

    def start_shrink(self) -> None:
        """Shrink h geometrically towards 1e-6, emitting :attr:`stepChanged` each frame."""
        start = self.step()
        if start <= MIN_STEP * (1 + 1e-9):
            start = 1.0  # already at the end: play it again from h = 1
        self._shrink_from = start
        # The same pace at every h: equal times for equal factors.
        self._shrink_seconds = self.shrink_duration * math.log(start / MIN_STEP) / math.log(1e6)
        self._clock.start()
        self._timer.start()
        self.shrink_button.setText("Stop")

    def stop_shrink(self) -> None:
        """Stop the animation where it is."""
        self._timer.stop()
        self.shrink_button.setText("Shrink h")

    def _on_shrink_clicked(self) -> None:
        if self.is_shrinking():
            self.stop_shrink()
        else:
            self.start_shrink()

    def _on_frame(self) -> None:
        fraction = self._clock.elapsed() / 1000 / max(self._shrink_seconds, 1e-9)
        done = fraction >= 1
        h = MIN_STEP if done else self._shrink_from * (MIN_STEP / self._shrink_from) ** fraction
        if h < self.step() or (done and h != self.step()):
            self._show_step(h)
            self.stepChanged.emit(self.step())
        if done:
            self.stop_shrink()

    # --- readouts -------------------------------------------------------------

    def show_values(
        self,
        tangent: Tangent | None,
        secant: Secant | None,
        rows: Sequence[LimitRow],
        check: DerivativeCheck,
    ) -> None:
        """Show the numbers of the tangent at a, the secant to a + h, and the limit table.

        Parameters
        ----------
        tangent
            The tangent at a (a :class:`~calcstudio.core.calculus.Tangent`), or None.
        secant
            From :func:`~calcstudio.core.calculus.secant`, or None.
        rows
            From :func:`~calcstudio.core.calculus.limit_table`.
        check
            From :func:`~calcstudio.core.derivative_check.check_derivative` at the same a; where
            f′(a) does not exist, that is said in words and no tangent is shown.
        """
        a, defined, exists = check.point, check.defined, check.exists
        line = tangent if tangent is not None else secant
        # A symbolic f′ can have a value where f′ does not exist (sign(0) = 0 for |x|).
        if exists and tangent is not None and math.isfinite(tangent.slope):
            slope = tangent.slope
        else:
            slope = check.slope
        messages = []
        self.point_label.setText(format_exact(a))
        shown = line is not None and defined  # at a pole rounding may give f a huge value
        too_large = check.reason == "overflow"  # exp(1000): defined, but beyond floats
        missing = "too large" if too_large else "undefined"
        self.value_label.setText(format_number(line.value) if shown else missing)
        if too_large:
            messages.append(check.message())
            self.slope_label.setText("too large to compute")
            self.tangent_label.setText("none: f is too large to compute at a")
        elif not defined:
            messages.append(check.message())
            self.slope_label.setText("undefined")
            self.tangent_label.setText("none: f has no value at a")
        elif check.reason == "unresolved":
            messages.append(check.message())
            self.slope_label.setText("cannot be decided")
            self.tangent_label.setText("none: floats are too coarse here")
        elif not exists:
            messages.append(check.message())
            self.slope_label.setText("does not exist")
            if check.reason == "vertical":
                self.tangent_label.setText(f"vertical, x = {format_exact(a)}: no slope")
            else:
                self.tangent_label.setText("none: the curve has no single slope at a")
        else:
            self.slope_label.setText(format_number(slope))
            self.tangent_label.setText(
                tangent.equation(self.variable) if tangent is not None else NONE
            )
        self._show_secant(secant if defined else None, slope, messages)
        self.message_label.setText(" ".join(messages))
        self.table.fill(rows if defined else [], slope, self.step())

    def _show_secant(self, secant: Secant | None, slope: float, messages: list[str]) -> None:
        if secant is None:
            for label in (self.rise_label, self.run_label, self.secant_slope_label):
                label.setText(NONE)
            self.secant_error_label.setText(NONE)
            return
        self.rise_label.setText(format_number(secant.rise))
        self.run_label.setText(format_exact(secant.run))
        self.secant_slope_label.setText(format_number(secant.slope, QUOTIENT_DIGITS))
        self.secant_error_label.setText(
            format_error(abs(secant.slope - slope)) if math.isfinite(slope) else NONE
        )
        if not math.isfinite(secant.value_after):
            where = minus(format_exact(secant.point + secant.step))
            messages.append(f"f is not defined at a + h = {where}, so there is no secant.")

    def highlighted_row(self) -> int:
        """The table row nearest the current h, or -1 when the table is empty."""
        return self.table.highlighted_row()

    def clear(self, message: str) -> None:
        """Empty every readout and the table, and show ``message`` (e.g. no function yet)."""
        for label in (self.point_label, self.value_label, self.slope_label, self.tangent_label):
            label.setText(NONE)
        self._show_secant(None, math.nan, [])
        self.message_label.setText(message)
        self.table.fill([], math.nan, self.step())
