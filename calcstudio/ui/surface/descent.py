"""Descent on the map: the controls of the one-variable descent, with points of two numbers.

The optimizers, their knobs and the race come from the one-variable lesson's widgets
(:class:`~calcstudio.ui.descent.race.OptimizerChooser`, the race table, the loss plot); the
verdicts are the two-dimensional ones of :mod:`calcstudio.core.surface.verdicts`.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QSignalBlocker, QTimer, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from calcstudio.core.optimize import OPTIMIZERS, Newton, Objective, Run
from calcstudio.core.optimize.base import format_number
from calcstudio.core.optimize.readout import step_lines
from calcstudio.core.surface.critical import CriticalPoint
from calcstudio.core.surface.descent import vector_update
from calcstudio.core.surface.verdicts import (
    SurfaceVerdict,
    critical_rate_sentence,
    surface_verdicts,
)
from calcstudio.ui.descent.playback import RunPlayback
from calcstudio.ui.descent.race import OptimizerChooser, colour_of
from calcstudio.ui.descent.race_table import RaceTable, finish_order
from calcstudio.ui.widgets import palette
from calcstudio.ui.widgets.live_text import LiveText
from calcstudio.ui.widgets.log_slider import format_exact, parse_number
from calcstudio.ui.widgets.loss_plot import LossPlot
from calcstudio.ui.widgets.playback import (
    DESCENT_BUTTONS,
    PlaybackButtons,
    error_message,
    pace_spins,
)

_VERDICT_COLOURS = {"diverging": palette.ERROR, "undefined": palette.ERROR}


class SurfaceRaceTable(RaceTable):
    """The race table with both coordinates of each racer and L."""

    def headers(self, variable: str) -> list[str]:
        """``optimizer, k, w1, w2, L, status``; ``variable`` is ``"w1,w2"``."""
        first, second = variable.split(",")
        return ["optimizer", "k", first, second, "L", "status"]

    def row(self, key: str, run: Run, kind: str) -> tuple[str, ...]:
        """A racer's name, step k, point, loss and verdict."""
        w = run.points[-1]
        return (
            OPTIMIZERS[key].short_name,
            str(run.step_count),
            format_number(w[0]),
            format_number(w[1]),
            format_number(run.values[-1]),
            kind,
        )


