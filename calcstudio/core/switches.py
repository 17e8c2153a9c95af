"""Where the non-smooth pieces of a formula switch, read from its syntax tree at one point.

Every function of the expression language is smooth except at known places: ``abs``, ``relu``
and ``sign`` at 0, ``floor`` and ``ceil`` at whole numbers, ``min``/``max`` where two
arguments tie, roots, logs and fractional powers at 0, a division by 0, ``tan``/``sec`` where
the cosine is 0 (``cot``/``csc`` the sine), and the inverse functions at the ends of their
domains. :func:`read_point` walks the tree once at ``x = a`` (iteratively: a 500-term sum is
no problem) and reports which of these switch *at a*, within the rounding error of the
numbers involved (``abs(sin(x))`` at the float nearest pi is at the corner). A point where
nothing switches and every node is finite is smooth for certain: f′(a) exists and is the
slope the walk computes by the chain rule.

It also reports a length over which every piece of f is nearly linear (the distance to the
next switch, ``1/|u′|`` for ``sin(u)`` or ``exp(u)``, ...), so a numerical look at a switch
point can take steps that suit the function instead of a fixed ladder.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from calcstudio.core.exact_constants import exact_constant
from calcstudio.core.jet_rules import RULES, Rule, power_rule
from calcstudio.core.jets import CONSTANTS
from calcstudio.core.language import Node, SyntaxTree

_EPS = float(np.finfo(float).eps)
_WITHIN = 8.0
"""A switch this many rounding errors from a counts as at a."""

# For each non-smooth function: the distance from its argument u to the nearest place where
# it switches, and the spacing to the next such place (0: there is no next).
_DISTANCE: dict[str, tuple[Callable[[float], float], float]] = {
    **{
        name: (abs, 0.0)
        for name in [
            "abs",
            "relu",
            "sign",
            "sqrt",
            "cbrt",
            "ln",
            "log",
            "log10",
            "log2",
            "coth",
            "csch",
            "acot",
        ]
    },
    "floor": (lambda u: abs(u - round(u)), 1.0),
    "ceil": (lambda u: abs(u - round(u)), 1.0),
    "tan": (lambda u: abs(math.cos(u)), math.pi),
    "sec": (lambda u: abs(math.cos(u)), math.pi),
    "cot": (lambda u: abs(math.sin(u)), math.pi),
    "csc": (lambda u: abs(math.sin(u)), math.pi),
    **{name: (lambda u: abs(abs(u) - 1.0), 0.0) for name in ("asin acos atanh asec acsc").split()},  # noqa: SIM905
    "acosh": (lambda u: abs(u - 1.0), 0.0),
}
_CUBE_ROOT = power_rule(1 / 3, Fraction(1, 3))
# Rules that round at a size of their own: sigmoid is computed as 0.5 (1 + tanh(u/2)), so
# sigmoid(-8) = 3e-4 is off by up to a unit in the last digit of 1.
_ROUNDS_AT = {"sigmoid": 1.0}

_Reading = tuple[float, float, float, float, bool]
"""Value, slope, rounding error counting a's own (a is the float nearest what was meant),
rounding noise of evaluating at exactly a, and whether it depends on x."""


@dataclass(frozen=True)
class PointReading:
    """What the syntax tree says about f at one point.

    Attributes
    ----------
    value, slope
        f(a) and f′(a) by the chain rule (meaningful where :attr:`smooth`).
    noise
        A bound on the rounding error of evaluating f at exactly a: how far apart two values
        of f may be by rounding alone, for the noise level of numerical checks.
    switches
        What switches at a, in words (``"abs"``, ``"a division by 0"``, ``"a min/max tie"``).
    finite
        Whether every node's value and slope is finite at a.
    scale
        A length in x over which every piece of f is smooth and nearly linear around a
        (``inf`` when nothing in f limits it).
    overflowed
        Whether a piece of f grew too large for floats from finite numbers (``exp(1000)``).
    exact
        Whether a switch is exactly at a (``floor(x)`` at 1e15), not only within rounding.
    """

    value: float
    slope: float
    noise: float
    switches: tuple[str, ...]
    finite: bool
    scale: float
    overflowed: bool = False
    exact: bool = False

    @property
    def smooth(self) -> bool:
        """f′(a) exists for certain: nothing switches at a and every node is finite."""
        return self.finite and not self.switches


class _Walk:
    """Collects switches and scales while the nodes are read bottom-up."""

    def __init__(self) -> None:
        self.switches: list[str] = []
        self.scales: list[float] = []
        self.finite = True
        self.overflowed = False
        self.exact = False

    def near(self, what: str, distance: float, error: float, slope: float, spacing: float) -> None:
        """Note a place where f switches, ``distance`` away in the units of its argument."""
        if distance <= _WITHIN * error:
            self.switches.append(what)
            self.exact |= distance == 0
            self.scale(spacing, slope)
        else:
            self.scale(distance, slope)

    def scale(self, length: float, slope: float) -> None:
        """Note that f is nearly linear over ``length / |slope|`` in x (if that is a length)."""
        with np.errstate(all="ignore"):
            scale = float(np.float64(length) / abs(slope))
        if math.isfinite(scale) and scale > 0:
            self.scales.append(scale)

    def function(self, name: str, u: _Reading) -> _Reading:
        """g(u): value, slope in x and rounding errors, noting g's switches and scale."""
        u, su, eu, nu, dep = u
        rule: Rule = _CUBE_ROOT if name == "cbrt" else RULES[name]
        with np.errstate(all="ignore"):
            g, g1 = (float(part) for part in rule(np.float64(u), 1))
        if name in _DISTANCE and math.isfinite(u):  # a non-finite u makes f non-finite anyway
            distance, spacing = _DISTANCE[name]
            self.near(name, distance(u), eu + _EPS * abs(u), su, spacing)
        else:
            self.scale(1.0, su)  # sin(u), exp(u), ...: they turn on a scale of 1 in u
        rounding = _EPS * max(abs(g), _ROUNDS_AT.get(name, 0.0))
        return g, g1 * su, abs(g1) * eu + rounding, abs(g1) * nu + rounding, dep


