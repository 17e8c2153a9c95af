"""The surface lesson's numerical partial derivatives, on the real lesson and in the window."""

# ruff: noqa: F811 (the tests take the surface lesson's own `lesson` fixture, imported)

from __future__ import annotations

import math
from pathlib import Path

import mpmath
import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from calcstudio.core.engine import Engine
from calcstudio.core.numbers import format_number
from calcstudio.core.surface.fields import surface
from calcstudio.ui.surface.lesson import SurfaceLesson
from calcstudio.ui.surface.numerical import partial_formulas, partial_targets
from calcstudio.ui.widgets.numerical_derivative import NumericalDerivative
from tests.ui.test_surface_lesson import SEED, lesson, show  # noqa: F401 (the fixture)
from tests.ui.window_helpers import open_window, type_function

WAVE = "sin(w1) exp(w2) + w1^3 w2"


def number(label) -> float:
    return float(label.text().replace("−", "-"))


def settle(widget, w1: float) -> None:
    """Let the section's deferred update (after the repaint) run for the point at ``w1``."""
    QApplication.processEvents()
    assert widget.targets[0].point == w1


def open_section(lesson: SurfaceLesson) -> None:
    # On screen, tall enough for the whole section: what is out of view is not worked out.
    lesson.panel.resize(600, 2000)
    lesson.panel.show()
    lesson.partials.toggle.setChecked(True)
    QApplication.processEvents()


def exact_partials(w1: float, w2: float) -> tuple[float, float]:
    """∂/∂w1 and ∂/∂w2 of WAVE by mpmath's own differentiation, to 30 digits."""
    mpmath.mp.dps = 30
    loss = lambda a, b: mpmath.sin(a) * mpmath.exp(b) + a**3 * b  # noqa: E731
    return (
        float(mpmath.diff(lambda a: loss(a, w2), w1)),
        float(mpmath.diff(lambda b: loss(w1, b), w2)),
    )


def show_wave(lesson: SurfaceLesson) -> NumericalDerivative:
    """WAVE at (0.7, −0.3), the section open."""
    show(lesson, WAVE)
    open_section(lesson)
    lesson.move_point(0.7, -0.3)
    widget = lesson.partials.numerical
    settle(widget, 0.7)
    return widget


def test_collapsed_at_first_and_computing_nothing(lesson: SurfaceLesson) -> None:
    show(lesson, SEED)
    assert not lesson.partials.is_open() and not lesson.partials.numerical.isVisibleTo(lesson.panel)
    assert lesson.partials.numerical.targets == []
    layout = lesson.panel.layout()
    assert layout.indexOf(lesson.partials) == layout.indexOf(lesson.panel.surface_note) + 1


def test_the_material_gradient_reads_2_minus_8_to_its_true_digits(lesson: SurfaceLesson) -> None:
    show(lesson, SEED)
    open_section(lesson)
    widget = lesson.partials.numerical
    text = widget.gradient_label.text()
    # (f(1+h) − f(1−h)) / 2h of w1² + 2w2²: the truncation is 0, so what is left is rounding.
    h = 1e-5
    g1 = ((1 + h) ** 2 + 8 - ((1 - h) ** 2 + 8)) / (2 * h)
    g2 = ((1 + 2 * (-2 + h) ** 2) - (1 + 2 * (-2 - h) ** 2)) / (2 * h)
    assert abs(g1 - 2) < 1e-9 and abs(g2 + 8) < 1e-9
    # g1 = 2.0000000000131…, g2 = −7.99999999995…: true to 10 and 9 decimals
    assert "<b>(2.0000000000, −8.000000000)</b>" in text
    assert "exact (2, −8)" in text
    assert widget.target_tabs.count() == 2
    assert [widget.target_tabs.tabText(i) for i in range(2)] == ["∂L/∂w1", "∂L/∂w2"]


