"""The tangent & secant panel, fed with real core objects, offscreen."""

from __future__ import annotations

import itertools
import math

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from calcstudio.core.calculus import limit_table, secant, tangent_at
from calcstudio.core.derivative_check import check_derivative
from calcstudio.core.function import parse
from calcstudio.core.language import parse_tree
from calcstudio.ui.tangent.panel import MIN_STEP, TangentPanel
from calcstudio.ui.widgets.log_slider import SLIDER_STEPS


@pytest.fixture
def panel(qtbot: QtBot) -> TangentPanel:
    widget = TangentPanel(step=0.5, shrink_duration=0.3)
    qtbot.addWidget(widget)
    return widget


def show(panel: TangentPanel, text: str, a: float) -> None:
    """What the window does: compute in core, hand the results to the panel."""
    f = parse(text)
    tangent = tangent_at(f, f.derivative(), a)
    panel.show_values(
        tangent,
        secant(f, a, panel.step()),
        limit_table(f, a, tangent.slope),
        check_derivative(f, a, parse_tree(text)),
    )


def column(panel: TangentPanel, index: int) -> list[str]:
    return [panel.table.item(row, index).text() for row in range(panel.table.rowCount())]


def test_square_at_one(panel: TangentPanel) -> None:
    show(panel, "x^2", 1.0)
    assert float(panel.point_label.text()) == 1.0
    assert float(panel.value_label.text()) == 1.0
    assert float(panel.slope_label.text()) == 2.0
    assert panel.tangent_label.text() == "y = 2x - 1"
    # The secant from 1 to 1.5: rise 2.25 - 1 over run 0.5.
    assert float(panel.rise_label.text()) == 1.25
    assert float(panel.run_label.text()) == 0.5
    assert float(panel.secant_slope_label.text()) == 2.5
    assert float(panel.secant_error_label.text()) == pytest.approx(0.5)
    assert panel.message_label.text() == ""


def test_limit_table_digits_converge(panel: TangentPanel) -> None:
    show(panel, "x^2", 1.0)
    assert column(panel, 0) == ["1", "0.1", "0.01", "0.001", "0.0001", "1e-5", "1e-6"]
    quotients = column(panel, 1)
    # Exact quotients are written exactly; the others to 8 digits, which settle on 2.
    assert quotients[:3] == ["3", "2.1", "2.01"]
    assert float(quotients[-1]) == pytest.approx(2.000001, abs=1e-9)
    errors = [float(text) for text in column(panel, 2)]
    assert errors == pytest.approx([1, 0.1, 0.01, 1e-3, 1e-4, 1e-5, 1e-6], rel=1e-3)
    assert panel.highlighted_row() == 0  # h = 0.5 is nearest h = 1 on a log scale


def test_abs_at_zero_has_no_derivative(panel: TangentPanel) -> None:
    show(panel, "abs(x)", 0.0)
    assert "does not exist" in panel.message_label.text()
    assert "from the left is -1 but from the right is 1" in panel.message_label.text()
    assert panel.slope_label.text() == "does not exist"
    assert "y =" not in panel.tangent_label.text()
    assert panel.secant_error_label.text() == "—"
    assert float(panel.secant_slope_label.text()) == 1.0


def test_undefined_point_says_so(panel: TangentPanel) -> None:
    show(panel, "log(x)", -1.0)
    assert "f is not defined at -1." in panel.message_label.text()
    assert panel.value_label.text() == "undefined"
    assert "y =" not in panel.tangent_label.text()
    assert panel.table.rowCount() == 0


def test_a_pole_is_said_to_be_one(panel: TangentPanel) -> None:
    # tan at the float nearest pi/2 is 1.6e16 by rounding; the panel shows no such value.
    show(panel, "tan(x)", math.pi / 2)
    assert "(a pole): f is not defined at 1.571" in panel.message_label.text()
    assert panel.value_label.text() == "undefined"
    assert panel.slope_label.text() == "undefined"
    assert panel.table.rowCount() == 0


def test_a_value_too_large_for_floats_is_not_called_undefined(panel: TangentPanel) -> None:
    show(panel, "exp(x)", 1000.0)
    assert panel.value_label.text() == "too large"
    assert panel.slope_label.text() == "too large to compute"
    assert "f′(1000) cannot be computed here" in panel.message_label.text()
    assert "not defined" not in panel.message_label.text()


def test_a_point_floats_cannot_resolve_is_not_called_a_jump(panel: TangentPanel) -> None:
    show(panel, "floor(x)", 1e15)
    assert panel.slope_label.text() == "cannot be decided"
    assert "does not exist" not in panel.message_label.text()


def test_end_of_the_domain_is_a_vertical_tangent(panel: TangentPanel) -> None:
    show(panel, "sqrt(x)", 0.0)
    assert "vertical tangent at the end of the domain" in panel.message_label.text()
    assert panel.slope_label.text() == "does not exist"
    assert panel.tangent_label.text() == "vertical, x = 0: no slope"
    assert float(panel.value_label.text()) == 0.0


def test_steep_curved_chain_rule_point_has_its_tangent(panel: TangentPanel) -> None:
    show(panel, "sin((4x)^2)", 0.7)
    slope = 32 * 0.7 * math.cos(16 * 0.49)
    assert float(panel.slope_label.text()) == pytest.approx(slope, rel=1e-3)  # 4 digits shown
    assert panel.tangent_label.text().startswith("y = 0.3132")
    assert panel.message_label.text() == ""


