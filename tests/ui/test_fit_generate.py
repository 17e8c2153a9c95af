"""The fit lesson's Generate with an x range, in the real window: typed constants, bad input."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from calcstudio.core.engine import Engine
from calcstudio.core.regression import LineFit
from calcstudio.ui.fit.lesson import FitLesson
from calcstudio.ui.window.main_window import MainWindow
from tests.ui.window_helpers import open_window


@pytest.fixture
def fit(qtbot, engine: Engine, tmp_path: Path) -> FitLesson:
    window: MainWindow = open_window(qtbot, engine, tmp_path, "fit")
    lesson = window.lesson("fit")
    assert isinstance(lesson, FitLesson)
    return lesson


def fill(fit: FitLesson, **typed: str) -> None:
    for name, text in typed.items():
        field = fit.panel.generate_fields[name.replace("_", " ")]
        field.selectAll()
        field.insert(text)


def test_generate_far_from_zero_makes_the_long_thin_valley(qtbot, fit: FitLesson) -> None:
    fill(fit, slope="1/2", intercept="-20", noise="0", count="11", x_from="100", to="110")
    fit.panel.generate_button.click()
    assert fit.dataset.x.tolist() == [100.0 + k for k in range(11)]
    assert fit.dataset.y.tolist() == pytest.approx(0.5 * np.arange(100, 111) - 20)
    assert fit.panel.data_message.text() == "11 points near y = 0.5·x − 20, x from 100 to 110."
    # The valley: the condition number of 2XᵀX, computed here from numpy directly.
    design = np.column_stack([fit.dataset.x, np.ones(11)])
    expected = np.linalg.cond(2 * design.T @ design)
    assert fit.fit is not None and fit.fit.condition_number() == pytest.approx(expected, rel=1e-6)
    assert expected > 1e4
    assert fit.fit == LineFit.of(fit.dataset)


def test_constants_are_read_like_the_rest_of_the_app(fit: FitLesson) -> None:
    fill(fit, slope="2", intercept="0", noise="0", count="3", x_from="-pi", to="2pi")
    fit.panel.generate_button.click()
    assert fit.dataset.x.tolist() == pytest.approx([-np.pi, np.pi / 2, 2 * np.pi])


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ({"x_from": "abc"}, "X from: 'abc' is not a number: it has the name abc in it."),
        ({"to": ""}, "To: Type a number, such as 0.5, -2, 1e-3 or pi/4."),
        ({"x_from": "5", "to": "1"}, "X from 5 to 1 is not a range: the first number must be"),
        ({"count": "2.5"}, "The count must be a whole number, such as 20."),
        ({"to": "1e300"}, "X beyond ±1e+100 is too large to square and add up."),
    ],
)
def test_bad_input_says_why_and_keeps_the_data(
    fit: FitLesson, typed: dict[str, str], message: str
) -> None:
    before = fit.dataset
    fill(fit, **typed)
    fit.panel.generate_button.click()
    assert fit.dataset is before
    assert fit.panel.data_message.text().startswith(message)
