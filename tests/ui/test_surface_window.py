"""The surface lesson in the real window, with the real worker: typing, presets, formulas."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from calcstudio.core.engine import Engine
from calcstudio.ui.surface.lesson import SurfaceLesson
from calcstudio.ui.window.main_window import MainWindow
from tests.ui.window_helpers import open_window, type_function


@pytest.fixture
def window(qtbot, engine: Engine, tmp_path: Path) -> MainWindow:
    return open_window(qtbot, engine, tmp_path, "surface")


def surface_lesson(window: MainWindow) -> SurfaceLesson:
    found = window.lesson("surface")
    assert isinstance(found, SurfaceLesson)
    return found


def test_typing_the_seed_bowl_shows_its_landscape_gradient_and_partials(qtbot, window) -> None:
    type_function(qtbot, window, "L(w1, w2) = w1^2 + 2w2^2")
    lesson = surface_lesson(window)
    assert window.current_lesson() is lesson
    assert window.views.currentWidget() is lesson.view
    view = lesson.landscape.current
    assert view is not None
    np.testing.assert_allclose(
        view.values[0], view.w1**2 + 2 * view.w2[0] ** 2
    )  # the first row: w2 held at its lowest value
    assert "∇L(1, −2) = (∂L/∂w1, ∂L/∂w2) = (2, −8)" in lesson.panel.point_readout.text()
    qtbot.waitUntil(lambda: len(window.formulas.shown_texts()) == 3, timeout=15000)
    assert window.formulas.shown_texts() == [
        "L(w1, w2) = w1^2 + 2*w2^2",
        "∂L/∂w1 = 2*w1",
        "∂L/∂w2 = 4*w2",
    ]


def test_one_variable_moves_away_and_two_come_back(qtbot, window) -> None:
    type_function(qtbot, window, "x^2 - y^2")
    lesson = surface_lesson(window)
    assert window.current_lesson() is lesson
    type_function(qtbot, window, "sin(x)")
    assert window.current_lesson() is not lesson
    assert 1 in window.current_lesson().variable_counts
    type_function(qtbot, window, "x^2 - y^2")
    assert window.current_lesson() is lesson  # the window goes back where it came from
    assert lesson.surface is not None and lesson.surface.variables == ("x", "y")


def test_a_preset_from_the_panel_frames_the_map_and_sets_the_start(qtbot, window) -> None:
    lesson = surface_lesson(window)
    names = [preset["name"] for preset in lesson.panel.presets]
    index = names.index("Himmelblau: four minima")
    lesson.panel.preset_combo.activated.emit(index + 1)
    assert window.editor.text() == lesson.panel.presets[index]["text"]
    assert lesson.descent.start == (-0.5, 0.0) and lesson.point == (-0.5, 0.0)
    (x0, x1), (y0, y1) = lesson.landscape.view_ranges()
    assert x0 <= -5 and x1 >= 5 and y0 <= -5 and y1 >= 5
    qtbot.waitUntil(lambda: len(lesson.critical) == 9, timeout=5000)
    lesson.descent.play()
    qtbot.waitUntil(lambda: not lesson.descent.timer.isActive(), timeout=30000)
    ((_, run),) = lesson.descent.runs
    assert run.status == "converged"
    assert run.points[-1] == pytest.approx([-2.805, 3.131], abs=1e-3)
    assert "one of 4 minima in view with the same value" in lesson.descent.verdict_label.text()


def test_command_line_opens_the_surface_lesson_with_its_first_preset(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    from PySide6.QtGui import QImage

    from calcstudio.ui.surface.landscape_view import POINT

    out = tmp_path / "surface.png"
    result = subprocess.run(
        [sys.executable, "-m", "calcstudio", "--screenshot", str(out), "--lesson", "surface"],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        check=False,
    )
    assert result.returncode == 0, result.stderr
    image = QImage(str(out)).convertToFormat(QImage.Format.Format_RGB888)
    rgb = (
        np.frombuffer(image.constBits(), np.uint8)
        .reshape(image.height(), image.bytesPerLine())[:, : image.width() * 3]
        .reshape(image.height(), image.width(), 3)
    )
    # The lowest band of the seed bowl: viridis' first colour, 200/255 opaque over white.
    lowest = np.array([68, 1, 84]) * 200 / 255 + 255 * 55 / 255
    assert np.sum(np.all(np.abs(rgb.astype(int) - lowest) < 6, axis=2)) > 1000
    point = np.array([int(POINT[i : i + 2], 16) for i in (1, 3, 5)])
    assert np.sum(np.all(np.abs(rgb.astype(int) - point) < 12, axis=2)) > 30  # the point
