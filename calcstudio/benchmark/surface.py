"""The surface lesson's budgets: landscape on pan/zoom, dragging the point, descent frames,
and the first landscape after a keystroke, beside matplotlib doing the same in this run.

The lesson runs offscreen with real widgets. Each timed action is what the learner's
gesture causes (a pan, a drag of the point, an animation frame, a new function), followed
by the repaint Qt then performs (``processEvents``).

Run with ``python -m calcstudio.benchmark.surface``.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable

import numpy as np

from calcstudio.benchmark.stats import median, summary

ROSENBROCK = "L(x, y) = (1 - x)^2 + 100(y - x^2)^2"
VIEW = ((-2.0, 2.0), (-1.0, 3.0))
SAMPLES = 60
"""Timed repetitions of each gesture."""
PATH_POINTS = 2000
"""Points in each racer's path before the timed descent frames."""


class _Host:
    """What the window offers the lesson: a formula panel (the worker's part is not timed)."""

    def __init__(self) -> None:
        from calcstudio.ui.widgets.math_view import MathView

        self.formulas = MathView()

    def set_function_text(self, text: str, *, fit: bool = False) -> None:
        """Nothing to type into."""

    def show_status(self, message: str, timeout_ms: int = 5000) -> None:
        """No status bar."""


def _lesson():  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QApplication

    from calcstudio.core.language import parse_tree
    from calcstudio.ui.surface.lesson import SurfaceLesson
    from calcstudio.ui.window.lesson import ShownFunction

    app = QApplication.instance() or QApplication([])
    lesson = SurfaceLesson(_Host())  # type: ignore[arg-type]
    lesson.view.resize(1100, 800)
    lesson.view.show()
    lesson.panel.resize(420, 900)
    lesson.panel.show()
    tree = parse_tree(ROSENBROCK)
    lesson.set_function(ShownFunction(ROSENBROCK, tree, tree.variables))
    lesson.landscape.set_view(*VIEW)
    app.processEvents()
    return app, lesson


def _pan_zoom(app, lesson) -> list[float]:  # type: ignore[no-untyped-def]
    times = []
    for k in range(SAMPLES):
        shift = 0.02 * (k % 10)
        zoom = 1.0 + 0.01 * (k % 7)
        started = time.perf_counter()
        lesson.landscape.plot.setRange(
            xRange=(VIEW[0][0] * zoom + shift, VIEW[0][1] * zoom + shift),
            yRange=(VIEW[1][0] * zoom - shift, VIEW[1][1] * zoom - shift),
            padding=0,
        )
        app.processEvents()
        times.append(time.perf_counter() - started)
    lesson.critical_timer.stop()
    return times


