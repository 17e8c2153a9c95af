"""The area lesson: a Riemann sum on the shared plot, its integral, its error against n.

Every drag of a or b, every n and every rule is computed on the GUI thread from the fast
path's f (:mod:`calcstudio.core.area`, numpy only); the exact integral with its
antiderivative comes from the worker's ``"integral"`` task a moment later, and only then are
errors stated (against a value that is known).
"""

from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np
from PySide6.QtCore import QTimer

from calcstudio.core.area.accumulation import accumulation
from calcstudio.core.area.exact import IntegralResult
from calcstudio.core.area.interval import IntervalCheck, check_interval, constant_value
from calcstudio.core.area.quadrature import gauss_kronrod
from calcstudio.core.area.readout import error_text, written_sum
from calcstudio.core.area.riemann import (
    RULES,
    RiemannSum,
    error_curve_ns,
    riemann_sum,
    riemann_sums,
    rounding_floor,
)
from calcstudio.core.numeric import Evaluator
from calcstudio.resource_files import read_json
from calcstudio.ui.area.items import ACCUMULATION, RectanglesItem, bound_line
from calcstudio.ui.area.panel import AreaPanel
from calcstudio.ui.widgets.math_view import Formula
from calcstudio.ui.widgets.plot_items import clear_curve, make_curve
from calcstudio.ui.window.lesson import Lesson, LessonHost, ShownFunction, from_card

ERROR_CURVE_RULES = ("left", "right", "midpoint", "trapezoid")
"""The rules always on the error plot (the upper or lower sum joins when chosen)."""
WAITING = "Working out the integral…"
INTEGRAL_DEADLINE = 5.0
"""Seconds of worker time for one integral (sympy's integrate can take minutes)."""


def _bound_text(value: float) -> str:
    """A dragged bound as a short constant the worker reads back exactly."""
    return f"{value:.6g}"