class SurfaceDescent(RunPlayback, QWidget):
    """Who descends from where, Step/Play/Reset, and what the runs are doing.

    Signals
    -------
    pathsChanged(object)
        The runs moved: a list of ``(k + 1, 2)`` point arrays, one per run.
    runsStarted(object, object)
        New runs: their colours and legend names.
    startMoved(float, float)
        The start point changed.
    readoutsShown()
        The readouts and verdicts were written (while playing fast, about ten times a
        second): a lesson that writes readouts about the runs writes its own then.
    """

    pathsChanged = Signal(object)
    runsStarted = Signal(object, object)
    startMoved = Signal(float, float)
    readoutsShown = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.objective: Objective | None = None
        self.critical: list[CriticalPoint] = []
        self.view_size = 1.0
        self.runs: list[tuple[str, Run]] = []
        self.start = (1.0, -2.0)
        self.variables = ("w1", "w2")
        self.problem = "Type a function of two variables to descend on its surface."
        self.start_fields = (QLineEdit(), QLineEdit())
        for field in self.start_fields:
            field.setMaximumWidth(90)
            field.setToolTip("Where the runs start. Or click the map to place the start.")
            field.editingFinished.connect(self._on_start_edited)
        self.start_message = error_message()
        self.chooser = OptimizerChooser()
        self.buttons = PlaybackButtons(*DESCENT_BUTTONS)
        self.step_button = self.buttons.step_button
        self.play_button = self.buttons.play_button
        self.reset_button = self.buttons.reset_button
        self.speed_spin, self.max_steps_spin = pace_spins(20)
        self.readout = LiveText()
        self.readout.setObjectName("surfaceDescentReadout")
        self.readout.setToolTip("The last step in vector form, then per variable")
        self.verdict_label = LiveText()
        self.verdict_label.setObjectName("surfaceVerdict")
        self.critical_label = LiveText()
        self.critical_label.setToolTip(
            "Near a minimum each step multiplies the distance along the steepest direction "
            "by 1 − η λmax: it shrinks only while η < 2/λmax"
        )
        self.finish_label = LiveText()
        self.race_table = SurfaceRaceTable()
        self.loss_plot = LossPlot()
        self.loss_plot.plot.setLabel("left", "loss L")
        self.timer = QTimer(self)
        self._steps_per_tick = 1
        self._on_speed_changed(self.speed_spin.value())
        self._lay_out()
        self.chooser.settingsChanged.connect(self.reset)
        self.step_button.clicked.connect(self.step)
        self.play_button.toggled.connect(self._on_play_toggled)
        self.reset_button.clicked.connect(self.reset)
        self.speed_spin.valueChanged.connect(self._on_speed_changed)
        self.max_steps_spin.valueChanged.connect(self._on_max_steps_changed)
        self.timer.timeout.connect(self.tick)
        self._show_start()

    def _lay_out(self) -> None:
        start = QHBoxLayout()
        for field in self.start_fields:
            start.addWidget(field)
        start.addStretch(1)
        form = QFormLayout()
        form.setContentsMargins(0, 0, 0, 0)
        self.start_label = QLabel("Start (w1, w2)")
        form.addRow(self.start_label, start)
        form.addRow("", self.start_message)
        buttons = self.buttons.row()
        pace = QHBoxLayout()
        pace.addWidget(self.speed_spin)
        pace.addWidget(self.max_steps_spin)
        pace.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(form)
        layout.addWidget(self.chooser)
        layout.addLayout(buttons)
        layout.addLayout(pace)
        layout.addWidget(self.readout)
        layout.addWidget(self.race_table)
        for label in (self.verdict_label, self.critical_label, self.finish_label):
            layout.addWidget(label)

    # --- what the lesson calls ------------------------------------------------

    def set_objective(self, objective: Objective | None) -> None:
        """Descend on a new surface (the runs restart), or go idle with None."""
        self.stop()
        self.objective = objective
        if objective is not None:
            self.variables = (objective.variables[0], objective.variables[1])
            self.start_label.setText(f"Start ({', '.join(self.variables)})")
            self.chooser.set_variable(*self.variables)
        self.reset()

    def set_critical_points(self, points: Sequence[CriticalPoint], view_size: float) -> None:
        """The critical points in view, for the verdicts."""
        self.critical = list(points)
        self.view_size = view_size
        if self.runs:
            self._show_verdicts()

    def place_start(self, w1: float, w2: float) -> None:
        """Start again from ``(w1, w2)``."""
        self.start = (float(w1), float(w2))
        self.start_message.hide()
        self._show_start()
        self.reset()

    def stop(self) -> None:
        """Pause the animation."""
        self._stop_playing()
        with QSignalBlocker(self.play_button):
            self.play_button.setChecked(False)
        self.play_button.setText("Play")

    def play(self) -> None:
        """Step on a timer until every run has stopped (from the start if all had)."""
        if not self.runs or all(run.finished for _, run in self.runs):
            self.reset()
        if not self.runs:
            return
        self.timer.start()
        with QSignalBlocker(self.play_button):
            self.play_button.setChecked(True)
        self.play_button.setText("Pause")

    def step(self) -> None:
        """One step of every run."""
        for _, run in self.runs:
            run.step()
        self._redraw()

    def reset(self) -> None:
        """Put the balls back at the start with the current settings."""
        self.stop()
        self.runs = []
        if self.objective is not None:
            self.runs, problem = self.chooser.start_runs(
                self.objective, self.start, self.max_steps_spin.value()
            )
            if problem:
                self.problem = problem
        racing = self.chooser.racing()
        colours = [colour_of(key) if racing else palette.DESCENT for key, _ in self.runs]
        names = [OPTIMIZERS[key].display_name if racing else "descent path" for key, _ in self.runs]
        self.runsStarted.emit(colours, names)
        self.loss_plot.show_runs(colours)
        if self.runs:
            self._redraw()
        else:
            self.pathsChanged.emit([])
            self.readout.clear()
            self.race_table.hide()
            self.critical_label.clear()
            self.finish_label.clear()
            self.verdict_label.set_colour(palette.ERROR)
            self.verdict_label.set_text(self.problem)

    def verdicts(self) -> list[SurfaceVerdict]:
        """The verdict on each run so far."""
        assert self.objective is not None
        traces = [run.trace() for _, run in self.runs]
        return surface_verdicts(traces, self.objective, self.critical, self.view_size)

    # --- drawing --------------------------------------------------------------

    def _redraw(self) -> None:
        self.loss_plot.set_all_losses([run.values for _, run in self.runs])
        self.pathsChanged.emit([run.points for _, run in self.runs])
        self._show_verdicts()

    def _show_verdicts(self) -> None:
        """The readouts and verdicts of the runs as they stand, when due (while playing fast,
        about ten times a second: :data:`~calcstudio.ui.descent.playback.VERDICT_MS`)."""
        if not self._readouts_due():
            return
        self._write_readouts()
        self.readoutsShown.emit()

    def _write_readouts(self) -> None:
        verdicts = self.verdicts()
        if len(self.runs) == 1:
            key, run = self.runs[0]
            lines = step_lines(run)[1:]  # the position is in the point readout's words
            position = (
                f"k = {run.step_count}  ·  w = ({format_number(run.points[-1, 0])}, "
                f"{format_number(run.points[-1, 1])})  ·  L = {format_number(run.values[-1])}"
            )
            if run.steps:
                last = run.steps[-1]
                rate = run.optimizer.learning_rate
                if isinstance(run.optimizer, Newton) and last.note:  # it fell back
                    rate = run.optimizer.fallback_rate
                lines = [vector_update(last, key, rate), *lines]
            self.readout.set_text("\n".join([position, *lines]))
            self.readout.show()
            self.race_table.hide()
            verdict = verdicts[0]
            self.verdict_label.set_colour(_VERDICT_COLOURS.get(verdict.kind, palette.FUNCTION))
            self.verdict_label.set_text(verdict.message)
            self.critical_label.set_text(critical_rate_sentence(verdict))
            self.finish_label.clear()
            return
        self.race_table.show_runs(self.runs, verdicts, ",".join(self.variables))
        self.readout.hide()
        self.race_table.show()
        self.verdict_label.clear()
        self.critical_label.clear()
        named = [(OPTIMIZERS[key].short_name, run) for key, run in self.runs]
        self.finish_label.set_text(finish_order(named).replace("f\u00a0=", "L\u00a0="))

    def _show_start(self) -> None:
        for field, value in zip(self.start_fields, self.start, strict=True):
            field.setText(format_exact(value))
        self.startMoved.emit(*self.start)

    # --- slots ----------------------------------------------------------------

    def _on_start_edited(self) -> None:
        try:
            start = tuple(parse_number(field.text()) for field in self.start_fields)
        except ValueError as error:
            where = ", ".join(format_exact(c) for c in self.start)
            self.start_message.setText(f"{error} The start stays at ({where}).")
            self.start_message.show()
            return
        if start != self.start or not self.runs:
            self.place_start(*start)
