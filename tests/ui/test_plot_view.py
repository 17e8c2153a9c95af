"""The main plot: sampled curves, re-sampling on pan, tangent and secant items, mouse input."""

from __future__ import annotations

import math

import numpy as np
import pytest
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QImage, QMouseEvent
from PySide6.QtWidgets import QApplication

from calcstudio.core.calculus import secant, tangent_at
from calcstudio.core.function import Function, parse
from calcstudio.ui.widgets import palette
from calcstudio.ui.widgets.plot_view import PlotView


@pytest.fixture
def plot(qtbot) -> PlotView:
    view = PlotView()
    qtbot.addWidget(view)
    view.resize(640, 480)
    view.set_tangent_and_secant_shown(True)  # as the tangent lesson does
    view.show()
    qtbot.waitExposed(view)
    return view


@pytest.fixture(scope="module")
def cubic() -> tuple[Function, Function, Function]:
    f = parse("x^3 - 3x")
    df = f.derivative()
    return f, df, df.derivative()


def to_pixel(plot: PlotView, x: float, y: float) -> QPoint:
    """Where the data point (x, y) is on the plot's viewport."""
    scene = plot.getViewBox().mapViewToScene(QPointF(x, y))
    return plot.mapFromScene(scene)


def held_move(widget, pos: QPoint) -> QMouseEvent:
    """A mouse move with the left button held down, at ``pos`` on ``widget``."""
    local = QPointF(pos)
    return QMouseEvent(
        QEvent.Type.MouseMove,
        local,
        QPointF(widget.mapToGlobal(pos)),
        Qt.MouseButton.NoButton,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )


def data(item) -> tuple[np.ndarray, np.ndarray]:
    xs, ys = item.getData()
    if xs is None:
        return np.empty(0), np.empty(0)
    return np.asarray(xs, dtype=float), np.asarray(ys, dtype=float)


def test_curves_hold_f_and_its_derivative_across_the_view(plot, cubic):
    f, df, d2f = cubic
    plot.set_functions(f, df, d2f)
    assert plot.view_x_range() == (-5.0, 5.0)
    for curve, g in ((plot.function_curve, f), (plot.derivative_curve, df)):
        xs, ys = data(curve)
        assert xs[0] == pytest.approx(-5.0) and xs[-1] == pytest.approx(5.0)
        assert xs.size >= plot.getViewBox().width()  # at least one sample per pixel
        np.testing.assert_allclose(ys, g(xs), rtol=1e-12, equal_nan=True)
    # f'' is sampled only once it is shown.
    assert data(plot.second_derivative_curve)[0].size == 0
    plot.set_second_derivative_visible(True)
    xs, ys = data(plot.second_derivative_curve)
    np.testing.assert_allclose(ys, 6 * xs, rtol=1e-12)
    assert "f″(x)" in [label.text for _, label in plot.legend.items]


def test_none_clears_a_curve(plot, cubic):
    f, df, _ = cubic
    plot.set_functions(f, df)
    assert data(plot.derivative_curve)[0].size > 0
    plot.set_functions(f, None)
    assert data(plot.derivative_curve)[0].size == 0
    assert data(plot.function_curve)[0].size > 0
    plot.set_functions(None, None)
    assert data(plot.function_curve)[0].size == 0


def test_panning_resamples_once_for_a_burst(plot, cubic, qtbot):
    f, df, _ = cubic
    plot.set_functions(f, df)
    updates = []
    plot.function_curve.sigPlotChanged.connect(lambda *_: updates.append(1))
    for start in np.linspace(0.0, 20.0, 11):
        plot.setXRange(start, start + 10.0, padding=0)
    # Throttled: nothing is re-sampled until the event loop runs...
    assert data(plot.function_curve)[0][0] == pytest.approx(-5.0)
    qtbot.waitUntil(lambda: data(plot.function_curve)[0][0] == pytest.approx(20.0), timeout=2000)
    # ...and then once for the whole burst.
    assert len(updates) == 1
    xs, ys = data(plot.function_curve)
    assert xs[-1] == pytest.approx(30.0)
    np.testing.assert_allclose(ys, f(xs), rtol=1e-12)
    assert data(plot.derivative_curve)[0][-1] == pytest.approx(30.0)


