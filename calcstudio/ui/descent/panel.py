"""The descent panel: roll a ball down f by ``w ← w − η f′(w)`` and watch what it does.

Notes
-----
The panel runs the descent: its runs, its loss plot, its animation timer and the overlay it
draws on the main plot. Every step comes from :class:`calcstudio.core.optimize.Run`. Its
inputs are laid out by :class:`calcstudio.ui.descent.controls.DescentControls` (the presets
offered by :class:`calcstudio.ui.descent.presets.PresetCombo`), and what is said about the
runs is shown by :class:`calcstudio.ui.descent.verdicts.RunVerdicts`.
"""

from __future__ import annotations

import math
from typing import Any

import pyqtgraph as pg
from PySide6.QtCore import QSignalBlocker, QSize, QTimer, Signal
from PySide6.QtWidgets import QVBoxLayout, QWidget

from calcstudio import resource_files
from calcstudio.core.calculus import Tangent
from calcstudio.core.numeric import Evaluator
from calcstudio.core.optimize import OPTIMIZERS, Objective, Run, objective_from_evaluators
from calcstudio.core.optimize.export import write_traces_csv
from calcstudio.ui.descent.controls import DescentControls
from calcstudio.ui.descent.follow import ViewFollower
from calcstudio.ui.descent.overlay import DescentOverlay
from calcstudio.ui.descent.playback import RunPlayback
from calcstudio.ui.descent.presets import PRESETS_FILE
from calcstudio.ui.descent.race import colour_of
from calcstudio.ui.descent.verdicts import RunVerdicts
from calcstudio.ui.widgets import palette
from calcstudio.ui.widgets.log_slider import format_exact, parse_number
from calcstudio.ui.widgets.loss_plot import LossPlot


class DescentPanel(RunPlayback, QWidget):
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
        self.follower = ViewFollower(plot_item, self)
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

        self.controls = DescentControls(self.presets, self.follower.box)
        # The window, sessions and tests reach these widgets through the panel.
        self.preset_combo = self.controls.preset_combo
        self.start_label = self.controls.start_label
        self.start_field = self.controls.start_field
        self.start_field.setText(format_exact(self._start))
        self.start_message = self.controls.start_message
        self.chooser = self.controls.chooser
        self.rate_slider = self.chooser.rate_slider
        self.step_button = self.controls.step_button
        self.play_button = self.controls.play_button
        self.reset_button = self.controls.reset_button
        self.speed_spin = self.controls.speed_spin
        self.max_steps_spin = self.controls.max_steps_spin
        self.verdicts = RunVerdicts()
        self.readout = self.verdicts.readout
        self.diagnosis_label = self.verdicts.diagnosis_label
        self.critical_label = self.verdicts.critical_label
        self.finish_label = self.verdicts.finish_label
        self.race_table = self.verdicts.race_table
        self.loss_plot = LossPlot()
        """The loss against the step; the window lays it out (under the main plot)."""
        self.timer = QTimer(self)
        self._steps_per_tick = 1
        self._on_speed_changed(self.speed_spin.value())
        self._lay_out()
        self._connect()
        self.verdicts.show_problem(self._problem)

    def minimumSizeHint(self) -> QSize:
        # As wide as the race table too, though it shows only in a race: a window laid out
        # for this width never has to scroll sideways when a race starts.
        hint = super().minimumSizeHint()
        margins = self.layout().contentsMargins()
        table = self.race_table.minimumSizeHint().width() + margins.left() + margins.right()
        return QSize(max(hint.width(), table), hint.height())

    def _lay_out(self) -> None:
        layout = QVBoxLayout(self)
        layout.addWidget(self.controls)
        layout.addWidget(self.verdicts)
        layout.addStretch(1)

    def _connect(self) -> None:
        self.preset_combo.presetPicked.connect(self.choose_preset)
        self.start_field.editingFinished.connect(self._on_start_edited)
        self.chooser.settingsChanged.connect(self.reset)
        self.step_button.clicked.connect(self.step)
        self.play_button.toggled.connect(self._on_play_toggled)
        self.reset_button.clicked.connect(self.reset)
        self.speed_spin.valueChanged.connect(self._on_speed_changed)
        self.max_steps_spin.valueChanged.connect(self._on_max_steps_changed)
        self.timer.timeout.connect(self.tick)

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
        self.controls.set_variable(variable)
        self.loss_plot.set_variable(variable)
        self.objective = objective_from_evaluators(
            f, [df], [[d2f]] if d2f is not None else None, [self._variable]
        )
        self.reset()

    @property
    def start(self) -> float:
        """Where the runs start."""
        return self._start

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
        self._stop_playing()
        self.controls.show_playing(False)

    def has_trace(self) -> bool:
        """True once at least one step has been taken."""
        return any(run.step_count > 0 for _, run in self.runs)

    def export_csv(self, path: str) -> int:
        """Write every step of every run as CSV: optimizer, η, k, w, f(w), f′(w).

        Returns
        -------
        int
            The number of steps written: each run's start is a row (step 0) but not a step.

        Raises
        ------
        OSError
            If the file cannot be written.
        """
        with open(path, "w", newline="", encoding="utf-8") as file:
            rows = write_traces_csv([run.trace() for _, run in self.runs], file)
        return rows - len(self.runs)

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
        self.follower.play_started()
        self.timer.start()
        self.controls.show_playing(True)

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
            self.runs, problem = self.chooser.start_runs(
                self.objective, self._start, self.max_steps_spin.value()
            )
            if problem:
                self._problem = problem
        names = [self._legend_name(key) for key, _ in self.runs]
        colours = [self._colour(key) for key, _ in self.runs]
        self.overlay.show_runs(names, colours)
        self.loss_plot.show_runs(colours)
        if self.runs:
            self._redraw()
        else:
            self.verdicts.show_problem(self._problem)
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
        return OPTIMIZERS[key].short_name if self.chooser.racing() else "descent path"

    def _colour(self, key: str) -> str:
        return colour_of(key) if self.chooser.racing() else palette.DESCENT

    def _redraw(self) -> None:
        """Show every run as it stands: overlay, loss plot, readouts and verdicts."""
        paths = []
        for _, run in self.runs:
            w = run.points[:, 0]
            # The run knows f and f' at its point already: the slope line needs no evaluation.
            slope = Tangent.through(w[-1], run.values[-1], run.gradients[-1, 0])
            paths.append((w, run.values, slope))
        self.loss_plot.set_all_losses([run.values for _, run in self.runs])
        self.overlay.set_paths(paths)
        if paths:
            self.follower.keep_paths_in_view([(w, values) for w, values, _ in paths])
        self._show_verdicts()
        self.traceChanged.emit()

    def _show_verdicts(self) -> None:
        """The readouts and verdicts of the runs as they stand, when due (while playing fast,
        about ten times a second: :data:`~calcstudio.ui.descent.playback.VERDICT_MS`)."""
        if not self._readouts_due():
            return
        if len(self.runs) == 1:
            self.verdicts.show_single(self.runs[0][1], self.objective)
        else:
            self.verdicts.show_race(self.runs, self.objective, self._variable)

    # --- slots --------------------------------------------------------------

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
