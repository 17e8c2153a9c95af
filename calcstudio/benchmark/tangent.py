"""Time of the f′(a) check the window runs on every move of the tangent point."""

from __future__ import annotations

import math
import time

import numpy as np

from calcstudio.core.derivative_check import check_derivative
from calcstudio.core.jets import derivative_evaluators
from calcstudio.core.language import parse_tree

SWITCH_POINTS = [
    ("abs(x)", 0.0),
    ("relu(x)", 0.0),
    ("floor(x)", 1e6),
    ("sqrt(x)", 0.0),
    ("x^(2/3)", 0.0),
    ("x*sin(1/x)", 0.0),
    ("tan(x)", math.pi / 2),
    ("max(x, x^2)", 1.0),
    ("x^(4/3)", 0.0),
]
"""Points where a piece of f switches, so the check looks at numbers on both sides."""


def measure_checks(texts: list[str], points: int = 100) -> tuple[list[float], list[float]]:
    """Seconds per check, as the tangent lesson runs it on a move of the point.

    Returns
    -------
    across, at_switches
        Durations at ``points`` places across [-3, 3] for each text (a drag across the
        view), and at the switch points of :data:`SWITCH_POINTS` (the numerical path).
    """
    across = [_time(text, float(a)) for text in texts for a in np.linspace(-3.0, 3.0, points)]
    at_switches = [_time(text, a) for text, a in SWITCH_POINTS for _ in range(20)]
    return across, at_switches


def _time(text: str, a: float) -> float:
    # The window hands the lesson the tree it parsed for the keystroke: only the check counts.
    tree = parse_tree(text)
    f = derivative_evaluators(tree)[0]
    started = time.perf_counter()
    check_derivative(f, a, tree)
    return time.perf_counter() - started