def _combine(node: Node, args: list[_Reading], walk: _Walk) -> _Reading:
    kind = node.kind
    if kind == "neg":
        v, s, e, n, dep = args[0]
        return -v, -s, e, n, dep
    dep = any(arg[4] for arg in args)
    if not dep:
        walk = _Walk()  # abs(0) in a constant is no switch in x
    if kind == "call":
        return _call(node, args, walk)
    (lv, ls, le, ln, _), (rv, rs, re, rn, _) = args
    if kind in ("add", "sub"):
        sign = 1.0 if kind == "add" else -1.0
        v = lv + sign * rv
        rounding = _EPS * abs(v)
        return v, ls + sign * rs, le + re + rounding, ln + rn + rounding, dep
    if kind == "mul":
        v = lv * rv
        rounding = _EPS * abs(v)
        return (
            v,
            ls * rv + lv * rs,
            abs(rv) * le + abs(lv) * re + rounding,
            abs(rv) * ln + abs(lv) * rn + rounding,
            dep,
        )
    if kind == "div":
        walk.near("a division by 0", abs(rv), re, rs, 0.0)
        with np.errstate(all="ignore"):
            v = float(np.float64(lv) / rv)
            s = float((np.float64(ls) * rv - lv * rs) / (np.float64(rv) * rv))
            size = abs(np.float64(rv))
            rounding = _EPS * abs(v)
            e = float((le + abs(v) * re) / size) + rounding
            n = float((ln + abs(v) * rn) / size) + rounding
        return v, s, e, n, dep
    return _power(node, args, walk)


