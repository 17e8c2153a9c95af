"""The numerical derivative widget (the tangent lesson's section), on real widgets."""

from __future__ import annotations

import math

import mpmath
import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QScrollArea

from calcstudio.core.jets import derivative_evaluators
from calcstudio.core.language import parse_tree
from calcstudio.core.numbers import format_number
from calcstudio.ui.widgets.numerical_derivative import NumericalDerivative, Target
from calcstudio.ui.window.main_window import MainWindow
from tests.ui.window_helpers import open_window, type_function


def show(qtbot, text: str, a: float) -> NumericalDerivative:
    widget = NumericalDerivative()
    qtbot.addWidget(widget)
    f, df, d2f = derivative_evaluators(parse_tree(text))
    exact = float(df(np.array([a]))[0])
    widget.set_targets([Target("f′(a)", "f‴(a)", f, a, exact, d2f)])
    return widget


@pytest.mark.parametrize(
    ("text", "a", "truth"),
    [
        # f′(a) by hand, to 30 digits with mpmath; the first three are points where f′ by the
        # rules in floats is off in the fifteenth digit, which the label once showed.
        ("tanh(x)", 1.5, lambda a: 1 / mpmath.cosh(a) ** 2),
        ("tanh(x)", 2.0, lambda a: 1 / mpmath.cosh(a) ** 2),
        ("sqrt(x)", 0.5, lambda a: 1 / (2 * mpmath.sqrt(a))),
        ("x*sin(1/x)", 0.1, lambda a: mpmath.sin(1 / a) - mpmath.cos(1 / a) / a),
        ("exp(-x^2)*cos(3x)", 0.0, lambda a: mpmath.mpf(0)),  # once "−0"
        ("x^3/3 - x", 1.0, lambda a: a**2 - 1),  # once −1.11022302462516e−16
    ],
)
def test_the_exact_slope_is_true_to_every_digit_shown(qtbot, text, a, truth) -> None:
    mpmath.mp.dps = 30
    expected = format_number(float(truth(mpmath.mpf(a))), 13)
    assert show(qtbot, text, a).exact_label.text() == f"exact f′(a) = {expected}".replace("-", "−")


def number(label) -> float:
    return float(label.text().replace("−", "-"))


def test_three_differences_at_the_material_eps_next_to_the_exact_slope(qtbot) -> None:
    widget = show(qtbot, "sin(x)", 1.0)
    assert widget.step() == 1e-5
    assert widget.exact_label.text() == "exact f′(a) = 0.5403023058681"  # cos(1), 13 digits
    h = 1e-5
    forward = (math.sin(1 + h) - math.sin(1)) / h
    central = (math.sin(1 + h) - math.sin(1 - h)) / (2 * h)
    assert number(widget.quotient_labels["forward"]) == pytest.approx(forward, rel=1e-11)
    assert number(widget.quotient_labels["central"]) == pytest.approx(central, rel=1e-11)
    # forward: |f″| h / 2 = sin(1)·1e-5/2 ≈ 4.2e-6; central: |f‴| h²/6 ≈ 9e-12 (+ rounding)
    assert number(widget.error_labels["forward"]) == pytest.approx(math.sin(1) * h / 2, rel=0.01)
    assert 1e-12 < number(widget.error_labels["central"]) < 1e-10


def test_the_v_with_best_steps_and_the_material_eps_marked(qtbot) -> None:
    widget = show(qtbot, "sin(x)", 1.0)
    steps = widget.curves["central"].xData
    errors = widget.curves["central"].yData
    assert steps.max() == 1.0 and steps.min() <= 1e-15
    bottom = steps[np.argmin(errors)]
    assert 1e-7 < bottom < 1e-4  # the V's bottom is near ∛ε ≈ 6e-6
    assert errors[-1] > 100 * errors.min()  # and the errors rise again for tiny h
    assert widget.material_line.value() == pytest.approx(-5)
    assert widget.best_lines["central"].value() == pytest.approx(math.log10(bottom), abs=1)
    assert widget.best_lines["forward"].value() == pytest.approx(-8, abs=1)
    assert "eps = 1e−5 is off by" in widget.summary.text()
    assert "a smaller eps is not better" in widget.summary.text()