def test_slider_emits_the_step_on_a_log_scale(qtbot: QtBot, panel: TangentPanel) -> None:
    show(panel, "x^2", 1.0)
    with qtbot.waitSignal(panel.stepChanged) as blocker:
        panel.h_slider.slider.setValue(SLIDER_STEPS // 2)
    assert blocker.args[0] == pytest.approx(math.sqrt(MIN_STEP * 2.0), rel=5e-3)
    assert panel.step() == blocker.args[0]
    assert panel.highlighted_row() == 3  # 1.41e-3 is nearest 1e-3


def test_h_field_emits_the_exact_step(qtbot: QtBot, panel: TangentPanel) -> None:
    show(panel, "x^2", 1.0)
    panel.h_slider.field.selectAll()
    qtbot.keyClicks(panel.h_slider.field, "1e-4")
    with qtbot.waitSignal(panel.stepChanged) as blocker:
        qtbot.keyClick(panel.h_slider.field, Qt.Key.Key_Return)
    assert blocker.args == [1e-4]
    assert panel.highlighted_row() == 4


def test_set_step_shows_without_emitting(qtbot: QtBot, panel: TangentPanel) -> None:
    show(panel, "x^2", 1.0)
    with qtbot.assertNotEmitted(panel.stepChanged):
        panel.set_step(0.01)
    assert panel.step() == 0.01 and panel.h_slider.field.text() == "0.01"
    assert panel.highlighted_row() == 2


def test_shrink_animates_h_down_to_its_end_and_stops(qtbot: QtBot, panel: TangentPanel) -> None:
    panel.set_step(1.0)
    steps: list[float] = []
    panel.stepChanged.connect(steps.append)
    qtbot.mouseClick(panel.shrink_button, Qt.MouseButton.LeftButton)
    assert panel.is_shrinking() and panel.shrink_button.text() == "Stop"
    qtbot.waitUntil(lambda: not panel.is_shrinking(), timeout=3000)
    assert panel.shrink_button.text() == "Shrink h"
    assert len(steps) >= 3
    assert all(later < earlier for earlier, later in itertools.pairwise(steps))
    assert steps[-1] == MIN_STEP and panel.step() == MIN_STEP


def test_stop_button_stops_the_shrink(qtbot: QtBot) -> None:
    panel = TangentPanel(step=1.0, shrink_duration=60.0)
    qtbot.addWidget(panel)
    panel.start_shrink()
    qtbot.waitUntil(lambda: panel.step() < 1.0, timeout=2000)
    qtbot.mouseClick(panel.shrink_button, Qt.MouseButton.LeftButton)
    stopped_at = panel.step()
    assert not panel.is_shrinking() and panel.shrink_button.text() == "Shrink h"
    qtbot.wait(50)
    assert panel.step() == stopped_at > MIN_STEP


def test_typing_a_emits_the_point(qtbot: QtBot, panel: TangentPanel) -> None:
    points: list[float] = []
    panel.pointEdited.connect(points.append)
    qtbot.keyClicks(panel.point_field, "-2.5")
    # "-" alone is half a number and moves nothing; then -2 and -2. and -2.5 do.
    assert points == [-2.0, -2.0, -2.5]
    assert panel.point_message_text() == ""


def test_invalid_a_shows_a_message(qtbot: QtBot, panel: TangentPanel) -> None:
    with qtbot.assertNotEmitted(panel.pointEdited):
        qtbot.keyClicks(panel.point_field, "abc")
        qtbot.keyClick(panel.point_field, Qt.Key.Key_Return)
    assert "'abc' is not a number" in panel.point_message_text()


def test_set_point_shows_without_emitting(qtbot: QtBot, panel: TangentPanel) -> None:
    with qtbot.assertNotEmitted(panel.pointEdited):
        panel.set_point(0.75)
    assert panel.point_field.text() == "0.75"


def test_clear_empties_the_readouts(panel: TangentPanel) -> None:
    show(panel, "x^2", 1.0)
    panel.clear("Type a function to see its tangent.")
    assert panel.message_label.text() == "Type a function to see its tangent."
    assert panel.table.rowCount() == 0 and panel.highlighted_row() == -1
    assert panel.slope_label.text() == "—" and panel.tangent_label.text() == "—"


def test_readouts_explain_themselves(panel: TangentPanel) -> None:
    assert "line through two points" in panel.secant_slope_label.toolTip()
    assert "limit" in panel.table.toolTip()
    assert "h → 0" in panel.secant_error_label.toolTip()


def test_undefined_second_point_says_so(panel: TangentPanel) -> None:
    show(panel, "1/(1-x)", 0.5)  # a + h = 1 is the pole
    assert "f is not defined at a + h = 1, so there is no secant" in panel.message_label.text()
    assert panel.secant_slope_label.text() == "undefined"
    assert float(panel.slope_label.text()) == 4.0


def test_the_tangent_equation_uses_the_functions_variable(panel: TangentPanel) -> None:
    panel.variable = "t"
    show(panel, "x^2", 1.0)
    assert panel.tangent_label.text() == "y = 2t - 1"
