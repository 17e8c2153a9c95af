"""The line-fit lesson: data, a line y = mx + c, and its sum of squared errors as a bowl over
(m, c) whose bottom is the best line; gradient descent walks down it.

The landscape is the bowl drawn from the data's sums, its level curves exact ellipses
(:class:`calcstudio.core.regression.Bowl`): the full grid follows a dragged data point at
display rate, at a cost that does not grow with the number of points. For descent the loss
is an :class:`~calcstudio.core.optimize.Objective` from the same sums
(:meth:`calcstudio.core.regression.LineFit.objective`), so the surface lesson's optimizers
and verdicts work on it unchanged.
"""

from __future__ import annotations

import contextlib
import math
from typing import Any

import numpy as np

from calcstudio import resource_files
from calcstudio.core.regression import (
    Bowl,
    Dataset,
    DatasetError,
    LineFit,
    generate,
    read_csv,
    write_csv,
)
from calcstudio.core.regression.line_fit import Loss
from calcstudio.core.regression.line_fit import readout_number as _number
from calcstudio.core.surface.critical import CriticalPoint
from calcstudio.ui.fit.panel import FitPanel
from calcstudio.ui.fit.parabola import PARABOLA_FORMULAS, ParabolaMode
from calcstudio.ui.fit.view import FitView
from calcstudio.ui.window.lesson import Lesson, LessonHost, from_card

PRESETS_FILE = "fit_presets.json"
LOSS_FORMULAS = {
    "SSE": "SSE(m, c) = Σ (yᵢ − (m·xᵢ + c))², the sum over the data of each point's squared "
    "error. Its lowest point is the best line.",
    "MSE": "MSE(m, c) = (1/n)·Σ (yᵢ − (m·xᵢ + c))², the mean of the squared errors: the SSE "
    "divided by n, so the same best line, on a bowl n times lower.",
}


def _line(m: float, c: float) -> str:
    """``y = 2·x − 1`` (the intercept's sign written as an operation)."""
    sign = "−" if c < 0 else "+"
    return f"y = {_number(m)}·x {sign} {_number(abs(c))}"


def _points(count: int) -> str:
    return "1 point" if count == 1 else f"{count} points"


