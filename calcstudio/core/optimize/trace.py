"""Running an optimizer for many steps: :func:`descend` and the :class:`Trace` it returns."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
from numpy.typing import ArrayLike

from calcstudio.core.optimize.base import Optimizer, StepInfo, as_point, format_number
from calcstudio.core.optimize.newton import Newton
from calcstudio.core.optimize.objective import Objective, objective_from_function
from calcstudio.core.optimize.registry import make_optimizer

if TYPE_CHECKING:
    from calcstudio.core.function import Function

Status = Literal["converged", "diverged", "undefined", "max_steps"]
"""Why a run stopped (see :func:`descend`)."""

RUNAWAY_DISTANCE = 1e6
"""A run has diverged once any coordinate's size passes this."""
RUNAWAY_GROWTH = 1e6
"""A run has diverged once the loss has moved this many times its starting size."""


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


def _objective(f_or_objective: Objective | Function) -> Objective:
    if isinstance(f_or_objective, Objective):
        return f_or_objective
    return objective_from_function(f_or_objective)


def _finite(*arrays: Any) -> bool:
    return all(np.all(np.isfinite(a)) for a in arrays)


def descend(
    f_or_objective: Objective | Function,
    start: ArrayLike,
    learning_rate: float | None = None,
    steps: int = 100,
    optimizer: str | Optimizer[Any] = "gd",
    *,
    tolerance: float = 1e-6,
    **hyperparameters: float,
) -> Trace:
    """Run an optimizer from ``start`` until it converges, diverges or uses ``steps``.

    Parameters
    ----------
    f_or_objective
        A :class:`~calcstudio.core.function.Function` or an :class:`Objective`.
    start
        The start point: a number for one variable, else one number per variable.
    learning_rate
        η; None for the optimizer's default (0.1 for gradient descent, 1 for Newton).
    steps
        The most steps to take.
    optimizer
        A key of ``OPTIMIZERS`` or an optimizer object (then ``learning_rate`` and
        ``hyperparameters`` must not be given).
    tolerance
        Converged once both the gradient's length and the last step's length are below it.
    **hyperparameters
        Other hyperparameters, e.g. ``beta=0.8``.

    Returns
    -------
    Trace
        Holds only finite values: a runaway or undefined point ends the run cleanly.

    Raises
    ------
    ValueError
        If the start has the wrong number of coordinates, f or its gradient is
        undefined there, Newton's method gets no Hessian, or a hyperparameter is invalid.

    Examples
    --------
    >>> from calcstudio.core.function import parse
    >>> trace = descend(parse("x^2"), 5.0, 0.1, steps=3)
    >>> trace.points[:, 0].round(6).tolist()
    [5.0, 4.0, 3.2, 2.56]
    """
    objective = _objective(f_or_objective)
    if isinstance(optimizer, Optimizer):
        if learning_rate is not None or hyperparameters:
            raise ValueError("give hyperparameters either in the optimizer object or here")
        method = optimizer
    else:
        rate = {} if learning_rate is None else {"learning_rate": learning_rate}
        method = make_optimizer(optimizer, **rate, **hyperparameters)
    if isinstance(method, Newton) and objective.hessian is None:
        raise ValueError("Newton's method needs the second derivative, and none was given")

    w0 = as_point(start)
    if w0.size != objective.dimension:
        raise ValueError(
            f"the start needs {objective.dimension} coordinate(s) "
            f"({', '.join(objective.variables)}), got {w0.size}"
        )
    loss, gradient = objective.loss_at(w0), objective.gradient_at(w0)
    where = format_point(objective.variables, w0)
    if not np.isfinite(loss):
        raise ValueError(f"f is undefined at the start, {where}")
    if not _finite(gradient):
        raise ValueError(f"the slope of f is undefined at the start, {where}")

    points, values, gradients = [w0], [loss], [gradient]
    infos: list[StepInfo] = []
    growth_limit = RUNAWAY_GROWTH * max(1.0, abs(loss))
    status: Status = "max_steps"
    message = f"ran all {steps} steps without converging"
    state = method.init(w0)
    for k in range(steps):
        state, info = method.advance(state, objective, loss, gradient)
        w, loss, gradient = info.w_after, info.loss_after, info.gradient_after
        where = format_point(objective.variables, w)
        too_far = not _finite(w) or bool(np.max(np.abs(w)) > RUNAWAY_DISTANCE)
        if not _finite(w, loss, gradient):
            status = "diverged" if too_far else "undefined"
            message = (
                f"diverged at step {k + 1}: the step ran off to {where}"
                if too_far
                else f"stopped at step {k + 1}: it would land at {where}, where "
                + ("f" if not np.isfinite(loss) else "the slope of f")
                + " is undefined"
            )
            break
        points.append(w)
        values.append(loss)
        gradients.append(gradient)
        infos.append(info)
        if too_far or abs(loss - values[0]) > growth_limit:
            status = "diverged"
            message = (
                f"diverged after {k + 1} steps: now at {where} with loss "
                f"{format_number(loss)} (it started at {format_number(values[0])})"
            )
            break
        slope, move = float(np.linalg.norm(gradient)), float(np.linalg.norm(info.step))
        if slope < tolerance and move < tolerance:
            status = "converged"
            message = (
                f"converged after {k + 1} steps at {where}: slope {format_number(slope)}, "
                f"last step {format_number(move)}"
            )
            break

    return Trace(
        points=np.array(points),
        values=np.array(values),
        gradients=np.array(gradients),
        steps=tuple(infos),
        status=status,
        message=message,
        optimizer=method.key,
        learning_rate=method.learning_rate,
        variables=objective.variables,
    )
