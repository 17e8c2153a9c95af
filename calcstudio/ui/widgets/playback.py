"""The controls every animated lesson shares: Step, Play and Reset, the pace of Play, and the
red line that says what is wrong with a typed field.

The descent, the surface's descent and the chain rule's backward pass each play something
step by step; building the controls here keeps their look and behaviour the same.
"""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSpinBox

from calcstudio.ui.widgets import palette


def error_message() -> QLabel:
    """A hidden, word-wrapped red line for what is wrong with a field (shown when there is)."""
    label = QLabel()
    label.setStyleSheet(f"color: {palette.ERROR};")
    label.setWordWrap(True)
    label.hide()
    return label


class PlaybackButtons:
    """Step, Play (a toggle) and Reset, with what each does in its tooltip.

    Parameters
    ----------
    step, play, reset
        The three tooltips.
    """

    def __init__(self, step: str, play: str, reset: str) -> None:
        self.step_button = QPushButton("Step")
        self.step_button.setToolTip(step)
        self.play_button = QPushButton("Play")
        self.play_button.setCheckable(True)
        self.play_button.setToolTip(play)
        self.reset_button = QPushButton("Reset")
        self.reset_button.setToolTip(reset)

    def row(self) -> QHBoxLayout:
        """The three buttons side by side."""
        row = QHBoxLayout()
        for button in (self.step_button, self.play_button, self.reset_button):
            row.addWidget(button)
        return row


DESCENT_BUTTONS = (
    "Take one step",
    "Keep stepping until it converges, diverges or runs out",
    "Put the ball back at the start",
)
"""The tooltips of a descent's Step, Play and Reset."""


def pace_spins(steps_per_second: int) -> tuple[QSpinBox, QSpinBox]:
    """How many steps Play takes a second, and after how many it stops."""
    speed = QSpinBox(minimum=1, maximum=1000, value=steps_per_second, suffix=" steps/s")
    speed.setToolTip("How many steps Play takes each second")
    limit = QSpinBox(minimum=1, maximum=100_000, value=500, prefix="max ", suffix=" steps")
    limit.setToolTip("Play stops after this many steps")
    return speed, limit


__all__ = ["DESCENT_BUTTONS", "PlaybackButtons", "error_message", "pace_spins"]
