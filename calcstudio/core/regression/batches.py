"""Stochastic and mini-batch gradient descent on a line fit: each step follows the gradient of
the loss on a sample of the points, not on all of them.

Batches follow PyTorch's ``DataLoader(shuffle=True, drop_last=False)``: each epoch visits every
point once, in a fresh random order, ``k`` points a step (the last batch of an epoch holds what
is left). The order comes from the seed and the epoch alone, so a run is reproducible and a
step's batch does not depend on what came before.

A batch's loss is the same kind as the full one: the SSE of a batch is the sum over its points,
the MSE their mean. So with the MSE a batch's gradient estimates the full gradient whatever
``k`` and ``n`` (one learning rate suits full batch, mini-batch and SGD); with the SSE it is
about k/n of it. Over an epoch of equal batches, the batch gradients taken at one point add up
to the full SSE gradient, and average to the full MSE gradient.
"""

from __future__ import annotations

import math
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
    finish,
    format_number,
    format_operand,
    format_parameter,
)
from calcstudio.core.optimize.objective import Objective
from calcstudio.core.regression.dataset import Dataset, exact_sum
from calcstudio.core.regression.line_fit import LineFit, Loss
from calcstudio.core.regression.line_fit import readout_number as _n


def batch_indices(count: int, batch_size: int, seed: int, step: int) -> np.ndarray:
    """The points (indices into the data) whose gradient step ``step`` (from 0) follows.

    Parameters
    ----------
    count
        How many points the data has.
    batch_size
        Points a step, ``k``; ``k ≥ count`` is the full batch (every point, in order).
    seed
        Makes the order reproducible.
    step
        Which step.

    Raises
    ------
    ValueError
        For no data, a batch size below 1 or a negative step.
    """
    if count < 1 or batch_size < 1 or step < 0:
        raise ValueError("a batch needs at least one point, a batch size of 1 or more, step ≥ 0")
    if batch_size >= count:
        return np.arange(count)
    per_epoch = math.ceil(count / batch_size)
    epoch, index = divmod(step, per_epoch)
    order = np.random.default_rng([seed, epoch]).permutation(count)
    return order[index * batch_size : (index + 1) * batch_size]


def batch_gradient(
    dataset: Dataset, loss: Loss, m: float, c: float, indices: np.ndarray
) -> np.ndarray:
    """(∂L_B/∂m, ∂L_B/∂c): the gradient at (m, c) of the loss on the points ``indices`` only,
    ``−2 Σ_B xᵢ rᵢ`` and ``−2 Σ_B rᵢ`` with ``rᵢ = yᵢ − m xᵢ − c`` (divided by the batch's
    size for the MSE)."""
    x, y = dataset.x[indices], dataset.y[indices]
    residual = y - m * x - c
    gradient = -2.0 * np.array([exact_sum(x * residual), exact_sum(residual)])
    return gradient / len(indices) if loss == "MSE" else gradient


@dataclass(frozen=True, eq=False, kw_only=True)  # the data are arrays: compared by identity
class MiniBatchDescent(Optimizer[State]):
    """Gradient descent whose every step uses the gradient of one batch:
    ``w ← w − η ∇L_B(w)``. With ``batch_size`` 1 it is stochastic gradient descent (SGD).

    The run's loss and gradient readouts stay those of the whole data (the loss the learner
    watches); only the step is taken along the batch's gradient.

    Parameters
    ----------
    learning_rate
        The step size η (the one positional parameter; the others are named).
    dataset, loss
        The points and the loss (``"SSE"`` or ``"MSE"``) the batches are drawn from.
    batch_size
        Points a step.
    seed
        Seed of the shuffled order.
    """

    key: ClassVar[str] = "gd"
    dataset: Dataset
    loss: Loss = "SSE"
    batch_size: int = 1
    seed: int = 0

    def __post_init__(self) -> None:
        super().__post_init__()
        if len(self.dataset) < 1 or self.batch_size < 1:
            raise ValueError("mini-batch descent needs data and a batch of at least 1 point")

    def init(self, w0: ArrayLike) -> State:
        """The state before the first step."""
        return State(0, as_point(w0))

    def advance(
        self, state: State, objective: Objective, loss: float, gradient: np.ndarray
    ) -> tuple[State, StepInfo]:
        """One step along the gradient of step ``state.k``'s batch (``gradient``, the full
        one, is not used for the move)."""
        eta = self.learning_rate
        indices = self.batch(state.k)
        g = batch_gradient(self.dataset, self.loss, state.w[0], state.w[1], indices)
        w_after = as_point(state.w - eta * g)

        def text() -> str:
            return "\n".join(
                f"{name} {ARROW} {format_number(state.w[i])} {MINUS} {format_parameter(eta)} "
                f"{TIMES} {format_operand(g[i])} = {format_number(w_after[i])}"
                for i, name in enumerate(objective.variables)
            )

        note = self.describe_batch(state.k, indices)
        return State(state.k + 1, w_after), finish(state, objective, loss, g, w_after, text, note)

    def batch(self, step: int) -> np.ndarray:
        """The points step ``step`` (from 0) uses."""
        return batch_indices(len(self.dataset), self.batch_size, self.seed, step)

    def step_gradient(self, step: int, w: np.ndarray) -> np.ndarray:
        """The batch gradient step ``step`` took at ``w`` (a run's step history keeps the
        whole data's gradient at each point, not the batch's)."""
        return batch_gradient(self.dataset, self.loss, float(w[0]), float(w[1]), self.batch(step))

    def describe_batch(self, step: int, indices: np.ndarray) -> str:
        """``batch 2 of epoch 1: points 4, 17, 9 (the SSE's gradient over these 3)``."""
        per_epoch = math.ceil(len(self.dataset) / self.batch_size)
        epoch, index = divmod(step, per_epoch)
        shown = ", ".join(str(int(i) + 1) for i in indices[:8])
        more = ", …" if len(indices) > 8 else ""
        if len(indices) == 1:
            return (
                f"batch {index + 1} of {per_epoch} in epoch {epoch + 1}: point {shown} "
                f"(the gradient of the {self.loss} of this one point)"
            )
        return (
            f"batch {index + 1} of {per_epoch} in epoch {epoch + 1}: points {shown}{more} "
            f"(the gradient of the {self.loss} over these {len(indices)})"
        )


