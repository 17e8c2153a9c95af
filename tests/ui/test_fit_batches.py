"""Mini-batch and stochastic descent in the fit lesson's real window: the batch control, a
reproducible noisy path, and readouts checked against an independent loop and lstsq."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import Qt

from calcstudio.core.engine import Engine
from calcstudio.core.regression import LineFit
from calcstudio.core.regression.batches import RATE_NOTE, MiniBatchDescent, batch_indices
from calcstudio.ui.fit.lesson import FitLesson
from tests.ui.window_helpers import open_window


@pytest.fixture
def fit(qtbot, engine: Engine, tmp_path: Path) -> FitLesson:
    lesson = open_window(qtbot, engine, tmp_path, "fit").lesson("fit")
    assert isinstance(lesson, FitLesson)
    return lesson


def lstsq(fit: FitLesson) -> tuple[float, float]:
    data = fit.dataset
    (m, c), *_ = np.linalg.lstsq(np.column_stack([data.x, np.ones(len(data))]), data.y, None)
    return float(m), float(c)


def sgd_by_hand(fit: FitLesson, k: int, seed: int, rate: float, steps: int) -> np.ndarray:
    """The MSE's mini-batch descent from (0, 0), point by point, batches as the core draws."""
    x, y = fit.dataset.x, fit.dataset.y
    w = np.zeros(2)
    for step in range(steps):
        batch = batch_indices(len(x), k, seed, step)
        errors = y[batch] - w[0] * x[batch] - w[1]
        w = w - rate * np.array([-2 * np.mean(x[batch] * errors), -2 * np.mean(errors)])
    return w


def test_the_batch_control_reads_and_writes_words(qtbot, fit: FitLesson) -> None:
    spin = fit.descent.batch_spin
    assert spin.text() == "all points (full batch)"
    assert spin.maximum() == len(fit.dataset)
    spin.setValue(1)
    assert spin.text() == "1 point (SGD)"
    spin.lineEdit().selectAll()
    qtbot.keyClicks(spin.lineEdit(), "5")
    qtbot.keyClick(spin.lineEdit(), Qt.Key.Key_Return)
    assert spin.value() == 5 and spin.text() == "5 points"
    assert isinstance(fit.descent.runs[0][1].optimizer, MiniBatchDescent)


def test_sgd_is_reproducible_noisy_and_ends_near_least_squares(fit: FitLesson) -> None:
    fit.panel.mse_button.click()
    descent = fit.descent
    rate = descent.chooser.values["gd"]["learning_rate"]
    descent.seed_spin.setValue(3)
    descent.batch_spin.setValue(4)
    for _ in range(400):
        descent.step()
    _, run = descent.runs[0]
    expected = sgd_by_hand(fit, 4, 3, rate, 400)
    assert run.points[-1] == pytest.approx(expected, rel=1e-9)
    assert fit.line == pytest.approx(tuple(expected))  # the line moves with the run
    path = fit.landscape.paths[0].getData()
    assert (path[0][-1], path[1][-1]) == pytest.approx(tuple(expected))
    best = lstsq(fit)
    distance = math.hypot(expected[0] - best[0], expected[1] - best[1])
    mse = LineFit.of(fit.dataset, "MSE")
    above = float(mse.value(*expected) - mse.value(*best))
    words = descent.verdict_label.text()
    assert words.startswith("Noisy (mini-batch of 4 of the 20 points a step)")
    assert f"it is {distance:.6g} from the least-squares point in (m, c)" in words
    assert f"its MSE {above:.6g} above the bottom" in words
    assert "near the bottom, not at it" in words and 0 < distance < 0.3
    readout = descent.readout.text()
    assert "η·∇L_B" in readout and "batch 5 of 5 in epoch 80" in readout
    # The same seed again: the same path; another seed: another.
    descent.reset()
    for _ in range(400):
        descent.step()
    assert descent.runs[0][1].points[-1] == pytest.approx(expected, rel=1e-12)
    descent.seed_spin.setValue(4)
    for _ in range(400):
        descent.step()
    assert descent.runs[0][1].points[-1] != pytest.approx(expected, rel=1e-6)


def test_the_full_batch_and_other_optimizers_take_every_point(fit: FitLesson) -> None:
    descent = fit.descent
    descent.batch_spin.setValue(len(fit.dataset))
    assert not isinstance(descent.runs[0][1].optimizer, MiniBatchDescent)
    assert descent.batch_note.text() == "A batch of 20 holds every point: full batch."
    descent.batch_spin.setValue(2)
    assert isinstance(descent.runs[0][1].optimizer, MiniBatchDescent)
    descent.chooser.set_current("momentum")
    assert not isinstance(descent.runs[0][1].optimizer, MiniBatchDescent)
    assert "plain gradient descent only" in descent.batch_note.text()
    descent.chooser.set_current("gd")
    assert isinstance(descent.runs[0][1].optimizer, MiniBatchDescent)
    assert descent.batch_note.text() == RATE_NOTE["SSE"]
    fit.panel.mse_button.click()
    assert descent.batch_note.text() == RATE_NOTE["MSE"]


def test_a_new_dataset_gives_batches_of_its_points(fit: FitLesson) -> None:
    fit.descent.batch_spin.setValue(2)
    fit.choose_preset(3)  # three points
    assert fit.descent.batch_spin.maximum() == 3
    optimizer = fit.descent.runs[0][1].optimizer
    assert isinstance(optimizer, MiniBatchDescent) and len(optimizer.dataset) == 3
