"""The functions the benchmark types: the lesson presets plus two stress cases."""

from __future__ import annotations

from calcstudio import resource_files

DEGREE_30_POLYNOMIAL = " + ".join(f"{k % 7 + 1}x^{k}" for k in range(30, 0, -1)) + " + 1"
"""A polynomial of degree 30, typed in full."""

EIGHT_LEVEL_COMPOSITION = "sin(cos(exp(tanh(sqrt(1 + ln(1 + sigmoid(atan(x^2))))))))"
"""Eight functions nested inside each other."""


def corpus() -> list[str]:
    """The presets (from resources/presets.json) and the two stress cases."""
    presets = [preset["text"] for preset in resource_files.read_json("presets.json")]
    return [*presets, DEGREE_30_POLYNOMIAL, EIGHT_LEVEL_COMPOSITION]
