"""The tangent panel's readouts: labels that show one number each, and how numbers are written.

Notes
-----
The formats here are shared by the panel's labels and its limit table, so a secant's slope
reads with the same digits in both places.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFormLayout, QLabel

from calcstudio.core.calculus import format_number
from calcstudio.ui.widgets import palette

NONE = "—"
QUOTIENT_DIGITS = 8
"""Significant digits of a secant's slope: enough to watch them settle on f′(a) as h shrinks."""


def minus(text: str) -> str:
    """Text with a typographic minus, as a learner reads it in a sentence."""
    return text.replace("-", "−")


def format_error(error: float) -> str:
    """An error ``|slope − f′(a)|`` with three significant digits."""
    # Three digits: the error's size matters, not its digits; its zeros grow as h shrinks.
    return format_number(error, digits=3)


def readout(tip: str = "", colour: str | None = None) -> QLabel:
    """A selectable, wrapping label showing :data:`NONE` until it has a value."""
    label = QLabel(NONE)
    label.setToolTip(tip)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setWordWrap(True)
    if colour is not None:
        label.setStyleSheet(f"color: {colour};")
    return label


def name(text: str, tip: str, colour: str) -> QLabel:
    """A readout's name with a swatch of the colour it is drawn in."""
    label = QLabel(palette.swatch(colour, text))
    label.setToolTip(tip)
    return label


def form(rows: Sequence[tuple[str, QLabel]], colour: str) -> QFormLayout:
    """Readouts under their names, each name carrying its readout's tooltip."""
    layout = QFormLayout()
    for text, label in rows:
        layout.addRow(name(text, label.toolTip(), colour), label)
    return layout
