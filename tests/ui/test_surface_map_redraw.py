"""The map after a pan or zoom, with its cheaper redraw: the axes' numbers, the contour
lines' extent, the levels kept while panning and re-chosen when they no longer draw lines."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QRectF
from PySide6.QtGui import QImage, QPainter
from PySide6.QtWidgets import QApplication

from calcstudio.core.surface.fields import surface
from calcstudio.ui.surface.bands import BandImage, band_colours
from calcstudio.ui.surface.contour_curve import ContourCurve
from calcstudio.ui.surface.landscape_view import LandscapeView
from calcstudio.ui.widgets.quick_curve import QuickScatter
from calcstudio.ui.widgets.tick_axis import TickAxis
from tests.ui.window_helpers import count_calls


@pytest.fixture
def view(qtbot) -> LandscapeView:
    return _shown_view(qtbot)


def _shown_view(qtbot) -> LandscapeView:  # type: ignore[no-untyped-def]
    shown = LandscapeView()
    qtbot.addWidget(shown)
    shown.resize(900, 700)
    shown.show()
    qtbot.waitExposed(shown)
    shown.set_surface(surface("x^2 + 2y^2"))
    shown.set_view((-3.0, 3.0), (-3.0, 3.0))
    QApplication.processEvents()  # laid out at its size, as on screen
    return shown


def tick_texts(view: LandscapeView, name: str) -> tuple[list[str], int]:
    """The numbers an axis writes, and how many tick marks it draws, as painted now."""
    axis = view.plot.getAxis(name)
    image = QImage(10, 10, QImage.Format.Format_RGB32)
    painter = QPainter(image)
    try:
        _, ticks, texts = axis.generateDrawSpecs(painter)
    finally:
        painter.end()
    return [text for *_, text in texts], len(ticks)


def test_axes_write_the_numbers_of_the_view_after_a_pan_and_a_zoom(view: LandscapeView) -> None:
    view.plot.setRange(xRange=(10.0, 14.0), yRange=(-7.0, -3.0), padding=0)
    (x0, x1), (y0, y1) = view.view_ranges()
    for name, (low, high) in (("bottom", (x0, x1)), ("left", (y0, y1))):
        texts, marks = tick_texts(view, name)
        numbers = [float(text.replace("−", "-")) for text in texts]
        assert all(low <= number <= high for number in numbers), (name, texts)
        # Every whole number in view is written (the half steps too where they fit) ...
        assert set(range(int(np.ceil(low)), int(np.floor(high)) + 1)) <= set(numbers)
        # ... and there are two levels of marks, not a third of tenths crowding them.
        assert marks <= 2 * (high - low) + 2
    # Zoomed in to hundredths: the numbers as they are, as on the function plot (not
    # thousandths with "(x0.001)" in the axis's name)
    view.plot.setRange(xRange=(0.0, 0.04), yRange=(0.0, 0.04), padding=0)
    texts, _ = tick_texts(view, "bottom")
    axis = view.plot.getAxis("bottom")
    assert axis.autoSIPrefixScale == 1.0 and "(x0" not in axis.labelString()
    numbers = [float(text) for text in texts]
    (x0, x1), _ = view.view_ranges()
    assert len(numbers) >= 3 and all(x0 <= n <= x1 for n in numbers)
    assert 0.01 in numbers and 0.02 in numbers


def test_the_contour_lines_extent_is_the_grid_of_the_view_shown(view: LandscapeView) -> None:
    for x_range, y_range in (((-3.0, 3.0), (-3.0, 3.0)), ((1.0, 5.0), (-0.5, 3.5))):
        view.plot.setRange(xRange=x_range, yRange=y_range, padding=0)
        current = view.current
        assert current is not None
        x, y = view.lines.getData()
        np.testing.assert_array_equal(x, current.lines[:, 0])
        left, bottom, width, height = current.cells
        assert view.lines.dataBounds(0) == pytest.approx((left, left + width))
        assert view.lines.dataBounds(1) == pytest.approx((bottom, bottom + height))
        # Every drawn point lies inside it, so the item's box holds the lines it paints.
        assert np.nanmin(x) >= left and np.nanmax(x) <= left + width
        assert np.nanmin(y) >= bottom and np.nanmax(y) <= bottom + height
        box = view.lines.boundingRect()
        assert box.contains(QRectF(left, bottom, width, height).adjusted(1e-9, 1e-9, -1e-9, -1e-9))
    view.set_surface(None)
    assert view.lines.dataBounds(0) == (None, None)
    assert view.lines.boundingRect().isEmpty()


def test_a_pan_keeps_the_levels_until_they_draw_no_lines(view: LandscapeView) -> None:
    assert view.current is not None
    levels = view.current.levels.copy()
    (x0, _), (y0, _) = view.view_ranges()
    view.plot.getViewBox().translateBy(x=0.5, y=-0.25)  # a small pan, as a drag makes
    (x1, _), (y1, _) = view.view_ranges()
    assert (x1 - x0, y1 - y0) == pytest.approx((0.5, -0.25))
    np.testing.assert_array_equal(view.current.levels, levels)
    np.testing.assert_array_equal(view.bar_levels, levels)
    # Far away every kept level is below L: the map would be one colour without lines.
    view.plot.getViewBox().translateBy(x=100.0, y=100.0)
    current = view.current
    assert not np.array_equal(current.levels, levels)
    inside = (current.levels > np.nanmin(current.values)) & (
        current.levels < np.nanmax(current.values)
    )
    assert inside.sum() >= 10 and len(current.labels) >= 10
    np.testing.assert_array_equal(view.bar_levels, current.levels)


def test_the_markers_kept_as_pixmaps_are_drawn_where_they_are_after_a_pan_and_a_move(
    view: LandscapeView,
) -> None:
    from PySide6.QtWidgets import QGraphicsItem

    from calcstudio.core.surface.critical import CriticalPoint

    def pixels() -> np.ndarray:
        QApplication.processEvents()
        image = view.grab().toImage().convertToFormat(QImage.Format.Format_RGB32)
        return np.frombuffer(image.constBits(), np.uint32).reshape(image.height(), -1).copy()

    def drawn_both_ways() -> tuple[np.ndarray, np.ndarray]:
        kept = pixels()
        for item in (view.start_marker, view.critical):
            item.setCacheMode(QGraphicsItem.CacheMode.NoCache)
        view.viewport().update()
        fresh = pixels()
        for item in (view.start_marker, view.critical):
            item.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        return kept, fresh

    assert view.critical.cacheMode() == QGraphicsItem.CacheMode.DeviceCoordinateCache
    view.set_critical_points([CriticalPoint((0.0, 0.0), 0.0, (2.0, 4.0), "minimum")])
    view.set_start(1.0, -2.0)
    QApplication.processEvents()
    view.plot.getViewBox().translateBy(x=0.37, y=-0.21)  # a pan
    kept, fresh = drawn_both_ways()
    np.testing.assert_array_equal(kept, fresh)
    view.set_critical_points([CriticalPoint((0.5, -0.5), 0.0, (2.0, 4.0), "minimum")])
    view.set_start(-1.0, 1.5)  # both moved
    kept, fresh = drawn_both_ways()
    np.testing.assert_array_equal(kept, fresh)
    # and each marker is drawn at its new place: the start's white square at (-1, 1.5)
    where = view.map_to_pixels(-1.0, 1.5)
    assert kept[where.y(), where.x()] & 0xFFFFFF == 0xFFFFFF


def test_the_lines_are_stroked_while_they_change_and_copied_once_still(qtbot, monkeypatch) -> None:
    strokes: list[int] = []
    paint = ContourCurve.paint

    def counted(item, *args):  # type: ignore[no-untyped-def]
        strokes.append(len(item.xData))
        return paint(item, *args)

    monkeypatch.setattr(ContourCurve, "paint", counted)  # before the view: Qt binds it then
    view = _shown_view(qtbot)
    # A pan: the lines change and are stroked straight onto the map, no pixmap in between.
    view.plot.setRange(xRange=(-2.5, 3.5), yRange=(-3.0, 3.0), padding=0)
    assert not view.still_map.kept()
    strokes.clear()
    view.viewport().repaint()
    assert strokes  # drawn directly
    # Still for a while: kept as a pixmap, so the point moving over them does not stroke
    # the lines again, and what is on screen is the same picture.
    qtbot.waitUntil(view.still_map.kept, timeout=2000)
    view.viewport().repaint()
    before = view.grab().toImage()
    strokes.clear()
    for step in range(5):
        view.point.setPos(0.1 * step, 0.5)
        view.viewport().repaint()
    assert strokes == []
    view.point.setPos(1.0, -2.0)  # where it was when the picture was taken
    view.viewport().repaint()
    assert view.grab().toImage() == before
    # A zoom changes them again: stroked directly again.
    view.plot.setRange(xRange=(-1.0, 1.0), yRange=(-1.0, 1.0), padding=0)
    assert not view.still_map.kept()
    view.viewport().repaint()
    assert strokes


def test_a_new_surface_in_the_same_view_keeps_the_axes_as_pixmaps(qtbot, monkeypatch) -> None:
    # As under a dragged data point of the line fit: the bowl changes, the view does not.
    drawn: list[str] = []
    paint = TickAxis.paint

    def counted(axis, *args):  # type: ignore[no-untyped-def]
        drawn.append(axis.orientation)
        return paint(axis, *args)

    monkeypatch.setattr(TickAxis, "paint", counted)  # before the view: Qt binds it then
    view = _shown_view(qtbot)
    qtbot.waitUntil(lambda: view.still_axes.kept() and view.still_map.kept(), timeout=2000)
    view.viewport().repaint()
    before = view.grab().toImage()
    drawn.clear()
    for k in range(4):
        view.set_surface(surface(f"x^2 + {2 + k}y^2"))
        view.viewport().repaint()
    assert not view.still_map.kept() and view.still_axes.kept()
    # The map's axes were copied, not drawn (the colour bar's shows the new levels).
    assert [side for side in drawn if side != "right"] == []
    view.set_surface(surface("x^2 + 2y^2"))
    qtbot.waitUntil(view.still_map.kept, timeout=2000)
    view.viewport().repaint()
    assert view.grab().toImage() == before
    view.plot.setRange(xRange=(-2.0, 2.0), yRange=(-2.0, 2.0), padding=0)  # a zoom
    assert not view.still_axes.kept()
    view.viewport().repaint()
    assert {"bottom", "left"} <= set(drawn)


def test_the_balls_are_painted_while_they_move_and_copied_once_still(qtbot, monkeypatch) -> None:
    # As under a data point dragged on the line fit: the runs wait for the drop, so the
    # balls lie still while the point and its arrows move over them.
    painted = count_calls(monkeypatch, QuickScatter, "paint")  # before the view: Qt binds it
    view = _shown_view(qtbot)
    view.show_runs(["#d62728", "#2ca02c"], ["GD", "Momentum"])
    view.set_paths([np.array([[2.0, 1.0], [1.0, 0.5]]), np.array([[2.0, 1.0], [-1.0, 1.0]])])
    assert not view.still_balls.kept()
    view.viewport().repaint()
    assert any(item is view.balls for item in painted)  # moving: drawn directly
    qtbot.waitUntil(view.still_balls.kept, timeout=2000)
    view.viewport().repaint()
    before = view.grab().toImage()
    painted.clear()
    for step in range(5):
        view.point.setPos(0.9 + 0.05 * step, 0.5)  # over the first ball
        view.viewport().repaint()
    assert [item for item in painted if item is view.balls] == []
    view.point.setPos(1.0, -2.0)  # where it was when the picture was taken
    view.viewport().repaint()
    assert view.grab().toImage() == before
    # Each ball is there, in its run's colour.
    for (x, y), colour in (((1.0, 0.5), 0xD62728), ((-1.0, 1.0), 0x2CA02C)):
        where = view.map_to_pixels(x, y)
        assert before.pixel(where) & 0xFFFFFF == colour
    # The next frame of a race moves them: drawn directly again.
    view.set_paths([np.array([[2.0, 1.0], [0.5, 0.2]]), np.array([[2.0, 1.0], [-1.5, 1.0]])])
    assert not view.still_balls.kept()
    view.viewport().repaint()
    assert any(item is view.balls for item in painted)


def test_the_band_image_has_each_bands_colour_at_any_width(qtbot) -> None:
    colours = band_colours(3)
    # 7 columns: rows of the indexed image are not a multiple of four bytes long
    bands = np.array([[0, 1, 2, 3, 255, 0, 1], [3, 3, 2, 2, 1, 1, 0]], dtype=np.uint8)
    image = BandImage()
    image.set_bands(bands, QRectF(0.0, 0.0, 7.0, 2.0), colours)
    drawn = image._image
    assert drawn is not None and drawn.format() == QImage.Format.Format_RGB32
    shown = [[drawn.pixel(column, row) for column in range(7)] for row in range(2)]
    np.testing.assert_array_equal(np.array(shown, dtype=np.uint32), colours[bands])
    assert shown[0][4] == 0xFFE1E1E1  # undefined: light grey
