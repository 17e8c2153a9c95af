"""The loss plot draws per-column extremes, updated from the new steps only."""

from __future__ import annotations

import numpy as np
import pytest

from calcstudio.ui.widgets.loss_plot import LossPlot


@pytest.fixture
def plot(qtbot) -> LossPlot:
    widget = LossPlot()
    qtbot.addWidget(widget)
    widget.resize(500, 300)
    widget.show()
    qtbot.waitExposed(widget)
    widget.show_runs(["#1f77b4"])
    return widget


def _expected(plot: LossPlot, losses: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per-column highest and lowest loss, computed here from all the losses at once."""
    view = plot.plot.getViewBox()
    columns = max(int(view.width()), 100)
    per_column = int(np.ceil(max(view.viewRange()[0][1], 1.0) / columns))
    xs, ys = [], []
    for start in range(0, losses.size, per_column):
        group = losses[start : start + per_column]
        xs += [start, start]
        ys += [group.max(), group.min()]
    return np.array([*xs, losses.size - 1.0]), np.array([*ys, losses[-1]])


@pytest.mark.parametrize("log", [False, True])
def test_growing_run_is_drawn_as_if_drawn_at_once(plot: LossPlot, log: bool) -> None:
    plot.log_box.setChecked(log)
    rng = np.random.default_rng(7)
    losses = np.abs(25 * np.exp(-np.arange(30_000) * 2e-4) + rng.normal(0, 0.5, 30_000))
    for end in (5, 400, 2_000, 9_999, 10_000, 10_001, 23_456, 30_000):
        plot.set_losses(0, losses[:end])
    xs, ys = plot.curves[0].getData()
    heights = np.log10(losses) if log else losses
    expected_x, expected_y = _expected(plot, heights)
    np.testing.assert_array_equal(xs, expected_x)
    np.testing.assert_allclose(ys, expected_y, rtol=1e-12)
    assert xs.size < 2_000  # a few points per pixel column, not 30,000


def test_losses_below_zero_are_left_out_on_a_log_scale(plot: LossPlot) -> None:
    plot.log_box.setChecked(True)
    losses = np.concatenate((np.full(5_000, -1.0), np.logspace(2, -2, 5_000)))
    plot.set_losses(0, losses[:4_000])  # nothing positive yet: nothing drawn
    assert plot.curves[0].getData()[0] is None or plot.curves[0].getData()[0].size == 0
    plot.set_losses(0, losses)
    xs, ys = plot.curves[0].getData()
    assert xs.min() > 4_900 and np.all(np.isfinite(ys))  # a column starts at its first step
    assert ys.max() == pytest.approx(2.0) and ys.min() == pytest.approx(-2.0)
    assert "cannot be shown" in plot.note.text()


def test_a_step_that_moves_the_curve_less_than_half_a_pixel_is_not_drawn_again(
    plot: LossPlot, monkeypatch: pytest.MonkeyPatch
) -> None:
    losses = 25 * np.exp(-np.arange(6_000) * 2e-4)
    plot.set_losses(0, losses[:5_000])  # a long run: a pixel column holds a few dozen steps
    curve = plot.curves[0]
    drawn: list[int] = []
    set_data = curve.setData
    monkeypatch.setattr(curve, "setData", lambda *a: (drawn.append(1), set_data(*a)))
    view = plot.plot.getViewBox()
    frames = 60
    for end in range(5_001, 5_001 + frames):
        plot.set_losses(0, losses[:end])
        # what is on show is the curve of all the losses so far, to half a pixel
        xs, ys = curve.getData()
        expected_x, expected_y = _expected(plot, losses[:end])
        (x_low, x_high), (y_low, y_high) = view.viewRange()
        assert xs.size == expected_x.size  # a new column is always drawn
        assert np.max(np.abs(xs - expected_x)) * view.width() / (x_high - x_low) < 0.5
        assert np.max(np.abs(ys - expected_y)) * view.height() / (y_high - y_low) < 0.5
    # most steps moved it by a fraction of a pixel: a few redraws, not one per step
    assert 2 <= len(drawn) <= frames // 4


def test_a_small_loss_is_read_off_the_axis_as_it_is(plot: LossPlot) -> None:
    # pyqtgraph's default would scale these by 1000 and title the axis "(x0.001)"
    plot.set_losses(0, np.array([0.05, 0.03, 0.01, 0.004]))
    axis = plot.plot.getPlotItem().getAxis("left")
    assert "(x0" not in axis.labelString() and axis.autoSIPrefixScale == 1.0
    assert axis.tickStrings([0.0, 0.05], axis.autoSIPrefixScale, 0.05) == ["0", "0.05"]


def test_all_runs_at_once_draw_what_each_run_alone_draws(qtbot) -> None:
    # set_all_losses reads the view once a frame; when the first run widens the axes, the
    # runs after it must be drawn for the widened axes, as set_losses would draw them.
    plots = []
    for _ in range(2):
        widget = LossPlot()
        qtbot.addWidget(widget)
        widget.resize(500, 300)
        widget.show()
        qtbot.waitExposed(widget)
        widget.show_runs(["#1f77b4", "#ff7f0e", "#2ca02c"])
        plots.append(widget)
    together, alone = plots
    rng = np.random.default_rng(11)
    runs = [
        np.abs(scale * np.exp(-np.arange(20_000) * rate) + rng.normal(0, 0.3, 20_000))
        for scale, rate in ((30.0, 3e-4), (5.0, 1e-4), (80.0, 5e-4))
    ]
    for end in (3, 4, 30, 31, 700, 1_500, 1_501, 6_000, 19_999, 20_000):
        frame = [losses[: end + 7 * index] for index, losses in enumerate(runs)]
        together.set_all_losses(frame)
        for index, losses in enumerate(frame):
            alone.set_losses(index, losses)
        assert together.plot.getViewBox().viewRange() == alone.plot.getViewBox().viewRange()
        for ours, theirs in zip(together.curves, alone.curves, strict=True):
            for a, b in zip(ours.getData(), theirs.getData(), strict=True):
                np.testing.assert_array_equal(a, b)
