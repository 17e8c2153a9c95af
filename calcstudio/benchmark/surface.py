"""The surface lesson's budgets: landscape on pan/zoom, dragging the point, descent frames,
and the first landscape after a keystroke, beside matplotlib doing the same in this run.

The real window runs offscreen on the surface tab. Each timed action is what the learner's
gesture causes (a pan, a drag of the point, an animation frame, a key press that changes the
function), followed by the repaint Qt then performs (``processEvents``).

Run with ``python -m calcstudio.benchmark.surface``.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np

from calcstudio.benchmark.animation import animation_frames
from calcstudio.benchmark.stats import median, summary
from calcstudio.benchmark.windows import close_window

if TYPE_CHECKING:
    from calcstudio.core.engine import Engine

ROSENBROCK = "L(x, y) = (1 - x)^2 + 100(y - x^2)^2"
VIEW = ((-2.0, 2.0), (-1.0, 3.0))
SAMPLES = 60
"""Timed repetitions of each gesture."""
PATH_POINTS = 2000
"""Points in each racer's path before the timed descent frames."""


def _window(engine: Engine | None):  # type: ignore[no-untyped-def]
    """The real window on the surface tab, showing Rosenbrock's valley, formulas arrived."""
    from PySide6.QtWidgets import QApplication

    from calcstudio.ui.window.main_window import MainWindow

    app = QApplication.instance() or QApplication([])
    window = MainWindow(engine=engine, settings=None)
    window.resize(1400, 900)
    window.show()
    window.show_lesson("surface")
    window.set_function_text(ROSENBROCK)
    deadline = time.monotonic() + 60  # the worker's formulas are not part of any timing
    while time.monotonic() < deadline and (
        window.last_result is None or window.last_result.text != ROSENBROCK
    ):
        app.processEvents()
    lesson = window.lesson("surface")
    lesson.landscape.set_view(*VIEW)
    app.processEvents()
    return app, window, lesson


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


