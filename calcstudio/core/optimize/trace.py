"""The path of a run: the :class:`Trace` that ``descend`` returns and a window shows."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

from calcstudio.core.optimize.base import StepInfo, format_number

Status = Literal["converged", "diverged", "undefined", "max_steps"]
"""Why a run stopped (see :class:`Trace`)."""


def format_point(variables: tuple[str, ...], w: np.ndarray) -> str:
    """``x = 1.000``, or ``(w1, w2) = (1.000, −2.000)``."""
    if len(variables) == 1:
        return f"{variables[0]} = {format_number(w[0])}"
    return f"({', '.join(variables)}) = ({', '.join(format_number(c) for c in w)})"


@dataclass(frozen=True)
class Trace:
    """The path of one run; every number in it is finite.

    Attributes
    ----------
    points
        ``(k + 1, n)``: the start and the point after each of the ``k`` steps.
    values
        ``(k + 1,)``: the loss at each point.
    gradients
        ``(k + 1, n)``: the gradient at each point.
    steps
        The ``k`` step reports; ``steps[i]`` moves ``points[i]`` to ``points[i + 1]``.
    status
        ``"converged"``: the gradient and the last step are both below the tolerance
        (a stationary point, not necessarily a minimum: see ``diagnose``);
        ``"diverged"``: the point or the loss ran away (or overflowed);
        ``"undefined"``: the next step landed where f or its slope is undefined;
        ``"max_steps"``: the step budget ran out first.
    message
        The status in words, with numbers.
    optimizer
        The optimizer's key, e.g. ``"gd"``.
    learning_rate
        Its learning rate.
    variables
        The variable names.
    """

    points: np.ndarray
    values: np.ndarray
    gradients: np.ndarray
    steps: tuple[StepInfo, ...]
    status: Status
    message: str
    optimizer: str
    learning_rate: float
    variables: tuple[str, ...]

    @property
    def step_count(self) -> int:
        """Number of steps taken."""
        return len(self.steps)

    def upto(self, k: int) -> Trace:
        """The first ``k`` steps of this run, as the window shows it mid-animation."""
        if k >= self.step_count:
            return self
        k = max(k, 0)
        return Trace(
            self.points[: k + 1],
            self.values[: k + 1],
            self.gradients[: k + 1],
            self.steps[:k],
            "max_steps",
            f"{k} of {self.step_count} steps shown",
            self.optimizer,
            self.learning_rate,
            self.variables,
        )
