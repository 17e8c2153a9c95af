"""The surface lesson's readouts in words: the point, its gradient, the critical points."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from calcstudio.core.optimize.base import MINUS, format_parameter
from calcstudio.core.surface.critical import CriticalPoint


def short(x: float) -> str:
    """A number as a learner writes it: ``2``, ``−8``, ``8.246``, ``1e−05``."""
    return format_parameter(x) if np.isfinite(x) else "undefined"


def pair(v: Sequence[float]) -> str:
    """``(2, −8)``."""
    return f"({', '.join(short(c) for c in v)})"


def point_lines(
    variables: Sequence[str], point: Sequence[float], value: float, gradient: np.ndarray
) -> list[str]:
    """L, ∇L, its length and the steepest-descent direction at a point.

    Examples
    --------
    >>> point_lines(("w1", "w2"), (1.0, -2.0), 9.0, np.array([2.0, -8.0]))[1]
    '∇L(1, −2) = (∂L/∂w1, ∂L/∂w2) = (2, −8)'
    """
    at = pair(point)[1:-1]
    if not np.isfinite(value):
        return [f"L({at}) is undefined: this point is outside L's domain."]
    partials = ", ".join(f"∂L/∂{v}" for v in variables)
    lines = [f"L({at}) = {short(value)}"]
    if not np.all(np.isfinite(gradient)):
        return [*lines, f"∇L({at}) is undefined here: L has no slope in some direction."]
    size = float(np.hypot(*gradient))
    lines.append(f"∇L({at}) = ({partials}) = {pair(gradient)}")
    if size == 0:
        lines.append("|∇L| = 0: a critical point, flat in every direction.")
    else:
        lines.append(f"|∇L| = {short(size)}: the steepest slope here, uphill along ∇L")
        lines.append(f"{MINUS}∇L = {pair(-gradient)}: the direction of steepest descent")
    return lines


_KIND_WORDS = {
    "minimum": "minimum",
    "maximum": "maximum",
    "saddle": "saddle",
    "degenerate": "degenerate (the Hessian cannot tell)",
}


def critical_lines(points: Sequence[CriticalPoint], limit: int = 10) -> list[str]:
    """One line per critical point, lowest L first: kind, place, L, Hessian eigenvalues.

    Examples
    --------
    >>> from calcstudio.core.surface.critical import CriticalPoint
    >>> critical_lines([CriticalPoint((0.0, 0.0), 0.0, (-2.0, 2.0), "saddle")])
    ['saddle at (0, 0): L = 0, eigenvalues −2 and 2']
    """
    if not points:
        return ["No critical point in view (∇L = 0 nowhere here)."]
    lines = [
        f"{_KIND_WORDS[p.kind]} at {pair(p.point)}: L = {short(p.value)}, "
        f"eigenvalues {short(p.eigenvalues[0])} and {short(p.eigenvalues[1])}"
        for p in points[:limit]
    ]
    if len(points) > limit:
        lines.append(f"… and {len(points) - limit} more: zoom in to see them listed.")
    return lines


__all__ = ["critical_lines", "pair", "point_lines", "short"]
