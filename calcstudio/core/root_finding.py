"""Newton–Raphson: follow the tangent down to the x-axis, ``x ← x − f(x)/f′(x)``.

Near a simple root the number of correct digits about doubles each step (quadratic
convergence). :func:`newton_raphson` runs it and says in words how the run ended: converged
(and whether to the root nearest the start), stopped on a flat tangent (f′ = 0), caught in a
cycle, diverging (``cbrt(x)``: every step lands twice as far away on the other side), or
off f's domain. Run on f′ and f″ instead, the same method finds where the slope is 0: Newton's
method for minimizing, as the descent lesson's Newton optimizer does.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

import numpy as np

from calcstudio.core.calculus import format_number, value_at

RealFunction = Callable[[np.ndarray], np.ndarray]
Verdict = Literal[
    "converged", "other root", "flat", "cycle", "diverging", "undefined", "unfinished"
]

_TOLERANCE = 1e-12


@dataclass(frozen=True)
class NewtonRun:
    """The iterates of one run and how it ended.

    Attributes
    ----------
    points, values, slopes
        ``x_k``, ``f(x_k)`` and ``f′(x_k)`` for k = 0, 1, …
    verdict
        ``"converged"``, ``"other root"`` (converged, but not to the root nearest the
        start), ``"flat"`` (f′(x) = 0: the tangent never meets the axis), ``"cycle"``,
        ``"diverging"``, ``"undefined"`` (f or f′ has no value at an iterate) or
        ``"unfinished"`` (out of steps).
    message
        The verdict in words.
    root
        The root reached, NaN unless the run converged.
    nearest_root
        For ``"other root"``, the root nearest the start.
    """

    points: np.ndarray
    values: np.ndarray
    slopes: np.ndarray
    verdict: Verdict
    message: str
    root: float = float("nan")
    nearest_root: float = float("nan")

    def correct_digits(self) -> np.ndarray:
        """Correct significant digits of each iterate, ``−log10(|x_k − root| / max(1, |root|))``.

        Capped at 16 (float precision); NaN when the run did not converge.
        """
        if not np.isfinite(self.root):
            return np.full(self.points.size, np.nan)
        relative = np.abs(self.points - self.root) / max(1.0, abs(self.root))
        with np.errstate(divide="ignore"):
            return np.minimum(16.0, -np.log10(relative))

    def tangent_steps(self) -> list[tuple[float, float, float]]:
        """For drawing: each step's ``(x_k, f(x_k), x_{k+1})``, the tangent down to the axis."""
        return [
            (float(x), float(y), float(after))
            for x, y, after in zip(self.points[:-1], self.values[:-1], self.points[1:], strict=True)
        ]


def _nearest_root(f: RealFunction, start: float, reach: float) -> float:
    """The root of f nearest ``start`` within ``reach``, by sign changes and bisection."""
    xs = np.linspace(start - reach, start + reach, 4001)
    with np.errstate(all="ignore"):
        ys = np.asarray(f(xs), dtype=float)
    change = np.flatnonzero(
        (np.sign(ys[:-1]) * np.sign(ys[1:]) <= 0) & np.isfinite(ys[:-1] * ys[1:])
    )
    if change.size == 0:
        return float("nan")
    low, high = xs[change], xs[change + 1]
    for _ in range(60):
        middle = 0.5 * (low + high)
        with np.errstate(all="ignore"):
            same = np.sign(np.asarray(f(middle), dtype=float)) == np.sign(f(low))
        low, high = np.where(same, middle, low), np.where(same, high, middle)
    roots = 0.5 * (low + high)
    # A sign change across a pole (1/x) is not a root: |f| there is large, not 0.
    with np.errstate(all="ignore"):
        small = np.abs(np.asarray(f(roots), dtype=float)) < 1e-6 * max(1.0, np.nanmax(np.abs(ys)))
    roots = roots[small]
    if not roots.size:
        return float("nan")
    nearest = float(roots[np.argmin(np.abs(roots - start))])
    return 0.0 if abs(nearest) < 1e-12 * reach else nearest  # bisection ends at 1e-21, not 0


