"""A run in progress: one optimizer from one start, advanced one step at a time.

:func:`~calcstudio.core.optimize.trace.descend` is this loop run to its end; a window
steps a :class:`Run` once per animation frame and shows :meth:`Run.trace` so far. Both
use the same stopping rules, so what the animation shows is what ``descend`` returns.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal

import numpy as np
from numpy.typing import ArrayLike

from calcstudio.core.optimize.base import Optimizer, StepInfo, as_point, format_number
from calcstudio.core.optimize.newton import Newton
from calcstudio.core.optimize.objective import Objective, objective_from_function
from calcstudio.core.optimize.registry import make_optimizer
from calcstudio.core.optimize.step_texts import StepTexts
from calcstudio.core.optimize.trace import Status, StepHistory, Trace, format_point

if TYPE_CHECKING:
    from calcstudio.core.function import Function

RunStatus = Literal["running", "converged", "diverged", "undefined", "max_steps"]
"""Where a run stands: still ``running``, or why it stopped (see :class:`Trace`)."""

RUNAWAY_DISTANCE = 1e6
"""A run has diverged once any coordinate's size passes this."""
RUNAWAY_GROWTH = 1e6
"""A run has diverged once the loss has moved this many times its starting size."""
MAX_STEPS = 100_000
"""The most steps a run may take: the descent tab's limit, and ``descend``'s."""
_FIRST_CAPACITY = 256


class _Where:
    """A point's text, formatted when a message is written (rarely), not at every step."""

    def __init__(self, variables: tuple[str, ...], w: np.ndarray) -> None:
        self.variables, self.w = variables, w

    def __format__(self, spec: str) -> str:
        return format_point(self.variables, self.w)


def _step_budget(max_steps: Any) -> int:
    """``max_steps`` as a whole number from 0 to :data:`MAX_STEPS`, or a clear ValueError."""
    if isinstance(max_steps, bool) or not isinstance(max_steps, int | float | np.integer):
        raise ValueError(f"the number of steps must be a whole number, not {max_steps!r}")
    if not (np.isfinite(max_steps) and float(max_steps).is_integer()):
        raise ValueError(f"the number of steps must be a whole number, not {max_steps!r}")
    if not 0 <= max_steps <= MAX_STEPS:
        raise ValueError(f"the number of steps must be from 0 to {MAX_STEPS:,}, not {max_steps}")
    return int(max_steps)


def _overflows(objective: Objective, w0: np.ndarray) -> bool:
    """Whether f has no value at ``w0`` only because it is too large: halving the start
    towards 0 reaches points where f is finite and huge (beyond 10^100), as for x² at 1e200
    or exp(x) at 1000; where f is undefined (log(x) at −1) it stays undefined."""
    with np.errstate(all="ignore"):
        for k in range(1, 1100):  # 2^-1100 takes any float to 0
            loss = objective.loss_at(w0 * 0.5**k)
            if np.isfinite(loss):
                return bool(abs(loss) > 1e100)
    return False


def _start_point(start: ArrayLike) -> np.ndarray:
    """The start as real, finite float64 coordinates, or a clear ValueError."""
    try:
        raw = np.asarray(start)
    except (TypeError, ValueError) as error:  # ragged lists
        raise ValueError(f"the start must be a number or a list of numbers: {error}") from None
    if raw.dtype.kind not in "biuf":
        kind = "complex" if raw.dtype.kind == "c" else "not numbers"
        raise ValueError(f"the start must be real numbers, and {start!r} is {kind}")
    w0 = as_point(raw)
    if not _finite(w0):
        raise ValueError(f"the start must be finite numbers, not {start!r}")
    return w0


def _finite(*arrays: Any) -> bool:
    # The method, not np.all: its dispatch cost more than the test on a step's few numbers.
    return all(np.isfinite(a).all() for a in arrays)