def test_tan_draws_no_segment_across_a_pole(plot):
    f = parse("tan(x)")
    plot.set_functions(f, None)
    plot.fit_view()
    xs, ys = data(plot.function_curve)
    finite = np.isfinite(ys)
    joined = np.flatnonzero(finite[:-1] & finite[1:])
    assert joined.size > 500
    # The number of poles pi/2 + k pi at or below x; it changes across a pole.
    below = np.floor((xs - math.pi / 2) / math.pi)
    crossing = joined[below[joined] != below[joined + 1]]
    assert crossing.size == 0, xs[crossing]
    # Both sides of each of the poles in view are drawn.
    for pole in (-3 * math.pi / 2, -math.pi / 2, math.pi / 2, 3 * math.pi / 2):
        assert finite[(xs > pole - 0.1) & (xs < pole)].any()
        assert finite[(xs > pole) & (xs < pole + 0.1)].any()


def test_fit_view_ignores_the_spikes_at_poles(plot):
    f = parse("tan(x)")
    plot.set_functions(f, f.derivative(), f.derivative(order=2))
    plot.fit_view()
    low, high = plot.getViewBox().viewRange()[1]
    assert np.nanmax(np.abs(data(plot.function_curve)[1])) > 20 * high  # spikes left out
    # tan is readable: about ±10, not ±200, and x shows more than one branch.
    assert -15 < low < -3 and 3 < high < 15
    x_low, x_high = plot.view_x_range()
    assert x_low < -math.pi / 2 and x_high > math.pi / 2
    g = parse("x^2")
    plot.set_functions(g, g.derivative())
    plot.fit_view()
    low, high = plot.getViewBox().viewRange()[1]
    # x fits the bottom at 0 with its sides; y shows f (up to 9) and f' (down to -6).
    assert plot.view_x_range() == (-3.0, 3.0)
    assert -8 < low < -6 and 9 < high < 11


def test_fit_view_fits_x_to_the_turns_and_the_points_shown(plot):
    f = parse("x^3 - 3x")
    plot.set_functions(f, f.derivative(), f.derivative(order=2))
    plot.setXRange(40, 50, padding=0)
    plot.fit_view(points=[0.0])
    x_low, x_high = plot.view_x_range()
    assert x_low < -1 and x_high > 1 and x_high - x_low < 10  # both turns, at ±1
    g = parse("x^2")
    plot.set_functions(g, g.derivative())
    plot.fit_view(points=[5.0])  # a ball at 5 is in view, with room
    x_low, x_high = plot.view_x_range()
    assert x_low <= -2 and 5.5 < x_high < 8
    assert plot.getViewBox().viewRange()[1][1] >= 25  # and f(5) = 25 with it


def test_axes_show_plain_values_when_zoomed_in(qtbot, plot):
    plot.set_variable("t")  # a new label keeps the plain values
    plot.setRange(xRange=(-0.004, 0.004), yRange=(-2e-5, 2e-5), padding=0)
    qtbot.wait(20)
    for side in ("bottom", "left"):
        axis = plot.getPlotItem().getAxis(side)
        assert axis.autoSIPrefixScale == 1.0 and axis.labelUnitPrefix == ""
        assert "(x" not in axis.labelString()
    ticks = plot.getPlotItem().getAxis("bottom").tickStrings([-0.004, 0.002], 1.0, 0.002)
    assert ticks == ["-0.004", "0.002"]


def test_the_axes_draw_two_levels_of_ticks_at_every_zoom(plot):
    # A third level (hundredths between tenths here) crowded the half steps where it showed.
    for side in ("bottom", "left"):
        axis = plot.getPlotItem().getAxis(side)
        for low, high in ((1.0, 1.7), (-12.0, 47.0), (-5.0, 5.0), (0.0, 0.004)):
            assert len(axis.tickValues(low, high, 745.0)) <= 2


def test_a_pan_or_zoom_leaves_the_axis_labels_as_they_are(monkeypatch, plot):
    import pyqtgraph as pg

    from tests.ui.window_helpers import count_calls

    # pyqtgraph's automatic SI prefix rewrites an axis's label (HTML, and the axis's size)
    # at every change of range; the prefix is never shown here, so it is off.
    rewritten = count_calls(monkeypatch, pg.AxisItem, "_updateLabel")
    for _ in range(3):
        plot.getViewBox().translateBy(x=0.25)
        plot.getViewBox().scaleBy((0.9, 0.8))
        plot.grab()
    assert rewritten == []
    assert plot.getPlotItem().getAxis("bottom").labelString().count("x") == 1


