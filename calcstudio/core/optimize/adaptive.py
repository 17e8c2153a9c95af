"""Adaptive optimizers: each variable gets its own step size from its gradient history.

Each follows PyTorch's documented update (``torch.optim.Adagrad``, ``RMSprop``, ``Adam``
with no weight decay, momentum, centring or learning-rate decay) and its defaults for ρ
(PyTorch's ``alpha``), β₁, β₂ and ε. All three divide by ``√s + ε`` (ε outside the square
root), where ``s`` is a running measure of the squared gradient:

- AdaGrad: ``s ← s + g²`` (the sum, so the steps only ever shrink);
- RMSProp: ``s ← ρ s + (1 − ρ) g²`` (a moving average, so they can recover);
- Adam: RMSProp's average plus a moving average ``m`` of the gradient itself, both
  corrected for starting at zero.
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
    check_positive,
    finish,
    format_number,
    format_operand,
    format_parameter,
    write_lines,
)
from calcstudio.core.optimize.objective import Objective


def _scaled_line(name: str, w: float, rate: float, g: float, s: float, w_after: float) -> str:
    """``name ← w − η × g / (√s + ε) = w_after``."""
    return (
        f"{name} {ARROW} {format_number(w)} {MINUS} {format_parameter(rate)} {TIMES} "
        f"{format_operand(g)} / (√{format_number(s)} + ε) = {format_number(w_after)}"
    )


def _average_line(name: str, decay: float, before: float, value: str, after: float) -> str:
    """``name ← decay × before + (1 − decay) × value = after``."""
    return (
        f"{name} {ARROW} {format_parameter(decay)} {TIMES} {format_operand(before)} + "
        f"{format_parameter(1.0 - decay)} {TIMES} {value} = {format_number(after)}"
    )


@dataclass(frozen=True)
class SquaresState(State):
    """AdaGrad's or RMSProp's state: the point and the squared-gradient measure ``s``."""

    squares: np.ndarray


@dataclass(frozen=True)
class AdaGrad(Optimizer[SquaresState]):
    """AdaGrad: ``s ← s + g²``, ``w ← w − η g / (√s + ε)``.

    Parameters
    ----------
    learning_rate
        The step size η (the first step moves each variable by about η).
    eps
        ε, which keeps the division finite where the gradient has been 0.
    """

    key: ClassVar[str] = "adagrad"
    learning_rate: float = 0.5
    eps: float = 1e-10

    def __post_init__(self) -> None:
        super().__post_init__()
        check_positive("eps", self.eps)

    def init(self, w0: ArrayLike) -> SquaresState:
        """The state before the first step (``s = 0``)."""
        w = as_point(w0)
        return SquaresState(0, w, as_point(np.zeros_like(w)))

    def advance(
        self, state: SquaresState, objective: Objective, loss: float, gradient: np.ndarray
    ) -> tuple[SquaresState, StepInfo]:
        """One step, given the loss and gradient at ``state.w``."""
        eta = self.learning_rate
        squares = as_point(state.squares + gradient**2)
        w_after = as_point(state.w - eta * gradient / (np.sqrt(squares) + self.eps))

        def sum_line(i: int, name: str) -> str:
            s = auxiliary_name("s", name, objective)
            return (
                f"{s} {ARROW} {format_number(state.squares[i])} + "
                f"{format_operand(gradient[i])}² = {format_number(squares[i])}"
            )

        def text() -> str:
            moves = write_lines(
                objective,
                lambda i, name: _scaled_line(
                    name, state.w[i], eta, gradient[i], squares[i], w_after[i]
                ),
            )
            return f"{write_lines(objective, sum_line)}\n{moves}"

        info = finish(state, objective, loss, gradient, w_after, text)
        return SquaresState(state.k + 1, w_after, squares), info


@dataclass(frozen=True)
class RMSProp(Optimizer[SquaresState]):
    """RMSProp: ``s ← ρ s + (1 − ρ) g²``, ``w ← w − η g / (√s + ε)``.

    Parameters
    ----------
    learning_rate
        The step size η.
    rho
        ρ, how much of the running average of g² is kept each step (PyTorch's ``alpha``).
    eps
        ε, which keeps the division finite where the gradient has been 0.
    """

    key: ClassVar[str] = "rmsprop"
    rho: float = 0.99
    eps: float = 1e-8

    def __post_init__(self) -> None:
        super().__post_init__()
        check_fraction("rho", self.rho)
        check_positive("eps", self.eps)

    def init(self, w0: ArrayLike) -> SquaresState:
        """The state before the first step (``s = 0``)."""
        w = as_point(w0)
        return SquaresState(0, w, as_point(np.zeros_like(w)))

    def advance(
        self, state: SquaresState, objective: Objective, loss: float, gradient: np.ndarray
    ) -> tuple[SquaresState, StepInfo]:
        """One step, given the loss and gradient at ``state.w``."""
        eta, rho = self.learning_rate, self.rho
        squares = as_point(rho * state.squares + (1.0 - rho) * gradient**2)
        w_after = as_point(state.w - eta * gradient / (np.sqrt(squares) + self.eps))

        def text() -> str:
            averages = write_lines(
                objective,
                lambda i, name: _average_line(
                    auxiliary_name("s", name, objective),
                    rho,
                    state.squares[i],
                    f"{format_operand(gradient[i])}²",
                    squares[i],
                ),
            )
            moves = write_lines(
                objective,
                lambda i, name: _scaled_line(
                    name, state.w[i], eta, gradient[i], squares[i], w_after[i]
                ),
            )
            return f"{averages}\n{moves}"

        info = finish(state, objective, loss, gradient, w_after, text)
        return SquaresState(state.k + 1, w_after, squares), info


@dataclass(frozen=True)
class AdamState(State):
    """Adam's state: the point and the moving averages ``m`` (of g) and ``v`` (of g²)."""

    mean: np.ndarray
    squares: np.ndarray


@dataclass(frozen=True)
class Adam(Optimizer[AdamState]):
    """Adam with bias correction (Kingma and Ba, 2015).

    At step ``t = k + 1``::

        m ← β₁ m + (1 − β₁) g,     v ← β₂ v + (1 − β₂) g²,
        m̂ = m / (1 − β₁ᵗ),         v̂ = v / (1 − β₂ᵗ),
        w ← w − η m̂ / (√v̂ + ε)

    Parameters
    ----------
    learning_rate
        The step size η; each variable moves by about η per step at first.
    beta1, beta2
        Decay of the averages of g and g².
    eps
        ε, which keeps the division finite where the gradient has been 0.
    """

    key: ClassVar[str] = "adam"
    beta1: float = 0.9
    beta2: float = 0.999
    eps: float = 1e-8

    def __post_init__(self) -> None:
        super().__post_init__()
        check_fraction("beta1", self.beta1)
        check_fraction("beta2", self.beta2)
        check_positive("eps", self.eps)

    def init(self, w0: ArrayLike) -> AdamState:
        """The state before the first step (``m = v = 0``)."""
        w = as_point(w0)
        return AdamState(0, w, as_point(np.zeros_like(w)), as_point(np.zeros_like(w)))

    def advance(
        self, state: AdamState, objective: Objective, loss: float, gradient: np.ndarray
    ) -> tuple[AdamState, StepInfo]:
        """One step, given the loss and gradient at ``state.w``."""
        eta, beta1, beta2 = self.learning_rate, self.beta1, self.beta2
        t = state.k + 1
        mean = as_point(beta1 * state.mean + (1.0 - beta1) * gradient)
        squares = as_point(beta2 * state.squares + (1.0 - beta2) * gradient**2)
        mean_hat = mean / (1.0 - beta1**t)
        squares_hat = squares / (1.0 - beta2**t)
        w_after = as_point(state.w - eta * mean_hat / (np.sqrt(squares_hat) + self.eps))

        def corrected_line(symbol: str, name: str, raw: float, decay: float, fixed: float) -> str:
            return (
                f"{auxiliary_name(symbol + '̂', name, objective)} = {format_number(raw)} / "
                f"(1 {MINUS} {format_parameter(decay)}^{t}) = {format_number(fixed)}"
            )

        def text() -> str:
            lines = [
                write_lines(
                    objective,
                    lambda i, name: _average_line(
                        auxiliary_name("m", name, objective),
                        beta1,
                        state.mean[i],
                        format_operand(gradient[i]),
                        mean[i],
                    ),
                ),
                write_lines(
                    objective,
                    lambda i, name: _average_line(
                        auxiliary_name("v", name, objective),
                        beta2,
                        state.squares[i],
                        f"{format_operand(gradient[i])}²",
                        squares[i],
                    ),
                ),
                write_lines(
                    objective,
                    lambda i, name: corrected_line("m", name, mean[i], beta1, mean_hat[i]),
                ),
                write_lines(
                    objective,
                    lambda i, name: corrected_line("v", name, squares[i], beta2, squares_hat[i]),
                ),
                write_lines(
                    objective,
                    lambda i, name: (
                        f"{name} {ARROW} {format_number(state.w[i])} {MINUS} "
                        f"{format_parameter(eta)} {TIMES} {format_operand(mean_hat[i])} / "
                        f"(√{format_number(squares_hat[i])} + ε) = {format_number(w_after[i])}"
                    ),
                ),
            ]
            return "\n".join(lines)

        info = finish(state, objective, loss, gradient, w_after, text)
        return AdamState(state.k + 1, w_after, mean, squares), info
