"""The surface lesson's 3-D view: off (and saying why) without OpenGL, drawn where it exists.

CI runs offscreen, where Qt has no OpenGL: there the option must be disabled with its reason
and everything else must work. The 3-D items themselves hold plain data and are checked
offscreen too; only the test that draws them needs OpenGL (run it under Xvfb:
``QT_QPA_PLATFORM=xcb DISPLAY=:N python -m pytest tests/ui/test_surface_3d.py``).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtGui import QGuiApplication, QImage

from calcstudio.core.engine import Engine
from calcstudio.core.optimize import OPTIMIZERS
from calcstudio.core.surface.mesh import BOX_HEIGHT, LIFT, surface_mesh
from calcstudio.ui.surface.lesson import SurfaceLesson
from calcstudio.ui.surface.opengl import opengl_problem
from calcstudio.ui.surface.surface_3d import SurfaceScene, mesh_colours
from calcstudio.ui.window.main_window import MainWindow
from tests.ui.window_helpers import open_window, type_function

SEED_BOWL, ROSENBROCK = 0, 2
"""The presets' indices: the seed bowl (one gradient descent) and Rosenbrock's race."""


@pytest.fixture
def window(qtbot, engine: Engine, tmp_path: Path) -> MainWindow:
    return open_window(qtbot, engine, tmp_path, "surface")


def surface_lesson(window: MainWindow) -> SurfaceLesson:
    found = window.lesson("surface")
    assert isinstance(found, SurfaceLesson)
    return found


def rosenbrock(points: np.ndarray) -> np.ndarray:
    x, y = points[:, 0], points[:, 1]
    return (1 - x) ** 2 + 100 * (y - x**2) ** 2


def test_offscreen_the_option_is_off_says_why_and_the_rest_works(qtbot, window) -> None:
    if QGuiApplication.platformName() != "offscreen":
        pytest.skip("checks the offscreen case (CI's); this run has a screen")
    lesson = surface_lesson(window)
    box, note = lesson.panel.surface_box, lesson.panel.surface_note
    assert not box.isEnabled() and not box.isChecked()
    assert note.isVisible()
    assert note.text() == box.toolTip() == opengl_problem()
    assert note.text() == (
        "The 3-D view needs OpenGL (3-D graphics), but this window is drawn without a screen "
        'or graphics driver (Qt\'s "offscreen" platform), so it is off here. '
        "The map shows the same landscape seen from above."
    )
    box.setChecked(True)  # even if it were ticked somehow, nothing is built
    assert not box.isChecked()
    assert lesson.surface_3d.isHidden() and lesson.surface_3d.scene is None
    # Everything else works: the landscape, the point, a descent on the map.
    type_function(qtbot, window, "L(w1, w2) = w1^2 + 2w2^2")
    assert lesson.landscape.current is not None
    assert "∇L(1, −2) = (∂L/∂w1, ∂L/∂w2) = (2, −8)" in lesson.panel.point_readout.text()
    lesson.descent.place_start(1.0, -2.0)
    lesson.descent.step()
    x, y = lesson.landscape.paths[0].getData()
    np.testing.assert_allclose(np.column_stack((x, y)), [[1.0, -2.0], [0.8, -1.2]])


def test_the_window_starts_without_loading_opengl() -> None:
    code = (
        "import os, sys\n"
        "os.environ['QT_QPA_PLATFORM'] = 'offscreen'\n"
        "from PySide6.QtWidgets import QApplication\n"
        "app = QApplication([])\n"
        "from calcstudio.ui.window.main_window import MainWindow\n"
        "from calcstudio.ui.surface.lesson import SurfaceLesson\n"
        "class Host:\n"
        "    formulas = None\n"
        "SurfaceLesson(Host())\n"
        "print(sorted(m for m in sys.modules if m.startswith(('OpenGL', 'pyqtgraph.opengl'))))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    assert result.stdout.strip() == "[]"


def test_the_lesson_hands_the_3d_view_L_at_every_point_of_the_paths(qtbot, window) -> None:
    lesson = surface_lesson(window)
    lesson.panel.choose_preset(ROSENBROCK)
    for _ in range(25):
        lesson.descent.step()
    given = lesson.surface_3d
    assert given.landscape is lesson.landscape.current
    assert given.colours == [pen.color().name() for pen in given_pens(lesson)]
    paths, values = given.paths
    assert len(paths) == len(values) == len(lesson.descent.runs) >= 2
    for points, heights in zip(paths, values, strict=True):
        assert len(points) == len(heights) >= 8  # Newton arrives after 7 steps, others go on
        np.testing.assert_allclose(heights, rosenbrock(points), rtol=1e-12)
    w1, w2, value = given.point
    assert (w1, w2) == lesson.point
    assert value == pytest.approx(rosenbrock(np.array([lesson.point]))[0])


def given_pens(lesson: SurfaceLesson) -> list:
    return [path.opts["pen"] for path in lesson.landscape.paths if path.isVisible()]


def test_the_scene_puts_the_surface_point_and_paths_in_the_box(qtbot, window) -> None:
    # The 3-D items hold plain data; they are made here without drawing them.
    import pyqtgraph.opengl as gl

    lesson = surface_lesson(window)
    lesson.panel.choose_preset(ROSENBROCK)
    for _ in range(25):
        lesson.descent.step()
    view = lesson.surface_3d
    scene = SurfaceScene(gl)
    assert view.landscape is not None and view.point is not None
    scene.set_landscape(view.landscape, ("x", "y"))
    scene.show_runs(view.colours)
    scene.set_point(*view.point)
    scene.set_paths(*view.paths)
    frame = scene.frame
    assert frame is not None and frame.cut_above  # Rosenbrock's walls are cut
    built = surface_mesh(view.landscape)
    vertices = scene.surface.opts["meshdata"].vertexes()
    np.testing.assert_allclose(vertices[:, 2], built.z.ravel(), atol=1e-6)  # float32
    colours = scene.surface.opts["meshdata"].vertexColors()
    np.testing.assert_allclose(colours, mesh_colours(built, len(view.landscape.levels)))
    assert [label.text for label in scene.labels] == [
        "x",
        "y",
        f"L = {frame.floor:g}",
        f"L = {frame.ceiling:g}",
    ]
    (x0, x1), (y0, y1) = lesson.landscape.view_ranges()
    for item, points in zip(scene.paths, view.paths[0], strict=False):
        inside = (points[:, 0] >= x0) & (points[:, 0] <= x1)
        inside &= (points[:, 1] >= y0) & (points[:, 1] <= y1)
        kept = points[:-1][inside[:-1] & inside[1:]]  # steps with both ends in view
        starts = item.pos[::2]
        assert len(starts) == len(kept) >= 5
        np.testing.assert_allclose(
            starts[:, 0] * frame.scale + frame.centre[0], kept[:, 0], atol=1e-6
        )
        np.testing.assert_allclose(
            starts[:, 1] * frame.scale + frame.centre[1], kept[:, 1], atol=1e-6
        )
        heights = frame.value(starts[:, 2] - LIFT * BOX_HEIGHT)
        expected = np.clip(rosenbrock(kept), frame.floor, frame.ceiling)
        # The items keep float32: about 7 digits of the box.
        np.testing.assert_allclose(heights, expected, atol=(frame.ceiling - frame.floor) * 1e-6)
    assert len(scene.balls.pos) == len(view.paths[0])
    w1, w2, value = view.point
    box_x, box_y = (np.array([w1, w2]) - frame.centre) / frame.scale
    lifted = frame.height(value) + LIFT * BOX_HEIGHT
    np.testing.assert_allclose(scene.point.pos[0], [box_x, box_y, lifted])


def test_the_3d_view_draws_the_surface_and_the_paths(qtbot, window) -> None:
    if opengl_problem() is not None:
        pytest.skip("no OpenGL context here (offscreen, as in CI): the 3-D view cannot be drawn")
    lesson = surface_lesson(window)
    lesson.panel.choose_preset(ROSENBROCK)
    lesson.panel.surface_box.setChecked(True)
    view = lesson.surface_3d
    assert view.isVisible() and view.scene is not None and view.widget is not None
    assert "Heights above L = " in view.caption.text()  # Rosenbrock's walls are cut
    lesson.panel.choose_preset(SEED_BOWL)  # one pink path, from (1, −2) down to (0, 0)
    assert view.caption.text() == "Drag to turn the surface, scroll to zoom."
    for _ in range(10):
        lesson.descent.step()
    qtbot.wait(50)
    pixels = framebuffer(view.widget)
    assert coloured_share(pixels) > 0.05  # the surface, in the map's colours
    # Gradient descent's pink (no colour of viridis): its path and ball are drawn, and
    # without the path items less pink is left.
    scene = view.scene
    assert all(len(path.pos) > 0 for path in scene.paths if path.visible())
    with_paths = pink_pixels(pixels)
    for path in scene.paths:
        path.hide()
    assert 0 < pink_pixels(framebuffer(view.widget)) < with_paths
    view.scene.surface.hide()
    assert coloured_share(framebuffer(view.widget)) < 0.005  # the frame and labels are grey
    view.scene.surface.show()
    # A race of all seven on the same view (more paths than were made so far): each drawn.
    lesson.descent.chooser.set_race(list(OPTIMIZERS))
    lesson.descent.step()
    shown = [path for path in view.scene.paths if path.visible()]
    assert len(shown) == 7 and all(path in view.widget.items for path in shown)
    assert all(len(path.pos) == 2 for path in shown)  # one step each, in view
    assert len(view.scene.balls.pos) == 7
    lesson.panel.surface_box.setChecked(False)
    assert view.isHidden()


def framebuffer(widget) -> np.ndarray:
    """What the GL widget draws, as ``(height, width, 3)`` RGB bytes."""
    picture = widget.grabFramebuffer().convertToFormat(QImage.Format.Format_RGBA8888)
    rows = np.frombuffer(picture.constBits(), np.uint8).reshape(picture.height(), -1)
    image = rows[:, : picture.width() * 4].reshape(picture.height(), picture.width(), 4)
    return image[..., :3].copy()  # the QImage and its bytes go when this returns


def pink_pixels(pixels: np.ndarray) -> int:
    """How many pixels are gradient descent's pink (#cc79a7), give or take shading."""
    return int((np.abs(pixels.astype(int) - (204, 121, 167)).max(axis=2) < 30).sum())


def coloured_share(pixels: np.ndarray) -> float:
    """The share of pixels that are neither white nor grey."""
    spread = pixels.max(axis=2).astype(int) - pixels.min(axis=2)
    return float((spread > 40).mean())
