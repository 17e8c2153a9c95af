"""The area lesson on a real plot with the real worker: sums, integral, error plot, F(x)."""

from __future__ import annotations

import itertools
from collections.abc import Iterator

import numpy as np
import pytest
from PySide6.QtCore import QPointF, Qt

from calcstudio.core.engine import Engine
from calcstudio.ui.area.lesson import AreaLesson
from calcstudio.ui.area.panel import INTEGRAL_HEIGHT
from tests.ui.lesson_host import LessonHost


@pytest.fixture
def lesson(qtbot, engine: Engine) -> Iterator[AreaLesson]:
    host = LessonHost(engine)
    qtbot.addWidget(host)
    area = AreaLesson(host)
    host.show_lesson(area)
    host.resize(1300, 850)
    host.show()
    yield area
    area.stop()
    host.adapter.close()


def wait_for_integral(qtbot, lesson: AreaLesson) -> None:
    qtbot.waitUntil(lambda: lesson.integral is not None, timeout=20000)


def choose_preset(qtbot, lesson: AreaLesson, name: str) -> None:
    index = next(i for i, p in enumerate(lesson.presets) if p["name"].startswith(name))
    lesson._on_preset(index)
    wait_for_integral(qtbot, lesson)


def test_left_sum_of_x_squared_with_its_numbers_integral_and_error(qtbot, lesson) -> None:
    choose_preset(qtbot, lesson, "Area under x²")
    panel = lesson.panel
    # x² on [0, 1], 8 left rectangles: Σ (k/8)² / 8 for k = 0..7 = 140/512
    assert panel.sum_label.text().endswith("= 0.2734375")
    assert "Δx = (b − a)/n = (1 − 0)/8 = 0.125" in panel.sum_label.text()
    assert "f(0) + f(0.125)" in panel.sum_label.text()
    assert "F(x) = x^3/3" in panel.integral_label.text() and "1/3" in panel.integral_label.text()
    assert panel.error_label.text().startswith("error = sum − ∫ = −0.0599")
    above, below = lesson.rectangles.polygons()
    bounds = above.boundingRect()
    assert (bounds.left(), bounds.right()) == (0.0, 1.0)
    assert bounds.top() == 0.0 and bounds.bottom() == pytest.approx(49 / 64)
    assert below.boundingRect().height() == 0  # nothing below the axis
    orders = panel.error_plot.orders
    assert orders["left"] == pytest.approx(-1, abs=0.1)
    assert orders["midpoint"] == pytest.approx(-2, abs=0.1)
    assert panel.error_plot.guides[1].xData.size == 60
    assert panel.error_plot.guide_labels[2].toPlainText() == "slope −2"
    marker = panel.error_plot.marker
    marker_x, marker_y = marker.xData, marker.yData  # getData() gives log10 in log mode
    assert marker_x[0] == 8 and marker_y[0] == pytest.approx(1 / 3 - 140 / 512)


def test_typed_bounds_take_constants_and_refuse_the_rest(qtbot, lesson) -> None:
    lesson.host.set_function_text("sin(x)")
    panel = lesson.panel
    panel.a_field.setText("")
    qtbot.keyClicks(panel.a_field, "-pi/2")
    panel.b_field.setText("")
    qtbot.keyClicks(panel.b_field, "pi")
    qtbot.keyClick(panel.b_field, Qt.Key.Key_Return)
    assert lesson.a == pytest.approx(-np.pi / 2) and lesson.b == pytest.approx(np.pi)
    assert lesson.line_a.value() == pytest.approx(-np.pi / 2)
    wait_for_integral(qtbot, lesson)
    assert "Exact: 1." in panel.integral_label.text()  # ∫ sin from −π/2 to π = 0 + 1
    panel.a_field.setText("2x")
    qtbot.keyClick(panel.a_field, Qt.Key.Key_Return)
    assert "must be a number, not depend on x" in panel.bounds_message.text()
    assert lesson.a == pytest.approx(-np.pi / 2)  # the last good bound stays


def test_dragging_b_on_the_plot_moves_the_sum(qtbot, lesson) -> None:
    choose_preset(qtbot, lesson, "Area under x²")
    plot = lesson.host.plot
    box = plot.getPlotItem().getViewBox()

    def pixel(x: float, y: float):
        return plot.mapFromScene(box.mapViewToScene(QPointF(x, y)))

    qtbot.mousePress(plot.viewport(), Qt.MouseButton.LeftButton, pos=pixel(1.0, 0.5))
    for x in np.linspace(1.0, 1.2, 6)[1:]:
        qtbot.mouseMove(plot.viewport(), pixel(float(x), 0.5))
    qtbot.mouseRelease(plot.viewport(), Qt.MouseButton.LeftButton, pos=pixel(1.2, 0.5))
    assert lesson.b == pytest.approx(1.2, abs=0.02)
    assert lesson.panel.b_field.text() == lesson.b_text
    width = lesson.b / 8
    expected = sum((k * width) ** 2 for k in range(8)) * width
    assert lesson.riemann.total == pytest.approx(expected)


