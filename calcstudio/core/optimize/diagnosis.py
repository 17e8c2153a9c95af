"""What a run is doing, in words: converging, oscillating, diverging, running away, stalled.

:func:`diagnose` reads a trace (or the part of it shown so far) the way a teacher would
look at the path: is the loss going down, does the slope flip sign every step, has the
ball stopped? Given the objective it also checks f itself (:mod:`.landscape`): whether a
minimum lies downhill (and how f curves there), whether f falls without end, whether the
ball rests on a corner. A verdict only says what the path or f shows.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from weakref import WeakKeyDictionary

import numpy as np
from numpy.typing import ArrayLike

from calcstudio.core.optimize.landscape import Downhill, look_downhill, look_downhill_from_each
from calcstudio.core.optimize.moving import moving
from calcstudio.core.optimize.objective import Objective
from calcstudio.core.optimize.resting import at_rest
from calcstudio.core.optimize.trace import Trace, format_point
from calcstudio.core.optimize.verdicts import Diagnosis, Kind, locate

TOLERANCE = 1e-6
"""A slope and a step both below this count as stopped."""

_NO_RATE = ("diverging", "runaway", "undefined")


def critical_learning_rate(second_derivative: ArrayLike) -> float:
    """The rate above which plain gradient descent cannot settle at a minimum: ``2 / f″``.

    Near a minimum ``w*`` gradient descent multiplies the distance to ``w*`` by about
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


def _curvature(
    trace: Trace, objective: Objective | None, hessian: np.ndarray | None = None
) -> tuple[float, ...] | None:
    """Eigenvalues of the Hessian at the last point (lowest first), if they can be had
    (``hessian``, the Hessian there, if it was evaluated already)."""
    if objective is not None and objective.hessian is not None:
        if hessian is None:
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


def _first_probe(trace: Trace) -> float:
    """How far from the ball the look downhill starts: a quarter of the last step."""
    w = trace.points[-1]
    last = float(np.linalg.norm(trace.points[-1] - trace.points[-2])) if trace.step_count else 0.0
    return max(0.25 * last, 1e-9 * (1.0 + float(np.linalg.norm(w))))


def _downhill(trace: Trace, objective: Objective | None, *, exact: bool = True) -> Downhill | None:
    """What lies downhill of the ball on f (None without the objective or at a flat spot)."""
    if objective is None or not np.any(trace.gradients[-1]):
        return None
    return look_downhill(objective, trace.points[-1], _first_probe(trace), exact=exact)


@dataclass
class _Known:
    """A stretch ``[low, high]`` of one variable from every point of which ``ground`` lies
    downhill (the probes from its two ends found it), and the facts ``found`` about it."""

    low: float
    high: float
    ground: Downhill
    found: Diagnosis | None


_MEMORY: WeakKeyDictionary[Objective, dict[tuple[str, float], _Known]] = WeakKeyDictionary()
"""What was found on each objective, so a window re-diagnosing every frame probes f once."""
_MEMORY_SIZE = 64


def _ground_of_one_variable(
    trace: Trace, objective: Objective
) -> tuple[Downhill | None, Diagnosis | None]:
    """Downhill of the ball, and the minimum there located, remembered between frames."""
    x = float(trace.points[-1, 0])
    known = _MEMORY.setdefault(objective, {})
    for entry in known.values():
        if entry.low <= x <= entry.high and x != entry.ground.point[0]:
            return entry.ground, entry.found
    ground = _downhill(trace, objective)
    if ground is None:
        return None, None
    found = locate(objective, ground.point) if ground.kind == "bottom" else None
    if ground.kind != "unknown":
        point = float(ground.point[0])
        key = (ground.kind, point)
        if key in known:
            entry = known[key]
            entry.low, entry.high = min(entry.low, x), max(entry.high, x)
        elif len(known) < _MEMORY_SIZE:
            known[key] = _Known(min(x, point), max(x, point), ground, found)
    return ground, found


def diagnose(trace: Trace, objective: Objective | None = None) -> Diagnosis:
    """Say in words what the run so far is doing.

    Parameters
    ----------
    trace
        A run, or the part shown so far (``trace.upto(k)``), in any number of variables.
    objective
        The objective it ran on. Without it the verdict rests on the path alone; with it,
        f is checked too (a Hessian, if the objective has one, gives the curvature).

    Returns
    -------
    Diagnosis

    Notes
    -----
    The first rule that fits gives the verdict:

    1. the run stopped by running off: ``runaway`` if the loss fell, else ``diverging``;
       or it left f's domain: ``undefined``;
    2. no step yet: ``starting``;
    3. slope and step both below :data:`TOLERANCE`: at rest (:func:`.resting.at_rest`:
       a minimum, a corner, a saddle, a flat point);
    4. the loss rising to new heights, or the slope flipping sign every step:
       ``diverging`` or ``oscillating``;
    5. otherwise the ball is moving (:func:`.moving.moving`): running away downhill
       where f falls without end, crawling (``stalled``, or ``converging`` slowly
       towards a flat-bottomed minimum), overshooting, ``converging`` or ``descending``.

    With one variable and the objective, the minimum downhill of the ball is located on
    f, and the critical rate ``2/f″`` at it is given unless the run diverges or runs away.
    """
    return _diagnose(
        trace,
        objective,
        _curvature(trace, objective),
        lambda: _downhill(trace, objective, exact=False),
    )


