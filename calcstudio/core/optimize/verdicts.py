"""The verdicts of :func:`~calcstudio.core.optimize.diagnosis.diagnose`, rule by rule.

Each rule looks at the last few points of a trace (so a verdict costs the same at step 20
and at step 20,000) and, where one variable allows it, at what :mod:`.landscape` found on f
downhill of the ball. A rule that cannot be sure of its words does not fire.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

from calcstudio.core.optimize.base import format_number
from calcstudio.core.optimize.landscape import (
    Downhill,
    corner_slopes,
    evaluate,
    is_flat_bottom,
    look_downhill,
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
_GRID = 33
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


# --- at rest ------------------------------------------------------------------------------


def at_rest(
    trace: Trace, objective: Objective | None, curvature: tuple[float, ...] | None, where: str
) -> Diagnosis:
    """The verdict once the slope and the steps have both vanished."""
    w = trace.points[-1]
    if objective is not None:
        corners = corner_slopes(objective, w)
        if corners:
            return _at_corner(trace, corners, where)
        if len(trace.variables) == 1:
            verdict = _at_rest_on_f(trace, objective, where)
            if verdict is not None:
                return verdict
    if curvature is None:
        return Diagnosis(
            "stalled",
            f"Stopped at {where}: the slope is 0 here, and how f curves is unknown, so this "
            "may or may not be a minimum.",
        )
    lowest, highest = curvature[0], curvature[-1]
    described = describe_curvature(curvature, len(trace.variables))
    if lowest > FLAT_CURVATURE:
        return Diagnosis(
            "converged",
            f"Converged to a minimum at {where}: the slope is 0 and the ground curves "
            f"upwards ({described}).",
            curvature,
            2.0 / highest,
            tuple(float(c) for c in w),
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
        "or a very flat minimum (like x⁴); the slope and curvature here cannot tell.",
        curvature,
    )


def _at_corner(trace: Trace, corners: list[tuple[int, float, float]], where: str) -> Diagnosis:
    """At rest on a corner: f has no slope here; the step used a subgradient."""
    used = trace.gradients[-1]
    i, left, right = corners[0]
    v = trace.variables[i]
    subgradient = (
        format_number(used[0])
        if len(used) == 1
        else f"({', '.join(format_number(g) for g in used)})"
    )
    message = (
        f"At rest at {where}, a corner of f: along {v} its slope is {format_number(left)} "
        f"just left and {format_number(right)} just right, so f has no slope here. The step "
        f"used the subgradient {subgradient} (CalcStudio's value of the derivative at a "
        "corner), and the ball has come to rest."
    )
    if len(trace.variables) == 1 and left <= 0 <= right:
        return Diagnosis(
            "converged",
            f"{message} f rises on both sides: this corner is a minimum.",
            minimum=(float(trace.points[-1, 0]),),
            corner=(left, right),
        )
    side = "left" if left > 0 else "right"
    tail = (
        f" f falls on the {side}: not a minimum, a nudge would send it downhill."
        if len(trace.variables) == 1
        else ""
    )
    return Diagnosis("stalled", message + tail)


def _at_rest_on_f(trace: Trace, objective: Objective, where: str) -> Diagnosis | None:
    """One variable at rest: is it at a minimum, near a flat one, or on a flat point?"""
    w = trace.points[-1]
    if np.any(trace.gradients[-1]):
        ground = look_downhill(objective, w, 1e-9 * (1.0 + abs(float(w[0]))))
        if ground.kind == "bottom":
            at = format_point(trace.variables, ground.point)
            _, between = evaluate(objective, np.linspace(w, ground.point, _GRID))
            if np.max(np.abs(between)) > max(10.0 * abs(float(trace.gradients[-1, 0])), 1e-6):
                return Diagnosis(
                    "stalled",
                    f"Stalled at {where} on nearly flat ground: the slope "
                    f"({format_number(trace.gradients[-1, 0])}) and the last step are below "
                    f"10⁻⁶, so the run stopped, but this is no minimum: downhill, f falls on "
                    f"to the minimum at {at}.",
                )
            found = locate(objective, ground.point)
            if found.corner is None and not found.flat_bottom and found.critical_rate:
                curvature = 2.0 / found.critical_rate
                return Diagnosis(
                    "converged",
                    f"Converged to the minimum at {at}: the slope is 0 and the ground curves "
                    f"upwards (f″ = {format_number(curvature)}).",
                    (curvature,),
                    found.critical_rate,
                    found.minimum,
                )
            if found.flat_bottom:
                return Diagnosis(
                    "converged",
                    f"Stopped at {where}, next to the minimum at {at}: there f″ → 0 (a flat "
                    "bottom), so the slope and the steps fell below 10⁻⁶ before the ball "
                    "got there.",
                    minimum=found.minimum,
                    flat_bottom=True,
                )
        if ground.kind == "flat":
            return _flat_point(trace, ground, "stalled", "Stopped")
        return None
    # Exactly level: compare f on either side.
    scale = 1.0 + abs(float(w[0]))
    t = scale * np.geomspace(1e-6, 1e-1, 12)
    loss, _ = evaluate(objective, np.concatenate([w[0] - t, w[0] + t])[:, None])
    here = float(trace.values[-1])
    left, right = loss[: len(t)], loss[len(t) :]
    if np.all(left > here) and np.all(right > here):
        return Diagnosis(
            "converged",
            f"At rest at {where}, the lowest point around: f rises on both sides. The slope "
            "is 0 here and so is f″, so the bottom is flat (like x⁴ at 0).",
            minimum=(float(w[0]),),
            flat_bottom=True,
        )
    if (
        np.all(left >= here)
        and np.all(right >= here)
        and not (np.all(left == here) and np.all(right == here))
    ):
        return Diagnosis(
            "converged",
            f"At rest at {where}, as low as f gets around here: f does not fall on either "
            "side (it is level on one), the slope is 0 and so is f″.",
            minimum=(float(w[0]),),
            flat_bottom=True,
        )
    if np.all(left == here) and np.all(right == here):
        return Diagnosis(
            "stalled",
            f"At rest at {where} on level ground: f has the same value on both sides, so "
            "the slope is 0 and nothing moves the ball.",
        )
    for side, values in (("left", left), ("right", right)):
        if np.all(values < here):
            return Diagnosis(
                "stalled",
                f"Stuck at {where}: the slope is 0 but f falls on the {side}, so this is a "
                "flat point, not a minimum (like x³ at 0). A nudge would send it downhill.",
            )
    return None


def _flat_point(trace: Trace, ground: Downhill, kind: Kind, verb: str) -> Diagnosis:
    at = format_point(trace.variables, ground.point)
    return Diagnosis(
        kind,
        f"{verb} short of {at}, a flat point: the slope vanishes there but f keeps falling "
        "beyond it, so it is not a minimum (like x³ at 0). The slope shrinks as the ball "
        "nears it, and the steps with it.",
    )


# --- moving -------------------------------------------------------------------------------


def _reversals(gradients: np.ndarray) -> np.ndarray:
    """True where the gradient turned round between consecutive points."""
    return np.einsum("ij,ij->i", gradients[1:], gradients[:-1]) < 0


def moving(trace: Trace, ground: Downhill | None, found: Diagnosis | None, where: str) -> Diagnosis:
    """The verdict for a ball still moving: the first rule that fits.

    ``ground`` is what lies downhill on f (None if unknown) and ``found`` the facts
    about the minimum found there (one variable only).
    """
    tail = SWING_WINDOW + 2
    slopes = np.linalg.norm(trace.gradients[-tail:], axis=1)
    moves = np.linalg.norm(np.diff(trace.points[-tail:], axis=0), axis=1)
    kind_message = (
        _pattern(trace, slopes)
        or _turned(trace)
        or _runaway(trace, ground)
        or _stall(trace, slopes, moves, where, ground, found)
        or _swing(trace)
        or _rolling(trace, slopes, ground, found)
    )
    return Diagnosis(*kind_message)


def _pattern(trace: Trace, slopes: np.ndarray) -> tuple[Kind, str] | None:
    """A loss rising to new heights, or a slope that flips sign at every step."""
    if trace.step_count < WINDOW:
        return None
    values = trace.values
    rising = np.all(np.diff(values[-WINDOW - 1 :]) > 0)
    if rising and values[-1] > np.max(values[:-WINDOW], initial=-np.inf):
        return (
            "diverging",
            f"Diverging: the loss has risen for {WINDOW} steps in a row, to "
            f"{format_number(values[-1])}, higher than ever before.",
        )
    if not np.all(_reversals(trace.gradients[-WINDOW - 1 :])):
        return None
    if np.all(np.diff(slopes[-WINDOW - 1 :]) < 0):
        return (
            "oscillating",
            "Oscillating: each step overshoots the bottom and the slope flips sign every "
            "step, but the swings are shrinking, so it zigzags in.",
        )
    if values[-1] > np.max(values[:-WINDOW], initial=-np.inf):
        return (
            "diverging",
            "Diverging: each step overshoots the bottom and the swings are growing, "
            "higher than ever before.",
        )
    if values[-1] >= values[-WINDOW - 1]:
        return (
            "oscillating",
            f"Oscillating without settling: it bounces from side to side across the bottom "
            f"and the loss has not fallen in the last {WINDOW} steps (it is "
            f"{format_number(values[-1])}).",
        )
    return (
        "oscillating",
        "Oscillating: it bounces from side to side across the bottom, and the swings are "
        "not shrinking steadily.",
    )


def _turned(trace: Trace) -> tuple[Kind, str] | None:
    """The last step crossed the bottom and the loss did not fall."""
    before, after = trace.values[-2], trace.values[-1]
    if after < before or not _reversals(trace.gradients[-2:])[0]:
        return None
    if after == before:
        return (
            "oscillating",
            "Oscillating: the last step jumped across the bottom to the same height on the "
            f"other side, so the loss did not change (it is {format_number(after)}).",
        )
    return (
        "oscillating",
        f"Overshooting: the last step went past the bottom and the loss rose from "
        f"{format_number(before)} to {format_number(after)}.",
    )


def _runaway(trace: Trace, ground: Downhill | None) -> tuple[Kind, str] | None:
    """Falling steadily where f falls without end."""
    recent = min(SWING_WINDOW, trace.step_count)
    if ground is None or ground.kind != "endless" or trace.values[-1] >= trace.values[-2]:
        return None
    if np.any(_reversals(trace.gradients[-recent - 1 :])):
        return None
    return (
        "runaway",
        f"Running away downhill: the loss fell from {format_number(trace.values[-2])} to "
        f"{format_number(trace.values[-1])}, and f has no minimum that way: it keeps falling "
        f"as far as it was checked, to {format_point(trace.variables, ground.point)}.",
    )


def _stall(
    trace: Trace,
    slopes: np.ndarray,
    moves: np.ndarray,
    where: str,
    ground: Downhill | None,
    found: Diagnosis | None,
) -> tuple[Kind, str] | None:
    """Several tiny steps in one direction while the slope is not shrinking: crawling.

    A slope that grows slowly still counts: that is a ball creeping off a plateau.
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
    step, slope = format_number(moves[-1]), format_number(slopes[-1])
    small = slopes[-1] < FLAT_SLOPE
    if ground is not None and ground.kind == "flat":
        verdict = _flat_point(trace, ground, "stalled", "Crawling")
        return verdict.kind, verdict.message
    if found is not None and found.minimum is not None:
        at = format_point(trace.variables, np.array(found.minimum))
        if found.flat_bottom:
            return (
                "converging",
                f"Converging slowly to the minimum at {at}: f″ → 0 there (a flat bottom), "
                f"so near it the slope fades only slowly (the last step moved {step}).",
            )
        away = float(np.linalg.norm(trace.points[-1] - found.minimum))
        distance = format_number(away)
        start_away = float(np.linalg.norm(trace.points[0] - found.minimum))
        if away <= max(NEAR * (1.0 + float(np.linalg.norm(found.minimum))), 0.01 * start_away):
            return (
                "converging",
                f"Edging in at the bottom: the minimum at {at} is {distance} away and the "
                f"last step moved {step}.",
            )
        if trace.optimizer != "gd":
            return (
                "stalled",
                f"Crawling at {where}: the last step moved only {step} (the slope is "
                f"{slope}). The nearest minimum downhill is at {at}, {distance} away.",
            )
        cause = (
            f"the slope ({slope}) is tiny, so the steps are tiny"
            if small
            else f"the slope ({slope}) is not small, so the learning rate is too small"
        )
        return (
            "stalled",
            f"Crawling at {where}: {cause} (the last step moved {step}). The nearest minimum "
            f"downhill is at {at}, {distance} away.",
        )
    if small:
        cause = (
            "The ground here is nearly flat, so the steps are tiny: a plateau, a flat point, "
            "or the slow approach to a flat-bottomed minimum."
        )
    elif trace.optimizer == "newton" and trace.steps[-1].note:
        cause = (
            "Newton's method fell back to a gradient step here (see the step's note), and "
            "the fallback rate is too small for this slope."
        )
    elif trace.optimizer == "newton":
        cause = "Newton's step η f′/f″ is tiny: f″ is large next to the slope, or η is small."
    elif trace.optimizer == "adagrad":
        cause = (
            "The slope is not small, so the learning rate is too small: AdaGrad's steps "
            "shrink as its sum of squared slopes grows."
        )
    else:
        cause = "The slope is not small, so the learning rate is too small."
    return (
        "stalled",
        f"Stalled at {where}: the last step moved only {step} and the slope ({slope}) is "
        f"barely changing. {cause}",
    )


