"""The descent animator's frame cost: one step, ball, 2,000-point trail, readouts, loss plot.

A plot and the descent panel run offscreen in one window. Each run is first advanced to
2,000 points (untimed), then each timed frame is what the animation timer does, a step of
every run and a redraw of overlay, readouts, verdicts and loss plot, followed by the
repaint Qt then performs. The same frame done the notebook way (matplotlib Agg redraw of
curve, trail, ball and loss plot) is timed for comparison.

Run with ``python -m calcstudio.benchmark.descent``.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable

import numpy as np

from calcstudio.benchmark.stats import median, summary

TRAIL_POINTS = 2000
"""Points in each run's trail before the timed frames."""
FRAMES = 200
"""Timed frames per measurement."""
SLOW_RATE = 1e-4
"""A rate at which no optimizer converges on x² from 5 within the benchmark's steps."""


def _frames(
    report: Callable[[str], None], race: list[str] | None, label: str, budget_ms: float
) -> list[float]:
    import pyqtgraph as pg
    from PySide6.QtWidgets import QApplication, QHBoxLayout, QVBoxLayout, QWidget

    from calcstudio.core.function import parse
    from calcstudio.ui.descent_panel import DescentPanel

    app = QApplication.instance() or QApplication([])
    window = QWidget()
    plot = pg.PlotWidget()
    plot.setBackground("w")
    plot.addLegend()
    panel = DescentPanel(plot_item=plot.getPlotItem())
    layout = QHBoxLayout(window)
    column = QVBoxLayout()
    column.addWidget(plot, 3)
    column.addWidget(panel.loss_plot, 1)
    layout.addLayout(column, 3)
    layout.addWidget(panel, 2)
    window.resize(1280, 800)
    window.show()

    f = parse("x^2")
    df = f.derivative()
    x = np.linspace(-6.0, 6.0, 2000)
    plot.plot(x, f(x), pen=pg.mkPen("#1f77b4", width=1))
    panel.max_steps_spin.setValue(TRAIL_POINTS + 2 * FRAMES)
    for key in race or ["gd"]:
        panel.chooser.set_value(key, "learning_rate", SLOW_RATE)
    panel.chooser.set_race(race)
    panel.set_function(f, df, df.derivative(), "x^2")
    panel.place_ball(5.0)
    for _, run in panel.runs:
        while run.step_count < TRAIL_POINTS - 1:
            run.step()
    panel.step()
    app.processEvents()

    times = []
    for _ in range(FRAMES):
        started = time.perf_counter()
        panel.step()
        app.processEvents()  # delivers the repaints of the plot, the readouts and the loss plot
        times.append(time.perf_counter() - started)
    assert all(not run.finished for _, run in panel.runs), "a run stopped during the benchmark"
    points = min(run.step_count + 1 for _, run in panel.runs)
    report(
        f"{label}, trails of {TRAIL_POINTS}-{points} points: {summary(times)} "
        f"(budget {budget_ms:.0f} ms)"
    )
    window.close()
    return times


def _notebook_frames() -> list[float]:
    """The same frame in matplotlib, the way a notebook animates it: update data, redraw."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(12.8, 8.0), dpi=100)
    FigureCanvasAgg(figure)
    curve_axes, loss_axes = figure.subplots(1, 2)
    x = np.linspace(-6.0, 6.0, 2000)
    curve_axes.plot(x, x**2)
    w = 5.0 * (1 - 2 * SLOW_RATE) ** np.arange(TRAIL_POINTS + FRAMES)
    (trail,) = curve_axes.plot([], [], "o-", markersize=2)
    (ball,) = curve_axes.plot([], [], "o", markersize=12)
    (loss,) = loss_axes.plot([], [])
    times = []
    for k in range(TRAIL_POINTS, TRAIL_POINTS + FRAMES):
        started = time.perf_counter()
        trail.set_data(w[:k], w[:k] ** 2)
        ball.set_data([w[k - 1]], [w[k - 1] ** 2])
        loss.set_data(np.arange(k), w[:k] ** 2)
        loss_axes.relim()
        loss_axes.autoscale_view()
        curve_axes.set_title(f"k = {k}, w = {w[k - 1]:.3f}")
        figure.canvas.draw()
        times.append(time.perf_counter() - started)
    return times


def run(report: Callable[[str], None] = print) -> dict[str, float]:
    """Measure the frame costs and report each as a line of text.

    Parameters
    ----------
    report
        Called with each line of the report.

    Returns
    -------
    dict
        Median frame times in ms: ``"single"``, ``"race"`` and, with matplotlib,
        ``"notebook"``.
    """
    from calcstudio.core.optimize import OPTIMIZERS

    single = _frames(report, None, "gradient descent", 4.0)
    race = _frames(report, list(OPTIMIZERS), f"race of {len(OPTIMIZERS)} optimizers", 8.0)
    medians = {"single": median(single) * 1000, "race": median(race) * 1000}
    try:
        notebook = _notebook_frames()
    except ImportError:
        report("the notebook way: matplotlib is not installed")
        return medians
    medians["notebook"] = median(notebook) * 1000
    report(f"the notebook way (matplotlib Agg redraw of the same frame): {summary(notebook)}")
    ratio = median(notebook) / median(single)
    report(f"ratio notebook / CalcStudio single-run frame (medians): {ratio:.0f}x")
    return medians


if __name__ == "__main__":
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    run()
