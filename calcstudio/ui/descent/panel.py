"""The descent panel: roll a ball down f by ``w ← w − η f′(w)`` and watch what it does.

The panel is self-contained: its controls, its loss plot, its animation timer and the
overlay it draws on the main plot. Every step and every verdict comes from
:mod:`calcstudio.core.optimize` (``Run`` and ``diagnose``); the panel only shows them.
"""

from __future__ import annotations

import math
from typing import Any

import pyqtgraph as pg
from PySide6.QtCore import QSignalBlocker, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from calcstudio import resource_files
from calcstudio.core.calculus import Tangent
from calcstudio.core.numeric import Evaluator
from calcstudio.core.optimize import (
    OPTIMIZERS,
    Objective,
    Run,
    diagnose,
    objective_from_evaluators,
)
from calcstudio.core.optimize.export import write_traces_csv
from calcstudio.core.optimize.readout import critical_rate_sentence, step_lines
from calcstudio.ui.descent.overlay import DescentOverlay
from calcstudio.ui.descent.race import OptimizerChooser, RaceTable, colour_of, finish_order
from calcstudio.ui.widgets import palette
from calcstudio.ui.widgets.live_text import LiveText
from calcstudio.ui.widgets.log_slider import format_exact, parse_number
from calcstudio.ui.widgets.loss_plot import LossPlot

PRESETS_FILE = "descent_presets.json"
FRAME_MS = 1000.0 / 60.0
"""The animation never redraws faster than 60 times a second; faster speeds take more steps."""
_VERDICT_COLOURS = {
    "diverging": palette.ERROR,
    "runaway": palette.ERROR,
    "undefined": palette.ERROR,
}


