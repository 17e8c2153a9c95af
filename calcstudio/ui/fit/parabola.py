"""The fit lesson with a parabola y = a·x² + b·x + c: its bowl over two chosen coefficients (the
third held at its least-squares value or its current value), the curve on the data, readouts.

The lesson hands over to this class while the parabola is chosen; the maths is in
:mod:`calcstudio.core.regression.quadratic`.
"""

from __future__ import annotations

import contextlib
import math
from typing import TYPE_CHECKING, Any

import numpy as np

from calcstudio.core.language import parse_tree
from calcstudio.core.regression.line_fit import rate_below
from calcstudio.core.regression.line_fit import readout_number as _number
from calcstudio.core.regression.quadratic import COEFFICIENTS, FixedPlane, QuadraticFit
from calcstudio.core.surface.critical import CriticalPoint
from calcstudio.core.surface.descent import surface_objective
from calcstudio.core.surface.fields import Surface
from calcstudio.ui.fit.model_box import PAIRS

if TYPE_CHECKING:
    from calcstudio.ui.fit.lesson import FitLesson

PARABOLA_FORMULAS = {
    "SSE": "SSE(a, b, c) = Σ (yᵢ − (a·xᵢ² + b·xᵢ + c))², the sum of the squared errors of the "
    "parabola. Its lowest point is the best parabola.",
    "MSE": "MSE(a, b, c) = (1/n)·Σ (yᵢ − (a·xᵢ² + b·xᵢ + c))², the mean of the squared errors: "
    "the same best parabola, on a bowl n times lower.",
}
TOO_FEW_X = (
    "A parabola needs at least three different x: with fewer, many parabolas fit equally well."
)


def _pair(names: tuple[str, str], values: tuple[float, float]) -> str:
    return f"({names[0]}, {names[1]}) = ({_number(values[0])}, {_number(values[1])})"


