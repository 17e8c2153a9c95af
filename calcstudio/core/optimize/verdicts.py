"""What a verdict is (:class:`Diagnosis`), its kinds and thresholds, and the facts about a
minimum found on f (:func:`locate`), shared by the rules in :mod:`.resting` and
:mod:`.moving`. A rule that cannot be sure of its words does not fire.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

from calcstudio.core.optimize.base import format_number
from calcstudio.core.optimize.landscape import (
    Downhill,
    corner_slopes,
    is_flat_bottom,
    second_derivative,
)
from calcstudio.core.optimize.objective import Objective
from calcstudio.core.optimize.trace import Trace, format_point

Kind = Literal[
    "starting",
    "converging",
    "converged",
    "oscillating",
    "diverging",
    "runaway",
    "descending",
    "stalled",
    "undefined",
]
"""The verdicts ``diagnose`` can give."""

FLAT_CURVATURE = 1e-3
"""Without f to probe, a second derivative this close to 0 counts as flat."""
FLAT_SLOPE = 1e-2
"""A slope below this, with tiny steps, counts as a flat region."""
TINY_STEP = 1e-4
"""A step shorter than this times ``1 + |w|`` counts as tiny."""
STEADY = 0.99
"""Slopes and steps that keep more than this share of their size per step are steady."""
WINDOW = 3
"""Steps in a row needed to call a pattern (rising loss, slope flipping sign, stall)."""
SWING_WINDOW = 10
"""Recent steps searched for overshoots (the loss rising, the slope turning round)."""
GRID = 33
"""Points per round when a segment of f is sampled."""
NEAR = 1e-3
"""A ball within this times ``1 + |w*|`` of a minimum ``w*`` (or within 1% of its start's
distance from it) is at its bottom."""


@dataclass(frozen=True)
class Diagnosis:
    """A verdict on a run so far.

    Attributes
    ----------
    kind
        One of :data:`Kind`.
    message
        One or two sentences for the learner, with the numbers.
    curvature
        f″ at the last point (several variables: the Hessian's eigenvalues, lowest
        first), measured from the Hessian if the objective has one, else estimated from
        the last two gradients along the last step; None if unknown.
    critical_rate
        ``2 / f″(w*)`` at a minimum ``w*`` located on f (several variables: 2 over the
        Hessian's largest eigenvalue) where that curvature is known and positive: plain
        gradient descent cannot settle at ``w*`` with a larger rate. None otherwise, and
        always None while the run diverges, runs away or has left f's domain.
    minimum
        The minimum located on f: where the ball rests, or (one variable) the nearest one
        downhill of it; None if none was located.
    flat_bottom
        True when f″ → 0 at that minimum (like x⁴ at 0): no critical rate exists.
    corner
        The one-sided slopes ``(left, right)`` when that minimum is a corner of f.
    """

    kind: Kind
    message: str
    curvature: tuple[float, ...] | None = None
    critical_rate: float | None = None
    minimum: tuple[float, ...] | None = None
    flat_bottom: bool = False
    corner: tuple[float, float] | None = None


def locate(objective: Objective, point: np.ndarray) -> Diagnosis:
    """The facts about a minimum of one variable at ``point``: a corner, a flat bottom, 2/f″.

    Returned as a :class:`Diagnosis` whose minimum fields are filled in.
    """
    minimum = tuple(float(c) for c in point)
    corners = corner_slopes(objective, np.asarray(point, dtype=float))
    if corners:
        _, left, right = corners[0]
        return Diagnosis("converged", "", minimum=minimum, corner=(left, right))
    curvature = second_derivative(objective, minimum[0])
    if not np.isfinite(curvature):
        return Diagnosis("converged", "", minimum=minimum)
    if curvature <= 0 or is_flat_bottom(objective, minimum[0], curvature):
        return Diagnosis("converged", "", (curvature,), minimum=minimum, flat_bottom=True)
    return Diagnosis("converged", "", (curvature,), 2.0 / curvature, minimum)


def describe_curvature(curvature: tuple[float, ...], dimension: int) -> str:
    """``f″ ≈ 2.000``, or the Hessian's eigenvalues, for a message."""
    if dimension == 1:
        return f"f″ ≈ {format_number(curvature[0])}"
    if len(curvature) == 1:
        return f"curvature along the last step ≈ {format_number(curvature[0])}"
    return f"Hessian eigenvalues {', '.join(format_number(c) for c in curvature)}"


def flat_point_verdict(trace: Trace, ground: Downhill, kind: Kind, verb: str) -> Diagnosis:
    """Heading for (or stopped short of) a flat point of f that is not a minimum."""
    at = format_point(trace.variables, ground.point)
    return Diagnosis(
        kind,
        f"{verb} short of {at}, a flat point: the slope vanishes there but f keeps falling "
        "beyond it, so it is not a minimum (like x³ at 0). The slope shrinks as the ball "
        "nears it, and the steps with it.",
    )
