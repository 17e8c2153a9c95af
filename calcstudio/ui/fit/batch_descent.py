"""Descent on (m, c) with a batch size: full batch, a mini-batch of k points, or 1 (SGD).

The surface lesson's descent controls, plus a batch size and a seed. With a batch smaller
than the data and plain gradient descent chosen, each run steps along one batch's gradient
(:class:`calcstudio.core.regression.batches.MiniBatchDescent`) and the readout and verdict
say so, with the distance to the least-squares point in numbers.
"""

from __future__ import annotations

from PySide6.QtGui import QValidator
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSpinBox, QWidget

from calcstudio.core.optimize import Run
from calcstudio.core.optimize.base import ARROW, MINUS, format_number, format_parameter
from calcstudio.core.optimize.readout import step_lines
from calcstudio.core.regression import Dataset, LineFit
from calcstudio.core.regression.batches import RATE_NOTE, MiniBatchDescent, batch_verdict
from calcstudio.core.regression.dataset import MAX_POINTS
from calcstudio.core.regression.line_fit import Loss
from calcstudio.core.surface.descent import format_vector
from calcstudio.ui.surface.descent import SurfaceDescent
from calcstudio.ui.widgets import palette

FULL_BATCH = "all points (full batch)"


class BatchSpin(QSpinBox):
    """Points a step: 0 shows as the full batch, 1 as SGD, k as ``k points``."""

    def textFromValue(self, value: int) -> str:
        """The shown text of ``value``."""
        if value == 0:
            return FULL_BATCH
        return "1 point (SGD)" if value == 1 else f"{value} points"

    def valueFromText(self, text: str) -> int:
        """The value of a typed text: its leading whole number (0 for the full batch)."""
        digits = "".join(ch for ch in text.split("(")[0] if ch.isdigit())
        return int(digits) if digits else 0

    def validate(self, text: str, position: int) -> object:
        """Any text is acceptable while typing; :meth:`valueFromText` reads its number."""
        return (QValidator.State.Acceptable, text, position)


class FitDescent(SurfaceDescent):
    """The surface descent with a batch-size control for the line fit."""

    def __init__(self, parent: QWidget | None = None) -> None:
        self.dataset: Dataset | None = None
        self.loss: Loss = "SSE"
        self.batch_spin = BatchSpin(minimum=0, maximum=MAX_POINTS, value=0)
        self.batch_spin.setToolTip(
            "How many points each step's gradient uses: all of them (full batch), a random "
            "mini-batch of k, or 1 (stochastic gradient descent, SGD)"
        )
        self.seed_spin = QSpinBox(minimum=0, maximum=1_000_000, value=0, prefix="seed ")
        self.seed_spin.setToolTip(
            "The seed of the shuffled order: the same seed gives the same batches and path"
        )
        self.batch_note = QLabel()
        self.batch_note.setWordWrap(True)
        self.batch_note.setStyleSheet(f"color: {palette.MUTED};")
        super().__init__(parent)
        row = QHBoxLayout()
        row.addWidget(QLabel("Batch a step"))
        row.addWidget(self.batch_spin, 1)
        row.addWidget(self.seed_spin)
        layout = self.layout()
        at = layout.indexOf(self.chooser) + 1
        layout.insertLayout(at, row)
        layout.insertWidget(at + 1, self.batch_note)
        self.batch_spin.valueChanged.connect(self._on_batch_changed)
        self.seed_spin.valueChanged.connect(self._on_batch_changed)
        self.chooser.settingsChanged.connect(self._show_batch_note)
        self._show_batch_note()

    # --- what the lesson calls ------------------------------------------------

    def set_batch_data(self, dataset: Dataset | None, loss: Loss) -> None:
        """The points the batches are drawn from, and the loss (before :meth:`set_objective`);
        None while what is fitted has no mini-batches here (the parabola)."""
        self.dataset, self.loss = dataset, loss
        if dataset is not None:
            self.batch_spin.setMaximum(max(len(dataset), 1))
        self._show_batch_note()

    def batch_size(self) -> int | None:
        """Points a step when the runs use mini-batches, else None (full batch)."""
        k = self.batch_spin.value()
        data = self.dataset
        if data is None or not 1 <= k < len(data):
            return None
        if self.chooser.racing() or self.chooser.current_key() != "gd":
            return None
        return k

    def reset(self) -> None:
        """Back to the start; with a mini-batch, the run steps along batch gradients."""
        super().reset()
        k = self.batch_size()
        if k is None or not self.runs or self.objective is None or self.dataset is None:
            return
        rate = self.chooser.values["gd"]["learning_rate"]
        optimizer = MiniBatchDescent(
            rate, dataset=self.dataset, loss=self.loss, batch_size=k, seed=self.seed_spin.value()
        )
        steps = self.max_steps_spin.value()
        self.runs = [("gd", Run(self.objective, self.start, optimizer, max_steps=steps))]
        self._show_verdicts()

    # --- drawing --------------------------------------------------------------

    def _write_readouts(self) -> None:
        super()._write_readouts()
        k = self.batch_size()
        if k is None or len(self.runs) != 1 or self.dataset is None:
            return
        _, run = self.runs[0]
        lines = step_lines(run)
        if run.steps:
            last = run.steps[-1]
            optimizer = run.optimizer
            assert isinstance(optimizer, MiniBatchDescent)
            gradient = optimizer.step_gradient(last.k, last.w_before)
            lines.insert(
                1,
                f"w {ARROW} w {MINUS} η·∇L_B = {format_vector(last.w_before)} {MINUS} "
                f"{format_parameter(optimizer.learning_rate)}·{format_vector(gradient)} = "
                f"{format_vector(last.w_after)}   (∇L_B: the batch's gradient)",
            )
        else:
            lines[1] = (
                f"Press Step or Play: w {ARROW} w {MINUS} η·∇L_B(w), the gradient of the "
                f"{self.loss} of one batch of {k} (L in the readouts is the whole data's)"
            )
        lines[0] = (
            f"k = {run.step_count}  ·  w = ({format_number(run.points[-1, 0])}, "
            f"{format_number(run.points[-1, 1])})  ·  L = {format_number(run.values[-1])}"
        )
        self.readout.set_text("\n".join(lines))
        fit = LineFit.of(self.dataset, self.loss)
        diverged = run.status in ("diverged", "undefined")
        self.verdict_label.set_colour(palette.ERROR if diverged else palette.FUNCTION)
        self.verdict_label.set_text(batch_verdict(fit, run.points, k, run.status))
        self.critical_label.clear()

    def _show_batch_note(self) -> None:
        if self.dataset is None:
            self.batch_note.setText(
                "Mini-batches are for the line here: these runs use every point."
            )
        elif self.batch_spin.value() == 0:
            self.batch_note.setText(
                "Batch: each step uses every point. A batch of k points makes each step "
                "cheaper and its path noisy; 1 is stochastic gradient descent (SGD). "
                + RATE_NOTE[self.loss]
            )
        elif self.chooser.racing() or self.chooser.current_key() != "gd":
            self.batch_note.setText(
                "Mini-batches are taken by plain gradient descent only (not in a race): "
                "these runs use every point."
            )
        elif self.batch_spin.value() >= len(self.dataset):
            self.batch_note.setText(
                f"A batch of {self.batch_spin.value()} holds every point: full batch."
            )
        else:
            self.batch_note.setText(RATE_NOTE[self.loss])

    # --- slots ----------------------------------------------------------------

    def _on_batch_changed(self) -> None:
        self._show_batch_note()
        self.reset()
