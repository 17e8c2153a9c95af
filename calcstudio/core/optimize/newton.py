"""Newton's method for minimisation, safeguarded where the curvature points the wrong way.

Newton's method fits a parabola (a quadratic bowl in several variables) to f at w and
jumps to its lowest point: ``w ← w − η f′(w) / f″(w)``, or ``w ← w − η H⁻¹ ∇f(w)``.
On a quadratic with η = 1 it lands on the minimum in one step. Where ``f″ <= 0`` (or
the Hessian is not positive definite) the fitted parabola has no lowest point and the
jump would head for a maximum or a saddle, so the step falls back to plain gradient
descent with a small rate, and the step's note says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import numpy as np
from numpy.typing import ArrayLike

from calcstudio.core.optimize.base import (
    ARROW,
    MINUS,
    TIMES,
    Optimizer,
    State,
    StepInfo,
    as_point,
    check_positive,
    finish,
    format_number,
    format_operand,
    format_parameter,
    write_lines,
)
from calcstudio.core.optimize.first_order import descent_line
from calcstudio.core.optimize.objective import Objective


def _newton_direction(hessian: np.ndarray, gradient: np.ndarray) -> np.ndarray | None:
    """``H⁻¹ ∇f`` if H is finite and positive definite, else None."""
    if not np.all(np.isfinite(hessian)):
        return None
    try:
        np.linalg.cholesky(hessian)  # succeeds exactly when H is positive definite
    except np.linalg.LinAlgError:
        return None
    return np.linalg.solve(hessian, gradient)


def _fallback_note(hessian: np.ndarray, fallback_rate: float) -> str:
    rate = format_parameter(fallback_rate)
    if hessian.shape == (1, 1):
        curvature = hessian[0, 0]
        if not np.isfinite(curvature):
            why = "f″ is undefined here, so Newton's parabola cannot be fitted"
        else:
            why = (
                f"f″ = {format_number(curvature)} ≤ 0 here: the parabola Newton's method fits "
                "has no lowest point, so its jump would head for a maximum or nowhere"
            )
    elif not np.all(np.isfinite(hessian)):
        why = "the Hessian is undefined here, so Newton's bowl cannot be fitted"
    else:
        eigenvalues = ", ".join(format_number(e) for e in np.linalg.eigvalsh(hessian))
        why = (
            f"the Hessian is not positive definite here (eigenvalues {eigenvalues}): "
            "the fitted surface is not a bowl, so Newton's jump would head for a saddle, "
            "a maximum or nowhere"
        )
    return f"{why}. Took a plain gradient step with rate {rate} instead."


@dataclass(frozen=True)
class Newton(Optimizer[State]):
    """Damped Newton's method with a gradient-step safeguard.

    Parameters
    ----------
    learning_rate
        η, the fraction of the Newton step taken (1 is the full step).
    fallback_rate
        The learning rate of the gradient step taken where the curvature is not
        positive (``f″ <= 0``, or a Hessian that is not positive definite).
    """

    key: ClassVar[str] = "newton"
    learning_rate: float = 1.0
    fallback_rate: float = 0.1

    def __post_init__(self) -> None:
        super().__post_init__()
        check_positive("fallback_rate", self.fallback_rate)

    def init(self, w0: ArrayLike) -> State:
        """The state before the first step."""
        return State(0, as_point(w0))

    def advance(
        self, state: State, objective: Objective, loss: float, gradient: np.ndarray
    ) -> tuple[State, StepInfo]:
        """One step, given the loss and gradient at ``state.w``.

        Raises
        ------
        ValueError
            If the objective has no Hessian.
        """
        hessian = objective.hessian_at(state.w)
        direction = _newton_direction(hessian, gradient)
        if direction is None:
            rate = self.fallback_rate
            w_after = as_point(state.w - rate * gradient)

            def fallback_text() -> str:
                return write_lines(
                    objective,
                    lambda i, name: descent_line(name, state.w[i], rate, gradient[i], w_after[i]),
                )

            note = _fallback_note(hessian, rate)
            info = finish(state, objective, loss, gradient, w_after, fallback_text, note)
            return State(state.k + 1, w_after), info

        eta = self.learning_rate
        w_after = as_point(state.w - eta * direction)

        def text() -> str:
            if objective.dimension == 1:
                return (
                    f"{objective.variables[0]} {ARROW} {format_number(state.w[0])} {MINUS} "
                    f"{format_parameter(eta)} {TIMES} {format_operand(gradient[0])} / "
                    f"{format_operand(hessian[0, 0])} = {format_number(w_after[0])}"
                )
            components = ", ".join(format_number(d) for d in direction)
            moves = write_lines(
                objective,
                lambda i, name: descent_line(name, state.w[i], eta, direction[i], w_after[i]),
            )
            return f"H⁻¹∇f = ({components})\n{moves}"

        info = finish(state, objective, loss, gradient, w_after, text)
        return State(state.k + 1, w_after), info
