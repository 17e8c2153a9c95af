"""One colour per meaning, used by every widget, legend and readout."""

from __future__ import annotations

FUNCTION = "#1f77b4"
"""f: blue."""
DERIVATIVE = "#d62728"
"""f': red."""
SECOND_DERIVATIVE = "#9467bd"
"""f'': purple."""
TANGENT = "#ff7f0e"
"""The tangent line and the point a: orange."""
SECANT = "#2ca02c"
"""The secant line, its rise and run, and the point a+h: green."""
DESCENT = "#e377c2"
"""The descent ball and its trail: pink."""
ERROR = "#c0392b"
"""Error text and highlights."""
MUTED = "#666666"
"""Secondary text."""
GRID_MAJOR = "#d9d9d9"
"""Grid lines at labelled ticks."""
GRID_MINOR = "#efefef"
"""Grid lines between labelled ticks."""
GRID_ZERO = "#9a9a9a"
"""The lines x = 0 and y = 0."""

RACE_COLOURS = ("#e377c2", "#17becf", "#8c564b", "#bcbd22", "#7b4173", "#222222", "#d4a017")
"""One colour per optimizer in race mode (gradient descent first, in the descent pink), none
of them a colour that already means something on the plot (f, f′, f″, tangent, secant)."""


def swatch(colour: str, text: str) -> str:
    """Rich text that shows ``text`` in bold in ``colour``."""
    return f'<b style="color:{colour}">{text}</b>'
