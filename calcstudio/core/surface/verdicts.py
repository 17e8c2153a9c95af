"""What a run on a surface is doing, in the words two dimensions need.

:func:`~calcstudio.core.optimize.diagnose` already tells converging from oscillating,
diverging or stalled, in any number of variables. On a surface a learner must also see
three things a curve cannot show: a zigzag across a narrow valley (and the condition number
that causes it), a saddle the run slowed at and escaped from (or stalled on), and a minimum
that is only local. :func:`surface_verdict` adds these, using the critical points found in
the view (:mod:`calcstudio.core.surface.critical`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np

from calcstudio.core.optimize import Diagnosis, Objective, Trace, diagnose
from calcstudio.core.optimize.base import format_number
from calcstudio.core.optimize.diagnosis import diagnose_each
from calcstudio.core.optimize.verdicts import WINDOW
from calcstudio.core.optimize.verdicts import Kind as OneVariableKind
from calcstudio.core.surface.critical import CriticalPoint
from calcstudio.core.surface.descent import format_vector

Kind = Literal[
    OneVariableKind,  # the one-variable verdicts, and what only two dimensions show:
    "zigzag",
    "saddle",
    "local minimum",
]

NARROW = 5.0
"""A bowl whose condition number passes this counts as a narrow valley."""
NEAR = 0.03
"""A path within this fraction of the view's size of a point has passed by it."""
SAME_HEIGHT = 1e-6
"""Minima whose values differ by less than this (relative) are equally low."""


@dataclass(frozen=True)
class SurfaceVerdict:
    """A verdict on a run over a surface.

    Attributes
    ----------
    kind
        A kind of :class:`~calcstudio.core.optimize.Diagnosis`, or ``zigzag``, ``saddle``
        (stuck at or escaped from one) or ``local minimum``.
    message
        Sentences for the learner, with the numbers.
    diagnosis
        The one-path verdict it started from.
    condition_number
        ``λmax / λmin`` of the Hessian at the last point where both are positive, else None.
    critical_rate
        ``2 / λmax`` there, where both eigenvalues are positive, else None.
    """

    kind: Kind
    message: str
    diagnosis: Diagnosis
    condition_number: float | None
    critical_rate: float | None


def _turns(points: np.ndarray) -> int:
    """How many of the latest steps in a row turned back by more than 90° from the one before."""
    moves = np.diff(points[-12:], axis=0)
    backwards = np.einsum("ij,ij->i", moves[1:], moves[:-1]) < 0
    count = 0
    for turned in backwards[::-1]:
        if not turned:
            break
        count += 1
    return count


def _zigzag(trace: Trace, curvature: tuple[float, ...] | None) -> str | None:
    if curvature is None or len(curvature) != 2 or curvature[0] <= 0:
        return None
    low, high = curvature
    turns = _turns(trace.points)
    if high / low < NARROW or turns < WINDOW:
        return None
    return (
        f"Zigzagging across a narrow valley: each of the last {turns} steps turned back by "
        f"more than 90°. The valley curves {format_number(high / low)} times more steeply "
        f"across than along (Hessian eigenvalues {format_number(low)} and "
        f"{format_number(high)}: the condition number), so a rate small enough for the steep "
        f"direction (below 2/λmax = {format_number(2 / high)}) crawls along the flat one."
    )


def _near(trace: Trace, point: CriticalPoint, reach: float) -> tuple[bool, bool]:
    """Whether the path passed within ``reach`` of ``point``, and whether it is there now."""
    distances = np.hypot(*(trace.points - np.array(point.point)).T)
    return bool(distances.min() < reach), bool(distances[-1] < reach)


def _saddle(trace: Trace, saddles: list[CriticalPoint], reach: float) -> tuple[str, bool]:
    """A sentence on the saddle (or flat point) the path passed by, and whether it is there now."""
    for saddle in saddles:
        passed, there = _near(trace, saddle, reach)
        if not passed:
            continue
        where, height = format_vector(np.array(saddle.point)), format_number(saddle.value)
        low = format_number(saddle.eigenvalues[0])
        flat = saddle.kind == "degenerate"
        if there and flat:
            return (
                f"Crawling near the flat critical point {where} (L = {height}): the slope and "
                "both Hessian eigenvalues are about 0 there, so the steps keep shrinking. The "
                "second derivatives cannot tell whether this is a minimum (like x⁴ + y⁴) or a "
                "saddle (like the monkey saddle x³ − 3xy²)."
            ), True
        if there:
            return (
                f"Stuck at the saddle {where} (L = {height}): the slope vanishes here, but the "
                f"ground curves downwards in one direction (Hessian eigenvalue {low}), so this "
                "is not a minimum. Gradient descent stays only if it arrives exactly along "
                "the ridge; a nudge off it rolls away downhill."
            ), True
        if trace.values[-1] < saddle.value:
            what = "flat critical point" if flat else "saddle"
            down = "" if flat else f" (Hessian eigenvalue {low})"
            return (
                f"Escaped the {what} {where} (L = {height}): it slowed down near it, where the "
                f"slope is almost 0, then rolled off downhill in a direction in which the "
                f"ground curves down{down}."
            ), False
    return "", False


