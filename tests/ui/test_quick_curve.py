"""QuickCurve gives the bounds pyqtgraph's curve gives, and keeps its data's extent over a pan."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
import pytest
from PySide6.QtCore import QRectF
from PySide6.QtWidgets import QApplication

from calcstudio.ui.widgets.quick_curve import QuickCurve

NAN, INF = float("nan"), float("inf")

DATA = {
    "dense sine": (np.linspace(-4, 4, 900), np.sin(np.linspace(-4, 4, 900))),
    "gaps": (np.array([0.0, 1.0, 2.0, 3.0]), np.array([NAN, 5.0, NAN, -2.0])),
    "one point": (np.array([2.5]), np.array([-1.5])),
    "flat": (np.array([-1.0, 1.0]), np.array([3.0, 3.0])),
    "all undefined": (np.array([0.0, 1.0]), np.array([NAN, NAN])),
    "infinite": (np.array([0.0, 1.0, 2.0]), np.array([1.0, INF, -3.0])),
    "empty": (np.empty(0), np.empty(0)),
}

PENS = {
    "thin": {"pen": pg.mkPen("#336699", width=1)},
    "wide": {"pen": pg.mkPen("#336699", width=3)},
    "data-unit width": {"pen": pg.mkPen("#336699", width=0.2, cosmetic=False)},
    "filled": {"pen": pg.mkPen("#336699", width=2), "fillLevel": -4.0, "brush": "#ccc"},
}


def _pair(plot: pg.PlotWidget, xs, ys, options) -> tuple[QuickCurve, pg.PlotCurveItem]:
    quick = QuickCurve(**options)
    plain = pg.PlotCurveItem(**options)
    for item in (quick, plain):
        item.setData(xs, ys)
        plot.addItem(item)
    return quick, plain


def _same(a: QRectF, b: QRectF) -> bool:
    if a.isNull() or b.isNull():
        return a.isNull() and b.isNull()
    ours = [a.left(), a.top(), a.width(), a.height()]
    theirs = [b.left(), b.top(), b.width(), b.height()]
    return bool(np.allclose(ours, theirs, rtol=1e-12, atol=1e-12, equal_nan=True))


@pytest.mark.parametrize("pen", PENS)
@pytest.mark.parametrize("data", DATA)
def test_bounds_match_pyqtgraphs_own_before_and_after_the_view_moves(qtbot, data, pen) -> None:
    plot = pg.PlotWidget()
    qtbot.addWidget(plot)
    plot.resize(500, 400)
    plot.show()
    plot.setRange(xRange=(-5, 5), yRange=(-3, 3), padding=0)
    quick, plain = _pair(plot, *DATA[data], PENS[pen])
    QApplication.processEvents()
    for step in range(3):
        for ax in (0, 1):
            assert quick.dataBounds(ax) == pytest.approx(plain.dataBounds(ax), nan_ok=True)
            assert quick.dataBounds(ax, orthoRange=(-1.0, 1.0)) == pytest.approx(
                plain.dataBounds(ax, orthoRange=(-1.0, 1.0)), nan_ok=True
            )
        assert _same(quick.boundingRect(), plain.boundingRect()), (step, data, pen)
        # A zoom changes the pixel padding in data units; a pan does not.
        plot.getViewBox().scaleBy((0.5, 2.0) if step % 2 else (1.7, 0.6))
        plot.getViewBox().translateBy(x=0.3)
        QApplication.processEvents()


def test_new_data_and_a_new_pen_replace_the_kept_extent(qtbot) -> None:
    plot = pg.PlotWidget()
    qtbot.addWidget(plot)
    plot.show()
    quick, plain = _pair(plot, *DATA["dense sine"], PENS["thin"])
    assert quick.dataBounds(1) == pytest.approx((-1.0, 1.0), abs=1e-4)
    for item in (quick, plain):
        item.setData([0.0, 1.0], [7.0, 9.0])
    assert quick.dataBounds(1) == (7.0, 9.0)
    for item in (quick, plain):
        item.setPen(pg.mkPen("#000", width=0.5, cosmetic=False))
    assert quick.dataBounds(1) == pytest.approx(plain.dataBounds(1))
    assert _same(quick.boundingRect(), plain.boundingRect())


def test_a_zoom_keeps_the_data_extent_and_finds_only_the_padding_again(qtbot) -> None:
    plot = pg.PlotWidget()
    qtbot.addWidget(plot)
    plot.resize(500, 400)
    plot.show()
    quick, plain = _pair(plot, *DATA["dense sine"], PENS["wide"])
    QApplication.processEvents()
    first = QRectF(quick.boundingRect())
    kept = list(quick._boundsCache)
    assert all(entry is not None for entry in kept)
    plot.getViewBox().scaleBy((2.0, 2.0))
    QApplication.processEvents()
    after = quick.boundingRect()
    assert [a is b for a, b in zip(quick._boundsCache, kept, strict=True)] == [True, True]
    # Zoomed out twice, a pixel is twice as long: the 3-pixel pen's padding doubles.
    assert after.width() - 8.0 == pytest.approx(2 * (first.width() - 8.0), rel=1e-6)
    assert after.width() > first.width() > 8.0
    assert _same(after, plain.boundingRect())


SPOTS = {
    "markers in pixels": ({"size": 11, "pen": pg.mkPen("k", width=1.5)}, [1.0, -2.0, 0.5]),
    "one point": ({"size": 14}, [2.5]),
    "none": ({"size": 9}, []),
    "sizes in data units": ({"size": 0.4, "pxMode": False}, [0.0, 3.0]),
}


@pytest.mark.parametrize("spots", SPOTS)
def test_scatter_bounds_are_pyqtgraphs_and_kept_until_the_points_or_view_change(
    qtbot, spots
) -> None:
    from calcstudio.ui.widgets.quick_curve import QuickScatter

    style, xs = SPOTS[spots]
    plot = pg.PlotWidget()
    qtbot.addWidget(plot)
    plot.resize(500, 400)
    plot.show()
    plot.setRange(xRange=(-5, 5), yRange=(-3, 3), padding=0)
    quick, plain = QuickScatter(**style), pg.ScatterPlotItem(**style)
    for item in (quick, plain):
        item.setData(xs, [0.5 * x for x in xs])
        plot.addItem(item)
    QApplication.processEvents()
    for step in range(3):
        rect = quick.boundingRect()
        assert _same(rect, plain.boundingRect()), (spots, step)
        assert quick.boundingRect() is rect  # kept while nothing changes
        plot.getViewBox().scaleBy((0.5, 2.0) if step % 2 else (1.7, 0.6))
        plot.getViewBox().translateBy(x=0.3)
        QApplication.processEvents()
    for item in (quick, plain):
        item.setData([4.0, -4.0], [2.0, -1.0], size=20)  # new points, larger spots
    assert _same(quick.boundingRect(), plain.boundingRect())
