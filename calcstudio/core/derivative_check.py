"""Whether f′(a) exists, and if not, why, in words for a learner.

A symbolic derivative can have a value where the derivative does not exist (sympy's
d/dx |x| = sign(x) is 0 at 0), so the window asks this module before it draws a tangent.

The syntax tree decides where it can (:mod:`calcstudio.core.switches`): where no non-smooth
piece switches at a and every node is finite, f′(a) exists for certain. At a switch point,
f is looked at numerically from each side, with steps scaled to the pieces of f (the
distance to the next switch, the scale on which ``sin(u)`` or ``exp(u)`` turns), shrinking
by 4 each time. From each side the values tell whether f is continuous, jumps, or runs off to
infinity; the difference quotients, Richardson-extrapolated, whether the slope settles,
grows without bound, or keeps swinging. Tolerances are the rounding errors of the numbers
involved, so a corner or jump of any size is seen.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass

import numpy as np

from calcstudio.core.calculus import RealFunction, format_number
from calcstudio.core.curve import evaluate
from calcstudio.core.language import SyntaxTree
from calcstudio.core.sequences import Trend, trend
from calcstudio.core.switches import PointReading, read_point

_STEPS = 17  # h = H, H/4, ..., H/4^16: the last windows of four steps decide
_NOISE_PROBES = 8
_NAMES = {
    "corner": "a corner",
    "jump": "a jump",
    "vertical": "a vertical tangent",
    "cusp": "a cusp",
    "oscillates": "oscillation",
    "one-sided": "the end of the domain",
    "pole": "a pole",
    "hole": "a hole",
}


@dataclass(frozen=True)
class DerivativeCheck:
    """Whether ``f'(point)`` exists, the one-sided slopes, and why not if it does not.

    ``reason`` is ``""`` where f′ exists, else one of ``"corner"``, ``"jump"``,
    ``"vertical"``, ``"cusp"``, ``"oscillates"``, ``"one-sided"`` (f is defined on one side
    only and has a finite slope there), ``"pole"``, ``"hole"`` (f undefined at a, with the
    same limit on both sides), ``"undefined"``, ``"isolated"`` (f defined at a only) or
    ``"overflow"`` (f is defined, but too large for floats, as ``exp(1000)``) or
    ``"unresolved"`` (a piece switches at a, but floats are too coarse there to say more,
    as ``floor(x)`` at 1e15).
    ``detail`` says more: the side f is defined on (``"left"``/``"right"``) at the end of a
    domain or a one-sided pole, ``"values"`` where f itself oscillates, ``"hole"`` where
    the quotients of a filled hole oscillate. One-sided slopes are ±inf where they grow
    without bound and NaN where unknown; ``left_value``/``right_value`` are f's limits.
    """

    point: float
    exists: bool
    left_slope: float
    right_slope: float
    reason: str
    defined: bool = True
    left_value: float = math.nan
    right_value: float = math.nan
    detail: str = ""
    value: float = math.nan
    """f(point) as computed (finite but huge at a pole that rounding missed)."""

    @property
    def slope(self) -> float:
        """The derivative where it exists, else NaN."""
        return 0.5 * (self.left_slope + self.right_slope) if self.exists else math.nan

    def message(self) -> str:
        """A sentence for the learner, e.g. "f′(0.000) does not exist here (a corner): ..."."""
        a = format_number(self.point)
        at = f"f′({a})"
        if self.exists:
            return f"{at} = {format_number(self.slope)}"
        if self.reason == "overflow":  # f′ exists; the numbers cannot hold it
            return f"{at} cannot be computed here: {self._why(a)}."
        if self.reason == "unresolved":
            return (
                f"{at} cannot be decided here: a piece of f switches exactly at {a}, and "
                "numbers this large hold too few digits to look at f closely around it."
            )
        name = f" ({_NAMES[self.reason]})" if self.reason in _NAMES else ""
        if self.reason == "vertical" and self.detail in ("left", "right"):
            name = " (a vertical tangent at the end of the domain)"
        return f"{at} does not exist here{name}: {self._why(a)}."

    def _why(self, a: str) -> str:
        left, right = format_number(self.left_slope), format_number(self.right_slope)
        side = self.detail
        reason = self.reason
        if reason == "corner":
            return f"the slope from the left is {left} but from the right is {right}"
        if reason == "jump" and side in ("left", "right"):
            limit = self.left_value if side == "left" else self.right_value
            near, fa = _distinct(limit, self.value)
            return (
                f"f is only defined to the {side} of {a}, and there it tends to {near}, not to "
                f"f({a}) = {fa}: it is not continuous"
            )
        if reason == "jump":
            lv, rv, fa = _distinct(self.left_value, self.right_value, self.value)
            if lv == rv:
                return (
                    f"f tends to {lv} from both sides, but f({a}) = {fa}, so it is not continuous"
                )
            if fa in (lv, rv):
                return (
                    f"f jumps from {lv} on the left to {rv} on the right, so it is not continuous"
                )
            return (
                f"f tends to {lv} from the left and {rv} from the right, but f({a}) = {fa}, "
                "so it is not continuous"
            )
        if reason == "vertical":
            if side in ("left", "right"):
                return (
                    f"f is only defined to the {side} of {a}, and there the graph starts "
                    "straight up: the slope grows without bound"
                )
            if math.isfinite(self.left_slope) or math.isfinite(self.right_slope):
                steep = "left" if math.isinf(self.left_slope) else "right"
                return f"the slope from the {steep} grows without bound"
            return "the graph stands vertical here: the slope grows without bound"
        if reason == "cusp":
            return (
                f"the slope runs to {_infinity(self.left_slope)} from the left and to "
                f"{_infinity(self.right_slope)} from the right: the graph comes to a sharp point"
            )
        if reason == "oscillates":
            if side == "values":
                return "f itself keeps swinging near here without settling, so it is not continuous"
            if side == "hole":
                limit = format_number(self.left_value)
                return (
                    f"f is not defined at {a} itself (it tends to {limit} from both sides), and "
                    "even with that hole filled the difference quotients keep swinging and "
                    "never settle"
                )
            return "the difference quotients keep swinging and never settle"
        if reason == "one-sided":
            slope = left if side == "left" else right
            return (
                f"f is only defined to the {side} of {a}; the slope from the {side} is "
                f"{slope}, but a derivative needs both sides"
            )
        if reason == "pole":
            where = f" from the {side}" if side in ("left", "right") else ""
            return f"f is not defined at {a}: its graph shoots off to infinity{where} there"
        if reason == "hole":
            limit = format_number(self.left_value)
            return (
                f"f is not defined at {a} itself, though it tends to {limit} from both sides "
                "(a hole in the graph)"
            )
        if reason == "overflow":
            return f"f({a}) is too large for the computer's numbers (they reach about 1.8e308)"
        if reason == "isolated":
            return f"f is defined at {a} but not on either side of it"
        if side == "values":
            return f"f is not defined at {a}, and near it f keeps swinging without settling"
        return f"f is not defined at {a}"


def _distinct(*values: float) -> list[str]:
    """The numbers with as many decimals as it takes to tell different ones apart (up to 15).

    A jump of 1e-12 at 1 reads "from 1.000000000000 to 1.000000000001", not "1.000 to 1.000".
    """
    for decimals in range(3, 16):
        texts = [format_number(value, decimals) for value in values]
        differ = all(
            (a == b) == (x == y)
            for (a, x), (b, y) in itertools.combinations(zip(texts, values, strict=True), 2)
        )
        if differ:
            break
    return texts


def _infinity(slope: float) -> str:
    return "+∞" if slope > 0 else "−∞"


def check_derivative(f: RealFunction, point: float, tree: SyntaxTree) -> DerivativeCheck:
    """Decide whether f′(point) exists, and if not, why.

    Parameters
    ----------
    f
        The function as evaluated (NaN where undefined), for the numbers at switch points.
    point
        Where to look.
    tree
        f's syntax tree, one variable, from :func:`calcstudio.core.language.parse_tree`.

    Returns
    -------
    DerivativeCheck

    Examples
    --------
    >>> from calcstudio.core.language import parse_tree
    >>> from calcstudio.core.jets import derivative_evaluators
    >>> tree = parse_tree("abs(x)")
    >>> f = derivative_evaluators(tree)[0]
    >>> check_derivative(f, 0.0, tree).reason, check_derivative(f, 1e-7, tree).exists
    ('corner', True)
    """
    point = float(point)
    reading = read_point(tree, point)
    if reading.smooth:
        return DerivativeCheck(point, True, reading.slope, reading.slope, "", value=reading.value)
    if reading.overflowed and not math.isfinite(reading.value):
        nan = math.nan
        return DerivativeCheck(point, False, nan, nan, "overflow", defined=False)
    with np.errstate(all="ignore"):  # near the largest floats the steps overflow: no matter
        return _look_closely(f, point, reading)


def _look_closely(f: RealFunction, point: float, reading: PointReading) -> DerivativeCheck:
    """The numbers on both sides of a switch point, and the verdict they give."""
    # Steps from a quarter of the length over which f's pieces are nearly linear, each a
    # quarter of the one before, down to where a + h still has digits to spare.
    first = 0.25 * min(reading.scale, 0.4 * max(1.0, abs(point)))
    h = first * 4.0 ** -np.arange(_STEPS)
    h = h[h > 32 * np.spacing(abs(point))]
    if h.size < 10:
        # Floats cannot resolve f's pieces this close to a.
        if reading.exact:  # floor(x) at 1e15: a switch right at a, too close to look at
            nan = math.nan
            return DerivativeCheck(point, False, nan, nan, "unresolved", value=reading.value)
        if reading.finite:
            # sin(x^4) at 2563 turns within a few units of the last digit of a, so rounding
            # alone may seem to switch it; nothing does, so the chain rule stands.
            return DerivativeCheck(
                point, True, reading.slope, reading.slope, "", value=reading.value
            )
        h = 32 * np.spacing(abs(point)) * 4.0 ** np.arange(_STEPS - 1, -1, -1)
    right, left = point + h, point - h
    step_right, step_left = right - point, point - left  # the steps taken after rounding
    # Eight samples a few units of the last digit apart, half-way down the steps on each
    # side, show how much f's values scatter by rounding alone.
    middle = h[h.size // 2]
    apart = 16 * np.spacing(max(abs(point), middle)) * np.arange(_NOISE_PROBES)
    x = np.concatenate(([point], right, left, point + middle + apart, point - middle - apart))
    values = evaluate(f, x)
    n = h.size
    value, ys_right, ys_left = values[0], values[1 : 1 + n], values[1 + n : 1 + 2 * n]
    finite = np.concatenate((values[np.isfinite(values)], [0.0]))
    scatter = np.abs(np.diff(values[1 + 2 * n :].reshape(2, _NOISE_PROBES), 2, axis=1))
    noise = 4 * max(
        reading.noise if math.isfinite(reading.noise) else 0.0,
        4 * np.finfo(float).eps * float(np.abs(finite).max()),
        float(np.nanmax(np.append(scatter.ravel(), 0.0))),
        np.finfo(float).tiny,
    )
    return _decide(point, value, (ys_left, step_left), (ys_right, step_right), noise)


def _decide(
    point: float,
    value: float,
    left: tuple[np.ndarray, np.ndarray],
    right: tuple[np.ndarray, np.ndarray],
    noise: float,
) -> DerivativeCheck:
    """The verdict from f(point), f's values on each side at the steps, and a noise level."""
    nan = math.nan
    sides = {"left": left, "right": right}
    trends = {
        name: trend(ys, np.full(ys.size, noise))
        if ys.size >= 10 and np.isfinite(ys[-10:]).all()
        else None
        for name, (ys, _) in sides.items()
    }
    limits = {
        name: t.limit if t is not None and t.kind == "settles" else nan
        for name, t in trends.items()
    }
    defined_sides = [name for name, t in trends.items() if t is not None]

    def result(reason: str, **extra: object) -> DerivativeCheck:
        fields = {
            "left_slope": nan,
            "right_slope": nan,
            "defined": reason not in ("pole", "hole", "undefined")
            and not (reason == "oscillates" and extra.get("detail") == "hole"),
            "left_value": limits["left"],
            "right_value": limits["right"],
            "value": value,
        }
        fields.update(extra)
        return DerivativeCheck(point, False, reason=reason, **fields)  # type: ignore[arg-type]

    if any(t is not None and t.kind == "grows" for t in trends.values()):
        growing = [name for name, t in trends.items() if t is not None and t.kind == "grows"]
        return result("pole", detail=growing[0] if len(growing) == 1 else "")
    if not math.isfinite(value):
        settled = [t for t in trends.values() if t is not None and t.kind == "settles"]
        if len(settled) == 2 and _same(settled[0], settled[1], noise):
            filled = 0.5 * (settled[0].limit + settled[1].limit)
            slopes = {name: _slope(filled, *sides[name], noise, name) for name in sides}
            if any(s.kind == "swings" for s in slopes.values()):
                return result("oscillates", detail="hole")
            return result("hole")
        swinging = any(t is not None and t.kind == "swings" for t in trends.values())
        return result("undefined", detail="values" if swinging else "")
    if not defined_sides:
        return result("isolated")
    if any(t is not None and t.kind == "swings" for t in trends.values()):
        return result("oscillates", detail="values")
    for name in defined_sides:
        if not _same(trends[name], Trend("settles", value, 0.0), noise):
            return result("jump", detail=name if len(defined_sides) == 1 else "")
    slopes = {name: _slope(value, *sides[name], noise, name) for name in defined_sides}
    numbers = {name: s.limit for name, s in slopes.items()}
    if len(defined_sides) == 1:
        (name,) = defined_sides
        s = slopes[name]
        kind = {"settles": "one-sided", "grows": "vertical"}.get(s.kind, "oscillates")
        return result(kind, detail=name, **{f"{name}_slope": numbers[name]})
    left_s, right_s = slopes["left"], slopes["right"]
    both = {"left_slope": numbers["left"], "right_slope": numbers["right"]}
    if "swings" in (left_s.kind, right_s.kind):
        return result("oscillates", **both)
    if left_s.kind == "grows" or right_s.kind == "grows":
        opposite = left_s.kind == right_s.kind == "grows" and numbers["left"] != numbers["right"]
        return result("cusp" if opposite else "vertical", **both)
    if not _same(left_s, right_s, 0.0):
        return result("corner", **both)
    return DerivativeCheck(point, True, reason="", value=value, **both)  # type: ignore[arg-type]


def _same(a: Trend, b: Trend, noise: float) -> bool:
    """Whether two settled limits agree within their uncertainties and the noise."""
    return abs(a.limit - b.limit) <= 4 * (a.error + b.error) + 4 * noise


def _slope(value: float, ys: np.ndarray, steps: np.ndarray, noise: float, side: str) -> Trend:
    """Where the one-sided difference quotients go, Richardson-extrapolated.

    A smooth side has quotients ``d + c h + ...``; ``(4 q(h/4) - q(h)) / 3`` cancels the
    ``c h`` term, so the extrapolated quotients settle fast and only a real corner remains.
    Grown quotients are reported as ±inf.
    """
    sign = 1.0 if side == "right" else -1.0
    quotients = (ys - value) / (sign * steps)
    extrapolated = (4 * quotients[1:] - quotients[:-1]) / 3
    quotient_noise = 2 * noise / steps
    seen = trend(extrapolated, (4 * quotient_noise[1:] + quotient_noise[:-1]) / 3)
    if seen.kind == "grows":
        return Trend("grows", math.copysign(math.inf, extrapolated[-1]), math.inf)
    return seen


__all__ = ["DerivativeCheck", "check_derivative"]