def test_a_function_of_t_names_the_axis_and_legend_t(plot):
    f = parse("sin(t)")
    plot.set_functions(f, f.derivative())
    plot.set_variable("t")
    assert plot.getPlotItem().getAxis("bottom").labelText == "t"
    names = [label.text for _, label in plot.legend.items]
    assert names[:2] == ["f(t)", "f′(t)"]


def test_a_new_variable_renames_the_legend_in_place_and_new_curves_rebuild_it(plot):
    f = parse("sin(x)")
    plot.set_functions(f, f.derivative())
    before = list(plot.legend.items)
    plot.set_variable("theta")  # "th" typed on the way to "theta" names the legend at once
    assert [label.text for _, label in plot.legend.items][:2] == ["f(theta)", "f′(theta)"]
    # the same entries, renamed: nothing built again
    assert [id(entry) for pair in plot.legend.items for entry in pair] == [
        id(entry) for pair in before for entry in pair
    ]
    QApplication.processEvents()
    for _, label in plot.legend.items:  # each name has room for its text
        assert label.width() >= label.item.boundingRect().width() - 1
    assert plot.legend.width() >= max(label.width() for _, label in plot.legend.items)
    plot.set_second_derivative_visible(True)  # another curve: built again, in order
    assert [label.text for _, label in plot.legend.items][:3] == [
        "f(theta)",
        "f′(theta)",
        "f″(theta)",
    ]


def test_click_on_the_plot_emits_its_x(plot, qtbot, cubic):
    plot.set_functions(*cubic[:2])
    qtbot.wait(20)  # let the axes settle their width before mapping data to pixels
    for x, y in ((1.7, 3.0), (-3.2, -2.0)):
        with qtbot.waitSignal(plot.plotClicked, timeout=1000) as blocker:
            qtbot.mouseClick(plot.viewport(), Qt.MouseButton.LeftButton, pos=to_pixel(plot, x, y))
        pixel = 10.0 / plot.getViewBox().width()
        assert blocker.args[0] == pytest.approx(x, abs=2 * pixel)


def test_dragging_the_handle_keeps_it_on_the_curve(plot, qtbot, cubic):
    f, df, _ = cubic
    plot.set_functions(f, df)
    plot.set_tangent(tangent_at(f, df, 1.0))
    dragged = []

    def follow(x: float) -> None:
        # What the window does; re-placing the handle must not emit again.
        dragged.append(x)
        plot.set_tangent(tangent_at(f, df, x))

    plot.tangentDragged.connect(follow)
    qtbot.wait(20)  # let the axes settle their width before mapping data to pixels
    viewport = plot.viewport()
    start = to_pixel(plot, 1.0, float(f(1.0)))
    qtbot.mouseMove(viewport, start)
    qtbot.mousePress(viewport, Qt.MouseButton.LeftButton, pos=start)
    moves = [to_pixel(plot, x, float(f(1.0))) for x in np.linspace(1.1, 2.0, 6)]
    for pos in moves:
        # QTest's mouseMove sends no buttons, so a drag needs the event made by hand;
        # pyqtgraph drops moves closer than 10 ms apart (its mouseRateLimit).
        qtbot.wait(12)
        QApplication.sendEvent(viewport, held_move(viewport, pos))
    qtbot.mouseRelease(viewport, Qt.MouseButton.LeftButton, pos=moves[-1])

    pixel = 10.0 / plot.getViewBox().width()
    assert 1 <= len(dragged) <= len(moves)
    assert dragged[-1] == pytest.approx(2.0, abs=2 * pixel)
    handle = plot.tangent_handle.pos()
    assert handle.x() == pytest.approx(dragged[-1])
    assert handle.y() == pytest.approx(float(f(handle.x())))  # on the curve, not the mouse
    xs, ys = data(plot.tangent_line)
    np.testing.assert_allclose(ys, tangent_at(f, df, dragged[-1])(xs))
    assert plot.view_x_range() == (-5.0, 5.0)  # the drag moved the point, not the view