def newton_raphson(f: RealFunction, df: RealFunction, start: float, steps: int = 40) -> NewtonRun:
    """Run Newton–Raphson from ``start`` for at most ``steps`` steps.

    Parameters
    ----------
    f, df
        f and its derivative, vectorised (the window's fast path; :class:`Function`).
    start
        x₀.
    steps
        The most steps to take.

    Examples
    --------
    >>> run = newton_raphson(lambda x: x**2 - 2, lambda x: 2 * x, 1.0)
    >>> run.verdict, round(run.root, 12)
    ('converged', 1.414213562373)
    """
    points, values, slopes = [float(start)], [value_at(f, start)], [value_at(df, start)]
    verdict: Verdict = "unfinished"
    for _ in range(steps):
        x, y, slope = points[-1], values[-1], slopes[-1]
        if not (np.isfinite(y) and np.isfinite(slope)):
            verdict = "undefined"
            break
        if y == 0:
            verdict = "converged"
            break
        if slope == 0:
            verdict = "flat"
            break
        after = x - y / slope
        points.append(after)
        values.append(value_at(f, after))
        slopes.append(value_at(df, after))
        if abs(after - x) <= _TOLERANCE * max(1.0, abs(after)) and np.isfinite(values[-1]):
            verdict = "converged"
            break
        if _cycles(points):
            verdict = "cycle"
            break
        if len(points) > 6 and _runs_away(points):
            verdict = "diverging"
            break
    arrays = (np.array(points), np.array(values), np.array(slopes))
    return _judge(f, float(start), arrays, verdict)


def _cycles(points: list[float]) -> bool:
    """The last iterate repeats one two or three steps back, without having converged."""
    x = points[-1]
    for back in (2, 3):
        if len(points) > back + 1 and abs(points[-1 - back] - x) <= 1e-9 * max(1.0, abs(x)):
            return abs(points[-2] - x) > 1e-6 * max(1.0, abs(x))
    return False


def _runs_away(points: list[float]) -> bool:
    """Each of the last five steps was longer than the one before, the last over 1000× the first."""
    lengths = np.abs(np.diff(points))
    return bool(np.all(np.diff(lengths[-5:]) > 0) and lengths[-1] > 1e3 * lengths[0])


def _judge(
    f: RealFunction, start: float, arrays: tuple[np.ndarray, ...], verdict: Verdict
) -> NewtonRun:
    points, values, slopes = arrays
    x = points[-1]
    n = points.size - 1
    at = f"x = {format_number(x, 6)}"
    if verdict == "converged":
        root = float(x)
        nearest = _nearest_root(f, start, 1.5 * abs(root - start) + 1e-9)
        if (
            np.isfinite(nearest)
            and abs(nearest - start) < abs(root - start) * (1 - 1e-6)
            and abs(nearest - root) > 1e-6 * max(1.0, abs(root))
        ):
            message = (
                f"Converged in {n} steps to the root {at}, but it is not the root nearest the"
                f" start: x = {format_number(nearest, 6)} is closer. The tangent overshot it."
            )
            return NewtonRun(points, values, slopes, "other root", message, root, nearest)
        if abs(slopes[-1]) < 1e-6 * max(1.0, float(np.nanmax(np.abs(slopes)))):
            message = (
                f"Converged in {n} steps to the root {at}, slowly: f′ is 0 there too (a double"
                " root), so each step gains only a fixed number of digits instead of doubling them."
            )
        else:
            message = (
                f"Converged in {n} steps to the root {at}; near it the correct digits about"
                " double each step."
            )
        return NewtonRun(points, values, slopes, verdict, message, root)
    messages = {
        "flat": f"Stopped at {at}: f′(x) = 0 there, so the tangent is flat and never meets"
        " the x-axis.",
        "cycle": f"Caught in a cycle: after {n} steps the iterates come back to {at} again"
        " and again.",
        "diverging": f"Diverging: each step lands farther away (now at {at}); there is no"
        " convergence.",
        "undefined": f"Stopped at {at}: f or f′ has no value there.",
        "unfinished": f"Not converged after {n} steps (now at {at}).",
    }
    ratio = _linear_rate(points, slopes)
    if verdict == "unfinished" and ratio is not None:
        messages["unfinished"] = (
            f"Still creeping towards a root after {n} steps (now at {at}): f′ is 0 there"
            f" too (a double root), so each step only shrinks the distance to it by about"
            f" {format_number(ratio, 2)} instead of doubling the correct digits."
        )
    return NewtonRun(points, values, slopes, verdict, messages[verdict])


def _linear_rate(points: np.ndarray, slopes: np.ndarray) -> float | None:
    """The steady factor by which the last steps shrink (½ at a double root), when the
    steps shrink by one such factor and f′ is fading with them; else None."""
    lengths = np.abs(np.diff(points))[-6:]
    if lengths.size < 6 or not np.all(lengths > 0):
        return None
    ratios = lengths[1:] / lengths[:-1]
    steady = np.all((ratios > 0.2) & (ratios < 0.95)) and np.ptp(ratios) < 0.05
    fading = abs(slopes[-1]) < 1e-6 * max(1.0, float(np.nanmax(np.abs(slopes))))
    return float(np.median(ratios)) if steady and fading else None


__all__ = ["NewtonRun", "Verdict", "newton_raphson"]
