"""The path of a run: the :class:`Trace` that ``descend`` returns and a window shows."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal, overload

import numpy as np

from calcstudio.core.optimize.base import StepInfo, as_point, format_number

if TYPE_CHECKING:
    from calcstudio.core.optimize.step_texts import StepTexts

Status = Literal["converged", "diverged", "undefined", "max_steps"]
"""Why a run stopped (see :class:`Trace`)."""


def format_point(variables: tuple[str, ...], w: np.ndarray) -> str:
    """``x = 1.000``, or ``(w1, w2) = (1.000, −2.000)``."""
    if len(variables) == 1:
        return f"{variables[0]} = {format_number(w[0])}"
    return f"({', '.join(variables)}) = ({', '.join(format_number(c) for c in w)})"


class StepHistory(Sequence[StepInfo]):
    """The step reports of a run, rebuilt on demand from its arrays.

    A run of 100,000 steps kept one :class:`StepInfo` (four small arrays and a text, about
    1 kB) per step: 100 MB a run, 700 MB for a race of seven. The points, losses and
    gradients are already in the run's arrays, the texts are written when read (see
    :mod:`~calcstudio.core.optimize.step_texts`) and only the rare notes are kept, and a
    report is assembled when it is read, equal to the one the optimizer returned.

    Parameters
    ----------
    points, values, gradients
        The run's arrays, at least ``stop + 1`` long.
    texts
        The run's step texts; only the first ``stop`` are used (the run may take more
        steps).
    notes
        The notes of the steps that have one, by step index.
    stop
        The number of steps.
    """

    def __init__(
        self,
        points: np.ndarray,
        values: np.ndarray,
        gradients: np.ndarray,
        texts: StepTexts,
        notes: dict[int, str],
        stop: int,
    ) -> None:
        self._arrays = (points, values, gradients)
        self._texts, self._notes, self._stop = texts, notes, stop

    def __len__(self) -> int:
        return self._stop

    @overload
    def __getitem__(self, index: int) -> StepInfo: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[StepInfo]: ...

    def __getitem__(self, index: int | slice) -> StepInfo | Sequence[StepInfo]:
        if isinstance(index, slice):
            start, stop, stride = index.indices(self._stop)
            if start == 0 and stride == 1:  # a prefix, as Trace.upto takes: still compact
                return StepHistory(*self._arrays, self._texts, self._notes, max(stop, 0))
            return tuple(self[k] for k in range(start, stop, stride))
        k = index + self._stop if index < 0 else index
        if not 0 <= k < self._stop:
            raise IndexError("step index out of range")
        points, values, gradients = self._arrays
        return StepInfo(
            k=k,
            w_before=as_point(points[k]),
            gradient=as_point(gradients[k]),
            w_after=as_point(points[k + 1]),
            gradient_after=as_point(gradients[k + 1]),
            loss_before=float(values[k]),
            loss_after=float(values[k + 1]),
            writer=functools.partial(self._texts.text, k, points, values, gradients),
            note=self._notes.get(k, ""),
        )


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
    steps: Sequence[StepInfo]
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