def test_each_partial_against_mpmath_at_the_learner_point(
    lesson: SurfaceLesson, qtbot: object
) -> None:
    widget = show_wave(lesson)
    exact = exact_partials(0.7, -0.3)
    h = widget.step()
    for index, name in enumerate(("w1", "w2")):
        widget.target_tabs.setCurrentIndex(index)
        written = format_number(exact[index], 13)  # mpmath's value, to the digits shown
        assert widget.exact_label.text() == f"exact ∂L/∂{name} = {written}".replace("-", "−")
        assert widget.error_header.text() == f"<b>error vs ∂L/∂{name}</b>"
        assert ("L(w1+h, w2)", "L(w1, w2+h)")[index] in widget.name_labels["forward"].text()
        # the central difference along the variable, by hand, with the other held
        point = [0.7, -0.3]
        up, down = list(point), list(point)
        up[index] += h
        down[index] -= h
        loss = lambda a, b: math.sin(a) * math.exp(b) + a**3 * b  # noqa: E731
        central = (loss(*up) - loss(*down)) / (2 * h)
        assert number(widget.quotient_labels["central"]) == pytest.approx(central, rel=1e-11)
        assert number(widget.error_labels["central"]) == pytest.approx(
            abs(central - exact[index]), rel=0.01
        )


@pytest.mark.parametrize("index", [0, 1])
def test_the_error_slopes_are_one_and_two_and_the_v_turns_near_the_marks(
    lesson: SurfaceLesson, index: int
) -> None:
    widget = show_wave(lesson)
    widget.target_tabs.setCurrentIndex(index)
    for kind, order in (("forward", 1), ("backward", 1), ("central", 2)):
        steps, errors = widget.curves[kind].xData, widget.curves[kind].yData
        truncation = (steps < 1e-1) & (steps > 1e-3)
        slope = np.polyfit(np.log10(steps[truncation]), np.log10(errors[truncation]), 1)[0]
        assert slope == pytest.approx(order, abs=0.1), kind
        assert widget.studies[index].measured_order(kind) == pytest.approx(order, abs=0.1)
        # and round-off makes it rise again: the V
        assert errors[-1] > 100 * errors.min()
    central = widget.curves["central"]
    central_steps, central_errors = central.xData, central.yData
    bottom = central_steps[np.argmin(central_errors)]
    assert abs(math.log10(bottom) - widget.best_lines["central"].value()) < 1.5
    assert widget.best_lines["forward"].value() == pytest.approx(-8, abs=1)
    assert widget.material_line.value() == pytest.approx(-5)


def test_the_partial_targets_hold_the_other_variable() -> None:
    bowl = surface("w1^2 + 2w2^2")
    first, second = partial_targets(bowl, (1.0, -2.0))
    assert (first.exact, second.exact) == (2.0, -8.0)
    assert first.f is not None and second.f is not None and second.second is not None
    # along w2 with w1 = 1 held: 1 + 2t²; its second derivative 4
    np.testing.assert_allclose(second.f(np.array([0.0, 1.0])), [1.0, 3.0])
    np.testing.assert_allclose(second.second(np.array([0.0, 5.0])), [4.0, 4.0])
    assert partial_formulas(("x", "y"), 1)["central"] == "(L(x, y+h) − L(x, y−h)) / 2h"


def test_undefined_partial_says_so(lesson: SurfaceLesson) -> None:
    show(lesson, "sqrt(w1) + w2")
    open_section(lesson)
    widget = lesson.partials.numerical
    lesson.move_point(1.0, 0.0)
    settle(widget, 1.0)
    assert widget.curves["central"].xData.size > 100
    lesson.move_point(-1.0, 0.0)
    settle(widget, -1.0)
    assert widget.exact_label.text() == "∂L/∂w1 has no value here: there is nothing to approximate."
    assert widget.gradient_label.text().startswith("The gradient has no value here")
    assert widget.curves["central"].xData is None  # emptied


def test_in_the_window_the_section_follows_the_typed_function(
    qtbot, engine: Engine, tmp_path: Path
) -> None:
    window = open_window(qtbot, engine, tmp_path, "surface")
    lesson = window.current_lesson()
    assert isinstance(lesson, SurfaceLesson)
    qtbot.mouseClick(lesson.partials.toggle, Qt.MouseButton.LeftButton)
    assert lesson.partials.numerical.isVisible()
    type_function(qtbot, window, "w1^2 + 2w2^2")
    widget = lesson.partials.numerical
    qtbot.waitUntil(lambda: "(2.0000000000, −8.000000000)" in widget.gradient_label.text())
    type_function(qtbot, window, "3x + y^2")
    qtbot.waitUntil(lambda: "exact (3, −4)" in widget.gradient_label.text())
    assert widget.target_tabs.tabText(0) == "∂L/∂x"
