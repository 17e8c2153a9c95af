"""The Newton–Raphson lesson on a real plot: tangents to the axis, the table, the verdict."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pytest
from PySide6.QtCore import Qt

from calcstudio.core.engine import Engine
from calcstudio.ui.newton.lesson import NewtonLesson
from tests.ui.lesson_host import LessonHost


@pytest.fixture
def lesson(qtbot, engine: Engine) -> Iterator[NewtonLesson]:
    host = LessonHost(engine)
    qtbot.addWidget(host)
    newton = NewtonLesson(host)
    host.show_lesson(newton)
    host.show()
    yield newton
    host.adapter.close()


def test_tangents_go_down_to_the_axis_and_digits_double(qtbot, lesson) -> None:
    lesson.host.set_function_text("x^2 - 2")
    lesson.plot_clicked(1.0)
    xs, ys = lesson.steps_curve.getData()
    # first tangent: from (1, −1) with slope 2 down to (1.5, 0)
    assert (xs[0], ys[0], xs[1], ys[1]) == (1.0, -1.0, 1.5, 0.0)
    assert np.isnan(xs[2])
    table = lesson.panel.table
    assert table.item(1, 1).text() == "1.5"
    digits = [float(table.item(k, 4).text()) for k in range(table.rowCount())]
    assert digits[2] == pytest.approx(2.8, abs=0.1) and digits[3] == pytest.approx(5.8, abs=0.1)
    assert digits[4] >= 1.9 * digits[3]
    assert "correct digits about double" in lesson.panel.verdict_label.text()


@pytest.mark.parametrize(
    "text, start, words",
    [
        ("cbrt(x)", "1", "Diverging"),
        ("x^3 - 2x + 2", "0", "cycle"),
        ("x^2 + 1", "0", "f′(x) = 0"),
        ("x^3 - 3x", "0.9", "not the root nearest"),
    ],
)
def test_failures_are_named(qtbot, lesson, text: str, start: str, words: str) -> None:
    lesson.host.set_function_text(text)
    field = lesson.panel.start_field
    field.setText("")
    qtbot.keyClicks(field, start)
    qtbot.keyClick(field, Qt.Key.Key_Return)
    assert words in lesson.panel.verdict_label.text()


def test_minimizing_runs_newton_on_the_derivative(qtbot, lesson) -> None:
    lesson.host.set_function_text("x^4 - 3x^2 + x")
    lesson.plot_clicked(2.0)
    lesson.panel.minimize_box.setChecked(True)
    assert lesson.run is not None and lesson.run.verdict == "converged"
    root = lesson.run.root
    assert 4 * root**3 - 6 * root + 1 == pytest.approx(0, abs=1e-12)  # f′(root) = 0
    assert "f′(x)/f″(x)" in lesson.panel.rule_label.text()


def test_a_bad_start_is_said(qtbot, lesson) -> None:
    lesson.host.set_function_text("x^2 - 2")
    lesson.panel.start_field.setText("y+1")
    qtbot.keyClick(lesson.panel.start_field, Qt.Key.Key_Return)
    assert "must be a number" in lesson.panel.start_message.text()


EXPECTED_VERDICTS = [
    "converged",
    "converged",
    "converged",
    "cycle",
    "diverging",
    "flat",
    "other root",
    "unfinished",
]


@pytest.mark.parametrize("index", range(len(EXPECTED_VERDICTS)))
def test_each_example_runs_from_its_start_to_the_verdict_its_lesson_names(
    qtbot, lesson, index: int
) -> None:
    preset = lesson.presets[index]
    lesson.panel.preset_box.activated.emit(index)  # as a pick in the box does
    assert lesson.panel.preset_box.currentText() == preset["name"]
    assert lesson.panel.preset_label.text() == preset["lesson"]
    assert lesson.panel.start_field.text() == preset["start"]
    run = lesson.run
    assert run is not None and run.points[0] == float(preset["start"])
    assert run.verdict == EXPECTED_VERDICTS[index]
    assert lesson.panel.verdict_label.text() == run.message
    assert lesson.iterates.data["x"][0] == run.points[0]


def test_the_lessons_numbers_are_those_of_the_runs(lesson) -> None:
    lesson._on_preset(0)  # Newton's cubic from 3.5: digits 1.3, 2.6, 5, 10, 16
    digits = lesson.run.correct_digits()[2:7]
    np.testing.assert_allclose(digits, [1.3, 2.6, 5.0, 10.0, 16.0], atol=0.06)
    lesson._on_preset(1)  # the Babylonian rule for √2: 1, 1.5, 1.41667, 1.4142157
    np.testing.assert_allclose(lesson.run.points[:4], [1, 1.5, 17 / 12, 577 / 408])
    assert f"{lesson.run.points[3]:.8g}" == "1.4142157"
    lesson._on_preset(3)  # the cycle: from −2 instead it reaches the root near −1.77
    lesson.plot_clicked(-2.0)
    assert lesson.run.verdict == "converged" and f"{lesson.run.root:.3g}" == "-1.77"
    lesson._on_preset(4)  # cbrt: −2x each step
    np.testing.assert_allclose(lesson.run.points[:4], [1, -2, 4, -8])
