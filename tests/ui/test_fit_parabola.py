"""The parabola y = a·x² + b·x + c in the fit lesson's real window: its bowl over two chosen
coefficients, the curve on the data, readouts and descent, against numpy's least squares."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from calcstudio.core.engine import Engine
from calcstudio.core.regression import Dataset
from calcstudio.ui.fit.lesson import FitLesson
from calcstudio.ui.fit.parabola import TOO_FEW_X
from calcstudio.ui.widgets.spots import spot_places
from tests.ui.window_helpers import open_window


@pytest.fixture
def fit(qtbot, engine: Engine, tmp_path: Path) -> FitLesson:
    lesson = open_window(qtbot, engine, tmp_path, "fit").lesson("fit")
    assert isinstance(lesson, FitLesson)
    lesson.panel.model_box.parabola_button.click()
    return lesson


def lstsq(data: Dataset, columns: list[np.ndarray], target: np.ndarray) -> np.ndarray:
    solution, *_ = np.linalg.lstsq(np.column_stack(columns), target, rcond=None)
    return solution


def full_lstsq(data: Dataset) -> np.ndarray:
    return lstsq(data, [data.x**2, data.x, np.ones(len(data))], data.y)


def test_the_bowl_over_a_and_b_has_least_squares_at_its_bottom(fit: FitLesson) -> None:
    data = fit.dataset
    best = full_lstsq(data)
    assert fit.landscape.surface is not None and fit.landscape.surface.variables == ("a", "b")
    marked = spot_places(fit.landscape.critical)
    assert (float(marked[0][0]), float(marked[1][0])) == pytest.approx(best[:2], rel=1e-6)
    words = fit.panel.best_label.text()
    assert all(
        f"{name} = {value:.6g}".replace("-", "−") in words
        for name, value in zip("abc", best, strict=True)
    )
    assert "c held at its least-squares value" in fit.panel.bowl_label.text()
    assert fit.panel.descent_heading.text() == "<b>Descent on (a, b)</b>"
    assert "parabola" in fit.view.key.text() and "least squares" not in fit.view.key.text()
    fit.panel.mse_button.click()
    block = np.column_stack([data.x**2, data.x])
    condition = np.linalg.cond(2 / len(data) * block.T @ block)
    assert f"(that block of (2/n)XᵀX): {condition:.6g}" in fit.panel.bowl_label.text()


def test_the_point_on_the_bowl_moves_the_curve_and_the_readouts(fit: FitLesson) -> None:
    data = fit.dataset
    c = float(full_lstsq(data)[2])
    fit.landscape.point.setPos(0.25, 1.5)  # the learner drags (a, b)
    xs, ys = fit.data_view.line.getData()
    assert ys == pytest.approx(0.25 * xs**2 + 1.5 * xs + c)
    errors = data.y - (0.25 * data.x**2 + 1.5 * data.x + c)
    _, ends = fit.data_view.residuals.getData()
    assert ends[1::2] == pytest.approx(data.y - errors)  # each segment ends on the curve
    partials = fit.panel.partials_label.text().split("\n")
    by_hand = [-2 * np.sum(data.x**2 * errors), -2 * np.sum(data.x * errors), -2 * np.sum(errors)]
    for line, value in zip(partials, by_hand, strict=True):
        assert line.endswith(f"= {value:.6g}".replace("-", "−"))
    assert fit.panel.loss_label.text() == f"SSE = {np.sum(errors**2):.6g} (20 points)"


def test_the_third_held_at_its_current_value(fit: FitLesson) -> None:
    box = fit.panel.model_box
    box.pair_box.setCurrentIndex(2)  # (b, c), a held at its least-squares value
    fit.move_line(1.0, 2.0)  # b = 1, c = 2
    box.current_button.click()
    box.pair_box.setCurrentIndex(0)  # (a, b) with c held where it is: 2
    data = fit.dataset
    a, b = lstsq(data, [data.x**2, data.x], data.y - 2.0)
    marked = spot_places(fit.landscape.critical)
    assert (float(marked[0][0]), float(marked[1][0])) == pytest.approx((a, b), rel=1e-6)
    assert "c held at its current value, 2:" in fit.panel.bowl_label.text()
    assert f"(a, b) = ({a:.6g}, {b:.6g})".replace("-", "−") in fit.panel.bowl_label.text()


def test_descent_on_the_pair_steps_by_its_gradient_and_ends_at_the_bottom(fit: FitLesson) -> None:
    data = fit.dataset
    best = full_lstsq(data)
    descent = fit.descent
    rate = descent.chooser.values["gd"]["learning_rate"]
    descent.step()  # from (a, b) = (0, 0), c at its least-squares value
    errors = data.y - best[2]
    gradient = np.array([-2 * np.sum(data.x**2 * errors), -2 * np.sum(data.x * errors)])
    assert fit.parabola.theta[:2] == pytest.approx(-rate * gradient, rel=1e-9)
    assert "Mini-batches are for the line" in descent.batch_note.text()
    descent.chooser.set_current("newton")  # exact on a quadratic bowl: one step to the bottom
    descent.step()
    assert fit.parabola.theta == pytest.approx(best, rel=1e-6)
    end = fit.panel.end_label.text()
    assert end.startswith("Descent is at (a, b) = (")
    distance = float(np.hypot(*(fit.parabola.theta[:2] - best[:2])))
    assert distance < 1e-6 and "from the bottom of this bowl, its SSE" in end


def test_a_session_keeps_the_parabola(fit: FitLesson) -> None:
    fit.panel.model_box.pair_box.setCurrentIndex(1)
    fit.move_line(0.5, -1.0)
    state = fit.state()
    assert state["model"] == "parabola" and state["pair"] == "ac"
    fit.panel.model_box.line_button.click()
    assert "model" not in fit.state()
    fit.restore_state(state)
    assert fit.parabola.shown and fit.panel.model_box.pair() == ("a", "c")
    assert fit.parabola.theta[[0, 2]] == pytest.approx((0.5, -1.0))


def test_fewer_than_three_distinct_x_say_so(fit: FitLesson) -> None:
    fit.set_data(Dataset(np.array([1.0, 2.0, 2.0]), np.array([1.0, 2.0, 3.0])), frame=True)
    assert fit.landscape.surface is None
    assert fit.panel.partials_label.text() == TOO_FEW_X
    fit.set_data(Dataset(np.array([1.0, 2.0, 3.0]), np.array([1.0, 4.0, 9.0])), frame=True)
    assert fit.parabola.fit is not None and fit.parabola.fit.best() == pytest.approx((1, 0, 0))


def test_centring_x_reports_the_parabolas_bowl(fit: FitLesson) -> None:
    fit.choose_preset(2)  # x between 100 and 110
    fit.panel.model_box.pair_box.setCurrentIndex(2)  # (b, c), a at its least-squares value

    def condition() -> float:
        data = fit.dataset
        block = np.column_stack([data.x, np.ones(len(data))])
        return float(np.linalg.cond(2 * block.T @ block))

    before = condition()
    fit.panel.centre_button.click()
    after = condition()
    message = fit.panel.data_message.text()
    assert f"went from {before:.6g} to {after:.6g}" in message
    assert after < 10 < 1e4 < before
