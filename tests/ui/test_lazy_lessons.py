"""Lessons are built when first needed: what they show is the same as if built at start."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings

from calcstudio.core.engine import Engine
from calcstudio.core.session_file import Session
from calcstudio.ui.newton.lesson import NewtonLesson
from calcstudio.ui.window.main_window import MainWindow
from calcstudio.ui.window.session import save_settings
from tests.ui.window_helpers import open_window, type_function


def built(window: MainWindow) -> list[str]:
    return [slot.key for slot in window.slots if slot.built]


def test_the_window_starts_with_only_the_lesson_on_show_built(qtbot, engine, tmp_path) -> None:
    window = open_window(qtbot, engine, tmp_path)
    assert built(window) == ["tangent"]
    assert window.tabs.count() == len(window.slots)  # every tab is there, with its title
    assert window.tabs.tabText(window.routing.index("newton")) == "Newton–Raphson"
    window.show_lesson("area")
    assert built(window) == ["tangent", "area"]
    assert window.tabs.currentWidget().widget() is window.current_lesson().panel


def test_a_lesson_first_shown_after_typing_shows_that_function(
    qtbot, engine: Engine, tmp_path: Path
) -> None:
    window = open_window(qtbot, engine, tmp_path)
    type_function(qtbot, window, "x^3 - 2x")
    assert "newton" not in built(window)
    window.show_lesson("newton")
    newton = window.current_lesson()
    assert isinstance(newton, NewtonLesson)
    assert newton.run is not None and newton.run.points[0] == 1.0
    assert newton.run.values[0] == pytest.approx(-1.0)  # f(1) of x³ − 2x
    assert newton.run.verdict == "converged"
    assert newton.run.root == pytest.approx(math.sqrt(2))
    assert newton.steps_curve in window.plot.getPlotItem().items
    window.show_lesson("descent")
    assert window.current_lesson().text == "x^3 - 2x"  # type: ignore[attr-defined]


def test_a_two_variable_function_builds_the_surface_lesson_and_shows_it(
    qtbot, engine: Engine, tmp_path: Path
) -> None:
    window = open_window(qtbot, engine, tmp_path)
    type_function(qtbot, window, "w1^2 + 2w2^2")
    assert window.current_lesson().key == "surface"
    surface = window.current_lesson()
    assert surface.surface is not None  # type: ignore[attr-defined]
    assert surface.surface.variables == ("w1", "w2")  # type: ignore[attr-defined]
    assert window.views.currentWidget() is surface.view


def test_a_session_restored_before_a_lesson_is_built_shows_when_it_is(
    qtbot, engine: Engine, tmp_path: Path
) -> None:
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    newton_state = {"start": 2.5, "minimize": False}
    save_settings(settings, Session(function="x^2 - 2", lessons={"newton": newton_state}))
    window = MainWindow(engine=engine, settings=settings)
    qtbot.addWidget(window)
    window.show()
    assert "newton" not in built(window)
    # Kept meanwhile: the autosave and a saved file have it.
    assert window.session().lessons["newton"] == newton_state
    window.show_lesson("newton")
    newton = window.current_lesson()
    assert isinstance(newton, NewtonLesson)
    assert newton.start == 2.5 and newton.panel.start_field.text() == "2.5"
    assert newton.run is not None and newton.run.points[0] == 2.5
    assert newton.run.root == pytest.approx(math.sqrt(2))
    assert window.session().lessons["newton"] == newton_state
    window.close()