@from_card("fit")
class FitLesson(Lesson):
    """Fit a line to data by walking down its loss bowl.

    Parameters
    ----------
    host
        The window.
    """

    """The lesson shows its data, not the function typed (typing moves to a lesson that
    shows functions)."""

    def __init__(self, host: LessonHost) -> None:
        super().__init__(host)
        self.presets: list[dict[str, Any]] = resource_files.read_json(PRESETS_FILE)
        self.panel: FitPanel = FitPanel(self.presets)
        self.descent = self.panel.descent
        self.view = FitView(self.descent.loss_plot)
        self.data_view = self.view.data_view
        self.landscape = self.view.landscape
        self.dataset = Dataset(np.empty(0), np.empty(0))
        self.loss: Loss = "SSE"
        self.fit: LineFit | None = None
        self.line = (0.0, 0.0)
        """The current (m, c)."""
        self._started = False
        """Whether the lesson has had data (its first preset is loaded when first shown)."""
        self._dragging = False
        """During a move of a dragged data point: the runs (and their verdicts) wait."""
        self.parabola = ParabolaMode(self)
        self._connect()
        self.panel.show_readouts("", "", ("Add points to fit a line.", ""), "", "")

    def _connect(self) -> None:
        view, panel = self.data_view, self.panel
        view.pointAdded.connect(lambda x, y: self.set_data(self.dataset.with_point(x, y)))
        view.pointMoved.connect(self._on_point_dragged)
        view.pointDropped.connect(self._on_point_dropped)
        view.pointDeleted.connect(lambda i: self.set_data(self.dataset.without(i)))
        view.lineDragged.connect(self.move_line)
        self.landscape.pointDragged.connect(self.move_line)
        self.landscape.mapClicked.connect(self.descent.place_start)
        self.descent.pathsChanged.connect(self._on_paths_changed)
        self.descent.readoutsShown.connect(self._on_descent_readouts)
        self.descent.runsStarted.connect(self.landscape.show_runs)
        self.descent.runsStarted.connect(self.view.show_runs)
        self.descent.startMoved.connect(self.landscape.set_start)
        panel.presetPicked.connect(self.choose_preset)
        panel.generateRequested.connect(self._on_generate)
        panel.loadRequested.connect(self.load_csv)
        panel.saveRequested.connect(self.save_csv)
        panel.centreRequested.connect(self.centre_x)
        panel.clearRequested.connect(lambda: self.set_data(Dataset(np.empty(0), np.empty(0))))
        panel.lossChanged.connect(self.set_loss)
        panel.squares_box.toggled.connect(view.set_squares_shown)
        panel.model_box.modelChanged.connect(self._on_model_changed)

    # --- the lesson interface ------------------------------------------------------

    def set_active(self, active: bool) -> None:
        """A hidden lesson runs no animation; a shown one writes its loss in the formula
        panel."""
        if active:
            self.host.formulas.set_message(self._formula())
            if not self._started:
                self.choose_preset(0)  # built when first shown: nothing at window start
        else:
            self.descent.stop()

    def show_first_preset(self) -> bool:
        """Open on the first dataset."""
        self.choose_preset(0)
        return True

    def state(self) -> dict[str, Any]:
        """The data, the loss and the line."""
        x, y = self.dataset.columns  # the same tuples until the data changes: cheap to save
        return {
            "x": x,
            "y": y,
            "loss": self.loss,
            "line": list(self.line),
            **self.parabola.state(),
        }

    def restore_state(self, state: dict[str, Any]) -> None:
        """Put back the data, the loss and the line; data that is not usable (or missing)
        leaves the lesson's data as it is."""
        loss = state.get("loss")
        if loss in ("SSE", "MSE"):
            self.loss = loss
            (self.panel.sse_button if loss == "SSE" else self.panel.mse_button).setChecked(True)
        try:
            data = Dataset(np.asarray(state["x"], dtype=float), np.asarray(state["y"], dtype=float))
        except (KeyError, TypeError, ValueError):
            data = None
        if data is not None and len(data):
            self.set_data(data, frame=True)
        line = state.get("line")
        if isinstance(line, list) and len(line) == 2:
            with contextlib.suppress(TypeError, ValueError):
                self.move_line(float(line[0]), float(line[1]))
        self.parabola.restore(state)

    def stop(self) -> None:
        """Stop the descent."""
        self.descent.stop()

    # --- the data -------------------------------------------------------------------

    def choose_preset(self, index: int) -> None:
        """Load dataset preset ``index`` and frame it."""
        self._started = True
        preset = self.presets[index]
        data = generate(
            preset["slope"],
            preset["intercept"],
            preset["noise"],
            preset["count"],
            tuple(preset["x_range"]),
            preset["seed"],
        )
        for x, y in preset.get("extra", []):
            data = data.with_point(x, y)
        self.panel.show_data_message(preset["lesson"])
        self.set_data(data, frame=True)

    def _on_generate(
        self, slope: float, intercept: float, noise: float, count: int, low: float, high: float
    ) -> None:
        try:
            data = generate(slope, intercept, noise, count, (low, high))
        except DatasetError as error:
            self.panel.show_data_message(str(error).capitalize() + ".", error=True)
            return
        where = f"x = {_number(low)}" if count == 1 else f"x from {_number(low)} to {_number(high)}"
        self.panel.show_data_message(f"{_points(count)} near {_line(slope, intercept)}, {where}.")
        self.set_data(data, frame=True)

    def load_csv(self, path: str) -> bool:
        """Load the data in ``path``; a bad file changes nothing and says why."""
        try:
            data = read_csv(path)
        except DatasetError as error:
            self.panel.show_data_message(f"Could not load {path}: {error}.", error=True)
            return False
        self.panel.show_data_message(f"Loaded {len(data)} points from {path}.")
        self.set_data(data, frame=True)
        return True

    def save_csv(self, path: str) -> bool:
        """Write the data to ``path`` as CSV."""
        try:
            write_csv(self.dataset, path)
        except OSError as error:
            self.panel.show_data_message(f"Could not save {path}: {error.strerror}.", error=True)
            return False
        self.panel.show_data_message(f"Saved {len(self.dataset)} points to {path}.")
        return True

    def centre_x(self) -> None:
        """Shift every x by the mean of x: the same best slope, a bowl whose axes line up with
        m and c, far less thin when x was far from 0."""
        if len(self.dataset) == 0 or self.fit is None:
            return
        before = self._condition_number()
        mean = self.dataset.statistics().mean_x
        self.set_data(self.dataset.centred(), frame=True)
        after = self._condition_number()
        shift = f"Every x moved by {_number(-mean)}"
        if not (math.isfinite(before) and math.isfinite(after)):
            self.panel.show_data_message(
                f"{shift}; every x is the same, so the bowl has no single bottom either way."
            )
        elif after < 0.9 * before:
            self.panel.show_data_message(
                f"{shift}: the condition number of the bowl went from {_number(before)} to "
                f"{_number(after)}, so plain gradient descent needs far fewer steps."
            )
        else:
            self.panel.show_data_message(
                f"{shift}: x was already centred enough; the condition number stays at "
                f"{_number(after)}."
            )

    def set_data(self, dataset: Dataset, *, frame: bool = False, moved: int | None = None) -> None:
        """Show ``dataset``: its points, the bowl of its loss, the readouts (``moved``: the
        index of the only point that differs from the dataset shown, when one was dragged)."""
        self._started = True
        self.dataset = dataset
        self.data_view.show_data(dataset, moved)
        if frame:
            self.data_view.frame(dataset)
        self._rebuild(frame=frame)

    def _on_point_dragged(self, index: int, x: float, y: float) -> None:
        # The bowl, its bottom and the line follow at once; the runs wait for the drop (or
        # for any other change of the data, should the drop never come).
        self._dragging = True
        try:
            self.set_data(self.dataset.moved(index, x, y), moved=index)
        finally:
            self._dragging = False

    def _on_point_dropped(self) -> None:
        self._rebuild(frame=False)

    def set_loss(self, loss: Loss) -> None:
        """Show the SSE or the MSE: the same bowl, n times lower, so a suggested rate n times
        larger."""
        self.loss = loss
        self.host.formulas.set_message(self._formula())
        self._rebuild(frame=False)
        if self.fit is not None:
            rate = self.parabola.suggested_rate() if self.parabola.shown else None
            self.descent.chooser.load("gd", rate or self.fit.suggested_rate(), None)

    def _on_model_changed(self) -> None:
        self.host.formulas.set_message(self._formula())
        shown = ("parabola", self.panel.model_box.pair()) if self.parabola.shown else None
        for part in (self.panel, self.view):
            part.show_model(*(shown or ("line", ("m", "c"))))
        self._rebuild(frame=True)

    def _formula(self) -> str:
        return (PARABOLA_FORMULAS if self.parabola.shown else LOSS_FORMULAS)[self.loss]

    def _condition_number(self) -> float:
        assert self.fit is not None
        return (
            self.parabola.condition_number()
            if self.parabola.shown
            else (self.fit.condition_number())
        )

    @property
    def dragging(self) -> bool:
        """Whether a data point is being dragged (the runs wait for the drop)."""
        return self._dragging

    def _rebuild(self, *, frame: bool) -> None:
        if len(self.dataset) == 0:
            self.fit = None
            self.landscape.set_surface(None)
            self.descent.set_objective(None)
            self.move_line(*self.line)
            self.panel.show_readouts("", "", ("Add points to fit a line.", ""), "", "")
            return
        self.fit = LineFit.of(self.dataset, self.loss)
        if self.parabola.shown:
            self.parabola.rebuild(frame=frame)
            return
        if frame:
            self.landscape.set_view(*self.fit.view((0.0, 0.0)))
        self.landscape.set_surface(Bowl(self.fit), keep_levels=self._dragging)
        best = self.fit.best_line()
        bottoms = []
        if best is not None:
            low, high = self.fit.eigenvalues()
            bottoms = [CriticalPoint(best, float(self.fit.value(*best)), (low, high), "minimum")]
        self.landscape.set_critical_points(bottoms)
        if not self._dragging:
            self.descent.set_critical_points(bottoms, self.view_size())
            self.descent.set_batch_data(self.dataset, self.loss)
            self.descent.set_objective(self.fit.objective())
        if frame:
            self.descent.chooser.load("gd", self.fit.suggested_rate(), None)
            self.descent.place_start(0.0, 0.0)
        self.move_line(*self.line)

    def view_size(self) -> float:
        """The larger side of the landscape's view."""
        (m0, m1), (c0, c1) = self.landscape.view_ranges()
        return max(m1 - m0, c1 - c0)

    # --- the line ---------------------------------------------------------------------

    def move_line(self, m: float, c: float, *, readouts: bool = True) -> None:
        """Put the line at (m, c): on the data, on the bowl, and (unless ``readouts`` is
        False) in the readouts."""
        if not (math.isfinite(m) and math.isfinite(c)):
            return
        if self.parabola.shown:  # (m, c) are then the bowl's pair of coefficients
            self.parabola.move(m, c, readouts=readouts)
            return
        self.line = (float(m), float(c))
        self.data_view.show_line(m, c)
        fit = self.fit
        if fit is None:
            return
        gradient = fit.gradient(m, c)
        self.landscape.set_point(m, c, gradient)
        if readouts:
            self._write_readouts()

    def _write_readouts(self) -> None:
        """The readouts of the line (or the parabola) on show."""
        if self.parabola.shown:
            self.parabola.write_readouts()
        elif self.fit is not None:
            self.panel.show_readouts(*self._readouts(self.fit, *self.line))

    def _readouts(
        self, fit: LineFit, m: float, c: float
    ) -> tuple[str, str, tuple[str, str], str, str]:
        line = _line(m, c)
        loss = f"{fit.loss} = {_number(float(fit.value(m, c)))} ({_points(len(self.dataset))})"
        best = fit.best_line()
        if best is None:
            best_text = (
                "Every x is the same, so no single line fits best: the bowl is a trough "
                "with a flat bottom."
            )
            bowl = ""
        else:
            bm, bc = best
            best_text = (
                f"Least squares (the normal equations): m = {_number(bm)}, c = {_number(bc)}, "
                f"{fit.loss} = {_number(float(fit.value(bm, bc)))}. This line is at "
                f"distance {_number(math.hypot(m - bm, c - bc))} from it in (m, c)."
            )
            hessian = "2XᵀX" if fit.loss == "SSE" else "(2/n)XᵀX"
            bowl = (
                f"Condition number of the Hessian {hessian}: {_number(fit.condition_number())} "
                "(1 is a round bowl). From almost every start, plain gradient descent "
                f"diverges for η > 2/λmax = {_number(fit.critical_rate())}."
            )
        return line, loss, fit.partial_lines(m, c), best_text, bowl

    def _on_paths_changed(self, paths: list[np.ndarray]) -> None:
        self.landscape.set_paths(paths)
        if paths and len(paths[0]) > 1:  # a reset leaves the line where the learner put it
            m, c = paths[0][-1]
            # The line moves with the (first) runner; its numbers are written with the
            # descent's own readouts (_on_descent_readouts), as often as those.
            self.move_line(float(m), float(c), readouts=False)

    def _on_descent_readouts(self) -> None:
        runs = self.descent.runs
        if not runs or runs[0][1].step_count == 0:
            return
        self._write_readouts()
        self._show_end(runs[0][1].points[-1])

    def _show_end(self, end: np.ndarray) -> None:
        if self.parabola.shown:
            self.panel.end_label.set_text(self.parabola.end_text(*end))
            return
        fit = self.fit
        best = fit.best_line() if fit is not None else None
        if fit is None or best is None:
            self.panel.end_label.set_text("")
            return
        m, c = end
        gap = float(fit.value(m, c)) - float(fit.value(*best))
        self.panel.end_label.set_text(
            f"Descent is at (m, c) = ({_number(m)}, {_number(c)}), "
            f"{_number(math.hypot(m - best[0], c - best[1]))} from the least-squares line, "
            f"its {fit.loss} {_number(gap)} above the bottom."
        )
