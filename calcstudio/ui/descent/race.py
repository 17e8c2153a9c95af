"""Choosing who descends: one optimizer or several racing, and their hyperparameters.

The race itself (the racers' numbers and the finish order) is in
:mod:`calcstudio.ui.descent.race_table`.

The optimizers, their knobs and defaults all come from the core registry
(:data:`calcstudio.core.optimize.OPTIMIZERS`); this widget only edits and remembers values.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QSignalBlocker, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGridLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from calcstudio.core.optimize import OPTIMIZERS, Objective, Optimizer, Run, make_optimizer
from calcstudio.ui.widgets import palette
from calcstudio.ui.widgets.log_slider import LogSlider, format_exact, parse_number
from calcstudio.ui.widgets.marks import font_for_marks

RATE_RANGE = (1e-7, 10.0)
"""The learning-rate slider's range: down to 1e-7 for the line fit's SSE on inputs far from 0,
whose critical rate 2/λmax is about 1e-5."""
RACE_COLUMNS = 4
"""Columns of the racers' tick boxes."""


def colour_of(key: str) -> str:
    """The optimizer's own colour, the same on the curve, the loss plot and the readouts."""
    return palette.RACE_COLOURS[list(OPTIMIZERS).index(key) % len(palette.RACE_COLOURS)]


