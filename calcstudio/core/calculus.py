"""The calculus a learner sees at one point: tangents, secants, difference quotients.

Where f′ is 0 on an interval (critical points) is :mod:`calcstudio.core.critical`.

Everything takes plain vectorised callables (``f(x: ndarray) -> ndarray`` with NaN
where undefined), such as evaluators from :func:`calcstudio.core.numeric.compile_program`;
nothing here needs sympy.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from calcstudio.core.curve import evaluate
from calcstudio.core.numbers import format_number

RealFunction = Callable[[np.ndarray], np.ndarray]
"""A vectorised real function of one variable; NaN where undefined."""

DEFAULT_STEPS = (1.0, 0.1, 0.01, 1e-3, 1e-4, 1e-5, 1e-6)
"""The shrinking steps ``h`` of a limit table."""

_EPS = float(np.finfo(float).eps)


def value_at(f: RealFunction, x: float) -> float:
    """``f(x)`` for one number, as a float (NaN where ``f`` is undefined)."""
    return float(evaluate(f, np.array([float(x)]))[0])


def _line_equation(slope: float, intercept: float, variable: str) -> str:
    """``y = 2x - 1``: the sign of the intercept becomes the operator; ``y = x``, not ``1x``."""
    if not (np.isfinite(slope) and np.isfinite(intercept)):
        return "undefined"
    slope_text = format_number(slope)
    if float(slope_text) == 0:
        return f"y = {format_number(intercept)}"
    # Written as in a textbook: x and -x, not 1x and -1x.
    term = {"1": variable, "-1": f"-{variable}"}.get(slope_text, f"{slope_text}{variable}")
    if float(format_number(intercept)) == 0:
        return f"y = {term}"
    sign = "-" if intercept < 0 else "+"
    return f"y = {term} {sign} {format_number(abs(intercept))}"


def line_across(
    point: float,
    value: float,
    slope: float,
    x_range: tuple[float, float],
    y_range: tuple[float, float] | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """End points of the line through ``(point, value)`` with ``slope``, ready to draw.

    The line spans ``x_range``, cut (when ``y_range`` is given) to where it runs within
    ``y_range`` and a twentieth of its height more: a steep tangent across a wide view would
    otherwise reach a million view heights off screen, and the painter strokes all of it.
    """
    x_min, x_max = x_range
    if y_range is not None and slope != 0 and np.isfinite(slope) and np.isfinite(value):
        low, high = y_range
        margin = 0.05 * (high - low)
        with np.errstate(all="ignore"):
            ends = sorted(point + (y - value) / slope for y in (low - margin, high + margin))
        if np.isfinite(ends[0]) and np.isfinite(ends[1]):
            start, stop = max(x_min, ends[0]), min(x_max, ends[1])
            if start < stop:  # else the line misses the view: draw it whole, as it is
                x_min, x_max = start, stop
    xs = np.array([x_min, x_max], dtype=float)
    return xs, slope * (xs - point) + value


@dataclass(frozen=True)
class Tangent:
    """The tangent line to ``y = f(x)`` at ``x = point``: ``y = slope * x + intercept``."""

    point: float
    value: float
    slope: float
    intercept: float

    @classmethod
    def through(cls, point: float, value: float, slope: float) -> Tangent:
        """The line through ``(point, value)`` with ``slope`` (f and f' known already)."""
        return cls(float(point), float(value), float(slope), float(value - slope * point))

    def __call__(self, x: np.ndarray | float) -> np.ndarray:
        """Heights of the tangent line at ``x``."""
        return self.slope * np.asarray(x, dtype=float) + self.intercept

    def line(
        self, x_min: float, x_max: float, y_range: tuple[float, float] | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """The two end points of the line across ``[x_min, x_max]``, ready to draw; cut to
        the part near ``y_range`` if given (see :func:`line_across`)."""
        xs, _ = line_across(self.point, self.value, self.slope, (x_min, x_max), y_range)
        return xs, self(xs)

    def equation(self, variable: str = "x") -> str:
        """The line as text, e.g. ``y = 2x - 1`` (``y = 2t - 1`` for ``variable="t"``)."""
        return _line_equation(self.slope, self.intercept, variable)


@dataclass(frozen=True)
class Secant:
    """The secant through ``(point, f(point))`` and ``(point + step, f(point + step))``."""

    point: float
    step: float
    value: float
    value_after: float

    @property
    def rise(self) -> float:
        """``f(point + step) - f(point)``."""
        return self.value_after - self.value

    @property
    def run(self) -> float:
        """``step``: how far apart the two points are horizontally."""
        return self.step

    @property
    def slope(self) -> float:
        """Rise over run: the average rate of change between the two points."""
        return self.rise / self.run

    @property
    def intercept(self) -> float:
        """Where the secant line meets the y-axis."""
        return self.value - self.slope * self.point

    def __call__(self, x: np.ndarray | float) -> np.ndarray:
        """Heights of the secant line at ``x``."""
        return self.slope * (np.asarray(x, dtype=float) - self.point) + self.value

    def line(
        self, x_min: float, x_max: float, y_range: tuple[float, float] | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """The two end points of the line across ``[x_min, x_max]``, ready to draw; cut to
        the part near ``y_range`` if given (see :func:`line_across`)."""
        xs, _ = line_across(self.point, self.value, self.slope, (x_min, x_max), y_range)
        return xs, self(xs)

    def equation(self, variable: str = "x") -> str:
        """The line as text, e.g. ``y = 2.1x - 1.1``."""
        return _line_equation(self.slope, self.intercept, variable)


def tangent_at(f: RealFunction, df: RealFunction | None, point: float) -> Tangent:
    """The tangent to ``f`` at ``point``.

    Parameters
    ----------
    f
        The function.
    df
        Its derivative, or None to use :func:`numerical_derivative`.
    point
        Where the tangent touches.

    Returns
    -------
    Tangent
        With NaN slope and intercept where the derivative does not exist.
    """
    value = value_at(f, point)
    slope = value_at(df, point) if df is not None else numerical_derivative(f, point)
    return Tangent.through(point, value, slope)


def secant(f: RealFunction, point: float, step: float) -> Secant:
    """The secant of ``f`` from ``point`` to ``point + step``; ``step`` may be negative."""
    if step == 0:
        raise ValueError("a secant needs two different points: step must not be 0")
    value, value_after = evaluate(f, np.array([point, point + step], dtype=float))
    return Secant(point, step, float(value), float(value_after))


def forward_difference(f: RealFunction, point: float, step: float) -> float:
    """``(f(a + h) - f(a)) / h``: the difference quotient of the limit definition."""
    return secant(f, point, step).slope


def central_difference(f: RealFunction, point: float, step: float) -> float:
    """``(f(a + h) - f(a - h)) / 2h``: its error shrinks like ``h^2``, not ``h``."""
    if step == 0:
        raise ValueError("step must not be 0")
    return (value_at(f, point + step) - value_at(f, point - step)) / (2 * float(step))


def numerical_derivative(f: RealFunction, point: float) -> float:
    """``f'(point)`` by a central difference with a step that balances the errors.

    The truncation error of a central difference grows like ``h^2`` and the rounding
    error like ``eps / h``; they balance near ``h = cbrt(eps)``, scaled to ``point``.
    """
    step = float(np.cbrt(_EPS)) * max(1.0, abs(point))
    # Use the step the computer actually takes, (a + h) - a, so no rounding in x.
    step = (point + step) - point
    return central_difference(f, point, step)


@dataclass(frozen=True)
class LimitRow:
    """One row of a limit table: a step ``h``, its difference quotient and its error."""

    step: float
    quotient: float
    error: float


def limit_table(
    f: RealFunction,
    point: float,
    derivative_at_point: float | None = None,
    steps: Sequence[float] = DEFAULT_STEPS,
) -> list[LimitRow]:
    """Difference quotients ``(f(a + h) - f(a)) / h`` as ``h`` shrinks towards 0.

    Parameters
    ----------
    f
        The function.
    point
        The point ``a``.
    derivative_at_point
        The exact ``f'(a)`` to measure errors against; if None, a careful
        :func:`numerical_derivative` is used.
    steps
        The values of ``h``.

    Returns
    -------
    list of LimitRow
        One row per step, with ``error = |quotient - f'(a)|``.
    """
    exact = numerical_derivative(f, point) if derivative_at_point is None else derivative_at_point
    h = np.asarray(steps, dtype=float)
    if np.any(h == 0):
        raise ValueError("a step h must not be 0")
    # One call for every point: f(a) and each f(a + h).
    values = evaluate(f, np.concatenate(([float(point)], point + h)))
    quotients = (values[1:] - values[0]) / h
    return [
        LimitRow(float(step), float(quotient), abs(float(quotient) - exact))
        for step, quotient in zip(h, quotients, strict=True)
    ]


def nearest_step(steps: Sequence[float], step: float) -> int:
    """The index of the step nearest to ``step`` on a log scale (``2e-4`` is nearest ``1e-4``).

    Parameters
    ----------
    steps
        The steps of a limit table, all non-zero.
    step
        The current ``h``; only its size counts.

    Returns
    -------
    int
        An index into ``steps``; -1 if ``steps`` is empty or ``step`` is 0 or not finite.
    """
    if not steps or not np.isfinite(step) or step == 0:
        return -1
    distance = np.abs(np.log10(np.abs(np.asarray(steps, dtype=float))) - np.log10(abs(step)))
    return int(np.argmin(distance))


__all__ = [
    "DEFAULT_STEPS",
    "LimitRow",
    "RealFunction",
    "Secant",
    "Tangent",
    "central_difference",
    "format_number",
    "forward_difference",
    "limit_table",
    "line_across",
    "nearest_step",
    "numerical_derivative",
    "secant",
    "tangent_at",
    "value_at",
]
