"""The line-fit lesson in the real window: data by hand and from files, linked views, descent."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor

from calcstudio.core.engine import Engine
from calcstudio.core.regression import Dataset, LineFit
from calcstudio.core.surface.landscape import grid_size
from calcstudio.ui.fit.lesson import FitLesson
from calcstudio.ui.widgets import palette
from calcstudio.ui.widgets.spots import spot_places
from calcstudio.ui.window.main_window import MainWindow
from tests.ui.window_helpers import open_window


@pytest.fixture
def window(qtbot, engine: Engine, tmp_path: Path) -> MainWindow:
    return open_window(qtbot, engine, tmp_path, "fit")


def lesson(window: MainWindow) -> FitLesson:
    fit = window.lesson("fit")
    assert isinstance(fit, FitLesson)
    return fit


def lstsq(data: Dataset) -> tuple[float, float]:
    design = np.column_stack([data.x, np.ones(len(data))])
    (m, c), *_ = np.linalg.lstsq(design, data.y, rcond=None)
    return float(m), float(c)


def at(view, x: float, y: float) -> QPoint:
    return view.pixel_of(x, y).toPoint()


def test_the_bottom_of_the_bowl_is_numpys_least_squares(window: MainWindow) -> None:
    fit = lesson(window)
    m, c = lstsq(fit.dataset)
    assert fit.fit is not None and fit.fit.best_line() == pytest.approx((m, c))
    assert f"m = {m:.6g}" in fit.panel.best_label.text()
    marked = spot_places(fit.landscape.critical)
    assert (float(marked[0][0]), float(marked[1][0])) == pytest.approx((m, c))


def test_clicking_adds_a_point_and_right_clicking_deletes_it(qtbot, window: MainWindow) -> None:
    fit = lesson(window)
    view = fit.data_view
    count = len(fit.dataset)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=at(view, 5.0, 3.0))
    assert len(fit.dataset) == count + 1
    assert (fit.dataset.x[-1], fit.dataset.y[-1]) == pytest.approx((5.0, 3.0), abs=0.1)
    assert fit.fit is not None and fit.fit.statistics.n == count + 1  # the bowl follows
    x, y = fit.dataset.x[-1], fit.dataset.y[-1]
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.RightButton, pos=at(view, x, y))
    assert len(fit.dataset) == count


def test_dragging_a_point_moves_it_and_the_bowl(qtbot, window: MainWindow) -> None:
    fit = lesson(window)
    view = fit.data_view
    x, y = float(fit.dataset.x[3]), float(fit.dataset.y[3])
    before = fit.fit.best_line()
    viewport = view.viewport()
    qtbot.mousePress(viewport, Qt.MouseButton.LeftButton, pos=at(view, x, y))
    for step in range(1, 6):
        qtbot.mouseMove(viewport, at(view, x, y + 2.0 * step))
    qtbot.mouseRelease(viewport, Qt.MouseButton.LeftButton, pos=at(view, x, y + 10.0))
    assert fit.dataset.x[3] == pytest.approx(x, abs=0.15)
    assert fit.dataset.y[3] == pytest.approx(y + 10.0, abs=0.3)
    assert fit.fit.best_line() == pytest.approx(lstsq(fit.dataset))
    assert fit.fit.best_line() != pytest.approx(before)
    # drawn where it is now, though the points are kept as a pixmap between changes
    image = viewport.grab().toImage()
    spot = at(view, float(fit.dataset.x[3]), float(fit.dataset.y[3]))
    assert QColor(image.pixel(spot)).name() == QColor(palette.FUNCTION).name()


def test_the_line_and_the_point_on_the_bowl_move_together(qtbot, window: MainWindow) -> None:
    fit = lesson(window)
    fit.landscape.point.setPos(1.5, 2.0)  # the learner drags the point on the bowl
    assert fit.line == pytest.approx((1.5, 2.0))
    xs, ys = fit.data_view.line.getData()
    assert ys == pytest.approx(1.5 * xs + 2.0)
    # Now a handle of the line: the other handle stays, the point on the bowl follows.
    first, second = fit.data_view.handles
    x2, y2 = second.pos().x(), second.pos().y()
    first.setPos(first.pos().x(), first.pos().y() + 3.0)
    m, c = fit.line
    assert m * x2 + c == pytest.approx(y2)
    assert (fit.landscape.point.pos().x(), fit.landscape.point.pos().y()) == pytest.approx((m, c))
    assert fit.panel.line_label.text() == f"y = {m:.6g}·x + {c:.6g}".replace("-", "−")


def test_readouts_carry_the_datas_numbers(window: MainWindow) -> None:
    fit = lesson(window)
    fit.set_data(Dataset(np.array([1.0, 2.0, 3.0]), np.array([2.0, 3.0, 5.0])), frame=True)
    fit.move_line(1.0, 1.0)
    # By hand: SSE = 0² + 0² + 1² = 1; ∂SSE/∂m = −6, ∂SSE/∂c = −2.
    assert fit.panel.loss_label.text() == "SSE = 1 (3 points)"
    assert fit.panel.partials_label.text().endswith("= −2")
    assert "= −6\n" in fit.panel.partials_label.text()
    fit.panel.mse_button.click()
    assert fit.panel.loss_label.text() == "MSE = 0.333333 (3 points)"
    assert fit.fit.best_line() == pytest.approx((1.5, 1 / 3))  # the same bottom


def test_squares_have_the_squared_errors_as_areas(qtbot, window: MainWindow) -> None:
    fit = lesson(window)
    fit.panel.squares_box.click()
    fit.move_line(1.0, 2.0)
    area = 0.0
    for polygon in fit.data_view.squares.path().toSubpathPolygons():
        xs = np.array([p.x() for p in polygon])
        ys = np.array([p.y() for p in polygon])
        area += 0.5 * abs(np.dot(xs, np.roll(ys, 1)) - np.dot(ys, np.roll(xs, 1)))
    assert area == pytest.approx(float(fit.fit.value(1.0, 2.0)), rel=1e-9)


def test_a_bad_csv_changes_nothing_and_names_the_lines(window: MainWindow, tmp_path: Path) -> None:
    fit = lesson(window)
    before = fit.dataset
    bad = tmp_path / "bad.csv"
    bad.write_text("x,y\n1,2\n2,two\n", encoding="utf-8")
    assert not fit.load_csv(str(bad))
    assert fit.dataset is before
    assert "line 3: y = 'two' is not a number" in fit.panel.data_message.text()
    good = tmp_path / "good.csv"
    good.write_text("1,1\n2,3\n3,5\n", encoding="utf-8")
    assert fit.load_csv(str(good))
    assert fit.fit.best_line() == pytest.approx((2.0, -1.0))
    saved = tmp_path / "saved.csv"
    assert fit.save_csv(str(saved))
    assert saved.read_text(encoding="utf-8").splitlines() == [
        "x,y",
        "1.0,1.0",
        "2.0,3.0",
        "3.0,5.0",
    ]


def test_descent_walks_the_line_to_least_squares(qtbot, window: MainWindow) -> None:
    fit = lesson(window)
    descent = fit.descent
    descent.max_steps_spin.setValue(3000)
    descent.step()
    assert fit.line != (0.0, 0.0)  # the line moved with the first step
    descent.speed_spin.setValue(1000)
    descent.play()
    qtbot.waitUntil(lambda: not descent.timer.isActive(), timeout=30000)
    best = fit.fit.best_line()
    assert fit.line == pytest.approx(best, rel=1e-2, abs=1e-2)
    assert "from the least-squares line" in fit.panel.end_label.text()


def test_playing_fast_moves_the_line_every_frame_and_writes_its_numbers_with_the_descents(
    window: MainWindow,
) -> None:
    from PySide6.QtCore import QSignalBlocker

    fit = lesson(window)
    descent = fit.descent
    descent.speed_spin.setValue(60)  # a frame every 17 ms: readouts every sixth frame
    descent.play()
    written = []
    descent.readoutsShown.connect(lambda: written.append(fit.line))
    with QSignalBlocker(descent.timer):  # the frames are taken here, one by one
        for _ in range(13):
            shown = fit.panel.loss_label.text()
            descent.tick()
            # the line is at the runner's point on every frame ...
            assert fit.line == tuple(descent.runs[0][1].points[-1])
            # ... its loss is written when the descent writes its own readouts
            loss = fit._readouts(fit.fit, *fit.line)[1]
            if written and written[-1] == fit.line:
                assert fit.panel.loss_label.text() == loss
            else:
                assert fit.panel.loss_label.text() == shown != loss
    assert len(written) == 2
    descent.stop()  # a pause writes them for where the line is now
    assert fit.panel.loss_label.text() == fit._readouts(fit.fit, *fit.line)[1]
    assert "from the least-squares line" in fit.panel.end_label.text()


def test_centring_x_makes_the_long_valley_round(window: MainWindow) -> None:
    fit = lesson(window)
    fit.choose_preset(2)  # x between 100 and 110
    before = fit.fit.condition_number()
    slope = fit.fit.best_line()[0]
    assert before > 1e4
    fit.panel.centre_button.click()
    after = fit.fit.condition_number()
    assert after < 10
    assert fit.fit.best_line()[0] == pytest.approx(slope)
    assert "condition number" in fit.panel.data_message.text()
    assert math.isclose(float(np.mean(fit.dataset.x)), 0.0, abs_tol=1e-9)


def test_typing_a_function_moves_to_a_lesson_that_shows_it(qtbot, window: MainWindow) -> None:
    window.set_function_text("sin(x)")
    assert window.current_lesson().key != "fit"
    assert window.shown is not None and window.shown.text == "sin(x)"


def test_the_fit_of_the_preset_is_the_cores(window: MainWindow) -> None:
    fit = lesson(window)
    assert fit.fit == LineFit.of(fit.dataset, "SSE")
    # Suggested rate: below the critical rate 2/λmax, so the default run converges.
    rate = fit.descent.chooser.values["gd"]["learning_rate"]
    assert rate < fit.fit.critical_rate()


def test_cleared_data_stays_cleared_across_tabs(window: MainWindow) -> None:
    fit = lesson(window)
    fit.panel.clear_button.click()
    assert len(fit.dataset) == 0
    window.show_lesson("tangent")
    window.show_lesson("fit")
    assert len(fit.dataset) == 0  # the first preset is only loaded the first time
    assert fit.panel.partials_label.text() == "Add points to fit a line.\n"


def test_the_data_comes_back_from_a_session(window: MainWindow) -> None:
    fit = lesson(window)
    state = {"x": [1.0, 2.0, 3.0], "y": [1.0, 3.0, 5.0], "loss": "MSE", "line": [2.0, -1.0]}
    fit.restore_state(state)
    assert as_saved(fit.state()) == state
    assert fit.panel.mse_button.isChecked()
    fit.restore_state({"x": "junk", "loss": "median", "line": ["a", 1]})
    assert as_saved(fit.state()) == state  # nothing usable: nothing changed


def as_saved(state: dict) -> dict:
    """A lesson's state as a session file gives it back (tuples become lists)."""
    return json.loads(json.dumps(state))


