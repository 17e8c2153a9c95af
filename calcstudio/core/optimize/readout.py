"""A run as a learner reads it beside the plot: where the ball is, and what to try next.

These are the words of the descent panel's readouts; the numbers and verdicts come from the
run (:mod:`.run`) and its diagnosis (:mod:`.diagnosis`).
"""

from __future__ import annotations

import numpy as np

from calcstudio.core.optimize.base import format_number, format_parameter
from calcstudio.core.optimize.diagnosis import Diagnosis
from calcstudio.core.optimize.landscape import corner_slopes
from calcstudio.core.optimize.registry import OPTIMIZERS
from calcstudio.core.optimize.run import Run
from calcstudio.core.optimize.trace import format_point


def position_line(run: Run) -> str:
    """``k = 3  ·  x = 2.560  ·  f(x) = 6.554  ·  f′(x) = 5.120`` for a one-variable run.

    At a corner of f, where f′ does not exist, it says so and gives the subgradient the
    step uses instead: ``f′(x): none at this corner (the step uses 0.000)``.
    """
    v = run.objective.variables[0]
    used = format_number(run.gradients[-1, 0])
    slope = (
        f"f′({v}): none at this corner (the step uses {used})"
        if corner_slopes(run.objective, run.points[-1])
        else f"f′({v}) = {used}"
    )
    parts = (
        f"k = {run.step_count}",
        f"{v} = {format_number(run.points[-1, 0])}",
        f"f({v}) = {format_number(run.values[-1])}",
        slope,
    )
    return "  ·  ".join(parts)


def step_lines(run: Run) -> list[str]:
    """The position, then the last update with its numbers (and its note, if any).

    Before the first step, the update rule the next step will follow.
    """
    last = run.steps[-1] if run.steps else None
    if last is None:
        rule = OPTIMIZERS[run.optimizer.key].rule_for(run.objective.variables)
        return [position_line(run), f"Press Step or Play: {rule}"]
    return [position_line(run), *last.text.splitlines(), *([last.note] if last.note else [])]


def critical_rate_sentence(verdict: Diagnosis, run: Run) -> str:
    """What the minimum the verdict located says about the learning rate, if anything.

    The critical rate ``2/f″`` of that minimum where f″ is known and positive; that there
    is none at a flat bottom (f″ → 0) or at a corner; nothing while the run diverges or
    runs away, or where no minimum was located.
    """
    if verdict.minimum is None or verdict.kind in ("diverging", "runaway", "undefined"):
        return ""
    at = format_point(run.objective.variables, np.array(verdict.minimum))
    if verdict.corner is not None:
        left, right = (format_number(s) for s in verdict.corner)
        return (
            f"The minimum at {at} is a corner (slope {left} on its left, {right} on its "
            "right): f″ does not exist there, so there is no critical rate. Plain gradient "
            "descent with a fixed η keeps stepping across a corner unless it lands on it exactly."
        )
    if verdict.flat_bottom:
        return (
            f"At the minimum {at}, f″ → 0 (a flat bottom), so there is no critical rate: close "
            "enough to it, plain gradient descent settles with any η, slowly."
        )
    if verdict.critical_rate is None:
        return ""
    curvature = "f″" if run.objective.dimension == 1 else "(largest Hessian eigenvalue)"
    rate = verdict.critical_rate
    sentence = (
        f"Critical rate for the minimum at {at}: 2/{curvature} = {format_number(rate)}, the "
        "rate above which plain gradient descent cannot settle at this minimum."
    )
    if run.optimizer.key != "gd":
        return sentence
    eta = run.optimizer.learning_rate
    where = (
        "above it"
        if eta > rate * (1 + 1e-9)
        else "below it"
        if eta < rate * (1 - 1e-9)
        else "exactly that rate"
    )
    return f"{sentence} Here η = {format_parameter(eta)} is {where}."


__all__ = ["critical_rate_sentence", "position_line", "step_lines"]
