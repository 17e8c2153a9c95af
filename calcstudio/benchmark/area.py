"""The area lesson's costs: dragging a bound, moving the n slider, the error-vs-n curve.

The real lesson on a real plot (offscreen) with the real worker. Each timed update is what a
drag or a slider step does, computing the sum, the interval check, the one-item rectangles
and the readouts, followed by a synchronous repaint of the plot. The same work is timed the
notebook way (numpy sums, matplotlib bars and a log-log plot drawn with Agg).

Run with ``python -m calcstudio.benchmark.area``.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np

from calcstudio.benchmark.budgets import Budgets
from calcstudio.benchmark.stats import median, summary
from calcstudio.benchmark.windows import close_window

if TYPE_CHECKING:
    from calcstudio.core.engine import Engine

FUNCTION = "sin(x) + x^2/4"
UPDATES = 120
"""Timed updates per measurement."""
BUDGET_UPDATE_MS = 16.0
BUDGET_CURVE_MS = 50.0


def _lesson(engine: Engine):
    from PySide6.QtWidgets import QApplication

    from calcstudio.ui.area.lesson import AreaLesson
    from calcstudio.ui.window.main_window import MainWindow

    app = QApplication.instance() or QApplication([])
    window = MainWindow(engine=engine, settings=None)
    window.resize(1280, 800)
    window.show()
    window.show_lesson("area")
    lesson = window.current_lesson()
    assert isinstance(lesson, AreaLesson)
    window.set_function_text(FUNCTION)
    window.plot.setRange(xRange=(-4.0, 4.0), yRange=(-2.0, 5.0), padding=0)
    app.processEvents()
    return app, window, lesson


def _verdict(times: list[float], budget_ms: float) -> str:
    return "within" if median(times) * 1000 <= budget_ms else "OVER"


def _wait_for_integral(app, lesson) -> None:
    deadline = time.monotonic() + 30
    while lesson.integral is None and time.monotonic() < deadline:
        app.processEvents()
        time.sleep(0.002)


def measure(report: Callable[[str], None], engine: Engine) -> dict[str, list[float]]:
    """Time the lesson's updates and print them beside the notebook way."""
    app, window, lesson = _lesson(engine)
    panel, plot = lesson.panel, window.plot
    results: dict[str, list[float]] = {}

    for rule in ("midpoint", "trapezoid", "upper"):
        panel.set_rule(rule)
        panel.set_pieces(10_000)
        times = []
        for x in np.linspace(2.0, 3.5, UPDATES):
            started = time.perf_counter()
            lesson.line_b.setValue(float(x))  # what a mouse drag of b does
            plot.viewport().repaint()
            times.append(time.perf_counter() - started)
            app.processEvents()  # the worker's integral results, between drags
        results[f"drag b, n = 10,000, {rule}"] = times

    panel.set_rule("midpoint")
    times = []
    for n in np.unique(np.geomspace(1, 10_000, UPDATES).round().astype(int)):
        started = time.perf_counter()
        panel.set_pieces(int(n))
        plot.viewport().repaint()
        times.append(time.perf_counter() - started)
    results["n slider 1 to 10,000, midpoint"] = times

    _wait_for_integral(app, lesson)
    times = []
    for _ in range(30):
        started = time.perf_counter()
        lesson._draw_error_curve()
        panel.error_plot.plot.viewport().repaint()
        times.append(time.perf_counter() - started)
    results["error-vs-n curve, 60 n x 4 rules, with repaint"] = times
    close_window(window)

    for label, values in results.items():
        budget = BUDGET_CURVE_MS if "curve" in label else BUDGET_UPDATE_MS
        report(f"{label}: {summary(values)} (budget {budget:.0f} ms: {_verdict(values, budget)})")
    notebook = _notebook()
    for label, values in notebook.items():
        report(f"notebook way, {label}: {summary(values)}")
    drag = results["drag b, n = 10,000, midpoint"]
    ratio = median(notebook["drag b, 10,000 bars"]) / median(drag)
    report(f"ratio notebook / CalcStudio for a drag (medians): {ratio:.0f}x")
    ratio = median(notebook["error-vs-n curve"]) / median(
        results["error-vs-n curve, 60 n x 4 rules, with repaint"]
    )
    report(f"ratio notebook / CalcStudio for the error curve (medians): {ratio:.1f}x")
    results.update({f"notebook way, {label}": values for label, values in notebook.items()})
    return results


def _notebook() -> dict[str, list[float]]:
    """The same updates as a notebook user writes them: numpy sums, matplotlib drawing."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    def f(x: np.ndarray) -> np.ndarray:
        return np.sin(x) + x**2 / 4

    figure, axes = plt.subplots(figsize=(8, 5), dpi=100)
    xs = np.linspace(-4, 4, 800)
    drags = []
    for b in np.linspace(2.0, 3.5, 10):
        started = time.perf_counter()
        axes.clear()
        axes.plot(xs, f(xs))
        edges = np.linspace(0.0, b, 10_001)
        middles = 0.5 * (edges[:-1] + edges[1:])
        heights = f(middles)
        axes.bar(middles, heights, width=edges[1] - edges[0])
        axes.set_title(f"midpoint sum = {np.sum(heights) * (edges[1] - edges[0]):.6f}")
        figure.canvas.draw()
        drags.append(time.perf_counter() - started)
    plt.close(figure)

    exact = 1 - np.cos(3.0) + 27 / 12
    figure, axes = plt.subplots(figsize=(5, 4), dpi=100)
    curves = []
    for _ in range(10):
        started = time.perf_counter()
        ns = np.unique(np.geomspace(1, 10_000, 60).round().astype(int))
        axes.clear()
        for rule in ("left", "right", "midpoint", "trapezoid"):
            errors = []
            for n in ns:
                edges = np.linspace(0.0, 3.0, n + 1)
                y = f(edges)
                width = 3.0 / n
                total = {
                    "left": y[:-1].sum(),
                    "right": y[1:].sum(),
                    "midpoint": f(0.5 * (edges[:-1] + edges[1:])).sum(),
                    "trapezoid": y.sum() - 0.5 * (y[0] + y[-1]),
                }[rule]
                errors.append(abs(total * width - exact))
            axes.loglog(ns, errors, label=rule)
        axes.legend()
        figure.canvas.draw()
        curves.append(time.perf_counter() - started)
    plt.close(figure)
    return {"drag b, 10,000 bars": drags, "error-vs-n curve": curves}


def run(
    report: Callable[[str], None], engine: Engine | None = None, budgets: Budgets | None = None
) -> None:
    """Measure with ``engine`` (a warm worker), or start one; record the figures in
    ``budgets`` if given."""
    from calcstudio.core.engine import Engine

    own = engine is None
    if engine is None:
        engine = Engine()
        engine.start()
        engine.compute("x")
    try:
        results = measure(report, engine)
        if budgets is not None:
            drag = median(results["drag b, n = 10,000, midpoint"]) * 1000
            curve = median(results["error-vs-n curve, 60 n x 4 rules, with repaint"]) * 1000
            notebook_drag = median(results["notebook way, drag b, 10,000 bars"]) * 1000
            notebook_curve = median(results["notebook way, error-vs-n curve"]) * 1000
            budgets.add(
                "area: dragging b with 10,000 rectangles, median",
                drag,
                BUDGET_UPDATE_MS,
                notebook_drag,
            )
            budgets.add(
                "area: error against n for 60 n, median", curve, BUDGET_CURVE_MS, notebook_curve
            )
    finally:
        if own:
            engine.close()


if __name__ == "__main__":
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    run(print)