def _power(node: Node, args: list[_Reading], walk: _Walk) -> _Reading:
    (u, su, eu, nu, in_base), (c, sc, ec, nc, in_exponent) = args
    if not in_exponent:
        exact = exact_constant(node.args[1])
        if exact is None or exact.denominator != 1 or exact < 0:
            walk.near("a power at 0", abs(u), eu, su, 0.0)
        with np.errstate(all="ignore"):
            g, g1 = (float(part) for part in power_rule(c, exact)(np.float64(u), 1))
        rounding = _EPS * abs(g)
        return g, g1 * su, abs(g1) * eu + rounding, abs(g1) * nu + rounding, in_base
    # u^v = exp(v ln u): switches where u reaches 0, undefined for u < 0.
    walk.near("a power at 0", abs(u), eu, su, 0.0)
    with np.errstate(all="ignore"):
        g = float(np.float64(u) ** c)
        log_u = math.log(u) if u > 0 else math.nan
        s = g * (sc * log_u + c * su / u) if u else math.nan
        by_u, by_v = abs(g * c / u) if u else math.inf, abs(g * log_u)
    rounding = _EPS * abs(g)
    return g, s, by_v * ec + by_u * eu + rounding, by_v * nc + by_u * nu + rounding, True


def _call(node: Node, args: list[_Reading], walk: _Walk) -> _Reading:
    name = node.text
    if name in ("min", "max"):
        values = [arg[0] for arg in args]
        pick = min if name == "min" else max
        chosen = args[values.index(pick(values))]
        for other in args:
            if other is not chosen:
                walk.near(
                    "a min/max tie",
                    abs(other[0] - chosen[0]),
                    other[2] + chosen[2],
                    other[1] - chosen[1],
                    0.0,
                )
        return chosen
    if name == "log" and len(args) == 2:  # log(u, b) = ln(u) / ln(b)
        top, bottom = (walk.function("ln", arg) for arg in args)
        return _combine(Node("div", "", (), 0, 0), [top, bottom], walk)
    return walk.function(name, args[0])


def _grows(node: Node, args: list[_Reading]) -> bool:
    """Whether an infinite value here is finite numbers grown too large, not 1/0 or log(0)."""
    if node.kind in ("add", "sub", "mul"):
        return True
    if node.kind == "pow":
        return abs(args[0][0]) > 1
    return node.kind == "call" and node.text in ("exp", "sinh", "cosh")


def read_point(tree: SyntaxTree, point: float) -> PointReading:
    """Read a one-variable syntax tree at ``x = point``: value, slope, switches, scale.

    Parameters
    ----------
    tree
        From :func:`calcstudio.core.language.parse_tree`, with one variable.
    point
        The point a.

    Returns
    -------
    PointReading

    Examples
    --------
    >>> from calcstudio.core.language import parse_tree
    >>> read_point(parse_tree("abs(x - 2) + x^2"), 2.0).switches
    ('abs',)
    >>> read_point(parse_tree("abs(x - 2) + x^2"), 1.0).smooth
    True
    """
    variable = tree.variables[0]
    walk = _Walk()
    done: dict[int, _Reading] = {}
    stack: list[tuple[Node, bool]] = [(tree.root, False)]
    while stack:
        node, expanded = stack.pop()
        if node.kind == "num":
            value = float(node.text)
            done[id(node)] = (value, 0.0, _EPS * abs(value), _EPS * abs(value), False)
        elif node.kind == "name":
            if node.text == variable:
                done[id(node)] = (point, 1.0, _EPS * abs(point), 0.0, True)
            else:
                value = CONSTANTS[node.text]
                done[id(node)] = (value, 0.0, _EPS * abs(value), _EPS * abs(value), False)
        elif not expanded:
            stack.append((node, True))
            stack.extend((arg, False) for arg in node.args)
        else:
            args = [done[id(arg)] for arg in node.args]
            reading = _combine(node, args, walk)
            if not all(math.isfinite(part) for part in reading[:4]):
                walk.finite = False
                # exp(1000): finite numbers in, too large a number out, nothing switching.
                inputs_finite = all(math.isfinite(arg[0]) for arg in args)
                if math.isinf(reading[0]) and inputs_finite and _grows(node, args):
                    walk.overflowed = not walk.switches
            done[id(node)] = reading
    value, slope, _, noise, _ = done[id(tree.root)]
    return PointReading(
        value,
        slope,
        noise,
        tuple(walk.switches),
        walk.finite,
        min(walk.scales, default=math.inf),
        walk.overflowed,
        walk.exact,
    )


__all__ = ["PointReading", "read_point"]
