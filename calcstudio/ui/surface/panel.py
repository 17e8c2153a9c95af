"""The surface lesson's side panel: presets, the point and its gradient, critical points,
and the descent controls."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from calcstudio import resource_files
from calcstudio.ui.surface.descent import SurfaceDescent
from calcstudio.ui.widgets import palette
from calcstudio.ui.widgets.live_text import LiveText
from calcstudio.ui.widgets.log_slider import format_exact, parse_number

PRESETS_FILE = "surface_presets.json"


def heading(text: str) -> QLabel:
    """A bold section title."""
    label = QLabel(f"<b>{text}</b>")
    label.setContentsMargins(0, 8, 0, 0)
    return label


class SurfacePanel(QWidget):
    """Controls and readouts of the surface lesson.

    Signals
    -------
    presetChosen(object)
        A preset dict (``text``, ``x_range``, ``y_range``, ``start``, ...).
    pointEdited(float, float)
        The learner typed a point.
    """

    presetChosen = Signal(object)
    pointEdited = Signal(float, float)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.presets: list[dict[str, Any]] = resource_files.read_json(PRESETS_FILE)
        self.preset_combo = QComboBox()
        self.preset_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.preset_combo.setMinimumContentsLength(16)
        self.preset_combo.addItem("Choose a lesson preset…")
        for preset in self.presets:
            self.preset_combo.addItem(preset["name"])
            self.preset_combo.setItemData(
                self.preset_combo.count() - 1,
                f"{preset['text']}\n\n{preset['lesson']}",
                Qt.ItemDataRole.ToolTipRole,
            )
        self.lesson_label = QLabel()
        self.lesson_label.setWordWrap(True)
        self.lesson_label.setStyleSheet(f"color: {palette.MUTED};")
        self.lesson_label.hide()
        self.point_fields = (QLineEdit("1"), QLineEdit("-2"))
        for field in self.point_fields:
            field.setMaximumWidth(90)
            field.setToolTip("The point whose gradient is shown. Or drag the orange point.")
            field.editingFinished.connect(self._on_point_edited)
        self.point_message = QLabel()
        self.point_message.setStyleSheet(f"color: {palette.ERROR};")
        self.point_message.setWordWrap(True)
        self.point_message.hide()
        self.point_readout = LiveText()
        self.point_readout.setObjectName("surfacePointReadout")
        font = self.point_readout.font()
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.point_readout.setFont(font)
        self.point_readout.setToolTip("L and its gradient at the point; right-click to copy")
        self.field_box = QCheckBox("Show a field of −∇L arrows")
        self.field_box.setToolTip(
            "Small arrows of the steepest-descent direction all over the map, all drawn the "
            "same length: they cross the contour lines at right angles"
        )
        self.surface_box = QCheckBox("Show the surface in 3-D, beside the map")
        self.surface_box.setToolTip(
            "The landscape as a surface you can turn with the mouse, with the point and the "
            "descent paths on it (needs OpenGL, 3-D graphics)"
        )
        self.surface_note = QLabel()
        self.surface_note.setObjectName("surface3dNote")
        self.surface_note.setWordWrap(True)
        self.surface_note.setStyleSheet(f"color: {palette.MUTED};")
        self.surface_note.hide()
        self.critical_label = QLabel()
        self.critical_label.setObjectName("surfaceCritical")
        self.critical_label.setWordWrap(True)
        self.critical_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.critical_label.setToolTip(
            "Where ∇L = 0 in view, found by Newton's method from a grid of seeds; the Hessian's "
            "eigenvalues tell the kind (both > 0: minimum, both < 0: maximum, mixed: saddle)"
        )
        self.descent = SurfaceDescent()
        self._lay_out()
        self.preset_combo.activated.connect(self._on_preset_activated)

    def _lay_out(self) -> None:
        point = QHBoxLayout()
        for field in self.point_fields:
            point.addWidget(field)
        point.addStretch(1)
        form = QFormLayout()
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow("Preset", self.preset_combo)
        self.point_label = QLabel("Point (w1, w2)")
        form.addRow(self.point_label, point)
        form.addRow("", self.point_message)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.lesson_label)
        layout.addWidget(self.point_readout)
        layout.addWidget(self.field_box)
        layout.addWidget(self.surface_box)
        layout.addWidget(self.surface_note)
        layout.addWidget(heading("Critical points in view"))
        key = QLabel("○ minimum  △ maximum  ✕ saddle  ◇ degenerate;  λ: Hessian eigenvalues")
        key.setStyleSheet(f"color: {palette.MUTED};")
        key.setWordWrap(True)
        layout.addWidget(key)
        layout.addWidget(self.critical_label)
        layout.addWidget(heading("Descent (click the map to place the start)"))
        layout.addWidget(self.descent)
        layout.addStretch(1)

    def set_variables(self, variables: tuple[str, str]) -> None:
        """Name the point's fields after the function's variables."""
        self.point_label.setText(f"Point ({', '.join(variables)})")

    def show_point(self, w1: float, w2: float, lines: list[str]) -> None:
        """Show the point's coordinates in the fields and its readout."""
        for field, value in zip(self.point_fields, (w1, w2), strict=True):
            if not field.hasFocus():
                field.setText(format_exact(round(value, 6)))
        self.point_readout.set_text("\n".join(lines))

    def refuse_3d(self, problem: str) -> None:
        """Turn the 3-D option off for good, saying why (on the panel and in its tooltip)."""
        self.surface_box.setChecked(False)
        self.surface_box.setEnabled(False)
        self.surface_box.setToolTip(problem)
        self.surface_note.setText(problem)
        self.surface_note.show()

    def show_critical(self, lines: list[str]) -> None:
        """List the critical points."""
        self.critical_label.setText("\n".join(lines))

    def choose_preset(self, index: int) -> None:
        """Apply lesson preset ``index``: its lesson text, optimizer, rates, race and steps."""
        preset = self.presets[index]
        self.lesson_label.setText(preset["lesson"])
        self.lesson_label.show()
        descent = self.descent
        descent.max_steps_spin.setValue(int(preset["max_steps"]))
        descent.chooser.load(preset["optimizer"], preset["learning_rate"], preset.get("race"))
        for key, rate in preset.get("rates", {}).items():  # racers' own rates
            descent.chooser.set_value(key, "learning_rate", rate)
        self.presetChosen.emit(preset)

    def _on_preset_activated(self, index: int) -> None:
        if index > 0:
            self.choose_preset(index - 1)
        self.preset_combo.setCurrentIndex(0)

    def _on_point_edited(self) -> None:
        try:
            w1, w2 = (parse_number(field.text()) for field in self.point_fields)
        except ValueError as error:
            self.point_message.setText(f"{error} The point stays where it was.")
            self.point_message.show()
            return
        self.point_message.hide()
        self.pointEdited.emit(w1, w2)