def _crosses_the_view(plot, xs: np.ndarray, ys: np.ndarray) -> bool:
    """Each end of the drawn line is at a side of the view, or above or below it."""
    (x_min, x_max), (y_min, y_max) = plot.getViewBox().viewRange()
    return all(
        x == pytest.approx(edge) or not y_min <= y <= y_max
        for x, y, edge in zip(xs, ys, (x_min, x_max), strict=True)
    )


def test_tangent_line_spans_the_view_and_follows_a_pan(plot, cubic):
    f, df, _ = cubic
    plot.set_functions(f, df)
    tangent = tangent_at(f, df, 1.5)  # slope 3.75, f(1.5) = -1.125
    plot.set_tangent(tangent)
    xs, ys = data(plot.tangent_line)
    np.testing.assert_allclose(ys, 3.75 * xs - 6.75)
    assert _crosses_the_view(plot, xs, ys)
    # Cut to the part within the view and a twentieth more: y from -5.5 to 5.5.
    np.testing.assert_allclose(xs, [(-5.5 + 6.75) / 3.75, (5.5 + 6.75) / 3.75])
    assert plot.tangent_handle.isVisible()
    assert (plot.tangent_handle.pos().x(), plot.tangent_handle.pos().y()) == (1.5, -1.125)
    plot.setRange(xRange=(10.0, 12.0), yRange=(25.0, 40.0), padding=0)
    plot.resample_now()
    xs, ys = data(plot.tangent_line)
    np.testing.assert_allclose(xs, [10.0, 12.0])
    np.testing.assert_allclose(ys, [3.75 * 10 - 6.75, 3.75 * 12 - 6.75])
    assert _crosses_the_view(plot, xs, ys)
    plot.set_tangent(None)
    assert data(plot.tangent_line)[0].size == 0
    assert not plot.tangent_handle.isVisible()


def test_secant_draws_line_point_rise_and_run(plot, cubic):
    f, df, _ = cubic
    plot.set_functions(f, df)
    plot.set_secant(secant(f, 1.0, 0.5))  # f(1) = -2, f(1.5) = -1.125, slope 1.75
    overlay = plot.secant_overlay
    xs, ys = data(overlay.line)
    np.testing.assert_allclose(ys, 1.75 * (xs - 1) - 2)
    assert _crosses_the_view(plot, xs, ys)
    np.testing.assert_allclose(xs, [-1.0, 5.0])  # from y = -5.5, a twentieth below the view
    assert overlay.point.isVisible()
    assert (overlay.point.pos().x(), overlay.point.pos().y()) == (1.5, -1.125)
    np.testing.assert_allclose(np.vstack(data(overlay.run_leg)), [[1.0, 1.5], [-2.0, -2.0]])
    np.testing.assert_allclose(np.vstack(data(overlay.rise_leg)), [[1.5, 1.5], [-2.0, -1.125]])
    assert overlay.run_label.textItem.toPlainText() == "run h = 0.5"
    assert overlay.rise_label.textItem.toPlainText() == "rise = 0.875"
    assert overlay.run_leg.opts["pen"].style() == Qt.PenStyle.DashLine
    plot.set_secant(None)
    for item in (overlay.line, overlay.run_leg, overlay.rise_leg):
        assert data(item)[0].size == 0
    assert not overlay.point.isVisible()
    assert not overlay.run_label.isVisible()


def test_export_png_writes_the_curves(plot, cubic, tmp_path):
    f, df, _ = cubic
    plot.set_functions(f, df)
    plot.set_tangent(tangent_at(f, df, 1.0))
    path = tmp_path / "plot.png"
    plot.export_png(str(path), width=800)
    image = QImage(str(path))
    assert image.width() == 800
    colours = {
        image.pixelColor(x, y).name() for x in range(0, 800, 2) for y in range(image.height())
    }
    assert palette.TANGENT in colours
    with pytest.raises(OSError):
        plot.export_png(str(tmp_path / "missing" / "plot.png"))


