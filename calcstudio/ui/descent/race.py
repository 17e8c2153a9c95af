"""Choosing who descends (one optimizer or several racing, their hyperparameters) and the
race itself: a table of the racers' numbers and the finish order.

The optimizers, their knobs and defaults all come from the core registry
(:data:`calcstudio.core.optimize.OPTIMIZERS`); this widget only edits and remembers values.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import get_args

from PySide6.QtCore import QSignalBlocker, QSize, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGridLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from calcstudio.core.optimize import OPTIMIZERS, Objective, Optimizer, Run, make_optimizer
from calcstudio.core.optimize.base import format_number
from calcstudio.core.optimize.diagnosis import Diagnosis, Kind
from calcstudio.ui.widgets import palette
from calcstudio.ui.widgets.log_slider import LogSlider, format_exact, parse_number
from calcstudio.ui.widgets.marks import font_for_marks

RATE_RANGE = (1e-7, 10.0)
"""The learning-rate slider's range: down to 1e-7 for the line fit's SSE on inputs far from 0,
whose critical rate 2/λmax is about 1e-5."""
RACE_COLUMNS = 4
"""Columns of the racers' tick boxes."""
CELL_PADDING = 8
"""Pixels a race-table cell needs beyond its text's width (Qt's margins either side)."""


def colour_of(key: str) -> str:
    """The optimizer's own colour, the same on the curve, the loss plot and the readouts."""
    return palette.RACE_COLOURS[list(OPTIMIZERS).index(key) % len(palette.RACE_COLOURS)]


def finish_order(runs: Sequence[tuple[str, Run]]) -> str:
    """The race result in a few lines: who converged first, who is still going, who is out.

    Parameters
    ----------
    runs
        ``(name, run)`` for each racer.

    Examples
    --------
    ``Finish: 1. Newton (6 steps, f = −1.070) · 2. GD (22 steps, f = −3.514)``, then
    ``Still rolling: Momentum, Adam``.
    """
    finished = sorted(
        (run.step_count, run.values[-1], name) for name, run in runs if run.status == "converged"
    )
    places = [
        # No-break spaces: a place is wrapped onto the next line whole, never "3." alone.
        f"{place}. {name} ({steps} step{'s' * (steps != 1)}, f = {format_number(loss)})".replace(
            " ", "\u00a0"
        )
        for place, (steps, loss, name) in enumerate(finished, start=1)
    ]
    lines = [f"Finish: {'  ·  '.join(places)}" if places else "Finish: nobody has converged yet"]
    going = [name for name, run in runs if run.status in ("running", "max_steps")]
    if going:
        verb = (
            "still rolling" if any(run.status == "running" for _, run in runs) else "out of steps"
        )
        lines.append(f"{verb.capitalize()}: {', '.join(going)}")
    out = [
        f"{name} ({'diverged' if run.status == 'diverged' else 'left the domain'})"
        for name, run in runs
        if run.status in ("diverged", "undefined")
    ]
    if out:
        lines.append(f"Out: {', '.join(out)}")
    return "\n".join(lines)


class RaceTable(QTableWidget):
    """The racers' numbers side by side, one row per optimizer, in the racers' colours.

    Parameters
    ----------
    parent
        The parent widget.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(0, 6, parent)
        self.setObjectName("raceTable")
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.verticalHeader().hide()
        self.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 6)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setToolTip("Each racer's step k, position, loss and slope; hover a name for more")

        # Widths set up front for the usual numbers (resizing to the contents would measure
        # every cell at every step of the animation); a longer one widens its column.
        def widest(texts: Sequence[str]) -> int:
            return max(self._cell_width(text) for text in texts)

        number = widest(["−8.888e−8", "−0.0008888"])
        widths = (
            widest([spec.short_name for spec in OPTIMIZERS.values()]),
            widest(["99999"]),
            number,
            number,
            number,
            widest(get_args(Kind)),
        )
        header = self.horizontalHeader()
        for column, width in enumerate(widths):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Fixed)
            self.setColumnWidth(column, width)
        header.setStretchLastSection(True)
        self._columns_width = sum(widths) + 2 * self.frameWidth()
        self._shape: tuple[int, str] | None = None

    def _cell_width(self, text: str) -> int:
        """The column width that shows ``text`` whole (Qt elides a longer one with "…")."""
        return self.fontMetrics().horizontalAdvance(text) + CELL_PADDING

    def _fit_column(self, column: int, text: str) -> None:
        """Widen ``column`` if ``text`` would be cut; never narrow it (the columns would
        jitter as the numbers change). A number written exactly, such as 0.536870912, is
        wider than the widths set up front."""
        needed = self._cell_width(text)
        if needed > self.columnWidth(column):
            self._columns_width += needed - self.columnWidth(column)
            self.setColumnWidth(column, needed)
            self.updateGeometry()

    def minimumSizeHint(self) -> QSize:
        # As wide as its columns: a narrower panel scrolls rather than cutting them off.
        return QSize(self._columns_width, super().minimumSizeHint().height())

    def headers(self, variable: str) -> list[str]:
        """The column titles for a function of ``variable`` (a subclass may show more)."""
        v = variable
        return ["optimizer", "k", v, f"f({v})", f"f′({v})", "status"]

    def row(self, key: str, run: Run, kind: str) -> tuple[str, ...]:
        """One racer's cells: its name, step k, position, loss, slope and verdict."""
        return (
            OPTIMIZERS[key].short_name,
            str(run.step_count),
            format_number(run.points[-1, 0]),
            format_number(run.values[-1]),
            format_number(run.gradients[-1, 0]),
            kind,
        )

    def show_runs(
        self, runs: Sequence[tuple[str, Run]], verdicts: Sequence[Diagnosis], variable: str
    ) -> None:
        """One row per run: its name, step k, position, loss, slope and verdict."""
        if self._shape != (len(runs), variable):
            self._shape = (len(runs), variable)
            self.setHorizontalHeaderLabels(self.headers(variable))
            self.setRowCount(len(runs))
            # Exactly as tall as its rows: the panel scrolls, never the table.
            rows = sum(self.rowHeight(row) for row in range(len(runs)))
            self.setFixedHeight(self.horizontalHeader().sizeHint().height() + rows + 4)
        last = self.columnCount() - 1
        for row, ((key, run), verdict) in enumerate(zip(runs, verdicts, strict=True)):
            for column, text in enumerate(self.row(key, run, verdict.kind)):
                item = self.item(row, column)
                if item is None:
                    item = QTableWidgetItem()
                    self.setItem(row, column, item)
                if item.text() != text:  # an unchanged cell costs nothing to repaint
                    item.setText(text)
                    if column < last:  # the last column stretches to the table's edge
                        self._fit_column(column, text)
            name = self.item(row, 0)
            name.setForeground(QColor(colour_of(key)))
            name.setToolTip(f"{OPTIMIZERS[key].display_name}: {verdict.message}")


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
