"""Descent on a surface: the objective the optimizers minimise, and the update as a vector.

The optimizers of :mod:`calcstudio.core.optimize` already take points of any dimension;
this module hands them a surface's fast evaluators and writes a step the way a textbook
writes it in two variables: ``w ← (1, −2) − 0.1·(2, −8) = (0.8, −1.2)``.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from calcstudio.core.optimize import Objective, StepInfo
from calcstudio.core.optimize.base import ARROW, MINUS, format_number, format_parameter
from calcstudio.core.surface.fields import Surface


def surface_objective(function: Surface) -> Objective:
    """The :class:`~calcstudio.core.optimize.Objective` of a surface: L, ∇L and the Hessian.

    Examples
    --------
    >>> from calcstudio.core.surface.fields import surface
    >>> surface_objective(surface("w1^2 + 2w2^2")).gradient_at(np.array([1.0, -2.0])).tolist()
    [2.0, -8.0]
    """

    def hessian(w1: Any, w2: Any) -> tuple[tuple[Any, Any], tuple[Any, Any]]:
        return function.derivatives(w1, w2).hessian

    return Objective(function.value, function.gradient, hessian, function.variables)


def format_vector(v: np.ndarray) -> str:
    """``(0.800, −1.200)``."""
    return f"({', '.join(format_number(c) for c in v)})"


DIRECTION_NAMES = {
    "gd": "∇L",
    "momentum": "v",
    "nesterov": "v",
    "adagrad": "∇L/(√s + ε)",
    "rmsprop": "∇L/(√s + ε)",
    "adam": "m̂/(√v̂ + ε)",
    "newton": "H⁻¹∇L",
}
"""What each optimizer moves along, as its update rule names it."""


def vector_update(info: StepInfo, optimizer: str, rate: float) -> str:
    """One step in vector form: ``w ← w − η·∇L = (1.000, −2.000) − 0.1·(2.000, −8.000) = …``.

    Parameters
    ----------
    info
        The step.
    optimizer
        The optimizer's key (``"gd"``, ``"adam"``, ...): names the direction.
    rate
        The rate the step was taken with (Newton's fallback rate when its note says so).
    """
    direction = (info.w_before - info.w_after) / rate
    name = "∇L" if optimizer == "newton" and info.note else DIRECTION_NAMES[optimizer]
    return (
        f"w {ARROW} w {MINUS} η·{name} = {format_vector(info.w_before)} {MINUS} "
        f"{format_parameter(rate)}·{format_vector(direction)} = {format_vector(info.w_after)}"
    )


__all__ = ["DIRECTION_NAMES", "format_vector", "surface_objective", "vector_update"]
