"""What a run is doing, in words: converging, oscillating, diverging or stalled.

:func:`diagnose` reads a trace (or the part of it shown so far) the way a teacher
would look at the path: is the loss going down, does the slope flip sign every step,
has the ball stopped on ground that is not a bottom?
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike

from calcstudio.core.optimize.base import format_number, format_parameter
from calcstudio.core.optimize.objective import Objective
from calcstudio.core.optimize.trace import Trace, format_point

Kind = Literal[
    "starting", "converging", "converged", "oscillating", "diverging", "stalled", "undefined"
]
"""The verdicts :func:`diagnose` can give."""

TOLERANCE = 1e-6
"""A slope and a step both below this count as stopped."""
FLAT_CURVATURE = 1e-3
"""A second derivative this close to 0 counts as flat."""
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


@dataclass(frozen=True)
class Diagnosis:
    """A verdict on a run so far.

    Attributes
    ----------
    kind
        One of ``starting``, ``converging``, ``converged``, ``oscillating``,
        ``diverging``, ``stalled``, ``undefined``.
    message
        One or two sentences for the learner, with the numbers.
    curvature
        f″ at the last point (several variables: the Hessian's eigenvalues, lowest
        first), measured from the Hessian if the objective has one, else estimated from
        the last two gradients along the last step; None if unknown.
    critical_rate
        ``2 / f″`` (several variables: 2 over the largest eigenvalue) when the
        curvature is positive: gradient descent diverges above this rate.
    """

    kind: Kind
    message: str
    curvature: tuple[float, ...] | None = None
    critical_rate: float | None = None


def critical_learning_rate(second_derivative: ArrayLike) -> float:
    """The learning rate above which gradient descent diverges near a minimum: ``2 / f″``.

    Near a minimum ``w*`` gradient descent multiplies the distance to ``w*`` by
    ``1 − η f″(w*)`` each step, which shrinks only while ``η < 2 / f″(w*)``.

    Parameters
    ----------
    second_derivative
        ``f″(w*) > 0``, or a Hessian (then its largest eigenvalue is used).

    Raises
    ------
    ValueError
        If the curvature is not positive (not a minimum) or not finite.

    Examples
    --------
    >>> critical_learning_rate(2.0)  # x^2
    1.0
    """
    curvature = np.asarray(second_derivative, dtype=float)
    if curvature.ndim == 2:
        if not np.all(np.isfinite(curvature)):
            raise ValueError("the Hessian must be finite")
        eigenvalues = np.linalg.eigvalsh(curvature)
        if eigenvalues[0] <= 0:
            raise ValueError("the Hessian is not positive definite: this is not a minimum")
        return float(2.0 / eigenvalues[-1])
    value = float(curvature)
    if not (np.isfinite(value) and value > 0):
        raise ValueError(f"f″ = {value} is not positive: this is not a minimum")
    return 2.0 / value


def _curvature(trace: Trace, objective: Objective | None) -> tuple[float, ...] | None:
    """Eigenvalues of the Hessian at the last point (lowest first), if they can be had."""
    if objective is not None and objective.hessian is not None:
        hessian = objective.hessian_at(trace.points[-1])
        if np.all(np.isfinite(hessian)):
            return tuple(float(e) for e in np.linalg.eigvalsh(hessian))
    if trace.step_count >= 1:
        move = trace.points[-1] - trace.points[-2]
        length = float(move @ move)
        if length > 0:
            change = trace.gradients[-1] - trace.gradients[-2]
            return (float(change @ move) / length,)
    return None


def _describe(curvature: tuple[float, ...], dimension: int) -> str:
    if dimension == 1:
        return f"f″ ≈ {format_number(curvature[0])}"
    if len(curvature) == 1:
        return f"curvature along the last step ≈ {format_number(curvature[0])}"
    return f"Hessian eigenvalues {', '.join(format_number(c) for c in curvature)}"


def _at_rest(trace: Trace, curvature: tuple[float, ...] | None, where: str) -> Diagnosis:
    """The verdict once the slope and the steps have both vanished."""
    if curvature is None:
        return Diagnosis("converged", f"Stopped at {where}, where the slope is 0.")
    lowest, highest = curvature[0], curvature[-1]
    described = _describe(curvature, len(trace.variables))
    if lowest > FLAT_CURVATURE:
        return Diagnosis(
            "converged",
            f"Converged to a minimum at {where}: the slope is 0 and the ground curves "
            f"upwards ({described}).",
            curvature,
            2.0 / highest,
        )
    if lowest < -FLAT_CURVATURE:
        return Diagnosis(
            "stalled",
            f"Stuck at {where}: the slope is 0 but the ground curves downwards in some "
            f"direction ({described}), so this is a saddle point or a maximum, not a "
            "minimum. A small nudge would send it downhill.",
            curvature,
        )
    return Diagnosis(
        "stalled",
        f"Stalled at {where} on flat ground: the slope is 0 and the curvature is about 0 "
        f"too ({described}). This can be an inflection point (like x³ at 0), a plateau "
        "or a very flat minimum (like x⁴); the derivatives alone cannot tell.",
        curvature,
    )


def _rate_hint(trace: Trace, curvature: tuple[float, ...] | None) -> str:
    """For gradient descent, how the learning rate compares with 1/f″ and 2/f″."""
    if trace.optimizer != "gd" or curvature is None or curvature[-1] <= FLAT_CURVATURE:
        return ""
    eta, highest = trace.learning_rate, curvature[-1]
    h = "f″" if len(trace.variables) == 1 else "(largest curvature)"
    return (
        f" With η = {format_parameter(eta)} and {_describe(curvature, len(trace.variables))}, "
        f"steps overshoot above η = 1/{h} = {format_number(1.0 / highest)} and grow above "
        f"the critical rate 2/{h} = {format_number(2.0 / highest)}."
    )


def diagnose(trace: Trace, objective: Objective | None = None) -> Diagnosis:
    """Say in words what the run so far is doing.

    Parameters
    ----------
    trace
        A run, or the part shown so far (``trace.upto(k)``).
    objective
        The objective it ran on; if it has a Hessian, the curvature is measured
        rather than estimated from the path.

    Returns
    -------
    Diagnosis

    Notes
    -----
    The first rule that fits gives the verdict:

    1. the run stopped: ``diverging`` (ran away) or ``undefined`` (left f's domain);
    2. no step yet: ``starting``;
    3. slope and step both below :data:`TOLERANCE`: ``converged`` where the ground curves
       up, else ``stalled`` (flat point, saddle or maximum);
    4. the loss rose :data:`WINDOW` steps in a row to its highest yet: ``diverging``;
    5. the gradient turned round at each of the last :data:`WINDOW` steps:
       ``oscillating`` (zigzag), or ``diverging`` if the swings reach new heights;
    6. :data:`WINDOW` tiny steps, none shrinking, with a slope that is not shrinking
       and no recent turn:
       ``stalled`` (a flat region, or a learning rate too small);
    7. the loss rose on the last step, or rose and turned round within
       :data:`SWING_WINDOW` steps: ``oscillating`` (overshooting, as momentum does);
    8. otherwise ``converging``.
    """
    curvature = _curvature(trace, objective)
    critical = 2.0 / curvature[-1] if curvature and curvature[-1] > FLAT_CURVATURE else None
    where = format_point(trace.variables, trace.points[-1])
    hint = _rate_hint(trace, curvature)
    if trace.status == "diverged":
        message = f"{trace.message[:1].upper()}{trace.message[1:]}.{hint}"
        return Diagnosis("diverging", message, curvature, critical)
    if trace.status == "undefined":
        return Diagnosis(
            "undefined",
            f"Stopped: the next step would leave the region where f is defined "
            f"({trace.message}). Try a smaller learning rate or another start.",
            curvature,
            critical,
        )
    if trace.step_count == 0:
        return Diagnosis("starting", f"Ready at {where}: take a step.", curvature, critical)

    # Every rule looks at the last few steps only: measure just those, so a diagnosis
    # costs the same at step 20 and at step 20,000 (a window re-diagnoses every frame).
    tail = SWING_WINDOW + 2
    slopes = np.linalg.norm(trace.gradients[-tail:], axis=1)
    moves = np.linalg.norm(np.diff(trace.points[-tail:], axis=0), axis=1)
    if trace.status == "converged" or (slopes[-1] < TOLERANCE and moves[-1] < TOLERANCE):
        return _at_rest(trace, curvature, where)
    verdict = (
        _pattern(trace, slopes, hint) or _stall(trace, slopes, moves, where) or _swing(trace, hint)
    )
    if verdict is None:
        values = trace.values
        pace = slopes[-1] / slopes[-2] if slopes[-2] > 0 else 1.0
        before, after = format_number(values[-2]), format_number(values[-1])
        # Three decimals can hide a small fall: then say by how much it fell.
        fall = (
            f"from {before} to {after}"
            if before != after
            else (f"by {format_number(values[-2] - values[-1])} to {after}")
        )
        verdict = (
            "converging",
            f"Converging: the loss fell {fall} on the last step."
            + (
                f" The slope shrinks to about {format_number(pace)} of itself per step."
                if pace < 1
                else ""
            ),
        )
    return Diagnosis(verdict[0], verdict[1], curvature, critical)


def _reversals(gradients: np.ndarray) -> np.ndarray:
    """True where the gradient turned round between consecutive points."""
    return np.einsum("ij,ij->i", gradients[1:], gradients[:-1]) < 0


def _pattern(trace: Trace, slopes: np.ndarray, hint: str) -> tuple[Kind, str] | None:
    """Runaway loss, or a slope that flips sign at every step."""
    if trace.step_count < WINDOW:
        return None
    values = trace.values
    rising = np.all(np.diff(values[-WINDOW - 1 :]) > 0)
    if rising and values[-1] > np.max(values[:-WINDOW], initial=-np.inf):
        return (
            "diverging",
            f"Diverging: the loss has risen for {WINDOW} steps in a row, to "
            f"{format_number(values[-1])}, higher than ever before.{hint}",
        )
    if not np.all(_reversals(trace.gradients[-WINDOW - 1 :])):
        return None
    if np.all(np.diff(slopes[-WINDOW - 1 :]) < 0):
        return (
            "oscillating",
            "Oscillating: each step overshoots the bottom and the slope flips sign every "
            f"step, but the swings are shrinking, so it zigzags in.{hint}",
        )
    if values[-1] > np.max(values[:-WINDOW], initial=-np.inf):
        return (
            "diverging",
            "Diverging: each step overshoots the bottom and the swings are growing, "
            f"higher than ever before.{hint}",
        )
    return (
        "oscillating",
        "Oscillating: it bounces from side to side across the bottom without settling; "
        f"a smaller learning rate would let it in.{hint}",
    )


def _stall(
    trace: Trace, slopes: np.ndarray, moves: np.ndarray, where: str
) -> tuple[Kind, str] | None:
    """Several tiny steps in one direction while the slope is not shrinking: getting nowhere.

    A slope that grows slowly still counts: that is a ball creeping off a plateau. A
    shrinking slope with tiny steps is a run settling into a minimum, not a stall.
    """
    recent = WINDOW
    if trace.step_count < recent or np.any(_reversals(trace.gradients[-SWING_WINDOW - 1 :])):
        return None  # it turned round lately: swinging, not stuck
    size = 1.0 + float(np.linalg.norm(trace.points[-1]))
    slope_window, move_window = slopes[-recent - 1 :], moves[-recent:]
    steady = STEADY**recent
    if not (
        np.all(move_window < TINY_STEP * size)
        and slope_window[-1] > steady * slope_window.max()
        and move_window[-1] > steady * move_window.max()
    ):
        return None
    cause = (
        "The ground here is nearly flat, so the steps are too small to get anywhere: "
        "a plateau, or near a saddle or inflection point rather than a minimum."
        if slopes[-1] < FLAT_SLOPE
        else "The slope is not small, so the learning rate is too small"
        + (
            ": AdaGrad's steps shrink as its sum of squared slopes grows."
            if trace.optimizer == "adagrad"
            else "."
        )
    )
    return (
        "stalled",
        f"Stalled at {where}: the last step moved only {format_number(moves[-1])} and "
        f"the slope ({format_number(slopes[-1])}) is barely changing. {cause}",
    )


def _swing(trace: Trace, hint: str) -> tuple[Kind, str] | None:
    """Recent overshoots: the loss went up and the slope turned round within a few steps."""
    recent = min(SWING_WINDOW, trace.step_count)
    rises = int(np.sum(np.diff(trace.values[-recent - 1 :]) > 0))
    turns = int(np.sum(_reversals(trace.gradients[-recent - 1 :])))
    if trace.values[-1] > trace.values[-2]:
        return (
            "oscillating",
            f"Overshooting: the last step went past the bottom and the loss rose from "
            f"{format_number(trace.values[-2])} to {format_number(trace.values[-1])}.{hint}",
        )
    if rises and turns:
        return (
            "oscillating",
            f"Oscillating: in the last {recent} steps it rolled past the bottom and back "
            f"{turns} time(s) and the loss went up {rises} time(s); the swings settle as "
            "the loss comes down.",
        )
    return None
