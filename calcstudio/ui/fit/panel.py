"""The line-fit lesson's side panel: the data's controls, SSE or MSE, the readouts with the
data's numbers, and the descent on (m, c) (the surface lesson's descent controls)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from calcstudio.ui.fit.batch_descent import FitDescent
from calcstudio.ui.fit.model_box import ModelBox
from calcstudio.ui.widgets import palette
from calcstudio.ui.widgets.live_text import LiveText
from calcstudio.ui.widgets.log_slider import parse_number

LOSS_HELP = (
    "SSE adds up the squared errors; MSE is their mean (SSE / n). The best line is the same, "
    "but every height and slope of the MSE bowl is n times smaller, so it takes an n times "
    "larger learning rate."
)


def _label(text: str = "") -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    return label


class FitPanel(QWidget):
    """Controls and readouts of the line-fit lesson.

    Parameters
    ----------
    presets
        The lesson's datasets (``resources/fit_presets.json``).
    parent
        The parent widget.
    """

    presetPicked = Signal(int)
    generateRequested = Signal(float, float, float, int, float, float)
    """slope, intercept, noise, count, and the x range (from, to)."""
    loadRequested = Signal(str)
    saveRequested = Signal(str)
    centreRequested = Signal()
    clearRequested = Signal()
    lossChanged = Signal(str)
    """``"SSE"`` or ``"MSE"``."""

    def __init__(self, presets: list[dict[str, Any]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.preset_box = QComboBox()
        self.preset_box.addItem("Choose a dataset…")
        for preset in presets:
            self.preset_box.addItem(preset["name"])
            self.preset_box.setItemData(self.preset_box.count() - 1, preset["lesson"], 3)
        self.preset_box.setToolTip("Datasets that each show something about the bowl")
        self.generate_fields = {
            name: QLineEdit(value)
            for name, value in (
                ("slope", "2"),
                ("intercept", "1"),
                ("noise", "1"),
                ("count", "20"),
                ("x from", "0"),
                ("to", "10"),
            )
        }
        self.generate_button = QPushButton("Generate")
        self.generate_button.setToolTip("Points on y = slope·x + intercept plus random noise")
        self.load_button = QPushButton("Load CSV…")
        self.load_button.setToolTip("Read x, y pairs from a CSV file (a header line is fine)")
        self.save_button = QPushButton("Save CSV…")
        self.centre_button = QPushButton("Centre x")
        self.centre_button.setToolTip(
            "Shift every x by the mean of x: the bowl's axes line up with m and c and it gets "
            "far less thin, so descent is fast"
        )
        self.clear_button = QPushButton("Clear")
        self.clear_button.setToolTip("Remove every point (click the plot to add new ones)")
        self.data_message = _label()
        self.loss_buttons = QButtonGroup(self)
        self.sse_button = QRadioButton("SSE")
        self.mse_button = QRadioButton("MSE")
        self.sse_button.setChecked(True)
        for button in (self.sse_button, self.mse_button):
            button.setToolTip(LOSS_HELP)
            self.loss_buttons.addButton(button)
        self.loss_note = _label(LOSS_HELP)
        self.loss_note.setStyleSheet(f"color: {palette.MUTED};")
        self.model_box = ModelBox()
        self.squares_box = QCheckBox("Draw each error as a square")
        self.squares_box.setToolTip(
            "Each square has side |error|, so its area is the squared error: the SSE is the "
            "total area of the squares"
        )
        # The readouts change on every move of a drag and every frame of a descent: LiveText
        # repaints its own lines, where a QLabel re-laid out the whole panel each time.
        self.line_label = LiveText()
        self.loss_label = LiveText()
        self.partials_label = LiveText()
        self.best_label = LiveText()
        self.bowl_label = LiveText()
        self.descent = FitDescent()
        self.end_label = LiveText()
        self._lay_out()
        self.preset_box.activated.connect(self._on_preset_activated)
        self.generate_button.clicked.connect(self._on_generate)
        self.load_button.clicked.connect(self._on_load)
        self.save_button.clicked.connect(self._on_save)
        self.centre_button.clicked.connect(self.centreRequested)
        self.clear_button.clicked.connect(self.clearRequested)
        self.sse_button.toggled.connect(lambda sse: self.lossChanged.emit("SSE" if sse else "MSE"))

    def _lay_out(self) -> None:
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("<b>The data</b>"))
        layout.addWidget(self.preset_box)
        grid = QGridLayout()
        for column, name in enumerate(("slope", "intercept", "noise", "count")):
            field = self.generate_fields[name]
            field.setMaximumWidth(70)
            field.setToolTip(f"The {name} of the generated data (a number, or e.g. pi/4)")
            grid.addWidget(QLabel(name), 0, column)
            grid.addWidget(field, 1, column)
        span = QHBoxLayout()
        for name in ("x from", "to"):
            field = self.generate_fields[name]
            field.setMaximumWidth(70)
            field.setToolTip(
                "The x of the generated points, evenly spaced from the first to the second "
                "number: try 100 to 110 for a bowl that is a long thin valley"
            )
            span.addWidget(QLabel(name))
            span.addWidget(field)
        span.addStretch(1)
        grid.addLayout(span, 2, 0, 1, 4)
        grid.addWidget(self.generate_button, 1, 4)
        layout.addLayout(grid)
        buttons = QHBoxLayout()
        for button in (self.load_button, self.save_button, self.centre_button, self.clear_button):
            buttons.addWidget(button)
        layout.addLayout(buttons)
        layout.addWidget(self.data_message)
        hint = _label("Click the plot to add a point, drag one to move it, right-click to delete.")
        hint.setStyleSheet(f"color: {palette.MUTED};")
        layout.addWidget(hint)
        layout.addWidget(QLabel("<b>The model</b>"))
        layout.addWidget(self.model_box)
        layout.addWidget(QLabel("<b>The errors</b>"))
        loss_row = QHBoxLayout()
        loss_row.addWidget(QLabel("Loss:"))
        loss_row.addWidget(self.sse_button)
        loss_row.addWidget(self.mse_button)
        loss_row.addStretch(1)
        layout.addLayout(loss_row)
        layout.addWidget(self.loss_note)
        layout.addWidget(self.squares_box)
        readouts = QFormLayout()
        self.line_word = QLabel("line")
        readouts.addRow(self.line_word, self.line_label)
        readouts.addRow("loss", self.loss_label)
        layout.addLayout(readouts)
        layout.addWidget(self.partials_label)
        layout.addWidget(self.best_label)
        layout.addWidget(self.bowl_label)
        self.descent_heading = QLabel("<b>Descent on (m, c)</b>")
        layout.addWidget(self.descent_heading)
        layout.addWidget(self.descent)
        layout.addWidget(self.end_label)
        layout.addStretch(1)

    # --- readouts ----------------------------------------------------------------

    def show_readouts(
        self, line: str, loss: str, partials: Sequence[str], best: str, bowl: str
    ) -> None:
        """Write the current line (or parabola), its loss and partial derivatives, the bottom,
        the bowl."""
        self.line_label.set_text(line)
        self.loss_label.set_text(loss)
        self.partials_label.set_text("\n".join(partials))
        self.best_label.set_text(best)
        self.bowl_label.set_text(bowl)

    def show_model(self, curve: str, pair: tuple[str, str]) -> None:
        """Name what is fitted (``"line"`` or ``"parabola"``) and the pair descent moves."""
        self.line_word.setText(curve)
        self.descent_heading.setText(f"<b>Descent on ({pair[0]}, {pair[1]})</b>")

    def show_data_message(self, text: str, *, error: bool = False) -> None:
        """Say what happened to the data (a file loaded, or why not)."""
        colour = palette.ERROR if error else palette.MUTED
        self.data_message.setStyleSheet(f"color: {colour};")
        self.data_message.setText(text)

    # --- controls -----------------------------------------------------------------

    def _on_preset_activated(self, index: int) -> None:
        if index > 0:
            self.presetPicked.emit(index - 1)

    def _on_generate(self) -> None:
        values = []
        for name, field in self.generate_fields.items():
            try:
                values.append(parse_number(field.text()))
            except ValueError as error:
                self.show_data_message(f"{name.capitalize()}: {error}", error=True)
                field.setFocus()
                return
        slope, intercept, noise, count, low, high = values
        if count != int(count):
            self.show_data_message("The count must be a whole number, such as 20.", error=True)
            return
        self.generateRequested.emit(slope, intercept, noise, int(count), low, high)

    def _on_load(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, "Load data", "", "CSV files (*.csv);;All files (*)"
        )
        if path:
            self.loadRequested.emit(path)

    def _on_save(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Save data", "data.csv", "CSV files (*.csv)")
        if path:
            self.saveRequested.emit(path if path.endswith(".csv") else path + ".csv")
