"""A run as a learner reads it beside the plot: where the ball is, and what to try next.

These are the words of the descent panel's readouts; the numbers and verdicts come from the
run (:mod:`.run`) and its diagnosis (:mod:`.diagnosis`).
"""

from __future__ import annotations

from calcstudio.core.optimize.base import format_number
from calcstudio.core.optimize.diagnosis import Diagnosis
from calcstudio.core.optimize.registry import OPTIMIZERS
from calcstudio.core.optimize.run import Run


def position_line(run: Run) -> str:
    """``k = 3  ·  x = 2.560  ·  f(x) = 6.554  ·  f′(x) = 5.120`` for a one-variable run."""
    v = run.objective.variables[0]
    parts = (
        f"k = {run.step_count}",
        f"{v} = {format_number(run.points[-1, 0])}",
        f"f({v}) = {format_number(run.values[-1])}",
        f"f′({v}) = {format_number(run.gradients[-1, 0])}",
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
    """Where the curvature is known and positive, the rate above which descent diverges."""
    if verdict.critical_rate is None:
        return ""
    where = f"{run.objective.variables[0]} = {format_number(run.points[-1, 0])}"
    at = f"at the minimum {where}" if verdict.kind == "converged" else f"at {where}"
    return (
        f"Critical rate {at}: 2/f″ = {format_number(verdict.critical_rate)}. "
        "Plain gradient descent diverges near here with any larger η."
    )


__all__ = ["critical_rate_sentence", "position_line", "step_lines"]
