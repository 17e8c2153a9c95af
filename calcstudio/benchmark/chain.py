"""The chain-rule lesson: keystroke to redrawn graph and steps, and one backward-pass frame.

The real window runs offscreen on its chain tab. A 63-node function is typed one character at
a time; for each keystroke that leaves valid text, the time runs from the key event to the
first repaint of the graph view showing it (graph rebuilt, both passes, chain and steps
written). A backward-pass frame is one Step (one more node's gradient and its edges) and the
repaint. Then, for a few functions, the time from the keystroke that finishes one to every link
and step drawn typeset (the worker typesets them while the text is on show). The notebook way,
for comparison: sympy's ``parse_expr``, ``diff`` for each variable and evaluation at the point,
for the same edits.

Run with ``python -m calcstudio.benchmark.chain``.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable

from calcstudio.benchmark.budgets import Budgets
from calcstudio.benchmark.stats import median, summary
from calcstudio.benchmark.windows import close_window

FUNCTION = (
    "sin(x)^2 + 3x*cos(2x) + exp(-x^2/2) + tanh(x/3)*log(x^2+1) + sqrt(x^2+1)/(x+2) "
    "+ sigmoid(4x - 1)*relu(x) + atan(x^3 - x)/5 + cosh(x/4)^2 - x^4/24"
)
"""A function whose graph has 63 nodes (the budget is for 60)."""
FRAMES = 120


def run(report: Callable[[str], None], budgets: Budgets | None = None) -> None:
    """Measure and report the chain lesson's figures (and record them in ``budgets``)."""
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from calcstudio.benchmark.keystroke import PaintClock, _pump_until
    from calcstudio.core.language import check_syntax
    from calcstudio.ui.chain.lesson import ChainLesson
    from calcstudio.ui.window.main_window import MainWindow

    app = QApplication.instance() or QApplication([])
    window = MainWindow(settings=None)
    window.resize(1400, 900)
    window.show()
    window.show_lesson("chain")
    lesson = window.lesson("chain")
    assert isinstance(lesson, ChainLesson)
    viewport = lesson.graph_view.viewport()
    clock = PaintClock(viewport)
    field = window.editor.field
    field.clear()
    app.processEvents()
    typed_times: list[float] = []
    edits: list[str] = []
    for i, char in enumerate(FUNCTION):
        typed = FUNCTION[: i + 1]
        valid = check_syntax(typed) is None  # the benchmark's own check, not timed
        started = time.perf_counter()
        QTest.keyClicks(field, char)
        if valid and _pump_until(
            app,
            lambda t=typed, s=started: (
                lesson.shown is not None and lesson.shown.text == t and clock.last_paint > s
            ),
            2.0,
        ):
            typed_times.append(time.perf_counter() - started)
            edits.append(typed)
    nodes = len(lesson.explanation.graph.nodes) if lesson.explanation else 0
    report(
        f"keystroke to graph and steps redrawn ({nodes} nodes at the end): {summary(typed_times)}"
    )

    typeset = _typeset_times(app, window, lesson)
    report(f"keystroke to every link and step typeset on screen: {summary(typeset)}")

    frames: list[float] = []
    for frame in range(FRAMES):
        if frame % nodes == 0:
            lesson.reset_backward()
            app.processEvents()
        started = time.perf_counter()
        lesson.step_back()
        viewport.repaint()
        frames.append(time.perf_counter() - started)
    report(f"backward-pass frame (one Step and repaint): {summary(frames)}")
    close_window(window)

    notebook = _notebook(edits[-40:])
    report(f"the notebook way (parse_expr, diff, evaluate) per edit: {summary(notebook)}")
    if budgets is not None:
        budgets.add(
            f"chain: keystroke to graph and steps ({nodes} nodes), median",
            median(typed_times) * 1000,
            50,
            median(notebook) * 1000 if notebook else None,
        )
        budgets.add("chain: backward-pass frame, median", median(frames) * 1000, 8)


TYPESET_EDITS = ("sin((4x)^2)", "sin((4x)^3)", "(x^2)^3", "(x^2)^4", "x*sin(x)", "x*sin(2x)")
"""Pairs of functions a learner might type: the second of each shares some formulas with the
first (the window keeps those typeset), the first of each shares none with what came before
(on the first of the two rounds)."""


def _typeset_times(app: object, window: object, lesson: object) -> list[float]:
    """From a keystroke that finishes a function to the last of its links and steps drawn
    typeset (the text shows at once; the worker typesets the formulas it has not yet)."""
    from PySide6.QtTest import QTest

    from calcstudio.benchmark.keystroke import _pump_until

    field = window.editor.field  # type: ignore[attr-defined]
    view = lesson.panel.derivation  # type: ignore[attr-defined]
    times: list[float] = []
    for text in TYPESET_EDITS * 2:
        window.set_function_text(text[:-1])  # type: ignore[attr-defined]
        _pump_until(app, lambda: lesson._asked is None, 10.0)  # type: ignore[attr-defined]
        field.end(False)
        started = time.perf_counter()
        QTest.keyClicks(field, text[-1])
        if _pump_until(
            app,
            lambda t=text: (
                lesson.shown is not None  # type: ignore[attr-defined]
                and lesson.shown.text == t  # type: ignore[attr-defined]
                and all(label.picture is not None for label in view.formulas())
            ),
            10.0,
        ):
            times.append(time.perf_counter() - started)
    return times


def _notebook(edits: list[str]) -> list[float]:
    """The derivative at a point the notebook way, per edit (benchmark's own texts only)."""
    import sympy
    from sympy.parsing.sympy_parser import (
        convert_xor,
        implicit_multiplication_application,
        parse_expr,
        standard_transformations,
    )

    transformations = (
        *standard_transformations,
        implicit_multiplication_application,
        convert_xor,
    )
    x = sympy.Symbol("x")
    local = {"sigmoid": lambda u: 1 / (1 + sympy.exp(-u)), "relu": lambda u: sympy.Max(u, 0)}
    timings: list[float] = []
    for text in edits:
        started = time.perf_counter()
        try:
            expr = parse_expr(text, local_dict=local, transformations=transformations)
            float(sympy.diff(expr, x).subs(x, 1.0).evalf())
        except Exception:  # half-typed text the notebook way cannot read: not timed
            continue
        timings.append(time.perf_counter() - started)
    return timings


if __name__ == "__main__":
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    run(print)