def test_a_dragged_point_moves_the_full_bowl_at_once_and_the_runs_wait_for_the_drop(
    qtbot, window: MainWindow
) -> None:
    fit = lesson(window)
    view = fit.data_view
    objective = fit.descent.objective
    x, y = float(fit.dataset.x[3]), float(fit.dataset.y[3])
    viewport = view.viewport()
    qtbot.mousePress(viewport, Qt.MouseButton.LeftButton, pos=at(view, x, y))
    qtbot.mouseMove(viewport, at(view, x, y + 8.0))
    # While the point is held: the map is the full grid of the moved data's bowl (a point
    # a pixel, not a coarser one for the drag) ...
    assert fit.dataset.y[3] == pytest.approx(y + 8.0, abs=0.3)
    shown = fit.landscape.current
    box = fit.landscape.plot.getViewBox()
    columns, rows = grid_size(fit.landscape.surface, (box.width(), box.height()))
    assert columns >= box.width() - 1 and rows >= min(box.height(), 400) - 1
    assert shown is not None and shown.values.shape == (rows, columns)
    moved = LineFit.of(fit.dataset)
    grid_m, grid_c = np.meshgrid(shown.w1, shown.w2)
    np.testing.assert_allclose(shown.values, moved.value(grid_m, grid_c), rtol=1e-12)
    np.testing.assert_array_equal(fit.landscape.image.bands, shown.bands)
    assert spot_places(fit.landscape.critical)[0][0] == pytest.approx(moved.best_line()[0])
    # ... and the runs still walk the bowl of the data before the drag.
    assert fit.descent.objective is objective
    qtbot.mouseRelease(viewport, Qt.MouseButton.LeftButton, pos=at(view, x, y + 8.0))
    # Dropped: the runs start again on the new bowl, the map is its landscape.
    assert fit.descent.objective is not objective
    m, c = fit.line
    w = np.array([m + 0.5, c - 1.0])
    assert fit.descent.objective.loss_at(w) == pytest.approx(float(moved.value(*w)), rel=1e-9)
    final = fit.landscape.current
    assert final is not None and final.values.shape == (rows, columns)
    np.testing.assert_allclose(final.values, moved.value(*np.meshgrid(final.w1, final.w2)))


def test_the_function_field_is_greyed_out_on_the_fit_tab_and_back_after(window: MainWindow) -> None:
    editor = window.editor
    assert window.current_lesson().key == "fit"
    assert not editor.field.isEnabled()
    assert "works on its own data" in editor.error_label.text()
    window.show_lesson("tangent")
    assert editor.field.isEnabled() and editor.error_label.text() == ""
    editor.set_text("sin(")  # an error typed on a tab that uses f comes back with it
    window.show_lesson("fit")
    assert not editor.field.isEnabled()
    window.show_lesson("tangent")
    assert editor.error_label.text().startswith("'(' needs something after it.")


def test_the_state_hands_over_the_same_columns_until_the_data_changes(window: MainWindow) -> None:
    # The autosave looks at the session every second; the same tuples are not written again.
    fit = lesson(window)
    fit.set_data(Dataset(np.arange(2000.0), np.arange(2000.0) * 2), frame=True)
    first = fit.state()
    assert fit.state()["x"] is first["x"] and fit.state()["y"] is first["y"]
    fit.data_view.pointMoved.emit(3, 3.0, 100.0)
    moved = fit.state()
    assert moved["x"] is not first["x"] and moved["y"][3] == 100.0
    assert window.session().to_json().count("100.0") >= 1