def _local(trace: Trace, minima: list[CriticalPoint]) -> str | None:
    final = float(trace.values[-1])
    scale = SAME_HEIGHT * (1.0 + abs(final))
    lowest = min(minima, key=lambda p: p.value)
    if lowest.value < final - scale:
        return (
            f"This is a local minimum (L = {format_number(final)}), not the lowest in view: "
            f"the minimum at {format_vector(np.array(lowest.point))} is lower "
            f"(L = {format_number(lowest.value)}). Gradient descent only goes downhill from "
            "where it starts, so the start decides which valley it ends in."
        )
    equal = [p for p in minima if abs(p.value - final) <= scale]
    if len(equal) > 1:
        return (
            f"This is one of {len(equal)} minima in view with the same value "
            f"(L = {format_number(final)}); another start can end in another of them."
        )
    return None


def surface_verdicts(
    traces: Sequence[Trace],
    objective: Objective,
    critical: list[CriticalPoint],
    view_size: float,
) -> list[SurfaceVerdict]:
    """:func:`surface_verdict` of each of a race's runs, f probed for all of them at once
    (:func:`~calcstudio.core.optimize.diagnosis.diagnose_each`)."""
    bases = diagnose_each(traces, objective)
    return [
        _with_surface(trace, base, critical, view_size)
        for trace, base in zip(traces, bases, strict=True)
    ]


def surface_verdict(
    trace: Trace,
    objective: Objective,
    critical: list[CriticalPoint],
    view_size: float,
) -> SurfaceVerdict:
    """Say in words what a run on a surface is doing.

    Parameters
    ----------
    trace
        The run so far.
    objective
        The surface's objective (with its Hessian).
    critical
        The critical points found in the view.
    view_size
        The larger side of the view: a path within :data:`NEAR` of it from a saddle has
        passed by the saddle.

    Notes
    -----
    The first that fits: a run that diverged, left the domain or has not started keeps the
    one-path verdict; near a saddle it is ``saddle``; a converged run in a minimum with
    lower ones in view is ``local minimum``; a run turning back at each of the last
    steps in a bowl with condition number above :data:`NARROW` is ``zigzag``; else the
    one-path verdict.
    """
    return _with_surface(trace, diagnose(trace, objective), critical, view_size)


def _with_surface(
    trace: Trace, base: Diagnosis, critical: list[CriticalPoint], view_size: float
) -> SurfaceVerdict:
    """The one-path verdict ``base`` read again with what only a surface shows."""
    curvature = base.curvature
    condition = None
    if curvature is not None and len(curvature) == 2 and curvature[0] > 0:
        condition = curvature[1] / curvature[0]
    kind: Kind = base.kind
    message = base.message
    saddles = [p for p in critical if p.kind in ("saddle", "degenerate")]
    if base.kind == "runaway":  # L falls without end: say so, after the saddle it passed
        sentence, _ = _saddle(trace, saddles, NEAR * view_size)
        message = f"{sentence} {message}" if sentence else message
    elif base.kind not in ("diverging", "undefined", "starting"):
        minima = [p for p in critical if p.kind == "minimum"]
        sentence, there = _saddle(trace, saddles, NEAR * view_size)
        if sentence and base.kind != "converged":
            kind = "stalled" if sentence.startswith("Crawling") else "saddle"
            message = sentence if there else f"{sentence} {message}"
        elif base.kind == "converged" and minima and (local := _local(trace, minima)):
            is_local = local.startswith("This is a local")
            kind = "local minimum" if is_local else kind
            message = f"{message} {local}"
        elif base.kind != "converged" and (zigzag := _zigzag(trace, curvature)):
            kind, message = "zigzag", zigzag
    # 2/λmax bounds the rate only where the ground curves up in every direction (here, at
    # the last point): near a saddle the run leaves downhill whatever the rate.
    rate = 2.0 / curvature[-1] if condition is not None and curvature else None
    return SurfaceVerdict(kind, message, base, condition, rate)


def critical_rate_sentence(verdict: SurfaceVerdict) -> str:
    """The critical rate 2/λmax with its λmax, where the ground curves up in every direction."""
    if verdict.critical_rate is None or verdict.diagnosis.curvature is None:
        return ""
    highest = verdict.diagnosis.curvature[-1]
    return (
        f"Critical rate here: 2/λmax = {format_number(verdict.critical_rate)} "
        f"(λmax = {format_number(highest)}). Plain gradient descent diverges near here with any "
        "larger η."
    )


__all__ = [
    "Kind",
    "SurfaceVerdict",
    "critical_rate_sentence",
    "surface_verdict",
    "surface_verdicts",
]
