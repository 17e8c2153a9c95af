"""Dragging a data point with the cheaper redraw: the spot moved in place is painted where the
point is, the view knows the data's new extent, and the bowl keeps its levels until the drop."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QColor

from calcstudio.core.engine import Engine
from calcstudio.core.regression import LineFit, generate
from calcstudio.core.surface.landscape import contour_levels
from calcstudio.ui.fit.data_view import _Points
from calcstudio.ui.fit.lesson import FitLesson
from calcstudio.ui.widgets import palette
from calcstudio.ui.widgets.quick_curve import QuickCurve
from calcstudio.ui.widgets.spots import spot_places
from calcstudio.ui.window.main_window import MainWindow
from tests.ui.window_helpers import count_calls, open_window

LIFT = 1000.0
"""How far a point is dragged to lift the whole bowl above the levels it had."""


@pytest.fixture
def fit(qtbot, engine: Engine, tmp_path: Path) -> FitLesson:
    window: MainWindow = open_window(qtbot, engine, tmp_path, "fit")
    lesson = window.lesson("fit")
    assert isinstance(lesson, FitLesson)
    lesson.set_data(generate(2.0, 1.0, 1.0, 200, seed=3), frame=True)
    return lesson


def colour_at(fit: FitLesson, x: float, y: float) -> QColor:
    image = fit.data_view.grab().toImage()
    where = fit.data_view.pixel_of(x, y).toPoint()
    return image.pixelColor(where)


def test_the_dragged_spot_is_painted_where_the_point_is_and_the_others_stay(
    qtbot, fit: FitLesson
) -> None:
    view = fit.data_view
    before_x, before_y = fit.dataset.x.copy(), fit.dataset.y.copy()
    index = int(np.argmin(fit.dataset.y))  # the lowest point: below it the plot is empty
    x, y = float(before_x[index]), float(before_y[index])
    (_, _), (bottom, _) = view.plotItem.vb.viewRange()
    target = (x, y - (y - bottom) / 2)  # halfway down to the bottom of the view
    viewport = view.viewport()
    qtbot.mousePress(viewport, Qt.MouseButton.LeftButton, pos=view.pixel_of(x, y).toPoint())
    qtbot.mouseMove(viewport, view.pixel_of(*target).toPoint())
    assert fit.dragging is False and fit.dataset.y[index] == pytest.approx(target[1], abs=0.2)
    # What is drawn is the dataset: the others where they were, the dragged one lifted out.
    shown_x, shown_y = view.points.getData()
    others = np.arange(len(before_x)) != index
    np.testing.assert_array_equal(shown_x[others], fit.dataset.x[others])
    np.testing.assert_array_equal(shown_y[others], before_y[others])
    assert not view.points.data["visible"][index]
    np.testing.assert_allclose(spot_places(view.lifted)[1], [fit.dataset.y[index]], rtol=1e-15)
    # The spot is painted at the new place (the data's colour), and no longer at the old one.
    moved_to = (float(fit.dataset.x[index]), float(fit.dataset.y[index]))
    assert colour_at(fit, *moved_to) == QColor(palette.FUNCTION)
    assert colour_at(fit, x, y) != QColor(palette.FUNCTION)
    # The view knows the data's new extent (its lowest point is the dragged one).
    # (It maps the lifted item's data bounds through the item's place, as done here.)
    lifted_low = QPointF(view.lifted.dataBounds(0)[0], view.lifted.dataBounds(1)[0])
    lifted_low = view.plotItem.vb.mapFromItemToView(view.lifted, lifted_low)
    lowest = min(view.points.dataBounds(1)[0], lifted_low.y())
    assert lowest == pytest.approx(moved_to[1])
    qtbot.mouseRelease(viewport, Qt.MouseButton.LeftButton, pos=view.pixel_of(*target).toPoint())


def test_a_dragged_point_is_lifted_out_of_the_kept_pixmap_and_put_back_at_the_drop(
    qtbot, monkeypatch, engine: Engine, tmp_path: Path
) -> None:
    # Counted from the start: Qt keeps to the paint it first found for an item.
    painted = count_calls(monkeypatch, _Points, "paint")
    fit = open_window(qtbot, engine, tmp_path, "fit").lesson("fit")
    assert isinstance(fit, FitLesson)
    fit.set_data(generate(2.0, 1.0, 1.0, 200, seed=3), frame=True)
    view = fit.data_view
    index = int(np.argmin(fit.dataset.y))
    x, y = float(fit.dataset.x[index]), float(fit.dataset.y[index])
    (_, _), (bottom, _) = view.plotItem.vb.viewRange()
    view.pointMoved.emit(index, x, y - (y - bottom) / 4)  # the first move lifts it
    view.grab()
    assert any(item is view.points for item in painted)
    painted.clear()
    for step in range(2, 5):
        view.pointMoved.emit(index, x, y - step * (y - bottom) / 8)
        view.grab()
    # The other points' pixmap was not painted again; the lifted point is drawn where it is.
    assert [item for item in painted if item is view.points] == []
    assert view.lifted.isVisible()
    np.testing.assert_allclose(spot_places(view.lifted)[1], [fit.dataset.y[index]], rtol=1e-15)
    assert colour_at(fit, x, fit.dataset.y[index]) == QColor(palette.FUNCTION)
    assert colour_at(fit, x, y) != QColor(palette.FUNCTION)
    view.pointDropped.emit()
    # Back among the others: drawn by the points' item at its new place.
    assert not view.lifted.isVisible()
    assert view.points.data["visible"].all()
    assert colour_at(fit, x, fit.dataset.y[index]) == QColor(palette.FUNCTION)
    assert any(item is view.points for item in painted)


def test_the_bowl_keeps_its_levels_while_a_point_is_dragged_and_chooses_them_at_the_drop(
    fit: FitLesson,
) -> None:
    landscape = fit.landscape
    levels = landscape.current.levels.copy()
    x, y = float(fit.dataset.x[5]), float(fit.dataset.y[5])
    for step in range(1, 4):
        fit.data_view.pointMoved.emit(5, x, y + 3.0 * step)
        shown = landscape.current
        # The bowl is the moved data's, drawn at the levels it had before the drag ...
        moved = LineFit.of(fit.dataset)
        np.testing.assert_allclose(
            shown.values, moved.value(*np.meshgrid(shown.w1, shown.w2)), rtol=1e-12
        )
        np.testing.assert_array_equal(shown.levels, levels)
        np.testing.assert_array_equal(landscape.bar_levels, levels)
        # ... each band the number of those levels below the loss there.
        expected = np.searchsorted(levels, shown.values).astype(np.uint8)
        np.testing.assert_array_equal(landscape.image.bands, expected)
    fit.data_view.pointDropped.emit()
    dropped = landscape.current
    np.testing.assert_array_equal(dropped.levels, contour_levels(dropped.values))
    assert not np.array_equal(dropped.levels, levels)
    np.testing.assert_array_equal(landscape.bar_levels, dropped.levels)


def test_a_drag_that_lifts_the_bowl_above_every_level_chooses_new_ones(fit: FitLesson) -> None:
    landscape = fit.landscape
    levels = landscape.current.levels.copy()
    x, y = float(fit.dataset.x[5]), float(fit.dataset.y[5])
    fit.data_view.pointMoved.emit(5, x, y + LIFT)  # an outlier: the loss is far higher everywhere
    shown = landscape.current
    assert np.nanmin(shown.values) > levels.max()
    assert not np.array_equal(shown.levels, levels)
    assert len(shown.labels) >= 10  # lines drawn, not one flat colour


def test_a_dragged_points_error_is_drawn_apart_and_the_others_are_not_drawn_again(
    monkeypatch, fit: FitLesson
) -> None:
    view = fit.data_view
    m, c = fit.line
    sets: list[int] = []
    set_residuals = view.residuals.setData
    monkeypatch.setattr(
        view.residuals, "setData", lambda *a, **k: (sets.append(1), set_residuals(*a, **k))
    )
    n = len(fit.dataset)
    x, y = float(fit.dataset.x[7]), float(fit.dataset.y[7])
    for step in range(1, 5):
        view.pointMoved.emit(7, x, y + 0.5 * step)
        view.grab()
        # the dragged point's error, from it to the line, drawn on its own ...
        assert view.lifted_error.isVisible()
        np.testing.assert_allclose(view.lifted_error.getData()[0], [x, x])
        np.testing.assert_allclose(view.lifted_error.getData()[1], [y + 0.5 * step, m * x + c])
    # ... the others' errors drawn once, at the first move, without it
    assert len(sets) == 1
    drawn_x, drawn_y = view.residuals.getData()
    assert len(drawn_x) == 2 * (n - 1)
    others = np.arange(n) != 7
    np.testing.assert_allclose(drawn_x[::2], fit.dataset.x[others])
    np.testing.assert_allclose(drawn_y[1::2], m * fit.dataset.x[others] + c)
    view.pointDropped.emit()
    # at the drop, every error is one item's again, the moved point's at its new place
    assert not view.lifted_error.isVisible()
    drawn_x, drawn_y = view.residuals.getData()
    assert len(drawn_x) == 2 * n
    np.testing.assert_allclose(drawn_y[14:16], [y + 2.0, m * x + c])


def test_with_squares_shown_every_move_draws_the_errors_and_squares_afresh(fit: FitLesson) -> None:
    view = fit.data_view
    view.set_squares_shown(True)
    m, c = fit.line
    x, y = float(fit.dataset.x[7]), float(fit.dataset.y[7])
    view.pointMoved.emit(7, x, y + 1.0)
    view.pointMoved.emit(7, x, y + 2.0)
    assert not view.lifted_error.isVisible()
    drawn_x, drawn_y = view.residuals.getData()
    assert len(drawn_x) == 2 * len(fit.dataset)
    np.testing.assert_allclose(drawn_y[14:16], [y + 2.0, m * x + c])
    # the moved point's square has its error as its left side
    side = abs(y + 2.0 - (m * x + c))
    assert view.squares.path().contains(QPointF(x + side / 2, (y + 2.0 + m * x + c) / 2))


def test_the_line_and_the_other_errors_are_copied_while_a_point_is_dragged(
    qtbot, monkeypatch, engine: Engine, tmp_path: Path
) -> None:
    painted = count_calls(monkeypatch, QuickCurve, "paint")  # before the window: Qt binds it
    fit = open_window(qtbot, engine, tmp_path, "fit").lesson("fit")
    assert isinstance(fit, FitLesson)
    fit.set_data(generate(2.0, 1.0, 1.0, 200, seed=3), frame=True)
    view = fit.data_view
    m, c = fit.line
    x, y = float(fit.dataset.x[7]), float(fit.dataset.y[7])
    view.pointMoved.emit(7, x, y + 0.5)  # the first move draws the others' errors once
    assert not view.still_model.kept()
    qtbot.waitUntil(view.still_model.kept, timeout=2000)
    view.grab()
    painted.clear()
    for step in range(2, 6):
        view.pointMoved.emit(7, x, y + 0.5 * step)
        view.grab()
    # The dragged point's error is drawn; the line and the others' errors are copied.
    assert any(item is view.lifted_error for item in painted)
    assert [item for item in painted if item is view.residuals or item is view.line] == []
    # What is copied is on screen: the line, and another point's error halfway to it.
    assert colour_at(fit, 0.0, c) == QColor(palette.TANGENT)
    errors = np.abs(fit.dataset.y - (m * fit.dataset.x + c))
    errors[7] = 0.0
    other = int(np.argmax(errors))  # the longest error: its middle is clear of the points
    other_x, other_y = float(fit.dataset.x[other]), float(fit.dataset.y[other])
    image = view.grab().toImage()
    middle = view.pixel_of(other_x, (other_y + m * other_x + c) / 2).toPoint()
    across = [image.pixelColor(middle.x() + dx, middle.y()) for dx in (-1, 0, 1)]
    assert QColor(palette.DERIVATIVE) in across  # a line one pixel wide, wherever it rounds
    # Moving the line changes them: drawn directly again.
    fit.move_line(m + 0.5, c)
    assert not view.still_model.kept()
    view.grab()
    assert any(item is view.line for item in painted)
