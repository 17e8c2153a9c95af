"""TickAxis lays an axis out exactly as pyqtgraph's AxisItem does, from plain floats."""

from __future__ import annotations

import math

import pyqtgraph as pg
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PySide6.QtGui import QPainter, QPicture
from PySide6.QtWidgets import QApplication

from calcstudio.ui.widgets.axes import coarse_ticks, plain_axes
from calcstudio.ui.widgets.tick_axis import TickAxis, tick_values

RANGES = [
    (-5.0, 5.0),
    (-4.75, 5.25),
    (0.1, 0.3),
    (-1e-7, 3e-7),
    (999_990.0, 1_000_020.0),
    (-2.5e6, 7.5e6),
    (-0.004, 0.001),
    (3.0, 3.0 + 1e-9),
    (-123.456, 789.01),
    (1e11, 1.000001e11),
]


def _plot(qtbot, styled: bool) -> pg.PlotWidget:
    plot = pg.PlotWidget(axisItems={side: TickAxis(side) for side in ("bottom", "left", "right")})
    qtbot.addWidget(plot)
    plot.resize(640, 420)
    if styled:  # as the function plot sets its axes up
        plain_axes(plot.getPlotItem())
        coarse_ticks(plot.getPlotItem())
    plot.showAxis("right")
    plot.show()
    QApplication.processEvents()
    return plot


def _specs(axis: TickAxis, generate) -> tuple | None:
    picture = QPicture()
    painter = QPainter(picture)
    try:
        if axis.style["tickFont"]:
            painter.setFont(axis.style["tickFont"])
        specs = generate(axis, painter)
    finally:
        painter.end()
    if specs is None:
        return None
    (pen, start, end), ticks, texts = specs
    return (
        (pen.color().rgba(), start.x(), start.y(), end.x(), end.y()),
        [(p.color().rgba(), a.x(), a.y(), b.x(), b.y()) for p, a, b in ticks],
        [(r.x(), r.y(), r.width(), r.height(), int(flags), text) for r, flags, text in texts],
    )


@pytest.mark.parametrize("styled", [True, False], ids=["function plot's style", "default"])
def test_layout_is_pyqtgraphs_for_ranges_large_small_and_far_from_zero(qtbot, styled) -> None:
    plot = _plot(qtbot, styled)
    checked = 0
    for x_range in RANGES:
        for y_range in RANGES[::-1]:
            plot.setRange(xRange=x_range, yRange=y_range, padding=0)
            QApplication.processEvents()
            for side in ("bottom", "left", "right"):
                axis = plot.getAxis(side)
                ours = _specs(axis, TickAxis.generateDrawSpecs)
                theirs = _specs(axis, pg.AxisItem.generateDrawSpecs)
                assert ours == theirs, (side, x_range, y_range)
                checked += len(ours[2]) if ours else 0
    assert checked > 200  # labels were laid out, not only skipped


def test_an_axis_set_up_otherwise_is_laid_out_by_pyqtgraph(qtbot) -> None:
    plot = _plot(qtbot, styled=True)
    axis = plot.getAxis("bottom")
    axis.setStyle(tickAlpha=0.5, stopAxisAtTick=(True, True))
    axis.setTicks([[(0.0, "zero"), (2.5, "two and a half")]])
    plot.setRange(xRange=(-1, 4), padding=0)
    QApplication.processEvents()
    ours = _specs(axis, TickAxis.generateDrawSpecs)
    assert ours == _specs(axis, pg.AxisItem.generateDrawSpecs)
    assert [text for *_, text in ours[2]] == ["zero", "two and a half"]


def test_ticks_given_with_their_texts_are_laid_out_as_pyqtgraph_does(qtbot) -> None:
    # As the map's colour bar gives its levels: fixed ticks on a right axis.
    plot = _plot(qtbot, styled=True)
    axis = plot.getAxis("right")
    for count in (3, 12, 40):
        levels = [(i + 1.0, f"level {0.37 * i**2:.3g}") for i in range(count)]
        axis.setTicks([levels, []])
        plot.setRange(yRange=(0, count + 1), padding=0)
        QApplication.processEvents()
        ours = _specs(axis, TickAxis.generateDrawSpecs)
        assert ours == _specs(axis, pg.AxisItem.generateDrawSpecs)
        shown = [text for *_, text in ours[2]]
        assert shown and set(shown) <= {text for _, text in levels}


def test_labels_measured_once_and_forgotten_with_the_style(qtbot) -> None:
    plot = _plot(qtbot, styled=True)
    axis = plot.getAxis("bottom")
    plot.setRange(xRange=(-5, 5), padding=0)
    QApplication.processEvents()
    _specs(axis, TickAxis.generateDrawSpecs)
    assert {text for _, text in axis._label_sizes} >= {"-4", "0", "4"}
    plot.setRange(xRange=(-5, 5), yRange=(-2, 2), padding=0)  # the ticks of a new range
    assert axis.tickValues(-5.0, 5.0, 600.0) is axis.tickValues(-5.0, 5.0, 600.0)
    axis.setStyle(tickLength=-8)
    assert not axis._label_sizes and not axis._ticks


@settings(max_examples=300, deadline=None)
@given(
    low=st.floats(-1e9, 1e9),
    width=st.floats(1e-6, 1e6),
    size=st.floats(30.0, 4000.0),
    finest=st.integers(0, 2),
)
def test_tick_values_are_pyqtgraphs(qapp, low, width, size, finest) -> None:
    high = low + width
    if not math.isfinite(high) or high <= low:
        return
    axis = pg.AxisItem("bottom")
    axis.setStyle(maxTickLevel=finest)
    theirs = pg.AxisItem.tickValues(axis, low, high, size)
    ours = tick_values(axis.tickSpacing(low, high, size), low, high)
    assert ours == theirs
    kept = TickAxis("bottom")
    kept.setStyle(maxTickLevel=finest)
    assert kept.tickValues(high, low, size) == theirs  # either order of the ends


class _RecordedAxis(TickAxis):
    """The same axis drawn pyqtgraph's way: recorded in a QPicture, then replayed."""

    paint = pg.AxisItem.paint


def test_drawn_straight_it_looks_as_recorded_and_replayed(qtbot) -> None:
    plots = []
    for kind in (TickAxis, _RecordedAxis):
        plot = pg.PlotWidget(axisItems={side: kind(side) for side in ("bottom", "left", "right")})
        qtbot.addWidget(plot)
        plot.resize(520, 360)
        plot.showAxis("right")
        plot.getAxis("right").setTicks([[(1.0, "one"), (2.5, "2.5"), (4.0, "four")], []])
        plot.show()
        plots.append(plot)
    QApplication.processEvents()
    for x_range, y_range in [
        ((-5, 5), (-2, 10)),
        ((0.1, 0.3), (0, 4.5)),
        ((1e6, 1e6 + 30), (-1, 1)),
    ]:
        images = []
        for plot in plots:
            plot.setRange(xRange=x_range, yRange=y_range, padding=0)
            QApplication.processEvents()
            plot.grab()  # a label's width may widen the axis: the layout settles after a paint
            QApplication.processEvents()
            images.append(plot.grab().toImage())
        assert images[0] == images[1], (x_range, y_range)
        assert plots[0].getAxis("bottom").picture is not None  # laid out, and kept