def test_ten_thousand_rectangles_are_one_item(qtbot, lesson) -> None:
    choose_preset(qtbot, lesson, "Area under x²")
    lesson.panel.set_pieces(10_000)
    assert lesson.riemann.pieces == 10_000
    assert lesson.riemann.total == pytest.approx(1 / 3, abs=1e-4)
    items = lesson.host.plot.getPlotItem().items
    assert sum(isinstance(item, type(lesson.rectangles)) for item in items) == 1
    assert "(0 + … + 0.9998)·0.0001" in lesson.panel.sum_label.text()


def test_signed_area_below_the_axis_and_the_trapezoid_rule(qtbot, lesson) -> None:
    choose_preset(qtbot, lesson, "Signed area")
    lesson.panel.set_rule("trapezoid")
    above, below = lesson.rectangles.polygons()
    assert above.boundingRect().bottom() > 0.9 and below.boundingRect().top() < -0.9
    assert "Σ ½(f(xᵢ) + f(xᵢ₊₁))·Δx" in lesson.panel.sum_label.text()
    assert "exact to rounding" in lesson.panel.error_plot.message.text()


def test_a_pole_is_stated_and_no_error_is_claimed(qtbot, lesson) -> None:
    choose_preset(qtbot, lesson, "A pole inside")
    panel = lesson.panel
    assert panel.verdict_label.isVisible()
    verdict = panel.verdict_label.text()
    assert "pole at x = 0" in verdict and "diverges" in verdict
    assert panel.error_label.text() == ""
    assert panel.error_plot.plot.isHidden()
    assert "has no value" in panel.integral_view.message_label.text()


def test_no_closed_form_is_said_to_be_numerical(qtbot, lesson) -> None:
    lesson.host.set_function_text("sin(x^x)")
    wait_for_integral(qtbot, lesson)
    assert "numerical" in lesson.panel.integral_label.text()
    assert "(against the numerical value)" in lesson.panel.error_label.text()


def test_accumulation_is_plotted_from_a(qtbot, lesson) -> None:
    choose_preset(qtbot, lesson, "Area under x²")
    lesson.panel.accumulation_box.setChecked(True)
    xs, values = lesson.accumulation_curve.getData()
    assert xs.size > 100
    np.testing.assert_allclose(values, xs**3 / 3, atol=1e-6)  # a = 0
    labels = [label.text for _, label in lesson.host.plot.legend.items]
    assert "F(x) = ∫ₐˣ f" in labels


def test_doubling_animation_runs_up_to_ten_thousand(qtbot, lesson) -> None:
    choose_preset(qtbot, lesson, "Area under x²")
    seen: list[int] = []
    lesson.panel.piecesChanged.connect(seen.append)
    lesson.panel._timer.setInterval(5)
    lesson.panel.double_button.click()
    qtbot.waitUntil(lambda: not lesson.panel.is_doubling(), timeout=10000)
    assert seen[0] == 1 and seen[-1] == 8192
    assert all(b == 2 * a for a, b in itertools.pairwise(seen))


def test_past_the_deadline_the_window_integrates_numerically(qtbot, lesson) -> None:
    lesson.integral_deadline = 0.2
    lesson.host.set_function_text("sin(x^x)")
    lesson._on_bounds_typed("0", "pi^2")
    qtbot.waitUntil(lambda: lesson.integral is not None, timeout=30000)
    words = lesson.panel.integral_label.text()
    assert "took longer than 0.2 s" in words and "Gauss–Kronrod" in words
    assert lesson.integral.numerical and np.isfinite(lesson.integral.value)
    assert "(against the numerical value)" in lesson.panel.error_label.text()


def test_a_tall_integral_formula_gets_all_the_height_it_needs(qtbot, lesson) -> None:
    choose_preset(qtbot, lesson, "Improper")  # ∫₀¹ 1/√x dx: a fraction over a root
    view = lesson.panel.integral_view
    assert len(view.rows) == 1
    assert view.contents_height() > INTEGRAL_HEIGHT  # it would be cut off at the least height
    assert view.minimumHeight() >= view.contents_height()
    assert not view.verticalScrollBar().isVisible()
    assert lesson.integral.latex.endswith(r"\right]_{0}^{1} = 2")


def test_the_sigmoid_preset_integrates_to_4_and_pairs_up_for_the_midpoint_rule(
    qtbot, lesson
) -> None:
    choose_preset(qtbot, lesson, "Sigmoid")
    words = lesson.panel.integral_label.text()
    assert "Antiderivative F(x) = x + log(1 + exp(-x))." in words and "Exact: 4." in words
    # left: f(−4) + … + f(3.5), no pairs; its error falls like 1/n
    assert lesson.panel.error_plot.orders["left"] == pytest.approx(-1, abs=0.1)
    for rule in ("midpoint", "trapezoid"):
        lesson.panel.set_rule(rule)
        for n in (5, 16, 101):
            lesson.panel.set_pieces(n)
            assert lesson.riemann.total == pytest.approx(4, abs=1e-13)