def test_a_tiny_h_is_worse_than_the_material_eps(qtbot) -> None:
    widget = show(qtbot, "sin(x)", 1.0)
    at_material = number(widget.error_labels["central"])
    widget.step_slider.field.setText("1e-13")
    qtbot.keyClick(widget.step_slider.field, Qt.Key.Key_Return)
    assert widget.step() == 1e-13
    assert widget.step_line.value() == pytest.approx(-13)
    assert number(widget.error_labels["central"]) > 100 * at_material


def test_no_truncation_for_a_parabola_and_no_slope_at_a_corner(qtbot) -> None:
    widget = show(qtbot, "x^2", 1.0)
    assert "f‴(a) = 0" in widget.summary.text()
    widget = show(qtbot, "sqrt(x)", -1.0)
    assert "has no value here" in widget.exact_label.text()


def test_the_v_is_worked_out_when_it_comes_into_view(qtbot, engine, tmp_path) -> None:
    window = open_window(qtbot, engine, tmp_path)
    window.resize(1200, 700)  # the differences and the V are below the panel's fold
    numerical = window.lesson("tangent").numerical
    type_function(qtbot, window, "sin(x)")
    qtbot.waitUntil(lambda: numerical.exact_label.text() == "exact f′(a) = 0.5403023058681")
    qtbot.wait(50)
    assert not numerical.details_on_screen()
    assert not numerical.plot_built()  # not even the plot is built out of view
    scroll_area = numerical.parentWidget().parentWidget().parentWidget()
    assert isinstance(scroll_area, QScrollArea)
    scroll_area.ensureWidgetVisible(numerical.plot_area)
    qtbot.waitUntil(numerical.plot_built)
    qtbot.waitUntil(lambda: numerical.curves["central"].xData.size > 0)
    steps, errors = numerical.curves["central"].xData, numerical.curves["central"].yData
    assert 1e-7 < steps[np.argmin(errors)] < 1e-4  # the V of sin at 1, bottom near ∛ε
    forward = (math.sin(1 + 1e-5) - math.sin(1)) / 1e-5
    assert number(numerical.quotient_labels["forward"]) == pytest.approx(forward, rel=1e-11)


def test_the_table_in_view_leaves_the_v_unbuilt_until_it_comes_into_view(qtbot, engine) -> None:
    window = MainWindow(engine=engine, settings=None)
    qtbot.addWidget(window)
    # At this size the table is in view from the first frame and the V just below the fold
    # (in the first frames, before the panel has settled, the area is briefly in view).
    window.resize(1280, 860)
    window.show()
    qtbot.waitExposed(window)
    numerical = window.lesson("tangent").numerical
    type_function(qtbot, window, "exp(x)")
    central = (math.exp(1 + 1e-5) - math.exp(1 - 1e-5)) / 2e-5
    qtbot.waitUntil(lambda: numerical.quotient_labels["central"].text() != "")
    qtbot.waitUntil(
        lambda: number(numerical.quotient_labels["central"]) == pytest.approx(central, rel=1e-11)
    )
    assert not numerical.quotient_labels["central"].visibleRegion().isEmpty()
    assert numerical.plot_area.visibleRegion().isEmpty()
    assert not numerical.plot_built()
    scroll_area = numerical.parentWidget().parentWidget().parentWidget()
    scroll_area.ensureWidgetVisible(numerical.plot_area)
    qtbot.waitUntil(numerical.plot_built)
    # Built for the targets shown, with no new edit: exp's V, its bottom near ∛ε.
    steps, errors = numerical.curves["central"].xData, numerical.curves["central"].yData
    assert 1e-7 < steps[np.argmin(errors)] < 1e-4
    assert numerical.step_line.value() == pytest.approx(-5)
