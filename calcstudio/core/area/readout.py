"""The area lesson's numbers in words: the sum written out, its error, the integral."""

from __future__ import annotations

import math

import numpy as np

from calcstudio.core.area.riemann import RULE_NAMES, RiemannSum

WRITTEN_TERMS = 8
"""Sums of up to this many pieces are written term by term."""


def short_number(value: float, digits: int = 4) -> str:
    """A number with a typographic minus: ``0.25``, ``−1.5``, ``3.142``, ``0``."""
    if not math.isfinite(value):
        return "undefined"
    text = f"{value:.{digits}g}"
    return text.replace("-", "−")


def _operand(value: float) -> str:
    """A number to subtract: negatives in brackets, ``1 − (−1)``."""
    text = short_number(value)
    return f"({text})" if text.startswith("−") else text


def written_sum(riemann: RiemannSum, variable: str = "x") -> str:
    """``Δx = (b − a)/n`` and ``Σ f(xᵢ)·Δx``, with the numbers in, as plain text.

    Small sums are written term by term, e.g.
    ``left sum = (f(0) + f(0.5))·0.5 = (0 + 0.25)·0.5 = 0.125``; larger ones by their
    first and last terms.
    """
    a, b, n = float(riemann.edges[0]), float(riemann.edges[-1]), riemann.pieces
    width = riemann.width
    sizes = f"({short_number(b)} − {_operand(a)})/{n} = {short_number(width)}"
    lines = [f"Δ{variable} = (b − a)/n = {sizes}"]
    name = RULE_NAMES[riemann.rule]
    total = short_number(riemann.total, 8)
    if riemann.rule == "trapezoid":
        heights = 0.5 * (riemann.left_heights + riemann.right_heights)
        general = f"Σ ½(f({variable}ᵢ) + f({variable}ᵢ₊₁))·Δ{variable}"
    elif riemann.rule in ("upper", "lower"):
        heights = riemann.left_heights
        largest = "largest" if riemann.rule == "upper" else "smallest"
        general = f"Σ ({largest} f on piece i)·Δ{variable}"
    else:
        heights = riemann.left_heights
        general = f"Σ f({variable}ᵢ)·Δ{variable}"
    if n <= WRITTEN_TERMS:
        if riemann.rule in ("left", "right", "midpoint"):
            calls = " + ".join(f"f({short_number(x)})" for x in riemann.points)
            lines.append(f"{name} = ({calls})·{short_number(width)}")
        terms = " + ".join(short_number(h) for h in heights)
        lines.append(f"{name} = ({terms})·{short_number(width)} = {total}")
    else:
        first, last = short_number(heights[0]), short_number(heights[-1])
        lines.append(f"{name} = {general} = ({first} + … + {last})·{short_number(width)} = {total}")
    return "\n".join(line.replace("+ −", "− ") for line in lines)


def error_text(riemann: RiemannSum, integral: float, numerical: bool) -> str:
    """``error = sum − ∫ = …``, or why there is none."""
    if not riemann.defined:
        return "The sum is undefined: f has no value at a point it needs."
    if not math.isfinite(integral):
        return "No error to give: the integral has no value."
    error = riemann.total - integral
    relative = abs(error) / abs(integral) if integral else float("nan")
    than = "the numerical value" if numerical else "the exact value"
    text = f"error = sum − ∫ = {short_number(error, 3)} (against {than})"
    if np.isfinite(relative):
        text += f", {100 * relative:.2f}% of |∫|"
    return text.replace("-", "−")


__all__ = ["WRITTEN_TERMS", "error_text", "short_number", "written_sum"]
