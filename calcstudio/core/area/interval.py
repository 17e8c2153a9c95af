"""The interval [a, b]: its ends typed as constants, and what f does on it.

A Riemann sum is only an approximation of something when f has a finite area on [a, b].
:func:`check_interval` finds where it has not (f undefined on a stretch, a pole whose area
is infinite) and where the integral is improper but finite (``1/sqrt(x)`` at 0), so the
lesson states it instead of showing a number that means nothing.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

import numpy as np

from calcstudio.core.area.readout import short_number
from calcstudio.core.area.riemann import RealFunction, values_with_limits
from calcstudio.core.language import ParseError, parse_tree

Verdict = Literal["ok", "improper", "diverges", "undefined"]

_GRID = 4097
_PEAKS = 8  # the largest local peaks of |f| examined for a pole
_DISTANCES = 10.0 ** -np.arange(3.0, 12.0, 2.0)  # fractions of a grid step, towards a pole


def constant_value(text: str, name: str = "a") -> float:
    """The value of a constant typed in the expression language: ``0``, ``pi``, ``-2/3``, ``e^2``.

    Raises
    ------
    ValueError
        With a message for a learner when ``text`` is not a finite constant.
    """
    from calcstudio.core.jets import CONSTANTS, derivative_evaluators

    stripped = text.strip()
    if not stripped:
        raise ValueError(f"Type a number for {name}, such as 0, pi or 2.5.")
    try:
        tree = parse_tree(stripped)
    except ParseError as error:
        raise ValueError(f"{name} is not a number yet: {error.message}.") from None
    names, stack = [], [tree.root]
    while stack:  # iterative: a 500-term sum is deeper than the recursion limit
        node = stack.pop()
        if node.kind == "name" and node.text not in CONSTANTS:
            names.append(node.text)
        stack.extend(node.args)
    if names:
        raise ValueError(
            f"{name} must be a number, not depend on {names[0]}: "
            "type a constant such as 0, pi or 2.5."
        )
    # A constant tree compiles as a function of one variable it never uses.
    evaluators = derivative_evaluators(tree)
    assert evaluators is not None
    value = float(evaluators[0](np.zeros(1))[0])
    if not math.isfinite(value):
        raise ValueError(f"{name} = {stripped} is not a finite number.")
    return value


@dataclass(frozen=True)
class IntervalCheck:
    """What f does on [a, b].

    Attributes
    ----------
    verdict
        ``"ok"`` (f is bounded and defined: the sums approximate the area), ``"improper"``
        (unbounded near a point but the area is finite), ``"diverges"`` (the area near a
        pole is infinite) or ``"undefined"`` (f has no value on a stretch of [a, b]).
    message
        The verdict in words for the learner; empty when ok.
    where
        The x of the pole, or the ends of the first undefined stretch.
    """

    verdict: Verdict
    message: str = ""
    where: tuple[float, ...] = ()

    @property
    def has_area(self) -> bool:
        """Whether ∫ₐᵇ f is a finite number that sums can approach."""
        return self.verdict in ("ok", "improper")


def _growth(
    f: RealFunction, centres: np.ndarray, step: float, low: float, high: float
) -> np.ndarray:
    """For each centre, the rate ``p`` at which |f| grows towards it (|f| ~ 1/d^p), or NaN.

    |f| is measured at distances ``d`` shrinking by 100 each time, on each side inside
    [low, high]; a smooth peak levels off (NaN), a pole or a logarithm keeps growing.
    """
    rates = np.full(centres.size, np.nan)
    for side in (-1.0, 1.0):
        points = centres[:, None] + side * step * _DISTANCES[None, :]
        size = np.abs(values_with_limits(f, points.ravel())).reshape(points.shape)
        inside = np.all((points >= low) & (points <= high), axis=1)
        growing = np.all(np.diff(size, axis=1) > 0, axis=1) & (size[:, -1] > 2 * size[:, 0])
        with np.errstate(all="ignore"):
            rate = np.log(size[:, -1] / size[:, -2]) / np.log(100.0)
        rate = np.where(inside & growing & np.all(np.isfinite(size), axis=1), rate, np.nan)
        rates = np.fmax(rates, rate)
    return rates


def _peaks(f: RealFunction, low: np.ndarray, high: np.ndarray) -> np.ndarray:
    """Where |f| is largest in each [low, high], by golden-section search (onto a pole)."""
    ratio = (math.sqrt(5) - 1) / 2
    for _ in range(64):  # 0.618⁶⁴ of two grid steps: below the nearest distance probed
        c, d = high - ratio * (high - low), low + ratio * (high - low)
        sizes = np.abs(values_with_limits(f, np.concatenate((c, d))))
        sizes = np.nan_to_num(sizes, nan=np.inf)
        left = sizes[: c.size] >= sizes[c.size :]
        high, low = np.where(left, d, high), np.where(left, low, c)
    return 0.5 * (low + high)


def check_interval(f: RealFunction, a: float, b: float) -> IntervalCheck:
    """Whether ∫ₐᵇ f exists, found numerically (no sympy: it runs on every drag).

    Parameters
    ----------
    f
        A vectorised real function, NaN where undefined.
    a, b
        The interval, in either order.

    Examples
    --------
    >>> check_interval(lambda x: 1 / x, -1.0, 1.0).verdict
    'diverges'
    >>> check_interval(lambda x: 1 / np.sqrt(x), 0.0, 1.0).verdict
    'improper'
    """
    low, high = min(a, b), max(a, b)
    if low == high:
        return IntervalCheck("ok")
    xs = np.linspace(low, high, _GRID)
    step = xs[1] - xs[0]
    with np.errstate(all="ignore"):
        ys = values_with_limits(f, xs)
    missing = np.isnan(ys)
    runs = np.flatnonzero(missing[:-1] & missing[1:])
    if runs.size:
        start = runs[0]
        end = start
        while end + 1 < missing.size and missing[end + 1]:
            end += 1
        span = f"from x = {short_number(xs[start])} to {short_number(xs[end])}"
        return IntervalCheck(
            "undefined",
            f"f is undefined on part of [a, b] ({span}): there is no area to add up there,"
            " so the integral does not exist.",
            (float(xs[start]), float(xs[end])),
        )
    size = np.where(missing, np.inf, np.abs(ys))
    inner = size[1:-1]
    # A peak of |f| that is sharp on the grid (its second difference is not small beside
    # it, as it is at any smooth bump) may hide a pole between grid points.
    with np.errstate(all="ignore"):
        bend = np.abs(size[:-2] - 2 * inner + size[2:])
    sharp = (inner >= size[:-2]) & (inner >= size[2:]) & ~(bend <= 1e-3 * inner)
    peaks = np.flatnonzero(sharp) + 1
    candidates = list(np.flatnonzero(missing))
    candidates += list(peaks[np.argsort(-inner[peaks - 1])][:_PEAKS])
    candidates += [i for i in (0, xs.size - 1) if size[i] >= size[1 if i == 0 else -2]]
    index = np.array(list(dict.fromkeys(int(c) for c in candidates)), dtype=int)
    if index.size == 0:
        return IntervalCheck("ok")
    centres = _peaks(f, xs[np.maximum(index - 1, 0)], xs[np.minimum(index + 1, xs.size - 1)])
    # A pole on a grid point is found to within rounding: say the grid point (0, not 1e-21).
    centres = np.where(np.abs(centres - xs[index]) < 1e-6 * step, xs[index], centres)
    rates = _growth(f, centres, step, low, high)
    if np.all(np.isnan(rates)):
        return IntervalCheck("ok")
    worst = int(np.nanargmax(rates))
    where, rate = float(centres[worst]), float(rates[worst])
    place = f"x = {short_number(where)}"
    if rate > 0.9:
        return IntervalCheck(
            "diverges",
            f"f has a pole at {place} in [a, b]: the area beside it is infinite, so the"
            " integral diverges. The sums below are not approximations of any area.",
            (where,),
        )
    return IntervalCheck(
        "improper",
        f"f grows without bound near {place}, yet the area there is finite: an improper"
        " integral. The sums approach it slowly, and a rule that needs f at that point has"
        " no value.",
        (where,),
    )


__all__ = ["IntervalCheck", "Verdict", "check_interval", "constant_value"]