def test_soak_many_updates_and_repaints(qtbot):
    plot = PlotView()
    qtbot.addWidget(plot)
    plot.resize(200, 150)
    plot.show()
    qtbot.waitExposed(plot)
    viewport = plot.viewport()
    for i in range(3000):
        slope = 1.0 + (i % 7)
        plot.set_functions(lambda x, s=slope: s * x, lambda x, s=slope: s + 0 * x)
        viewport.repaint()
    xs, ys = data(plot.function_curve)
    np.testing.assert_allclose(ys, (1.0 + 2999 % 7) * xs)


def test_clicking_a_legend_name_toggles_its_curve(qtbot, plot):
    f = parse("x^2")
    plot.set_functions(f, f.derivative())
    clicked = []
    plot.plotClicked.connect(clicked.append)
    label = next(label for _, label in plot.legend.items if label.text == "f′(x)")
    where = plot.mapFromScene(label.sceneBoundingRect().center())
    qtbot.mouseClick(plot.viewport(), Qt.MouseButton.LeftButton, pos=where)
    assert not plot.derivative_curve.isVisible()
    assert plot.function_curve.isVisible()
    qtbot.mouseClick(plot.viewport(), Qt.MouseButton.LeftButton, pos=where)
    assert plot.derivative_curve.isVisible()
    assert clicked == []  # about the legend, not a point of the plot


@pytest.mark.parametrize(("a", "h"), [(1.0, 1.0), (1.0, 0.05), (4.6, 0.3), (-4.8, -0.1)])
def test_secant_labels_clear_the_point_and_stay_in_the_plot(qtbot, plot, a, h):
    f = parse("x^2")
    plot.set_functions(f, f.derivative())
    plot.setRange(xRange=(-5, 5), yRange=(-5, 30), padding=0)
    plot.set_tangent(tangent_at(f, f.derivative(), a))
    plot.set_secant(secant(f, a, h))
    QApplication.processEvents()
    overlay = plot.secant_overlay
    marker = plot.tangent_handle.sceneBoundingRect()
    inside = plot.getViewBox().sceneBoundingRect()
    run = overlay.run_label.sceneBoundingRect()
    rise = overlay.rise_label.sceneBoundingRect()
    assert not run.intersects(marker), (run, marker)
    assert not rise.intersects(overlay.point.sceneBoundingRect().adjusted(2, 2, -2, -2))
    assert not run.intersects(rise)
    for label in (run, rise):
        assert inside.contains(label), (label, inside)