def _swing(trace: Trace) -> tuple[Kind, str] | None:
    """Recent overshoots: the loss went up and the slope turned round within a few steps."""
    recent = min(SWING_WINDOW, trace.step_count)
    rises = int(np.sum(np.diff(trace.values[-recent - 1 :]) > 0))
    turns = int(np.sum(_reversals(trace.gradients[-recent - 1 :])))
    if trace.values[-1] > trace.values[-2]:
        return (
            "oscillating",
            f"Overshooting: the last step went too far and the loss rose from "
            f"{format_number(trace.values[-2])} to {format_number(trace.values[-1])}.",
        )
    if rises and turns:
        return (
            "oscillating",
            f"Oscillating: in the last {recent} steps it rolled past the bottom and back "
            f"{turns} time(s) and the loss went up {rises} time(s); on the last step it fell.",
        )
    return None


def _rolling(
    trace: Trace, slopes: np.ndarray, ground: Downhill | None, found: Diagnosis | None
) -> tuple[Kind, str]:
    """The loss fell (or held) with no overshoot: converging, descending, or no change."""
    values = trace.values
    before, after = format_number(values[-2]), format_number(values[-1])
    if values[-1] >= values[-2]:
        return ("stalled", f"The loss did not fall on the last step (it is {after}).")
    # Three decimals can hide a small fall: then say by how much it fell.
    fall = (
        f"from {before} to {after}"
        if before != after
        else f"by {format_number(values[-2] - values[-1])} to {after}"
    )
    pace = slopes[-1] / slopes[-2] if slopes[-2] > 0 else 1.0
    shrinking = (
        f" The slope shrinks to about {format_number(pace)} of itself per step."
        if pace < 1
        else " The slope is growing, so the ball is speeding up."
    )
    if found is not None and found.minimum is not None:
        at = format_point(trace.variables, np.array(found.minimum))
        return (
            "converging" if pace < 1 else "descending",
            f"{'Converging' if pace < 1 else 'Heading downhill'}: the loss fell {fall} on the "
            f"last step; the nearest minimum downhill is at {at}.{shrinking}",
        )
    if ground is not None and ground.kind == "flat":
        at = format_point(trace.variables, ground.point)
        return (
            "descending",
            f"Heading downhill towards {at}, a flat point: the slope vanishes there but f "
            "keeps falling beyond it, so it is not a minimum (like x³ at 0). The ball slows "
            "as it nears it.",
        )
    if pace < 1:
        return ("converging", f"Converging: the loss fell {fall} on the last step.{shrinking}")
    return ("descending", f"Heading downhill: the loss fell {fall} on the last step.{shrinking}")
