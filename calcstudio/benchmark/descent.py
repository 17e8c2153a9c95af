"""The descent animator's frame cost: one step, ball, 2,000-point trail, readouts, loss plot.

The real window runs offscreen, on its descent tab. Each run is first advanced to
2,000 points (untimed), and, for the long race, seven runs to the descent tab's limit of
100,000 steps (about a minute of untimed stepping); then each timed frame is what the
animation timer does at 60 steps a second (:mod:`calcstudio.benchmark.animation`), a step
of every run and a redraw of overlay, readouts and loss plot (and of the verdicts on every
sixth frame), followed by the repaint Qt then performs. The same frame done the notebook way
(matplotlib Agg redraw of curve, trail, ball and loss plot) is timed for comparison.

Run with ``python -m calcstudio.benchmark.descent``.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np

from calcstudio.benchmark.animation import animation_frames
from calcstudio.benchmark.budgets import Budgets
from calcstudio.benchmark.stats import median, summary
from calcstudio.benchmark.windows import close_window

if TYPE_CHECKING:
    from calcstudio.core.engine import Engine

TRAIL_POINTS = 2000
"""Points in each run's trail before the timed frames."""
FRAMES = 200
"""Timed frames per measurement."""
SLOW_RATE = 1e-4
"""A rate at which no optimizer converges on x² from 5 within the benchmark's steps."""
LONG_TRAIL_POINTS = 100_000 - 60
"""Points in each run's trail before the long race's timed frames (the limit is 100,000)."""
LONG_FRAMES = 50
"""Timed frames of the long race."""
LONG_RATE = 1e-6
"""A rate at which no optimizer converges on x² from 5 within 100,000 steps."""


def _resident_mb() -> float:
    """This process's resident memory in MB (Linux), NaN where it cannot be read."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


def _frames(
    report: Callable[[str], None],
    race: list[str] | None,
    label: str,
    budget_ms: float,
    engine: Engine | None,
    trail_points: int = TRAIL_POINTS,
    frames: int = FRAMES,
    rate: float = SLOW_RATE,
) -> list[float]:
    from PySide6.QtWidgets import QApplication

    from calcstudio.ui.window.main_window import DESCENT_TAB, MainWindow

    app = QApplication.instance() or QApplication([])
    window = MainWindow(engine=engine, settings=None)
    window.resize(1280, 800)
    window.show()
    window.tabs.setCurrentIndex(DESCENT_TAB)
    window.set_function_text("x^2")
    window.plot.setRange(xRange=(-6.0, 6.0), yRange=(-3.0, 30.0), padding=0)
    deadline = time.monotonic() + 60  # let the formulas arrive first: they are not a frame
    while window.last_result is None and time.monotonic() < deadline:
        app.processEvents()
    panel = window.descent_panel
    panel.max_steps_spin.setValue(min(trail_points + 2 * frames, 100_000))
    for key in race or ["gd"]:
        panel.chooser.set_value(key, "learning_rate", rate)
    panel.chooser.set_race(race)
    panel.place_ball(5.0)
    memory = _resident_mb()
    for _, run in panel.runs:
        while run.step_count < trail_points - 1:
            run.step()
    panel.step()
    app.processEvents()
    memory = _resident_mb() - memory

    # processEvents delivers the repaints of the plot, the readouts and the loss plot
    times = animation_frames(panel, frames, app.processEvents)
    assert all(not run.finished for _, run in panel.runs), "a run stopped during the benchmark"
    points = min(run.step_count + 1 for _, run in panel.runs)
    report(
        f"{label}, trails of {trail_points}-{points} points: {summary(times)} "
        f"(budget {budget_ms:.0f} ms); the trails added {memory:.0f} MB resident"
    )
    close_window(window)
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


def run(
    report: Callable[[str], None] = print,
    engine: Engine | None = None,
    budgets: Budgets | None = None,
) -> dict[str, float]:
    """Measure the frame costs and report each as a line of text.

    Parameters
    ----------
    report
        Called with each line of the report.
    engine
        A started engine for the windows to share, or None for each to start its own.
    budgets
        Where to record the figures against their budgets, if given.

    Returns
    -------
    dict
        Median frame times in ms: ``"single"``, ``"race"``, ``"long_race"`` (seven runs
        at 100,000 steps) and, with matplotlib, ``"notebook"``.
    """
    from calcstudio.core.optimize import OPTIMIZERS

    single = _frames(report, None, "gradient descent", 4.0, engine)
    race = _frames(report, list(OPTIMIZERS), f"race of {len(OPTIMIZERS)} optimizers", 6.0, engine)
    long_race = _frames(
        report,
        list(OPTIMIZERS),
        f"race of {len(OPTIMIZERS)} optimizers at the 100,000-step limit",
        8.0,
        engine,
        trail_points=LONG_TRAIL_POINTS,
        frames=LONG_FRAMES,
        rate=LONG_RATE,
    )
    medians = {
        "single": median(single) * 1000,
        "race": median(race) * 1000,
        "long_race": median(long_race) * 1000,
    }
    try:
        notebook = _notebook_frames()
    except ImportError:
        report("the notebook way: matplotlib is not installed")
        return medians
    medians["notebook"] = median(notebook) * 1000
    if budgets is not None:
        budgets.add("descent frame, one run, median", medians["single"], 4, medians["notebook"])
        budgets.add("descent frame, seven racers, median", medians["race"], 6)
        budgets.add("descent frame, seven racers at 100,000 steps", medians["long_race"], 8)
    report(f"the notebook way (matplotlib Agg redraw of the same frame): {summary(notebook)}")
    ratio = median(notebook) / median(single)
    report(f"ratio notebook / CalcStudio single-run frame (medians): {ratio:.0f}x")
    return medians


if __name__ == "__main__":
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    run()
