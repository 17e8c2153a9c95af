"""A slider on a logarithmic scale with a field for the exact number, e.g. a step h or a rate."""

from __future__ import annotations

import math

from PySide6.QtCore import QSignalBlocker, Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QSlider, QVBoxLayout, QWidget

from calcstudio.core.numbers import format_number, parse_number
from calcstudio.ui.widgets import palette

__all__ = ["LogSlider", "format_exact", "parse_number"]

SLIDER_STEPS = 1000
"""Slider positions between the minimum and the maximum."""


def format_exact(value: float) -> str:
    """A short text for a field's value that :func:`parse_number` reads back: ``0.5``, ``1e-6``."""
    return format_number(value, digits=6)


class LogSlider(QWidget):
    """A horizontal slider whose positions are spaced evenly in ``log(value)``.

    Equal slider movements multiply the value by equal factors, so ``1e-6`` and ``2``
    both get room: the middle of the slider is the geometric mean of the ends. The
    field beside it takes an exact number (``1e-3``) applied on Enter; numbers out of
    range are clamped with a message under the slider.

    Parameters
    ----------
    minimum, maximum
        The range, with ``0 < minimum < maximum``.
    value
        The starting value, clamped to the range.
    parent
        The parent widget.
    name
        What the value is called in messages, e.g. ``"h"``.

    Raises
    ------
    ValueError
        If the range is not positive and increasing.
    """

    valueChanged = Signal(float)
    """The new value, when the slider moves, a number is entered, or :meth:`setValue` changes it."""

    def __init__(
        self,
        minimum: float,
        maximum: float,
        value: float,
        parent: QWidget | None = None,
        *,
        name: str = "the value",
    ) -> None:
        super().__init__(parent)
        if not (math.isfinite(minimum) and math.isfinite(maximum) and 0 < minimum < maximum):
            raise ValueError(f"a log slider needs 0 < minimum < maximum, not {minimum}, {maximum}")
        self._minimum = float(minimum)
        self._maximum = float(maximum)
        self._name = name
        self._value = self._clamp(float(value))

        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setRange(0, SLIDER_STEPS)
        self.slider.setPageStep(SLIDER_STEPS // 20)
        self.field = QLineEdit()
        self.field.setMaximumWidth(90)
        self.field.setToolTip(
            f"Type an exact number from {format_exact(self._minimum)} to "
            f"{format_exact(self._maximum)}, such as 1e-3 or pi/4, and press Enter."
        )
        self.message_label = QLabel()
        self.message_label.setStyleSheet(f"color: {palette.ERROR};")
        self.message_label.setWordWrap(True)
        self.message_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message_label.hide()

        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.slider, 1)
        row.addWidget(self.field)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(row)
        layout.addWidget(self.message_label)

        self._show(self._value)
        self.slider.valueChanged.connect(self._on_slider_moved)
        self.field.returnPressed.connect(self._on_field_entered)

    # --- value --------------------------------------------------------------

    def minimum(self) -> float:
        """The smallest value."""
        return self._minimum

    def maximum(self) -> float:
        """The largest value."""
        return self._maximum

    def value(self) -> float:
        """The current value, exactly as typed or as the slider gives it."""
        return self._value

    def setValue(self, value: float) -> None:
        """Show ``value`` (clamped to the range); emits :attr:`valueChanged` if it changed."""
        self._set(self._clamp(float(value)))

    def message(self) -> str:
        """The message under the slider, or ``""``."""
        return self.message_label.text()

    # --- slider position <-> value -----------------------------------------

    def position_of(self, value: float) -> int:
        """The slider position nearest to ``value`` on the log scale."""
        fraction = math.log(value / self._minimum) / math.log(self._maximum / self._minimum)
        return round(min(1.0, max(0.0, fraction)) * SLIDER_STEPS)

    def value_at(self, position: int) -> float:
        """The value at a slider position, rounded to 3 significant digits for the readout."""
        if position <= 0:
            return self._minimum
        if position >= SLIDER_STEPS:
            return self._maximum
        ratio = self._maximum / self._minimum
        value = self._minimum * ratio ** (position / SLIDER_STEPS)
        return self._clamp(float(f"{value:.3g}"))

    # --- internals ----------------------------------------------------------

    def _clamp(self, value: float) -> float:
        if math.isnan(value):
            return self._minimum
        return min(self._maximum, max(self._minimum, value))

    def _set(self, value: float) -> None:
        changed = value != self._value
        self._value = value
        self._show(value)
        if changed:
            self.valueChanged.emit(value)

    def _show(self, value: float, text: str | None = None) -> None:
        # Position the slider without re-reading a rounded value back from it.
        with QSignalBlocker(self.slider):
            self.slider.setValue(self.position_of(value))
        self.field.setText(format_exact(value) if text is None else text)

    def _show_message(self, text: str) -> None:
        self.message_label.setText(text)
        self.message_label.setVisible(bool(text))

    def _on_slider_moved(self, position: int) -> None:
        self._show_message("")
        self._set(self.value_at(position))

    def _on_field_entered(self) -> None:
        text = self.field.text()
        try:
            typed = parse_number(text)
        except ValueError as error:
            self._show_message(str(error))
            return
        value = self._clamp(typed)
        if value == typed:
            self._show_message("")
        else:
            bound = "at least" if typed < value else "at most"
            self._show_message(
                f"Out of range: {self._name} must be {bound} {format_exact(value)},"
                f" so {format_exact(value)} is used."
            )
        changed = value != self._value
        self._value = value
        # Keep exactly what the learner typed when it is in range (1e-3 stays 1e-3).
        self._show(value, text.strip() if value == typed else None)
        if changed:
            self.valueChanged.emit(value)
