"""The common shape of every optimizer: an immutable state, a pure step, a step report.

An optimizer is a small frozen object holding its hyperparameters. ``init(w0)`` gives
the state before the first step; ``step(state, objective)`` returns the next state and
a :class:`StepInfo` that says, with the actual numbers, what the update did. Nothing is
mutated, so a window can keep every state of a run and replay or branch from any one.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import ClassVar, Generic, TypeVar

import numpy as np
from numpy.typing import ArrayLike

from calcstudio.core import numbers
from calcstudio.core.optimize.objective import Objective

ARROW = "←"
MINUS = "−"
TIMES = "×"


def as_point(w: ArrayLike) -> np.ndarray:
    """A read-only 1-D float64 copy of ``w`` (a number becomes a 1-element array)."""
    point = np.array(w, dtype=float).reshape(-1)
    point.setflags(write=False)
    return point


def format_number(x: float) -> str:
    """A value for a step text, by the one rule for digits (:mod:`calcstudio.core.numbers`).

    Negative numbers use the minus sign ``−``, like the operators in the texts.
    """
    return numbers.format_number(x).replace("-", MINUS)


def format_operand(x: float) -> str:
    """Like :func:`format_number`, with negative numbers in parentheses."""
    text = format_number(x)
    return f"({text})" if text.startswith(MINUS) else text


def format_parameter(x: float) -> str:
    """A hyperparameter as the learner set it: ``0.1``, ``0.999``, ``1e−8``."""
    return numbers.format_number(x, digits=6).replace("-", MINUS)


@dataclass(frozen=True)
class State:
    """Where an optimizer stands: the step count ``k`` and the point ``w`` (read-only)."""

    k: int
    w: np.ndarray


@dataclass(frozen=True)
class StepInfo:
    """What one step did, for readouts and traces.

    Attributes
    ----------
    k
        Index of the step: step ``k`` moves ``w_k`` to ``w_{k+1}``.
    w_before, w_after
        The point before and after the step.
    gradient
        The gradient at ``w_before``.
    gradient_after
        The gradient at ``w_after`` (so the next step need not compute it again).
    loss_before, loss_after
        The loss at ``w_before`` and ``w_after``.
    text
        The update written out with its numbers, one line per variable, e.g.
        ``x ← 1.200 − 0.1 × 2.400 = 0.960``: written by ``writer`` when first read (a
        window reads only the last step's, and writing each step's numbers was two fifths
        of a step's time).
    writer
        Writes :attr:`text`.
    note
        A remark, e.g. when Newton's method fell back to a gradient step; else "".
    """

    k: int
    w_before: np.ndarray
    gradient: np.ndarray
    w_after: np.ndarray
    gradient_after: np.ndarray
    loss_before: float
    loss_after: float
    writer: Callable[[], str] = field(repr=False, compare=False)
    note: str = ""

    @functools.cached_property
    def text(self) -> str:
        """The update written out with its numbers (see the class's attributes)."""
        return self.writer()

    @property
    def step(self) -> np.ndarray:
        """The move ``w_after - w_before``."""
        return self.w_after - self.w_before


S = TypeVar("S", bound=State)


@dataclass(frozen=True)
class Optimizer(Generic[S]):
    """Base of the optimizers: hyperparameters in, pure steps out.

    Parameters
    ----------
    learning_rate
        The step size η.
    """

    key: ClassVar[str] = ""
    learning_rate: float = 0.1

    def __post_init__(self) -> None:
        if not (math.isfinite(self.learning_rate) and self.learning_rate > 0):
            raise ValueError(
                f"the learning rate must be a positive number, not {self.learning_rate}"
            )

    def init(self, w0: ArrayLike) -> S:
        """The state before the first step, at the start point ``w0``."""
        raise NotImplementedError

    def step(self, state: S, objective: Objective) -> tuple[S, StepInfo]:
        """Take one step on ``objective`` from ``state``.

        Returns
        -------
        new_state, info
            The next state and a report of the step.
        """
        return self.advance(
            state, objective, objective.loss_at(state.w), objective.gradient_at(state.w)
        )

    def advance(
        self, state: S, objective: Objective, loss: float, gradient: np.ndarray
    ) -> tuple[S, StepInfo]:
        """Like :meth:`step`, given the loss and gradient at ``state.w`` already.

        A run passes ``info.loss_after`` and ``info.gradient_after`` of the previous
        step here, so each point is evaluated once.
        """
        raise NotImplementedError


def check_fraction(name: str, value: float) -> None:
    """Raise ValueError unless ``0 <= value < 1`` (a decay rate such as β)."""
    if not 0.0 <= value < 1.0:
        raise ValueError(f"{name} must be at least 0 and below 1, not {value}")


def check_positive(name: str, value: float) -> None:
    """Raise ValueError unless ``value`` is a positive finite number."""
    if not (math.isfinite(value) and value > 0):
        raise ValueError(f"{name} must be a positive number, not {value}")


def auxiliary_name(symbol: str, variable: str, objective: Objective) -> str:
    """Name of a per-variable quantity: ``v`` for one variable, ``v[w1]`` for several."""
    return symbol if objective.dimension == 1 else f"{symbol}[{variable}]"


def write_lines(objective: Objective, line: Callable[[int, str], str]) -> str:
    """One text line per variable: ``line(i, name)`` for each coordinate."""
    return "\n".join(line(i, name) for i, name in enumerate(objective.variables))


def finish(
    state: State,
    objective: Objective,
    loss: float,
    gradient: np.ndarray,
    w_after: np.ndarray,
    text: Callable[[], str],
    note: str = "",
) -> StepInfo:
    """Evaluate the loss and gradient at ``w_after`` and assemble the :class:`StepInfo`
    (``text`` writes the step's text, when it is read)."""
    w_after = as_point(w_after)
    return StepInfo(
        k=state.k,
        w_before=state.w,
        gradient=as_point(gradient),
        w_after=w_after,
        gradient_after=as_point(objective.gradient_at(w_after)),
        loss_before=float(loss),
        loss_after=objective.loss_at(w_after),
        writer=text,
        note=note,
    )
