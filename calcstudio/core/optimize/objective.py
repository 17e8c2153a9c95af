"""What an optimizer minimises: the loss and its derivatives as plain callables.

The window has compiled numpy evaluators and never sympy, so the optimizers only ever
see an :class:`Objective`: a loss, its gradient and (for Newton's method) its Hessian,
each a callable taking one float array per variable.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from calcstudio.core.function import Function

Evaluator = Callable[..., Any]
"""A callable taking one float array per variable and returning a float array."""


@dataclass(frozen=True)
class Objective:
    """A loss to minimise, with its derivatives, as callables over coordinates.

    Parameters
    ----------
    loss
        ``loss(*coords)``: the value, NaN where undefined.
    gradient
        ``gradient(*coords)``: a sequence with one partial derivative per variable.
    hessian
        ``hessian(*coords)``: rows of second partial derivatives (for one variable,
        ``[[f''(x)]]``), or None if unknown. Only Newton's method needs it.
    variables
        Variable names, used in the step texts (``('x',)``, ``('w1', 'w2')``).
    """

    loss: Evaluator
    gradient: Callable[..., Sequence[Any]]
    hessian: Callable[..., Sequence[Sequence[Any]]] | None = None
    variables: tuple[str, ...] = ("x",)

    @property
    def dimension(self) -> int:
        """Number of variables."""
        return len(self.variables)

    def loss_at(self, w: np.ndarray) -> float:
        """The loss at the point ``w`` (a 1-D array), NaN where undefined."""
        return float(np.asarray(self.loss(*w), dtype=float))

    def gradient_at(self, w: np.ndarray) -> np.ndarray:
        """The gradient at ``w`` as a 1-D float array."""
        return np.array([float(np.asarray(g, dtype=float)) for g in self.gradient(*w)])

    def hessian_at(self, w: np.ndarray) -> np.ndarray:
        """The Hessian at ``w`` as an ``n x n`` float array.

        Raises
        ------
        ValueError
            If this objective has no Hessian.
        """
        if self.hessian is None:
            raise ValueError("this method needs second derivatives, and none were given")
        rows = self.hessian(*w)
        return np.array([[float(np.asarray(h, dtype=float)) for h in row] for row in rows])

    def hessians_at(self, points: np.ndarray) -> np.ndarray:
        """The Hessian at each of ``m`` points ``(m, n)``, as ``(m, n, n)``, in one call.

        Raises
        ------
        ValueError
            If this objective has no Hessian.
        """
        if self.hessian is None:
            raise ValueError("this method needs second derivatives, and none were given")
        m, n = points.shape
        with np.errstate(all="ignore"):
            try:
                rows = self.hessian(*(points[:, i] for i in range(n)))
                entries = [
                    [np.broadcast_to(np.asarray(h, dtype=float), (m,)) for h in row] for row in rows
                ]
            except (TypeError, ValueError):  # callables that take numbers only
                return np.array([self.hessian_at(w) for w in points])
        return np.array(entries).transpose(2, 0, 1)


def objective_from_evaluators(
    loss: Evaluator,
    partials: Sequence[Evaluator],
    second_partials: Sequence[Sequence[Evaluator]] | None = None,
    variables: Sequence[str] | None = None,
) -> Objective:
    """Build an :class:`Objective` from one evaluator per derivative.

    Parameters
    ----------
    loss
        The loss evaluator.
    partials
        One evaluator per variable: the partial derivatives, in variable order.
    second_partials
        The Hessian as rows of evaluators (``[[f2]]`` for one variable), or None.
    variables
        Variable names; ``x`` for one variable and ``w1, w2, ...`` otherwise if None.

    Returns
    -------
    Objective
    """
    partials = tuple(partials)
    if variables is None:
        variables = (
            ("x",) if len(partials) == 1 else tuple(f"w{i + 1}" for i in range(len(partials)))
        )
    if len(variables) != len(partials):
        raise ValueError(f"{len(variables)} variable names for {len(partials)} partial derivatives")

    def gradient(*coords: Any) -> tuple[Any, ...]:
        return tuple(partial(*coords) for partial in partials)

    hessian = None
    if second_partials is not None:
        rows = tuple(tuple(row) for row in second_partials)

        def hessian(*coords: Any) -> tuple[tuple[Any, ...], ...]:
            return tuple(tuple(h(*coords) for h in row) for row in rows)

    return Objective(loss, gradient, hessian, tuple(variables))


def objective_from_function(function: Function) -> Objective:
    """Build an :class:`Objective` from a parsed :class:`~calcstudio.core.function.Function`.

    The Hessian is derived only when first needed (by Newton's method), so first-order
    optimizers never pay for second derivatives.

    Parameters
    ----------
    function
        The loss, for example ``parse("w1^2 + 2*w2^2")``.

    Returns
    -------
    Objective
    """
    derived: list[tuple[tuple[Function, ...], ...]] = []

    def hessian(*coords: Any) -> tuple[tuple[Any, ...], ...]:
        if not derived:
            derived.append(function.hessian())
        return tuple(tuple(h(*coords) for h in row) for row in derived[0])

    base = objective_from_evaluators(function, function.gradient(), None, function.variables)
    return Objective(base.loss, base.gradient, hessian, base.variables)
