"""Typed character to repainted plot, and pan/zoom re-sample and redraw, in a real window.

The window runs offscreen with the real worker process (warmed up first). Each corpus function
is typed one character at a time at a learner's pace; for every keystroke that leaves valid
text, the time is taken from the key event to the first repaint of the plot showing that text
(the fast path), and to the first repaint after the engine's formulas for it arrived.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from PySide6.QtCore import QEvent, QObject
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from calcstudio.core.language import check_syntax
from calcstudio.ui.widgets.math_view import FormulaWidget
from calcstudio.ui.window.main_window import MainWindow

KEY_INTERVAL = 0.15
"""Seconds between keystrokes: a steady typist, about 7 characters per second."""


class PaintClock(QObject):
    """Records when a widget (or any widget of a kind) last finished a paint event.

    Parameters
    ----------
    widget
        The widget to watch; or the application, with ``kind``.
    kind
        Watch every widget of this class (the formula rows are new widgets each time).
    """

    def __init__(self, widget: QObject, kind: type | None = None) -> None:
        super().__init__()
        self.last_paint = 0.0
        self.kind = kind
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.Paint and (
            self.kind is None or isinstance(watched, self.kind)
        ):
            # The filter runs just before the paint; the paint has finished by the time the
            # processEvents() call that delivered it returns, which is where callers read time.
            self.last_paint = time.perf_counter()
        return False


@dataclass
class TypingTimes:
    """What the typing benchmark measured, in seconds."""

    to_plot: list[float] = field(default_factory=list)
    to_formulas: list[float] = field(default_factory=list)
    plotted: list[str] = field(default_factory=list)
    """The text after each timed keystroke, for timing the same edits the notebook way."""
    invalid_keystrokes: int = 0


def _pump_until(app: QApplication, done: Callable[[], bool], timeout: float) -> bool:
    deadline = time.perf_counter() + timeout
    while not done():
        if time.perf_counter() > deadline:
            return False
        app.processEvents()
    return True


def measure_typing(window: MainWindow, texts: list[str]) -> TypingTimes:
    """Type each text into the window one character at a time; time each repaint."""
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    viewport = window.plot.viewport()
    clock = PaintClock(viewport)
    # The formulas come as new rows of the formula panel; the plot does not repaint then.
    formula_clock = PaintClock(app, FormulaWidget)
    field_ = window.editor.field
    times = TypingTimes()
    for text in texts:
        field_.clear()
        _pump_until(app, lambda: False, 0.3)
        for i, char in enumerate(text):
            typed = text[: i + 1]
            valid = check_syntax(typed) is None  # the benchmark's own check, not timed
            started = time.perf_counter()
            QTest.keyClicks(field_, char)
            if not valid:
                times.invalid_keystrokes += 1
            else:
                plotted = _pump_until(
                    app,
                    lambda t=typed, s=started: window.plotted_text == t and clock.last_paint > s,
                    2.0,
                )
                if plotted:
                    times.to_plot.append(time.perf_counter() - started)
                    times.plotted.append(typed)
                confirmed = _pump_until(
                    app,
                    lambda t=typed: window.last_result is not None and window.last_result.text == t,
                    KEY_INTERVAL,
                )
                if confirmed:
                    shown = time.perf_counter()
                    if _pump_until(app, lambda s=shown: formula_clock.last_paint > s, 0.5):
                        times.to_formulas.append(time.perf_counter() - started)
            rest = KEY_INTERVAL - (time.perf_counter() - started)
            if rest > 0:
                _pump_until(app, lambda: False, rest)
    return times


def measure_pan_zoom(window: MainWindow, texts: list[str], moves: int = 30) -> list[float]:
    """Seconds to pan or zoom, re-sample f, f' and the tangent, and repaint, per move."""
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    box = window.plot.getViewBox()
    viewport = window.plot.viewport()
    timings: list[float] = []
    for text in texts:
        window.editor.set_text(text)
        _pump_until(
            app,
            lambda t=text: window.last_result is not None and window.last_result.text == t,
            10.0,
        )
        window.plot.setRange(xRange=(-5, 5), padding=0)
        for move in range(moves):
            started = time.perf_counter()
            if move % 2:
                box.scaleBy((0.9, 1.0))
            else:
                box.translateBy(x=0.25)
            window.plot.resample_now()
            viewport.repaint()
            timings.append(time.perf_counter() - started)
        app.processEvents()
    return timings
