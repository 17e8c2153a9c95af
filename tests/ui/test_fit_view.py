"""The fit lesson's view at a small window: the bowl fills its plot, nothing covers the data,
the key names the marks drawn, and equal scales show true angles."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QPointF, Qt

from calcstudio.core.engine import Engine
from calcstudio.core.surface.landscape import GRID_SIZE
from calcstudio.ui.fit.lesson import FitLesson
from calcstudio.ui.widgets import palette
from tests.ui.window_helpers import open_window


@pytest.fixture
def fit(qtbot, engine: Engine, tmp_path: Path) -> FitLesson:
    window = open_window(qtbot, engine, tmp_path, "fit")
    window.resize(1024, 640)
    qtbot.wait(50)
    lesson = window.lesson("fit")
    assert isinstance(lesson, FitLesson)
    return lesson


def pixels_per_unit(fit: FitLesson) -> tuple[float, float]:
    box = fit.landscape.plot.getViewBox()
    origin = box.mapViewToScene(QPointF(0, 0))
    one = box.mapViewToScene(QPointF(1, 1))
    return abs(one.x() - origin.x()), abs(one.y() - origin.y())


def test_the_bowl_fills_its_plot_with_each_axis_to_its_range(qtbot, fit: FitLesson) -> None:
    fit.choose_preset(0)
    (m0, m1), (c0, c1) = fit.fit.view((0.0, 0.0))
    shown = fit.landscape.view_ranges()
    assert shown[0] == pytest.approx((m0, m1)) and shown[1] == pytest.approx((c0, c1))
    # m spans far less than c here, so each axis has its own scale.
    across, up = pixels_per_unit(fit)
    assert across > 2 * up
    fit.view.same_scale_box.click()
    across, up = pixels_per_unit(fit)
    assert across == pytest.approx(up, rel=1e-3)
    (w0, w1), (h0, h1) = fit.landscape.view_ranges()
    assert w0 <= m0 and w1 >= m1 and h0 <= c0 and h1 >= c1  # the whole level set still in


def test_no_legend_covers_the_bowl_and_the_key_names_the_runs(fit: FitLesson) -> None:
    assert not fit.landscape.legend.isVisible()
    key = fit.view.key.text()
    for words in ("data", "errors", "least squares", "start", "∇L", "descent path"):
        assert words in key
    assert palette.DESCENT in key
    fit.descent.chooser.race_box.click()
    assert len(fit.descent.runs) > 1
    key = fit.view.key.text()
    assert "descent path" not in key and "Gradient descent" in key


def test_a_click_where_the_legend_was_places_the_start(qtbot, fit: FitLesson) -> None:
    (m0, m1), (c0, c1) = fit.landscape.view_ranges()
    m, c = m0 + 0.05 * (m1 - m0), c1 - 0.05 * (c1 - c0)  # the top-left corner
    pixel = fit.landscape.map_to_pixels(m, c)
    qtbot.mouseClick(fit.landscape.viewport(), Qt.MouseButton.LeftButton, pos=pixel)
    assert fit.descent.start[0] == pytest.approx(m, abs=0.02 * (m1 - m0))
    assert fit.descent.start[1] == pytest.approx(c, abs=0.02 * (c1 - c0))


def test_the_wheel_scrolls_the_panel_not_the_controls_under_it(qtbot, fit: FitLesson) -> None:
    from PySide6.QtWidgets import QScrollArea

    from tests.ui.window_helpers import turn_wheel

    combo = fit.descent.chooser.combo
    area = fit.panel.parentWidget().parentWidget()
    assert isinstance(area, QScrollArea)
    area.ensureWidgetVisible(combo)
    qtbot.wait(20)
    before_scroll = area.verticalScrollBar().value()
    before = combo.currentIndex()

    turn_wheel(combo)
    assert combo.currentIndex() == before  # the optimizer stays
    assert area.verticalScrollBar().value() > before_scroll  # the panel scrolled
    combo.setFocus()
    qtbot.waitUntil(combo.hasFocus)
    turn_wheel(combo)
    assert combo.currentIndex() == before + 1  # once clicked into, the wheel is its own


def test_the_bowl_is_coloured_on_a_grid_of_the_maps_own_pixels(qtbot, fit: FitLesson) -> None:
    # The bowl's level curves are exact ellipses; its grid only colours the bands, one
    # point a pixel (a finer grid would cost time for nothing the map can show).
    fit.choose_preset(0)
    box = fit.landscape.plot.getViewBox()
    across, up = (min(GRID_SIZE, math.ceil(side)) for side in (box.width(), box.height()))
    assert 64 <= across < GRID_SIZE  # the map at 1024×640 is narrower than the default grid
    values = fit.landscape.current.values
    assert values.shape == (up, across)
    # And each grid point holds the loss at its place (the bottom: the least squares fit).
    w1, w2 = fit.landscape.current.w1, fit.landscape.current.w2
    row, column = np.unravel_index(np.argmin(values), values.shape)
    best_m, best_c = fit.fit.best_line()
    assert abs(w1[column] - best_m) <= (w1[1] - w1[0]) and abs(w2[row] - best_c) <= (w2[1] - w2[0])
    assert values[row, column] == pytest.approx(float(fit.fit.value(w1[column], w2[row])))
