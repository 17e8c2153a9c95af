"""The tangent & secant lesson: a point a on the curve, its tangent, and a secant of width h.

Everything it draws goes on the shared function plot; the numbers come from
:mod:`calcstudio.core.calculus` and :mod:`calcstudio.core.derivative_check`.
"""

from __future__ import annotations

import math
from typing import Any

from calcstudio.core.calculus import Secant, Tangent, limit_table, secant, value_at
from calcstudio.core.curve import is_smooth_everywhere
from calcstudio.core.derivative_check import DerivativeCheck, check_derivative
from calcstudio.ui.tangent.panel import TangentPanel
from calcstudio.ui.widgets.numerical_derivative import NumericalDerivative, Target
from calcstudio.ui.window.lesson import Lesson, LessonHost, ShownFunction, from_card


@from_card("tangent")
class TangentLesson(Lesson):
    """The derivative as the limit of secant slopes, at a point the learner moves.

    Parameters
    ----------
    host
        The window.
    """

    def __init__(self, host: LessonHost) -> None:
        super().__init__(host)
        self.panel: TangentPanel = TangentPanel()
        self.point = 1.0
        """The tangent point a."""
        self.shown: ShownFunction | None = None
        self.active = False
        self.numerical = NumericalDerivative(
            "<b>Numerical derivative</b>: how good is the material's eps = 1e-5?"
        )
        """Forward, backward and central differences at a, and their error against h."""
        self.panel.layout().addWidget(self.numerical)
        self.panel.clear("Type a function to see its tangent and secant.")
        self.panel.pointEdited.connect(self.set_point)
        self.panel.stepChanged.connect(lambda _h: self._update())
        host.plot.tangentDragged.connect(self.set_point)

    def set_function(self, shown: ShownFunction) -> None:
        """Draw the tangent and secant on the new function."""
        self.shown = shown
        self.panel.variable = shown.variable
        self._update()

    def set_active(self, active: bool) -> None:
        """Show the tangent and secant on the plot only while the tab is current."""
        self.active = active
        self.host.plot.set_tangent_and_secant_shown(active)
        if active:
            self._update()
        else:
            self.panel.stop_shrink()

    def plot_clicked(self, x: float) -> None:
        """A click on the plot moves the point there."""
        self.set_point(x)

    def set_point(self, a: float) -> None:
        """Move the tangent point to ``x = a`` and update the lines and readouts."""
        if not math.isfinite(a):
            return
        self.point = a
        self.panel.set_point(a)
        self._update()

    def preset_framed(self, preset: dict[str, Any]) -> None:
        """A preset may name the point its lesson is about."""
        point = preset.get("point")
        if isinstance(point, int | float) and math.isfinite(point):
            self.set_point(float(point))

    def state(self) -> dict[str, Any]:
        """The point a and the step h."""
        return {"point": self.point, "step": self.panel.step()}

    def restore_state(self, state: dict[str, Any]) -> None:
        """Put back a and h."""
        point, step = state.get("point"), state.get("step")
        if isinstance(point, int | float) and math.isfinite(point):
            self.point = float(point)
            self.panel.set_point(self.point)
        if isinstance(step, int | float) and math.isfinite(step) and step > 0:
            self.panel.set_step(float(step))
        self._update()

    def stop(self) -> None:
        """Stop the shrinking-h animation."""
        self.panel.stop_shrink()

    def pending(self) -> str | None:
        """The panel's numbers, until the plot's frame that shows the lines is drawn."""
        return "the tangent's numbers" if self.host.plot.after_paint.pending else None

    def _update(self) -> None:
        shown = self.shown
        if not self.active or shown is None or shown.f is None or shown.df is None:
            return
        f, df = shown.f, shown.df
        a, h = self.point, self.panel.step()
        # One evaluation of f gives both ends of the secant, and f(a) for the tangent too.
        ends = secant(f, a, h)
        tangent = Tangent.through(a, ends.value, value_at(df, a))
        finite = math.isfinite(tangent.value) and math.isfinite(tangent.slope)
        if finite and is_smooth_everywhere(f):
            # Smooth everywhere: f′(a) exists wherever f(a) and f′(a) are numbers, so the
            # check's words can wait for the panel with the rest.
            check = None
            has_tangent = defined = True
        else:
            check = check_derivative(f, a, shown.tree)
            defined = math.isfinite(tangent.value) and check.defined  # no pole rounding missed
            has_tangent = defined and check.exists and math.isfinite(tangent.slope)
        line = ends if defined else None
        plot = self.host.plot
        plot.set_tangent(tangent if has_tangent else None)
        plot.set_secant(line if line is not None and math.isfinite(line.slope) else None)
        # The lines are what the learner watches: the numbers follow once they are drawn.
        plot.after_paint.call(
            "tangent panel",
            lambda: self._describe(shown, a, tangent if has_tangent else None, line, check),
        )

    def _describe(
        self,
        shown: ShownFunction,
        a: float,
        tangent: Tangent | None,
        line: Secant | None,
        check: DerivativeCheck | None,
    ) -> None:
        """Write the numbers of the tangent and secant at a in the panel."""
        f = shown.f
        assert f is not None
        if check is None:
            check = check_derivative(f, a, shown.tree)
            if not (check.defined and check.exists):
                # Not seen in any test (see test_smoothness), but the lines must never show
                # what the words deny: take the tangent off the plot.
                tangent = None
                line = line if check.defined else None
                self.host.plot.set_tangent(None)
                if line is None:
                    self.host.plot.set_secant(None)
        slope = tangent.slope if tangent is not None else None
        rows = limit_table(f, a, slope) if line is not None else []
        self.panel.show_values(tangent, line, rows, check)
        exact = tangent.slope if tangent is not None else math.nan
        self.numerical.schedule([Target("f′(a)", "f‴(a)", f, a, exact, shown.d2f)])