@dataclass(frozen=True)
class BatchEnd:
    """Where a mini-batch run is, against the least-squares point.

    Attributes
    ----------
    distance
        From the current (m, c) to the least-squares (m, c).
    start_distance
        From the start to the least-squares point.
    above
        How far the loss is above the bottom of the bowl.
    wander
        The largest distance from the least-squares point over the last ``window`` steps.
    window
        How many of the last steps ``wander`` looks at.
    """

    distance: float
    start_distance: float
    above: float
    wander: float
    window: int


def batch_end(fit: LineFit, path: np.ndarray, window: int = 50) -> BatchEnd | None:
    """How far the run's last point, and its last ``window`` steps, are from the bottom (None
    when the bowl has no single bottom)."""
    best = fit.best_line()
    if best is None:
        return None
    gaps = np.hypot(path[:, 0] - best[0], path[:, 1] - best[1])
    shown = min(window, len(path) - 1)
    above = float(fit.value(*path[-1])) - float(fit.value(*best))
    return BatchEnd(float(gaps[-1]), float(gaps[0]), above, float(gaps[-shown - 1 :].max()), shown)


def batch_verdict(fit: LineFit, path: np.ndarray, batch_size: int, status: str) -> str:
    """What a mini-batch run is doing, in words with its numbers.

    Parameters
    ----------
    fit
        The full loss.
    path
        The run's points so far, ``(k + 1, 2)``.
    batch_size
        Points a step (below the number of points).
    status
        The run's status (``"running"``, ``"max_steps"``, ``"converged"``, ``"diverged"``,
        ``"undefined"``).
    """
    n = fit.statistics.n
    kind = "SGD, one point" if batch_size == 1 else f"mini-batch of {batch_size} of the {n} points"
    steps = len(path) - 1
    if status in ("diverged", "undefined"):
        return f"Diverged ({kind} a step): the steps overshot and the loss ran away. Lower η."
    end = batch_end(fit, path)
    if end is None:
        return f"{kind.capitalize()} a step: every x is the same, so there is no single bottom."
    where = (
        f"it is {_n(end.distance)} from the least-squares point in (m, c), its {fit.loss} "
        f"{_n(end.above)} above the bottom"
    )
    if steps == 0:
        return f"Ready ({kind} a step): each step will follow the gradient of one batch."
    if status == "converged":
        return (
            f"Converged after {steps} steps ({kind} a step): the whole data's gradient and the "
            f"last batch's step are both below the tolerance; {where}."
        )
    if end.distance <= 0.1 * end.start_distance:
        return (
            f"Noisy ({kind} a step): each step follows one batch's gradient, not the whole "
            f"data's, so the path wobbles. After {steps} steps {where}: near the bottom, not "
            f"at it; over the last {end.window} steps it strayed up to {_n(end.wander)} from "
            "it. A smaller η or a larger batch settles closer."
        )
    return (
        f"Noisy ({kind} a step): each step follows one batch's gradient, so the path wobbles. "
        f"After {steps} steps {where}, still on its way (it started "
        f"{_n(end.start_distance)} away)."
    )


RATE_NOTE: dict[Loss, str] = {
    "MSE": "With the MSE a batch's gradient is the mean over its points: it estimates the "
    "full gradient at any batch size and any n, so one learning rate suits full batch, "
    "mini-batch and SGD.",
    "SSE": "With the SSE a batch's gradient is the sum over its k points, about k/n of the "
    "full one: a batch step is that much shorter, so mini-batches usually take the MSE "
    "(its rate does not depend on n or k).",
}
"""The learning-rate note under the batch-size control."""


__all__ = [
    "RATE_NOTE",
    "BatchEnd",
    "MiniBatchDescent",
    "batch_end",
    "batch_gradient",
    "batch_indices",
    "batch_verdict",
]