class Run:
    """One optimizer descending from one start, one :meth:`step` at a time.

    Only finite values are ever stored: a step that runs away or leaves f's domain
    ends the run cleanly instead.

    Parameters
    ----------
    objective
        What is minimised.
    start
        The start point: a number for one variable, else one number per variable.
    optimizer
        The optimizer with its hyperparameters.
    max_steps
        The most steps to take (the status becomes ``"max_steps"`` after them).
    tolerance
        Converged once both the gradient's length and the last step's length are below it.

    Raises
    ------
    ValueError
        If the start is not real and finite or has the wrong number of coordinates, f or
        its slope is undefined there, ``max_steps`` is not a whole number from 0 to
        :data:`MAX_STEPS`, the tolerance is negative, or Newton's method gets no second
        derivative.
    """

    def __init__(
        self,
        objective: Objective,
        start: ArrayLike,
        optimizer: Optimizer[Any],
        *,
        max_steps: int = 100,
        tolerance: float = 1e-6,
    ) -> None:
        if isinstance(optimizer, Newton) and objective.hessian is None:
            raise ValueError("Newton's method needs the second derivative, and none was given")
        w0 = _start_point(start)
        self.max_steps = _step_budget(max_steps)
        if not (np.isfinite(tolerance) and tolerance >= 0):
            raise ValueError(f"the tolerance must be a number 0 or more, not {tolerance!r}")
        if w0.size != objective.dimension:
            raise ValueError(
                f"the start needs {objective.dimension} coordinate(s) "
                f"({', '.join(objective.variables)}), got {w0.size}"
            )
        with np.errstate(all="ignore"):
            loss, gradient = objective.loss_at(w0), objective.gradient_at(w0)
        where = format_point(objective.variables, w0)
        if not np.isfinite(loss):
            if _overflows(objective, w0):
                raise ValueError(
                    f"f is too large for the computer's numbers at the start, {where} "
                    "(they reach about 1.8e308); start nearer 0"
                )
            raise ValueError(f"f is undefined at the start, {where}")
        if not _finite(gradient):
            raise ValueError(f"the slope of f is undefined at the start, {where}")

        self.objective = objective
        self.optimizer = optimizer
        self.tolerance = float(tolerance)
        self.status: RunStatus = "running"
        self.message = "running"
        self._texts = StepTexts(optimizer, objective)
        self._notes: dict[int, str] = {}
        n = objective.dimension
        self._points = np.empty((_FIRST_CAPACITY, n))
        self._values = np.empty(_FIRST_CAPACITY)
        self._gradients = np.empty((_FIRST_CAPACITY, n))
        self._count = 0
        self._append(w0, loss, gradient)
        self._state = optimizer.init(w0)
        self._growth_limit = RUNAWAY_GROWTH * max(1.0, abs(loss))
        self._check_budget()

    # --- what has happened so far -------------------------------------------

    @property
    def finished(self) -> bool:
        """True once the run has stopped (converged, diverged, undefined or out of steps)."""
        return self.status != "running"

    @property
    def step_count(self) -> int:
        """Steps taken so far."""
        return self._count - 1

    @property
    def steps(self) -> StepHistory:
        """The step reports so far; ``steps[i]`` moves ``points[i]`` to ``points[i + 1]``."""
        return StepHistory(
            self._points, self._values, self._gradients, self._texts, self._notes, self.step_count
        )

    @property
    def points(self) -> np.ndarray:
        """``(k + 1, n)``: the start and each point reached (a view: do not modify)."""
        return self._points[: self._count]

    @property
    def values(self) -> np.ndarray:
        """``(k + 1,)``: the loss at each point (a view: do not modify)."""
        return self._values[: self._count]

    @property
    def gradients(self) -> np.ndarray:
        """``(k + 1, n)``: the gradient at each point (a view: do not modify)."""
        return self._gradients[: self._count]

    def trace(self) -> Trace:
        """The run so far as a :class:`Trace`; a running one has status ``"max_steps"``."""
        status: Status = "max_steps" if self.status == "running" else self.status
        message = f"{self.step_count} step(s) so far" if self.status == "running" else self.message
        return Trace(
            points=self.points,
            values=self.values,
            gradients=self.gradients,
            steps=self.steps,
            status=status,
            message=message,
            optimizer=self.optimizer.key,
            learning_rate=self.optimizer.learning_rate,
            variables=self.objective.variables,
        )

    def set_max_steps(self, max_steps: int) -> None:
        """Change the step budget; a run that had only run out of steps may go on."""
        self.max_steps = _step_budget(max_steps)
        if self.status == "max_steps" and self.step_count < self.max_steps:
            self.status, self.message = "running", "running"
        self._check_budget()

    # --- stepping -----------------------------------------------------------

    def step(self) -> StepInfo | None:
        """Take one step.

        Returns
        -------
        StepInfo or None
            The step's report, or None if the run had stopped already or this step
            would have left only non-finite numbers (then the run stops, and
            :attr:`status` and :attr:`message` say why).
        """
        if self.finished:
            return None
        objective = self.objective
        with np.errstate(all="ignore"):
            self._state, info = self.optimizer.advance(
                self._state, objective, float(self._values[self._count - 1]), self.gradients[-1]
            )
        w, loss, gradient = info.w_after, info.loss_after, info.gradient_after
        k = self.step_count + 1
        where = _Where(objective.variables, w)  # written out only if a message needs it
        too_far = not _finite(w) or bool(np.max(np.abs(w)) > RUNAWAY_DISTANCE)
        if not _finite(w, loss, gradient):
            if too_far:
                self._stop("diverged", f"diverged at step {k}: the step ran off to {where}")
            else:
                what = "f" if not np.isfinite(loss) else "the slope of f"
                self._stop(
                    "undefined",
                    f"stopped before step {k}: it would land at {where}, where {what} is undefined",
                )
            return None
        self._append(w, loss, gradient)
        if info.note:
            self._notes[self.step_count - 1] = info.note
        self._texts.add(info)
        start_loss = float(self._values[0])
        if too_far or abs(loss - start_loss) > self._growth_limit:
            self._stop(
                "diverged",
                f"diverged after {k} steps: now at {where} with loss "
                f"{format_number(loss)} (it started at {format_number(start_loss)})",
            )
            return info
        slope, move = float(np.linalg.norm(gradient)), float(np.linalg.norm(info.step))
        if slope < self.tolerance and move < self.tolerance:
            self._stop(
                "converged",
                f"converged after {k} steps at {where}: slope {format_number(slope)}, "
                f"last step {format_number(move)}",
            )
            return info
        self._check_budget()
        return info

    # --- internals ----------------------------------------------------------

    def _stop(self, status: RunStatus, message: str) -> None:
        self.status, self.message = status, message

    def _check_budget(self) -> None:
        if self.status == "running" and self.step_count >= self.max_steps:
            self._stop("max_steps", f"ran all {self.max_steps} steps without converging")

    def _append(self, w: np.ndarray, loss: float, gradient: np.ndarray) -> None:
        # Grow by doubling so a long animation appends in amortised constant time.
        if self._count == len(self._values):
            capacity = 2 * len(self._values)
            self._points = np.resize(self._points, (capacity, self._points.shape[1]))
            self._values = np.resize(self._values, capacity)
            self._gradients = np.resize(self._gradients, (capacity, self._gradients.shape[1]))
        self._points[self._count] = w
        self._values[self._count] = loss
        self._gradients[self._count] = gradient
        self._count += 1


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
        The most steps to take, a whole number up to :data:`MAX_STEPS` (100,000).
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
        If the start is not real and finite or has the wrong number of coordinates, f or
        its gradient is undefined there, ``steps`` is not a whole number from 0 to
        :data:`MAX_STEPS`, Newton's method gets no Hessian, or a hyperparameter is invalid.

    Examples
    --------
    >>> from calcstudio.core.function import parse
    >>> trace = descend(parse("x^2"), 5.0, 0.1, steps=3)
    >>> trace.points[:, 0].round(6).tolist()
    [5.0, 4.0, 3.2, 2.56]
    """
    objective = (
        f_or_objective
        if isinstance(f_or_objective, Objective)
        else objective_from_function(f_or_objective)
    )
    if isinstance(optimizer, Optimizer):
        if learning_rate is not None or hyperparameters:
            raise ValueError("give hyperparameters either in the optimizer object or here")
        method = optimizer
    else:
        rate = {} if learning_rate is None else {"learning_rate": learning_rate}
        method = make_optimizer(optimizer, **rate, **hyperparameters)
    run = Run(objective, start, method, max_steps=steps, tolerance=tolerance)
    while not run.finished:
        run.step()
    return run.trace()