def _matplotlib_landscape() -> list[float]:
    """The same landscape the notebook way: contourf + contour + labels, Agg redraw."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    from calcstudio.core.surface.fields import surface
    from calcstudio.core.surface.landscape import contour_levels

    function = surface(ROSENBROCK)
    figure = Figure(figsize=(11.0, 8.0), dpi=100)
    FigureCanvasAgg(figure)
    axes = figure.subplots()
    times = []
    for k in range(SAMPLES // 3):
        shift = 0.02 * (k % 10)
        started = time.perf_counter()
        x = np.linspace(VIEW[0][0] + shift, VIEW[0][1] + shift, 400)
        y = np.linspace(VIEW[1][0] - shift, VIEW[1][1] - shift, 400)
        grid_x, grid_y = np.meshgrid(x, y)
        values = function.value(grid_x, grid_y)
        levels = contour_levels(values)
        bounds = np.concatenate(([values.min()], levels, [values.max()]))
        axes.clear()
        axes.contourf(grid_x, grid_y, values, levels=bounds)
        lines = axes.contour(grid_x, grid_y, values, levels=levels, colors="k", linewidths=0.8)
        axes.clabel(lines, fontsize=8)
        figure.canvas.draw()
        times.append(time.perf_counter() - started)
    return times


def _drag(app, lesson) -> list[float]:  # type: ignore[no-untyped-def]
    times = []
    for k in range(SAMPLES):
        angle = 2 * np.pi * k / SAMPLES
        started = time.perf_counter()
        lesson.landscape.point.setPos(np.cos(angle), 1.0 + np.sin(angle))  # as a drag does
        app.processEvents()
        times.append(time.perf_counter() - started)
    return times


def _descent(app, lesson) -> tuple[list[float], int]:  # type: ignore[no-untyped-def]
    from calcstudio.core.optimize import OPTIMIZERS

    descent = lesson.descent
    lesson.find_critical_points()
    descent.max_steps_spin.setValue(PATH_POINTS + 4 * SAMPLES)
    keys = list(OPTIMIZERS)
    for key in keys:  # slow enough that nobody converges during the benchmark
        descent.chooser.set_value(key, "learning_rate", 1e-5 if key != "newton" else 1e-3)
    descent.chooser.set_race(keys)
    descent.place_start(-1.2, 1.0)
    for _, run in descent.runs:
        while run.step_count < PATH_POINTS - 1:
            run.step()
    descent.step()
    app.processEvents()
    times = []
    for _ in range(SAMPLES):
        started = time.perf_counter()
        descent.step()
        app.processEvents()
        times.append(time.perf_counter() - started)
    assert all(not run.finished for _, run in descent.runs), "a racer stopped early"
    return times, len(descent.runs)


def _keystrokes(app, lesson) -> list[float]:  # type: ignore[no-untyped-def]
    """A new function each time: parse, landscape, point, descent reset, repaint."""
    from calcstudio.core.language import parse_tree
    from calcstudio.ui.window.lesson import ShownFunction

    lesson.descent.chooser.set_race(None)
    texts = [f"L(x, y) = (1 - x)^2 + {k}(y - x^2)^2" for k in range(10, 10 + SAMPLES // 2)]
    times = []
    for text in texts:
        started = time.perf_counter()
        tree = parse_tree(text)
        lesson.set_function(ShownFunction(text, tree, tree.variables))
        app.processEvents()
        times.append(time.perf_counter() - started)
        lesson.critical_timer.stop()
    return times


def run(report: Callable[[str], None] = print) -> dict[str, float]:
    """Measure the surface lesson and report each figure as a line of text.

    Returns
    -------
    dict
        Median times in ms: ``"pan"``, ``"matplotlib"``, ``"drag"``, ``"descent"``,
        ``"keystroke"``.
    """
    app, lesson = _lesson()
    pans = _pan_zoom(app, lesson)
    report(f"landscape 400×400, 12 levels, re-computed and repainted on pan/zoom: {summary(pans)}")
    report("  (budget: median <= 16 ms)")
    notebook = _matplotlib_landscape()
    report(f"  matplotlib contourf + contour + labels, Agg redraw: {summary(notebook)}")
    report(f"  ratio matplotlib / CalcStudio (medians): {median(notebook) / median(pans):.1f}x")
    drags = _drag(app, lesson)
    report(f"dragging the point (arrows, slices, readouts): {summary(drags)} (budget 8 ms)")
    frames, racers = _descent(app, lesson)
    report(
        f"descent frame, {racers} racers with {PATH_POINTS}-point paths: {summary(frames)} "
        "(budget 8 ms)"
    )
    keys = _keystrokes(app, lesson)
    report(f"new function to first landscape on screen: {summary(keys)} (budget 50 ms)")
    lesson.stop()
    lesson.view.close()
    lesson.panel.close()
    return {
        "pan": median(pans) * 1000,
        "matplotlib": median(notebook) * 1000,
        "drag": median(drags) * 1000,
        "descent": median(frames) * 1000,
        "keystroke": median(keys) * 1000,
    }


if __name__ == "__main__":
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    run()
