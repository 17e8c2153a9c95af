"""Verdicts for a ball still moving: overshooting, oscillating, diverging, running away,
crawling, converging or heading downhill.

Each rule looks at the last few points of the trace (so a verdict costs the same at step 20
and at step 20,000) and, where one variable allows it, at what :mod:`.landscape` found on f
downhill of the ball.
"""

from __future__ import annotations

import numpy as np

from calcstudio.core.optimize.base import format_number
from calcstudio.core.optimize.landscape import Downhill
from calcstudio.core.optimize.trace import Trace, format_point
from calcstudio.core.optimize.verdicts import (
    FLAT_SLOPE,
    NEAR,
    STEADY,
    SWING_WINDOW,
    TINY_STEP,
    WINDOW,
    Diagnosis,
    Kind,
    flat_point_verdict,
)


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
        verdict = flat_point_verdict(trace, ground, "stalled", "Crawling")
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
