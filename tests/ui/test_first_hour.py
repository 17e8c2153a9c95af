"""A new user's first hour (issue 9), through the real window: typing, number fields, readouts."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QSettings, Qt

from calcstudio.core.engine import Engine
from calcstudio.ui.window.main_window import DESCENT_TAB, MainWindow


@pytest.fixture
def window(qtbot, engine: Engine, tmp_path: Path) -> MainWindow:
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    shown = MainWindow(engine=engine, settings=settings)
    qtbot.addWidget(shown)
    shown.resize(1200, 800)
    shown.show()
    qtbot.waitExposed(shown)
    return shown


def retype(qtbot, window: MainWindow, text: str) -> None:
    window.editor.field.selectAll()
    qtbot.keyClick(window.editor.field, Qt.Key.Key_Delete)
    qtbot.keyClicks(window.editor.field, text)


def function_ys(window: MainWindow) -> np.ndarray:
    return np.asarray(window.plot.function_curve.getData()[1], dtype=float).copy()


@pytest.mark.parametrize(
    ("typed", "hint"),
    [
        ("xsin(x)", "did you mean x·sin(x)?"),
        ("xe^x", "did you mean x·e^x?"),
        ("xx", "did you mean x·x?"),
        ("sin(", "'(' needs something after it"),
    ],
)
def test_a_product_or_half_typed_name_keeps_the_last_good_plot(
    qtbot, window: MainWindow, typed: str, hint: str
) -> None:
    window.editor.field.selectAll()
    qtbot.keyClick(window.editor.field, Qt.Key.Key_Delete)
    # The first letter alone is a function of that letter (y = x, y = s); no later
    # keystroke plots a new variable such as xs, xsi, xe or si.
    for i, ch in enumerate(typed):
        qtbot.keyClicks(window.editor.field, ch)
        if i:
            assert window.editor.error is not None, window.editor.field.text()
    assert hint in window.editor.error_label.text()
    xs = np.asarray(window.plot.function_curve.getData()[0], dtype=float)
    np.testing.assert_allclose(function_ys(window), xs)


def test_function_names_keep_their_case_in_messages(qtbot, window: MainWindow) -> None:
    retype(qtbot, window, "sin x")
    assert window.editor.error_label.text().startswith("sin needs brackets")
    retype(qtbot, window, "(x")
    assert window.editor.error_label.text().startswith("Missing ')'")


def test_the_a_field_takes_pi_over_4_and_explains_nan(qtbot, window: MainWindow) -> None:
    retype(qtbot, window, "sin(x)")
    panel = window.tangent_panel
    panel.point_field.selectAll()
    qtbot.keyClicks(panel.point_field, "pi/4")
    qtbot.keyClick(panel.point_field, Qt.Key.Key_Return)
    handle = window.plot.tangent_handle.pos()
    assert handle.x() == pytest.approx(math.pi / 4)
    assert handle.y() == pytest.approx(math.sin(math.pi / 4))
    assert panel.point_message_text() == ""
    # sin(π/4) = √2/2 has no short exact form: four significant digits, like f′(a).
    assert panel.value_label.text() == "0.7071"
    assert panel.slope_label.text() == "0.7071"
    panel.point_field.selectAll()
    qtbot.keyClicks(panel.point_field, "nan")
    qtbot.keyClick(panel.point_field, Qt.Key.Key_Return)
    assert "'nan' is not an ordinary number" in panel.point_message_text()
    assert window.plot.tangent_handle.pos().x() == pytest.approx(math.pi / 4)


def test_the_descent_start_takes_a_square_root(qtbot, window: MainWindow) -> None:
    retype(qtbot, window, "x^2")
    window.tabs.setCurrentIndex(DESCENT_TAB)
    panel = window.descent_panel
    panel.start_field.selectAll()
    panel.start_field.insert("√2")  # QTest types ASCII only; a paste puts the root in
    qtbot.keyClick(panel.start_field, Qt.Key.Key_Return)
    assert panel.runs[0][1].points[0, 0] == pytest.approx(math.sqrt(2))
    assert panel.start_message.text() == "" or panel.start_message.isHidden()
