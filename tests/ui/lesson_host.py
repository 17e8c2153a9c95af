"""A real host for a lesson before it joins the main window: the shared plot, the formula
panel and the engine adapter (all real), wired as the window wires them."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout, QWidget

from calcstudio.core.engine import Engine
from calcstudio.core.jets import derivative_evaluators
from calcstudio.core.language import parse_tree
from calcstudio.ui.widgets.math_view import MathView
from calcstudio.ui.widgets.plot_view import PlotView
from calcstudio.ui.window.engine_adapter import EngineAdapter
from calcstudio.ui.window.lesson import Lesson, ShownFunction


class LessonHost(QWidget):
    """The plot on the left, the lesson's panel on the right."""

    def __init__(self, engine: Engine) -> None:
        super().__init__()
        self.plot = PlotView()
        self.formulas = MathView()
        self.adapter = EngineAdapter(engine, self)
        self.statuses: list[str] = []
        self.lesson: Lesson | None = None
        self.layout_ = QHBoxLayout(self)
        left = QVBoxLayout()
        left.addWidget(self.formulas)
        left.addWidget(self.plot, 1)
        self.layout_.addLayout(left, 3)
        self.plot.plotClicked.connect(lambda x: self.lesson and self.lesson.plot_clicked(x))

    def show_lesson(self, lesson: Lesson) -> None:
        self.lesson = lesson
        self.layout_.addWidget(lesson.panel, 2)
        lesson.presetChosen.connect(self._on_preset)
        lesson.set_active(True)

    def set_function_text(self, text: str, *, fit: bool = False) -> None:
        tree = parse_tree(text)
        evaluators = derivative_evaluators(tree)
        f, df, d2f = evaluators if evaluators is not None else (None, None, None)
        self.plot.set_functions(f, df)
        if fit:
            self.plot.fit_view()
        assert self.lesson is not None
        self.lesson.set_function(ShownFunction(text, tree, tree.variables, f, df, d2f))

    def show_status(self, message: str, timeout_ms: int = 5000) -> None:
        self.statuses.append(message)

    def _on_preset(self, preset: dict[str, Any]) -> None:
        self.set_function_text(preset["text"])
        if "x_range" in preset:
            self.plot.setRange(xRange=preset["x_range"], yRange=preset["y_range"], padding=0)
        assert self.lesson is not None
        self.lesson.preset_framed(preset)
