"""The area, Newton–Raphson and numerical-derivative pieces in the real main window."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

from calcstudio.app import wait_until_settled
from calcstudio.core.engine import Engine
from calcstudio.ui.area.error_plot import RULE_COLOURS
from calcstudio.ui.area.lesson import WAITING, AreaLesson
from calcstudio.ui.newton.lesson import NewtonLesson
from calcstudio.ui.window.main_window import MainWindow
from tests.ui.test_app import count_colour, pixels, run_calcstudio
from tests.ui.window_helpers import type_function


@pytest.fixture
def window(qtbot, engine: Engine, tmp_path: Path) -> MainWindow:
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    shown = MainWindow(engine=engine, settings=settings)
    qtbot.addWidget(shown)
    shown.resize(1300, 850)
    shown.show()
    qtbot.waitExposed(shown)
    return shown


def test_the_area_tab_draws_only_while_current(qtbot, window: MainWindow) -> None:
    window.show_lesson("area")
    area = window.current_lesson()
    assert isinstance(area, AreaLesson)
    window.set_function_text("x^2")
    qtbot.waitUntil(lambda: area.integral is not None, timeout=20000)
    items = window.plot.getPlotItem().items
    assert area.rectangles in items and area.line_a in items
    assert "Exact: 1/3" in area.panel.integral_label.text()
    # f′ is red like the area below the axis: it steps aside while the area tab is current
    legend = [label.text for _, label in window.plot.legend.items]
    assert not window.plot.derivative_curve.isVisible() and "f′(x)" not in legend
    window.show_lesson("tangent")
    items = window.plot.getPlotItem().items
    assert area.rectangles not in items and area.line_b not in items
    legend = [label.text for _, label in window.plot.legend.items]
    assert window.plot.derivative_curve.isVisible() and "f′(x)" in legend
    # the tangent lesson's numerical derivative section follows its point
    tangent = window.current_lesson()
    tangent.set_point(1.0)
    qtbot.waitUntil(lambda: tangent.numerical.exact_label.text() == "exact f′(a) = 2")
    assert tangent.numerical.curves["central"].xData.size > 100


def test_a_click_on_the_plot_moves_the_nearer_bound_or_the_newton_start(window) -> None:
    window.show_lesson("area")
    window.set_function_text("x^2")
    area = window.current_lesson()
    window.plot.plotClicked.emit(0.8)  # nearer b = 1 than a = 0
    assert area.b == pytest.approx(0.8) and area.a == 0.0
    window.show_lesson("newton")
    newton = window.current_lesson()
    assert isinstance(newton, NewtonLesson)
    window.set_function_text("x^2 - 2")
    window.plot.plotClicked.emit(3.0)
    assert newton.run is not None and newton.run.points[0] == 3.0
    assert newton.run.verdict == "converged"


def test_session_keeps_the_area_settings(qtbot, window: MainWindow) -> None:
    window.show_lesson("area")
    area = window.current_lesson()
    area.panel.set_rule("trapezoid")
    area.panel.set_pieces(50)
    area.restore_state({"a": "-1", "b": "pi", "n": 20, "rule": "midpoint"})
    assert area.state() == {
        "a": "-1",
        "b": "pi",
        "n": 20,
        "rule": "midpoint",
        "accumulation": False,
    }


def test_command_line_opens_the_area_lesson_with_its_first_preset(tmp_path: Path) -> None:
    out = tmp_path / "area.png"
    result = run_calcstudio("--screenshot", str(out), "--lesson", "area")
    assert result.returncode == 0, result.stderr
    rgb = pixels(out)
    # the translucent blue of the area above the axis is on the picture
    fill = (rgb[:, :, 2] > 200) & (rgb[:, :, 0] > 150) & (rgb[:, :, 0] < 200)
    assert fill.sum() > 1000
    # taken once the integral was in: the error plot has its curves (none before it comes)
    assert "took too long" not in result.stderr
    for rule in ("left", "midpoint"):
        assert count_colour(rgb, RULE_COLOURS[rule]) > 100, rule


def test_the_area_lesson_is_pending_until_its_integral_is_on_show(qtbot, window) -> None:
    window.show_lesson("area")
    area = window.current_lesson()
    window.set_function_text("x^3 - 3x")
    assert area.pending() == "the integral"
    assert area.panel.error_label.text() == WAITING
    # past a deadline the wait gives up and says what was still coming
    assert wait_until_settled(QApplication.instance(), window, 0.0) == "the integral"
    assert wait_until_settled(QApplication.instance(), window, 60.0) is None
    assert area.integral is not None and area.integral.ok
    assert area.panel.error_label.text().startswith("error = sum − ∫ = ")
    assert area.panel.error_plot.curves["left"].xData.size == 60


def test_the_surface_lesson_is_pending_while_its_search_is_due(qtbot, window) -> None:
    window.show_lesson("surface")
    window.set_function_text("x^2 - y^2")
    surface = window.current_lesson()
    assert surface.pending() == "the search for critical points"
    assert surface.panel.critical_label.text() == "Searching the view…"
    assert wait_until_settled(QApplication.instance(), window, 10.0) is None
    assert surface.panel.critical_label.text() == "saddle (0, 0): L = 0; λ = −2, 2"


def test_the_newton_lesson_opens_on_newtons_cubic(qtbot, window) -> None:
    window.show_lesson("newton")
    newton = window.current_lesson()
    assert newton.show_first_preset()
    assert window.editor.text() == "x^3 - 2x - 5"
    assert newton.run is not None and newton.run.points[0] == 3.5
    assert newton.run.verdict == "converged" and f"{newton.run.root:.5g}" == "2.0946"
    assert window.plot.view_x_range() == pytest.approx((-1, 4.5), abs=0.01)


def test_typing_another_function_drops_the_examples_words(qtbot, window: MainWindow) -> None:
    window.show_lesson("area")
    area = window.lesson("area")
    assert area.show_first_preset()
    assert area.panel.preset_label.text()
    type_function(qtbot, window, "cos(x)")
    assert area.panel.preset_box.currentIndex() == -1
    assert area.panel.preset_label.text() == ""
