"""What is fitted: a line y = m·x + c, or a parabola y = a·x² + b·x + c whose bowl is drawn over
two chosen coefficients with the third held at its least-squares value or its current value."""

from __future__ import annotations

from typing import Literal

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from calcstudio.core.regression.quadratic import Coefficient
from calcstudio.ui.widgets import palette

Model = Literal["line", "parabola"]
Hold = Literal["best", "current"]
PAIRS: tuple[tuple[Coefficient, Coefficient], ...] = (("a", "b"), ("a", "c"), ("b", "c"))


class ModelBox(QWidget):
    """The line or the parabola, and for the parabola which two coefficients the bowl is over.

    Signals
    -------
    modelChanged()
        The model, the pair or what the third coefficient is held at changed.
    """

    modelChanged = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.line_button = QRadioButton("Line y = m·x + c")
        self.parabola_button = QRadioButton("Parabola y = a·x² + b·x + c")
        self.line_button.setChecked(True)
        models = QButtonGroup(self)
        models.addButton(self.line_button)
        models.addButton(self.parabola_button)
        self.pair_box = QComboBox()
        for first, second in PAIRS:
            self.pair_box.addItem(f"({first}, {second})")
        self.pair_box.setToolTip("The two coefficients the bowl is drawn over and descent moves")
        self.best_button = QRadioButton("its least-squares value")
        self.current_button = QRadioButton("its current value")
        self.best_button.setChecked(True)
        self.best_button.setToolTip(
            "The third coefficient at the least-squares answer: the bowl's bottom is then the "
            "least-squares parabola"
        )
        self.current_button.setToolTip(
            "The third coefficient stays where it is: the bowl's bottom is the best pair for "
            "that value, which need not be the least-squares parabola"
        )
        holds = QButtonGroup(self)
        holds.addButton(self.best_button)
        holds.addButton(self.current_button)
        self.held_label = QLabel()
        self.parabola_controls = QWidget()
        rows = QVBoxLayout(self.parabola_controls)
        rows.setContentsMargins(16, 0, 0, 0)
        pair_row = QHBoxLayout()
        pair_row.addWidget(QLabel("Bowl over"))
        pair_row.addWidget(self.pair_box)
        pair_row.addStretch(1)
        rows.addLayout(pair_row)
        hold_row = QHBoxLayout()
        hold_row.addWidget(self.held_label)
        hold_row.addWidget(self.best_button)
        hold_row.addWidget(self.current_button)
        hold_row.addStretch(1)
        rows.addLayout(hold_row)
        self.parabola_controls.hide()
        note = QLabel(
            "A loss of three coefficients needs four dimensions to draw: the map shows two "
            "at a time."
        )
        note.setWordWrap(True)
        note.setStyleSheet(f"color: {palette.MUTED};")
        rows.addWidget(note)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        choice = QHBoxLayout()
        choice.addWidget(self.line_button)
        choice.addWidget(self.parabola_button)
        choice.addStretch(1)
        layout.addLayout(choice)
        layout.addWidget(self.parabola_controls)
        self._show_held()
        self.parabola_button.toggled.connect(self._on_changed)
        self.pair_box.currentIndexChanged.connect(self._on_changed)
        self.best_button.toggled.connect(self._on_changed)

    def model(self) -> Model:
        """``"line"`` or ``"parabola"``."""
        return "parabola" if self.parabola_button.isChecked() else "line"

    def pair(self) -> tuple[Coefficient, Coefficient]:
        """The two coefficients the parabola's bowl is over."""
        return PAIRS[self.pair_box.currentIndex()]

    def hold(self) -> Hold:
        """Whether the third coefficient is held at its least-squares or its current value."""
        return "best" if self.best_button.isChecked() else "current"

    def _show_held(self) -> None:
        third = next(name for name in "abc" if name not in self.pair())
        self.held_label.setText(f"with {third} held at")

    def _on_changed(self) -> None:
        self.parabola_controls.setVisible(self.model() == "parabola")
        self._show_held()
        self.modelChanged.emit()
