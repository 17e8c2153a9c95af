"""First-order optimizers: gradient descent, heavy-ball momentum and Nesterov momentum.

Momentum convention (PyTorch's ``torch.optim.SGD`` with ``dampening=0``): the velocity
``v`` (PyTorch's momentum buffer) accumulates gradients and the learning rate scales the move,

    heavy ball:  v ← β v + ∇f(w),    w ← w − η v,
    Nesterov:    v ← β v + ∇f(w),    w ← w − η (∇f(w) + β v),

with ``v = 0`` before the first step (so the first velocity is the gradient, as PyTorch's
first buffer is). With β = 0 both reduce to plain gradient descent, and on a steady slope
the step grows towards η / (1 − β) times the gradient.
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
    auxiliary_name,
    check_fraction,
    finish,
    format_number,
    format_operand,
    format_parameter,
    write_lines,
)
from calcstudio.core.optimize.objective import Objective


def descent_line(name: str, w: float, rate: float, direction: float, w_after: float) -> str:
    """``name ← w − rate × direction = w_after`` with the numbers filled in."""
    return (
        f"{name} {ARROW} {format_number(w)} {MINUS} {format_parameter(rate)} {TIMES} "
        f"{format_operand(direction)} = {format_number(w_after)}"
    )


@dataclass(frozen=True)
class GradientDescent(Optimizer[State]):
    """Plain gradient descent: ``w ← w − η ∇f(w)``.

    Parameters
    ----------
    learning_rate
        The step size η.
    """

    key: ClassVar[str] = "gd"

    def init(self, w0: ArrayLike) -> State:
        """The state before the first step."""
        return State(0, as_point(w0))

    def advance(
        self, state: State, objective: Objective, loss: float, gradient: np.ndarray
    ) -> tuple[State, StepInfo]:
        """One step, given the loss and gradient at ``state.w``."""
        eta = self.learning_rate
        w_after = as_point(state.w - eta * gradient)

        def text() -> str:
            return write_lines(
                objective,
                lambda i, name: descent_line(name, state.w[i], eta, gradient[i], w_after[i]),
            )

        info = finish(state, objective, loss, gradient, w_after, text)
        return State(state.k + 1, w_after), info


@dataclass(frozen=True)
class MomentumState(State):
    """A momentum optimizer's state: the point and the velocity ``v``."""

    velocity: np.ndarray


def _velocity_line(
    objective: Objective, name: str, beta: float, before: float, g: float, after: float
) -> str:
    v = auxiliary_name("v", name, objective)
    return (
        f"{v} {ARROW} {format_parameter(beta)} {TIMES} {format_operand(before)} + "
        f"{format_operand(g)} = {format_number(after)}"
    )


@dataclass(frozen=True)
class Momentum(Optimizer[MomentumState]):
    """Heavy-ball momentum: ``v ← β v + ∇f(w)``, then ``w ← w − η v``.

    Parameters
    ----------
    learning_rate
        The step size η.
    beta
        How much of the previous velocity is kept, ``0 <= β < 1``.
    """

    key: ClassVar[str] = "momentum"
    beta: float = 0.9

    def __post_init__(self) -> None:
        super().__post_init__()
        check_fraction("beta", self.beta)

    def init(self, w0: ArrayLike) -> MomentumState:
        """The state before the first step: at rest (``v = 0``)."""
        w = as_point(w0)
        return MomentumState(0, w, as_point(np.zeros_like(w)))

    def advance(
        self, state: MomentumState, objective: Objective, loss: float, gradient: np.ndarray
    ) -> tuple[MomentumState, StepInfo]:
        """One step, given the loss and gradient at ``state.w``."""
        eta, beta = self.learning_rate, self.beta
        velocity = as_point(beta * state.velocity + gradient)
        w_after = as_point(state.w - eta * velocity)

        def text() -> str:
            velocity_text = write_lines(
                objective,
                lambda i, name: _velocity_line(
                    objective, name, beta, state.velocity[i], gradient[i], velocity[i]
                ),
            )
            move_text = write_lines(
                objective,
                lambda i, name: descent_line(name, state.w[i], eta, velocity[i], w_after[i]),
            )
            return f"{velocity_text}\n{move_text}"

        info = finish(state, objective, loss, gradient, w_after, text)
        return MomentumState(state.k + 1, w_after, velocity), info


@dataclass(frozen=True)
class Nesterov(Optimizer[MomentumState]):
    """Nesterov momentum as PyTorch computes it (``SGD(nesterov=True)``).

    ::

        v ← β v + ∇f(w),    w ← w − η (∇f(w) + β v)

    The move uses the gradient plus the *new* velocity scaled by β: PyTorch's rewriting of
    Sutskever's look-ahead form, which needs no second gradient. On x² from 5 with
    η = 0.1, β = 0.9 the first points are 3.1 and 1.112.

    Parameters
    ----------
    learning_rate
        The step size η.
    beta
        How much of the previous velocity is kept, ``0 <= β < 1``.
    """

    key: ClassVar[str] = "nesterov"
    beta: float = 0.9

    def __post_init__(self) -> None:
        super().__post_init__()
        check_fraction("beta", self.beta)

    def init(self, w0: ArrayLike) -> MomentumState:
        """The state before the first step: at rest (``v = 0``)."""
        w = as_point(w0)
        return MomentumState(0, w, as_point(np.zeros_like(w)))

    def advance(
        self, state: MomentumState, objective: Objective, loss: float, gradient: np.ndarray
    ) -> tuple[MomentumState, StepInfo]:
        """One step, given the loss and gradient at ``state.w``."""
        eta, beta = self.learning_rate, self.beta
        velocity = as_point(beta * state.velocity + gradient)
        direction = gradient + beta * velocity
        w_after = as_point(state.w - eta * direction)

        def move_line(i: int, name: str) -> str:
            return (
                f"{name} {ARROW} {format_number(state.w[i])} {MINUS} {format_parameter(eta)} "
                f"{TIMES} ({format_number(gradient[i])} + {format_parameter(beta)} {TIMES} "
                f"{format_operand(velocity[i])}) = {format_number(w_after[i])}"
            )

        def text() -> str:
            velocity_text = write_lines(
                objective,
                lambda i, name: _velocity_line(
                    objective, name, beta, state.velocity[i], gradient[i], velocity[i]
                ),
            )
            return f"{velocity_text}\n{write_lines(objective, move_line)}"

        info = finish(state, objective, loss, gradient, w_after, text)
        return MomentumState(state.k + 1, w_after, velocity), info
