"""The Newton–Raphson lesson: each step's tangent drawn down to the x-axis, on the shared plot.

A lesson of its own rather than a part of the tangent lesson: its point is a start x₀ that
clicks on the plot move, where the tangent lesson's clicks move a; and it runs its numbers
(:func:`calcstudio.core.root_finding.newton_raphson`) from the fast path on every edit.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt

from calcstudio.core.area.interval import constant_value
from calcstudio.core.numeric import Evaluator
from calcstudio.core.root_finding import NewtonRun, newton_raphson
from calcstudio.resource_files import read_json
from calcstudio.ui.newton.panel import NewtonPanel
from calcstudio.ui.widgets import palette
from calcstudio.ui.widgets.plot_items import make_curve
from calcstudio.ui.widgets.quick_curve import QuickScatter
from calcstudio.ui.window.lesson import Lesson, LessonHost, ShownFunction, from_card

STEPS_DRAWN = 12
"""Tangent steps drawn on the plot (later ones are too close to see)."""


@from_card("newton")
class NewtonLesson(Lesson):
    """Roots by ``x ← x − f(x)/f′(x)``: tangents, the table of iterates, the verdict."""

    def __init__(self, host: LessonHost) -> None:
        super().__init__(host)
        self.panel = NewtonPanel()
        self.presets: list[dict[str, Any]] = read_json("newton_presets.json")
        for preset in self.presets:
            self.panel.preset_box.addItem(preset["name"])
        self.panel.preset_box.setCurrentIndex(-1)
        self.steps_curve = make_curve(palette.TANGENT, "Newton tangents", width=1.5)
        self.drops_curve = make_curve(palette.MUTED, None)
        self.drops_curve.setPen(pg.mkPen(palette.MUTED, width=1, style=Qt.PenStyle.DotLine))
        self.iterates = QuickScatter(size=8, brush=palette.TANGENT, pen=None)
        for z, item in enumerate((self.drops_curve, self.steps_curve, self.iterates)):
            item.setZValue(6 + z)
        self.f: Evaluator | None = None
        self.df: Evaluator | None = None
        self.d2f: Evaluator | None = None
        self.start = 1.0
        self.run: NewtonRun | None = None
        self._active = False
        self.panel.startEdited.connect(self._on_start_typed)
        self.panel.minimizeToggled.connect(self._on_minimize_toggled)
        self.panel.presetChosen.connect(self._on_preset)

    def set_function(self, shown: ShownFunction) -> None:
        self.f, self.df, self.d2f = shown.f, shown.df, shown.d2f
        self._update()

    def set_active(self, active: bool) -> None:
        if active == self._active:
            return
        self._active = active
        plot_item = self.host.plot.getPlotItem()
        for item in (self.drops_curve, self.steps_curve, self.iterates):
            if active:
                plot_item.addItem(item)
            else:
                plot_item.removeItem(item)

    def plot_clicked(self, x: float) -> None:
        self.start = float(x)
        self.panel.start_field.setText(f"{x:.6g}")
        self.panel.set_start_message("")
        self._update()

    def preset_framed(self, preset: dict[str, Any]) -> None:
        """Start the example's run from its x₀ (root finding, not minimizing)."""
        self.panel.minimize_box.setChecked(False)
        self.panel.start_field.setText(preset["start"])
        self._on_start_typed(preset["start"])

    def show_first_preset(self) -> bool:
        """Newton's own cubic from 3.5 (``calcstudio --lesson newton``)."""
        self._on_preset(0)
        return True

    def _on_preset(self, index: int) -> None:
        if 0 <= index < len(self.presets):
            self.panel.show_preset(index, self.presets[index]["lesson"])
            self.presetChosen.emit(self.presets[index])

    def state(self) -> dict[str, Any]:
        return {"start": self.start, "minimize": self.panel.minimize_box.isChecked()}

    def restore_state(self, state: dict[str, Any]) -> None:
        if isinstance(state.get("minimize"), bool):
            self.panel.minimize_box.setChecked(state["minimize"])
        if isinstance(state.get("start"), int | float):
            self.plot_clicked(float(state["start"]))

    def _on_start_typed(self, text: str) -> None:
        try:
            self.start = constant_value(text, "x₀")
        except ValueError as error:
            self.panel.set_start_message(str(error))
            return
        self.panel.set_start_message("")
        self._update()

    def _on_minimize_toggled(self, minimizing: bool) -> None:
        self.panel.set_minimizing(minimizing)
        self._update()

    def _update(self) -> None:
        minimizing = self.panel.minimize_box.isChecked()
        g, slope = (self.df, self.d2f) if minimizing else (self.f, self.df)
        if g is None or slope is None:
            self.run = None
            self.panel.show_run(None, "Newton–Raphson needs a function of one variable.")
            self._draw()
            return
        self.run = newton_raphson(g, slope, self.start)
        self.panel.show_run(self.run)
        self._draw()

    def _draw(self) -> None:
        run = self.run
        if run is None:
            for curve in (self.steps_curve, self.drops_curve):
                curve.setData(np.empty(0), np.empty(0))
            self.iterates.setData([], [])
            return
        steps = run.tangent_steps()[:STEPS_DRAWN]
        # Each tangent from (xₖ, f(xₖ)) down to (xₖ₊₁, 0), then up to the curve: NaN breaks.
        xs = [v for x, _, after in steps for v in (x, after, np.nan)]
        ys = [v for _, y, _ in steps for v in (y, 0.0, np.nan)]
        self.steps_curve.setData(np.array(xs, dtype=float), np.array(ys, dtype=float))
        shown = run.points[1 : STEPS_DRAWN + 1]
        heights = run.values[1 : STEPS_DRAWN + 1]
        drops_x = np.repeat(shown, 3)
        drops_y = np.column_stack((np.zeros_like(heights), heights, np.full_like(heights, np.nan)))
        self.drops_curve.setData(drops_x, drops_y.ravel())
        points = run.points[: STEPS_DRAWN + 1]
        finite = np.isfinite(points)
        self.iterates.setData(points[finite], np.zeros(int(finite.sum())))


__all__ = ["NewtonLesson"]
