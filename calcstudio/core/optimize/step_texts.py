"""The texts of a run's steps, written only when someone reads them.

Each step's text writes out its update with its numbers (``x ← 1.2 − 0.1 × 2.4 = 0.96``):
about two fifths of a step's time, and seven racers take a step each per frame. A window
reads only the last step's text (its readout); the texts of earlier steps are for the API
(``descend(...).steps[k].text``) and the tests. So the last step's report keeps the means
to write its own, and an earlier step's text is written by taking the run's steps again
from its start with the optimizer, fed the loss and gradient the run recorded at each
point: a step is a pure function of them and the optimizer's state, so the numbers are the
same, and f is not evaluated again. The texts written so are kept (as UTF-8, compact), so
reading them all costs one pass.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from calcstudio.core.optimize.base import Optimizer, State, StepInfo
from calcstudio.core.optimize.objective import Objective


class StepTexts:
    """The step texts of one run (see the module).

    Parameters
    ----------
    optimizer
        The run's optimizer.
    objective
        The run's objective (its Hessian and variable names; Newton's method asks for the
        Hessian at each point again).
    """

    def __init__(self, optimizer: Optimizer[Any], objective: Objective) -> None:
        self._optimizer, self._objective = optimizer, objective
        self._last: StepInfo | None = None
        self._written: list[bytes] = []
        self._state: State | None = None
        """The optimizer's state after the steps written so far."""

    def add(self, info: StepInfo) -> None:
        """The run took the step ``info`` (its text is written if it is read)."""
        self._last = info

    def text(self, k: int, points: np.ndarray, values: np.ndarray, gradients: np.ndarray) -> str:
        """The text of step ``k``, from the run's arrays (at least ``k + 2`` rows)."""
        if self._last is not None and self._last.k == k:
            return self._last.text
        self._write_up_to(k, points, values, gradients)
        return self._written[k].decode()

    def _write_up_to(
        self, k: int, points: np.ndarray, values: np.ndarray, gradients: np.ndarray
    ) -> None:
        state = self._state if self._state is not None else self._optimizer.init(points[0])
        objective = self._objective
        with np.errstate(all="ignore"):
            while len(self._written) <= k:
                j = len(self._written)
                recorded = Objective(
                    lambda *_, j=j: values[j + 1],
                    lambda *_, j=j: gradients[j + 1],
                    objective.hessian,
                    objective.variables,
                )
                state, info = self._optimizer.advance(
                    state, recorded, float(values[j]), gradients[j]
                )
                self._written.append(info.text.encode())
        self._state = state


__all__ = ["StepTexts"]