class ParabolaMode:
    """The parabola's bowl, curve and readouts in the fit lesson.

    Parameters
    ----------
    lesson
        The lesson whose views and panel it drives.
    """

    def __init__(self, lesson: FitLesson) -> None:
        self.lesson = lesson
        self.theta = np.zeros(3)
        """The current (a, b, c)."""
        self.fit: QuadraticFit | None = None
        self.plane: FixedPlane | None = None

    @property
    def shown(self) -> bool:
        """Whether the parabola is the model on show."""
        return self.lesson.panel.model_box.model() == "parabola"

    def _held_index(self) -> int:
        pair = self.lesson.panel.model_box.pair()
        return next(i for i, name in enumerate(COEFFICIENTS) if name not in pair)

    def current_pair(self) -> tuple[float, float]:
        """The current values of the two coefficients the bowl is over."""
        pair = self.lesson.panel.model_box.pair()
        a, b = (float(self.theta[COEFFICIENTS.index(name)]) for name in pair)
        return a, b

    def rebuild(self, *, frame: bool) -> None:
        """The bowl over the chosen pair for the lesson's data and loss."""
        lesson = self.lesson
        box = lesson.panel.model_box
        self.fit = fit = QuadraticFit.of(lesson.dataset, lesson.loss)
        best = fit.best()
        held = self._held_index()
        if best is not None and box.hold() == "best":
            self.theta[held] = best[held]
        self.plane = plane = fit.plane(box.pair(), float(self.theta[held]))
        bottom = plane.bottom() if best is not None else None
        if bottom is None:
            self.plane = None
            lesson.landscape.set_surface(None)
            lesson.landscape.set_critical_points([])
            lesson.descent.set_objective(None)
            lesson.panel.show_readouts("", "", (TOO_FEW_X,), "", "")
            lesson.data_view.show_parabola(*self.theta)
            return
        surface = Surface(parse_tree(plane.loss_text()))
        if frame:
            lesson.landscape.set_view(*plane.view((0.0, 0.0)))
        lesson.landscape.set_surface(surface, keep_levels=lesson.dragging)
        low, high = np.linalg.eigvalsh(plane.hessian())
        point = CriticalPoint(bottom, float(plane.value(*bottom)), (low, high), "minimum")
        lesson.landscape.set_critical_points([point])
        lesson.descent.set_critical_points([point], lesson.view_size())
        if not lesson.dragging:
            lesson.descent.set_batch_data(None, lesson.loss)
            lesson.descent.set_objective(surface_objective(surface))
        if frame:
            lesson.descent.chooser.load("gd", self.suggested_rate(), None)
            lesson.descent.place_start(0.0, 0.0)
        self.move(*self.current_pair())

    def state(self) -> dict[str, Any]:
        """What a session keeps of the parabola (nothing while the line is shown)."""
        if not self.shown:
            return {}
        box = self.lesson.panel.model_box
        return {
            "model": "parabola",
            "pair": "".join(box.pair()),
            "hold": box.hold(),
            "theta": self.theta.tolist(),
        }

    def restore(self, state: dict[str, Any]) -> None:
        """Show the parabola a session kept; anything unusable is left as it is."""
        if state.get("model") != "parabola":
            return
        box = self.lesson.panel.model_box
        pairs = ["".join(pair) for pair in PAIRS]
        if state.get("pair") in pairs:
            box.pair_box.setCurrentIndex(pairs.index(state["pair"]))
        (box.current_button if state.get("hold") == "current" else box.best_button).setChecked(True)
        theta = state.get("theta")
        with contextlib.suppress(TypeError, ValueError):
            values = np.asarray(theta, dtype=float)
            if values.shape == (3,) and np.all(np.isfinite(values)):
                self.theta = values
        box.parabola_button.setChecked(True)

    def suggested_rate(self) -> float:
        """A rate below half the critical rate of the pair's bowl."""
        return rate_below(self.plane.critical_rate()) if self.plane is not None else 0.1

    def condition_number(self) -> float:
        """Of the bowl on show (infinite without one)."""
        return self.plane.condition_number() if self.plane is not None else math.inf

    def move(self, p: float, q: float, *, readouts: bool = True) -> None:
        """Put the chosen pair at (p, q): the curve, the point on the bowl, and (unless
        ``readouts`` is False) the readouts."""
        lesson = self.lesson
        plane = self.plane
        if plane is None or not (math.isfinite(p) and math.isfinite(q)):
            return
        self.theta = plane.theta(p, q)
        lesson.data_view.show_parabola(*self.theta)
        lesson.landscape.set_point(p, q, plane.gradient(p, q))
        if readouts:
            self.write_readouts()

    def write_readouts(self) -> None:
        """The readouts of the parabola on show."""
        if self.plane is not None:
            self.lesson.panel.show_readouts(*self.readouts())

    def readouts(self) -> tuple[str, str, tuple[str, ...], str, str]:
        """The curve, its loss, the three partial derivatives, the least-squares answer and
        the bowl on show, with their numbers."""
        fit, plane = self.fit, self.plane
        assert fit is not None and plane is not None
        theta = self.theta
        n = len(fit.dataset)
        loss = f"{fit.loss} = {_number(fit.value(theta))} ({n} point{'s' if n != 1 else ''})"
        best = np.array(fit.best())
        best_text = (
            "Least squares (the normal equations XᵀXθ = Xᵀy): "
            + ", ".join(
                f"{name} = {_number(v)}" for name, v in zip(COEFFICIENTS, best, strict=True)
            )
            + f", {fit.loss} = {_number(fit.value(best))}. This parabola is at distance "
            f"{_number(float(np.linalg.norm(theta - best)))} from it in (a, b, c)."
        )
        held = plane.held_name
        how = (
            "its least-squares value"
            if self.lesson.panel.model_box.hold() == "best"
            else ("its current value")
        )
        bottom = plane.bottom()
        assert bottom is not None
        hessian = "2XᵀX" if fit.loss == "SSE" else "(2/n)XᵀX"
        bowl = (
            f"The bowl over ({', '.join(plane.free)}) with {held} held at {how}, "
            f"{_number(plane.held)}: its bottom is {_pair(plane.free, bottom)}, "
            f"{fit.loss} = {_number(float(plane.value(*bottom)))}. Condition number of its "
            f"Hessian (that block of {hessian}): {_number(plane.condition_number())}. From almost "
            f"every start, plain gradient descent on it diverges for η > 2/λmax = "
            f"{_number(plane.critical_rate())}."
        )
        return fit.curve_text(theta), loss, fit.partial_lines(theta), best_text, bowl

    def end_text(self, p: float, q: float) -> str:
        """Where descent is against the bottom of the bowl on show."""
        plane = self.plane
        bottom = plane.bottom() if plane is not None else None
        if plane is None or bottom is None:
            return ""
        gap = float(plane.value(p, q)) - float(plane.value(*bottom))
        return (
            f"Descent is at {_pair(plane.free, (p, q))}, "
            f"{_number(math.hypot(p - bottom[0], q - bottom[1]))} from the bottom of this bowl, "
            f"its {self.fit.loss if self.fit else 'loss'} {_number(gap)} above it."
        )