class DescentPanel(QWidget):
    """Gradient descent (and its cousins) on the plotted function, step by step.

    Parameters
    ----------
    plot_item
        The main plot, on which the ball, trail, projections and slope line are drawn.
    parent
        The parent widget.
    """

    presetChosen = Signal(object)
    """The preset the learner picked, a dict with its ``text`` and view ranges (the window
    puts the text in the editor and frames the view)."""
    traceChanged = Signal()
    """A step was taken or the run was reset (e.g. to enable Export)."""

    def __init__(self, plot_item: pg.PlotItem, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.presets: list[dict[str, Any]] = resource_files.read_json(PRESETS_FILE)
        self.overlay = DescentOverlay(plot_item)
        # A run hidden through the legend leaves the loss plot too.
        self.overlay.runToggled = lambda index, shown: self.loss_plot.curves[index].setVisible(
            shown
        )
        self.objective: Objective | None = None
        self.runs: list[tuple[str, Run]] = []
        self._f: Evaluator | None = None
        self._df: Evaluator | None = None
        self._variable = "x"
        self._start = 1.0
        self._problem = "Type a function of one variable to roll a ball down it."

        self.preset_combo = QComboBox()
        self.preset_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.preset_combo.setMinimumContentsLength(16)
        self.preset_combo.addItem("Choose a lesson preset…")
        for preset in self.presets:
            self.preset_combo.addItem(f"{preset['name']}:  {preset['text']}")
            self.preset_combo.setItemData(
                self.preset_combo.count() - 1, preset["lesson"], Qt.ItemDataRole.ToolTipRole
            )
        self.start_field = QLineEdit(format_exact(self._start))
        self.start_field.setToolTip("Where the ball starts. Or click the curve to place it.")
        self.start_message = QLabel()
        self.start_message.setStyleSheet(f"color: {palette.ERROR};")
        self.start_message.setWordWrap(True)
        self.start_message.hide()
        self.chooser = OptimizerChooser()
        self.rate_slider = self.chooser.rate_slider
        self.step_button = QPushButton("Step")
        self.step_button.setToolTip("Take one step")
        self.play_button = QPushButton("Play")
        self.play_button.setCheckable(True)
        self.play_button.setToolTip("Keep stepping until it converges, diverges or runs out")
        self.reset_button = QPushButton("Reset")
        self.reset_button.setToolTip("Put the ball back at the start")
        self.speed_spin = QSpinBox(minimum=1, maximum=1000, value=10, suffix=" steps/s")
        self.speed_spin.setToolTip("How many steps Play takes each second")
        self.max_steps_spin = QSpinBox(
            minimum=1, maximum=100_000, value=500, prefix="max ", suffix=" steps"
        )
        self.max_steps_spin.setToolTip("Play stops after this many steps")
        # The readouts change every frame: LiveText repaints itself without a re-layout.
        self.readout = LiveText()
        self.readout.setObjectName("descentReadout")
        font = self.readout.font()
        font.setPointSizeF(font.pointSizeF() * 1.15)  # the update rule, readable from afar
        self.readout.setFont(font)
        self.readout.setToolTip("The last step with its numbers; right-click to copy")
        self.diagnosis_label = LiveText()
        self.diagnosis_label.setObjectName("descentDiagnosis")
        self.diagnosis_label.setToolTip("What the run is doing, read from its path")
        self.critical_label = LiveText()
        self.critical_label.setToolTip(
            "Near a minimum w*, each plain gradient-descent step multiplies the distance to "
            "it by about 1 − η f″(w*): it shrinks only while η < 2/f″(w*)"
        )
        self.finish_label = LiveText()
        self.race_table = RaceTable()
        self.loss_plot = LossPlot()
        """The loss against the step; the window lays it out (under the main plot)."""
        self.timer = QTimer(self)
        self._steps_per_tick = 1
        self._on_speed_changed(self.speed_spin.value())
        self._lay_out()
        self._connect()
        self._show_problem()

    def _lay_out(self) -> None:
        form = QFormLayout()
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow("Preset", self.preset_combo)
        self.start_label = QLabel("Start x₀")
        form.addRow(self.start_label, self.start_field)
        form.addRow("", self.start_message)
        buttons = QHBoxLayout()
        for button in (self.step_button, self.play_button, self.reset_button):
            buttons.addWidget(button)
        pace = QHBoxLayout()
        pace.addWidget(self.speed_spin)
        pace.addWidget(self.max_steps_spin)
        pace.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.chooser)
        layout.addLayout(buttons)
        layout.addLayout(pace)
        layout.addWidget(self.readout)
        layout.addWidget(self.race_table)
        for label in (self.diagnosis_label, self.critical_label, self.finish_label):
            layout.addWidget(label)
        layout.addStretch(1)

    def _connect(self) -> None:
        self.preset_combo.activated.connect(self._on_preset_activated)
        self.start_field.editingFinished.connect(self._on_start_edited)
        self.chooser.settingsChanged.connect(self.reset)
        self.step_button.clicked.connect(self.step)
        self.play_button.toggled.connect(self._on_play_toggled)
        self.reset_button.clicked.connect(self.reset)
        self.speed_spin.valueChanged.connect(self._on_speed_changed)
        self.max_steps_spin.valueChanged.connect(self._on_max_steps_changed)
        self.timer.timeout.connect(self._on_tick)

    # --- what the window calls ----------------------------------------------

    def set_function(
        self,
        f: Evaluator | None,
        df: Evaluator | None,
        d2f: Evaluator | None,
        variable: str = "x",
    ) -> None:
        """Descend on a new function (the run restarts), or go idle with None.

        Parameters
        ----------
        f, df, d2f
            Evaluators of f, f' and f'' (None for f'': Newton's method cannot run).
        variable
            The function's variable, for the readouts (``w`` in ``f(w) = w^2``).
        """
        self.stop()
        self._f, self._df = f, df
        if f is None or df is None:
            self.objective = None
            self._problem = "Type a function of one variable to roll a ball down it."
            self.reset()
            return
        self._variable = variable
        self.start_label.setText(f"Start {variable}₀")
        self.chooser.set_variable(variable)
        self.loss_plot.set_variable(variable)
        self.objective = objective_from_evaluators(
            f, [df], [[d2f]] if d2f is not None else None, [self._variable]
        )
        self.reset()

    def place_ball(self, w0: float) -> None:
        """Start again from ``w0`` (the learner clicked the curve there)."""
        if not math.isfinite(w0):
            return
        self._start = float(w0)
        self.start_field.setText(format_exact(self._start))
        self.start_message.hide()
        self.reset()

    def set_overlay_shown(self, shown: bool) -> None:
        """Show or hide the balls, trails and slope lines on the main plot; hiding pauses."""
        if not shown:
            self.stop()
        self.overlay.set_shown(shown)

    def stop(self) -> None:
        """Pause the animation (on a function change or when the window closes)."""
        self.timer.stop()
        self._show_playing(False)

    def has_trace(self) -> bool:
        """True once at least one step has been taken."""
        return any(run.step_count > 0 for _, run in self.runs)

    def export_csv(self, path: str) -> int:
        """Write every step of every run as CSV: optimizer, η, k, w, f(w), f′(w).

        Returns
        -------
        int
            The number of rows written (the start of each run counts as step 0).

        Raises
        ------
        OSError
            If the file cannot be written.
        """
        with open(path, "w", newline="", encoding="utf-8") as file:
            return write_traces_csv([run.trace() for _, run in self.runs], file)

    # --- controls -----------------------------------------------------------

    def is_playing(self) -> bool:
        """True while the animation runs."""
        return self.timer.isActive()

    def play(self) -> None:
        """Step on a timer until every run has stopped (from the start if all had)."""
        if not self.runs or all(run.finished for _, run in self.runs):
            self.reset()
        if not self.runs:
            self.stop()
            return
        self.timer.start()
        self._show_playing(True)

    def step(self) -> None:
        """Take one step with every optimizer and redraw."""
        if not self.runs:
            return
        for _, run in self.runs:
            run.step()
        self._redraw()

    def reset(self) -> None:
        """Put the ball(s) back at the start with the current settings."""
        self.stop()
        self.runs = []
        if self.objective is not None:
            try:
                self.runs = [
                    (
                        key,
                        Run(
                            self.objective,
                            self._start,
                            self.chooser.optimizer(key),
                            max_steps=self.max_steps_spin.value(),
                        ),
                    )
                    for key in self.chooser.runners()
                ]
                if not self.runs:
                    self._problem = "Tick at least one optimizer to race."
            except ValueError as error:
                self.runs = []
                self._problem = f"Cannot start: {error}."
        names = [self._legend_name(key) for key, _ in self.runs]
        colours = [self._colour(key) for key, _ in self.runs]
        self.overlay.show_runs(names, colours)
        self.loss_plot.show_runs(colours)
        if self.runs:
            self._redraw()
        else:
            self._show_problem()
            self.traceChanged.emit()

    def choose_preset(self, index: int) -> None:
        """Apply lesson preset ``index``: its start, optimizer, rate and race, then its function."""
        preset = self.presets[index]
        self._start = float(preset["start"])
        self.start_field.setText(format_exact(self._start))
        with QSignalBlocker(self.max_steps_spin):
            self.max_steps_spin.setValue(int(preset["max_steps"]))
        self.chooser.load(preset["optimizer"], preset["learning_rate"], preset.get("race"))
        self.presetChosen.emit(preset)

    # --- drawing ------------------------------------------------------------

    def _legend_name(self, key: str) -> str:
        return OPTIMIZERS[key].display_name if self.chooser.racing() else "descent path"

    def _colour(self, key: str) -> str:
        return colour_of(key) if self.chooser.racing() else palette.DESCENT

    def _redraw(self) -> None:
        """Show every run as it stands: overlay, loss plot, readouts and verdicts."""
        paths = []
        for index, (_, run) in enumerate(self.runs):
            w = run.points[:, 0]
            # The run knows f and f' at its point already: the slope line needs no evaluation.
            slope = Tangent.through(w[-1], run.values[-1], run.gradients[-1, 0])
            paths.append((w, run.values, slope))
            self.loss_plot.set_losses(index, run.values)
        self.overlay.set_paths(paths)
        if len(self.runs) == 1:
            self._show_single(self.runs[0][1])
        else:
            self._show_race()
        self.traceChanged.emit()

    def _show_single(self, run: Run) -> None:
        self.readout.set_text("\n".join(step_lines(run)))
        self.race_table.hide()
        self.readout.show()
        verdict = diagnose(run.trace(), self.objective)
        self._show_diagnosis(verdict.message, _VERDICT_COLOURS.get(verdict.kind, palette.FUNCTION))
        self.critical_label.set_text(critical_rate_sentence(verdict, run))
        self.finish_label.clear()

    def _show_diagnosis(self, text: str, colour: str) -> None:
        self.diagnosis_label.set_colour(colour)
        self.diagnosis_label.set_text(text)

    def _show_race(self) -> None:
        verdicts = [diagnose(run.trace(), self.objective) for _, run in self.runs]
        self.race_table.show_runs(self.runs, verdicts, self._variable)
        self.readout.hide()
        self.race_table.show()
        self.diagnosis_label.clear()
        self.critical_label.clear()
        named = [(OPTIMIZERS[key].short_name, run) for key, run in self.runs]
        self.finish_label.set_text(finish_order(named))

    def _show_problem(self) -> None:
        self.readout.clear()
        self.race_table.hide()
        self.critical_label.clear()
        self.finish_label.clear()
        self._show_diagnosis(self._problem, palette.ERROR)

    # --- slots --------------------------------------------------------------

    def _on_tick(self) -> None:
        for _ in range(self._steps_per_tick):
            for _, run in self.runs:
                run.step()
        self._redraw()
        if all(run.finished for _, run in self.runs):
            self.stop()

    def _show_playing(self, playing: bool) -> None:
        with QSignalBlocker(self.play_button):
            self.play_button.setChecked(playing)
        self.play_button.setText("Pause" if playing else "Play")

    def _on_play_toggled(self, checked: bool) -> None:
        if checked:
            self.play()
        else:
            self.stop()

    def _on_speed_changed(self, speed: int) -> None:
        interval = max(FRAME_MS, 1000.0 / speed)
        self._steps_per_tick = max(1, round(speed * interval / 1000.0))
        self.timer.setInterval(round(interval))

    def _on_max_steps_changed(self, max_steps: int) -> None:
        for _, run in self.runs:
            run.set_max_steps(max_steps)
        if self.runs:
            self._redraw()

    def _on_start_edited(self) -> None:
        try:
            start = parse_number(self.start_field.text())
        except ValueError as error:
            # Said under the field until it holds a number; the ball stays where it was.
            self.start_message.setText(f"{error} The ball stays at {format_exact(self._start)}.")
            self.start_message.show()
            return
        self.start_message.hide()
        if start != self._start or not self.runs:
            self.place_ball(start)

    def _on_preset_activated(self, index: int) -> None:
        if index > 0:
            self.choose_preset(index - 1)
        self.preset_combo.setCurrentIndex(0)