def _matplotlib_drag() -> list[float]:
    """The same drag the notebook way: the map (its contours drawn once, kept as artists),
    the point, its gradient arrow and the two slices with their tangents, updated in place
    and redrawn with Agg, as an ``ipywidgets.interact`` callback does."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    from calcstudio.core.surface.fields import surface
    from calcstudio.core.surface.landscape import contour_levels

    function = surface(ROSENBROCK)
    figure = Figure(figsize=(14.0, 9.0), dpi=100)
    FigureCanvasAgg(figure)
    grid = figure.add_gridspec(2, 2, width_ratios=(2, 1))
    map_axes = figure.add_subplot(grid[:, 0])
    slice_axes = [figure.add_subplot(grid[0, 1]), figure.add_subplot(grid[1, 1])]
    grid_x, grid_y = np.meshgrid(np.linspace(*VIEW[0], 400), np.linspace(*VIEW[1], 400))
    values = function.value(grid_x, grid_y)
    levels = contour_levels(values)
    map_axes.contourf(grid_x, grid_y, values, levels=[values.min(), *levels, values.max()])
    map_axes.contour(grid_x, grid_y, values, levels=levels, colors="k", linewidths=0.8)
    (point,) = map_axes.plot([], [], "o", color="k")
    arrow = map_axes.quiver([0.0], [0.0], [1.0], [0.0], angles="xy", scale_units="xy", scale=1)
    curves = [axes.plot([], [])[0] for axes in slice_axes]
    tangents = [axes.plot([], [], "--")[0] for axes in slice_axes]
    times = []
    for k in range(SAMPLES // 3):
        angle = 2 * np.pi * k / (SAMPLES // 3)
        started = time.perf_counter()
        w1, w2 = float(np.cos(angle)), 1.0 + float(np.sin(angle))
        value = function.value_at(w1, w2)
        partials = function.gradient_at(w1, w2)
        point.set_data([w1], [w2])
        arrow.set_offsets([[w1, w2]])
        scale = 0.3 / max(float(np.hypot(*partials)), 1e-300)
        arrow.set_UVC([-partials[0] * scale], [-partials[1] * scale])
        for axis, (axes, curve, tangent) in enumerate(
            zip(slice_axes, curves, tangents, strict=True)
        ):
            s = np.linspace(*VIEW[axis], 400)
            held_other = np.full_like(s, (w2, w1)[axis])
            along = function.value(s, held_other) if axis == 0 else function.value(held_other, s)
            held = (w1, w2)[axis]
            curve.set_data(s, along)
            ends = np.array([held - 0.4, held + 0.4])
            tangent.set_data(ends, value + partials[axis] * (ends - held))
            axes.relim()
            axes.autoscale_view()
            axes.set_title(f"∂L/∂{'xy'[axis]} = {partials[axis]:.4g}")
        map_axes.set_title(f"L({w1:.3f}, {w2:.3f}) = {value:.4g}")
        figure.canvas.draw()
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
    times = animation_frames(descent, SAMPLES, app.processEvents)
    assert all(not run.finished for _, run in descent.runs), "a racer stopped early"
    return times, len(descent.runs)


def _keystrokes(app, window, lesson) -> list[float]:  # type: ignore[no-untyped-def]
    """A real key press that changes the function, to the new landscape on screen."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    lesson.descent.chooser.set_race(None)
    window.set_function_text(f"{ROSENBROCK} + x*0.1")
    field = window.editor.field
    field.setFocus()
    field.end(False)
    app.processEvents()
    times = []
    for _ in range(SAMPLES // 2):  # x*0.11, x*0.111, ...: each key a new function
        before = lesson.landscape.current
        started = time.perf_counter()
        QTest.keyClick(field, Qt.Key.Key_1)
        app.processEvents()
        times.append(time.perf_counter() - started)
        assert lesson.landscape.current is not before, "the key did not redraw the landscape"
        lesson.critical_timer.stop()
    return times


def run(report: Callable[[str], None] = print, engine: Engine | None = None) -> dict[str, float]:
    """Measure the surface lesson in the real window and report each figure as a line of text.

    Parameters
    ----------
    report
        Called with each line of the report.
    engine
        A started engine for the window, or None for it to start its own.

    Returns
    -------
    dict
        Median times in ms: ``"pan"``, ``"matplotlib"``, ``"drag"``, ``"matplotlib drag"``,
        ``"descent"``, ``"keystroke"``.
    """
    app, window, lesson = _window(engine)
    pans = _pan_zoom(app, lesson)
    report(f"landscape 400×400, 12 levels, re-computed and repainted on pan/zoom: {summary(pans)}")
    report("  (budget: median <= 16 ms)")
    notebook = _matplotlib_landscape()
    report(f"  matplotlib contourf + contour + labels, Agg redraw: {summary(notebook)}")
    report(f"  ratio matplotlib / CalcStudio (medians): {median(notebook) / median(pans):.1f}x")
    drags = _drag(app, lesson)
    report(f"dragging the point (arrows, slices, readouts): {summary(drags)} (budget 8 ms)")
    notebook_drags = _matplotlib_drag()
    report(f"  matplotlib map, point, arrow, two slices, Agg redraw: {summary(notebook_drags)}")
    ratio = median(notebook_drags) / median(drags)
    report(f"  ratio matplotlib / CalcStudio (medians): {ratio:.1f}x")
    frames, racers = _descent(app, lesson)
    report(
        f"descent frame, {racers} racers with {PATH_POINTS}-point paths: {summary(frames)} "
        "(budget 8 ms)"
    )
    keys = _keystrokes(app, window, lesson)
    report(f"key press to the new landscape on screen: {summary(keys)} (budget 50 ms)")
    close_window(window)
    return {
        "pan": median(pans) * 1000,
        "matplotlib": median(notebook) * 1000,
        "drag": median(drags) * 1000,
        "matplotlib drag": median(notebook_drags) * 1000,
        "descent": median(frames) * 1000,
        "keystroke": median(keys) * 1000,
    }


if __name__ == "__main__":
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    run()
