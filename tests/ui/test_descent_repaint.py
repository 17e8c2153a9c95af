"""A descent frame repaints only what moved (the overlay, the map's paths, the follower's
view): these tests check that what ends up on screen is what a full repaint would draw, and
that the follower, which now looks at each path's box, moves the view as before."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication, QWidget

from calcstudio.core.framing import range_to_follow
from calcstudio.core.optimize import OPTIMIZERS
from calcstudio.ui.descent.follow import PathBounds
from tests.ui.test_descent_panel import Window
from tests.ui.test_surface_lesson import SEED, lesson, show  # noqa: F401 (fixture)


def on_screen(widget: QWidget) -> QImage:
    """What the window's backing store holds now: the result of every partial repaint."""
    QApplication.processEvents()
    return QApplication.primaryScreen().grabWindow(widget.window().winId()).toImage()


def repainted(widget: QWidget) -> QImage:
    """The same window painted afresh, every item drawn whole."""
    return widget.window().grab().toImage()


def assert_same_picture(widget: QWidget) -> None:
    live, fresh = on_screen(widget), repainted(widget)
    assert live.size() == fresh.size()
    differing = [
        (x, y)
        for y in range(0, live.height(), 2)
        for x in range(0, live.width(), 2)
        if live.pixel(x, y) != fresh.pixel(x, y)
    ]
    assert not differing, f"{len(differing)} pixels differ, e.g. at {differing[:5]}"


@pytest.fixture
def window(qtbot) -> Window:
    shown = Window()
    qtbot.addWidget(shown)
    shown.resize(1100, 700)
    shown.show()
    qtbot.waitExposed(shown)
    return shown


def test_a_race_shown_frame_by_frame_is_the_picture_a_full_repaint_draws(window: Window) -> None:
    window.show_function("x^4 - 3x^2 + x", -2.5, 2.5)
    window.plot.setYRange(-4.0, 6.0, padding=0)
    panel = window.panel
    panel.follower.box.setChecked(False)  # the view stays: only the runs change
    panel.chooser.set_race(list(OPTIMIZERS))
    panel.place_ball(2.0)
    on_screen(window)
    for _ in range(40):  # each frame painted before the next, as the timer does it
        panel.step()
        QApplication.processEvents()
    moved = [run.step_count for _, run in panel.runs]
    assert min(moved) >= 6 and max(moved) == 40
    assert_same_picture(window)


def test_a_single_run_with_its_drop_to_the_axis_and_a_zoom(window: Window) -> None:
    window.show_function("x^2", -3.0, 3.0)
    window.plot.setYRange(-1.0, 9.0, padding=0)
    panel = window.panel
    panel.follower.box.setChecked(False)
    panel.rate_slider.setValue(0.9)  # a ball that swings across the bottom
    panel.place_ball(2.5)
    on_screen(window)
    for _ in range(12):
        panel.step()
        QApplication.processEvents()
    assert_same_picture(window)
    window.plot.setXRange(-1.5, 1.5, padding=0)  # the trail is kept per pixel anew
    for _ in range(5):
        panel.step()
        QApplication.processEvents()
    assert_same_picture(window)


def test_a_race_on_the_map_is_the_picture_a_full_repaint_draws(lesson) -> None:  # noqa: F811
    show(lesson, "L(x, y) = (1 - x)^2 + 100(y - x^2)^2")
    lesson.landscape.set_view((-2.0, 2.0), (-1.0, 3.0))
    descent = lesson.descent
    keys = list(OPTIMIZERS)
    for key in keys:
        descent.chooser.set_value(key, "learning_rate", 1e-3 if key != "newton" else 0.5)
    descent.chooser.set_race(keys)
    descent.place_start(-1.2, 1.0)
    on_screen(lesson.view)
    for _ in range(30):
        descent.step()
        QApplication.processEvents()
    assert_same_picture(lesson.view)


def test_the_map_draws_each_path_through_its_points_segment_by_segment(lesson) -> None:  # noqa: F811
    show(lesson, SEED)
    descent = lesson.descent
    descent.chooser.set_race(["gd", "adam"])
    descent.place_start(1.0, -2.0)
    for _ in range(25):
        descent.step()
    for (_, run), curve in zip(descent.runs, lesson.landscape.paths, strict=False):
        x, y = curve.getData()
        assert x.size % 2 == 0 and x.size >= 2
        drawn = np.column_stack((x, y))
        points = run.points
        # Each drawn segment joins two consecutive points of the run...
        index = {tuple(p): i for i, p in enumerate(points.tolist())}
        starts = [index[tuple(p)] for p in drawn[0::2].tolist()]
        ends = [index[tuple(p)] for p in drawn[1::2].tolist()]
        assert all(b == a + 1 for a, b in zip(starts, ends, strict=True))
        # ...and every step that crosses a pixel is drawn (no gap of a pixel or more).
        pixel = lesson.landscape.plot.getViewBox().viewPixelSize()[0]
        cells = np.round(points / pixel)
        crossing = {i for i in range(len(points) - 1) if np.any(cells[i] != cells[i + 1])}
        walked = {tuple(np.r_[cells[i], cells[i + 1]]) for i in crossing}
        drawn_cells = {tuple(np.r_[cells[a], cells[a + 1]]) for a in starts}
        assert walked == drawn_cells
    # Zoomed in, the paths are kept per pixel afresh: more of their steps show.
    before = lesson.landscape.paths[0].getData()[0].size
    lesson.landscape.set_view((0.0, 1.2), (-0.5, 0.5))
    QApplication.processEvents()
    assert lesson.landscape.paths[0].getData()[0].size > before


def test_path_bounds_grow_with_new_points_and_start_over_for_a_new_path() -> None:
    bounds = PathBounds()
    rng = np.random.default_rng(3)
    xs, ys = rng.normal(size=50), rng.normal(size=50)
    for end in (1, 2, 10, 50):
        bounds.update(xs[:end], ys[:end])
        assert bounds.low.tolist() == [xs[:end].min(), ys[:end].min()]
        assert bounds.high.tolist() == [xs[:end].max(), ys[:end].max()]
    bounds.update(xs[:3] + 100.0, ys[:3])  # another path from another start
    assert bounds.low[0] == (xs[:3] + 100.0).min()
    bounds.update(xs[1:2], ys[1:2])  # a new path that is shorter
    assert bounds.low.tolist() == bounds.high.tolist() == [xs[1], ys[1]]


def test_the_view_follows_the_paths_boxes_exactly_as_it_followed_every_point(
    window: Window,
) -> None:
    window.show_function("x^2", -3.0, 3.0)
    window.plot.setYRange(-1.0, 9.0, padding=0)
    panel = window.panel
    panel.follower.box.setChecked(True)
    panel.chooser.set_race(["gd", "momentum"])
    for key in ("gd", "momentum"):
        panel.chooser.set_value(key, "learning_rate", 1.05)  # diverging: the view must widen
    panel.place_ball(2.0)
    for _ in range(8):
        panel.step()
        xs = np.concatenate([run.points[:, 0] for _, run in panel.runs])
        ys = np.concatenate([run.values for _, run in panel.runs])
        view = panel.follower._view()
        assert panel.follower.target() == (
            None if range_to_follow(view, xs, ys) == view else range_to_follow(view, xs, ys)
        )
    assert panel.follower.target() is not None
