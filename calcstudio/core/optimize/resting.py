"""Verdicts for a ball at rest: a minimum, a flat bottom, a corner, a saddle, a flat point.

The run stopped because its slope and its step both fell below the tolerance; these rules
say what kind of point that is, from the curvature and, where the objective is given, from
f itself on either side.
"""

from __future__ import annotations

import numpy as np

from calcstudio.core.optimize.base import format_number
from calcstudio.core.optimize.landscape import corner_slopes, evaluate, look_downhill
from calcstudio.core.optimize.objective import Objective
from calcstudio.core.optimize.trace import Trace, format_point
from calcstudio.core.optimize.verdicts import (
    FLAT_CURVATURE,
    GRID,
    Diagnosis,
    describe_curvature,
    flat_point_verdict,
    locate,
)


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


def _curving_minimum(found: Diagnosis, opening: str) -> Diagnosis | None:
    """The verdict at a minimum whose ground curves upwards (``found`` from :func:`locate`),
    or None at a corner or a flat bottom."""
    if found.corner is not None or found.flat_bottom or not found.critical_rate:
        return None
    curvature = 2.0 / found.critical_rate
    return Diagnosis(
        "converged",
        f"{opening}: the slope is 0 and the ground curves upwards "
        f"(f″ = {format_number(curvature)}).",
        (curvature,),
        found.critical_rate,
        found.minimum,
    )


def _at_rest_on_f(trace: Trace, objective: Objective, where: str) -> Diagnosis | None:
    """One variable at rest: is it at a minimum, near a flat one, or on a flat point?"""
    w = trace.points[-1]
    if np.any(trace.gradients[-1]):
        ground = look_downhill(objective, w, 1e-9 * (1.0 + abs(float(w[0]))))
        if ground.kind == "bottom":
            at = format_point(trace.variables, ground.point)
            _, between = evaluate(objective, np.linspace(w, ground.point, GRID))
            if np.max(np.abs(between)) > max(10.0 * abs(float(trace.gradients[-1, 0])), 1e-6):
                return Diagnosis(
                    "stalled",
                    f"Stalled at {where} on nearly flat ground: the slope "
                    f"({format_number(trace.gradients[-1, 0])}) and the last step are below "
                    f"10⁻⁶, so the run stopped, but this is no minimum: downhill, f falls on "
                    f"to the minimum at {at}.",
                )
            found = locate(objective, ground.point)
            curving = _curving_minimum(found, f"Converged to the minimum at {at}")
            if curving is not None:
                return curving
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
            return flat_point_verdict(trace, ground, "stalled", "Stopped")
        return None
    # Exactly level: compare f on either side.
    scale = 1.0 + abs(float(w[0]))
    t = scale * np.geomspace(1e-6, 1e-1, 12)
    loss, _ = evaluate(objective, np.concatenate([w[0] - t, w[0] + t])[:, None])
    here = float(trace.values[-1])
    left, right = loss[: len(t)], loss[len(t) :]
    if np.all(left > here) and np.all(right > here):
        # A slope of exactly 0 says nothing of f″: x² placed at 0 is at rest on a curved
        # bottom (f″ = 2), x⁴ at 0 on a flat one.
        curving = _curving_minimum(locate(objective, w), f"At rest at the minimum {where}")
        if curving is not None:
            return curving
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