@from_card("area")
class AreaLesson(Lesson):
    """Area as a sum of rectangles: [a, b], n and the rule; the integral and the error."""

    def __init__(self, host: LessonHost) -> None:
        super().__init__(host)
        self.panel = AreaPanel()
        self.rectangles = RectanglesItem()
        self.rectangles.setZValue(-1)
        self.line_a, self.line_b = bound_line("a"), bound_line("b")
        # Named in the legend only while shown (see _on_accumulation_toggled).
        self.accumulation_curve = make_curve(ACCUMULATION)
        self.accumulation_curve.setZValue(3)
        self.presets: list[dict[str, Any]] = read_json("area_presets.json")
        for preset in self.presets:
            self.panel.preset_box.addItem(preset["name"])
        self.panel.preset_box.setCurrentIndex(-1)
        self.panel.preset_box.setPlaceholderText("Choose an example…")

        self.f: Evaluator | None = None
        self.text = ""
        self.variable = "x"
        self.a, self.b = 0.0, 1.0
        self.a_text, self.b_text = "0", "1"
        self.riemann: RiemannSum | None = None
        self.check = IntervalCheck("ok")
        self.integral: IntegralResult | None = None
        self._active = False
        self.awaiting_integral = False
        """Whether the worker's integral for the shown f, a and b has yet to come."""
        self.integral_deadline = INTEGRAL_DEADLINE
        """Seconds the worker may spend on one integral."""

        self._accumulation_timer = QTimer(self)
        self._accumulation_timer.setSingleShot(True)
        self._accumulation_timer.setInterval(0)
        self._accumulation_timer.timeout.connect(self._draw_accumulation)

        self.panel.boundsEdited.connect(self._on_bounds_typed)
        self.panel.piecesChanged.connect(lambda _: self._update_sum())
        self.panel.ruleChanged.connect(self._on_rule_changed)
        self.panel.accumulationToggled.connect(self._on_accumulation_toggled)
        self.panel.presetChosen.connect(self._on_preset)
        self.line_a.sigPositionChanged.connect(self._on_line_dragged)
        self.line_b.sigPositionChanged.connect(self._on_line_dragged)
        host.adapter.integralReady.connect(self._on_integral)
        host.plot.getPlotItem().getViewBox().sigRangeChanged.connect(self._on_view_changed)
        self._place_lines()

    # --- the Lesson interface -----------------------------------------------

    def set_function(self, shown: ShownFunction) -> None:
        self.f, self.text, self.variable = shown.f, shown.text, shown.variable
        chosen = self.panel.preset_box.currentIndex()
        if 0 <= chosen < len(self.presets) and self.presets[chosen]["text"] != shown.text:
            self.panel.preset_box.setCurrentIndex(-1)  # its words are about another function
            self.panel.preset_label.clear()
        self._update_interval()

    def set_active(self, active: bool) -> None:
        if active == self._active:
            return
        self._active = active
        # f′ is red, as is the area below the axis: the sum is about f, so f′ steps aside.
        self.host.plot.set_derivative_shown(not active)
        item = self.host.plot.getPlotItem()
        for graphic in (self.rectangles, self.line_a, self.line_b, self.accumulation_curve):
            if active:
                item.addItem(graphic)
            else:
                item.removeItem(graphic)
        legend = self.host.plot.legend
        if active and self.panel.accumulation_box.isChecked():
            legend.addItem(self.accumulation_curve, "F(x) = ∫ₐˣ f")
        else:
            legend.removeItem(self.accumulation_curve)
        if not active:
            self.panel.stop()

    def plot_clicked(self, x: float) -> None:
        """A click moves the nearer bound there."""
        if abs(x - self.a) <= abs(x - self.b):
            self._set_bounds(x, self.b, _bound_text(x), self.b_text)
        else:
            self._set_bounds(self.a, x, self.a_text, _bound_text(x))

    def preset_framed(self, preset: dict[str, Any]) -> None:
        self.panel.preset_label.setText(preset.get("lesson", ""))
        self.panel.set_rule(preset.get("rule", self.panel.rule()))
        self.panel.set_pieces(int(preset.get("n", self.panel.pieces())))
        self._on_bounds_typed(str(preset.get("a", self.a_text)), str(preset.get("b", self.b_text)))

    def pending(self) -> str | None:
        """Say "the integral" from the request until its answer is on show."""
        return "the integral" if self.awaiting_integral else None

    def show_first_preset(self) -> bool:
        self._on_preset(0)
        return True

    def state(self) -> dict[str, Any]:
        return {
            "a": self.a_text,
            "b": self.b_text,
            "n": self.panel.pieces(),
            "rule": self.panel.rule(),
            "accumulation": self.panel.accumulation_box.isChecked(),
        }

    def restore_state(self, state: dict[str, Any]) -> None:
        if state.get("rule") in RULES:
            self.panel.set_rule(state["rule"])
        if isinstance(state.get("n"), int):
            self.panel.set_pieces(state["n"])
        if isinstance(state.get("accumulation"), bool):
            self.panel.accumulation_box.setChecked(state["accumulation"])
        if isinstance(state.get("a"), str) and isinstance(state.get("b"), str):
            self._on_bounds_typed(state["a"], state["b"])

    def stop(self) -> None:
        self.panel.stop()

    # --- bounds -------------------------------------------------------------

    def _on_bounds_typed(self, a_text: str, b_text: str) -> None:
        try:
            a, b = constant_value(a_text, "a"), constant_value(b_text, "b")
        except ValueError as error:
            self.panel.set_bounds_message(str(error))
            return
        if a == b:
            self.panel.set_bounds_message(
                "a and b are equal: there is no width to cut into rectangles."
            )
            return
        self._set_bounds(a, b, a_text.strip(), b_text.strip())

    def _on_line_dragged(self, line: object) -> None:
        if line is self.line_a:
            text = _bound_text(self.line_a.value())
            self._set_bounds(float(text), self.b, text, self.b_text, move_lines=False)
        else:
            text = _bound_text(self.line_b.value())
            self._set_bounds(self.a, float(text), self.a_text, text, move_lines=False)

    def _set_bounds(
        self, a: float, b: float, a_text: str, b_text: str, *, move_lines: bool = True
    ) -> None:
        if a == b:
            return
        self.a, self.b, self.a_text, self.b_text = a, b, a_text, b_text
        self.panel.set_bounds_message("")
        self.panel.set_bounds_text(a_text, b_text)
        if move_lines:
            self._place_lines()
        self._update_interval()

    def _place_lines(self) -> None:
        for line, value in ((self.line_a, self.a), (self.line_b, self.b)):
            line.blockSignals(True)
            line.setValue(value)
            line.blockSignals(False)

    # --- what is drawn --------------------------------------------------------

    def _update_interval(self) -> None:
        """f, a or b changed: check the interval, redraw, ask the worker for the integral."""
        self.integral = None
        if self.f is None:
            self.awaiting_integral = False
            self.rectangles.set_sum(None)
            return
        self.check = check_interval(self.f, self.a, self.b)
        self.panel.set_verdict(self.check.message)
        self._update_sum()
        if self.panel.accumulation_box.isChecked():
            self._draw_accumulation()
        # The integral on show stays (its formula names its own bounds) until the new one
        # comes: re-laying out the panel on every drag would cost more than the drag.
        self.panel.error_label.setText(WAITING)
        self.panel.error_plot.set_current(0, float("nan"))
        self.panel.error_plot.message.setText(
            f"{WAITING} The curves are those of the last [a, b] until it comes."
        )
        self.awaiting_integral = True
        self.host.adapter.request_integral(
            self.text, self.a_text, self.b_text, self.integral_deadline
        )

    def _update_sum(self) -> None:
        if self.f is None:
            return
        self.riemann = riemann_sum(self.f, self.a, self.b, self.panel.pieces(), self.panel.rule())
        self.rectangles.set_sum(self.riemann)
        self.panel.sum_label.setText(written_sum(self.riemann, self.variable))
        self._show_error()

    def _show_error(self) -> None:
        riemann, integral = self.riemann, self.integral
        if riemann is None or integral is None:
            return
        if not integral.ok or not self.check.has_area:
            self.panel.error_label.setText("")
            self.panel.error_plot.set_current(riemann.pieces, float("nan"))
            return
        self.panel.error_label.setText(error_text(riemann, integral.value, integral.numerical))
        self.panel.error_plot.set_current(
            riemann.pieces, riemann.total - integral.value, rounding_floor(riemann)
        )

    def _on_rule_changed(self, _: str) -> None:
        self._update_sum()
        self._draw_error_curve()

    def _on_integral(self, result: IntegralResult) -> None:
        if (result.text, result.a_text, result.b_text) != (self.text, self.a_text, self.b_text):
            return  # for bounds or a function the learner has moved past
        self.awaiting_integral = False
        if result.status in ("timeout", "crashed") and self.check.has_area and self.f is not None:
            result = self._numerical_instead(result)
        self.integral = result
        panel = self.panel
        if not result.ok:
            panel.show_integral(None, result.message)
        elif not self.check.has_area:
            panel.show_integral(None, "∫ₐᵇ f has no value (see the note in red above).")
        else:
            panel.show_integral(self._integral_formula(result))
        panel.integral_label.setText(self._integral_words(result))
        self._show_error()
        self._draw_error_curve()

    def _numerical_instead(self, failed: IntegralResult) -> IntegralResult:
        """The window's own Gauss–Kronrod value when the worker gave none in time."""
        assert self.f is not None
        quadrature = gauss_kronrod(self.f, self.a, self.b)
        return dataclasses.replace(
            failed,
            status="ok",
            verdict=self.check.verdict,
            value=quadrature.value,
            numerical=True,
            error_estimate=quadrature.error,
        )

    def _integral_formula(self, result: IntegralResult) -> Formula:
        exact = result.exact_text if not result.numerical else f"≈ {result.value:.12g}"
        text = f"∫ from {result.a_text} to {result.b_text} of {result.text} = {exact}"
        return Formula(result.svg, text, result.latex or f"{result.value:.15g}", "#222222")

    def _integral_words(self, result: IntegralResult) -> str:
        if not result.ok or not self.check.has_area:
            return ""
        words = []
        if result.antiderivative_text:
            words.append(f"Antiderivative F({self.variable}) = {result.antiderivative_text}.")
        if result.numerical and result.message:  # the worker stopped: see _numerical_instead
            words.append(
                f"{result.message} The value is numerical (Gauss–Kronrod quadrature in the"
                f" window, estimated error {result.error_estimate:.1e})."
            )
        elif result.numerical:
            words.append(
                "No closed form was found: the value is numerical (adaptive quadrature,"
                f" estimated error {result.error_estimate:.1e})."
            )
        elif result.exact_text == f"{result.value:.12g}":
            words.append(f"Exact: {result.exact_text}.")
        else:
            words.append(f"Exact: {result.exact_text} ≈ {result.value:.12g}.")
        return " ".join(words)

    def _draw_error_curve(self) -> None:
        integral, plot = self.integral, self.panel.error_plot
        if self.f is None or integral is None:
            return
        if not integral.ok or not self.check.has_area or not np.isfinite(integral.value):
            plot.clear("No error curve: the integral has no value to compare the sums with.")
            return
        rules = list(ERROR_CURVE_RULES)
        if self.panel.rule() not in rules:
            rules.append(self.panel.rule())
        ns = error_curve_ns()
        sums = riemann_sums(self.f, self.a, self.b, ns, rules)
        floor = rounding_floor(self.riemann) if self.riemann is not None else 0.0
        errors = {rule: s - integral.value for rule, s in sums.items()}
        plot.set_errors(ns, errors, self.panel.rule(), floor)
        if self.riemann is not None:
            plot.set_current(self.riemann.pieces, self.riemann.total - integral.value, floor)

    # --- F(x) -------------------------------------------------------------------

    def _on_accumulation_toggled(self, shown: bool) -> None:
        legend = self.host.plot.legend
        legend.removeItem(self.accumulation_curve)
        if shown:
            legend.addItem(self.accumulation_curve, "F(x) = ∫ₐˣ f")
            self._draw_accumulation()
        else:
            clear_curve(self.accumulation_curve)

    def _on_view_changed(self, *_: object) -> None:
        if self._active and self.panel.accumulation_box.isChecked():
            self._accumulation_timer.start()

    def _draw_accumulation(self) -> None:
        if self.f is None or not self.panel.accumulation_box.isChecked():
            clear_curve(self.accumulation_curve)
            return
        x_min, x_max = self.host.plot.view_x_range()
        xs, values = accumulation(self.f, self.a, x_min, x_max)
        self.accumulation_curve.setData(xs, values)

    def _on_preset(self, index: int) -> None:
        if 0 <= index < len(self.presets):
            self.panel.preset_box.setCurrentIndex(index)
            self.presetChosen.emit(self.presets[index])


__all__ = ["AreaLesson"]
