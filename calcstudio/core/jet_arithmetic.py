"""Arithmetic on jets: the rules that combine a node's jets into its parent's.

A *jet* is a value and its derivatives with respect to one variable, up to order 2
(``(value,)``, ``(value, first)`` or ``(value, first, second)``); a constant is a plain
float, whose derivatives are all 0. :mod:`calcstudio.core.jets` compiles a syntax tree into
closures that call these rules: sums, Leibniz's product rule, the chain rule and min/max,
exact up to rounding, and the clean-up of a result to a float64 array.
"""

from __future__ import annotations

import numpy as np

from calcstudio.core.jet_rules import Jet, Part, Rule

Array = np.ndarray
Value = Jet | float
"""What a node evaluates to: a jet, or a float for a constant subtree."""


def constant(value: float) -> float:
    """A constant subtree's value as numpy's float64."""
    # numpy's float: it divides by zero and overflows to inf and NaN (under errstate)
    # where Python's float raises.
    return np.float64(value)


def as_jet(value: Value, order: int) -> Jet:
    """A constant as the jet ``(value, 0, 0)`` cut to ``order``; a jet unchanged."""
    return (value, 0.0, 0.0)[: order + 1] if isinstance(value, float) else value


def _is_seed(jet: Jet) -> bool:
    """Whether ``jet`` is the variable's own ``(x, 1.0, 0.0)``: its slopes the plain floats."""
    slopes = jet[1:]
    return (
        type(slopes[0]) is float
        and slopes[0] == 1.0
        and (len(slopes) == 1 or (type(slopes[1]) is float and slopes[1] == 0.0))
    )


def chain(rule: Rule, inner: Value) -> Value:
    """g(u(x)) and its derivatives: g'(u) u' and g''(u) u'² + g'(u) u''."""
    if isinstance(inner, float):
        return constant(rule(inner, 0)[0])
    g = rule(inner[0], len(inner) - 1)
    if len(inner) == 1:
        return g
    if _is_seed(inner):
        return g  # u is the variable itself: g'(u) u' is g'(u), and g'' u'^2 + g' u'' is g
    first = g[1] * inner[1]
    if len(inner) == 2:
        return (g[0], first)
    return (g[0], first, g[2] * inner[1] ** 2 + g[1] * inner[2])


def product(u: Value, v: Value) -> Value:
    """u v and its derivatives by Leibniz's rule; a constant factor only scales."""
    if isinstance(u, float):
        return u * v if isinstance(v, float) else tuple(u * part for part in v)
    if isinstance(v, float):
        return tuple(v * part for part in u)
    parts = [u[0] * v[0]]
    if len(u) > 1:
        parts.append(u[1] * v[0] + u[0] * v[1])
    if len(u) > 2:
        parts.append(u[2] * v[0] + 2 * u[1] * v[1] + u[0] * v[2])
    return tuple(parts)


def jet_sum(u: Value, v: Value, sign: float) -> Value:
    """u + v (``sign`` 1) or u - v (``sign`` -1)."""
    if isinstance(u, float) and isinstance(v, float):
        return u + sign * v
    if isinstance(v, float):
        return (u[0] + sign * v, *u[1:])
    if isinstance(u, float):
        return (u + sign * v[0], *(sign * part for part in v[1:]))
    # Added or subtracted, not multiplied by ±1 first: the same numbers, one array less.
    if sign > 0:
        return tuple([a + b for a, b in zip(u, v, strict=True)])
    return tuple([a - b for a, b in zip(u, v, strict=True)])


def extreme(name: str, args: list[Value], order: int) -> Value:
    """min or max, nested from the left: max(a, b, c) = max(max(a, b), c).

    Each point takes the value and slopes of the chosen argument. Where the two arguments
    of a pair tie, each gets half the slope, as ``torch.maximum`` and ``torch.minimum``
    share the gradient; the slope jumps there, so the second derivative is undefined.
    """
    if all(isinstance(arg, float) for arg in args):  # numpy's, so NaN is not skipped
        return constant(np.min(args) if name == "min" else np.max(args))
    result = as_jet(args[0], order)
    for arg in args[1:]:
        result = _pair(name, result, as_jet(arg, order))
    return result


def _pair(name: str, u: Jet, v: Jet) -> Jet:
    a, b = np.broadcast_arrays(u[0], v[0])
    first = a > b if name == "max" else a < b
    share = np.where(a == b, 0.5, np.where(first, 1.0, 0.0))
    share[np.isnan(a) | np.isnan(b)] = np.nan  # undefined where either is
    parts = [np.where(first, a, b) + 0.0 * share]
    for part in range(1, len(u)):
        parts.append(share * u[part] + (1 - share) * v[part])
    if len(u) > 2:
        parts[2] = np.where(a == b, np.nan, parts[2])
    return tuple(parts)


def finite_or_nan(values: Part, shape: tuple[int, ...]) -> Array:
    """A new float64 array of ``shape``, NaN where ``values`` is not finite."""
    values = np.array(np.broadcast_to(values, shape), dtype=float)
    values[~np.isfinite(values)] = np.nan
    return values