def test_the_ticks_are_worked_out_once_per_range_and_the_grid_lies_on_them(
    qtbot, monkeypatch, plot
) -> None:
    import pyqtgraph as pg

    from tests.ui.window_helpers import count_calls

    plot.setRange(xRange=(-5, 5), yRange=(-2, 10), padding=0)
    plot.grab()
    asked = count_calls(monkeypatch, pg.AxisItem, "tickSpacing")
    plot.getViewBox().translateBy(x=0.25)  # a pan along x: the y ticks stay
    plot.grab()
    bottom, left = plot.getPlotItem().getAxis("bottom"), plot.getPlotItem().getAxis("left")
    # Worked out for the new x range (once for the grid, once for the axis's own length),
    # not again for y.
    assert [axis for axis in asked if axis is bottom] == [bottom, bottom]
    assert [axis for axis in asked if axis is left] == []
    plot.getViewBox().translateBy(x=-0.25)  # back: both x ranges were kept
    plot.grab()
    assert len(asked) == 2
    # The grid's vertical lines are at the bottom axis's ticks for the range shown.
    (x0, x1), _ = plot.getViewBox().viewRange()
    ticks = np.concatenate([values for _, values in bottom.tickValues(x0, x1, bottom.width())])
    lines = plot.grid.positions()
    drawn = np.unique(lines["major"][0] + lines["minor"][0])
    shown = ticks[(ticks >= x0) & (ticks <= x1)]
    assert set(np.round(drawn, 9)) <= set(np.round(ticks, 9))
    assert np.isin(np.round(shown[:: max(1, len(shown) // 5)], 9), np.round(drawn, 9)).any()


def test_the_grid_is_drawn_at_its_positions_and_follows_a_pan(plot) -> None:
    from PySide6.QtGui import QColor

    def colour_near(image: QImage, x: int, y: int) -> set[str]:
        return {image.pixelColor(x + dx, y).name() for dx in (-1, 0, 1)}

    row_y = 0.5  # a row clear of the legend and the axes' labels
    for shift in (0.0, 0.37):
        plot.setRange(xRange=(-5 + shift, 5 + shift), yRange=(-2, 10), padding=0)
        image = plot.grab().toImage()
        lines = plot.grid.positions()
        assert lines["zero"] == ([0.0], [0.0])
        expected = {"major": palette.GRID_MAJOR, "minor": palette.GRID_MINOR}
        for kind, colour in expected.items():
            assert lines[kind][0], kind
            for x in lines[kind][0]:
                if x == 0.0 or not -4.9 + shift < x < 4.9 + shift:
                    continue  # the axis x = 0 is drawn over it; the view's edges clip
                pixel = to_pixel(plot, x, row_y)
                assert QColor(colour).name() in colour_near(image, pixel.x(), pixel.y()), (kind, x)
        zero = to_pixel(plot, 0.0, row_y)
        assert QColor(palette.GRID_ZERO).name() in colour_near(image, zero.x(), zero.y())
        horizontal = to_pixel(plot, -4.6 + shift, 0.0)
        assert QColor(palette.GRID_ZERO).name() in {
            image.pixelColor(horizontal.x(), horizontal.y() + dy).name() for dy in (-1, 0, 1)
        }
        # Between two lines: the background.
        vertical = sorted(lines["minor"][0] + lines["major"][0])
        middle = to_pixel(plot, 0.5 * (vertical[1] + vertical[2]), row_y)
        assert image.pixelColor(middle.x(), middle.y()).name() == "#ffffff"


def test_a_derivative_that_is_huge_beside_zero_is_still_drawn(plot) -> None:
    # f′ of x·sin(1/x) is 10^15 beside 0; Qt draws nothing of a path with such a point.
    f = parse("x*sin(1/x)")
    df = f.derivative()
    from calcstudio.core.sampling import sample_curve

    for width in range(600, 800):  # a size whose samples come within 1e-12 of 0
        plot.resize(width, 480)
        QApplication.processEvents()
        plot.setRange(xRange=(-3, 3), yRange=(-1.6, 1.6), padding=0)
        pixels, height = plot._pixel_size()
        _, ys = sample_curve(df, -3.0, 3.0, pixels, (-1.6, 1.6), pixel_height=height)
        if np.nanmax(np.abs(ys)) > 1e12:
            break
    else:
        pytest.fail("no plot width samples f′ beside 0")
    plot.set_functions(f, df, None)
    image = plot.grab().toImage()
    hits = 0
    for x in (-2.5, -1.5, 1.5, 2.5):  # where f′ is small and on screen
        pixel = to_pixel(plot, x, float(df(np.array([x]))[0]))
        near = [
            image.pixelColor(pixel.x() + dx, pixel.y() + dy)
            for dx in (-1, 0, 1)
            for dy in (-1, 0, 1)
        ]
        # f′'s red (#d62728), blended by antialiasing, and nothing else is reddish there.
        hits += any(c.red() - c.green() > 40 and c.red() - c.blue() > 40 for c in near)
    assert hits == 4


def test_no_context_menu_is_built_and_a_right_click_changes_nothing(plot, cubic, qtbot):
    item, view_box = plot.getPlotItem(), plot.getViewBox()
    assert view_box.menu is None and not view_box.menuEnabled() and not item.menuEnabled()
    plot.set_functions(*cubic)
    before = view_box.viewRange()
    qtbot.mouseClick(plot.viewport(), Qt.MouseButton.RightButton, pos=to_pixel(plot, 0.5, 0.5))
    assert QApplication.activePopupWidget() is None
    assert view_box.viewRange() == before


def test_a_plot_shows_no_tangent_or_secant_until_a_lesson_asks(qtbot, cubic):
    view = PlotView()
    qtbot.addWidget(view)
    view.set_functions(*cubic)
    view.set_tangent(tangent_at(cubic[0], cubic[1], 1.0))
    assert [label.text for _, label in view.legend.items] == ["f(x)", "f′(x)"]
    assert not view.tangent_line.isVisible() and not view.tangent_handle.isVisible()
    view.set_tangent_and_secant_shown(True)
    assert [label.text for _, label in view.legend.items] == ["f(x)", "f′(x)", "tangent", "secant"]
    assert view.tangent_line.isVisible() and view.tangent_handle.isVisible()
