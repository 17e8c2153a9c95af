"""The chain-rule lesson's side panel: the point, the chain of links, the derivation steps, the
backward pass's controls, what a clicked node does, and the deep-chain controls.

The panel only shows what :mod:`calcstudio.core.chain` computed; its texts are written from an
:class:`~calcstudio.core.chain.Explanation` (the links and steps by
:class:`~calcstudio.ui.chain.derivation.DerivationView`, typeset when the worker has them).
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from calcstudio.core.chain import Explanation
from calcstudio.core.chain.depth import FAMILIES, MAX_DEPTH
from calcstudio.ui.chain.derivation import DerivationView
from calcstudio.ui.widgets import palette
from calcstudio.ui.widgets.log_slider import format_exact, parse_number
from calcstudio.ui.widgets.playback import PlaybackButtons


def _rich(text: str = "") -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.RichText)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


def _heading(text: str) -> QLabel:
    return QLabel(f"<b>{text}</b>")


class ChainPanel(QWidget):
    """Controls and readouts of the chain-rule lesson.

    Parameters
    ----------
    parent
        The parent widget.
    """

    presetChosen = Signal(int)
    """The index of the example picked."""
    pointEdited = Signal(object)
    """The learner typed a point: a dict of each variable's value."""
    deepChainChanged = Signal()
    """The deep-chain family, depth or weight changed."""
    trainRequested = Signal()
    """The learner asked to train the deep chain's weight by gradient descent."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.preset_box = QComboBox()
        self.preset_box.setToolTip("Examples from the lesson material")
        self.preset_box.setPlaceholderText("Choose an example…")
        self.preset_label = _rich()
        self.preset_label.setStyleSheet(f"color: {palette.MUTED};")
        self.preset_label.hide()
        self.point_fields: dict[str, QLineEdit] = {}
        self.point_form = QFormLayout()
        self.point_message = _rich()
        self.point_message.setStyleSheet(f"color: {palette.ERROR};")
        self.point_message.hide()
        self.derivation = DerivationView()
        self.buttons = PlaybackButtons(
            "Pass the gradient back through one more node",
            "Pass the gradient back node by node, from the output",
            "Start the backward pass again at the output",
        )
        self.step_button = self.buttons.step_button
        self.play_button = self.buttons.play_button
        self.reset_button = self.buttons.reset_button
        self.progress_label = _rich()
        self.node_label = _rich("Click a node of the graph to see what it does.")
        self.family_box = QComboBox()
        for key, description in FAMILIES.items():
            self.family_box.addItem(description, key)
        self.family_box.setToolTip("What each layer of the deep chain does to its input h")
        self.depth_spin = QSpinBox()
        self.depth_spin.setRange(1, MAX_DEPTH)
        self.depth_spin.setValue(10)
        self.depth_spin.setToolTip("How many layers the chain has")
        self.weight_field = QLineEdit("1")
        self.weight_field.setToolTip("The weight w of every layer, e.g. 1, 0.5 or 2")
        self.weight_message = _rich()
        self.weight_message.setStyleSheet(f"color: {palette.ERROR};")
        self.weight_message.hide()
        self.depth_verdict = _rich()
        self.train_button = QPushButton("Train the first layer by gradient descent")
        self.train_button.setToolTip(
            "Open the descent lesson on the loss (f − target)² as a function of the first "
            "layer's weight: its gradient is the one that vanishes, so the ball stalls"
        )
        self._lay_out()
        self.depth_spin.valueChanged.connect(self.deepChainChanged)
        self.family_box.currentIndexChanged.connect(self.deepChainChanged)
        self.weight_field.editingFinished.connect(self._on_weight_edited)
        self.train_button.clicked.connect(self.trainRequested)
        self.preset_box.activated.connect(self.presetChosen)

    def _lay_out(self) -> None:
        layout = QVBoxLayout(self)
        examples = QFormLayout()
        examples.addRow("Example", self.preset_box)
        layout.addLayout(examples)
        layout.addWidget(self.preset_label)
        layout.addWidget(_heading("At the point"))
        layout.addLayout(self.point_form)
        layout.addWidget(self.point_message)
        layout.addWidget(_heading("The chain of links"))
        layout.addWidget(self.derivation)
        layout.addWidget(_heading("Backpropagation"))
        layout.addLayout(self.buttons.row())
        layout.addWidget(self.progress_label)
        layout.addWidget(self.node_label)
        layout.addWidget(_heading("Deep chains: vanishing and exploding gradients"))
        deep = QFormLayout()
        deep.addRow("layer", self.family_box)
        deep.addRow("layers n", self.depth_spin)
        deep.addRow("weight w", self.weight_field)
        layout.addLayout(deep)
        layout.addWidget(self.weight_message)
        layout.addWidget(self.depth_verdict)
        layout.addWidget(self.train_button)
        layout.addStretch(1)
        self.setMinimumWidth(300)

    def show_preset_lesson(self, text: str) -> None:
        """What the example chosen is about (hidden when empty)."""
        self.preset_label.setText(escape(text))
        self.preset_label.setVisible(bool(text))

    # --- the point ------------------------------------------------------------

    def set_variables(self, point: dict[str, float]) -> None:
        """One field per variable, showing ``point``."""
        if list(self.point_fields) != list(point):
            while self.point_form.rowCount():
                self.point_form.removeRow(0)
            self.point_fields = {}
            for name in point:
                field = QLineEdit()
                field.setToolTip(f"The value of {name} where the passes are worked out")
                field.editingFinished.connect(self._on_point_edited)
                self.point_form.addRow(name, field)
                self.point_fields[name] = field
        for name, value in point.items():
            if not self.point_fields[name].hasFocus():
                self.point_fields[name].setText(format_exact(value))

    def _on_point_edited(self) -> None:
        point = {}
        for name, field in self.point_fields.items():
            try:
                point[name] = parse_number(field.text())
            except ValueError as error:
                self.point_message.setText(f"{name}: {escape(str(error))}")
                self.point_message.show()
                return
        self.point_message.hide()
        self.pointEdited.emit(point)

    # --- what the lesson shows ------------------------------------------------

    def show_explanation(self, explanation: Explanation) -> None:
        """Write the chain, its product and the steps for ``explanation``."""
        self.derivation.show_explanation(explanation)

    def show_progress(self, revealed: int, total: int, gradient: str | None) -> None:
        """Where the backward pass is."""
        if revealed == 0:
            text = "Press Step or Play to pass ∂f/∂f = 1 back from the output."
        elif revealed < total:
            text = f"Backward pass: {revealed} of {total} nodes have their gradient ∂f/∂node."
        else:
            text = f"Backward pass done: {gradient}, from one pass."
        self.progress_label.setText(text)
        self.step_button.setEnabled(revealed < total)

    def show_node(self, html: str) -> None:
        """What the clicked node does."""
        self.node_label.setText(html)

    # --- deep chains -----------------------------------------------------------

    def deep_chain_settings(self) -> tuple[str, int, float]:
        """The family, depth and weight chosen."""
        try:
            weight = parse_number(self.weight_field.text())
        except ValueError:
            weight = 1.0
        return str(self.family_box.currentData()), self.depth_spin.value(), weight

    def _on_weight_edited(self) -> None:
        try:
            parse_number(self.weight_field.text())
        except ValueError as error:
            self.weight_message.setText(escape(str(error)))
            self.weight_message.show()
            return
        self.weight_message.hide()
        self.deepChainChanged.emit()

    def show_depth_verdict(self, text: str) -> None:
        """What the deep-chain plot shows, in words."""
        self.depth_verdict.setText(text)