def diagnose_each(traces: Sequence[Trace], objective: Objective | None = None) -> list[Diagnosis]:
    """:func:`diagnose` of each trace (a race's runs on one objective), in order.

    With several variables each verdict looks down the slope from its ball with a few
    hundred probes of f; here the probes of every ball are taken in one evaluation, so
    seven racers cost little more than one. The verdicts are those of :func:`diagnose`.
    """
    hessians: list[np.ndarray | None] = [None] * len(traces)
    if objective is not None and objective.hessian is not None and traces:
        hessians = list(objective.hessians_at(np.array([t.points[-1] for t in traces])))
    looks: dict[int, Downhill] = {}
    if objective is not None and objective.dimension > 1:
        looking = [
            i
            for i, trace in enumerate(traces)
            if trace.step_count > 0
            and trace.status not in ("diverged", "undefined")
            and np.any(trace.gradients[-1])
        ]
        found = look_downhill_from_each(
            objective,
            [traces[i].points[-1] for i in looking],
            [_first_probe(traces[i]) for i in looking],
            exact=False,
            gradients=[traces[i].gradients[-1] for i in looking],
            losses=[float(traces[i].values[-1]) for i in looking],
        )
        looks = dict(zip(looking, found, strict=True))
    return [
        _diagnose(
            trace, objective, _curvature(trace, objective, hessians[i]), lambda i=i: looks.get(i)
        )
        for i, trace in enumerate(traces)
    ]


def _diagnose(
    trace: Trace,
    objective: Objective | None,
    curvature: tuple[float, ...] | None,
    rough_downhill: Callable[[], Downhill | None],
) -> Diagnosis:
    """:func:`diagnose`, given the curvature at the ball and what lies downhill of it (a
    bottom found roughly)."""
    where = format_point(trace.variables, trace.points[-1])
    values = trace.values
    if trace.status == "diverged":
        if values[-1] < values[0]:
            how = trace.message.removeprefix("diverged ")
            endless = _endless(trace, _downhill(trace, objective))
            return Diagnosis("runaway", f"Ran away downhill and stopped {how}.{endless}", curvature)
        return Diagnosis("diverging", f"{trace.message[:1].upper()}{trace.message[1:]}.", curvature)
    if trace.status == "undefined":
        return Diagnosis(
            "undefined",
            f"Stopped: the next step would leave the region where f is defined "
            f"({trace.message}). Try a smaller learning rate or another start.",
            curvature,
        )
    if trace.step_count == 0:
        return Diagnosis("starting", f"Ready at {where}: take a step.", curvature)
    slope = float(np.linalg.norm(trace.gradients[-1]))
    move = float(np.linalg.norm(trace.points[-1] - trace.points[-2]))
    if trace.status == "converged" or (slope < TOLERANCE and move < TOLERANCE):
        verdict = at_rest(trace, objective, curvature, where)
    else:
        found = None
        if objective is not None and len(trace.variables) == 1:
            ground, found = _ground_of_one_variable(trace, objective)
        else:
            ground = _only_endless(rough_downhill())
        verdict = moving(trace, ground, found, where)
        verdict = replace(verdict, curvature=curvature)
        if found is not None and verdict.kind not in _NO_RATE:
            verdict = replace(
                verdict,
                critical_rate=found.critical_rate,
                minimum=found.minimum,
                flat_bottom=found.flat_bottom,
                corner=found.corner,
            )
    return verdict


def _only_endless(ground: Downhill | None) -> Downhill | None:
    # Along a line in several variables, a lowest point on the line is no minimum of f.
    return ground if ground is not None and ground.kind == "endless" else None


def _endless(trace: Trace, ground: Downhill | None) -> str:
    if ground is None or ground.kind != "endless":
        return ""
    return (
        " f has no minimum that way: it keeps falling as far as it was checked, to "
        f"{format_point(trace.variables, ground.point)}."
    )


__all__ = [
    "TOLERANCE",
    "Diagnosis",
    "Kind",
    "critical_learning_rate",
    "diagnose",
    "diagnose_each",
]