class OptimizerChooser(QWidget):
    """The optimizer list, its learning rate and other knobs, and the race selection.

    Each optimizer remembers its own values, so switching the list back and forth
    keeps what the learner set. In race mode every ticked optimizer runs with its own
    values; the list picks whose values are being edited.

    Parameters
    ----------
    parent
        The parent widget.
    """

    settingsChanged = Signal()
    """A value, the chosen optimizer or the race selection changed."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.variables = ["x"]
        self.values: dict[str, dict[str, float]] = {
            key: dict(spec.defaults) for key, spec in OPTIMIZERS.items()
        }
        self.combo = QComboBox()
        for key, spec in OPTIMIZERS.items():
            self.combo.addItem(spec.display_name, key)
            self.combo.setItemData(
                self.combo.count() - 1,
                f"{spec.rule_for(['x'])}\n\n{spec.description}",
                Qt.ItemDataRole.ToolTipRole,
            )
        self.rule_label = QLabel()
        self.rule_label.setFont(font_for_marks(self.rule_label.font()))  # Adam's m̂, v̂
        self.rule_label.setStyleSheet(f"color: {palette.MUTED};")
        self.rule_label.setWordWrap(True)
        self.rate_slider = LogSlider(*RATE_RANGE, 0.1, name="the learning rate")
        self.rate_slider.setToolTip(OPTIMIZERS["gd"].hyperparameters[0].description)
        self.knobs = QFormLayout()
        self.knobs.setContentsMargins(0, 0, 0, 0)
        self.fields: dict[str, QLineEdit] = {}
        self.message_label = QLabel()
        self.message_label.setStyleSheet(f"color: {palette.ERROR};")
        self.message_label.setWordWrap(True)
        self.message_label.hide()  # takes no room until it has something to say

        self.race_box = QCheckBox("Race several optimizers from the same start")
        self.race_box.setToolTip("Each ticked optimizer runs at once, in its own colour")
        self.race_panel = QWidget()
        grid = QGridLayout(self.race_panel)
        grid.setContentsMargins(12, 0, 0, 0)
        self.race_checks: dict[str, QCheckBox] = {}
        for index, (key, spec) in enumerate(OPTIMIZERS.items()):
            # Short names in four columns: two rows, so the race table and the finish
            # order stay in sight on a 768-pixel-high screen.
            check = QCheckBox(spec.short_name)
            check.setToolTip(spec.display_name)
            check.setStyleSheet(f"color: {colour_of(key)}; font-weight: bold;")
            check.setChecked(key in ("gd", "momentum", "adam"))
            check.toggled.connect(self._on_race_toggled)
            self.race_checks[key] = check
            grid.addWidget(check, index // RACE_COLUMNS, index % RACE_COLUMNS)
        self.race_panel.setVisible(False)

        form = QFormLayout()
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow("Optimizer", self.combo)
        form.addRow("", self.rule_label)
        form.addRow("Learning rate η", self.rate_slider)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(form)
        layout.addLayout(self.knobs)
        layout.addWidget(self.message_label)
        layout.addWidget(self.race_box)
        layout.addWidget(self.race_panel)

        self._show_knobs()
        self.combo.currentIndexChanged.connect(self._on_optimizer_chosen)
        self.rate_slider.valueChanged.connect(self._on_rate_changed)
        self.race_box.toggled.connect(self._on_race_toggled)

    # --- reading ------------------------------------------------------------

    def set_variable(self, variable: str, *others: str) -> None:
        """Write the update rule with the function's variable(s): ``x ← x − η f′(x)``, or
        ``w ← w − η ∇f(w)`` for several."""
        self.variables = [variable, *others]
        self.rule_label.setText(OPTIMIZERS[self.current_key()].rule_for(self.variables))

    def current_key(self) -> str:
        """The optimizer whose values are shown, e.g. ``"gd"``."""
        return str(self.combo.currentData())

    def racing(self) -> bool:
        """True in race mode."""
        return self.race_box.isChecked()

    def runners(self) -> list[str]:
        """The keys that run: the ticked ones in race mode, else the chosen one."""
        if self.racing():
            return [key for key, check in self.race_checks.items() if check.isChecked()]
        return [self.current_key()]

    def optimizer(self, key: str) -> Optimizer:
        """The optimizer ``key`` built with the values set for it."""
        return make_optimizer(key, **self.values[key])

    # --- writing ------------------------------------------------------------

    def start_runs(
        self, objective: Objective, start: object, max_steps: int
    ) -> tuple[list[tuple[str, Run]], str]:
        """New runs of the chosen optimizers (every ticked one in a race) from ``start``.

        Returns the runs, and what stops them from starting in words ("" when they start).
        """
        try:
            runs = [
                (key, Run(objective, start, self.optimizer(key), max_steps=max_steps))
                for key in self.runners()
            ]
        except ValueError as error:
            return [], f"Cannot start: {error}."
        return runs, "" if runs else "Tick at least one optimizer to race."

    def set_current(self, key: str) -> None:
        """Show optimizer ``key`` (and, outside a race, run it)."""
        self.combo.setCurrentIndex(list(OPTIMIZERS).index(key))

    def set_value(self, key: str, name: str, value: float) -> None:
        """Set one hyperparameter of optimizer ``key``.

        Raises
        ------
        ValueError
            If the optimizer rejects the value (the message says why in words).
        """
        make_optimizer(key, **{**self.values[key], name: value})
        self.values[key][name] = value
        if key == self.current_key():
            self._show_values()
        self.settingsChanged.emit()

    def load(self, key: str, learning_rate: float, race: Sequence[str] | None) -> None:
        """Restore every default, then choose ``key`` at ``learning_rate`` (and a race).

        Emits :attr:`settingsChanged` once.
        """
        self.values = {key: dict(spec.defaults) for key, spec in OPTIMIZERS.items()}
        self.values[key]["learning_rate"] = learning_rate
        with QSignalBlocker(self):
            self.set_current(key)
            self.set_race(race)
        self._show_knobs()
        self.settingsChanged.emit()

    def set_race(self, keys: Sequence[str] | None) -> None:
        """Race the optimizers ``keys``, or leave race mode with None."""
        with QSignalBlocker(self.race_box):
            self.race_box.setChecked(keys is not None)
        self.race_panel.setVisible(keys is not None)
        if keys is not None:
            for key, check in self.race_checks.items():
                with QSignalBlocker(check):
                    check.setChecked(key in keys)
        self.settingsChanged.emit()

    # --- internals ----------------------------------------------------------

    def _show_knobs(self) -> None:
        key = self.current_key()
        spec = OPTIMIZERS[key]
        self.rule_label.setText(spec.rule_for(self.variables))
        self.combo.setToolTip(spec.description)
        while self.knobs.rowCount():
            self.knobs.removeRow(0)
        self.fields = {}
        for knob in spec.hyperparameters[1:]:
            field = QLineEdit(format_exact(self.values[key][knob.name]))
            field.setToolTip(knob.description)
            field.setMaximumWidth(110)
            field.editingFinished.connect(lambda n=knob.name: self._on_field_edited(n))
            self.fields[knob.name] = field
            self.knobs.addRow(knob.label, field)
        self._show_values()

    def _show_values(self) -> None:
        # Update the shown numbers in place: a field may be the one emitting right now.
        values = self.values[self.current_key()]
        with QSignalBlocker(self.rate_slider):
            self.rate_slider.setValue(values["learning_rate"])
        for name, field in self.fields.items():
            field.setText(format_exact(values[name]))
        self.message_label.clear()
        self.message_label.hide()

    def _on_optimizer_chosen(self, _index: int) -> None:
        self._show_knobs()
        # In a race the list only picks whose values are shown: looking must not restart
        # (and so wipe) the race. Outside a race the chosen optimizer is the one that runs.
        if not self.racing():
            self.settingsChanged.emit()

    def _on_rate_changed(self, rate: float) -> None:
        self.values[self.current_key()]["learning_rate"] = rate
        self.settingsChanged.emit()

    def _on_field_edited(self, name: str) -> None:
        field = self.fields.get(name)
        if field is None:
            return
        try:
            value = parse_number(field.text())
            if value == self.values[self.current_key()][name]:
                return
            self.set_value(self.current_key(), name, value)
        except ValueError as error:
            self.message_label.setText(f"{str(error)[:1].upper()}{str(error)[1:]}")
            self.message_label.show()

    def _on_race_toggled(self, _checked: bool) -> None:
        self.race_panel.setVisible(self.racing())
        self.settingsChanged.emit()
