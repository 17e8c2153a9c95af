"""The descent panel's controls and their layout: preset, start, optimizers, Step/Play/Reset.

Notes
-----
These widgets only take input; the panel connects them and decides what each one does.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QSignalBlocker
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from calcstudio.ui.descent.presets import PresetCombo
from calcstudio.ui.descent.race import OptimizerChooser
from calcstudio.ui.widgets.playback import (
    DESCENT_BUTTONS,
    PlaybackButtons,
    error_message,
    pace_spins,
)


class DescentControls(QWidget):
    """The inputs of a descent: where it starts, who descends, and how fast Play goes.

    Parameters
    ----------
    presets
        The lesson presets the preset box offers.
    follow_box
        The view follower's *Follow* box, laid out beside the pace of Play.
    parent
        The parent widget.
    """

    def __init__(
        self,
        presets: Sequence[dict[str, Any]],
        follow_box: QWidget,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.preset_combo = PresetCombo(presets)
        self.start_label = QLabel("Start x₀")
        self.start_field = QLineEdit()
        self.start_field.setToolTip("Where the ball starts. Or click the curve to place it.")
        self.start_message = error_message()
        self.chooser = OptimizerChooser()
        self.buttons = PlaybackButtons(*DESCENT_BUTTONS)
        self.step_button = self.buttons.step_button
        self.play_button = self.buttons.play_button
        self.reset_button = self.buttons.reset_button
        self.speed_spin, self.max_steps_spin = pace_spins(10)
        self._lay_out(follow_box)

    def _lay_out(self, follow_box: QWidget) -> None:
        form = QFormLayout()
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow("Preset", self.preset_combo)
        form.addRow(self.start_label, self.start_field)
        form.addRow("", self.start_message)
        buttons = self.buttons.row()
        pace = QHBoxLayout()
        pace.addWidget(self.speed_spin)
        pace.addWidget(self.max_steps_spin)
        pace.addWidget(follow_box)
        pace.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(form)
        layout.addWidget(self.chooser)
        layout.addLayout(buttons)
        layout.addLayout(pace)

    def set_variable(self, variable: str) -> None:
        """Name the start and the optimizers' knobs after f's variable (``t₀`` for f(t))."""
        self.start_label.setText(f"Start {variable}₀")
        self.chooser.set_variable(variable)

    def show_playing(self, playing: bool) -> None:
        """Show Play as pressed (reading "Pause") or not, without toggling it."""
        with QSignalBlocker(self.play_button):
            self.play_button.setChecked(playing)
        self.play_button.setText("Pause" if playing else "Play")
